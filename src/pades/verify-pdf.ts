import { digestFromOid, signatureFromOid, type DigestAlgorithm } from '../core/algorithms.js';
import { bytesEqual, concatBytes, toBytes, type BinaryInput } from '../core/bytes.js';
import { readTlv } from '../core/der.js';
import { isKysoError } from '../core/errors.js';
import { worstIndication, type Indication, type SubIndication } from '../core/indication.js';
import { parseSignedData, type ParsedSignedData } from '../cms/index.js';
import { parseCertificate } from '../pki/certificate.js';
import { digest, digestAvailable } from '../crypto/digest.js';
import { decodeStream } from '../pdf/filters.js';
import { validateCertificatePath } from '../pki/chain.js';
import { parseTimestampToken } from '../tsa/index.js';
import { checkByteRange, revisionEndingAt, signedRangeEnd } from '../pdf/byte-range.js';
import { digestRanges, ensureRange, type PrefixDigests } from '../pdf/lazy-bytes.js';
import { analyseModifications, type FieldLock } from '../pdf/modification-analysis.js';
import { PdfDict, PdfRef, PdfStream, PdfString, nameOf, numberOf, type PdfObject } from '../pdf/objects.js';
import { PdfReader, type PdfRevision } from '../pdf/reader.js';
import { findHiddenSignatures, findSignatureFields, type HiddenSignature } from '../pdf/signature-scan.js';
import { decodeTextString, parsePdfDate } from '../pdf/text-string.js';
import {
  chainFinding,
  checkRevocationEstablished,
  createValidationContext,
  validatePathInContext,
  type ValidationContext,
  type ValidationOptions,
} from '../validation/context.js';
import { VerdictBuilder } from '../validation/findings.js';
import { checkSigner, signerFactsOf } from '../validation/signer-check.js';
import { checkSignatureTimestamp, checkTimestampToken } from '../validation/timestamp-check.js';
import { applyDocumentPolicy } from '../validation/document-policy.js';
import type { PdfSignatureReport, PdfVerificationReport } from '../validation/reports.js';

/**
 * Options of {@link verifyPdf}: the settings of every verifier (trust, intermediates, time, clock, policy,
 * revocation data, mode and fetchers; see {@link ValidationOptions}). Network access: none unless `online`.
 */
export type VerifyPdfOptions = ValidationOptions;

/** The signer's certificate as the report shows it (the same model for PDF, XML and detached signatures). */
export type { SignerFacts } from '../validation/signer-check.js';

/**
 * Verifies every signature and document timestamp of a PDF: ByteRange and /Contents, message digest,
 * signature value and signing-certificate attribute; the signer's certificate path to the given trust
 * anchors at the validation time (or, for an expired certificate, at a valid signature timestamp); the
 * algorithm policy; and every change made after each signature. Network access: none.
 *
 * @example
 * ```ts
 * const report = await verifyPdf(await readFile('signed.pdf'), { trust: [await readFile('root.pem')] });
 * if (report.indication !== 'TOTAL_PASSED') console.log(report.signatures.map((s) => s.errors));
 * ```
 * @throws KysoError `ERR_PDF_MALFORMED` when the file is not a readable PDF at all.
 */
