import { digestFromOid, type DigestAlgorithm, type SignatureAlgorithm } from '../core/algorithms.js';
import { toHex, type BinaryInput } from '../core/bytes.js';
import { KysoError, isKysoError } from '../core/errors.js';
import { OID } from '../core/oids.js';
import { readAlgorithmOid, resolveSignatureAlgorithm, type PssParameters } from './algorithm-identifiers.js';
import {
  inputBytes,
  readChildren,
  readOctets,
  readOid,
  readSmallInteger,
  readTlv,
  type Tlv,
  readDerTime,
} from '../core/der.js';
import { formatName } from '../pki/name.js';
import type { Problem as CmsProblem } from '../core/problem.js';
import type { CmsAttribute } from './signed-attributes.js';

/** Largest CMS structure {@link parseSignedData} reads (a PDF's /Contents with embedded revocation data fits well). */
export const MAX_SIGNED_DATA_SIZE = 64 * 1024 * 1024;
/** Most certificates, CRLs, signers or attributes read from one set. */
const MAX_SET_ITEMS = 10_000;

/** How a SignerInfo names its certificate. */
export type SignerIdentifier =
  | {
      /** DER of the issuer Name. */
      issuer: Uint8Array;
      /** The issuer, readable (RFC 4514). */
      issuerName: string;
      /** Serial number, lower-case hexadecimal of the INTEGER's content octets. */
      serialNumber: string;
    }
  | {
      /** subjectKeyIdentifier, lower-case hexadecimal. */
      subjectKeyIdentifier: string;
    };

/** An ESSCertID / ESSCertIDv2 (RFC 2634, RFC 5035): the signing certificate, pinned by its hash. */
export interface EssCertId {
  certHash: Uint8Array;
  hashAlgorithmOid: string;
  /** Undefined when the hash OID is not one kyso knows. */
  hashAlgorithm?: DigestAlgorithm;
  issuerSerial?: {
    /** DER of each directoryName among the GeneralNames. */
    issuer: Uint8Array[];
    /** Lower-case hexadecimal of the serial number's content octets. */
    serialNumber: string;
  };
}

/** Adobe's revocation archive (adbe-revocationInfoArchival), a signed attribute of PDF signatures. */
export interface RevocationInfoArchival {
  /** DER CRLs. */
  crls: Uint8Array[];
  /** DER OCSPResponses. */
  ocspResponses: Uint8Array[];
}

/** A RevocationInfoChoice other than a CRL, e.g. `id-ri-ocsp-response` (RFC 5940) holding an OCSPResponse. */
export interface OtherRevocationInfo {
  /** otherRevInfoFormat. */
  format: string;
  /** DER of otherRevInfo. */
  value: Uint8Array;
}

/** One SignerInfo, read. */
export interface ParsedSignerInfo {
  version: number;
  sid: SignerIdentifier;
  digestAlgorithmOid: string;
  /** Undefined when not a digest kyso knows (MD5, unknown OID). */
  digestAlgorithm?: DigestAlgorithm;
  signatureAlgorithmOid: string;
  /** Resolved (rsaEncryption takes digestAlgorithm's digest); undefined when kyso cannot verify it. */
  signatureAlgorithm?: SignatureAlgorithm;
  /** RSASSA-PSS parameters, for `id-RSASSA-PSS`. */
  pss?: PssParameters;
  /**
   * The signed attributes exactly as encoded in the file, re-tagged from [0] IMPLICIT to SET (0x31): the
   * bytes the signature covers. Never re-encoded or re-sorted.
   */
  signedAttributes?: Uint8Array;
  /** Every signed attribute. */
  signedAttributeList: CmsAttribute[];
  contentType?: string;
  messageDigest?: Uint8Array;
  signingTime?: Date;
  signingCertificateV2?: EssCertId;
  signingCertificate?: EssCertId;
  adbeRevocationInfoArchival?: RevocationInfoArchival;
  /** The signature value as stored (DER `ECDSA-Sig-Value` for ECDSA). */
  signature: Uint8Array;
  unsignedAttributes: CmsAttribute[];
  /** DER ContentInfo of each signature-time-stamp token (unsigned attribute). */
  signatureTimeStampTokens: Uint8Array[];
  /** What was odd while reading (unknown algorithms, repeated attributes, unreadable attribute values). */
  problems: CmsProblem[];
}

