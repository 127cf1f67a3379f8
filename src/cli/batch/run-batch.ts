import { mkdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { cpus } from 'node:os';
import { inspectPdf, isKysoError, parseCertificate, type Signer } from '../../index.js';
import { writeFileAtomic } from '../atomic-write.js';
import { loadSigner, type SignerArgs } from '../load-signer.js';
import { signOneFile, type SignSettings, type SignedFile } from '../sign-file.js';
import type { BatchInput } from './collect-inputs.js';

/** Options of {@link runBatch}. */
export interface BatchOptions {
  inputs: BatchInput[];
  outDir: string;
  settings: SignSettings;
  signerArgs: SignerArgs;
  password?: string;
  /** Worker threads. Default: the machine's cores. */
  jobs?: number;
  json: boolean;
  failFast: boolean;
  resume: boolean;
  overwrite: boolean;
  manifest?: string;
}

/** One line of the manifest. */
export interface ManifestEntry {
  input: string;
  output: string;
  status: 'signed' | 'skipped' | 'failed' | 'not-started';
  sha256Before?: string;
  sha256After?: string;
  signer?: string;
  time?: string;
  error?: { code: string; message: string };
}

/**
 * Signs many files: a pool of worker threads (each loads the key once), outputs mirroring the input tree,
 * each written atomically; a bad file is recorded and the batch goes on (unless fail-fast); SIGINT/SIGTERM
 * finish the files in flight and start no more. Returns the manifest, also written as JSON.
 */
export async function runBatch(o: BatchOptions): Promise<ManifestEntry[]> {
  const jobs = Math.max(1, Math.min(o.jobs ?? cpus().length, o.inputs.length || 1));
  const signer = await loadSigner(o.signerArgs, o.password); // fails fast on a wrong password, before any worker starts
  const cert = await parseCertificate(signer.certificate);
  const who = `${cert.subject.commonName ?? cert.subject.display} (${cert.fingerprintSha256.slice(0, 16)})`;
  const entries: ManifestEntry[] = o.inputs.map((i) => ({ input: i.path, output: outputFor(o, i), status: 'not-started' }));
  let stopping = false;
  const stop = () => {
    if (!stopping) process.stderr.write('\nstopping: finishing the files in flight…\n');
    stopping = true;
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const progress = new Progress(entries.length, o.json);
  const record = (e: ManifestEntry) => {
    progress.done(e);
    if (e.status === 'failed' && o.failFast) stopping = true;
  };

  const pending: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (o.resume && (await alreadySigned(e.output, signer))) {
      Object.assign(e, { status: 'skipped', signer: who });
      record(e);
    } else pending.push(i);
  }

  const finish = (i: number, r: ({ ok: true } & SignedFile) | { ok: false; error: { code: string; message: string } }) => {
    const e = entries[i]!;
    if (r.ok) Object.assign(e, { status: 'signed', sha256Before: r.sha256Before, sha256After: r.sha256After, signer: who, time: new Date().toISOString() });
    else Object.assign(e, { status: 'failed', error: r.error, time: new Date().toISOString() });
    record(e);
  };
  const signHere = async (i: number) => {
    const e = entries[i]!;
    try {
      await mkdir(dirname(e.output), { recursive: true });
      finish(i, { ok: true, ...(await signOneFile(e.input, e.output, signer, o.settings, o.overwrite)) });
    } catch (err) {
      finish(i, { ok: false, error: { code: isKysoError(err) ? err.code : 'ERR_UNEXPECTED', message: (err as Error)?.message ?? String(err) } });
    }
  };

  if (jobs === 1) {
    for (const i of pending) {
      if (stopping) break;
      await signHere(i);
    }
  } else {
    await runWorkers(jobs, pending, entries, o, finish, () => stopping);
  }
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  progress.end(entries);
  await writeFileAtomic(o.manifest ?? join(o.outDir, 'kyso-manifest.json'), new TextEncoder().encode(JSON.stringify(entries, null, 2) + '\n'), { overwrite: true });
  return entries;
}

const IN_FLIGHT_PER_WORKER = 2;

async function runWorkers(
  jobs: number,
  pending: number[],
  entries: ManifestEntry[],
  o: BatchOptions,
  finish: (i: number, r: ({ ok: true } & SignedFile) | { ok: false; error: { code: string; message: string } }) => void,
  stopping: () => boolean,
): Promise<void> {
  const queue = [...pending];
  const script = new URL('./sign-worker.js', import.meta.url);
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      const worker = new Worker(script, { workerData: { signerArgs: o.signerArgs, password: o.password, settings: o.settings, overwrite: o.overwrite } });
      const run = (index: number, e: ManifestEntry) =>
        new Promise<Parameters<typeof finish>[1]>((resolve) => {
          const onMessage = (m: { id: number } & Parameters<typeof finish>[1]) => {
            if (m.id !== index) return;
            worker.off('message', onMessage);
            worker.off('error', onError);
            resolve(m);
          };
          const onError = (err: Error) => resolve({ ok: false, error: { code: 'ERR_UNEXPECTED', message: err.message } });
          worker.on('message', onMessage);
          worker.once('error', onError);
          worker.postMessage({ id: index, input: e.input, output: e.output });
        });
      try {
        // two files in flight per worker: while one waits for the key operation or the disk, the other computes
        await Promise.all(
          Array.from({ length: IN_FLIGHT_PER_WORKER }, async () => {
            for (let i = queue.shift(); i !== undefined && !stopping(); i = queue.shift()) {
              const e = entries[i]!;
              await mkdir(dirname(e.output), { recursive: true });
              finish(i, await run(i, e));
            }
          }),
        );
      } finally {
        await worker.terminate();
      }
    }),
  );
}