export async function verifyPdf(pdf: BinaryInput, options: VerifyPdfOptions = {}): Promise<PdfVerificationReport> {
  const bytes = toBytes(pdf, 'pdf');
  const reader = PdfReader.open(bytes);
  const context = await createValidationContext(options);
  const revisions = reader.revisions();
  const { signed, empty } = findSignatureFields(reader, { pageIndexes: false }); // no report shows a page
  const docMdp = certificationLevel(reader);
  const hiddenFound = findHiddenSignatures(reader, signed);
  const all: Candidate[] = [
    ...signed.map((f) => ({
      fieldName: f.fieldName,
      signature: f.signature,
      ...(f.signatureRef && { signatureRef: f.signatureRef }),
      field: reader.resolveDict(f.fieldRef),
    })),
    ...hiddenFound.map((h) => ({
      fieldName: '',
      signature: h.signature,
      signatureRef: h.signatureRef,
      hidden: h.reason,
    })),
  ];
  // each signature hashes up to the whole file: a file made of thousands of them must not cost thousands of passes
  const candidates = all.slice(0, MAX_SIGNATURES);
  const ctx: Ctx = {
    bytes,
    reader,
    revisions,
    context,
    ...(docMdp && { docMdp }),
    dss: readDss(reader),
    prefixes: new Map(),
    locks: candidates
      .filter((c) => !c.hidden)
      .flatMap((c) => fieldLocksOf(reader, c).map((lock) => ({ coveredEnd: coveredEnd(c.signature), lock }))),
  };

  // in the order of their coverage, so that each signature's digest goes on from the one before it
  const verified: PdfSignatureReport[] = new Array(candidates.length);
  const inOrder = candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) => coveredEnd(a.c.signature) - coveredEnd(b.c.signature));
  for (const { c, i } of inOrder) verified[i] = await verifyOne(ctx, c);
  const byCoverage = (a: PdfSignatureReport, b: PdfSignatureReport) =>
    (a.byteRange?.[2] ?? 0) + (a.byteRange?.[3] ?? 0) - ((b.byteRange?.[2] ?? 0) + (b.byteRange?.[3] ?? 0));
  const reports = verified.filter((r) => !r.hidden).sort(byCoverage);
  const hiddenReports = verified.filter((r) => r.hidden).sort(byCoverage);
  reports.forEach((r, i) => (r.index = i + 1));
  hiddenReports.forEach((r, i) => (r.index = i + 1));
  assignLevels(reports, ctx);

  const v = new VerdictBuilder();
  if (reader.repaired)
    v.warn('document-repaired', 'the cross-reference data is broken; the document was read by scanning its objects');
  const orphans = hiddenReports.filter((r) => r.hidden === 'not-in-form');
  const superseded = hiddenReports.length - orphans.length;
  if (superseded)
    v.warn(
      'hidden-signatures',
      `${superseded} signature dictionar${superseded === 1 ? 'y was' : 'ies were'} redefined by a later revision (the earlier version${superseded === 1 ? ' is' : 's are'} listed apart)`,
    );
  for (const f of signed.filter((f) => f.alsoInFields)) {
    const others = f.alsoInFields!;
    v.warn(
      'hidden-signatures',
      `the signature of field "${f.fieldName}" is also the value of ${others.length} other field${others.length === 1 ? '' : 's'} (${others
        .slice(0, 3)
        .map((n) => `"${n}"`)
        .join(', ')}${others.length > 3 ? ', …' : ''}); it was verified once`,
    );
  }
  if (orphans.length) {
    // A signature that no field of the form holds any more was cut off the document: a merged or re-saved copy
    // (its ranges no longer fit the file) or an update that dropped its field. Either way the document is not
    // what was signed, and saying "no signature" would hide that it was.
    const dropped = orphans.filter((r) => r.integrity.byteRange && r.integrity.digest === true).length;
    const why = [
      orphans.length - dropped &&
        `${orphans.length - dropped} whose signed byte ranges no longer fit the file (a merged or re-saved copy)`,
      dropped && `${dropped} whose field a later update removed from the form`,
    ].filter(Boolean);
    const sub = orphans.find((r) => r.indication === 'TOTAL_FAILED')?.subIndication ?? 'FORMAT_FAILURE';
    v.fail('signatures-outside-form', sub, `${noLongerCover(orphans.length)}: ${why.join('; ')}`);
  } else if (reports.length === 0) v.doubt('no-signature', 'SIGNED_DATA_NOT_FOUND', 'the document has no signature');
  if (all.length > MAX_SIGNATURES)
    v.doubt(
      'too-many-signatures',
      'FORMAT_FAILURE',
      `the document holds ${all.length} signatures; only the first ${MAX_SIGNATURES} were verified`,
    );
  const own = v.verdict();
  let indication: Indication = own.indication;
  let subIndication: SubIndication | undefined = own.subIndication;
  for (const r of reports) {
    const worse = worstIndication(indication, r.indication);
    if (worse !== indication) {
      indication = worse;
      subIndication = r.subIndication;
    }
  }
  const report: PdfVerificationReport = {
    schemaVersion: 1,
    indication,
    ...(subIndication && { subIndication }),
    validationTime: context.time.toISOString(),
    revisions: revisions.length,
    signatures: reports,
    hiddenSignatures: hiddenReports,
    emptySignatureFields: empty.map((e) => e.fieldName),
    errors: own.errors,
    warnings: own.warnings,
    findings: own.findings,
  };
  applyDocumentPolicy(report, context);
  return report;
}

