import { CURVES, digestLength, type DigestAlgorithm, type SignatureAlgorithm } from '../core/algorithms.js';
import { concatBytes, type BinaryInput } from '../core/bytes.js';
import { KysoError, isKysoError } from '../core/errors.js';
import { OID } from '../core/oids.js';
import { isDerEcdsaSignature, p1363ToDer } from '../crypto/ecdsa-signature.js';
import type { Signer } from '../signers/signer.js';
import { digestAlgorithmIdentifier, signatureAlgorithmIdentifier } from './algorithm-identifiers.js';
import type { PublicKeyFacts } from '../pki/certificate-facts.js';
import { signerCertificate } from './signer-certificate.js';
import {
  inputBytes,
  derElement,
  derOid,
  encodeDer,
  derSmallInteger,
  readChildren,
  readOid,
  readTlv,
  spliceInside,
  tlv,
  type Tlv,
} from '../core/der.js';
import {
  buildSignedAttributes,
  encodeAttribute,
  encodeSignedAttributes,
  type CmsAttribute,
} from './signed-attributes.js';

/** Options of {@link assembleSignedData}. */
export interface AssembleSignedDataOptions {
  /** The DER SignedAttributes `SET OF` (tag 0x31) that was signed, as {@link buildSignedAttributes} made it. */
  signedAttributes: BinaryInput;
  /** The raw signature from the Signer: the RSA value, or ECDSA `r||s` (DER `ECDSA-Sig-Value` is accepted too). */
  signature: BinaryInput;
  /** The algorithm the signature was made with. */
  algorithm: SignatureAlgorithm;
  /** DER of the signing certificate. */
  certificate: BinaryInput;
  /** DER of further certificates to embed (intermediates, root); duplicates are dropped. Default: none. */
  chain?: readonly BinaryInput[];
  /** Unsigned attributes of the SignerInfo. Default: none. */
  unsignedAttributes?: CmsAttribute[];
  /** The SignerInfo's digestAlgorithm, the one the message-digest attribute was made with. Default: `algorithm.hash`. */
  digestAlgorithm?: DigestAlgorithm;
  /** eContentType of the detached content; must match the content-type attribute. Default: id-data. */
  contentType?: string;
}

/**
 * DER ContentInfo of a detached SignedData (no eContent) with one SignerInfo (version 1,
 * issuerAndSerialNumber). The signed attributes and certificates are embedded byte for byte.
 *
 * @example
 * ```ts
 * const attrs = await buildSignedAttributes({ contentDigest, hash: 'SHA-256', signerCertificate: cert });
 * const signature = await remoteService.sign(attrs); // anywhere, any time later
 * const cms = assembleSignedData({ signedAttributes: attrs, signature, algorithm, certificate: cert, chain });
 * ```
 */
export function assembleSignedData(options: AssembleSignedDataOptions): Uint8Array {
  return signedDataAssembler(options)(
    inputBytes(options.signedAttributes, 'signedAttributes'),
    inputBytes(options.signature, 'signature'),
  );
}

/** What {@link signedDataAssembler} is given once: the options of {@link assembleSignedData} less what each signature brings. */
export type SignedDataAssemblerOptions = Omit<AssembleSignedDataOptions, 'signedAttributes' | 'signature'>;

/**
 * {@link assembleSignedData} for one certificate, chain and algorithm, worked out once: the parts of the
 * SignedData that do not change from one signature to the next are encoded here, and each call writes the
 * whole once, around the signed attributes and the signature it is given.
 */
