import type { SubIndication } from '../core/indication.js';
import { bytesEqual } from '../core/bytes.js';
import { LruCache } from '../core/lru.js';
import { signatureFromOid, type SignatureAlgorithm } from '../core/algorithms.js';
import { readChildren, readOid, readTlv } from '../core/der.js';
import { OID } from '../core/oids.js';
import { parseCertificate, type Certificate, type CertificateInfo } from './certificate.js';
import { verifyWithCertificate } from './public-key.js';
import { isAnchor, type TrustStore } from './trust-store.js';
import type { RevocationCheck, RevocationData } from './revocation.js';
import { comparableName, comparableSubject } from './path/names.js';
import { processPath } from './path/process-path.js';
import type { PolicyInputs } from './path/policies.js';
import { DSA_SIGNATURES, isDsaKey, verifyDsa } from './path/dsa.js';
import { checkPathRevocation, type RevocationMode } from './path/path-revocation.js';

export type { RevocationMode } from './path/path-revocation.js';
import { judgeCertificateSignatures, signatureAcceptableByDate } from './algorithm-dates.js';
import { diagnoseNoChain, type MissingIssuer } from './missing-issuer.js';
import { algorithmName, signedStructureAlgorithm, type RevocationSignatureCheck } from './revocation-signature.js';

/** What the certificate is used for; decides the key usage and extended key usage required of the leaf. */
export type CertificatePurpose = 'signing' | 'timestamping' | 'any';

/** The signature algorithm of one certificate of a path, as {@link PathValidationOptions.signatureAlgorithmAcceptable} sees it. */
export interface CertificateSignatureAlgorithm {
  /** The signatureAlgorithm OID. */
  oid: string;
  /** The scheme and hash, when kyso knows the OID. */
  scheme?: SignatureAlgorithm['scheme'];
  hash?: SignatureAlgorithm['hash'];
}

/** Options of {@link validateCertificatePath}. */
export interface PathValidationOptions extends PolicyInputs {
  /** The end-entity certificate (DER). */
  certificate: Uint8Array;
  /** Candidate intermediates: from the signature (CMS, KeyInfo) and from the caller. */
  intermediates?: readonly Uint8Array[];
  /** Trust anchors. */
  trust: TrustStore;
  /** The validation time: every certificate of the path must be valid then, and revocation data must speak for it. */
  time: Date;
  /** Default: `signing` (digitalSignature or nonRepudiation on the leaf). */
  purpose?: CertificatePurpose;
  /**
   * Revocation check of each certificate of the path but the anchor, by the caller (e.g. with online
   * fetching); given the validation time. When set, it replaces the check of `revocationData`.
   */
  revocation?: (certificate: Certificate, issuer: Certificate, at: { time: Date }) => Promise<RevocationCheck>;
  /**
   * OCSP responses and CRLs to check the path against (RFC 5280 §6.3: CRL scope, issuer and its own path,
   * cRLSign, freshness at `time`, critical extensions, delta CRLs). Default: none.
   */
  revocationData?: RevocationData;
  /**
   * `check-if-available` (default): a certificate found revoked fails the path, missing data is only
   * reported; `require`: missing or stale data makes the path INDETERMINATE (TRY_LATER /
   * REVOCATION_OUT_OF_BOUNDS_NO_POE); `off`: not checked.
   */
  revocationMode?: RevocationMode;
  /**
   * The caller's algorithm policy over the OCSP responses and CRLs of `revocationData` (and the CRLs of CRL
   * signers' own paths): a refused one establishes no status. Default: every algorithm the platform verifies.
   * A `revocation` callback applies its own.
   */
  revocationSignatureAcceptable?: RevocationSignatureCheck;
  /**
   * Consulted for the signature of each certificate of the path (the anchor's excluded): `true` to accept,
   * `false` or a reason to refuse (CRYPTO_CONSTRAINTS_FAILURE). Default: by date
   * ({@link signatureAcceptableByDate}: SHA-1 when the certificate was issued before SHA-1's cutoff).
   */
  signatureAlgorithmAcceptable?: (
    algorithm: CertificateSignatureAlgorithm,
    certificate: Certificate,
    time: Date,
  ) => boolean | string;
}

