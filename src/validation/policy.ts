/** What the verifier accepts; data, so that a CI job can state it in a file. */
export interface ValidationPolicy {
  /** Accept SHA-1 digests (old documents). Default: false — SHA-1 makes a signature INDETERMINATE. */
  allowSha1?: boolean;
  /** Smallest RSA key accepted. Default: 2048. */
  minRsaBits?: number;
}

/** The policy with its defaults filled in. */
export function withDefaults(policy: ValidationPolicy = {}): Required<ValidationPolicy> {
  return { allowSha1: policy.allowSha1 ?? false, minRsaBits: policy.minRsaBits ?? 2048 };
}
