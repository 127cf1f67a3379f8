import { digestFromOid, signatureFromOid, type DigestAlgorithm } from '../core/algorithms.js';
import { bytesEqual, concatBytes, toBytes, type BinaryInput } from '../core/bytes.js';
import { readTlv } from '../core/der.js';
import { systemClock, type Clock } from '../core/clock.js';
import { isKysoError } from '../core/errors.js';
import { worstIndication, type Indication, type SubIndication } from '../core/indication.js';
import { parseSignedData, verifySignerInfo, type ParsedSignedData } from '../cms/index.js';
import { parseCertificate, splitCertificates, type Certificate, type CertificateInfo } from '../pki/certificate.js';
import { checkRevocation } from '../pki/revocation.js';
import { decodeStream } from '../pdf/filters.js';
import { validateCertificatePath, type PathValidationResult } from '../pki/chain.js';
import type { TrustStore } from '../pki/trust-store.js';
import { parseTimestampToken, verifyTimestampToken } from '../tsa/index.js';
import { checkByteRange, revisionEndingAt, signedRangeEnd } from '../pdf/byte-range.js';
import { digestRanges, ensureRange } from '../pdf/lazy-bytes.js';
import { analyseModifications, type FieldLock, type ModificationReport } from '../pdf/modification-analysis.js';
import { PdfDict, PdfRef, PdfStream, PdfString, nameOf, numberOf, type PdfObject } from '../pdf/objects.js';
import { PdfReader, type PdfRevision } from '../pdf/reader.js';
import { findHiddenSignatures, findSignatureFields, type HiddenSignature } from '../pdf/signature-scan.js';
import { decodeTextString, parsePdfDate } from '../pdf/text-string.js';
import { withDefaults, type ConstraintLevel, type ResolvedPolicy, type ValidationPolicy } from './policy.js';
import { resolveTrust, type TrustInput } from '../pki/trust-input.js';

