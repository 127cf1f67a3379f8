import { concatBytes, toArrayBuffer } from './bytes.js';
import { KysoError, isKysoError, type KysoErrorCode } from './errors.js';
import { sleep } from './sleep.js';

/** Options of {@link httpFetchBytes}. */
export interface HttpFetchOptions {
  url: string;
  method?: 'GET' | 'POST';
  body?: Uint8Array;
  /** Request Content-Type (POST). */
  contentType?: string;
  accept?: string;
  headers?: Record<string, string>;
  /** Default: `globalThis.fetch` (Node and browsers). */
  fetch?: typeof globalThis.fetch;
  /** Time limit of one attempt, ms. Default 10 000. */
  timeoutMs?: number;
  /** Further attempts after a transport failure (refused, timed out, HTTP 5xx/429/408). Default 2. */
  retries?: number;
  /** Wait before the first retry, ms, doubled each time. Default 500. */
  backoffMs?: number;
  /** Largest body accepted. Default 1 MiB. */
  maxBytes?: number;
  signal?: AbortSignal;
  /** What the server is, for messages ("the time-stamping authority", "the OCSP responder"). */
  what: string;
  /** Code when the server cannot be reached or answers with an error status. */
  unavailableCode: KysoErrorCode;
  /** Code when the answer is too large. */
  invalidCode: KysoErrorCode;
}

/** How a protocol client (TSA, OCSP, CRL) lets its caller tune the HTTP exchange; passed on as is. */
export type HttpTransportOptions = Pick<HttpFetchOptions, 'fetch' | 'timeoutMs' | 'retries' | 'backoffMs'>;

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * One HTTP exchange for the PKI protocols (RFC 3161, RFC 6960, CRL downloads): a time limit per attempt,
 * retries with exponential backoff on transport failures, a size cap, cancellation; a typed error otherwise.
 */
export async function httpFetchBytes(o: HttpFetchOptions): Promise<Uint8Array> {
  const { retries = 2, backoffMs = 500 } = o;
  let lastError: unknown;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1), o.signal);
    try {
      return await attemptOnce(o);
    } catch (e) {
      if (!(e instanceof RetryableError)) throw e;
      lastError = e.cause ?? e;
      if (o.signal?.aborted) break;
    }
  }
  const why = transportFailure(lastError);
  throw new KysoError(o.unavailableCode, `${o.what} ${o.url} cannot be reached after ${retries + 1} attempts: ${why}`, {
    cause: lastError,
  });
}

async function attemptOnce(o: HttpFetchOptions): Promise<Uint8Array> {
  const { timeoutMs = 10_000, maxBytes = 1024 * 1024 } = o;
  const fetchFn = o.fetch ?? globalThis.fetch;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  const onAbort = () => controller.abort(o.signal?.reason);
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let res: Response;
    try {
      res = await fetchFn(o.url, {
        method: o.method ?? (o.body ? 'POST' : 'GET'),
        headers: {
          ...(o.contentType && { 'Content-Type': o.contentType }),
          ...(o.accept && { Accept: o.accept }),
          ...o.headers,
        },
        ...(o.body && { body: toArrayBuffer(o.body) }),
        signal: controller.signal,
      });
    } catch (cause) {
      throw new RetryableError(controller.signal.aborted ? controller.signal.reason : cause);
    }
    if (!res.ok) {
      const error = new KysoError(
        o.unavailableCode,
        `${o.what} ${o.url} answered HTTP ${res.status} ${res.statusText}`,
      );
      await res.body?.cancel().catch(() => undefined);
      if (RETRYABLE_STATUS.has(res.status)) throw new RetryableError(error);
      throw error;
    }
    try {
      return await readCapped(res, maxBytes, o);
    } catch (cause) {
      if (isKysoError(cause)) throw cause;
      throw new RetryableError(controller.signal.aborted ? controller.signal.reason : cause);
    }
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/**
 * Why a request failed, in words a user can act on: fetch implementations say only "fetch failed" and keep
 * the reason (a system error code, or several for a host with IPv4 and IPv6 addresses) in their causes.
 */
export function transportFailure(error: unknown): string {
  const codes: string[] = [];
  const messages: string[] = [];
  const walk = (e: unknown, depth: number) => {
    if (!e || typeof e !== 'object' || depth > 4) return;
    const { code, message, cause, errors } = e as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string') codes.push(code);
    if (typeof message === 'string' && message) messages.push(message);
    walk(cause, depth + 1);
    if (Array.isArray(errors)) for (const x of errors) walk(x, depth + 1);
  };
  walk(error, 0);
  const code = codes.find((c) => (c !== 'UND_ERR' && !c.startsWith('ERR_')) || TLS_CODE.test(c)) ?? codes[0];
  const detail = messages.filter((m) => m !== 'fetch failed').at(-1) ?? messages[0] ?? String(error);
  if (/^no answer within/.test(messages[0] ?? '')) return `timed out (${messages[0]})`;
  if ((error as Error)?.name === 'TimeoutError') return 'timed out';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens at that address and port)';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `timed out (${code})`;
    case 'ENOTFOUND':
      return `DNS: the host name is not known (${code})`;
    case 'EAI_AGAIN':
      return `DNS: the name server did not answer (${code}); check the network`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `the connection was closed by the other side (${code})`;
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return `no route to the host (${code}); check the network`;
  }
  if (code && TLS_CODE.test(code)) return `TLS: ${detail} (${code})`;
  return code ? `${detail} (${code})` : detail;
}

class RetryableError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

async function readCapped(res: Response, max: number, o: HttpFetchOptions): Promise<Uint8Array> {
  const tooLarge = (n: string) => new KysoError(o.invalidCode, `the answer of ${o.what} ${n} exceeds ${max} bytes`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) throw tooLarge(`(${declared} bytes)`);
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
      throw tooLarge('');
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}