/** `2 signatures no longer cover the document`: the head of the report when signatures were cut off the form. */
function noLongerCover(n: number): string {
  return `${n} signature${n === 1 ? ' no longer covers' : 's no longer cover'} the document`;
}

/** Most signatures (shown and hidden) verified in one document. */
const MAX_SIGNATURES = 500;

interface Ctx {
  bytes: Uint8Array;
  reader: PdfReader;
  revisions: PdfRevision[];
  context: ValidationContext;
  docMdp?: { level: 1 | 2 | 3; signature: PdfDict };
  /** Validation data the document carries in its DSS. */
  dss: { certificates: Uint8Array[]; ocsps: Uint8Array[]; crls: Uint8Array[] };
  /** The digest states of the file's prefixes hashed so far: the signatures' digests share one pass. */
  prefixes: PrefixDigests;
  /** Every FieldMDP lock of the form's signatures, with where the locking signature's coverage ends. */
  locks: { coveredEnd: number; lock: FieldLock }[];
}

/** A signature dictionary to verify: from a signature field, or hidden. */
interface Candidate {
  fieldName: string;
  signature: PdfDict;
  signatureRef?: PdfRef;
  /** The signature field's dictionary (for its /Lock). */
  field?: PdfDict | undefined;
  hidden?: HiddenSignature['reason'];
}

async function verifyOne(ctx: Ctx, found: Candidate): Promise<PdfSignatureReport> {
  const sig = found.signature;
  const type = nameOf(sig.get('Type'));
  const subFilter = nameOf(sig.get('SubFilter'));
  const kind: PdfSignatureReport['kind'] =
    type === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161' ? 'document-timestamp' : 'signature';
  const text = (k: string) => {
    const v = ctx.reader.resolve(sig.get(k));
    return v instanceof PdfString ? decodeTextString(v) : undefined;
  };
  const m = text('M');
  const claimed = m ? parsePdfDate(m) : undefined;
  const report: PdfSignatureReport = {
    index: 0,
    fieldName: found.fieldName,
    ...(found.hidden && { hidden: found.hidden }),
    kind,
    ...(subFilter && { subFilter }),
    ...(claimed && { claimedSigningTime: claimed.toISOString(), claimedSigningTimeSource: '/M' as const }),
    ...optional('reason', text('Reason')),
    ...optional('location', text('Location')),
    ...optional('contactInfo', text('ContactInfo')),
    ...optional('name', text('Name')),
    integrity: { byteRange: false, format: false, digest: null, signatureValue: null, signingCertificate: 'absent' },
    timestamps: [],
    indication: 'TOTAL_PASSED',
    errors: [],
    warnings: [],
    findings: [],
  };
  if (ctx.docMdp?.signature === sig) report.certification = { permissions: ctx.docMdp.level };
  const locks = fieldLocksOf(ctx.reader, found);
  if (locks.length) report.fieldLocks = locks;
  const role = nameOf(ctx.reader.resolveDict(ctx.reader.resolveDict(sig.get('Prop_Build'))?.get('Kyso'))?.get('Role'));
  if (role) report.role = role;
  const v = new VerdictBuilder();
  await checkOne(ctx, found, report, { kind, subFilter, claimed }, v);
  Object.assign(report, v.verdict());
  return report;
}

/** What {@link verifyOne} read of a signature dictionary before checking it; `claimed` is its /M. */
interface SignatureHead {
  kind: PdfSignatureReport['kind'];
  subFilter: string | undefined;
  claimed: Date | undefined;
}