/** Options of {@link verifyPdf}. */
export interface VerifyPdfOptions {
  /** Trust anchors. Without them no signature is TOTAL_PASSED (INDETERMINATE, NO_CERTIFICATE_CHAIN_FOUND). */
  trust?: TrustInput;
  /** Further intermediate certificates to build paths with. */
  intermediates?: readonly (BinaryInput | string)[];
  /** Validation time. Default: now, from `clock`. */
  time?: Date;
  /** Default: the system clock. */
  clock?: Clock;
  /** Algorithm policy. */
  policy?: ValidationPolicy;
  /**
   * Ask OCSP responders and CRL distribution points named in the certificates when the document does not
   * carry the revocation data. Default: false — verification is offline.
   */
  online?: boolean;
  /** fetch for online checks. Default: globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
}

/** A timestamp found with a signature, checked. */
export interface TimestampReport {
  kind: 'signature-timestamp' | 'document-timestamp';
  genTime?: string;
  tsa?: string;
  valid: boolean;
  problems: string[];
}

/** The signer's certificate as the report shows it. */
export type SignerFacts = Pick<CertificateInfo, 'subject' | 'issuer' | 'serialNumber' | 'notBefore' | 'notAfter' | 'keyUsage' | 'publicKey' | 'fingerprintSha256'>;

/** Verification of one signature (or document timestamp) of a PDF. */
export interface PdfSignatureReport {
  /** 1-based, in the order of the revisions they sign (hidden signatures are numbered on their own). */
  index: number;
  /** Fully qualified name of the signature field; empty for a hidden signature. */
  fieldName: string;
  /**
   * Set when no signature field of the form shows this signature: `not-in-form` (a signature dictionary nothing
   * in the form refers to) or `superseded` (an older version of an object a later revision redefined).
   */
  hidden?: 'not-in-form' | 'superseded';
  kind: 'signature' | 'document-timestamp';
  subFilter?: string;
  /** 0-based index of the revision the signature covers. */
  revision?: number;
  byteRange?: number[];
  /** The claimed signing time, ISO 8601: `/M`, else the CMS signing-time attribute. Claimed, not proven. */
  claimedSigningTime?: string;
  /** Where the claimed signing time was read. */
  claimedSigningTimeSource?: '/M' | 'signing-time';
  /** Whether the signer's certificate was within its validity period at the claimed signing time. */
  certificateValidAtClaimedTime?: boolean;
  reason?: string;
  location?: string;
  contactInfo?: string;
  name?: string;
  /** DocMDP level when this is a certification signature. */
  certification?: { permissions: 1 | 2 | 3 };
  /** Fields this signature locks against later change (FieldMDP in its /Reference, or its field's /Lock). */
  fieldLocks?: FieldLock[];
  /** Its role in the workflow, when the signing tool recorded it (kyso: `approved`, `issued`, `appendix`, `copy`). */
  role?: string;
  /** The PAdES baseline level the signature reaches: B-B, B-T (trusted time), B-LT (validation data in the document), B-LTA (time-stamped validation data). */
  level?: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
  integrity: {
    /** /ByteRange is well formed, covers a whole revision but the /Contents gap, and the gap is this dictionary's /Contents. */
    byteRange: boolean;
    /** /Contents holds what the SubFilter requires: one SignerInfo, detached content (or an RFC 3161 token), a known digest. */
    format: boolean;
    /** The message digest (or timestamp imprint) equals the digest of the signed bytes. */
    digest: boolean | null;
    signatureValue: boolean | null;
    /** signing-certificate(-v2) names the signer: `match`, `mismatch` or `absent`. */
    signingCertificate: 'match' | 'mismatch' | 'absent';
  };
  digestAlgorithm?: string;
  signatureAlgorithm?: string;
  signer?: SignerFacts;
  chain?: PathValidationResult;
  timestamps: TimestampReport[];
  modifications?: ModificationReport;
  indication: Indication;
  subIndication?: SubIndication;
  /** Why not TOTAL_PASSED, most important first. */
  errors: string[];
  warnings: string[];
}

/**
 * Verification of a whole PDF. JSON-serialisable; its JSON form is documented by
 * docs/pdf-verification-report.schema.json, which changes only by addition within a `schemaVersion`.
 */
export interface PdfVerificationReport {
  /** The version of this report's shape (docs/pdf-verification-report.schema.json). */
  schemaVersion: 1;
  /** The worst indication over all signatures (INDETERMINATE when the document has none). */
  indication: Indication;
  subIndication?: SubIndication;
  /** The validation time used, ISO 8601. */
  validationTime: string;
  revisions: number;
  signatures: PdfSignatureReport[];
  /**
   * Signature dictionaries found in the bytes that no signature field shows, each verified like the others.
   * They do not count towards the document's indication (a viewer does not show them); a warning says they exist.
   */
  hiddenSignatures: PdfSignatureReport[];
  /** Empty signature fields, by name. */
  emptySignatureFields: string[];
  /** Problems of the document as a whole. */
  errors: string[];
  warnings: string[];
}

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
  const time = options.time ?? (options.clock ?? systemClock)();
  const trust = await resolveTrust(options.trust);
  const policy = withDefaults(options.policy);
  const revisions = reader.revisions();
  const { signed, empty } = findSignatureFields(reader);
  const docMdp = certificationLevel(reader);
  const hiddenFound = findHiddenSignatures(reader, signed);
  const all: Candidate[] = [
    ...signed.map((f) => ({ fieldName: f.fieldName, signature: f.signature, ...(f.signatureRef && { signatureRef: f.signatureRef }), field: reader.resolveDict(f.fieldRef) })),
    ...hiddenFound.map((h) => ({ fieldName: '', signature: h.signature, signatureRef: h.signatureRef, hidden: h.reason })),
  ];
  // each signature hashes up to the whole file: a file made of thousands of them must not cost thousands of passes
  const candidates = all.slice(0, MAX_SIGNATURES);
  const ctx: Ctx = {
    bytes,
    reader,
    revisions,
    time,
    ...(trust && { trust }),
    policy,
    intermediates: (options.intermediates ?? []).flatMap((i) => splitCertificates(i)),
    ...(docMdp && { docMdp }),
    dss: readDss(reader),
    online: options.online ?? false,
    ...(options.fetch && { fetch: options.fetch }),
    locks: candidates.filter((c) => !c.hidden).flatMap((c) => fieldLocksOf(reader, c).map((lock) => ({ coveredEnd: coveredEnd(c.signature), lock }))),
  };

