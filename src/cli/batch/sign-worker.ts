/**
 * A signing worker thread of `kyso sign --jobs N`: it starts while the main thread loads the key, builds its
 * signer once from the key it is sent (or, for a USB token, has the main thread do the key operation), then
 * signs the files the main thread hands it — several at a time, so that one file's disk and key waits overlap
 * another's parsing — and reports each result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createKeySigner } from '../../signers/key-signer.js';
import type { Signer } from '../../signers/signer.js';
import { signOneFile } from '../sign-file.js';
import {
  fileError,
  mainThreadSigner,
  type FromWorker,
  type ToWorker,
  type WorkerInit,
  type WorkerKey,
} from './worker-protocol.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
let remote: ReturnType<typeof mainThreadSigner> | undefined;
let haveKey!: (key: WorkerKey) => void;
const ready: Promise<Signer> = new Promise<WorkerKey>((resolve) => (haveKey = resolve)).then((key) => {
  if (key.kind === 'key') return createKeySigner(key);
  remote = mainThreadSigner(key, post);
  return remote.signer;
});
ready.catch(() => {}); // the error is reported with each file

port.on('message', async (m: ToWorker) => {
  if (m.kind === 'key') return haveKey(m.key);
  if (m.kind === 'signature') return remote?.receive(m);
  try {
    const r = await signOneFile(m.input, m.output, await ready, init.settings, init.overwrite);
    post({ kind: 'done', id: m.id, ok: true, ...r });
  } catch (e) {
    post({ kind: 'done', id: m.id, ok: false, error: fileError(e) });
  }
});