async function checkOne(
  ctx: Ctx,
  found: Candidate,
  report: PdfSignatureReport,
  { kind, subFilter, claimed }: SignatureHead,
  v: VerdictBuilder,
): Promise<void> {
  const sig = found.signature;
  // 1. ByteRange and /Contents
  const br = checkByteRange(ctx.bytes, sig, found.signatureRef?.num);
  if (br.byteRange) report.byteRange = br.byteRange;
  report.integrity.byteRange = br.ok;
  for (const p of br.problems) v.fail('byte-range-invalid', 'FORMAT_FAILURE', p);
  if (br.coveredEnd !== undefined) {
    const rev = revisionEndingAt(ctx.bytes, ctx.revisions, br.coveredEnd);
    if (rev >= 0) report.revision = rev;
    else if (br.ok) {
      report.integrity.byteRange = false;
      v.fail(
        'byte-range-invalid',
        'FORMAT_FAILURE',
        `the signed range ends at byte ${br.coveredEnd}, which is not the end of a revision`,
      );
    }
  }
  if (!br.ok || !br.contents || !br.byteRange) return;

  // 2. CMS: digest, signature value, attributes
  let cms: ParsedSignedData;
  if (br.contents.every((b) => b === 0)) {
    v.fail(
      'format-invalid',
      'FORMAT_FAILURE',
      'the signature was never filled in: /Contents is still the all-zero placeholder',
    );
    return;
  }
  try {
    cms = parseSignedData(withoutPadding(br.contents, v));
  } catch (e) {
    v.fail(
      'format-invalid',
      'FORMAT_FAILURE',
      `/Contents is not a readable CMS signature: ${isKysoError(e) ? e.message : String(e)}`,
    );
    return;
  }
  const ranges: [number, number][] = [
    [br.byteRange[0]!, br.byteRange[1]!],
    [br.byteRange[2]!, br.byteRange[3]!],
  ];
  report.integrity.format = true;
  if (kind === 'document-timestamp') await checkDocumentTimestamp(ctx, report, br.contents, ranges, v);
  else await checkSignature(ctx, report, cms, ranges, { kind, subFilter, claimed }, v);

  // 3. Changes after it
  if (br.coveredEnd !== undefined) {
    const docMdp = ctx.docMdp && coveredEnd(ctx.docMdp.signature) <= br.coveredEnd ? ctx.docMdp.level : undefined;
    const fieldLocks = ctx.locks.filter((l) => l.coveredEnd <= br.coveredEnd!).map((l) => l.lock);
    report.modifications = analyseModifications(ctx.bytes, ctx.reader, br.coveredEnd, ctx.revisions, {
      ...(docMdp && { docMdp }),
      ...(fieldLocks.length && { fieldLocks }),
    });
    if (report.modifications.verdict === 'not-permitted-changes') {
      // ETSI EN 319 102-1 format checking (as EU DSS does for DocMDP/FieldMDP and undefined changes)
      v.fail(
        'changes-not-permitted',
        'FORMAT_FAILURE',
        'the document was changed after this signature in a way that is not permitted',
      );
    } else if (report.modifications.verdict === 'changes-reported') {
      v.warn(
        'changes-reported',
        'the document was changed after this signature (annotations, form data or metadata); the changes are listed',
      );
    }
  }
}

/** The CMS without what follows it in /Contents (zero padding, or garbage some writers leave, which is reported). */
function withoutPadding(contents: Uint8Array, v: VerdictBuilder): Uint8Array {
  try {
    const end = readTlv(contents, 0).end;
    if (contents.subarray(end).some((b) => b !== 0))
      v.warn('contents-trailing-bytes', '/Contents holds bytes after the CMS signature');
    return contents.subarray(0, end);
  } catch {
    return contents;
  }
}