  const verified: PdfSignatureReport[] = [];
  for (const c of candidates) verified.push(await verifyOne(ctx, c));
  const byCoverage = (a: PdfSignatureReport, b: PdfSignatureReport) => (a.byteRange?.[2] ?? 0) + (a.byteRange?.[3] ?? 0) - ((b.byteRange?.[2] ?? 0) + (b.byteRange?.[3] ?? 0));
  const reports = verified.filter((r) => !r.hidden).sort(byCoverage);
  const hiddenReports = verified.filter((r) => r.hidden).sort(byCoverage);
  reports.forEach((r, i) => (r.index = i + 1));
  hiddenReports.forEach((r, i) => (r.index = i + 1));
  assignLevels(reports, ctx);

  const errors: string[] = [];
  const warnings: string[] = [];
  if (reader.repaired) warnings.push('the cross-reference data is broken; the document was read by scanning its objects');
  const notInForm = hiddenReports.filter((r) => r.hidden === 'not-in-form').length;
  const superseded = hiddenReports.length - notInForm;
  if (notInForm) warnings.push(`${notInForm} signature${notInForm === 1 ? ' is' : 's are'} in the file but in no signature field of the form (hidden; listed apart)`);
  if (superseded) warnings.push(`${superseded} signature dictionar${superseded === 1 ? 'y was' : 'ies were'} redefined by a later revision (the earlier version${superseded === 1 ? ' is' : 's are'} listed apart)`);
  for (const f of signed.filter((f) => f.alsoInFields)) {
    const others = f.alsoInFields!;
    warnings.push(`the signature of field "${f.fieldName}" is also the value of ${others.length} other field${others.length === 1 ? '' : 's'} (${others.slice(0, 3).map((n) => `"${n}"`).join(', ')}${others.length > 3 ? ', …' : ''}); it was verified once`);
  }
  let indication: Indication = 'TOTAL_PASSED';
  let subIndication: SubIndication | undefined;
  if (reports.length === 0) {
    indication = 'INDETERMINATE';
    subIndication = 'SIGNED_DATA_NOT_FOUND';
    errors.push('the document has no signature');
  }
  if (all.length > MAX_SIGNATURES) {
    indication = 'INDETERMINATE';
    subIndication = 'FORMAT_FAILURE';
    errors.push(`the document holds ${all.length} signatures; only the first ${MAX_SIGNATURES} were verified`);
  }
  for (const r of reports) {
    const worse = worstIndication(indication, r.indication);
    if (worse !== indication) {
      indication = worse;
      subIndication = r.subIndication;
    }
  }
  return {
    schemaVersion: 1,
    indication,
    ...(subIndication && { subIndication }),
    validationTime: time.toISOString(),
    revisions: revisions.length,
    signatures: reports,
    hiddenSignatures: hiddenReports,
    emptySignatureFields: empty.map((e) => e.fieldName),
    errors,
    warnings,
  };
}

/** Most signatures (shown and hidden) verified in one document. */
const MAX_SIGNATURES = 500;

