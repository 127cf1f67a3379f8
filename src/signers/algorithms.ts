import { SIGNING_DIGESTS, type DigestAlgorithm, type NamedCurve, type SignatureAlgorithm } from '../core/algorithms.js';

const NATURAL_HASH: Record<NamedCurve, DigestAlgorithm> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' };

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