async function checkSignature(
  ctx: Ctx,
  report: PdfSignatureReport,
  cms: ParsedSignedData,
  ranges: [number, number][],
  { subFilter, claimed: claimedInDictionary }: SignatureHead,
  v: VerdictBuilder,
): Promise<void> {
  const si = cms.signerInfos[0];
  if (!si || cms.signerInfos.length !== 1) {
    report.integrity.format = false;
    v.fail(
      'signer-count',
      'FORMAT_FAILURE',
      `the CMS holds ${cms.signerInfos.length} SignerInfos; a PDF signature has exactly one`,
    );
    if (!si) return;
  }
  const hash: DigestAlgorithm | undefined = si.digestAlgorithm;
  report.digestAlgorithm = hash ?? si.digestAlgorithmOid;
  if (si.signatureAlgorithm)
    report.signatureAlgorithm = `${si.signatureAlgorithm.scheme} with ${si.signatureAlgorithm.hash}`;
  if (signatureFromOid(si.digestAlgorithmOid)) {
    report.integrity.format = false;
    v.fail(
      'format-invalid',
      'FORMAT_FAILURE',
      `invalid digest algorithm ${si.digestAlgorithmOid} (a signature algorithm)`,
    );
    return;
  }
  if (!hash) {
    // not checkable is not wrong: EN 319 102-1 says INDETERMINATE for an algorithm outside the constraints
    v.doubt(
      'algorithm-unsupported',
      'CRYPTO_CONSTRAINTS_FAILURE',
      `unsupported digest algorithm ${si.digestAlgorithmOid}`,
    );
    return;
  }
  if (!digestAvailable(hash)) {
    v.doubt(
      'algorithm-unsupported',
      'CRYPTO_CONSTRAINTS_FAILURE',
      `${hash} cannot be computed here: this environment's WebCrypto has no SHA-3 (kyso on Node verifies it)`,
    );
    return;
  }
  const documentDigest = await digestRanges(ctx.bytes, hash, ranges, { prefixes: ctx.prefixes });
  let checked;
  let sha1Matches = false;
  if (subFilter === 'adbe.pkcs7.sha1') {
    // The signed content is the SHA-1 digest of the signed bytes.
    const sha1 = await digestRanges(ctx.bytes, 'SHA-1', ranges, { prefixes: ctx.prefixes });
    sha1Matches = cms.eContent !== undefined && bytesEqual(cms.eContent, sha1);
    if (!sha1Matches)
      v.fail('digest-mismatch', 'HASH_FAILURE', 'the signed SHA-1 digest does not match the signed bytes');
    checked = await checkSigner(cms, si, {
      content: cms.eContent ?? new Uint8Array(0),
      extraCertificates: ctx.context.intermediates,
      policy: ctx.context.policy,
    });
  } else {
    // Some writers (DSS's enveloping mode) also embed the signed bytes as eContent: harmless when it is those
    // very bytes, a second document hiding in the signature otherwise.
    if (
      cms.eContent !== undefined &&
      (cms.eContent.length !== ranges[0]![1] + ranges[1]![1] ||
        !bytesEqual(await digest(hash, cms.eContent), documentDigest))
    ) {
      report.integrity.format = false;
      v.fail(
        'format-invalid',
        'FORMAT_FAILURE',
        `a detached ${subFilter ?? ''} signature must not carry encapsulated content`.replace('  ', ' '),
      );
    } else if (cms.eContent !== undefined)
      v.warn('note', 'the CMS also carries the signed bytes as encapsulated content (a copy of the signed range)');
    if (subFilter !== 'ETSI.CAdES.detached' && subFilter !== 'adbe.pkcs7.detached')
      v.warn('subfilter-unusual', `unusual SubFilter ${subFilter ?? '(none)'}`);
    // Without signed attributes the signature is over the signed bytes themselves: only then are they joined.
    const content = si.signedAttributes
      ? {}
      : { content: concatBytes(ranges.map(([o, l]) => (ensureRange(ctx.bytes, o, l), ctx.bytes.subarray(o, o + l)))) };
    checked = await checkSigner(cms, si, {
      contentDigest: documentDigest,
      ...content,
      extraCertificates: ctx.context.intermediates,
      policy: ctx.context.policy,
    });
  }
  const verification = checked.verification;
  // Without signed attributes there is no message-digest attribute: the signature over the bytes vouches for them.
  report.integrity.digest =
    verification.messageDigestValid ?? (si.signedAttributes ? null : verification.signatureValid);
  if (subFilter === 'adbe.pkcs7.sha1') report.integrity.digest = report.integrity.digest !== false && sha1Matches;
  // without the signer's key nothing was checked: the value is neither valid nor invalid
  report.integrity.signatureValue = checked.findings.some((f) => f.code === 'signer-certificate-not-found')
    ? null
    : verification.signatureValid;
  report.integrity.signingCertificate =
    verification.signingCertificateAttributeMatches === undefined
      ? 'absent'
      : verification.signingCertificateAttributeMatches
        ? 'match'
        : 'mismatch';
  v.add(...checked.findings);
  if (subFilter === 'ETSI.CAdES.detached' && verification.signingCertificateAttributeMatches === undefined)
    v.warn('signing-certificate-absent', 'PAdES requires the signing-certificate-v2 attribute; it is absent');
  if (!verification.signerCertificate) return;

  const cert = await parseCertificate(verification.signerCertificate);
  report.signer = signerFactsOf(cert);

  // signature timestamps: proof that the signature existed at genTime
  let poe: Date | undefined;
  for (const der of si.signatureTimeStampTokens) {
    const { check, findings, ...ts } = await checkSignatureTimestamp(der, {
      imprint: { data: si.signature },
      extraCertificates: [...cms.certificates, ...ctx.context.intermediates],
      policy: ctx.context.policy,
    });
    report.timestamps.push({ kind: 'signature-timestamp', ...ts });
    v.add(...findings);
    const genTime = check?.token.genTime;
    if (ts.valid && genTime && (!poe || genTime < poe)) poe = genTime;
  }
  let claimed = claimedInDictionary;
  if (!claimed && si.signingTime) {
    claimed = si.signingTime;
    report.claimedSigningTime = claimed.toISOString();
    report.claimedSigningTimeSource = 'signing-time';
  }
  if (claimed) {
    const t = claimed.getTime();
    report.certificateValidAtClaimedTime = t >= cert.notBefore.getTime() && t <= cert.notAfter.getTime();
    if (!report.certificateValidAtClaimedTime)
      v.warn(
        'claimed-time-outside-validity',
        `the claimed signing time ${claimed.toISOString()} is outside the certificate's validity`,
      );
  }

  const trust = ctx.context.trust;
  if (!trust) {
    v.doubt(
      'no-trust-anchors',
      'NO_CERTIFICATE_CHAIN_FOUND',
      'no trust anchors were given, so the signer cannot be trusted',
    );
    return;
  }
  const intermediates = [...cms.certificates, ...ctx.context.intermediates, ...ctx.dss.certificates];
  const embedded = {
    ocsps: [
      ...ctx.dss.ocsps,
      ...(si.adbeRevocationInfoArchival?.ocspResponses ?? []),
      ...cms.otherRevocation.map((o) => o.value),
    ],
    crls: [...ctx.dss.crls, ...cms.crls, ...(si.adbeRevocationInfoArchival?.crls ?? [])],
  };
  const path = (time: Date) =>
    validatePathInContext(ctx.context, { certificate: cert.der, intermediates, time, embedded, revocation: 'always' });
  let chain = await path(ctx.context.time);
  if ((chain.status === 'expired' || (chain.status === 'revoked' && chain.revokedAt! > poe!)) && poe) {
    const atPoe = await path(poe);
    if (atPoe.status === 'valid') {
      v.warn(
        chain.status === 'expired' ? 'expired-poe' : 'revoked-after-poe',
        chain.status === 'expired'
          ? `the certificate has expired; a signature timestamp proves the signature existed at ${poe.toISOString()}, while it was valid`
          : `the certificate was revoked on ${chain.revokedAt!.toISOString()}, after the signature timestamp (${poe.toISOString()})`,
      );
      chain = atPoe;
    }
  }
  report.chain = chain;
  for (const note of chain.notes ?? []) v.warn('algorithm-accepted-by-date', note);
  if (chain.status === 'revoked') {
    const proven = poe ?? undefined;
    if (proven && chain.revokedAt! <= proven)
      v.fail('revoked', 'REVOKED', `${chain.problems.join('; ')}, before the signature timestamp`);
    else if (!proven && claimed && chain.revokedAt! <= claimed)
      v.fail('revoked', 'REVOKED', `${chain.problems.join('; ')}, before the claimed signing time`);
    else
      v.doubt(
        'revoked-no-poe',
        'REVOKED_NO_POE',
        `${chain.problems.join('; ')}; nothing proves the signature was made before`,
      );
  } else if (chain.status !== 'valid')
    v.doubt(
      chainFinding(chain),
      chain.subIndication ?? 'CERTIFICATE_CHAIN_GENERAL_FAILURE',
      chain.problems.join('; ') || `certificate path: ${chain.status}`,
    );
  checkRevocationEstablished(chain, v);
}

