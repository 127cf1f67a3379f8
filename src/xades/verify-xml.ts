import type { DigestAlgorithm, SignatureAlgorithm } from '../core/algorithms.js';
import { bytesEqual, fromBase64, isBase64, toBase64 } from '../core/bytes.js';
import { KysoError, isKysoError } from '../core/errors.js';
import { worstIndication, type Indication, type SubIndication } from '../core/indication.js';
import { digest, digestAvailable } from '../crypto/digest.js';
import { digestFromUri, signatureFromUri, XADES_SIGNED_PROPERTIES_TYPE } from '../xml/algorithms.js';
import { C14N_URIS, c14nFromUri, canonicalize, type C14nMethod } from '../xml/c14n.js';
import {
  checkCertificateChain,
  xmlCertificateFacts,
  verifyWithCertificate,
  type XmlTrust,
} from '../xml/certificates.js';
import type { PublicKeyFacts } from '../pki/certificate-facts.js';
import { parseCertificate, splitCertificates } from '../pki/certificate.js';
// Until XML signature verification moves to xades/ (on top of xml/ and validation/, see design.md), it reaches
// up into the validation core here: the same context, findings, algorithm policy and signer model as PDF.
import {
  checkRevocationEstablished,
  createValidationContext,
  pathRevocationIfAsked,
  chainFinding,
  type ValidationContext,
  type ValidationOptions,
} from '../validation/context.js';
import { VerdictBuilder, type Finding, type FindingCode } from '../validation/findings.js';
import { checkAlgorithmPolicy, signerFactsOf } from '../validation/signer-check.js';
import { checkSignatureTimestamp } from '../validation/timestamp-check.js';
import { addPolicyFindings, documentPolicyFindings } from '../validation/document-policy.js';
import {
  DSIG_NS,
  XADES_NS,
  childElements,
  dsigChildren,
  elementPath,
  elementsInOrder,
  hasMarkupChildren,
  isElement,
  isWithin,
  parseXml,
  textOf,
  utf8,
  type ParsedXml,
} from '../xml/dom.js';
import {
  detectProfile,
  elementsAtPath,
  matchDocument,
  resolveProfile,
  splitSignedPath,
  type ProfileDefinition,
  type ProfileDocument,
  type ProfileRole,
  type ProfileName,
} from '../xml/profiles.js';
import {
  inclusivePrefixesOf,
  isSameDocumentUri,
  parseTransform,
  referenceOctets,
  resolveReferenceUri,
  transformUri,
  type EnvelopedRule,
  type ReferenceOutput,
  type ReferenceTarget,
  type ReferenceTransform,
} from '../xml/references.js';
import type { XmlLimits } from '../xml/scan.js';
import type {
  XmlBusinessElementReport,
  XmlReferenceReport,
  XmlSignatureReport,
  XmlSigningTime,
  XmlTimestampReport,
  XmlVerificationReport,
} from '../validation/reports.js';

/** Options of {@link verifyXml}. */
export interface VerifyXmlOptions extends ValidationOptions {
  /**
   * Trust anchors: a TrustStore, `'vn'` (the pinned Vietnamese bundle), or root certificates (DER or
   * PEM). Without them no signature is TOTAL_PASSED: the best is INDETERMINATE /
   * NO_CERTIFICATE_CHAIN_FOUND.
   */
  trust?: XmlTrust;
  /** Validation time for the certificate path. Default: now, from `clock`. */
  time?: Date;
  /** Profile whose placement and business-element rules apply. Default: `auto` (by root element). */
  profile?: ProfileName | ProfileDefinition | 'auto' | 'none';
  /** Accept SHA-1 digests and RSA-SHA1 (flagged all the same): `policy.allowSha1`. Default: false. */
  allowSha1?: boolean;
  /** Further certificates (DER or PEM): signing certificates for signatures without KeyInfo, intermediates. */
  certificates?: readonly (Uint8Array | string)[];
  /** Parser caps. */
  limits?: XmlLimits;
}

const MAX_REFERENCES = 32;
const MAX_TRANSFORMS = 4;
const MAX_CERTIFICATES = 16;
const MAX_SIGNATURES = 64;

class Failure extends Error {
  constructor(
    readonly indication: Exclude<Indication, 'TOTAL_PASSED'>,
    readonly subIndication: SubIndication,
    message: string,
    readonly code: FindingCode = CODE_OF[subIndication] ?? 'note',
  ) {
    super(message);
  }
}
const formatFailure = (message: string) => new Failure('TOTAL_FAILED', 'FORMAT_FAILURE', message);

/** The finding code of a failure, by its sub-indication (each is raised for one kind of problem here). */
const CODE_OF: Partial<Record<SubIndication, FindingCode>> = {
  FORMAT_FAILURE: 'format-invalid',
  HASH_FAILURE: 'digest-mismatch',
  SIG_CRYPTO_FAILURE: 'signature-invalid',
  NO_SIGNING_CERTIFICATE_FOUND: 'signer-certificate-not-found',
  SIGNED_DATA_NOT_FOUND: 'signed-data-not-found',
  SIG_CONSTRAINTS_FAILURE: 'signature-misplaced',
  CRYPTO_CONSTRAINTS_FAILURE: 'algorithm-unsupported',
};