interface Ctx {
  bytes: Uint8Array;
  reader: PdfReader;
  revisions: PdfRevision[];
  time: Date;
  trust?: TrustStore;
  policy: ResolvedPolicy;
  intermediates: Uint8Array[];
  docMdp?: { level: 1 | 2 | 3; signature: PdfDict };
  /** Validation data the document carries in its DSS. */
  dss: { certificates: Uint8Array[]; ocsps: Uint8Array[]; crls: Uint8Array[] };
  online: boolean;
  fetch?: typeof globalThis.fetch;
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
  const kind: PdfSignatureReport['kind'] = type === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161' ? 'document-timestamp' : 'signature';
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
  };
  if (ctx.docMdp?.signature === sig) report.certification = { permissions: ctx.docMdp.level };
  const locks = fieldLocksOf(ctx.reader, found);
  if (locks.length) report.fieldLocks = locks;
  const role = nameOf(ctx.reader.resolveDict(ctx.reader.resolveDict(sig.get('Prop_Build'))?.get('Kyso'))?.get('Role'));
  if (role) report.role = role;
  const fail = (sub: SubIndication, message: string) => {
    if (report.indication !== 'TOTAL_FAILED') {
      report.indication = 'TOTAL_FAILED';
      report.subIndication = sub;
    }
    report.errors.push(message);
  };
  const doubt = (sub: SubIndication, message: string) => {
    if (report.indication === 'TOTAL_PASSED') {
      report.indication = 'INDETERMINATE';
      report.subIndication = sub;
    }
    report.errors.push(message);
  };

  // 1. ByteRange and /Contents
  const br = checkByteRange(ctx.bytes, sig, found.signatureRef?.num);
  if (br.byteRange) report.byteRange = br.byteRange;
  report.integrity.byteRange = br.ok;
  for (const p of br.problems) fail('FORMAT_FAILURE', p);
  if (br.coveredEnd !== undefined) {
    const rev = revisionEndingAt(ctx.bytes, ctx.revisions, br.coveredEnd);
    if (rev >= 0) report.revision = rev;
    else if (br.ok) {
      report.integrity.byteRange = false;
      fail('FORMAT_FAILURE', `the signed range ends at byte ${br.coveredEnd}, which is not the end of a revision`);
    }
  }
  if (!br.ok || !br.contents || !br.byteRange) return report;

  // 2. CMS: digest, signature value, attributes
  let cms: ParsedSignedData;
  try {
    cms = parseSignedData(withoutPadding(br.contents, report));
  } catch (e) {
    fail('FORMAT_FAILURE', `/Contents is not a readable CMS signature: ${isKysoError(e) ? e.message : String(e)}`);
    return report;
  }
  const ranges: [number, number][] = [[br.byteRange[0]!, br.byteRange[1]!], [br.byteRange[2]!, br.byteRange[3]!]];
  report.integrity.format = true;
  if (kind === 'document-timestamp') await checkDocumentTimestamp(ctx, report, br.contents, ranges, fail);
  else await checkSignature(ctx, report, cms, ranges, subFilter, fail, doubt);

  // 3. Changes after it
  if (br.coveredEnd !== undefined) {
    const docMdp = ctx.docMdp && coveredEnd(ctx.docMdp.signature) <= br.coveredEnd ? ctx.docMdp.level : undefined;
    const fieldLocks = ctx.locks.filter((l) => l.coveredEnd <= br.coveredEnd!).map((l) => l.lock);
    report.modifications = analyseModifications(ctx.bytes, ctx.reader, br.coveredEnd, ctx.revisions, { ...(docMdp && { docMdp }), ...(fieldLocks.length && { fieldLocks }) });
    if (report.modifications.verdict === 'not-permitted-changes') {
      // ETSI EN 319 102-1 format checking (as EU DSS does for DocMDP/FieldMDP and undefined changes)
      fail('FORMAT_FAILURE', 'the document was changed after this signature in a way that is not permitted');
    } else if (report.modifications.verdict === 'changes-reported') {
      report.warnings.push('the document was changed after this signature (annotations, form data or metadata); the changes are listed');
    }
  }
  return report;
}

/** The CMS without what follows it in /Contents (zero padding, or garbage some writers leave, which is reported). */
function withoutPadding(contents: Uint8Array, report: PdfSignatureReport): Uint8Array {
  try {
    const end = readTlv(contents, 0).end;
    if (contents.subarray(end).some((b) => b !== 0)) report.warnings.push('/Contents holds bytes after the CMS signature');
    return contents.subarray(0, end);
  } catch {
    return contents;
  }
}

type Fail = (sub: SubIndication, message: string) => void;