/** Largest decoded DSS entry: a CRL of a national CA is a few megabytes; a bomb stops here. */
const MAX_DSS_ITEM = 16 * 1024 * 1024;

/** The certificates, OCSP responses and CRLs of the document's DSS (PAdES B-LT). */
function readDss(reader: PdfReader): Ctx['dss'] {
  const out: Ctx['dss'] = { certificates: [], ocsps: [], crls: [] };
  try {
    const dss = reader.resolveDict(reader.catalog().get('DSS'));
    const streams = (key: string) => {
      const list = reader.resolve(dss?.get(key));
      return (Array.isArray(list) ? list : []).flatMap((r) => {
        const st = reader.resolve(r);
        try {
          return st instanceof PdfStream ? [decodeStream(st, { maxBytes: MAX_DSS_ITEM })] : [];
        } catch {
          return [];
        }
      });
    };
    out.certificates = streams('Certs');
    out.ocsps = streams('OCSPs');
    out.crls = streams('CRLs');
  } catch {
    // no readable DSS: nothing embedded
  }
  return out;
}

/** PAdES baseline levels: B-T with trusted time, B-LT with embedded validation data, B-LTA with a document timestamp over it. */
function assignLevels(reports: PdfSignatureReport[], ctx: Ctx): void {
  const hasDss = ctx.dss.ocsps.length + ctx.dss.crls.length + ctx.dss.certificates.length > 0;
  const lastDssRevision = hasDss ? lastRevisionWithDss(ctx) : -1; // opens earlier revisions: once, not per signature
  for (const r of reports) {
    if (r.kind !== 'signature') continue;
    const laterDocTs = reports.some((d) => provesTime(d) && (d.revision ?? -1) > (r.revision ?? Infinity));
    const timed = r.timestamps.some((t) => t.valid) || laterDocTs;
    const embeddedRevocation = r.chain?.revocation?.length
      ? r.chain.revocation.every((x) => x.origin === 'embedded' && x.status === 'good')
      : false;
    r.level = !timed
      ? 'B-B'
      : !(hasDss && embeddedRevocation)
        ? 'B-T'
        : reports.some((d) => provesTime(d) && (d.revision ?? -1) >= lastDssRevision)
          ? 'B-LTA'
          : 'B-LT';
  }
}

