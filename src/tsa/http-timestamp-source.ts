import { digestFromOid, type DigestAlgorithm } from '../core/algorithms.js';
import { bytesEqual, toHex } from '../core/bytes.js';
import { httpFetchBytes, type HttpTransportOptions } from '../core/http.js';
import { KysoError } from '../core/errors.js';
import { randomBytes } from '../crypto/webcrypto.js';
import { inputBytes } from '../core/der.js';
import { serialEquals } from '../cms/verify-signer-info.js';
import { createTimestampRequest } from './timestamp-request.js';
import { parseTimestampResponse, TimestampRejectedError } from './timestamp-response.js';
import type { TimestampOptions, TimestampSource } from './timestamp-source.js';
import { parseTimestampToken, verifyTimestampToken, type TimestampToken } from './timestamp-token.js';

/** Options of {@link HttpTimestampSource}. */
export interface HttpTimestampSourceOptions extends HttpTransportOptions {
  /** The TSA's URL. */
  url: string;
  /** Extra HTTP headers (e.g. `Authorization`). Default: none. */
  headers?: Record<string, string>;
  /** reqPolicy for every request. Default: none. */
  policy?: string;
  /** Ask for the TSA certificate in the token. Default: true (the token is checked against it). */
  certReq?: boolean;
  /** DER of the TSA certificate, for tokens requested with `certReq: false`. Default: none. */
  tsaCertificates?: readonly Uint8Array[];
  /** Largest response accepted, in bytes. Default: 1 MiB. */
  maxResponseBytes?: number;
}

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
    const request = createTimestampRequest({
      digest: hashed,
      hash,
      nonce,
      certReq: this.options.certReq ?? true,
      ...(policy && { policy }),
    });
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
      throw invalid(
        `the token's nonce ${token.nonce ?? '(none)'} is not the request's ${toHex(nonce)}: a replayed or misrouted answer`,
      );
    }
    if (
      digestFromOid(token.messageImprint.hashAlgorithmOid) !== hash ||
      !bytesEqual(token.messageImprint.digest, hashed)
    ) {
      throw invalid('the token time-stamps another digest than the one requested');
    }
    if (policy && token.policy !== policy)
      throw invalid(`the token's policy ${token.policy} is not the requested ${policy}`);
    const extra = this.options.tsaCertificates ? { extraCertificates: this.options.tsaCertificates } : {};
    const check = await verifyTimestampToken(token, { digest: hashed, ...extra });
    if (!check.valid)
      throw invalid(
        `the token does not verify: ${check.problems.map((p) => p.message).join('; ') || 'no signer certificate'}`,
      );
    return token;
  }

  /** POSTs the query, with retries on transport failures; returns the response body. */
  private post(query: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
    const o = this.options;
    return httpFetchBytes({
      url: this.url,
      body: query,
      contentType: 'application/timestamp-query',
      accept: 'application/timestamp-reply',
      what: 'the time-stamping authority',
      unavailableCode: 'ERR_TSA_UNAVAILABLE',
      invalidCode: 'ERR_TSA_RESPONSE_INVALID',
      maxBytes: o.maxResponseBytes ?? 1024 * 1024,
      headers: o.headers,
      fetch: o.fetch,
      timeoutMs: o.timeoutMs,
      retries: o.retries,
      backoffMs: o.backoffMs,
      signal,
    });
  }
}

function invalid(message: string, cause?: unknown): KysoError {
  return new KysoError('ERR_TSA_RESPONSE_INVALID', message, cause === undefined ? undefined : { cause });
}