export function signedDataAssembler(
  options: SignedDataAssemblerOptions,
): (signedAttributes: Uint8Array, signature: Uint8Array) => Uint8Array {
  const signer = signerCertificate(inputBytes(options.certificate, 'certificate'));
  const cert = signer.facts;
  const { algorithm } = options;
  const digestAlgorithm = digestAlgorithmIdentifier(options.digestAlgorithm ?? algorithm.hash);
  const certificates = signer.certificateSet((options.chain ?? []).map((c) => inputBytes(c, 'chain certificate')));
  const unsigned = options.unsignedAttributes?.length
    ? [tlv(0xa1, ...options.unsignedAttributes.map(encodeAttribute))]
    : [];
  const version = derSmallInteger(1);
  const sid = tlv(0x30, cert.issuer, tlv(0x02, cert.serialNumber));
  const signatureAlgorithm = signatureAlgorithmIdentifier(algorithm);
  const contentType = options.contentType ?? OID.data;
  const signedDataVersion = derSmallInteger(contentType === OID.data ? 1 : 3); // RFC 5652 §5.1
  const digestAlgorithms = tlv(0x31, digestAlgorithm);
  const encapContentInfo = tlv(0x30, derOid(contentType));
  const signedDataType = derOid(OID.signedData);
  return (signedAttributes, sig) => {
    let attrsTlv: Tlv | undefined;
    try {
      attrsTlv = readTlv(signedAttributes, 0);
    } catch {
      // reported below
    }
    if (attrsTlv?.tag !== 0x31 || attrsTlv.end !== signedAttributes.length) {
      throw new KysoError(
        'ERR_INVALID_ARGUMENT',
        'signedAttributes must be the DER SET OF Attribute (tag 0x31) that was signed',
      );
    }
    const signature = signatureValue(sig, algorithm, cert.key);
    const signerInfo = derElement(
      0x30,
      version,
      sid,
      digestAlgorithm,
      // [0] IMPLICIT: the same bytes as signed, only the tag changes.
      Uint8Array.of(0xa0),
      signedAttributes.subarray(1),
      signatureAlgorithm,
      derElement(0x04, signature),
      ...unsigned,
    );
    const signedData = derElement(
      0x30,
      signedDataVersion,
      digestAlgorithms,
      encapContentInfo,
      certificates,
      derElement(0x31, signerInfo),
    );
    return encodeDer(derElement(0x30, signedDataType, derElement(0xa0, signedData)));
  };
}

function signatureValue(sig: Uint8Array, algorithm: SignatureAlgorithm, key: PublicKeyFacts): Uint8Array {
  if (algorithm.scheme === 'ECDSA') {
    if (key.type !== 'EC' || !key.curve) {
      throw new KysoError('ERR_KEY_CERT_MISMATCH', `an ECDSA signature does not fit the certificate's ${key.type} key`);
    }
    const size = CURVES[key.curve].size;
    if (sig.length === 2 * size) return p1363ToDer(sig);
    if (isDerEcdsaSignature(sig, size)) return sig;
    throw new KysoError(
      'ERR_SIGNER_FAILED',
      `an ${key.curve} ECDSA signature must be ${2 * size} bytes (r||s); got ${sig.length}`,
    );
  }
  if (key.type !== 'RSA')
    throw new KysoError(
      'ERR_KEY_CERT_MISMATCH',
      `an ${algorithm.scheme} signature does not fit the certificate's ${key.type} key`,
    );
  if (sig.length > key.modulusBytes || sig.length < key.modulusBytes - 8) {
    throw new KysoError(
      'ERR_SIGNER_FAILED',
      `an RSA signature for this key must be ${key.modulusBytes} bytes; got ${sig.length}`,
    );
  }
  // I2OSP: a signer that dropped leading zero octets gets them back.
  return sig.length === key.modulusBytes ? sig : concatBytes([new Uint8Array(key.modulusBytes - sig.length), sig]);
}

/** Options of {@link signDetachedDigest}. */
export interface SignDetachedDigestOptions {
  /** Digest of the detached content. */
  contentDigest: BinaryInput;
  /** Digest algorithm of `contentDigest`. Default: `algorithm.hash`. */
  hash?: DigestAlgorithm;
  /** Who signs. */
  signer: Signer;
  /** Signature algorithm. Default: the signer's preferred one (`signer.algorithms[0]`). */
  algorithm?: SignatureAlgorithm;
  /** signing-time attribute. Default: omitted (PAdES); set it for plain CAdES. */
  signingTime?: Date;
  /** Further signed attributes. Default: none. */
  extraSignedAttributes?: CmsAttribute[];
  /** Unsigned attributes. Default: none. */
  unsignedAttributes?: CmsAttribute[];
  /** eContentType. Default: id-data. */
  contentType?: string;
}

