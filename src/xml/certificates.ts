// The seam between XML signatures and certificates. Certificate reading and public-key checks come
// from the layers below (cms' DER certificate reader and WebCrypto key import, until src/pki/
// certificate.ts offers parseCertificate/verifyRawSignature); chain validation waits for src/pki/chain.ts
// (buildAndValidateChain). Nothing else in src/xml touches certificates, so the switch is this file.
import type { SignatureAlgorithm } from '../core/algorithms.js';
import { parsePem, toHex } from '../core/bytes.js';
import { certificateFacts } from '../pki/certificate-facts.js';
import { readChildren, readTlv } from '../core/der.js';
import { formatName } from '../pki/name.js';
import { readTime } from '../cms/parse-signed-data.js';
import { verifyWithCertificate as verifyCmsSignature } from '../pki/public-key.js';
import { digest } from '../crypto/digest.js';
import { p1363ToDer } from '../crypto/ecdsa-signature.js';
import type { SubIndication } from './verify-xml.js';

/** Trust anchors: root certificates as DER bytes or PEM text. */
export type XmlTrust = readonly (Uint8Array | string)[];

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
  /** SHA-256 fingerprint of the DER, hexadecimal. */
  sha256: string;
}

/** Chain validation of the signing certificate. */
export interface XmlChainReport {
  status: 'valid' | 'invalid' | 'not-checked';
  /** The EN 319 102-1 sub-indication when not valid. */
  subIndication?: SubIndication;
  detail?: string;
}

/** Reads the facts a report shows about `der`. Throws `ERR_KEY_DECODE` when it is not a certificate. */
export function describeCertificate(der: Uint8Array): XmlCertificateFacts {
  const facts = certificateFacts(der);
  const tbs = readChildren(der, readTlv(der, 0))[0]!;
  const fields = readChildren(der, tbs);
  const i = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [issuer, validity, subject] = [fields[i + 2]!, fields[i + 3]!, fields[i + 4]!];
  const [notBefore, notAfter] = readChildren(der, validity);
  const subjectText = formatName(der.subarray(subject.start, subject.end));
  const uid = [...subjectText.matchAll(/(?:^|[,+])UID=((?:\\.|[^,+\\])*)/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
  const out: XmlCertificateFacts = {
    subject: subjectText,
    issuer: formatName(der.subarray(issuer.start, issuer.end)),
    serialNumber: toHex(facts.serialNumber),
    notBefore: readTime(der, notBefore!).toISOString(),
    notAfter: readTime(der, notAfter!).toISOString(),
    uid,
    publicKey:
      facts.key.type === 'RSA' ? `RSA ${facts.key.modulusBytes * 8}` : facts.key.type === 'EC' ? `EC ${facts.key.curve ?? facts.key.curveOid ?? '?'}` : facts.key.oid,
    sha256: '',
  };
  const mst = uid.find((u) => /^MST:/i.test(u));
  const cccd = uid.find((u) => /^(CCCD|CMND):/i.test(u));
  if (mst) out.mst = mst.slice(4);
  if (cccd) out.cccd = cccd.slice(5);
  return out;
}

/** {@link describeCertificate} with the SHA-256 fingerprint filled in. */
export async function describeCertificateWithFingerprint(der: Uint8Array): Promise<XmlCertificateFacts> {
  const facts = describeCertificate(der);
  facts.sha256 = toHex(await digest('SHA-256', der));
  return facts;
}

/**
 * True when `signature` (XMLDSig form: ECDSA as r||s) over `data` verifies with the public key of
 * `der`. False for a wrong key type, an undecodable certificate or a bad value: never throws.
 */
export async function verifyWithCertificate(der: Uint8Array, data: Uint8Array, signature: Uint8Array, algorithm: SignatureAlgorithm): Promise<boolean> {
  try {
    const value = algorithm.scheme === 'ECDSA' ? p1363ToDer(signature) : signature;
    return (await verifyCmsSignature(certificateFacts(der), algorithm, value, data)).valid;
  } catch {
    return false;
  }
}

/**
 * Chain of the signing certificate to `trust` at `time`. Without anchors, or until src/pki/chain.ts
 * exists, the chain is `not-checked`, which keeps every signature below TOTAL_PASSED.
 */
export async function checkCertificateChain(
  _leaf: Uint8Array,
  _intermediates: readonly Uint8Array[],
  trust: XmlTrust | undefined,
  _time: Date,
): Promise<XmlChainReport> {
  if (!trust || trust.length === 0) return { status: 'not-checked', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', detail: 'no trust anchors given' };
  const anchors = trust.flatMap((t) => (typeof t === 'string' ? parsePem(t).map((b) => b.der) : [t]));
  return {
    status: 'not-checked',
    subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    detail: `chain validation against ${anchors.length} trust anchor(s) is not available yet (src/pki/chain.ts)`,
  };
}
