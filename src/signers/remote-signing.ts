import { digestOid, signatureOid, type SignatureAlgorithm } from '../core/algorithms.js';
import { fromBase64, toBase64 } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { httpFetchBytes } from '../core/http.js';
import { sleep } from '../core/sleep.js';

/** What a signHash request returns: the signatures at once, or a transaction to wait for (approval on a phone). */
export type SignHashAnswer = { signatures: Uint8Array[] } | { transactionId: string };

/** The state of a pending transaction. */
export type TransactionState =
  | { status: 'pending' }
  | { status: 'approved'; signatures: Uint8Array[] }
  | { status: 'rejected'; reason?: string }
  | { status: 'expired' };

/**
 * A remote signing service in the shape of the Cloud Signature Consortium API: credentials, a signHash
 * request carrying many hashes (one approval signs them all), and a transaction status for asynchronous
 * approval. Implement it for any vendor; {@link CscClient} speaks CSC over HTTP.
 */
export interface RemoteSigningService {
  listCredentials(): Promise<string[]>;
  /** The credential's certificate chain (DER, signing certificate first). */
  credentialInfo(credentialId: string): Promise<{ certificates: Uint8Array[] }>;
  signHash(request: {
    credentialId: string;
    hashes: Uint8Array[];
    algorithm: SignatureAlgorithm;
  }): Promise<SignHashAnswer>;
  transactionStatus(transactionId: string): Promise<TransactionState>;
}

/** Options of {@link CscClient}. */
export interface CscClientOptions {
  /** Base URL, e.g. `https://rs.example.vn/csc/v1`. */
  url: string;
  /** A bearer token (OAuth access token). */
  token?: string;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/** A CSC-style remote signing service over HTTP (JSON bodies, base64 values). */
export class CscClient implements RemoteSigningService {
  constructor(private readonly o: CscClientOptions) {
    if (!o?.url) throw new KysoError('ERR_INVALID_ARGUMENT', 'CscClient needs a url');
  }

  private async call<T>(path: string, body: unknown): Promise<T> {
    const bytes = await httpFetchBytes({
      url: `${this.o.url.replace(/\/$/, '')}/${path}`,
      body: new TextEncoder().encode(JSON.stringify(body)),
      contentType: 'application/json',
      accept: 'application/json',
      what: 'the remote signing service',
      unavailableCode: 'ERR_REMOTE_UNAVAILABLE',
      invalidCode: 'ERR_REMOTE_UNAVAILABLE',
      retries: 1,
      ...(this.o.token && { headers: { Authorization: `Bearer ${this.o.token}` } }),
      ...(this.o.fetch && { fetch: this.o.fetch }),
      ...(this.o.timeoutMs !== undefined && { timeoutMs: this.o.timeoutMs }),
    });
    try {
      return JSON.parse(new TextDecoder().decode(bytes)) as T;
    } catch (cause) {
      throw new KysoError(
        'ERR_REMOTE_UNAVAILABLE',
        `the remote signing service answered ${path} with something other than JSON`,
        { cause },
      );
    }
  }

  async listCredentials(): Promise<string[]> {
    return (await this.call<{ credentialIDs: string[] }>('credentials/list', {})).credentialIDs ?? [];
  }

  async credentialInfo(credentialId: string): Promise<{ certificates: Uint8Array[] }> {
    const r = await this.call<{ cert?: { certificates?: string[] } }>('credentials/info', {
      credentialID: credentialId,
      certificates: 'chain',
    });
    return { certificates: (r.cert?.certificates ?? []).map(fromBase64) };
  }

  async signHash(request: {
    credentialId: string;
    hashes: Uint8Array[];
    algorithm: SignatureAlgorithm;
  }): Promise<SignHashAnswer> {
    const r = await this.call<{ signatures?: string[]; transactionID?: string }>('signatures/signHash', {
      credentialID: request.credentialId,
      hash: request.hashes.map(toBase64),
      hashAlgo: digestOid(request.algorithm.hash),
      signAlgo: signatureOid(request.algorithm),
    });
    if (r.signatures) return { signatures: r.signatures.map(fromBase64) };
    if (r.transactionID) return { transactionId: r.transactionID };
    throw new KysoError(
      'ERR_REMOTE_UNAVAILABLE',
      'the remote signing service returned neither signatures nor a transaction',
    );
  }

  async transactionStatus(transactionId: string): Promise<TransactionState> {
    const r = await this.call<{ status: string; signatures?: string[]; reason?: string }>('signatures/status', {
      transactionID: transactionId,
    });
    if (r.status === 'approved' && r.signatures)
      return { status: 'approved', signatures: r.signatures.map(fromBase64) };
    if (r.status === 'rejected') return { status: 'rejected', ...(r.reason && { reason: r.reason }) };
    if (r.status === 'expired') return { status: 'expired' };
    return { status: 'pending' };
  }
}

/** Options of {@link signHashesRemotely}. */
export interface RemoteSignOptions {
  service: RemoteSigningService;
  credentialId: string;
  algorithm: SignatureAlgorithm;
  /** How long to wait for the holder's approval, ms. Default: 5 minutes. */
  deadlineMs?: number;
  /** First polling interval, ms; grows by half each time up to 10 s. Default: 1 000. */
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * Signs many hashes with one request (one approval on the phone signs the batch) and waits for the
 * holder: polls the transaction with backoff until approved, rejected, expired, the deadline, or the signal.
 *
 * @throws KysoError `ERR_REMOTE_REJECTED`, `ERR_REMOTE_EXPIRED`, `ERR_ABORTED`, `ERR_REMOTE_UNAVAILABLE`
 */
export async function signHashesRemotely(hashes: Uint8Array[], o: RemoteSignOptions): Promise<Uint8Array[]> {
  const deadline = Date.now() + (o.deadlineMs ?? 5 * 60_000);
  const aborted = () => {
    if (o.signal?.aborted) throw new KysoError('ERR_ABORTED', 'remote signing was cancelled');
  };
  aborted();
  const answer = await o.service.signHash({ credentialId: o.credentialId, hashes, algorithm: o.algorithm });
  let signatures: Uint8Array[] | undefined = 'signatures' in answer ? answer.signatures : undefined;
  let wait = o.pollMs ?? 1000;
  while (!signatures) {
    aborted();
    if (Date.now() > deadline)
      throw new KysoError(
        'ERR_REMOTE_EXPIRED',
        `the holder did not approve within ${Math.round((o.deadlineMs ?? 300_000) / 1000)} s`,
      );
    await sleep(Math.min(wait, Math.max(0, deadline - Date.now())), o.signal);
    wait = Math.min(wait * 1.5, 10_000);
    aborted();
    const state = await o.service.transactionStatus((answer as { transactionId: string }).transactionId);
    if (state.status === 'approved') signatures = state.signatures;
    else if (state.status === 'rejected')
      throw new KysoError(
        'ERR_REMOTE_REJECTED',
        `the holder rejected the signing request${state.reason ? `: ${state.reason}` : ''}`,
      );
    else if (state.status === 'expired')
      throw new KysoError('ERR_REMOTE_EXPIRED', 'the signing request expired before the holder approved it');
  }
  if (signatures.length !== hashes.length)
    throw new KysoError(
      'ERR_REMOTE_UNAVAILABLE',
      `asked for ${hashes.length} signatures, received ${signatures.length}`,
    );
  return signatures;
}
