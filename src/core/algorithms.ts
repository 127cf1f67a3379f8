import { KysoError } from './errors.js';
import { OID } from './oids.js';

/**
 * Digest algorithms, named as WebCrypto names them. SHA-1 and SHA-3 are for verification only; SHA-3 needs
 * Node's crypto (WebCrypto has none; see {@link isSha3}).
 */
export type DigestAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA3-256' | 'SHA3-384' | 'SHA3-512';

/** True for the SHA-3 digests, which WebCrypto does not offer. */
export function isSha3(hash: DigestAlgorithm): boolean {
  return hash.startsWith('SHA3-');
}

/** Signature schemes, named as WebCrypto names them. */
export type SignatureScheme = 'RSASSA-PKCS1-v1_5' | 'RSA-PSS' | 'ECDSA';

/**
 * A signature algorithm: a scheme and its digest. For RSA-PSS the salt length equals the digest length
 * (the PAdES and XAdES convention) and MGF1 uses the same digest.
 */
export interface SignatureAlgorithm {
  scheme: SignatureScheme;
  hash: DigestAlgorithm;
}

/** Digest algorithms kyso signs with. */
export const SIGNING_DIGESTS: readonly DigestAlgorithm[] = ['SHA-256', 'SHA-384', 'SHA-512'];

const DIGEST_OIDS: Record<DigestAlgorithm, string> = {
  'SHA-1': OID.sha1,
  'SHA-256': OID.sha256,
  'SHA-384': OID.sha384,
  'SHA-512': OID.sha512,
  'SHA3-256': OID.sha3_256,
  'SHA3-384': OID.sha3_384,
  'SHA3-512': OID.sha3_512,
};

const DIGEST_LENGTHS: Record<DigestAlgorithm, number> = {
  'SHA-1': 20,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
  'SHA3-256': 32,
  'SHA3-384': 48,
  'SHA3-512': 64,
};

/** The object identifier of a digest algorithm. */
export function digestOid(hash: DigestAlgorithm): string {
  return DIGEST_OIDS[hash];
}

/** The digest algorithm of an object identifier, or `undefined` when it is not one kyso knows. */
export function digestFromOid(oid: string): DigestAlgorithm | undefined {
  return (Object.keys(DIGEST_OIDS) as DigestAlgorithm[]).find((k) => DIGEST_OIDS[k] === oid);
}

/** Length in bytes of a digest. */
export function digestLength(hash: DigestAlgorithm): number {
  return DIGEST_LENGTHS[hash];
}

/** Checks that `hash` is a digest kyso signs with; SHA-1 and unknown names are refused. */
export function assertSigningDigest(hash: string): asserts hash is DigestAlgorithm {
  if (!(SIGNING_DIGESTS as readonly string[]).includes(hash)) {
    throw new KysoError(
      'ERR_UNSUPPORTED_ALGORITHM',
      `digest ${hash} is not supported for signing; use SHA-256, SHA-384 or SHA-512`,
    );
  }
}

const RSA_SIG_OIDS: Partial<Record<DigestAlgorithm, string>> = {
  'SHA-1': OID.sha1WithRSAEncryption,
  'SHA-256': OID.sha256WithRSAEncryption,
  'SHA-384': OID.sha384WithRSAEncryption,
  'SHA-512': OID.sha512WithRSAEncryption,
};
const ECDSA_SIG_OIDS: Partial<Record<DigestAlgorithm, string>> = {
  'SHA-1': OID.ecdsaWithSHA1,
  'SHA-256': OID.ecdsaWithSHA256,
  'SHA-384': OID.ecdsaWithSHA384,
  'SHA-512': OID.ecdsaWithSHA512,
};

/** The signature algorithm OID (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`, `id-RSASSA-PSS`). */
export function signatureOid(alg: SignatureAlgorithm): string {
  if (alg.scheme === 'RSA-PSS') return OID.rsassaPss;
  const oid = (alg.scheme === 'ECDSA' ? ECDSA_SIG_OIDS : RSA_SIG_OIDS)[alg.hash];
  if (!oid) throw new KysoError('ERR_UNSUPPORTED_ALGORITHM', `no ${alg.scheme} with ${alg.hash}`);
  return oid;
}

/**
 * The signature algorithm named by an OID, or `undefined`. For `id-RSASSA-PSS` the digest comes from the
 * parameters, so only the scheme is returned here. `rsaEncryption` (seen in older CMS) takes its digest from
 * the SignerInfo's digestAlgorithm.
 */
export function signatureFromOid(oid: string): { scheme: SignatureScheme; hash?: DigestAlgorithm } | undefined {
  if (oid === OID.rsassaPss) return { scheme: 'RSA-PSS' };
  if (oid === OID.rsaEncryption) return { scheme: 'RSASSA-PKCS1-v1_5' };
  for (const [hash, o] of Object.entries(RSA_SIG_OIDS))
    if (o === oid) return { scheme: 'RSASSA-PKCS1-v1_5', hash: hash as DigestAlgorithm };
  for (const [hash, o] of Object.entries(ECDSA_SIG_OIDS))
    if (o === oid) return { scheme: 'ECDSA', hash: hash as DigestAlgorithm };
  return undefined;
}

/** Named curves kyso supports, as WebCrypto names them, with their OIDs and coordinate sizes in bytes. */
export const CURVES = {
  'P-256': { oid: OID.secp256r1, size: 32 },
  'P-384': { oid: OID.secp384r1, size: 48 },
  'P-521': { oid: OID.secp521r1, size: 66 },
} as const;

/** A WebCrypto named curve. */
export type NamedCurve = keyof typeof CURVES;

/** The curve of an OID, or `undefined`. */
export function curveFromOid(oid: string): NamedCurve | undefined {
  return (Object.keys(CURVES) as NamedCurve[]).find((c) => CURVES[c].oid === oid);
}

/** Human name of an algorithm, e.g. `RSASSA-PKCS1-v1_5 with SHA-256`. */
export function describeAlgorithm(alg: SignatureAlgorithm): string {
  return `${alg.scheme} with ${alg.hash}`;
}
