import type { SubIndication } from '../core/indication.js';
import { bytesEqual } from '../core/bytes.js';
import { signatureFromOid, type SignatureAlgorithm } from '../core/algorithms.js';
import { readChildren, readOid, readTlv } from '../core/der.js';
import { OID } from '../core/oids.js';
import { parseCertificate, type Certificate, type CertificateInfo } from './certificate.js';
import { verifyWithCertificate } from './public-key.js';
import { isAnchor, type TrustStore } from './trust-store.js';
import type { RevocationCheck } from './revocation.js';
import { certificateSignatureAlgorithm, judgeCertificateSignatures } from './algorithm-dates.js';
import { diagnoseNoChain, type MissingIssuer } from './missing-issuer.js';

/** What the certificate is used for; decides the key usage and extended key usage required of the leaf. */
export type CertificatePurpose = 'signing' | 'timestamping' | 'any';

/** Options of {@link validateCertificatePath}. */
export interface PathValidationOptions {
  /** The end-entity certificate (DER). */
  certificate: Uint8Array;
  /** Candidate intermediates: from the signature (CMS, KeyInfo) and from the caller. */
  intermediates?: readonly Uint8Array[];
  /** Trust anchors. */
  trust: TrustStore;
  /** The time at which every certificate of the path must be valid. */
  time: Date;
  /** Default: `signing` (digitalSignature or nonRepudiation on the leaf). */
  purpose?: CertificatePurpose;
  /** Revocation check of each certificate of the path but the anchor. Default: none (not checked). */
  revocation?: (certificate: Certificate, issuer: Certificate) => Promise<RevocationCheck>;
  /**
   * Whether the signature algorithm of a certificate of the path (not the anchor's) is acceptable. Default:
   * by date ({@link judgeCertificateSignatures}: SHA-1 when the certificate was issued before SHA-1's cutoff).
   */
  signatureAlgorithmAcceptable?: (algorithm: SignatureAlgorithm | undefined, certificate: Certificate, time: Date) => boolean;
}

/** The revocation status of one certificate of a path, as reported. */
export interface PathRevocation {
  subject: string;
  status: RevocationCheck['status'];
  source?: RevocationCheck['source'];
  origin?: RevocationCheck['origin'];
  revocationTime?: Date;
  problems: string[];
}

/** Outcome of {@link validateCertificatePath}; JSON-serialisable. */
export interface PathValidationResult {
  status: 'valid' | 'no-chain' | 'expired' | 'not-yet-valid' | 'signature-invalid' | 'not-ca' | 'key-usage' | 'revoked' | 'crypto-constraints';
  /** The ETSI EN 319 102-1 sub-indication for a status other than `valid`. */
  subIndication?: SubIndication;
  /** The path found, leaf first, anchor last (as far as it was built). */
  chain: Pick<CertificateInfo, 'subject' | 'issuer' | 'serialNumber' | 'notBefore' | 'notAfter' | 'fingerprintSha256'>[];
  /** What is wrong, for people. */
  problems: string[];
  /** Revocation status of each certificate of the path (leaf first), when checked. */
  revocation?: PathRevocation[];
  /** When the first revoked certificate of the path was revoked. */
  revokedAt?: Date;
  /** When no path was found because an intermediate is missing: which one, and where it may be fetched. */
  missingIssuer?: MissingIssuer;
  /** Rules that made the path acceptable and the reader should know of (an old algorithm accepted by date). */
  notes?: string[];
}

const MAX_PATH = 10;

/**
 * Builds a path from `certificate` to one of the trust anchors (issuer name, then key identifiers; several
 * candidates tried) and validates it at `time`: each link's signature (WebCrypto), CA basic constraints and
 * key usage, path length, validity periods, and the leaf's key usage for the purpose. No network access;
 * revocation is checked separately.
 */