async function checkSignature(ctx: Ctx, report: PdfSignatureReport, cms: ParsedSignedData, ranges: [number, number][], subFilter: string | undefined, fail: Fail, doubt: Fail): Promise<void> {
  const si = cms.signerInfos[0];
  if (!si || cms.signerInfos.length !== 1) {
    report.integrity.format = false;
    fail('FORMAT_FAILURE', `the CMS holds ${cms.signerInfos.length} SignerInfos; a PDF signature has exactly one`);
    if (!si) return;
  }
  const hash: DigestAlgorithm | undefined = si.digestAlgorithm;
  report.digestAlgorithm = hash ?? si.digestAlgorithmOid;
  if (si.signatureAlgorithm) report.signatureAlgorithm = `${si.signatureAlgorithm.scheme} with ${si.signatureAlgorithm.hash}`;
  if (!hash || signatureFromOid(si.digestAlgorithmOid)) {
    report.integrity.format = false;
    fail('FORMAT_FAILURE', `unsupported or invalid digest algorithm ${si.digestAlgorithmOid}`);
    return;
  }
  const documentDigest = await digestRanges(ctx.bytes, hash, ranges);
  let verification;
  let sha1Matches = false;
  if (subFilter === 'adbe.pkcs7.sha1') {
    // The signed content is the SHA-1 digest of the signed bytes.
    const sha1 = await digestRanges(ctx.bytes, 'SHA-1', ranges);
    sha1Matches = cms.eContent !== undefined && bytesEqual(cms.eContent, sha1);
    if (!sha1Matches) fail('HASH_FAILURE', 'the signed SHA-1 digest does not match the signed bytes');
    verification = await verifySignerInfo(cms, si, { content: cms.eContent ?? new Uint8Array(0), extraCertificates: ctx.intermediates });
  } else {
    if (cms.eContent !== undefined) {
      report.integrity.format = false;
      fail('FORMAT_FAILURE', `a detached ${subFilter ?? ''} signature must not carry encapsulated content`.replace('  ', ' '));
    }
    if (subFilter !== 'ETSI.CAdES.detached' && subFilter !== 'adbe.pkcs7.detached') report.warnings.push(`unusual SubFilter ${subFilter ?? '(none)'}`);
    // Without signed attributes the signature is over the signed bytes themselves: only then are they joined.
    const content = si.signedAttributes ? {} : { content: concatBytes(ranges.map(([o, l]) => (ensureRange(ctx.bytes, o, l), ctx.bytes.subarray(o, o + l)))) };
    verification = await verifySignerInfo(cms, si, { contentDigest: documentDigest, ...content, extraCertificates: ctx.intermediates });
  }
  // Without signed attributes there is no message-digest attribute: the signature over the bytes vouches for them.
  report.integrity.digest = verification.messageDigestValid ?? (si.signedAttributes ? null : verification.signatureValid);
  if (subFilter === 'adbe.pkcs7.sha1') report.integrity.digest = report.integrity.digest !== false && sha1Matches;
  report.integrity.signatureValue = verification.signatureValid;
  report.integrity.signingCertificate = verification.signingCertificateAttributeMatches === undefined ? 'absent' : verification.signingCertificateAttributeMatches ? 'match' : 'mismatch';
  const problemCodes = new Set(verification.problems.map((p) => p.code));
  if (verification.messageDigestValid === false) fail('HASH_FAILURE', 'the signed bytes do not match the message digest: the document was altered');
  if (!verification.signatureValid) {
    if (problemCodes.has('unsupported-algorithm')) doubt('CRYPTO_CONSTRAINTS_FAILURE', verification.problems.find((p) => p.code === 'unsupported-algorithm')!.message);
    else if (problemCodes.has('signer-certificate-not-found')) doubt('NO_SIGNING_CERTIFICATE_FOUND', 'the signer certificate is not in the signature');
    else fail('SIG_CRYPTO_FAILURE', `the signature value does not verify${verification.problems.length ? `: ${verification.problems.map((p) => p.message).join('; ')}` : ''}`);
  }
  if (verification.signingCertificateAttributeMatches === false) fail('SIG_CONSTRAINTS_FAILURE', 'the signing-certificate attribute names another certificate');
  if (subFilter === 'ETSI.CAdES.detached' && verification.signingCertificateAttributeMatches === undefined) report.warnings.push('PAdES requires the signing-certificate-v2 attribute; it is absent');
  for (const p of verification.problems) if (p.code === 'nonstandard-algorithm-identifier' || p.code === 'duplicate-attribute') report.warnings.push(p.message);
  if (!verification.signerCertificate) return;

  const cert = await parseCertificate(verification.signerCertificate);
  report.signer = {
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    ...(cert.keyUsage && { keyUsage: cert.keyUsage }),
    publicKey: cert.publicKey,
    fingerprintSha256: cert.fingerprintSha256,
  };
  if (hash === 'SHA-1' || si.signatureAlgorithm?.hash === 'SHA-1') constrain(report, ctx.policy.sha1, doubt, 'SHA-1 is used, which the validation policy does not accept');
  if (cert.publicKey.type === 'RSA' && cert.publicKey.bits < ctx.policy.minRsaBits) constrain(report, ctx.policy.weakKey, doubt, `an RSA key of ${cert.publicKey.bits} bits is below the policy's ${ctx.policy.minRsaBits}`);

  // signature timestamps: proof that the signature existed at genTime
  let poe: Date | undefined;
  for (const der of si.signatureTimeStampTokens) {
    const ts = await checkToken(der, { data: si.signature }, 'signature-timestamp', [...cms.certificates, ...ctx.intermediates]);
    report.timestamps.push(ts.report);
    if (ts.report.valid && ts.genTime && (!poe || ts.genTime < poe)) poe = ts.genTime;
    if (!ts.report.valid) report.warnings.push(`a signature timestamp does not verify: ${ts.report.problems.join('; ')}`);
  }
  if (!report.claimedSigningTime && si.signingTime) {
    report.claimedSigningTime = si.signingTime.toISOString();
    report.claimedSigningTimeSource = 'signing-time';
  }
  const claimed: Date | undefined = report.claimedSigningTime ? new Date(report.claimedSigningTime) : undefined;
  if (claimed) {
    report.certificateValidAtClaimedTime = claimed >= cert.notBefore && claimed <= cert.notAfter;
    if (!report.certificateValidAtClaimedTime) report.warnings.push(`the claimed signing time ${claimed.toISOString()} is outside the certificate's validity`);
  }

  if (!ctx.trust) {
    doubt('NO_CERTIFICATE_CHAIN_FOUND', 'no trust anchors were given, so the signer cannot be trusted');
    return;
  }
  const intermediates = [...cms.certificates, ...ctx.intermediates, ...ctx.dss.certificates];
  const embedded = {
    ocsps: [...ctx.dss.ocsps, ...(si.adbeRevocationInfoArchival?.ocspResponses ?? []), ...cms.otherRevocation.map((o) => o.value)],
    crls: [...ctx.dss.crls, ...cms.crls, ...(si.adbeRevocationInfoArchival?.crls ?? [])],
  };
  const revocation = (c: Certificate, i: Certificate) => checkRevocation(c, i, { embedded, online: ctx.online, ...(ctx.fetch && { fetch: ctx.fetch }) });
  const path = (time: Date) => validateCertificatePath({ certificate: cert.der, intermediates, trust: ctx.trust!, time, revocation });
  let chain = await path(ctx.time);
  if ((chain.status === 'expired' || (chain.status === 'revoked' && chain.revokedAt! > poe!)) && poe) {
    const atPoe = await path(poe);
    if (atPoe.status === 'valid') {
      report.warnings.push(
        chain.status === 'expired'
          ? `the certificate has expired; a signature timestamp proves the signature existed at ${poe.toISOString()}, while it was valid`
          : `the certificate was revoked on ${chain.revokedAt!.toISOString()}, after the signature timestamp (${poe.toISOString()})`,
      );
      chain = atPoe;
    }
  }
  report.chain = chain;
  if (chain.status === 'revoked') {
    const proven = poe ?? undefined;
    if (proven && chain.revokedAt! <= proven) fail('REVOKED', `${chain.problems.join('; ')}, before the signature timestamp`);
    else if (!proven && claimed && chain.revokedAt! <= claimed) fail('REVOKED', `${chain.problems.join('; ')}, before the claimed signing time`);
    else doubt('REVOKED_NO_POE', `${chain.problems.join('; ')}; nothing proves the signature was made before`);
  } else if (chain.status !== 'valid') doubt(chain.subIndication ?? 'CERTIFICATE_CHAIN_GENERAL_FAILURE', chain.problems.join('; ') || `certificate path: ${chain.status}`);
  else if (chain.revocation?.some((r) => r.status === 'unavailable' || r.status === 'unknown')) {
    report.warnings.push(`revocation status not established: ${chain.revocation.filter((r) => r.status !== 'good').map((r) => `${r.subject}: ${r.problems[0] ?? r.status}`).join('; ')}`);
  }
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
    const laterDocTs = reports.some((d) => d.kind === 'document-timestamp' && d.integrity.digest && (d.revision ?? -1) > (r.revision ?? Infinity));
    const timed = r.timestamps.some((t) => t.valid) || laterDocTs;
    const embeddedRevocation = r.chain?.revocation?.length ? r.chain.revocation.every((x) => x.origin === 'embedded' && x.status === 'good') : false;
    r.level = !timed ? 'B-B' : !(hasDss && embeddedRevocation) ? 'B-T' : reports.some((d) => d.kind === 'document-timestamp' && d.integrity.digest && (d.revision ?? -1) >= lastDssRevision) ? 'B-LTA' : 'B-LT';
  }
}