/** A CMS SignedData, read. Every byte array is a copy, safe to keep. */
export interface ParsedSignedData {
  /** The ContentInfo's contentType (always id-signedData). */
  contentType: string;
  version: number;
  /** OIDs of digestAlgorithms. */
  digestAlgorithms: string[];
  encapContentType: string;
  /** The encapsulated content; undefined when detached, empty when present but empty. */
  eContent?: Uint8Array;
  /** DER of each X.509 certificate (other CertificateChoices are skipped). */
  certificates: Uint8Array[];
  /** DER of each CRL. */
  crls: Uint8Array[];
  /** Other RevocationInfoChoices, such as OCSP responses (RFC 5940). */
  otherRevocation: OtherRevocationInfo[];
  signerInfos: ParsedSignerInfo[];
}

/**
 * Reads a DER/BER CMS ContentInfo holding a SignedData (trailing zero padding, as in a PDF's /Contents, is
 * allowed). Throws `ERR_CMS_MALFORMED` for anything that is not one.
 *
 * @example
 * ```ts
 * const cms = parseSignedData(contents);
 * const [signer] = cms.signerInfos;
 * console.log(signer.signatureAlgorithm, signer.messageDigest);
 * ```
 */
export function parseSignedData(der: BinaryInput): ParsedSignedData {
  const bytes = inputBytes(der, 'cms');
  if (bytes.length > MAX_SIGNED_DATA_SIZE)
    throw new KysoError('ERR_CMS_MALFORMED', `the CMS structure is larger than ${MAX_SIGNED_DATA_SIZE} bytes`);
  try {
    return readContentInfo(bytes);
  } catch (cause) {
    if (isKysoError(cause, 'ERR_CMS_MALFORMED')) throw cause;
    throw new KysoError('ERR_CMS_MALFORMED', 'the CMS structure cannot be decoded', { cause });
  }
}

function fail(message: string): never {
  throw new KysoError('ERR_CMS_MALFORMED', message);
}