export async function validateCertificatePath(options: PathValidationOptions): Promise<PathValidationResult> {
  const leaf = await parseCertificate(options.certificate);
  const pool: Certificate[] = [];
  for (const der of options.intermediates ?? []) {
    try {
      const c = await parseCertificate(der);
      if (!pool.some((p) => bytesEqual(p.der, c.der))) pool.push(c);
    } catch {
      // an undecodable extra certificate cannot be part of a path
    }
  }
  const known = [...pool, ...(options.trust.intermediates ?? [])];
  const candidates = [...options.trust.anchors, ...known, ...((await options.trust.issuerSource?.complete(leaf, known)) ?? [])];
  let best: { path: Certificate[]; failure: PathValidationResult } | undefined;

  const extend = async (path: Certificate[]): Promise<PathValidationResult | undefined> => {
    const current = path[path.length - 1]!;
    if (isAnchor(options.trust, current)) {
      const checked = checkPath(path, options);
      return checked.status === 'valid' ? checkRevocationOfPath(path, options, checked) : checked;
    }
    if (path.length >= MAX_PATH) return undefined;
    const issuers = candidates.filter((c) => bytesEqual(c.subjectDer, current.issuerDer) && !path.includes(c) && keyIdsAgree(current, c));
    for (const issuer of issuers) {
      if (!(await signedBy(current, issuer))) {
        best ??= { path, failure: failure(path, 'signature-invalid', 'CERTIFICATE_CHAIN_GENERAL_FAILURE', `the signature on "${current.subject.display}" does not verify with "${issuer.subject.display}"`) };
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
  const diagnosis = diagnoseNoChain(leaf, candidates, options.trust);
  return { ...failure([leaf], 'no-chain', 'NO_CERTIFICATE_CHAIN_FOUND', diagnosis.problem), ...(diagnosis.missingIssuer && { missingIssuer: diagnosis.missingIssuer }) };
}

function keyIdsAgree(child: Certificate, issuer: Certificate): boolean {
  return !child.authorityKeyIdentifier || !issuer.subjectKeyIdentifier || child.authorityKeyIdentifier === issuer.subjectKeyIdentifier;
}

function failure(path: Certificate[], status: PathValidationResult['status'], subIndication: SubIndication, problem: string): PathValidationResult {
  return { status, subIndication, chain: path.map(summary), problems: [problem] };
}

function summary(c: Certificate): PathValidationResult['chain'][number] {
  return { subject: c.subject, issuer: c.issuer, serialNumber: c.serialNumber, notBefore: c.notBefore, notAfter: c.notAfter, fingerprintSha256: c.fingerprintSha256 };
}

async function checkRevocationOfPath(path: Certificate[], o: PathValidationOptions, result: PathValidationResult): Promise<PathValidationResult> {
  if (!o.revocation) return result;
  const revocation: PathRevocation[] = [];
  let revoked: { cert: Certificate; at: Date } | undefined;
  for (let i = 0; i + 1 < path.length; i++) {
    const cert = path[i]!;
    const check = await o.revocation(cert, path[i + 1]!);
    revocation.push({
      subject: cert.subject.commonName ?? cert.subject.display,
      status: check.status,
      ...(check.source && { source: check.source }),
      ...(check.origin && { origin: check.origin }),
      ...(check.revocationTime && { revocationTime: check.revocationTime }),
      problems: check.problems,
    });
    if (check.status === 'revoked' && check.revocationTime && check.revocationTime.getTime() <= o.time.getTime() && !revoked) revoked = { cert, at: check.revocationTime };
  }
  if (revoked) {
    return { ...failure(path, 'revoked', 'REVOKED', `"${revoked.cert.subject.display}" was revoked on ${revoked.at.toISOString()}`), revocation, revokedAt: revoked.at };
  }
  return { ...result, revocation };
}

function checkPath(path: Certificate[], o: PathValidationOptions): PathValidationResult {
  const t = o.time.getTime();
  for (const c of path) {
    if (t < c.notBefore.getTime()) return failure(path, 'not-yet-valid', 'NOT_YET_VALID', `"${c.subject.display}" is not valid before ${c.notBefore.toISOString()}`);
    if (t > c.notAfter.getTime()) return failure(path, 'expired', 'OUT_OF_BOUNDS_NO_POE', `"${c.subject.display}" expired on ${c.notAfter.toISOString()}`);
  }
  for (let i = 1; i < path.length; i++) {
    const ca = path[i]!;
    const isTrustedRootOfOldStyle = i === path.length - 1 && ca.selfIssued && !ca.basicConstraints;
    if (!isTrustedRootOfOldStyle && !ca.basicConstraints?.ca) return failure(path, 'not-ca', 'CHAIN_CONSTRAINTS_FAILURE', `"${ca.subject.display}" is not a CA certificate`);
    if (ca.keyUsage && !ca.keyUsage.includes('keyCertSign')) return failure(path, 'not-ca', 'CHAIN_CONSTRAINTS_FAILURE', `"${ca.subject.display}" may not sign certificates`);
    const below = i - 1; // CA certificates between this one and the leaf
    const pathLength = ca.basicConstraints?.pathLength;
    if (pathLength !== undefined && below - 1 > pathLength) return failure(path, 'not-ca', 'CHAIN_CONSTRAINTS_FAILURE', `"${ca.subject.display}" allows a path length of ${pathLength}`);
  }
  const leaf = path[0]!;
  const purpose = o.purpose ?? 'signing';
  if (purpose === 'signing' && leaf.keyUsage && !leaf.keyUsage.some((u) => u === 'digitalSignature' || u === 'nonRepudiation')) {
    return failure(path, 'key-usage', 'CHAIN_CONSTRAINTS_FAILURE', `the signer certificate's key usage (${leaf.keyUsage.join(', ')}) does not allow signatures`);
  }
  if (purpose === 'timestamping' && !leaf.extendedKeyUsage?.includes(OID.kpTimeStamping)) {
    return failure(path, 'key-usage', 'CHAIN_CONSTRAINTS_FAILURE', 'the TSA certificate lacks the timeStamping extended key usage');
  }
  const algorithms = algorithmJudgement(path, o);
  if (algorithms.refused) return failure(path, 'crypto-constraints', 'CRYPTO_CONSTRAINTS_FAILURE', algorithms.refused);
  return { status: 'valid', chain: path.map(summary), problems: [], ...(algorithms.notes.length && { notes: algorithms.notes }) };
}

/** The date rule on every certificate but the anchor, or the caller's own rule when given. */
function algorithmJudgement(path: Certificate[], o: PathValidationOptions): { refused?: string; notes: string[] } {
  const judged = path.slice(0, -1);
  if (!o.signatureAlgorithmAcceptable) return judgeCertificateSignatures(judged);
  const refused = judged.find((c) => !o.signatureAlgorithmAcceptable!(certificateSignatureAlgorithm(c), c, o.time));
  return refused ? { refused: `the signature algorithm of "${refused.subject.display}" is not acceptable`, notes: [] } : { notes: [] };
}


/** True when `cert`'s signature verifies with `issuer`'s public key. */
function signedBy(cert: Certificate, issuer: Certificate): Promise<boolean> {
  return verifySignedStructure(cert.der, issuer);
}

/**
 * True when the X.509-style signed structure `der` (`SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }`: a
 * certificate, CRL or BasicOCSPResponse) verifies with `signer`'s public key.
 */
export async function verifySignedStructure(der: Uint8Array, signer: Certificate): Promise<boolean> {
  try {
    const [tbs, algId, sigValue] = readChildren(der, readTlv(der, 0));
    const named = signatureFromOid(readOid(der, readChildren(der, algId!)[0]!));
    if (!named?.hash || !sigValue || !tbs) return false;
    const algorithm: SignatureAlgorithm = { scheme: named.scheme, hash: named.hash };
    const check = await verifyWithCertificate(signer.facts, algorithm, der.subarray(sigValue.contentStart + 1, sigValue.contentEnd), der.subarray(tbs.start, tbs.end));
    return check.valid;
  } catch {
    return false;
  }
}
