import { KysoError } from '../core/errors.js';

// The errors of both inflaters (Node's zlib in inflate.ts, pako in inflate-pako.ts for browsers): one wording.

/** The output passed the caller's bound: a decompression bomb, or a stream larger than its structure needs. */
export function inflatesPast(max: number): KysoError {
  return new KysoError(
    'ERR_PDF_LIMIT',
    `a compressed stream inflates past ${max} bytes, more than its structure can hold`,
  );
}

/** The stream is damaged or truncated. */
export function cannotInflate(detail: string, cause?: unknown): KysoError {
  return new KysoError(
    'ERR_PDF_MALFORMED',
    `a compressed stream cannot be inflated${detail ? `: ${detail}` : ''}`,
    cause === undefined ? undefined : { cause },
  );
}
