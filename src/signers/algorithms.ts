import {
  CURVES,
  SIGNING_DIGESTS,
  type DigestAlgorithm,
  type NamedCurve,
  type SignatureAlgorithm,
} from '../core/algorithms.js';
import { KysoError } from '../core/errors.js';
import { certificateFacts } from '../pki/certificate-facts.js';

const NATURAL_HASH: Record<NamedCurve, DigestAlgorithm> = {
  'P-256': 'SHA-256',
  'P-384': 'SHA-384',
  'P-521': 'SHA-512',
};

/**
 * The algorithms a key can sign with, preferred first: RSA → PKCS#1 v1.5 (SHA-256 first), then RSA-PSS;
 * EC → ECDSA with the curve's natural digest first.
 */
export function algorithmsForKey(key: { type: 'RSA' } | { type: 'EC'; curve: NamedCurve }): SignatureAlgorithm[] {
  if (key.type === 'RSA') {
    return [
      ...SIGNING_DIGESTS.map((hash) => ({ scheme: 'RSASSA-PKCS1-v1_5' as const, hash })),
      ...SIGNING_DIGESTS.map((hash) => ({ scheme: 'RSA-PSS' as const, hash })),
    ];
  }
  const natural = NATURAL_HASH[key.curve];
  return [natural, ...SIGNING_DIGESTS.filter((h) => h !== natural)].map((hash) => ({ scheme: 'ECDSA' as const, hash }));
}

/** What the key of a certificate signs with, for signers whose key kyso does not hold. */
export interface CertificateKey {
  /** The curve of an EC key. */
  curve?: NamedCurve;
  /** {@link algorithmsForKey} of the key. */
  algorithms: SignatureAlgorithm[];
  /** Bytes of a raw signature value: the RSA modulus size, or ECDSA r||s. */
  signatureLength: number;
}

/**
 * The {@link CertificateKey} of `certificate`'s public key; `whose` names it in the error.
 *
 * @throws KysoError `ERR_UNSUPPORTED_KEY` when the key is neither RSA nor EC on P-256/P-384/P-521.
 */
export function certificateKey(certificate: Uint8Array, whose = 'the certificate key'): CertificateKey {
  const key = certificateFacts(certificate).key;
  if (key.type === 'RSA') return { algorithms: algorithmsForKey({ type: 'RSA' }), signatureLength: key.modulusBytes };
  if (key.type === 'EC' && key.curve)
    return {
      curve: key.curve,
      algorithms: algorithmsForKey({ type: 'EC', curve: key.curve }),
      signatureLength: 2 * CURVES[key.curve].size,
    };
  throw new KysoError('ERR_UNSUPPORTED_KEY', `${whose} is neither RSA nor EC on P-256/P-384/P-521`);
}
