import { assertSigningDigest, digestLength, type DigestAlgorithm } from '../core/algorithms.js';
import type { BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { OID } from '../core/oids.js';
import { digestAlgorithmIdentifier } from './algorithm-identifiers.js';
import type { CertificateFacts } from '../pki/certificate-facts.js';
import { signerCertificate } from './signer-certificate.js';
import { inputBytes, derOid, derTime, sortSetOf, tlv } from '../core/der.js';

/** A CMS Attribute: its type and the DER of each of its values. */
export interface CmsAttribute {
  /** attrType, dotted. */
  oid: string;
  /** DER of each AttributeValue. */
  values: Uint8Array[];
}

/** Options of {@link buildSignedAttributes}. */
export interface SignedAttributesOptions {
  /** Digest of the (detached) content, made with `hash`. */
  contentDigest: BinaryInput;
  /** Digest algorithm of `contentDigest`; also hashes the certificate for signing-certificate-v2. */
  hash: DigestAlgorithm;
  /** DER of the signing certificate. */
  signerCertificate: BinaryInput;
  /** content-type attribute value. Default: id-data. */
  contentType?: string;
  /**
   * signing-time attribute. Default: omitted — PAdES forbids it (the time goes in the signature
   * dictionary's /M); set it for plain CAdES.
   */
  signingTime?: Date;
  /** Further signed attributes (e.g. signature-policy-identifier); their types must not repeat the above. */
  extraAttributes?: CmsAttribute[];
}

/** DER of one Attribute, its values in DER SET OF order. */
export function encodeAttribute(attr: CmsAttribute): Uint8Array {
  if (attr.values.length === 0) throw new KysoError('ERR_INVALID_ARGUMENT', `attribute ${attr.oid} has no value`);
  return tlv(0x30, derOid(attr.oid), tlv(0x31, ...sortSetOf(attr.values)));
}

/**
 * DER of the SignedAttributes `SET OF Attribute` (tag 0x31) — exactly the bytes a `Signer` signs:
 * content-type, message-digest, signing-certificate-v2 (ESSCertIDv2 with the certificate's hash and
 * IssuerSerial), optionally signing-time, in DER order.
 *
 * @example
 * ```ts
 * const attrs = await buildSignedAttributes({ contentDigest, hash: 'SHA-256', signerCertificate: signer.certificate });
 * const signature = await signer.sign(attrs, algorithm);
 * ```
 */
export async function buildSignedAttributes(options: SignedAttributesOptions): Promise<Uint8Array> {
  const signer = signerCertificate(inputBytes(options.signerCertificate, 'signerCertificate'));
  assertSigningDigest(options.hash);
  return encodeSignedAttributes(
    { ...options, contentDigest: inputBytes(options.contentDigest, 'contentDigest') },
    signer.facts,
    await signer.hash(options.hash),
  );
}

/** The synchronous core of {@link buildSignedAttributes}, with the certificate hash given (size estimates pass zeros). */
export function encodeSignedAttributes(
  options: Omit<SignedAttributesOptions, 'signerCertificate' | 'contentDigest'> & { contentDigest: Uint8Array },
  cert: CertificateFacts,
  certHash: Uint8Array,
): Uint8Array {
  return signedAttributesEncoder(options, cert, certHash)(options.contentDigest);
}

/**
 * {@link encodeSignedAttributes} for one certificate and set of options, worked out once: of the attributes
 * only message-digest differs from one document to the next.
 */
export function signedAttributesEncoder(
  options: Omit<SignedAttributesOptions, 'signerCertificate' | 'contentDigest'>,
  cert: CertificateFacts,
  certHash: Uint8Array,
): (contentDigest: Uint8Array) => Uint8Array {
  const { hash } = options;
  const attrs: CmsAttribute[] = [
    { oid: OID.contentType, values: [derOid(options.contentType ?? OID.data)] },
    { oid: OID.signingCertificateV2, values: [signingCertificateV2(cert, hash, certHash)] },
  ];
  if (options.signingTime) attrs.push({ oid: OID.signingTime, values: [derTime(options.signingTime)] });
  for (const extra of options.extraAttributes ?? []) {
    if (extra.oid === OID.messageDigest || attrs.some((a) => a.oid === extra.oid))
      throw new KysoError('ERR_INVALID_ARGUMENT', `signed attribute ${extra.oid} is given twice`);
    attrs.push(extra);
  }
  const encoded = attrs.map(encodeAttribute);
  const messageDigestType = derOid(OID.messageDigest);
  return (contentDigest) => {
    if (contentDigest.length !== digestLength(hash)) {
      throw new KysoError(
        'ERR_INVALID_ARGUMENT',
        `contentDigest is ${contentDigest.length} bytes; a ${hash} digest has ${digestLength(hash)}`,
      );
    }
    const messageDigest = tlv(0x30, messageDigestType, tlv(0x31, tlv(0x04, contentDigest)));
    return tlv(0x31, ...sortSetOf([...encoded, messageDigest]));
  };
}

// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }
// ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT id-sha256, certHash OCTET STRING, issuerSerial IssuerSerial }
// IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER }   (RFC 5035)
function signingCertificateV2(cert: CertificateFacts, hash: DigestAlgorithm, certHash: Uint8Array): Uint8Array {
  const issuerSerial = tlv(0x30, tlv(0x30, tlv(0xa4, cert.issuer)), tlv(0x02, cert.serialNumber));
  // DER omits a field equal to its DEFAULT.
  const hashAlgorithm = hash === 'SHA-256' ? [] : [digestAlgorithmIdentifier(hash)];
  const essCertId = tlv(0x30, ...hashAlgorithm, tlv(0x04, certHash), issuerSerial);
  return tlv(0x30, tlv(0x30, essCertId));
}
