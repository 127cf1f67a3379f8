import { digestFromOid, type DigestAlgorithm } from '../core/algorithms.js';
import { bytesEqual, concatBytes, toArrayBuffer, toHex } from '../core/bytes.js';
import { KysoError, isKysoError } from '../core/errors.js';
import { randomBytes } from '../crypto/webcrypto.js';
import { inputBytes } from '../core/der.js';
import { serialEquals } from '../cms/verify-signer-info.js';
import { createTimestampRequest } from './timestamp-request.js';
import { parseTimestampResponse, TimestampRejectedError } from './timestamp-response.js';
import type { TimestampOptions, TimestampSource } from './timestamp-source.js';
import { parseTimestampToken, verifyTimestampToken, type TimestampToken } from './timestamp-token.js';

/** Options of {@link HttpTimestampSource}. */
export interface HttpTimestampSourceOptions {
  /** The TSA's URL. */
  url: string;
  /** Extra HTTP headers (e.g. `Authorization`). Default: none. */
  headers?: Record<string, string>;
  /** The fetch to use. Default: `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** Time limit of one attempt, in ms. Default: 10 000. */
  timeoutMs?: number;
  /** Further attempts after a transport failure (refused, timed out, HTTP 5xx/429/408). Default: 2. */
  retries?: number;
  /** Wait before the first retry, in ms; doubled for each next one. Default: 500. */
  backoffMs?: number;
  /** reqPolicy for every request. Default: none. */
  policy?: string;
  /** Ask for the TSA certificate in the token. Default: true (the token is checked against it). */
  certReq?: boolean;
  /** DER of the TSA certificate, for tokens requested with `certReq: false`. Default: none. */
  tsaCertificates?: readonly Uint8Array[];
  /** Largest response accepted, in bytes. Default: 1 MiB. */
  maxResponseBytes?: number;
}

/** HTTP statuses worth another attempt. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * An RFC 3161 TSA over HTTP (POST `application/timestamp-query`). Each token is checked before it is
 * returned: PKIStatus granted, the nonce and messageImprint of the request, the token's CMS signature, the
 * ESS signing-certificate binding and the TSA certificate's time-stamping purpose.
 *
 * @example
 * ```ts
 * const tsa = new HttpTimestampSource({ url: 'http://tsa.example.vn/tsa', timeoutMs: 5000 });
 * const token = await tsa.timestamp(await digest('SHA-256', signatureValue), 'SHA-256');
 * ```
 */
export class HttpTimestampSource implements TimestampSource {
  readonly url: string;
  private readonly options: HttpTimestampSourceOptions;

  constructor(options: HttpTimestampSourceOptions) {
    if (!options?.url) throw new KysoError('ERR_INVALID_ARGUMENT', 'HttpTimestampSource needs a url');
    this.url = options.url;
    this.options = options;
  }

  async timestamp(digest: Uint8Array, hash: DigestAlgorithm, options: TimestampOptions = {}): Promise<TimestampToken> {
    const hashed = inputBytes(digest, 'digest');
    const nonce = randomBytes(8);
    const policy = options.policy ?? this.options.policy;
    const request = createTimestampRequest({ digest: hashed, hash, nonce, certReq: this.options.certReq ?? true, ...(policy && { policy }) });
    const body = await this.post(request, options.signal);
    const response = parseTimestampResponse(body);
    if (response.status !== 0 && response.status !== 1) throw new TimestampRejectedError(response);
    if (!response.token) throw invalid(`the TSA answered ${response.statusName} without a token`);
    let token: TimestampToken;
    try {
      token = parseTimestampToken(response.token);
    } catch (cause) {
      throw invalid(`the token cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
    }
    if (token.nonce === undefined || !serialEquals(token.nonce, toHex(nonce))) {
      throw invalid(`the token's nonce ${token.nonce ?? '(none)'} is not the request's ${toHex(nonce)}: a replayed or misrouted answer`);
    }
    if (digestFromOid(token.messageImprint.hashAlgorithmOid) !== hash || !bytesEqual(token.messageImprint.digest, hashed)) {
      throw invalid('the token time-stamps another digest than the one requested');
    }
    if (policy && token.policy !== policy) throw invalid(`the token's policy ${token.policy} is not the requested ${policy}`);
    const extra = this.options.tsaCertificates ? { extraCertificates: this.options.tsaCertificates } : {};
    const check = await verifyTimestampToken(token, { digest: hashed, ...extra });
    if (!check.valid) throw invalid(`the token does not verify: ${check.problems.map((p) => p.message).join('; ') || 'no signer certificate'}`);
    return token;
  }

  /** POSTs the query, with retries on transport failures; returns the response body. */
  private async post(query: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const { retries = 2, backoffMs = 500 } = this.options;
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1), signal);
      try {
        return await this.attempt(query, signal);
      } catch (e) {
        if (!(e instanceof RetryableError)) throw e;
        lastError = e.cause ?? e;
        if (signal?.aborted) break;
      }
    }
    const why = lastError instanceof Error ? lastError.message : String(lastError);
    throw new KysoError('ERR_TSA_UNAVAILABLE', `the time-stamping authority ${this.url} cannot be reached after ${retries + 1} attempts: ${why}`, { cause: lastError });
  }

  private async attempt(query: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const { timeoutMs = 10_000, maxResponseBytes = 1024 * 1024 } = this.options;
    const fetchFn = this.options.fetch ?? globalThis.fetch;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let res: Response;
      try {
        res = await fetchFn(this.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/timestamp-query', Accept: 'application/timestamp-reply', ...this.options.headers },
          body: toArrayBuffer(query),
          signal: controller.signal,
        });
      } catch (cause) {
        throw new RetryableError(controller.signal.aborted ? controller.signal.reason : cause);
      }
      if (!res.ok) {
        const error = new KysoError('ERR_TSA_UNAVAILABLE', `the time-stamping authority ${this.url} answered HTTP ${res.status} ${res.statusText}`);
        await res.body?.cancel().catch(() => undefined);
        if (RETRYABLE_STATUS.has(res.status)) throw new RetryableError(error);
        throw error;
      }
      try {
        return await readCapped(res, maxResponseBytes);
      } catch (cause) {
        if (isKysoError(cause)) throw cause;
        throw new RetryableError(controller.signal.aborted ? controller.signal.reason : cause);
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

class RetryableError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

function invalid(message: string, cause?: unknown): KysoError {
  return new KysoError('ERR_TSA_RESPONSE_INVALID', message, cause === undefined ? undefined : { cause });
}

async function readCapped(res: Response, max: number): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) throw invalid(`the TSA's response of ${declared} bytes exceeds ${max}`);
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw invalid(`the TSA's response exceeds ${max} bytes`);
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