function lastRevisionWithDss(ctx: Ctx): number {
  for (let i = ctx.revisions.length - 1; i >= 0; i--) {
    try {
      const r = PdfReader.open(ctx.bytes.subarray(0, ctx.revisions[i]!.end));
      if (!r.catalog().has('DSS')) return i + 1;
    } catch {
      return i + 1;
    }
  }
  return 0;
}

async function checkDocumentTimestamp(ctx: Ctx, report: PdfSignatureReport, token: Uint8Array, ranges: [number, number][], fail: Fail): Promise<void> {
  let parsed;
  try {
    parsed = parseTimestampToken(token);
  } catch (e) {
    report.integrity.format = false;
    fail('FORMAT_FAILURE', `the document timestamp is not a readable RFC 3161 token: ${(e as Error).message}`);
    return;
  }
  const hash = parsed.messageImprint.hash ?? digestFromOid(parsed.messageImprint.hashAlgorithmOid);
  if (!hash) {
    report.integrity.format = false;
    fail('FORMAT_FAILURE', 'the document timestamp uses an unknown digest');
    return;
  }
  report.digestAlgorithm = hash;
  const digest = await digestRanges(ctx.bytes, hash, ranges);
  const ts = await checkToken(token, { digest }, 'document-timestamp', ctx.intermediates);
  report.timestamps.push(ts.report);
  report.integrity.digest = bytesEqual(parsed.messageImprint.digest, digest);
  report.integrity.signatureValue = ts.signatureValid;
  if (!report.integrity.digest) fail('HASH_FAILURE', 'the document timestamp imprint does not match the signed bytes');
  else if (!ts.report.valid) fail('SIG_CRYPTO_FAILURE', `the document timestamp does not verify: ${ts.report.problems.join('; ')}`);
  if (ts.signerCertificate) {
    const cert = await parseCertificate(ts.signerCertificate);
    report.signer = { subject: cert.subject, issuer: cert.issuer, serialNumber: cert.serialNumber, notBefore: cert.notBefore, notAfter: cert.notAfter, publicKey: cert.publicKey, fingerprintSha256: cert.fingerprintSha256 };
    if (ctx.trust) {
      report.chain = await validateCertificatePath({ certificate: cert.der, intermediates: [...parsed.certificates, ...ctx.intermediates], trust: ctx.trust, time: parsed.genTime, purpose: 'timestamping' });
      if (report.chain.status !== 'valid' && report.indication === 'TOTAL_PASSED') {
        report.indication = 'INDETERMINATE';
        report.subIndication = report.chain.subIndication ?? 'CERTIFICATE_CHAIN_GENERAL_FAILURE';
        report.errors.push(report.chain.problems.join('; '));
      }
    } else if (report.indication === 'TOTAL_PASSED') {
      report.indication = 'INDETERMINATE';
      report.subIndication = 'NO_CERTIFICATE_CHAIN_FOUND';
      report.errors.push('no trust anchors were given, so the time-stamping authority cannot be trusted');
    }
  }
}

