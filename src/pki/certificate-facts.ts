import { curveFromOid, type NamedCurve } from '../core/algorithms.js';
import { KysoError, isKysoError } from '../core/errors.js';
import { OID } from '../core/oids.js';
import { inputBytes, readChildren, readDerTime, readOctets, readOid, readTlv, type Tlv } from '../core/der.js';

/** The public key of a certificate, as far as CMS needs it. */
export type PublicKeyFacts =
  | { type: 'RSA'; /** modulus size in bytes */ modulusBytes: number }
  | { type: 'EC'; curve?: NamedCurve; curveOid?: string }
  | { type: 'other'; oid: string };

/** One certificate extension. */
export interface ExtensionFacts {
  oid: string;
  critical: boolean;
  /** The extnValue octets (the DER of the extension's own value). */
  value: Uint8Array;
}

/**
 * What CMS needs from a certificate, read straight from its DER so that issuer and serial number keep
 * their exact encoding (IssuerAndSerialNumber and ESSCertIDv2 must match the certificate byte for byte).
 */
export interface CertificateFacts {
  der: Uint8Array;
  /** DER of the issuer Name, as encoded in the certificate. */
  issuer: Uint8Array;
  /** DER of the subject Name, as encoded in the certificate. */
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** Content octets of the serialNumber INTEGER. */
  serialNumber: Uint8Array;
  /** DER of the SubjectPublicKeyInfo. */
  spki: Uint8Array;
  /** The subjectPublicKey BIT STRING value, without its unused-bits octet. */
  publicKeyBits: Uint8Array;
  key: PublicKeyFacts;
  extensions: ExtensionFacts[];
  /** The subjectKeyIdentifier extension's key identifier, when present. */
  subjectKeyIdentifier?: Uint8Array;
}

/**
 * Reads a DER certificate. Throws `ERR_KEY_DECODE` when it is not one.
 * (Internal to cms/tsa; the pki layer has the full certificate model.)
 */
export function certificateFacts(der: Uint8Array): CertificateFacts {
  try {
    return readCertificate(inputBytes(der, 'certificate'));
  } catch (cause) {
    const detail = isKysoError(cause) ? `: ${cause.message}` : '';
    throw new KysoError('ERR_KEY_DECODE', `the certificate cannot be decoded${detail}`, { cause });
  }
}

function readCertificate(der: Uint8Array): CertificateFacts {
  const cert = readTlv(der, 0);
  if (cert.tag !== 0x30 || cert.end !== der.length) throw new KysoError('ERR_KEY_DECODE', 'not a DER certificate');
  const tbs = readChildren(der, cert)[0];
  if (tbs?.tag !== 0x30) throw new KysoError('ERR_KEY_DECODE', 'no TBSCertificate');
  const fields = readChildren(der, tbs);
  let i = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version
  const serial = fields[i++];
  i++; // signature AlgorithmIdentifier
  const issuer = fields[i++];
  const validity = fields[i++];
  const subject = fields[i++];
  const spki = fields[i++];
  if (
    serial?.tag !== 0x02 ||
    issuer?.tag !== 0x30 ||
    validity?.tag !== 0x30 ||
    subject?.tag !== 0x30 ||
    spki?.tag !== 0x30
  )
    throw new KysoError('ERR_KEY_DECODE', 'unexpected TBSCertificate layout');
  const [notBefore, notAfter] = readChildren(der, validity);
  if (!notBefore || !notAfter) throw new KysoError('ERR_KEY_DECODE', 'no validity period');
  const extensions = readExtensions(
    der,
    fields.slice(i).find((f) => f.tag === 0xa3),
  );
  const { key, bits } = readSpki(der, spki);
  const ski = extensions.find((e) => e.oid === OID.subjectKeyIdentifier);
  return {
    der,
    issuer: der.slice(issuer.start, issuer.end),
    subject: der.slice(subject.start, subject.end),
    notBefore: readDerTime(der, notBefore),
    notAfter: readDerTime(der, notAfter),
    serialNumber: der.slice(serial.contentStart, serial.contentEnd),
    spki: der.slice(spki.start, spki.end),
    publicKeyBits: bits,
    key,
    extensions,
    ...(ski && { subjectKeyIdentifier: readOctets(ski.value, readTlv(ski.value, 0)) }),
  };
}

function readSpki(der: Uint8Array, spki: Tlv): { key: PublicKeyFacts; bits: Uint8Array } {
  const [algId, bitString] = readChildren(der, spki);
  if (algId?.tag !== 0x30 || bitString?.tag !== 0x03) throw new KysoError('ERR_KEY_DECODE', 'bad SubjectPublicKeyInfo');
  const [oidEl, params] = readChildren(der, algId);
  const oid = readOid(der, oidEl!);
  const bits = der.slice(bitString.contentStart + 1, bitString.contentEnd);
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    const rsaKey = readTlv(bits, 0);
    const modulus = readChildren(bits, rsaKey)[0];
    if (modulus?.tag !== 0x02) throw new KysoError('ERR_KEY_DECODE', 'bad RSAPublicKey');
    let n = modulus.contentEnd - modulus.contentStart;
    if (bits[modulus.contentStart] === 0) n--;
    return { key: { type: 'RSA', modulusBytes: n }, bits };
  }
  if (oid === OID.ecPublicKey) {
    const curveOid = params?.tag === 0x06 ? readOid(der, params) : undefined;
    const curve = curveOid ? curveFromOid(curveOid) : undefined;
    return { key: { type: 'EC', ...(curve && { curve }), ...(curveOid && { curveOid }) }, bits };
  }
  return { key: { type: 'other', oid }, bits };
}

function readExtensions(der: Uint8Array, tagged: Tlv | undefined): ExtensionFacts[] {
  const list = tagged && readChildren(der, tagged)[0];
  return list ? readExtensionSequence(der, list) : [];
}

/** The entries of an `Extensions` SEQUENCE (of a certificate, a CRL or a CRL entry). */
export function readExtensionSequence(der: Uint8Array, list: Tlv): ExtensionFacts[] {
  return readChildren(der, list).map((ext) => {
    const parts = readChildren(der, ext);
    const critical = parts[1]?.tag === 0x01 && der[parts[1].contentStart] !== 0;
    const value = parts[parts.length - 1];
    if (parts.length < 2 || value?.tag !== 0x04) throw new KysoError('ERR_KEY_DECODE', 'bad Extension');
    return { oid: readOid(der, parts[0]!), critical, value: readOctets(der, value) };
  });
}
