// The caller's algorithm policy over the signatures of OCSP responses and CRLs. pki/ knows no policy: the
// caller (the validation context) hands its judgement down as a function, as it hands down revocation itself.
import { signatureFromOid } from '../core/algorithms.js';
import { readChildren, readOid, readTlv } from '../core/der.js';
import type { Certificate } from './certificate.js';
import type { PublicKeyFacts } from './certificate-facts.js';
import type { CertificateSignatureAlgorithm } from './chain.js';

/** The signature on an OCSP response or CRL, as a caller's algorithm policy sees it. */
export interface RevocationSignature {
  what: 'OCSP response' | 'CRL';
  /** The signature algorithm of the BasicOCSPResponse or CRL. */
  algorithm: CertificateSignatureAlgorithm;
  /** The key that verified it: the OCSP responder's or the CRL signer's. */
  key: PublicKeyFacts;
  /** Who signed it (the signer certificate's subject, readable). */
  signer: string;
}

/**
 * The caller's algorithm policy over an OCSP response's or CRL's signature: `true` to accept it, or why not. A
 * refused response or CRL establishes no revocation status (the certificate's status is then `unavailable`,
 * with the reason).
 */
export type RevocationSignatureCheck = (signature: RevocationSignature) => true | string;

/**
 * The signature algorithm of an X.509-style signed structure (`SEQUENCE { tbs, AlgorithmIdentifier, BIT
 * STRING }`: a certificate, CRL or BasicOCSPResponse): its OID and, when kyso knows it, its scheme and hash.
 */
export function signedStructureAlgorithm(der: Uint8Array): CertificateSignatureAlgorithm {
  const [, algId] = readChildren(der, readTlv(der, 0));
  const oid = readOid(der, readChildren(der, algId!)[0]!);
  const named = signatureFromOid(oid);
  return { oid, ...(named && { scheme: named.scheme }), ...(named?.hash && { hash: named.hash }) };
}

/** How an algorithm reads in a message: `RSA with SHA-1`, or its OID. */
export function algorithmName(a: CertificateSignatureAlgorithm): string {
  return a.scheme ? `${a.scheme}${a.hash ? ` with ${a.hash}` : ''}` : a.oid;
}

/** The {@link RevocationSignature} of `der` (a BasicOCSPResponse or CRL) that `signer` made. */
export function revocationSignatureOf(
  what: RevocationSignature['what'],
  der: Uint8Array,
  signer: Certificate,
): RevocationSignature {
  return { what, algorithm: signedStructureAlgorithm(der), key: signer.facts.key, signer: signer.subject.display };
}

/** Why `check` refuses `signature`; undefined when it is accepted or there is no check. */
export function revocationSignatureRefusal(
  check: RevocationSignatureCheck | undefined,
  signature: RevocationSignature,
): string | undefined {
  const verdict = check?.(signature) ?? true;
  if (verdict === true) return undefined;
  return `the ${signature.what} signed by "${signature.signer}" (${algorithmName(signature.algorithm)}) is refused by the algorithm policy: ${verdict}`;
}
