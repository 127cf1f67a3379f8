/**
 * A signing worker thread of `kyso sign --jobs N`: it loads the key once, then signs the files the main
 * thread hands it, one at a time, and reports each result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isKysoError } from '../../index.js';
import { loadSigner, type SignerArgs } from '../load-signer.js';
import { signOneFile, type SignSettings } from '../sign-file.js';

interface Init {
  signerArgs: SignerArgs;
  password?: string;
  settings: SignSettings;
  overwrite: boolean;
}

const init = workerData as Init;
const port = parentPort!;
const ready = loadSigner(init.signerArgs, init.password);

port.on('message', async (job: { id: number; input: string; output: string }) => {
  try {
    const signer = await ready;
    const r = await signOneFile(job.input, job.output, signer, init.settings, init.overwrite);
    port.postMessage({ id: job.id, ok: true, ...r });
  } catch (e) {
    port.postMessage({ id: job.id, ok: false, error: { code: isKysoError(e) ? e.code : 'ERR_UNEXPECTED', message: (e as Error)?.message ?? String(e) } });
  }
});