async function checkToken(
  der: Uint8Array,
  imprint: { data?: Uint8Array; digest?: Uint8Array },
  kind: TimestampReport['kind'],
  extraCertificates: Uint8Array[],
): Promise<{ report: TimestampReport; genTime?: Date; signatureValid: boolean; signerCertificate?: Uint8Array }> {
  try {
    const token = parseTimestampToken(der);
    const v = await verifyTimestampToken(token, { ...imprint, extraCertificates });
    return {
      report: { kind, genTime: token.genTime.toISOString(), ...(token.tsaName && { tsa: token.tsaName }), valid: v.valid, problems: v.problems.map((p) => p.message) },
      genTime: token.genTime,
      signatureValid: v.signature.signatureValid,
      ...(v.signerCertificate && { signerCertificate: v.signerCertificate }),
    };
  } catch (e) {
    return { report: { kind, valid: false, problems: [(e as Error).message] }, signatureValid: false };
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

/** Applies a policy constraint that is not met: `fail` lowers the indication, `warn` lists it, `ignore` drops it. */
function constrain(report: PdfSignatureReport, level: ConstraintLevel, doubt: Fail, message: string): void {
  if (level === 'fail') doubt('CRYPTO_CONSTRAINTS_FAILURE', message);
  else if (level === 'warn') report.warnings.push(message);
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
    const fields = (Array.isArray(list) ? list : []).map((f) => reader.resolve(f)).filter((f): f is PdfString => f instanceof PdfString).map((f) => decodeTextString(f));
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