/** The revocation status of one certificate of a path, as reported. */
export interface PathRevocation {
  subject: string;
  status: RevocationCheck['status'];
  source?: RevocationCheck['source'];
  origin?: RevocationCheck['origin'];
  revocationTime?: Date;
  problems: string[];
  /** Revocation data about it that the caller's algorithm policy refused, and why (also in `problems`). */
  refused?: string[];
}

/** Outcome of {@link validateCertificatePath}; JSON-serialisable. */
export interface PathValidationResult {
  status:
    | 'valid'
    | 'no-chain'
    | 'expired'
    | 'not-yet-valid'
    | 'signature-invalid'
    | 'not-ca'
    | 'key-usage'
    | 'revoked'
    /** Name constraints, certificate policies or an unknown critical extension (RFC 5280 §6.1). */
    | 'constraints'
    /** A signature algorithm the platform cannot verify or the caller refuses. */
    | 'algorithm'
    /** Revocation is required and could not be established. */
    | 'revocation-unknown';
  /** The ETSI EN 319 102-1 sub-indication for a status other than `valid`. */
  subIndication?: SubIndication;
  /** The path found, leaf first, anchor last (as far as it was built). */
  chain: Pick<
    CertificateInfo,
    'subject' | 'issuer' | 'serialNumber' | 'notBefore' | 'notAfter' | 'fingerprintSha256'
  >[];
  /** What is wrong, for people. */
  problems: string[];
  /** Revocation status of each certificate of the path (leaf first), when checked. */
  revocation?: PathRevocation[];
  /** When the first revoked certificate of the path was revoked. */
  revokedAt?: Date;
  /**
   * The policies of a valid path (RFC 5280 §6.1.6: the valid_policy_tree's nodes at the end entity, so in the
   * end entity's policy domain, after mappings; `2.5.29.32.0` is anyPolicy; empty when no policy holds).
   */
  validPolicies?: string[];
  /** For `no-chain`: the issuer no certificate at hand could stand for, and where it may be fetched (AIA). */
  missingIssuer?: MissingIssuer;
  /** Rules that made the path acceptable and the reader should know of (an old algorithm accepted by date). */
  notes?: string[];
}

const MAX_PATH = 10;
const MAX_NESTING = 4;

/** Internal options: the state shared with the validation of CRL signers' own paths. */
interface Run extends PathValidationOptions {
  pool: Certificate[];
  nesting: number;
  /** Certificates whose path is being validated up the call stack (CRL signers), not to be used again. */
  visiting: Set<string>;
}

/**
 * Builds a path from `certificate` to one of the trust anchors (issuer names compared as RFC 5280 §7.1 says,
 * then key identifiers; several candidates tried) and validates it at `time` as RFC 5280 §6.1 does: each
 * link's signature (WebCrypto), validity, basic constraints and path length, key usage, critical extensions,
 * name constraints, certificate policies; then revocation (§6.3) as `revocationMode` says, and the leaf's
 * key usage for the purpose. Reads neither the clock nor the network.
 *
 * @example
 * ```ts
 * const r = await validateCertificatePath({ certificate: der, trust, time: signingTime, revocationData: { crls, ocsps: [] } });
 * if (r.status !== 'valid') console.log(r.subIndication, r.problems);
 * ```
 */
export async function validateCertificatePath(options: PathValidationOptions): Promise<PathValidationResult> {
  const pool: Certificate[] = [];
  for (const der of options.intermediates ?? []) {
    try {
      const c = await parseCertificate(der);
      if (!pool.some((p) => bytesEqual(p.der, c.der))) pool.push(c);
    } catch {
      // an undecodable extra certificate cannot be part of a path
    }
  }
  const leaf = await parseCertificate(options.certificate);
  const known = [...pool, ...(options.trust.intermediates ?? [])];
  const fetched = (await options.trust.issuerSource?.complete(leaf, known)) ?? [];
  return validate(leaf, { ...options, pool: [...known, ...fetched], nesting: 0, visiting: new Set() });
}

