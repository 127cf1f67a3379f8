/** Exit codes of the `kyso` command: a contract CI jobs and scripts rely on. */
export const EXIT = {
  /** Everything succeeded; for `verify`, every signature passed. */
  OK: 0,
  /** An operation failed; for `verify`, a signature failed. */
  FAILED: 1,
  /** `verify` only: a signature is indeterminate (no trust anchor, missing revocation data, …). */
  INDETERMINATE: 2,
  /** Wrong usage, unreadable input, unwritable output, or an optional package to install (pdfjs-dist, …). */
  USAGE: 3,
} as const;