function expect(el: Tlv | undefined, tag: number, what: string): Tlv {
  if (!el) fail(`${what} is missing`);
  if (el.tag !== tag) fail(`${what} has tag 0x${el.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  return el;
}

function items(bytes: Uint8Array, el: Tlv, what: string): Tlv[] {
  const list = readChildren(bytes, el);
  if (list.length > MAX_SET_ITEMS) fail(`too many ${what}`);
  return list;
}

function readContentInfo(bytes: Uint8Array): ParsedSignedData {
  const contentInfo = expect(readTlv(bytes, 0), 0x30, 'ContentInfo');
  for (let i = contentInfo.end; i < bytes.length; i++) if (bytes[i] !== 0) fail('data after the ContentInfo');
  const [typeEl, explicit] = readChildren(bytes, contentInfo);
  const contentType = readOid(bytes, expect(typeEl, 0x06, 'contentType'));
  if (contentType !== OID.signedData) fail(`the ContentInfo holds ${contentType}, not a SignedData`);
  const signedData = expect(readChildren(bytes, expect(explicit, 0xa0, 'content'))[0], 0x30, 'SignedData');
  const fields = readChildren(bytes, signedData);
  let i = 0;
  const version = readSmallInteger(bytes, expect(fields[i++], 0x02, 'version'));
  const digestAlgorithms = items(bytes, expect(fields[i++], 0x31, 'digestAlgorithms'), 'digestAlgorithms').map((a) =>
    readAlgorithmOid(bytes, expect(a, 0x30, 'DigestAlgorithmIdentifier')),
  );
  const encap = readChildren(bytes, expect(fields[i++], 0x30, 'encapContentInfo'));
  const encapContentType = readOid(bytes, expect(encap[0], 0x06, 'eContentType'));
  let eContent: Uint8Array | undefined;
  if (encap[1]) {
    const octets = readChildren(bytes, expect(encap[1], 0xa0, 'eContent'))[0];
    if (!octets || (octets.tag & ~0x20) !== 0x04) fail('eContent is not an OCTET STRING');
    eContent = readOctets(bytes, octets);
  }
  const certificates: Uint8Array[] = [];
  if (fields[i]?.tag === 0xa0) {
    for (const c of items(bytes, fields[i++]!, 'certificates'))
      if (c.tag === 0x30) certificates.push(bytes.slice(c.start, c.end));
  }
  const crls: Uint8Array[] = [];
  const otherRevocation: OtherRevocationInfo[] = [];
  if (fields[i]?.tag === 0xa1) {
    for (const r of items(bytes, fields[i++]!, 'crls')) {
      if (r.tag === 0x30) crls.push(bytes.slice(r.start, r.end));
      else if (r.tag === 0xa1) {
        const [format, value] = readChildren(bytes, r);
        otherRevocation.push({
          format: readOid(bytes, expect(format, 0x06, 'otherRevInfoFormat')),
          value: value ? bytes.slice(value.start, value.end) : new Uint8Array(0),
        });
      }
    }
  }
  const signerInfos = items(bytes, expect(fields[i++], 0x31, 'signerInfos'), 'signerInfos').map((s) =>
    readSignerInfo(bytes, s),
  );
  return {
    contentType,
    version,
    digestAlgorithms,
    encapContentType,
    ...(eContent && { eContent }),
    certificates,
    crls,
    otherRevocation,
    signerInfos,
  };
}

function readSignerInfo(bytes: Uint8Array, el: Tlv): ParsedSignerInfo {
  const fields = readChildren(bytes, expect(el, 0x30, 'SignerInfo'));
  let i = 0;
  const version = readSmallInteger(bytes, expect(fields[i++], 0x02, 'SignerInfo version'));
  const sid = readSid(bytes, fields[i++]);
  const digestAlgorithmOid = readAlgorithmOid(bytes, expect(fields[i++], 0x30, 'digestAlgorithm'));
  const signedAttrsEl = fields[i]?.tag === 0xa0 ? fields[i++] : undefined;
  const sigAlg = expect(fields[i++], 0x30, 'signatureAlgorithm');
  const sigEl = fields[i++];
  if (!sigEl || (sigEl.tag & ~0x20) !== 0x04) fail('signature is not an OCTET STRING');
  const unsignedEl = fields[i]?.tag === 0xa1 ? fields[i] : undefined;

  const resolved = resolveSignatureAlgorithm(bytes, sigAlg, digestAlgorithmOid);
  const problems = [...resolved.problems];
  const digestAlgorithm = resolved.digest;
  const info: ParsedSignerInfo = {
    version,
    sid,
    digestAlgorithmOid,
    ...(digestAlgorithm && { digestAlgorithm }),
    signatureAlgorithmOid: readAlgorithmOid(bytes, sigAlg),
    ...(resolved.algorithm && { signatureAlgorithm: resolved.algorithm }),
    ...(resolved.pss && { pss: resolved.pss }),
    signedAttributeList: [],
    signature: readOctets(bytes, sigEl),
    unsignedAttributes: [],
    signatureTimeStampTokens: [],
    problems,
  };
  if (signedAttrsEl) {
    const raw = bytes.slice(signedAttrsEl.start, signedAttrsEl.end);
    raw[0] = 0x31;
    info.signedAttributes = raw;
    info.signedAttributeList = readAttributes(bytes, signedAttrsEl);
    readSignedAttributeValues(info);
  }
  if (unsignedEl) {
    info.unsignedAttributes = readAttributes(bytes, unsignedEl);
    info.signatureTimeStampTokens = info.unsignedAttributes
      .filter((a) => a.oid === OID.signatureTimeStampToken)
      .flatMap((a) => a.values);
  }
  return info;
}

function readSid(bytes: Uint8Array, el: Tlv | undefined): SignerIdentifier {
  if (el?.tag === 0x30) {
    const [issuer, serial] = readChildren(bytes, el);
    expect(issuer, 0x30, 'issuer');
    expect(serial, 0x02, 'serialNumber');
    const issuerDer = bytes.slice(issuer!.start, issuer!.end);
    return {
      issuer: issuerDer,
      issuerName: formatName(issuerDer),
      serialNumber: toHex(bytes.subarray(serial!.contentStart, serial!.contentEnd)),
    };
  }
  if (el?.tag === 0x80) return { subjectKeyIdentifier: toHex(bytes.subarray(el.contentStart, el.contentEnd)) };
  fail('SignerIdentifier is neither issuerAndSerialNumber nor subjectKeyIdentifier');
}

function readAttributes(bytes: Uint8Array, set: Tlv): CmsAttribute[] {
  return items(bytes, set, 'attributes').map((attr) => {
    const [type, values] = readChildren(bytes, expect(attr, 0x30, 'Attribute'));
    return {
      oid: readOid(bytes, expect(type, 0x06, 'attrType')),
      values: items(bytes, expect(values, 0x31, 'attrValues'), 'attribute values').map((v) =>
        bytes.slice(v.start, v.end),
      ),
    };
  });
}

const SINGLE_VALUED = new Set<string>([
  OID.contentType,
  OID.messageDigest,
  OID.signingTime,
  OID.signingCertificate,
  OID.signingCertificateV2,
]);

function readSignedAttributeValues(info: ParsedSignerInfo): void {
  const seen = new Set<string>();
  for (const attr of info.signedAttributeList) {
    if (seen.has(attr.oid))
      info.problems.push({
        code: 'duplicate-attribute',
        message: `signed attribute ${attr.oid} appears more than once`,
      });
    seen.add(attr.oid);
    if (SINGLE_VALUED.has(attr.oid) && attr.values.length !== 1) {
      info.problems.push({
        code: 'duplicate-attribute',
        message: `signed attribute ${attr.oid} must have exactly one value`,
      });
      continue;
    }
    const value = attr.values[0]!;
    try {
      readAttributeValue(info, attr.oid, value, readTlv(value, 0));
    } catch (cause) {
      if (!isKysoError(cause)) throw cause;
      info.problems.push({
        code: 'malformed-attribute',
        message: `signed attribute ${attr.oid} cannot be read: ${cause.message}`,
      });
    }
  }
}

function readAttributeValue(info: ParsedSignerInfo, oid: string, v: Uint8Array, el: Tlv): void {
  switch (oid) {
    case OID.contentType:
      info.contentType = readOid(v, el);
      break;
    case OID.messageDigest:
      info.messageDigest = readOctets(v, expect(el, 0x04, 'message-digest'));
      break;
    case OID.signingTime:
      info.signingTime = readDerTime(v, el);
      break;
    case OID.signingCertificateV2:
      info.signingCertificateV2 = readFirstEssCertId(v, el, true);
      break;
    case OID.signingCertificate:
      info.signingCertificate = readFirstEssCertId(v, el, false);
      break;
    case OID.adbeRevocationInfoArchival:
      info.adbeRevocationInfoArchival = readRevocationArchival(v, el);
      break;
  }
}

function readFirstEssCertId(bytes: Uint8Array, el: Tlv, v2: boolean): EssCertId {
  const certs = readChildren(bytes, expect(el, 0x30, 'SigningCertificate'))[0];
  const first = readChildren(bytes, expect(certs, 0x30, 'certs'))[0];
  const parts = readChildren(bytes, expect(first, 0x30, 'ESSCertID'));
  let i = 0;
  let hashAlgorithmOid: string = v2 ? OID.sha256 : OID.sha1;
  if (v2 && parts[0]?.tag === 0x30) hashAlgorithmOid = readAlgorithmOid(bytes, parts[i++]!);
  const certHash = readOctets(bytes, expect(parts[i++], 0x04, 'certHash'));
  const hashAlgorithm = digestFromOid(hashAlgorithmOid);
  const out: EssCertId = { certHash, hashAlgorithmOid, ...(hashAlgorithm && { hashAlgorithm }) };
  const issuerSerial = parts[i];
  if (issuerSerial) {
    const [names, serial] = readChildren(bytes, expect(issuerSerial, 0x30, 'IssuerSerial'));
    const issuer = readChildren(bytes, expect(names, 0x30, 'GeneralNames'))
      .filter((g) => g.tag === 0xa4)
      .map((g) => {
        const name = readTlv(bytes, g.contentStart, g.contentEnd);
        return bytes.slice(name.start, name.end);
      });
    const s = expect(serial, 0x02, 'serialNumber');
    out.issuerSerial = { issuer, serialNumber: toHex(bytes.subarray(s.contentStart, s.contentEnd)) };
  }
  return out;
}

function readRevocationArchival(bytes: Uint8Array, el: Tlv): RevocationInfoArchival {
  const out: RevocationInfoArchival = { crls: [], ocspResponses: [] };
  for (const field of readChildren(bytes, expect(el, 0x30, 'RevocationInfoArchival'))) {
    const list = readTlv(bytes, field.contentStart, field.contentEnd);
    const ders = items(bytes, list, 'revocation values').map((x) => bytes.slice(x.start, x.end));
    if (field.tag === 0xa0) out.crls.push(...ders);
    else if (field.tag === 0xa1) out.ocspResponses.push(...ders);
  }
  return out;
}
