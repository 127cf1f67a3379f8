/**
 * A signing worker thread of `kyso sign --jobs N`: it builds its signer once from the key the main thread
 * loaded (or, for a USB token, has the main thread do the key operation), then signs the files the main thread hands it — several at a time, so that
 * one file's disk and key waits overlap another's parsing — and reports each result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createKeySigner, type Signer } from '../../index.js';
import { signOneFile } from '../sign-file.js';
import { fileError, mainThreadSigner, type FromWorker, type ToWorker, type WorkerInit } from './worker-protocol.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const key = init.key;
const remote = key.kind === 'main-thread' ? mainThreadSigner(key, post) : undefined;
const ready: Promise<Signer> = key.kind === 'main-thread' ? Promise.resolve(remote!.signer) : createKeySigner(key);
ready.catch(() => {}); // the error is reported with each file

port.on('message', async (m: ToWorker) => {
  if (m.kind === 'signature') {
    remote?.receive(m);
    return;
  }
  try {
    const r = await signOneFile(m.input, m.output, await ready, init.settings, init.overwrite);
    post({ kind: 'done', id: m.id, ok: true, ...r });
  } catch (e) {
    post({ kind: 'done', id: m.id, ok: false, error: fileError(e) });
  }
});
