/**
 * What a constraint does when it is not met: `fail` lowers the indication (for algorithm constraints ETSI EN
 * 319 102-1 says INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE), `warn` lists a warning, `ignore` says nothing.
 */
export type ConstraintLevel = 'fail' | 'warn' | 'ignore';

/**
 * What the verifier accepts; data, so that a CI job can state it in a file.
 *
 * @example
 * ```ts
 * // an archive of old documents: SHA-1 and 1024-bit keys are warned about, not held against the signature
 * await verifyPdf(bytes, { trust: 'vn', policy: { sha1: 'warn', weakKey: 'warn' } });
 * ```
 */
export interface ValidationPolicy {
  /** What a SHA-1 digest or SHA-1 signature does. Default: `fail`. */
  sha1?: ConstraintLevel;
  /** Accept SHA-1 silently (old documents): the same as `sha1: 'ignore'`, which wins when both are given. */
  allowSha1?: boolean;
  /** Smallest RSA key accepted. Default: 2048. */
  minRsaBits?: number;
  /** What an RSA key below `minRsaBits` does. Default: `fail`. */
  weakKey?: ConstraintLevel;
}

/** A policy with every default filled in. */
export interface ResolvedPolicy {
  sha1: ConstraintLevel;
  minRsaBits: number;
  weakKey: ConstraintLevel;
}

/** The policy with its defaults filled in. */
export function withDefaults(policy: ValidationPolicy = {}): ResolvedPolicy {
  return {
    sha1: policy.sha1 ?? (policy.allowSha1 ? 'ignore' : 'fail'),
    minRsaBits: policy.minRsaBits ?? 2048,
    weakKey: policy.weakKey ?? 'fail',
  };
}