interface ParsedReference {
  el: Element;
  uri: string;
  type?: string;
  transforms: ReferenceTransform[];
  digestMethod: string;
  hash?: DigestAlgorithm;
  digestValue: Uint8Array;
  target?: ReferenceTarget;
  /** Set when the digest matched: what the node-set left out under the rule that matched. */
  excluded?: Element[];
}

interface ParsedSignature {
  signedInfo: Element;
  c14n: { method: C14nMethod; inclusivePrefixes?: string[] };
  signatureMethod: string;
  algorithm?: SignatureAlgorithm;
  signatureValue: Uint8Array;
  references: ParsedReference[];
  certificates: Uint8Array[];
  /** Why KeyInfo certificates were left out (too large to be real). */
  skippedCertificates: string[];
}

/**
 * Verifies every XMLDSig `Signature` of a document (for e-invoices: each signature in `DSCKS`) and
 * reports, per signature, each reference with the element it resolved to and its digest, the
 * SignatureValue, the certificate and its chain, the signing time, the algorithm policy and whether the
 * profile's business element is exactly what was signed. Never throws on a bad document: an unreadable
 * or hostile one is TOTAL_FAILED / FORMAT_FAILURE.
 *
 * @example
 * ```ts
 * const report = await verifyXml(invoiceXml, { trust: [rootDer], profile: 'einvoice' });
 * if (report.indication === 'TOTAL_PASSED') {
 *   const dlhdon = report.signatures[0]!.references[0]!.signedXml; // read this, not the input
 * }
 * ```
 */
export async function verifyXml(
  xml: string | Uint8Array,
  options: VerifyXmlOptions = {},
): Promise<XmlVerificationReport> {
  if (typeof xml !== 'string' && !(xml instanceof Uint8Array)) {
    throw new KysoError('ERR_INVALID_ARGUMENT', 'verifyXml needs the XML as a string or Uint8Array');
  }
  let parsed: ParsedXml;
  try {
    parsed = parseXml(xml, options.limits);
  } catch (e) {
    if (!isKysoError(e)) throw e;
    return {
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
      signatures: [],
      errors: [e.message],
      errorCode: e.code,
      findings: formatFindings([e.message]),
    };
  }
  const root = parsed.doc.documentElement;
  const profile = pickProfile(options.profile ?? 'auto', root);
  const rule = profile && matchDocument(profile, root);
  const signatureEls = parsed.elements.filter((e) => isElement(e, DSIG_NS, 'Signature'));
  const report: XmlVerificationReport = { indication: 'TOTAL_PASSED', signatures: [], errors: [] };
  if (profile) report.profile = profile.name;
  if (profile && !rule) report.errors.push(`profile ${profile.name} does not describe <${root.tagName}> documents`);
  if (signatureEls.length === 0) report.errors.push('the document has no XMLDSig Signature');
  if (signatureEls.length > MAX_SIGNATURES) {
    report.errors.push(`more than ${MAX_SIGNATURES} signatures`);
    return {
      ...report,
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
      errorCode: 'ERR_XML_LIMIT',
      findings: formatFindings(report.errors),
    };
  }
  const validation = await createValidationContext(
    options.allowSha1 ? { ...options, policy: { ...options.policy, allowSha1: true } } : options,
  );
  // PEM given as bytes (a file read without an encoding) is PEM too, not DER
  const extra = [...(options.certificates ?? []).flatMap((c) => splitCertificates(c)), ...validation.intermediates];
  const context: VerifyContext = { rule: rule ?? undefined, validation, extra, signedElements: new Map() };
  for (const sig of signatureEls) report.signatures.push(await verifySignature(sig, parsed, context));
  if (!rule) warnUnsignedTwins(parsed, context.signedElements);
  const worst = worstOf(report.signatures);
  report.findings = formatFindings(report.errors);
  if (report.errors.length) {
    report.indication = 'TOTAL_FAILED';
    report.subIndication = 'FORMAT_FAILURE';
  } else if (worst) {
    report.indication = worst.indication;
    if (worst.subIndication) report.subIndication = worst.subIndication;
  }
  if (!report.errors.length) applyXmlPolicy(report, validation);
  return report;
}

/** Document-level errors (unreadable, no signature, no profile match) as findings: each a format failure. */
function formatFindings(errors: readonly string[]): Finding[] {
  return errors.map((message) => ({
    code: 'format-invalid',
    severity: 'error',
    indication: 'TOTAL_FAILED',
    subIndication: 'FORMAT_FAILURE',
    message,
  }));
}

/** The policy's document rules over the signatures of an XML document. */
function applyXmlPolicy(report: XmlVerificationReport, context: ValidationContext): void {
  const sigs = report.signatures;
  const last = sigs.at(-1);
  const findings = documentPolicyFindings(
    context.policy,
    context.time,
    sigs.map((s) => ({
      label: s.path,
      signer: s.signer,
      level: s.level,
      signedAt: s.timestamps?.find((t) => t.valid)?.genTime ?? (s.signingTime?.signed ? s.signingTime.time : undefined),
    })),
    // the whole document: a valid reference of the last signature resolves to the root element
    sigs.length === 0 ||
      !!last?.references.some((r) => r.digestValid && r.resolvedPath !== undefined && /^\/[^/]+$/.test(r.resolvedPath)),
  );
  addPolicyFindings(report as XmlVerificationReport & { findings: Finding[] }, findings);
}

