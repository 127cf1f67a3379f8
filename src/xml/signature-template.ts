import type { DigestAlgorithm } from '../core/algorithms.js';
import { toBase64 } from '../core/bytes.js';
import { digestUri } from './algorithms.js';
import { C14N_URIS, type C14nMethod } from './c14n.js';
import { DSIG_NS, XADES_NS, escapeXml } from './dom.js';
import { transformUri, type ReferenceTransform } from './references.js';

/** One Reference of a Signature being made. */
export interface TemplateReference {
  uri: string;
  type?: string;
  transforms: readonly ReferenceTransform[];
  hash: DigestAlgorithm;
  /** Base64 digest; empty while the skeleton is being digested. */
  digestValue: string;
}

/** Everything a `Signature` element is rendered from. */
export interface SignatureTemplate {
  id: string;
  canonicalization: C14nMethod;
  signatureMethod: string;
  references: readonly TemplateReference[];
  /** Base64 SignatureValue; empty in the skeleton. */
  signatureValue: string;
  /** DER certificates for KeyInfo/X509Data, signing certificate first. */
  certificates: readonly Uint8Array[];
  /** Rendered `Object` elements. */
  objects: readonly string[];
}

/**
 * Renders a `Signature` as text, unprefixed with its own default namespace declaration (the form
 * Vietnamese receivers expect). The same function renders the skeleton that is digested and the final
 * element, so they differ only in the base64 values.
 */
export function renderSignature(t: SignatureTemplate): string {
  const refs = t.references.map((r) => {
    const transforms = r.transforms.length
      ? `<Transforms>${r.transforms.map((x) => `<Transform Algorithm="${transformUri(x)}"/>`).join('')}</Transforms>`
      : '';
    const type = r.type ? ` Type="${escapeXml(r.type)}"` : '';
    return `<Reference URI="${escapeXml(r.uri)}"${type}>${transforms}<DigestMethod Algorithm="${digestUri(r.hash)}"/><DigestValue>${r.digestValue}</DigestValue></Reference>`;
  });
  const certs = t.certificates.map((c) => `<X509Certificate>${toBase64(c)}</X509Certificate>`).join('');
  return (
    `<Signature xmlns="${DSIG_NS}" Id="${escapeXml(t.id)}">` +
    `<SignedInfo><CanonicalizationMethod Algorithm="${C14N_URIS[t.canonicalization]}"/><SignatureMethod Algorithm="${t.signatureMethod}"/>${refs.join('')}</SignedInfo>` +
    `<SignatureValue>${t.signatureValue}</SignatureValue>` +
    `<KeyInfo><X509Data>${certs}</X509Data></KeyInfo>` +
    t.objects.join('') +
    `</Signature>`
  );
}

/**
 * The SigningTime `Object` Vietnamese e-invoices and packages carry:
 * `Object/SignatureProperties/SignatureProperty[@Target]/SigningTime`. SigningTime itself is in no
 * namespace, as the tax authority's own samples write it.
 */
export function renderSigningTimeObject(objectId: string, signatureId: string, time: string): string {
  return (
    `<Object Id="${escapeXml(objectId)}"><SignatureProperties><SignatureProperty Target="#${escapeXml(signatureId)}">` +
    `<SigningTime xmlns="">${time}</SigningTime></SignatureProperty></SignatureProperties></Object>`
  );
}

/**
 * XAdES qualifying properties (EN 319 132-1): SignedProperties with SigningTime and SigningCertificateV2
 * (digest of the signing certificate; IssuerSerialV2 left out, as the baseline profile recommends), and
 * for XAdES-T a SignatureTimeStamp over the canonical SignatureValue element.
 */
export function renderXadesObject(
  signedPropertiesId: string,
  signatureId: string,
  time: string,
  certHash: DigestAlgorithm,
  certDigest: Uint8Array,
  timestamp?: { canonicalization: C14nMethod; token: Uint8Array },
): string {
  // XAdES-T: the signature time-stamp is an unsigned property, added after the SignatureValue exists.
  const unsigned = timestamp
    ? `<xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:SignatureTimeStamp Id="${escapeXml(signatureId)}-SignatureTimeStamp">` +
      `<CanonicalizationMethod Algorithm="${C14N_URIS[timestamp.canonicalization]}"/>` +
      `<xades:EncapsulatedTimeStamp>${toBase64(timestamp.token)}</xades:EncapsulatedTimeStamp>` +
      `</xades:SignatureTimeStamp></xades:UnsignedSignatureProperties></xades:UnsignedProperties>`
    : '';
  return (
    `<Object><xades:QualifyingProperties xmlns:xades="${XADES_NS}" Target="#${escapeXml(signatureId)}">` +
    `<xades:SignedProperties Id="${escapeXml(signedPropertiesId)}"><xades:SignedSignatureProperties>` +
    `<xades:SigningTime>${time}</xades:SigningTime>` +
    `<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><DigestMethod Algorithm="${digestUri(certHash)}"/>` +
    `<DigestValue>${toBase64(certDigest)}</DigestValue></xades:CertDigest></xades:Cert></xades:SigningCertificateV2>` +
    `</xades:SignedSignatureProperties></xades:SignedProperties>${unsigned}</xades:QualifyingProperties></Object>`
  );
}

/** `2024-04-15T10:00:00+07:00`: the instant in Vietnam's time zone (UTC+7, no daylight saving). */
export function formatVietnamTime(date: Date): string {
  const local = new Date(date.getTime() + 7 * 3600_000);
  return local.toISOString().replace(/\.\d{3}Z$/, '+07:00');
}