async function validate(leaf: Certificate, run: Run): Promise<PathValidationResult> {
  const candidates = [...run.trust.anchors, ...run.pool].filter((c) => !run.visiting.has(c.fingerprintSha256));
  let best: { path: Certificate[]; failure: PathValidationResult } | undefined;

  const extend = async (path: Certificate[]): Promise<PathValidationResult | undefined> => {
    const current = path[path.length - 1]!;
    if (isAnchor(run.trust, current)) return checkCandidate(path, run);
    if (path.length >= MAX_PATH) return undefined;
    const wanted = comparableName(current.issuerDer);
    const issuers = candidates.filter(
      (c) => !path.includes(c) && comparableSubject(c) === wanted && keyIdsAgree(current, c),
    );
    for (const issuer of issuers) {
      const signature = await checkLink(current, issuer, candidates);
      if (signature !== 'valid') {
        const f =
          signature === 'invalid'
            ? failure(
                path,
                'signature-invalid',
                'CERTIFICATE_CHAIN_GENERAL_FAILURE',
                `the signature on "${current.subject.display}" does not verify with "${issuer.subject.display}"`,
              )
            : failure(
                path,
                'algorithm',
                'CRYPTO_CONSTRAINTS_FAILURE',
                `the signature on "${current.subject.display}" cannot be verified here: ${signature.unsupported}`,
              );
        best ??= { path, failure: f };
        continue;
      }
      const refused = algorithmRefused(current, run);
      if (refused) {
        best ??= { path, failure: failure(path, 'algorithm', 'CRYPTO_CONSTRAINTS_FAILURE', refused) };
        continue;
      }
      const result = await extend([...path, issuer]);
      if (result?.status === 'valid') return result;
      if (result && (!best || path.length + 1 >= best.path.length)) best = { path: [...path, issuer], failure: result };
    }
    return undefined;
  };

  const found = await extend([leaf]);
  if (found) return found;
  if (best) return best.failure;
  const diagnosis = diagnoseNoChain(leaf, candidates, run.trust);
  return {
    ...failure([leaf], 'no-chain', 'NO_CERTIFICATE_CHAIN_FOUND', diagnosis.problem),
    ...(diagnosis.missingIssuer && { missingIssuer: diagnosis.missingIssuer }),
  };
}

/**
 * What the signature of `child` says checked with `issuer`'s key: bytes and key alone decide it, so the answer is
 * kept (bounded) for the next document signed under the same CA — whatever its trust, time or policy, which
 * the path checks apply afresh. A DSA key that inherits its parameters is checked each time.
 */
const links = new LruCache<string, Promise<Awaited<ReturnType<typeof checkSignedStructure>>>>(4096);

function checkLink(child: Certificate, issuer: Certificate, candidates: readonly Certificate[]) {
  if (isDsaKey(issuer)) {
    const from = candidates.filter((c) => comparableSubject(c) === comparableName(issuer.issuerDer));
    return checkSignedStructure(child.der, issuer, from);
  }
  return links.getOrSet(`${child.fingerprintSha256}<${issuer.fingerprintSha256}`, () =>
    checkSignedStructure(child.der, issuer),
  );
}

function algorithmRefused(cert: Certificate, run: Run): string | undefined {
  const algorithm = signedStructureAlgorithm(cert.der);
  const verdict = run.signatureAlgorithmAcceptable
    ? run.signatureAlgorithmAcceptable(algorithm, cert, run.time)
    : signatureAcceptableByDate(cert);
  if (verdict === true) return undefined;
  return `the signature algorithm of "${cert.subject.display}" (${algorithmName(algorithm)}) is not accepted${typeof verdict === 'string' ? `: ${verdict}` : ''}`;
}

async function checkCandidate(path: Certificate[], run: Run): Promise<PathValidationResult> {
  let processed;
  try {
    processed = processPath(path, run.time, run);
  } catch (cause) {
    // a malformed extension value (policies, name constraints, alternative names) refuses the path, never throws
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    return failure(
      path,
      'constraints',
      'CHAIN_CONSTRAINTS_FAILURE',
      `an extension of a certificate of the path cannot be decoded${detail}`,
    );
  }
  if ('problem' in processed) return failure(path, processed.status, processed.subIndication, processed.problem);
  const leafProblem = purposeProblem(path[0]!, run.purpose ?? 'signing');
  if (leafProblem) return failure(path, 'key-usage', 'CHAIN_CONSTRAINTS_FAILURE', leafProblem);
  // where the default date rule let an old algorithm through, the report says so
  const notes = run.signatureAlgorithmAcceptable ? [] : judgeCertificateSignatures(path.slice(0, -1)).notes;
  const valid: PathValidationResult = {
    status: 'valid',
    chain: path.map(summary),
    problems: [],
    validPolicies: processed.policies,
    ...(notes.length && { notes }),
  };
  return checkPathRevocation(path, valid, {
    ...run,
    failure: (status, sub, problem) => failure(path, status, sub, problem),
    validateSigner: (signer) => validateSigner(signer, path[path.length - 1]!, run),
  });
}