/**
 * A fresh DOM of what a reference signed (its `signedXml`), parsed with the same safety rules as the
 * input: the way for an application to read signed content.
 */
export function parseSignedContent(signedXml: string): Document {
  return parseXml(signedXml).doc;
}

function pickProfile(option: NonNullable<VerifyXmlOptions['profile']>, root: Element): ProfileDefinition | undefined {
  if (option === 'none') return undefined;
  if (option === 'auto') return detectProfile(root);
  return resolveProfile(option);
}

/** The first signature with the worst indication. */
function worstOf(reports: readonly XmlSignatureReport[]): XmlSignatureReport | undefined {
  let worst: XmlSignatureReport | undefined;
  for (const r of reports) if (!worst || isWorse(r.indication, worst.indication)) worst = r;
  return worst;
}

function isWorse(a: Indication, b: Indication): boolean {
  return a !== b && worstIndication(a, b) === a;
}

/** What every signature of a document is verified against. */
interface VerifyContext {
  rule?: ProfileDocument;
  validation: ValidationContext;
  /** Candidate signing certificates and intermediates the caller gave. */
  extra: Uint8Array[];
  /** Without a profile: the elements each signature's valid references cover, for {@link warnUnsignedTwins}. */
  signedElements: Map<XmlSignatureReport, Element[]>;
}

/**
 * Without a profile nobody says which element an application reads. When a signed element has a namesake no
 * signature covers (an altered, Id-less copy of `DLHDon` placed before the signed one), an application that
 * reads by name may read the unsigned one: each signature says which of its elements has such a twin.
 */
function warnUnsignedTwins(parsed: ParsedXml, signedElements: Map<XmlSignatureReport, Element[]>): void {
  const covered = [...signedElements.values()].flat();
  for (const [report, elements] of signedElements) {
    for (const el of elements) {
      const twins = parsed.elements.filter(
        (o) =>
          o !== el &&
          o.localName === el.localName &&
          o.namespaceURI === el.namespaceURI &&
          !covered.some((c) => isWithin(o, c)),
      );
      if (!twins.length) continue;
      // after the signature's verdict: the warning goes into its findings and its warnings alike
      const message = `the signed ${elementPath(el)} has ${twins.length} unsigned namesake${twins.length === 1 ? '' : 's'} (${twins.slice(0, 3).map(elementPath).join(', ')}): an application that reads <${el.localName}> by name may read unsigned data`;
      report.findings.push({ code: 'unsigned-namesake', severity: 'warning', message });
      report.warnings.push(message);
    }
  }
}

async function verifySignature(sig: Element, parsed: ParsedXml, ctx: VerifyContext): Promise<XmlSignatureReport> {
  const report: XmlSignatureReport = {
    path: elementPath(sig),
    indication: 'TOTAL_PASSED',
    errors: [],
    warnings: [],
    integrity: false,
    references: [],
    signatureValue: 'not-checked',
    keyInfoCertificates: 0,
    chain: { status: 'not-checked' },
    algorithms: { sha1: false, accepted: true },
    findings: [],
  };
  if (sig.hasAttribute('Id')) report.id = sig.getAttribute('Id')!;
  const v = new VerdictBuilder();
  await checkSignature(sig, parsed, ctx, report, v);
  Object.assign(report, v.verdict());
  return report;
}