/** A document time-stamp over its revision whose token verifies and the algorithm policy accepts. */
function provesTime(d: PdfSignatureReport): boolean {
  return d.kind === 'document-timestamp' && d.integrity.digest === true && d.timestamps.some((t) => t.valid);
}

function lastRevisionWithDss(ctx: Ctx): number {
  for (let i = ctx.revisions.length - 1; i >= 0; i--) {
    try {
      const r = ctx.reader.prefix(ctx.revisions[i]!.end);
      if (!r.catalog().has('DSS')) return i + 1;
    } catch {
      return i + 1;
    }
  }
  return 0;
}

async function checkDocumentTimestamp(
  ctx: Ctx,
  report: PdfSignatureReport,
  token: Uint8Array,
  ranges: [number, number][],
  v: VerdictBuilder,
): Promise<void> {
  let parsed;
  try {
    parsed = parseTimestampToken(token);
  } catch (e) {
    report.integrity.format = false;
    v.fail(
      'format-invalid',
      'FORMAT_FAILURE',
      `the document timestamp is not a readable RFC 3161 token: ${(e as Error).message}`,
    );
    return;
  }
  const hash = parsed.messageImprint.hash ?? digestFromOid(parsed.messageImprint.hashAlgorithmOid);
  if (!hash) {
    v.doubt(
      'algorithm-unsupported',
      'CRYPTO_CONSTRAINTS_FAILURE',
      `the document timestamp uses an unsupported digest ${parsed.messageImprint.hashAlgorithmOid}`,
    );
    return;
  }
  report.digestAlgorithm = hash;
  const digest = await digestRanges(ctx.bytes, hash, ranges, { prefixes: ctx.prefixes });
  const ts = await checkTimestampToken(parsed, {
    imprint: { digest },
    extraCertificates: ctx.context.intermediates,
    policy: ctx.context.policy,
  });
  const { verification } = ts;
  report.timestamps.push({
    kind: 'document-timestamp',
    genTime: parsed.genTime.toISOString(),
    ...(parsed.tsaName && { tsa: parsed.tsaName }),
    valid: ts.valid,
    problems: ts.problems,
  });
  report.integrity.digest = bytesEqual(parsed.messageImprint.digest, digest);
  report.integrity.signatureValue = verification.signature.signatureValid;
  if (!report.integrity.digest)
    v.fail('digest-mismatch', 'HASH_FAILURE', 'the document timestamp imprint does not match the signed bytes');
  else if (!verification.valid)
    v.fail(
      'signature-invalid',
      'SIG_CRYPTO_FAILURE',
      `the document timestamp does not verify: ${verification.problems.map((p) => p.message).join('; ')}`,
    );
  // the algorithm policy judges the time-stamp as it judges a signer: INDETERMINATE, never FAILED
  v.add(...ts.policyFindings);
  if (verification.signerCertificate) {
    const cert = await parseCertificate(verification.signerCertificate);
    report.signer = signerFactsOf(cert);
    if (v.indication !== 'TOTAL_PASSED') return;
    const trust = ctx.context.trust;
    if (trust) {
      report.chain = await validateCertificatePath({
        certificate: cert.der,
        intermediates: [...parsed.certificates, ...ctx.context.intermediates],
        trust,
        time: parsed.genTime,
        purpose: 'timestamping',
      });
      if (report.chain.status !== 'valid')
        v.doubt(
          'chain-invalid',
          report.chain.subIndication ?? 'CERTIFICATE_CHAIN_GENERAL_FAILURE',
          report.chain.problems.join('; '),
        );
    } else
      v.doubt(
        'no-trust-anchors',
        'NO_CERTIFICATE_CHAIN_FOUND',
        'no trust anchors were given, so the time-stamping authority cannot be trusted',
      );
  }
}