/** The path of a CRL signer that is not in the path itself: to the same anchor, revocation checked alike. */
async function validateSigner(signer: Certificate, anchor: Certificate, run: Run): Promise<true | string> {
  if (run.nesting >= MAX_NESTING) return 'CRL signers nest too deep';
  const visiting = new Set(run.visiting).add(signer.fingerprintSha256);
  const r = await validate(signer, { ...run, purpose: 'any', nesting: run.nesting + 1, visiting });
  if (r.status !== 'valid') return r.problems.join('; ') || r.status;
  if (r.chain[r.chain.length - 1]?.fingerprintSha256 !== anchor.fingerprintSha256)
    return 'its path ends at another trust anchor';
  return true;
}

function purposeProblem(leaf: Certificate, purpose: CertificatePurpose): string | undefined {
  if (
    purpose === 'signing' &&
    leaf.keyUsage &&
    !leaf.keyUsage.some((u) => u === 'digitalSignature' || u === 'nonRepudiation')
  ) {
    return `the signer certificate's key usage (${leaf.keyUsage.join(', ')}) does not allow signatures`;
  }
  if (purpose === 'timestamping' && !leaf.extendedKeyUsage?.includes(OID.kpTimeStamping))
    return 'the TSA certificate lacks the timeStamping extended key usage';
  return undefined;
}

function keyIdsAgree(child: Certificate, issuer: Certificate): boolean {
  return (
    !child.authorityKeyIdentifier ||
    !issuer.subjectKeyIdentifier ||
    child.authorityKeyIdentifier === issuer.subjectKeyIdentifier
  );
}

function failure(
  path: Certificate[],
  status: PathValidationResult['status'],
  subIndication: SubIndication,
  problem: string,
): PathValidationResult {
  return { status, subIndication, chain: path.map(summary), problems: [problem] };
}

/** What a report keeps of a certificate of a path: names, serial, validity, fingerprint. */
export function summary(c: Certificate): PathValidationResult['chain'][number] {
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    fingerprintSha256: c.fingerprintSha256,
  };
}

/**
 * Whether the X.509-style signed structure `der` (`SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }`: a
 * certificate, CRL or BasicOCSPResponse) verifies with `signer`'s public key; `unsupported` when kyso
 * cannot tell (an algorithm the platform does not verify).
 */
export async function checkSignedStructure(
  der: Uint8Array,
  signer: Certificate,
  /** Where a DSA key without domain parameters inherits them from: the signer's issuers. */
  dsaParametersFrom: readonly Certificate[] = [],
): Promise<'valid' | 'invalid' | { unsupported: string }> {
  let parts;
  try {
    parts = readChildren(der, readTlv(der, 0));
  } catch {
    return 'invalid';
  }
  const [tbs, algId, sigValue] = parts;
  if (!tbs || !algId || sigValue?.tag !== 0x03) return 'invalid';
  const oid = readOid(der, readChildren(der, algId)[0]!);
  const value = der.subarray(sigValue.contentStart + 1, sigValue.contentEnd);
  const dsaHash = DSA_SIGNATURES[oid];
  if (dsaHash) return verifyDsa(dsaHash, signer, value, der.subarray(tbs.start, tbs.end), dsaParametersFrom);
  const named = signatureFromOid(oid);
  if (!named?.hash) return { unsupported: `signature algorithm ${oid} is not supported` };
  const algorithm: SignatureAlgorithm = { scheme: named.scheme, hash: named.hash };
  const check = await verifyWithCertificate(signer.facts, algorithm, value, der.subarray(tbs.start, tbs.end));
  if (check.valid) return 'valid';
  const unusable = check.problems.find((p) => p.code === 'unsupported-algorithm' || p.code === 'public-key-unusable');
  return unusable ? { unsupported: unusable.message } : 'invalid';
}

/** True when the signed structure `der` (certificate, CRL, BasicOCSPResponse) verifies with `signer`'s key. */
export async function verifySignedStructure(der: Uint8Array, signer: Certificate): Promise<boolean> {
  return (await checkSignedStructure(der, signer)) === 'valid';
}