function outputFor(o: BatchOptions, i: BatchInput): string {
  return join(o.outDir, o.settings.detached ? `${i.relative}.p7s` : i.relative);
}

/** True when `output` exists and already carries a signature by this signer (for --resume). */
async function alreadySigned(output: string, signer: Signer): Promise<boolean> {
  const exists = await stat(output).then(() => true, () => false);
  if (!exists) return false;
  try {
    const bytes = new Uint8Array(await readFile(output));
    const fingerprint = (await parseCertificate(signer.certificate)).fingerprintSha256;
    if (bytes[0] === 0x25) {
      const info = await inspectPdf(bytes);
      return info.signatures.some((s) => s.certificates.some((c) => c.fingerprintSha256 === fingerprint));
    }
    const b64 = Buffer.from(signer.certificate).toString('base64');
    const text = new TextDecoder().decode(bytes);
    return text.replace(/\s+/g, '').includes(b64) || Buffer.from(bytes).includes(Buffer.from(signer.certificate));
  } catch {
    return false;
  }
}

/** Progress: a bar on a terminal, a line per file otherwise, JSON lines with --json. */
class Progress {
  private count = 0;
  private readonly start = Date.now();
  private readonly tty = Boolean(process.stderr.isTTY);
  constructor(
    private readonly total: number,
    private readonly json: boolean,
  ) {}
  done(e: ManifestEntry): void {
    this.count++;
    if (this.json) {
      process.stdout.write(JSON.stringify(e) + '\n');
      return;
    }
    const rate = this.count / Math.max(0.001, (Date.now() - this.start) / 1000);
    if (this.tty) {
      const width = 30;
      const filled = Math.round((this.count / this.total) * width);
      const eta = Math.round((this.total - this.count) / rate);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.count}/${this.total} ${rate.toFixed(1)} files/s ETA ${eta}s `);
      if (e.status === 'failed') process.stderr.write(`\nFAILED ${e.input}: ${e.error?.message}\n`);
    } else {
      process.stderr.write(e.status === 'failed' ? `FAILED ${e.input}: ${e.error?.message} [${e.error?.code}]\n` : `${e.status} ${e.input} -> ${e.output}\n`);
    }
  }
  end(entries: ManifestEntry[]): void {
    const n = (s: ManifestEntry['status']) => entries.filter((e) => e.status === s).length;
    const summary = { signed: n('signed'), skipped: n('skipped'), failed: n('failed'), notStarted: n('not-started'), seconds: (Date.now() - this.start) / 1000 };
    if (this.json) process.stdout.write(JSON.stringify({ summary }) + '\n');
    else process.stderr.write(`${this.tty ? '\n' : ''}signed ${summary.signed}, skipped ${summary.skipped}, failed ${summary.failed}${summary.notStarted ? `, not started ${summary.notStarted}` : ''} in ${summary.seconds.toFixed(1)} s\n`);
  }
}
