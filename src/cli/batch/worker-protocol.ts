/**
 * The messages between `kyso sign --jobs N` and its worker threads. Plain data: everything crosses threads
 * by structured clone.
 */
import { KysoError, isKysoError, type KysoErrorCode } from '../../core/errors.js';
import type { SignatureAlgorithm } from '../../core/algorithms.js';
import type { Signer } from '../../signers/signer.js';
import type { PortableKey } from '../load-signer.js';
import type { SignSettings, SignedFile } from '../sign-file.js';
import { UsageError } from '../usage-error.js';

/**
 * How a worker gets its key: the key the main thread loaded, as bytes (no password crosses, no key derivation
 * is repeated), or — for a USB token, one device with one session — by asking the main thread to sign.
 */
export type WorkerKey =
  | ({ kind: 'key' } & PortableKey)
  | { kind: 'main-thread'; certificate: Uint8Array; chain: Uint8Array[]; algorithms: SignatureAlgorithm[] };

/** What a worker starts with; its key follows in a `key` message (workers start while the main thread loads it). */
export interface WorkerInit {
  settings: SignSettings;
  overwrite: boolean;
}

/** A failure as it crosses threads and lands in the manifest. */
export interface FileError {
  code: string;
  message: string;
}

/** The outcome of one file. */
export type FileResult = ({ ok: true } & SignedFile) | { ok: false; error: FileError };

/** Main thread → worker. */
export type ToWorker =
  | { kind: 'key'; key: WorkerKey }
  | { kind: 'file'; id: number; input: string; output: string }
  | { kind: 'signature'; request: number; signature?: Uint8Array; error?: FileError };

/** Worker → main thread. */
export type FromWorker =
  | ({ kind: 'done'; id: number } & FileResult)
  | { kind: 'sign'; request: number; data: Uint8Array; algorithm: SignatureAlgorithm };

/** The manifest's view of an error: kyso's stable code, `ERR_IO` for an unreadable input, else `ERR_UNEXPECTED`. */
export function fileError(e: unknown): FileError {
  const code = isKysoError(e) ? e.code : e instanceof UsageError ? 'ERR_IO' : 'ERR_UNEXPECTED';
  return { code, message: (e as Error)?.message ?? String(e) };
}

/** A {@link Signer} whose key operation is done by the main thread, for a key on a device that one thread holds. */
export function mainThreadSigner(
  key: Extract<WorkerKey, { kind: 'main-thread' }>,
  post: (m: FromWorker) => void,
): { signer: Signer; receive(m: Extract<ToWorker, { kind: 'signature' }>): void } {
  let next = 0;
  const waiting = new Map<number, { resolve(s: Uint8Array): void; reject(e: Error): void }>();
  return {
    signer: {
      certificate: key.certificate,
      chain: key.chain,
      algorithms: key.algorithms,
      sign: (data, algorithm) =>
        new Promise((resolve, reject) => {
          const request = next++;
          waiting.set(request, { resolve, reject });
          post({ kind: 'sign', request, data, algorithm });
        }),
    },
    receive(m) {
      const w = waiting.get(m.request);
      waiting.delete(m.request);
      if (m.signature) w?.resolve(m.signature);
      else
        w?.reject(
          new KysoError(
            (m.error?.code ?? 'ERR_SIGNER_FAILED') as KysoErrorCode,
            m.error?.message ?? 'the signer failed',
          ),
        );
    },
  };
}