async function checkSignature(
  sig: Element,
  parsed: ParsedXml,
  ctx: VerifyContext,
  report: XmlSignatureReport,
  v: VerdictBuilder,
): Promise<void> {
  const fail = (f: Failure) =>
    f.indication === 'TOTAL_FAILED'
      ? v.fail(f.code, f.subIndication, f.message)
      : v.doubt(f.code, f.subIndication, f.message);
  let s: ParsedSignature;
  try {
    s = readSignature(sig);
  } catch (e) {
    fail(e instanceof Failure ? e : formatFailure(isKysoError(e) ? e.message : String(e)));
    return;
  }
  report.canonicalizationMethod = C14N_URIS[s.c14n.method];
  report.signatureMethod = s.signatureMethod;
  report.keyInfoCertificates = s.certificates.length;
  for (const why of s.skippedCertificates) v.warn('note', `a KeyInfo certificate was left out: ${why}`);
  if (s.algorithm) report.signatureAlgorithm = s.algorithm;

  // References: each resolved by Id with duplicates refused, digested by the spec rule and, for an
  // enveloped-signature reference to something inside this Signature, by the .NET rule too.
  let digestsOk = true;
  for (const ref of s.references) {
    const r: XmlReferenceReport = {
      uri: ref.uri,
      transforms: ref.transforms.map(transformUri),
      digestMethod: ref.digestMethod,
      digestValid: false,
    };
    if (ref.type) r.type = ref.type;
    report.references.push(r);
    try {
      if (!ref.hash) throw formatFailure(`digest method ${ref.digestMethod} is not supported`);
      if (!digestAvailable(ref.hash))
        throw new Failure(
          'INDETERMINATE',
          'CRYPTO_CONSTRAINTS_FAILURE',
          `${ref.hash} cannot be computed here: this environment's WebCrypto has no SHA-3 (kyso on Node verifies it)`,
        );
      ref.target = resolveTarget(ref.uri, parsed);
      r.resolvedPath = elementPath(ref.target.element);
      const rules: EnvelopedRule[] = ['spec'];
      if (ref.transforms.some((t) => t.kind === 'enveloped-signature') && isWithin(ref.target.element, sig))
        rules.push('dotnet');
      for (const rule of rules) {
        const out = canonicalOctets(ref.target, ref.transforms, sig, rule);
        if (bytesEqual(await digest(ref.hash, out.octets), ref.digestValue)) {
          r.digestValid = true;
          r.rule = rule;
          ref.excluded = out.excluded;
          if (out.xml !== undefined) r.signedXml = out.xml;
          else r.signedData = toBase64(out.octets);
          break;
        }
      }
      if (!r.digestValid)
        throw new Failure(
          'TOTAL_FAILED',
          'HASH_FAILURE',
          `the digest of Reference ${describeUri(ref.uri)} does not match`,
        );
      if (r.rule === 'dotnet')
        v.warn(
          'reference-dotnet-rule',
          `Reference ${describeUri(ref.uri)} matched only the .NET SignedXml reading of enveloped-signature`,
        );
      const comments = r.signedXml?.includes('<!--') ? 0 : commentsWithin(ref.target.element, ref.excluded ?? []);
      if (comments)
        v.warn(
          'unsigned-comments',
          `the signed ${r.resolvedPath} holds ${comments} comment${comments === 1 ? '' : 's'} the signature does not cover: an application that stops reading text at a comment reads less than was signed`,
        );
    } catch (e) {
      digestsOk = false;
      const f = e instanceof Failure ? e : formatFailure(isKysoError(e) ? e.message : String(e));
      r.error = f.message;
      fail(f);
    }
  }

  // SignatureValue: the key of whichever offered certificate verifies it is the signer's.
  let signedInfoOctets: Uint8Array;
  try {
    signedInfoOctets = utf8(canonicalize(s.signedInfo, s.c14n.method, { inclusivePrefixes: s.c14n.inclusivePrefixes }));
  } catch (e) {
    fail(formatFailure(isKysoError(e) ? e.message : String(e)));
    return;
  }
  const candidates = [...s.certificates, ...ctx.extra];
  let signer: Uint8Array | undefined;
  if (!s.algorithm) {
    fail(
      new Failure(
        'INDETERMINATE',
        'CRYPTO_CONSTRAINTS_FAILURE',
        `signature method ${s.signatureMethod} is not supported`,
        'algorithm-unsupported',
      ),
    );
  } else if (candidates.length === 0) {
    fail(
      new Failure('INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND', 'no certificate in KeyInfo/X509Data and none given'),
    );
  } else {
    for (const cert of candidates) {
      if (await verifyWithCertificate(cert, signedInfoOctets, s.signatureValue, s.algorithm)) {
        signer = cert;
        break;
      }
    }
    report.signatureValue = signer ? 'valid' : 'invalid';
    if (!signer)
      fail(
        new Failure(
          'TOTAL_FAILED',
          'SIG_CRYPTO_FAILURE',
          'the SignatureValue does not verify with any offered certificate',
        ),
      );
  }
  report.integrity = digestsOk && !!signer;
  let signerKey: PublicKeyFacts | undefined;
  if (signer) {
    try {
      const cert = await parseCertificate(signer);
      signerKey = cert.facts.key;
      report.certificate = xmlCertificateFacts(cert);
      report.signer = signerFactsOf(cert);
    } catch (e) {
      v.warn('note', `the signing certificate cannot be described: ${(e as Error).message}`);
    }
  }

  const signedRefs = s.references.filter((r) => r.excluded !== undefined);
  report.signingTime = findSigningTime(sig, signedRefs);
  if (report.signingTime && !report.signingTime.signed)
    v.warn('signing-time-unsigned', 'the SigningTime is not covered by the signature');
  if (report.certificate && report.signingTime?.time && report.signingTime.signed) {
    const t = report.signingTime.time;
    report.validAtSigningTime = t >= report.certificate.notBefore && t <= report.certificate.notAfter;
    if (!report.validAtSigningTime)
      v.warn('claimed-time-outside-validity', 'the signing time lies outside the certificate validity period');
  }
  if (signer) await checkXades(sig, signedRefs, report, signer, fail);
  await checkTimestamps(sig, report, v, ctx.validation);
  report.level = report.timestamps?.some((t) => t.valid) ? 'B-T' : 'B-B';

  // Profile: the signature's place gives its role, and the role's business element must be exactly
  // the element a valid reference resolved to.
  if (ctx.rule) checkProfile(sig, parsed, ctx.rule, s, report, fail, v);
  else
    ctx.signedElements.set(
      report,
      s.references.flatMap((r) => (r.excluded !== undefined && r.target?.kind === 'element' ? [r.target.element] : [])),
    );

  // Algorithm policy: the same rules as for CMS signers (digests, RSA/EC key size).
  const policy = ctx.validation.policy;
  const sha1 = s.algorithm?.hash === 'SHA-1' || s.references.some((r) => r.hash === 'SHA-1');
  report.algorithms = { sha1, accepted: !sha1 || policy.sha1 !== 'fail' };
  v.add(
    ...checkAlgorithmPolicy(
      { hashes: [s.algorithm?.hash, ...s.references.map((r) => r.hash)], key: signerKey },
      policy,
    ),
  );
  if (sha1 && policy.sha1 === 'ignore') v.warn('hash-weak', 'SHA-1 accepted by policy (allowSha1)');

  // Trust.
  if (signer) {
    const revocation = pathRevocationIfAsked(ctx.validation);
    const { chain, path } = await checkCertificateChain(
      signer,
      candidates,
      ctx.validation.trust,
      ctx.validation.time,
      revocation,
    );
    report.chain = chain;
    for (const note of chain.notes ?? []) v.warn('algorithm-accepted-by-date', note);
    if (chain.status !== 'valid') {
      fail(
        new Failure(
          'INDETERMINATE',
          chain.subIndication ?? 'NO_CERTIFICATE_CHAIN_FOUND',
          chain.detail ?? 'the certificate chain was not validated',
          path ? chainFinding(path) : 'chain-invalid',
        ),
      );
    }
    if (path) checkRevocationEstablished(path, v);
  }
}

