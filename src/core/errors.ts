/**
 * Stable string codes carried by every {@link KysoError}. Scripts may switch on them; they never change
 * meaning between releases.
 */
export type KysoErrorCode =
  /** An argument or option is missing, of the wrong type, or out of range. */
  | 'ERR_INVALID_ARGUMENT'
  /** The input is not a PDF, or its structure cannot be read (header, xref, trailer, objects). */
  | 'ERR_PDF_MALFORMED'
  /** The PDF is encrypted; kyso does not sign encrypted documents. */
  | 'ERR_PDF_ENCRYPTED'
  /** A named signature field does not exist, is already signed, or is not a signature field. */
  | 'ERR_PDF_FIELD'
  /** The reserved /Contents space is too small for the signature value. */
  | 'ERR_PDF_SIGNATURE_TOO_LARGE'
  /** A PDF structure needs more than kyso allows: a stream that inflates past what its structure can hold (decompression bomb). */
  | 'ERR_PDF_LIMIT'
  /** A PKCS#12 password or key password is wrong. */
  | 'ERR_WRONG_PASSWORD'
  /** A key file, PKCS#12 file or certificate cannot be decoded. */
  | 'ERR_KEY_DECODE'
  /** The key type, size, curve or algorithm is not supported. */
  | 'ERR_UNSUPPORTED_KEY'
  /** The requested digest or signature algorithm is not supported. */
  | 'ERR_UNSUPPORTED_ALGORITHM'
  /** The private key does not belong to the signing certificate. */
  | 'ERR_KEY_CERT_MISMATCH'
  /** No certificate was found where one was required. */
  | 'ERR_NO_CERTIFICATE'
  /** An external or remote signer failed or returned an unusable value. */
  | 'ERR_SIGNER_FAILED'
  /** A CMS/PKCS#7 structure cannot be built or decoded. */
  | 'ERR_CMS_MALFORMED'
  /** The time-stamping authority cannot be reached (refused, timed out, HTTP error) after the retries. */
  | 'ERR_TSA_UNAVAILABLE'
  /** The time-stamping authority answered with a PKIStatus other than granted / grantedWithMods. */
  | 'ERR_TSA_REJECTED'
  /** The time-stamp response or token is unusable: undecodable, wrong nonce or imprint, bad signature or TSA certificate. */
  | 'ERR_TSA_RESPONSE_INVALID'
  /** A staged signing state is unusable (wrong version, tampered, or finished twice). */
  | 'ERR_SIGNING_STATE'
  /** Reading or writing a file failed. */
  | 'ERR_IO'
  /** The output's file system is full (or its quota is reached): nothing was written, the input is untouched. */
  | 'ERR_DISK_FULL'
  /** The input is not well-formed XML, or uses a construct kyso refuses (processing instructions in signed content). */
  | 'ERR_XML_MALFORMED'
  /** The XML has a DOCTYPE (DTDs and entity declarations are refused: XXE and entity expansion). */
  | 'ERR_XML_DOCTYPE'
  /** The XML exceeds a size, depth, element, reference or transform limit. */
  | 'ERR_XML_LIMIT'
  /** The XML does not have the structure the signing profile expects (root, signed element, Id, placement). */
  | 'ERR_XML_PROFILE'
  /** An OCSP responder or CRL distribution point cannot be reached. */
  | 'ERR_REVOCATION_UNAVAILABLE'
  /** An OCSP response or CRL is malformed, signed by the wrong party, stale, or about another certificate. */
  | 'ERR_REVOCATION_INVALID'
  /** The remote signing service cannot be reached or answered with an error. */
  | 'ERR_REMOTE_UNAVAILABLE'
  /** The holder rejected the signing request (on the phone). */
  | 'ERR_REMOTE_REJECTED'
  /** The signing request expired before the holder approved it, or the deadline passed. */
  | 'ERR_REMOTE_EXPIRED'
  /** The caller cancelled (AbortSignal). */
  | 'ERR_ABORTED'
  /** A PKCS#11 module, token, key or certificate cannot be used (missing driver, no token, absent key). */
  | 'ERR_TOKEN'
  /** The token is locked after too many wrong PINs. */
  | 'ERR_TOKEN_LOCKED'
  /** A bundled or pinned trust certificate does not match its SHA-256 fingerprint: it is refused. */
  | 'ERR_TRUST_PIN'
  /** A missing intermediate cannot be fetched from its caIssuers URL: unreachable, too slow, too large or not certificates. */
  | 'ERR_ISSUER_FETCH'
  /** The signing certificate is expired or not yet valid at the signing time. */
  | 'ERR_CERTIFICATE_EXPIRED'
  /** A visible signature has no place: no signature block or anchor text found, or no free space that fits. */
  | 'ERR_PDF_PLACEMENT'
  /**
   * An optional package the feature needs is not installed (`pdfjs-dist` for placement by the page's content,
   * `@napi-rs/canvas` for previews): the message names the `npm install` that fixes it.
   */
  | 'ERR_DEPENDENCY_MISSING';

/**
 * The one base class of every error kyso throws. `code` is stable; `message` says what went wrong and,
 * where it can, how to fix it; `cause` keeps the underlying error.
 *
 * @example
 * ```ts
 * try { await loadPkcs12(bytes, { password }) }
 * catch (e) { if (e instanceof KysoError && e.code === 'ERR_WRONG_PASSWORD') askAgain() }
 * ```
 */
export class KysoError extends Error {
  /** Stable machine-readable code. */
  readonly code: KysoErrorCode;

  constructor(code: KysoErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KysoError';
    this.code = code;
  }
}

/** True when `e` is a {@link KysoError}, optionally with the given code. */
export function isKysoError(e: unknown, code?: KysoErrorCode): e is KysoError {
  return e instanceof KysoError && (code === undefined || e.code === code);
}

/**
 * The error for a failed write of `path`: `ERR_DISK_FULL` when the file system is full or over quota (a batch
 * stops on it, since every later file would fail the same way), `ERR_IO` otherwise.
 */
export function writeError(path: string, cause: unknown): KysoError {
  const errno = (cause as { code?: string })?.code;
  if (errno === 'ENOSPC' || errno === 'EDQUOT') {
    return new KysoError(
      'ERR_DISK_FULL',
      `cannot write ${path}: no space left on the device; nothing was written and the input is untouched`,
      { cause },
    );
  }
  return new KysoError('ERR_IO', `cannot write ${path}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
}