/**
 * Signs a content digest: builds the signed attributes, has the signer sign them, assembles a detached
 * CMS SignedData (CAdES-B / PAdES baseline). Returns its DER.
 *
 * @example
 * ```ts
 * const cms = await signDetachedDigest({ contentDigest: await digest('SHA-256', data), signer });
 * ```
 */
export async function signDetachedDigest(options: SignDetachedDigestOptions): Promise<Uint8Array> {
  const { signer } = options;
  const algorithm = options.algorithm ?? signer.algorithms[0];
  if (!algorithm) throw new KysoError('ERR_UNSUPPORTED_ALGORITHM', 'the signer offers no signature algorithm');
  const hash = options.hash ?? algorithm.hash;
  const contentType = options.contentType ?? OID.data;
  const signedAttributes = await buildSignedAttributes({
    contentDigest: options.contentDigest,
    hash,
    signerCertificate: signer.certificate,
    contentType,
    ...(options.signingTime && { signingTime: options.signingTime }),
    ...(options.extraSignedAttributes && { extraAttributes: options.extraSignedAttributes }),
  });
  let signature: Uint8Array;
  try {
    signature = await signer.sign(signedAttributes, algorithm);
  } catch (cause) {
    if (isKysoError(cause)) throw cause;
    throw new KysoError(
      'ERR_SIGNER_FAILED',
      `the signer failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  return assembleSignedData({
    signedAttributes,
    signature,
    algorithm,
    certificate: signer.certificate,
    chain: signer.chain,
    digestAlgorithm: hash,
    contentType,
    ...(options.unsignedAttributes && { unsignedAttributes: options.unsignedAttributes }),
  });
}

/** Options of {@link addUnsignedAttribute}. */
export interface AddUnsignedAttributeOptions {
  /** Which SignerInfo gets the attribute. Default: 0. */
  signerIndex?: number;
}

/**
 * Adds an unsigned attribute (typically a signature-time-stamp token) to a SignerInfo of a CMS
 * ContentInfo and returns the new DER. Only the enclosing lengths change: every other byte — signed
 * attributes, signature, certificates — stays as it was, so the signature stays valid. An attribute of a
 * type already present is added as another Attribute (CAdES allows several signature-time-stamps).
 *
 * @example
 * ```ts
 * const withTst = addUnsignedAttribute(cms, { oid: OID.signatureTimeStampToken, values: [tokenDer] });
 * ```
 */
export function addUnsignedAttribute(
  cms: BinaryInput,
  attribute: CmsAttribute,
  options: AddUnsignedAttributeOptions = {},
): Uint8Array {
  const bytes = inputBytes(cms, 'cms');
  const encoded = encodeAttribute(attribute);
  const contentInfo = expectTag(bytes, readTlv(bytes, 0), 0x30, 'ContentInfo');
  const [typeEl, explicit] = readChildren(bytes, contentInfo);
  if (!typeEl || readOid(bytes, typeEl) !== OID.signedData)
    throw malformed('the ContentInfo does not hold a SignedData');
  const signedData = expectTag(
    bytes,
    readChildren(bytes, expectTag(bytes, explicit, 0xa0, 'content'))[0],
    0x30,
    'SignedData',
  );
  const signerInfos = expectTag(bytes, readChildren(bytes, signedData).at(-1), 0x31, 'signerInfos');
  const index = options.signerIndex ?? 0;
  const signerInfo = expectTag(bytes, readChildren(bytes, signerInfos)[index], 0x30, `SignerInfo #${index}`);
  const last = readChildren(bytes, signerInfo).at(-1);
  const path = [contentInfo, explicit!, signedData, signerInfos, signerInfo];
  if (last?.tag === 0xa1) return spliceInside(bytes, [...path, last], last.contentEnd, last.contentEnd, encoded);
  return spliceInside(bytes, path, signerInfo.contentEnd, signerInfo.contentEnd, tlv(0xa1, encoded));
}

function expectTag(bytes: Uint8Array, el: Tlv | undefined, tag: number, what: string): Tlv {
  if (!el || el.tag !== tag) throw malformed(`${what} is missing or has the wrong type`);
  return el;
}

function malformed(message: string): KysoError {
  return new KysoError('ERR_CMS_MALFORMED', message);
}

/** Options of {@link estimateSignedDataSize}. */
export interface SignedDataSizeOptions {
  /** DER of the signing certificate (its key gives the signature size). */
  certificate: BinaryInput;
  /** DER of the chain certificates that will be embedded. Default: none. */
  chain?: readonly BinaryInput[];
  /** The signature algorithm. */
  algorithm: SignatureAlgorithm;
  /** Digest algorithm of the content. Default: `algorithm.hash`. */
  hash?: DigestAlgorithm;
  /** Whether a signing-time attribute will be present (its value, if known). Default: none. */
  signingTime?: Date;
  /** Further signed attributes that will be present. Default: none. */
  extraSignedAttributes?: CmsAttribute[];
  /** Unsigned attributes known now. Default: none. */
  unsignedAttributes?: CmsAttribute[];
  /**
   * Bytes of attribute values to be added after signing with {@link addUnsignedAttribute} — say, the
   * expected DER size of a timestamp token. The attribute's own wrapping is accounted for. Default: 0.
   */
  extraBytes?: number;
}

/** Worst-case growth of the wrapping when one unsigned attribute is added later (headers, OID, lengths). */
const LATER_ATTRIBUTE_OVERHEAD = 64;

/**
 * The size in bytes of the DER that {@link signDetachedDigest} will produce with these inputs, counting
 * the largest possible signature value — so that a PDF can reserve /Contents from the real size rather than
 * a guess.
 *
 * @example
 * ```ts
 * const bytes = estimateSignedDataSize({ certificate, chain, algorithm, extraBytes: 6000 });
 * const hexChars = 2 * bytes;
 * ```
 */
export function estimateSignedDataSize(options: SignedDataSizeOptions): number {
  const certificate = inputBytes(options.certificate, 'certificate');
  const cert = signerCertificate(certificate).facts;
  const { algorithm } = options;
  const hash = options.hash ?? algorithm.hash;
  const zeros = (n: number) => new Uint8Array(n);
  const signedAttributes = encodeSignedAttributes(
    {
      hash,
      contentDigest: zeros(digestLength(hash)),
      ...(options.signingTime && { signingTime: options.signingTime }),
      ...(options.extraSignedAttributes && { extraAttributes: options.extraSignedAttributes }),
    },
    cert,
    zeros(digestLength(hash)),
  );
  const key = cert.key;
  let signature: Uint8Array;
  if (algorithm.scheme === 'ECDSA' && key.type === 'EC' && key.curve) {
    signature = new Uint8Array(2 * CURVES[key.curve].size).fill(0xff); // both halves need a padding octet
  } else if (key.type === 'RSA') signature = zeros(key.modulusBytes);
  else
    throw new KysoError('ERR_KEY_CERT_MISMATCH', `${algorithm.scheme} does not fit the certificate's ${key.type} key`);
  const size = assembleSignedData({
    signedAttributes,
    signature,
    algorithm,
    certificate,
    digestAlgorithm: hash,
    ...(options.chain && { chain: options.chain }),
    ...(options.unsignedAttributes && { unsignedAttributes: options.unsignedAttributes }),
  }).length;
  const extra = options.extraBytes ?? 0;
  return extra > 0 ? size + extra + LATER_ATTRIBUTE_OVERHEAD : size;
}