function resolveTarget(uri: string, parsed: ParsedXml): ReferenceTarget {
  if (!isSameDocumentUri(uri)) {
    throw new Failure(
      'INDETERMINATE',
      'SIGNED_DATA_NOT_FOUND',
      `Reference URI ${uri} points outside the document (detached references are not supported)`,
    );
  }
  try {
    return resolveReferenceUri(uri, parsed.doc, parsed.elements);
  } catch (e) {
    if (isKysoError(e, 'ERR_XML_PROFILE')) throw new Failure('INDETERMINATE', 'SIGNED_DATA_NOT_FOUND', e.message);
    throw e;
  }
}

function canonicalOctets(
  target: ReferenceTarget,
  transforms: readonly ReferenceTransform[],
  sig: Element,
  rule: EnvelopedRule,
): ReferenceOutput {
  try {
    return referenceOctets(target, transforms, sig, rule);
  } catch (e) {
    if (isKysoError(e)) throw formatFailure(e.message);
    throw e;
  }
}

function describeUri(uri: string): string {
  return uri === '' ? 'URI=""' : uri;
}

/** Reads a Signature strictly: XMLDSig's element order, no stray elements, capped counts. */
function readSignature(sig: Element): ParsedSignature {
  const kids = childElements(sig);
  let i = 0;
  const next = (local: string, optional = false): Element | undefined => {
    const k = kids[i];
    if (k && isElement(k, DSIG_NS, local)) {
      i++;
      return k;
    }
    if (!optional) throw formatFailure(`Signature: ${local} expected${k ? `, found ${(k as Element).tagName}` : ''}`);
    return undefined;
  };
  const signedInfo = next('SignedInfo')!;
  const signatureValueEl = next('SignatureValue')!;
  const keyInfo = next('KeyInfo', true);
  while (i < kids.length) if (!next('Object', true)) throw formatFailure(`Signature: unexpected ${kids[i]!.tagName}`);

  const si = childElements(signedInfo);
  const [cm, sm, ...refEls] = si;
  if (!isElement(cm, DSIG_NS, 'CanonicalizationMethod'))
    throw formatFailure('SignedInfo: CanonicalizationMethod expected first');
  if (!isElement(sm, DSIG_NS, 'SignatureMethod')) throw formatFailure('SignedInfo: SignatureMethod expected second');
  if (refEls.length === 0) throw formatFailure('SignedInfo has no Reference');
  if (refEls.length > MAX_REFERENCES) throw formatFailure(`more than ${MAX_REFERENCES} references`);
  const method = c14nFromUri(cm.getAttribute('Algorithm') ?? '');
  if (!method) throw formatFailure(`canonicalization method ${cm.getAttribute('Algorithm')} is not supported`);
  const inclusivePrefixes = inclusivePrefixesOf(cm);
  if (childElements(sm).length) throw formatFailure('SignatureMethod parameters (HMACOutputLength…) are not supported');
  const signatureMethod = sm.getAttribute('Algorithm') ?? '';

  const references = refEls.map((el): ParsedReference => {
    if (!isElement(el, DSIG_NS, 'Reference')) throw formatFailure(`SignedInfo: unexpected ${(el as Element).tagName}`);
    if (!el.hasAttribute('URI')) throw formatFailure('a Reference without URI is not supported');
    const parts = childElements(el);
    let j = 0;
    const transformsEl = isElement(parts[j], DSIG_NS, 'Transforms') ? parts[j++] : undefined;
    const dm = parts[j++];
    const dv = parts[j++];
    if (!isElement(dm, DSIG_NS, 'DigestMethod') || !isElement(dv, DSIG_NS, 'DigestValue') || j !== parts.length) {
      throw formatFailure('Reference: Transforms?, DigestMethod, DigestValue expected');
    }
    const tEls = transformsEl ? childElements(transformsEl) : [];
    if (tEls.length > MAX_TRANSFORMS) throw formatFailure(`more than ${MAX_TRANSFORMS} transforms in a Reference`);
    const transforms = tEls.map((t) => {
      if (!isElement(t, DSIG_NS, 'Transform')) throw formatFailure(`Transforms: unexpected ${(t as Element).tagName}`);
      try {
        return parseTransform(t);
      } catch (e) {
        throw formatFailure((e as Error).message);
      }
    });
    const digestMethod = dm.getAttribute('Algorithm') ?? '';
    const ref: ParsedReference = {
      el,
      uri: el.getAttribute('URI') ?? '',
      transforms,
      digestMethod,
      digestValue: base64Value(dv, 'DigestValue'),
    };
    const hash = digestFromUri(digestMethod);
    if (hash) ref.hash = hash;
    if (el.hasAttribute('Type')) ref.type = el.getAttribute('Type')!;
    return ref;
  });

  const certificates: Uint8Array[] = [];
  const skipped: string[] = [];
  if (keyInfo) {
    for (const x509Data of dsigChildren(keyInfo, 'X509Data')) {
      for (const c of dsigChildren(x509Data, 'X509Certificate')) {
        if (certificates.length >= MAX_CERTIFICATES)
          throw formatFailure(`more than ${MAX_CERTIFICATES} certificates in KeyInfo`);
        try {
          certificates.push(base64Value(c, 'X509Certificate'));
        } catch (e) {
          // an oversized certificate is no certificate anyone issued: left out, and said, like any unusable extra
          if (!(e instanceof ValueTooLarge)) throw e;
          skipped.push(e.message);
        }
      }
    }
  }
  const parsed: ParsedSignature = {
    signedInfo,
    c14n: inclusivePrefixes ? { method, inclusivePrefixes } : { method },
    signatureMethod,
    signatureValue: base64Value(signatureValueEl, 'SignatureValue'),
    references,
    certificates,
    skippedCertificates: skipped,
  };
  const algorithm = signatureFromUri(signatureMethod);
  if (algorithm) parsed.algorithm = algorithm;
  return parsed;
}

