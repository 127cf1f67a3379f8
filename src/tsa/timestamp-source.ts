import type { DigestAlgorithm } from '../core/algorithms.js';
import type { TimestampToken } from './timestamp-token.js';

/** Per-request options of a {@link TimestampSource}. */
export interface TimestampOptions {
  /** reqPolicy. Default: the source's, else none. */
  policy?: string;
  /** Aborts the request (and its retries). */
  signal?: AbortSignal;
}

/**
 * Who time-stamps: given a digest, returns a checked RFC 3161 token over it. Signing code depends on this
 * interface only, so an HTTP TSA, a test TSA or a recorded token all fit.
 */
export interface TimestampSource {
  /** A token whose messageImprint is `digest` made with `hash`. */
  timestamp(digest: Uint8Array, hash: DigestAlgorithm, options?: TimestampOptions): Promise<TimestampToken>;
}
