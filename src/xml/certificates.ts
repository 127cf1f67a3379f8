// The seam between XML signatures and certificates: facts from pki's parseCertificate, public-key checks
// from pki's WebCrypto verification, path validation from pki's validateCertificatePath. Nothing else in
// src/xml touches certificates.
import type { SignatureAlgorithm } from '../core/algorithms.js';
import type { SubIndication } from '../core/indication.js';
import { describePublicKey, type Certificate } from '../pki/certificate.js';
import { certificateFacts } from '../pki/certificate-facts.js';
import { validateCertificatePath, type PathValidationOptions, type PathValidationResult } from '../pki/chain.js';
import { verifyWithCertificate as verifyRawSignature } from '../pki/public-key.js';
import type { TrustStore } from '../pki/trust-store.js';
import type { TrustInput } from '../pki/trust-input.js';

/** Trust anchors: a store, `'vn'` for the pinned Vietnamese bundle, or root certificates (DER or PEM). */
export type XmlTrust = TrustInput;

/** What a report says about a certificate. */
export interface XmlCertificateFacts {
  /** Subject, RFC 4514 style (`UID=CCCD:001089012345,CN=Nguyễn Văn An,…`). */
  subject: string;
  issuer: string;
  /** Serial number, hexadecimal. */
  serialNumber: string;
  /** Validity, ISO 8601 UTC. */
  notBefore: string;
  notAfter: string;
  /** `UID` (0.9.2342.19200300.100.1.1) values, where Vietnamese CAs put `MST:` and `CCCD:`/`CMND:`. */
  uid: string[];
  /** Tax code from a `MST:` UID. */
  mst?: string;
  /** Citizen id from a `CCCD:` (or older `CMND:`) UID. */
  cccd?: string;
  /** `RSA 2048`, `EC P-256`… */
  publicKey: string;
  /** SHA-256 fingerprint of the DER, upper-case hexadecimal. */
  sha256: string;
}

/** Chain validation of the signing certificate. */
export interface XmlChainReport {
  /** `not-checked` when no trust anchors were given. */
  status: 'valid' | 'invalid' | 'not-checked';
  /** The EN 319 102-1 sub-indication when not valid. */
  subIndication?: SubIndication;
  /** The path found, leaf first (RFC 4514 subjects), as far as it was built. */
  path?: string[];
  /** The validation time, ISO 8601. */
  time?: string;
  detail?: string;
  /** Rules the path was accepted under (an old algorithm accepted by date). */
  notes?: string[];
}

/** The facts a report shows about a parsed certificate. */
export function xmlCertificateFacts(cert: Certificate): XmlCertificateFacts {
  const out: XmlCertificateFacts = {
    subject: cert.subject.display,
    issuer: cert.issuer.display,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    uid: cert.subject.uids,
    publicKey: describePublicKey(cert.publicKey),
    sha256: cert.fingerprintSha256,
  };
  if (cert.subject.taxCode) out.mst = cert.subject.taxCode;
  if (cert.subject.citizenId) out.cccd = cert.subject.citizenId;
  return out;
}

/**
 * True when `signature` (XMLDSig form: ECDSA as r||s) over `data` verifies with the public key of
 * `der`. False for a wrong key type, an undecodable certificate or a bad value: never throws.
 */
export async function verifyWithCertificate(
  der: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
  algorithm: SignatureAlgorithm,
): Promise<boolean> {
  try {
    return (await verifyRawSignature(certificateFacts(der), algorithm, signature, data, { ecdsa: 'r||s' })).valid;
  } catch {
    return false;
  }
}

/**
 * Path validation of the signing certificate to `trust` at `time`, with the KeyInfo certificates (and
 * any the caller gave) as candidate intermediates, and revocation checked by `revocation` when given: the
 * report's chain, and the full result behind it. Without anchors the chain is `not-checked`, which
 * keeps the signature below TOTAL_PASSED.
 */
export async function checkCertificateChain(
  leaf: Uint8Array,
  intermediates: readonly Uint8Array[],
  trust: TrustStore | undefined,
  time: Date,
  revocation: Pick<PathValidationOptions, 'revocation' | 'revocationMode'> = {},
): Promise<{ chain: XmlChainReport; path?: PathValidationResult }> {
  if (!trust || trust.anchors.length === 0)
    return {
      chain: { status: 'not-checked', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', detail: 'no trust anchors given' },
    };
  const r = await validateCertificatePath({
    certificate: leaf,
    intermediates,
    trust,
    time,
    purpose: 'signing',
    ...revocation,
  });
  const out: XmlChainReport = {
    status: r.status === 'valid' ? 'valid' : 'invalid',
    path: r.chain.map((c) => c.subject.display),
    time: time.toISOString(),
  };
  if (r.status !== 'valid') {
    out.subIndication = r.subIndication ?? 'CERTIFICATE_CHAIN_GENERAL_FAILURE';
    out.detail = r.problems.join('; ') || `certificate path: ${r.status}`;
  }
  if (r.notes) out.notes = r.notes;
  return { chain: out, path: r };
}