/**
 * A base64 value element: text only. A comment inside DigestValue is refused outright — a parser that
 * reads only the text before the comment would compare against a value the signer never wrote.
 */
function base64Value(el: Element, what: keyof typeof MAX_DECODED): Uint8Array {
  if (hasMarkupChildren(el)) throw formatFailure(`${what} contains markup or a comment`);
  const text = textOf(el).replace(/[ \t\r\n]+/g, '');
  if ((text.length / 4) * 3 > MAX_DECODED[what]) throw new ValueTooLarge(what, MAX_DECODED[what]);
  if (!isBase64(text)) throw formatFailure(`${what} is not base64`);
  return fromBase64(text);
}

/** Most bytes a base64 value of each kind decodes to: far beyond any real value, far below what hurts. */
const MAX_DECODED = {
  DigestValue: 1024,
  'CertDigest DigestValue': 1024,
  SignatureValue: 16 * 1024,
  X509Certificate: 256 * 1024,
  EncapsulatedTimeStamp: 1024 * 1024,
};

/** A base64 value past its {@link MAX_DECODED} limit (`ERR_XML_LIMIT` in the report's words). */
class ValueTooLarge extends Failure {
  constructor(what: string, max: number) {
    super('TOTAL_FAILED', 'FORMAT_FAILURE', `${what} is larger than ${max} bytes (ERR_XML_LIMIT)`, 'format-invalid');
  }
}

/** Comment nodes inside `el` and outside `excluded` (an enveloped Signature), counted without recursion. */
function commentsWithin(el: Element, excluded: readonly Node[]): number {
  let n = 0;
  const stack: Node[] = [el];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.nodeType === 8) n++;
    else if (node.nodeType === 1 && !excluded.includes(node))
      for (let c = node.firstChild; c; c = c.nextSibling) stack.push(c);
  }
  return n;
}

/** True when a reference whose digest matched covers `el` (inside its target, not left out). */
function covers(ref: ParsedReference, el: Element): boolean {
  return (
    !!ref.target && !!ref.excluded && isWithin(el, ref.target.element) && !ref.excluded.some((x) => isWithin(el, x))
  );
}

function findSigningTime(sig: Element, signedRefs: readonly ParsedReference[]): XmlSigningTime | undefined {
  const covered = (el: Element) => signedRefs.some((r) => covers(r, el));
  for (const obj of dsigChildren(sig, 'Object')) {
    for (const el of elementsInOrder(obj)) {
      if (el.localName !== 'SigningTime') continue;
      const parent = el.parentNode as Element | null;
      const source =
        parent?.localName === 'SignedSignatureProperties' && parent.namespaceURI === XADES_NS
          ? 'XAdES'
          : parent?.localName === 'SignatureProperty'
            ? 'SignatureProperty'
            : undefined;
      if (!source) continue;
      const value = textOf(el).trim();
      const out: XmlSigningTime = { value, source, signed: covered(el) };
      const time = parseXsdDateTime(value);
      if (time) out.time = time;
      return out;
    }
  }
  return undefined;
}

