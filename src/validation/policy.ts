/**
 * What a constraint does when it is not met: `fail` lowers the indication (for algorithm constraints ETSI EN
 * 319 102-1 says INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE), `warn` lists a warning, `ignore` says nothing.
 */
export type ConstraintLevel = 'fail' | 'warn' | 'ignore';

/** PAdES / XAdES baseline levels, lowest first. */
export const BASELINE_LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;
/** A PAdES / XAdES baseline level: `B-B`, `B-T` (a signature time-stamp), `B-LT` (validation data), `B-LTA`. */
export type BaselineLevel = (typeof BASELINE_LEVELS)[number];

/** Who must have signed: every given key must match (a list means any of its values). */
export interface RequiredSigner {
  /** Mã số thuế (MST) of the signer's certificate. */
  taxCode?: string | string[];
  /** Subject O. */
  organization?: string | string[];
  /** Subject CN. */
  commonName?: string | string[];
  /** CCCD (or CMND) of the signer's certificate. */
  citizenId?: string | string[];
}

/**
 * What the verifier accepts; data, so that a CI job can state it in a file (`kyso verify --policy FILE` reads
 * the same keys). Every setting applies to PDF, XML and detached CMS signatures alike, or is refused for a
 * format it cannot apply to (a `policy-not-applicable` finding, never silently ignored).
 *
 * @example
 * ```ts
 * // an archive of old documents: SHA-1 and 1024-bit keys are warned about, not held against the signature
 * await verifyPdf(bytes, { trust: 'vn', policy: { sha1: 'warn', weakKey: 'warn' } });
 * // CI: only the company's own signature, time-stamped, on the whole file
 * await verifyPdf(bytes, { trust: 'vn', policy: { requiredSigner: { taxCode: '0101234567' }, minLevel: 'B-T', wholeDocument: true } });
 * ```
 */
export interface ValidationPolicy {
  /** What a SHA-1 digest or SHA-1 signature does. Default: `fail`. */
  sha1?: ConstraintLevel;
  /** Accept SHA-1 silently (old documents): the same as `sha1: 'ignore'`, which wins when both are given. */
  allowSha1?: boolean;
  /** Smallest RSA key accepted. Default: 2048. */
  minRsaBits?: number;
  /** Smallest EC key (curve size) accepted. Default: 256. */
  minEcBits?: number;
  /** What a key below `minRsaBits` / `minEcBits` does. Default: `fail`. */
  weakKey?: ConstraintLevel;
  /** Every signature reaches at least this baseline level. Default: none. Unmet: TOTAL_FAILED. */
  minLevel?: BaselineLevel;
  /** Some signature is by this signer. Default: none. Unmet: TOTAL_FAILED. */
  requiredSigner?: RequiredSigner;
  /** The document's last signature covers all of it (PDF: the whole file; XML: the whole document). Default: false. */
  wholeDocument?: boolean;
  /** Every signature was made no more than this many days before the validation time. Default: none. */
  maxAgeDays?: number;
}

/** A policy with every default filled in. */
export interface ResolvedPolicy {
  sha1: ConstraintLevel;
  minRsaBits: number;
  minEcBits: number;
  weakKey: ConstraintLevel;
  minLevel?: BaselineLevel;
  requiredSigner?: RequiredSigner;
  wholeDocument: boolean;
  maxAgeDays?: number;
}

/** The policy with its defaults filled in. */
export function withDefaults(policy: ValidationPolicy = {}): ResolvedPolicy {
  return {
    sha1: policy.sha1 ?? (policy.allowSha1 ? 'ignore' : 'fail'),
    minRsaBits: policy.minRsaBits ?? 2048,
    minEcBits: policy.minEcBits ?? 256,
    weakKey: policy.weakKey ?? 'fail',
    ...(policy.minLevel && { minLevel: policy.minLevel }),
    ...(policy.requiredSigner && { requiredSigner: policy.requiredSigner }),
    wholeDocument: policy.wholeDocument ?? false,
    ...(policy.maxAgeDays !== undefined && { maxAgeDays: policy.maxAgeDays }),
  };
}
