/**
 * One thing found wrong or doubtful while reading or verifying a structure (CMS, certificate, token).
 * Data, not an exception: a verifier reports every problem it sees and lets the validation policy weigh them.
 */
export interface Problem {
  /**
   * Stable code, e.g. `unsupported-algorithm`, `signer-certificate-not-found`, `message-digest-mismatch`,
   * `signature-invalid`, `signing-certificate-mismatch`, `content-required`, `nonstandard-algorithm-identifier`.
   */
  code: string;
  /** What was found, for people. */
  message: string;
}