/** xsd:dateTime to an ISO instant; without a zone the value is Vietnam time. */
function parseXsdDateTime(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (!m) return undefined;
  const ms = Date.parse(m[1]! + (m[2] ?? '+07:00'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

async function checkXades(
  sig: Element,
  signedRefs: readonly ParsedReference[],
  report: XmlSignatureReport,
  signer: Uint8Array,
  fail: (f: Failure) => void,
): Promise<void> {
  const props = dsigChildren(sig, 'Object')
    .flatMap((o) => childElements(o))
    .filter((q) => isElement(q, XADES_NS, 'QualifyingProperties'))
    .flatMap((q) => childElements(q).filter((p) => isElement(p, XADES_NS, 'SignedProperties')));
  if (props.length === 0) return;
  if (props.length > 1) {
    fail(formatFailure('more than one XAdES SignedProperties'));
    return;
  }
  const sp = props[0]!;
  const signedPropertiesSigned = signedRefs.some(
    (r) => r.type === XADES_SIGNED_PROPERTIES_TYPE && r.target?.element === sp && covers(r, sp),
  );
  const certs = elementsInOrder(sp).filter((e) => e.namespaceURI === XADES_NS && e.localName === 'CertDigest');
  let signingCertificate: 'match' | 'mismatch' | 'absent' = certs.length ? 'mismatch' : 'absent';
  for (const cd of certs) {
    const dm = dsigChildren(cd, 'DigestMethod')[0];
    const dv = dsigChildren(cd, 'DigestValue')[0];
    const hash = dm && digestFromUri(dm.getAttribute('Algorithm') ?? '');
    if (!hash || !dv) continue;
    try {
      if (bytesEqual(await digest(hash, signer), base64Value(dv, 'CertDigest DigestValue')))
        signingCertificate = 'match';
    } catch {
      // a malformed digest names no certificate
    }
  }
  report.xades = { signedPropertiesSigned, signingCertificate };
  if (!signedPropertiesSigned)
    fail(formatFailure('the XAdES SignedProperties are not covered by a SignedProperties Reference'));
  else if (signingCertificate !== 'match') {
    fail(
      new Failure(
        'INDETERMINATE',
        'NO_SIGNING_CERTIFICATE_FOUND',
        `the XAdES SigningCertificate does not name the signing certificate (${signingCertificate})`,
      ),
    );
  }
}

const MAX_TIMESTAMPS = 4;

/**
 * XAdES SignatureTimeStamps: each token must time-stamp the canonical SignatureValue element, and pass the
 * context's algorithm policy to prove a time.
 */
async function checkTimestamps(
  sig: Element,
  report: XmlSignatureReport,
  v: VerdictBuilder,
  context: ValidationContext,
): Promise<void> {
  const stamps = dsigChildren(sig, 'Object')
    .flatMap((o) => childElements(o).filter((q) => isElement(q, XADES_NS, 'QualifyingProperties')))
    .flatMap((q) => childElements(q).filter((u) => isElement(u, XADES_NS, 'UnsignedProperties')))
    .flatMap((u) => childElements(u).filter((p) => isElement(p, XADES_NS, 'UnsignedSignatureProperties')))
    .flatMap((p) => childElements(p).filter((t) => isElement(t, XADES_NS, 'SignatureTimeStamp')))
    .slice(0, MAX_TIMESTAMPS);
  if (stamps.length === 0) return;
  const signatureValue = dsigChildren(sig, 'SignatureValue')[0]!;
  report.timestamps = [];
  for (const stamp of stamps) {
    let out: XmlTimestampReport;
    try {
      const cm = dsigChildren(stamp, 'CanonicalizationMethod')[0];
      const method = cm ? c14nFromUri(cm.getAttribute('Algorithm') ?? '') : 'c14n';
      if (!method) throw new Error(`canonicalization method ${cm!.getAttribute('Algorithm')} is not supported`);
      const encapsulated = childElements(stamp).find((e) => isElement(e, XADES_NS, 'EncapsulatedTimeStamp'));
      if (!encapsulated) throw new Error('no EncapsulatedTimeStamp');
      const data = utf8(
        canonicalize(signatureValue, method, { inclusivePrefixes: cm ? inclusivePrefixesOf(cm) : undefined }),
      );
      const {
        check: _check,
        findings,
        ...checked
      } = await checkSignatureTimestamp(base64Value(encapsulated, 'EncapsulatedTimeStamp'), {
        imprint: { data },
        extraCertificates: context.intermediates,
        policy: context.policy,
      });
      out = checked;
      v.add(...findings);
    } catch (e) {
      const problems = [e instanceof Error ? e.message : String(e)];
      out = { valid: false, problems };
      v.warn('timestamp-invalid', `a signature time-stamp does not verify: ${problems.join('; ')}`);
    }
    report.timestamps.push(out);
    if (out.valid && report.signingTime?.time && out.genTime && report.signingTime.time > out.genTime) {
      v.warn('timestamp-later-than-signing-time', 'the claimed signing time is later than the signature time-stamp');
    }
  }
}

function checkProfile(
  sig: Element,
  parsed: ParsedXml,
  rule: ProfileDocument,
  s: ParsedSignature,
  report: XmlSignatureReport,
  fail: (f: Failure) => void,
  v: VerdictBuilder,
): void {
  const root = parsed.doc.documentElement;
  const role = rule.roles.find((r) => elementsAtPath(root, r.signatureParent).includes(sig.parentNode as Element));
  if (!role) {
    fail(
      new Failure(
        'INDETERMINATE',
        'SIG_CONSTRAINTS_FAILURE',
        `the Signature is not in a place the profile signs into (${rule.roles.map((r) => r.signatureParent).join(', ')})`,
      ),
    );
    return;
  }
  report.role = role.name;
  checkRoleIdentity(
    role,
    rule,
    root,
    s.references.filter((r) => r.excluded !== undefined),
    report,
    fail,
    v,
  );
  const business = coverage(role.signs, root, s.references);
  report.businessElement = business;
  // an altered element is already a HASH_FAILURE: it is the right element, changed, not a missing one
  const notFound = (c: XmlBusinessElementReport) => !c.signed && !c.altered;
  if (notFound(business))
    fail(new Failure('INDETERMINATE', 'SIGNED_DATA_NOT_FOUND', `business element ${role.signs}: ${business.detail}`));
  for (const extra of role.alsoSigns ?? []) {
    const c = coverage(extra, root, s.references);
    if (notFound(c)) fail(new Failure('INDETERMINATE', 'SIGNED_DATA_NOT_FOUND', `${extra}: ${c.detail}`));
  }
  if (role.signingTimeObject && !report.signingTime?.signed)
    v.warn('signing-time-unsigned', `the profile expects a signed SigningTime for the ${role.name}`);
}

const ALTERED = 'the signature references it, but it changed after signing (digest mismatch)';

/**
 * The place gives a role; the signature must be that role's by what it references and by who signed it. An
 * element only another role signs (the tax authority's `MCCQT`) betrays that role; a certificate whose tax
 * code is another role's party (the seller's `MST` in the buyer's place) is that party's signature, moved.
 */
function checkRoleIdentity(
  role: ProfileRole,
  rule: ProfileDocument,
  root: Element,
  valid: readonly ParsedReference[],
  report: XmlSignatureReport,
  fail: (f: Failure) => void,
  v: VerdictBuilder,
): void {
  const own = new Set([role.signs, ...(role.alsoSigns ?? [])]);
  for (const other of rule.roles) {
    for (const spec of other.alsoSigns ?? []) {
      if (own.has(spec)) continue;
      const els = elementsAtPath(root, splitSignedPath(spec).path);
      if (valid.some((r) => r.target?.kind === 'element' && els.includes(r.target.element))) {
        fail(
          new Failure(
            'TOTAL_FAILED',
            'SIG_CONSTRAINTS_FAILURE',
            `the Signature in the ${role.name}'s place signs ${spec}, which only the ${other.name} signs`,
            'signature-misplaced',
          ),
        );
      }
    }
  }
  const mst = report.certificate?.mst;
  if (!mst) return;
  const partyOf = (r: ProfileRole) => {
    const els = r.partyTaxCode ? elementsAtPath(root, r.partyTaxCode) : [];
    return els.length === 1 ? textOf(els[0]!).trim() : undefined;
  };
  const mine = partyOf(role);
  if (mine === mst) return;
  const owner = rule.roles.find((r) => r !== role && partyOf(r) === mst);
  if (owner) {
    fail(
      new Failure(
        'TOTAL_FAILED',
        'SIG_CONSTRAINTS_FAILURE',
        `the Signature sits in the ${role.name}'s place (${role.signatureParent}) but its certificate is the ${owner.name}'s (MST ${mst} = ${owner.partyTaxCode})`,
        'signature-misplaced',
      ),
    );
  } else if (mine !== undefined) {
    v.warn(
      'signature-misplaced',
      `the signing certificate's tax code (MST ${mst}) is not the ${role.name}'s (${role.partyTaxCode} = ${mine || 'empty'})`,
    );
  }
}

/**
 * Whether exactly the element an application reads at `spec` is what a valid reference covers: a reference to
 * it, or a whole-document one (`URI=""`, the enveloped transform taking out only the signature) that leaves it in.
 */
function coverage(spec: string, root: Element, references: readonly ParsedReference[]): XmlBusinessElementReport {
  const valid = references.filter((r) => r.excluded !== undefined);
  if (spec === 'document') {
    const signed = valid.some((r) => r.target?.kind === 'document' && covers(r, root));
    return signed
      ? { rule: spec, path: elementPath(root), signed }
      : { rule: spec, path: elementPath(root), signed, detail: 'no valid URI="" reference' };
  }
  const { path } = splitSignedPath(spec);
  const found = elementsAtPath(root, path);
  if (found.length !== 1)
    return {
      rule: path,
      signed: false,
      detail: `${found.length} <${path}> elements where the application reads exactly one`,
    };
  const el = found[0]!;
  const signed = valid.some(
    (r) =>
      (r.target?.kind === 'document' || (r.target?.kind === 'element' && r.target.element === el)) && covers(r, el),
  );
  if (signed) return { rule: path, path: elementPath(el), signed };
  const altered = references.some(
    (r) => r.excluded === undefined && r.target?.kind === 'element' && r.target.element === el,
  );
  return altered
    ? { rule: path, path: elementPath(el), signed, detail: ALTERED, altered }
    : {
        rule: path,
        path: elementPath(el),
        signed,
        detail: 'the element an application reads is not the one the signature references',
      };
}