/** The DocMDP level of the document's certification signature (catalog /Perms /DocMDP), if any. */
function certificationLevel(reader: PdfReader): { level: 1 | 2 | 3; signature: PdfDict } | undefined {
  try {
    const perms = reader.resolveDict(reader.catalog().get('Perms'));
    const sigObj: PdfObject | undefined = perms?.get('DocMDP');
    const sig = reader.resolveDict(sigObj);
    if (!sig) return undefined;
    const refs = reader.resolve(sig.get('Reference'));
    let level = 2;
    if (Array.isArray(refs)) {
      for (const r of refs) {
        const d = reader.resolveDict(r);
        if (nameOf(d?.get('TransformMethod')) !== 'DocMDP') continue;
        const p = numberOf(reader.resolveDict(d?.get('TransformParams'))?.get('P'));
        if (p === 1 || p === 2 || p === 3) level = p;
      }
    }
    return { level: level as 1 | 2 | 3, signature: sig };
  } catch {
    return undefined;
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/**
 * The FieldMDP locks a signature sets: the FieldMDP transform in its /Reference, and the /Lock dictionary of
 * the field it signs (ISO 32000-2, 12.8.2.4 and table 233).
 */
function fieldLocksOf(reader: PdfReader, c: Candidate): FieldLock[] {
  const out: FieldLock[] = [];
  const read = (params: PdfDict | undefined) => {
    const action = nameOf(reader.resolve(params?.get('Action')));
    if (action !== 'All' && action !== 'Include' && action !== 'Exclude') return;
    const list = reader.resolve(params?.get('Fields'));
    const fields = (Array.isArray(list) ? list : [])
      .map((f) => reader.resolve(f))
      .filter((f): f is PdfString => f instanceof PdfString)
      .map((f) => decodeTextString(f));
    out.push({ action, fields });
  };
  try {
    const refs = reader.resolve(c.signature.get('Reference'));
    for (const r of Array.isArray(refs) ? refs.slice(0, 32) : []) {
      const d = reader.resolveDict(r);
      if (nameOf(d?.get('TransformMethod')) === 'FieldMDP') read(reader.resolveDict(d?.get('TransformParams')));
    }
    if (c.field?.has('Lock')) read(reader.resolveDict(c.field.get('Lock')));
  } catch {
    // an unreadable lock locks nothing; the signature's own checks report the damage
  }
  return out;
}

/** Where a signature's signed bytes end; a malformed /ByteRange sorts last. */
function coveredEnd(sig: PdfDict): number {
  return signedRangeEnd(sig) ?? Infinity;
}
