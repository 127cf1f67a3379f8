/** ETSI EN 319 102-1 main indication of a validation. */
export type Indication = 'TOTAL_PASSED' | 'INDETERMINATE' | 'TOTAL_FAILED';

/** ETSI EN 319 102-1 sub-indications kyso reports. */
export type SubIndication =
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'SIGNED_DATA_NOT_FOUND'
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'CERTIFICATE_CHAIN_GENERAL_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'OUT_OF_BOUNDS_NOT_REVOKED'
  | 'REVOKED'
  | 'REVOKED_NO_POE'
  | 'TRY_LATER'
  | 'REVOCATION_OUT_OF_BOUNDS_NO_POE'
  | 'EXPIRED'
  | 'NOT_YET_VALID';

const RANK: Record<Indication, number> = { TOTAL_PASSED: 0, INDETERMINATE: 1, TOTAL_FAILED: 2 };

/** The worse of two indications (TOTAL_FAILED over INDETERMINATE over TOTAL_PASSED). */
export function worstIndication(a: Indication, b: Indication): Indication {
  return RANK[b] > RANK[a] ? b : a;
}
