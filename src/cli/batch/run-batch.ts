import { access, mkdir, readFile, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { inspectPdf } from '../../pades/inspect-pdf.js';
import { parseCertificate } from '../../pki/certificate.js';
import type { Signer } from '../../signers/signer.js';
import { writeError } from '../../core/errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import { loadSignerAndKey, type SignerArgs } from '../load-signer.js';
import { signOneFile, type SignSettings } from '../sign-file.js';
import type { BatchInput } from './collect-inputs.js';
import { inFlight } from '../in-flight.js';
import {
  fileError,
  type FileError,
  type FileResult,
  type FromWorker,
  type ToWorker,
  type WorkerInit,
  type WorkerKey,
} from './worker-protocol.js';

/** Options of {@link runBatch}. */
export interface BatchOptions {
  inputs: BatchInput[];
  outDir: string;
  settings: SignSettings;
  signerArgs: SignerArgs;
  password?: string;
  /** Signing threads. Default: {@link defaultJobs}. */
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
 * Signs many files: outputs mirroring the input tree, each written atomically; a bad file is recorded and the
 * batch goes on (unless fail-fast); a full disk stops it (every later file would fail alike); SIGINT/SIGTERM
 * finish the files in flight and start no more. With one job the files are signed in this thread, otherwise
 * by a pool of worker threads (each builds its signer once from the key loaded here; a USB token's key
 * operations stay in this thread, which holds the token's session). Either way several files are in flight
 * per thread, so one file's disk and key waits overlap another's work. Returns the manifest entries, also
 * written as JSON (`manifestWritten` is false when that write failed, on a full disk say).
 */
export async function runBatch(o: BatchOptions): Promise<{ entries: ManifestEntry[]; manifestWritten: boolean }> {
  const cores = availableParallelism();
  const jobs = Math.max(1, Math.min(o.jobs ?? defaultJobs(cores), o.inputs.length || 1));
  if (!o.json) {
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const why = o.jobs === undefined ? ` (the fastest for ${count(cores, 'core')}; --jobs N to choose)` : '';
    process.stderr.write(`signing ${count(o.inputs.length, 'file')} in ${count(jobs, 'thread')}${why}\n`);
  }
  // workers start loading while this thread loads the key; whatever happens, they end with the batch
  const workers =
    jobs > 1
      ? Array.from({ length: jobs }, () => new SignWorker({ settings: o.settings, overwrite: o.overwrite }))
      : [];
  try {
    return await signAll(o, jobs, workers);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

async function signAll(
  o: BatchOptions,
  jobs: number,
  workers: SignWorker[],
): Promise<{ entries: ManifestEntry[]; manifestWritten: boolean }> {
  const { signer, key: portableKey } = await loadSignerAndKey(o.signerArgs, o.password); // a wrong password stops the batch before any file
  const cert = await parseCertificate(signer.certificate);
  const who = `${cert.subject.commonName ?? cert.subject.display} (${cert.fingerprintSha256.slice(0, 16)})`;
  const entries: ManifestEntry[] = o.inputs.map((i) => ({
    input: i.path,
    output: outputFor(o, i),
    status: 'not-started',
  }));
  let stopping = false;
  const stop = (why: string) => {
    if (!stopping) process.stderr.write(`\nstopping: ${why}; finishing the files in flight…\n`);
    stopping = true;
  };
  const onSignal = () => stop('interrupted');
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = new Progress(entries.length, jobs, o.json);
  const record = (e: ManifestEntry) => {
    progress.done(e);
    if (e.error?.code === 'ERR_DISK_FULL') stop('the output disk is full');
    else if (e.status === 'failed' && o.failFast) stopping = true;
  };

  const queue: number[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (o.resume && (await alreadySigned(e.output, signer))) {
      Object.assign(e, { status: 'skipped', signer: who });
      record(e);
    } else queue.push(i);
  }

  const folders = new Map<string, Promise<unknown>>();
  const lanes = (sign: (e: ManifestEntry) => Promise<FileResult>) =>
    inFlight(
      IN_FLIGHT,
      () => (stopping ? undefined : queue.shift()),
      async (i) => {
        const e = entries[i]!;
        const folder = dirname(e.output);
        if (!folders.has(folder)) folders.set(folder, makeFolder(folder));
        const r = await folders.get(folder)!.then(
          () => sign(e),
          (err) => ({ ok: false as const, error: fileError(err) }),
        );
        if (r.ok)
          Object.assign(e, {
            status: 'signed',
            sha256Before: r.sha256Before,
            sha256After: r.sha256After,
            signer: who,
            time: new Date().toISOString(),
          });
        else Object.assign(e, { status: 'failed', error: r.error, time: new Date().toISOString() });
        record(e);
      },
    );

  try {
    if (jobs === 1) {
      const signHere = (e: ManifestEntry): Promise<FileResult> =>
        signOneFile(e.input, e.output, signer, o.settings, o.overwrite).then(
          (r) => ({ ok: true, ...r }),
          (err) => ({ ok: false, error: fileError(err) }),
        );
      await lanes(signHere);
    } else {
      const key: WorkerKey = portableKey
        ? { kind: 'key', ...portableKey }
        : {
            kind: 'main-thread',
            certificate: signer.certificate,
            chain: [...signer.chain],
            algorithms: [...signer.algorithms],
          };
      for (const w of workers) w.start(key, signer);
      await Promise.all(workers.map((w) => lanes((e) => w.sign(e))));
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  progress.end(entries);
  const manifest = o.manifest ?? join(o.outDir, 'kyso-manifest.json');
  try {
    await writeFileAtomic(manifest, new TextEncoder().encode(JSON.stringify(entries, null, 2) + '\n'), {
      overwrite: true,
    });
    return { entries, manifestWritten: true };
  } catch (e) {
    // the outputs stand on their own (each complete or absent); say the record is missing rather than throw it away
    const { code, message } = fileError(e);
    process.stderr.write(`kyso sign: the manifest was not written: ${message} [${code}]\n`);
    return { entries, manifestWritten: false };
  }
}

/**
 * Signing threads when --jobs is not given: one per 1.5 cores. A signing thread keeps about 1.5 cores busy — its
 * own JavaScript, plus the key operations and flushes on Node's thread pool and V8's garbage collection and
 * compilation on its helper threads (1,000 one-page PDFs: 2.8 s of CPU in all for 1.7–2.1 s on the signing
 * thread) — and each worker thread adds its own start-up. So on two cores one thread is as fast as two and
 * costs a third less CPU; bigger machines get more.
 */
export function defaultJobs(cores: number): number {
  return Math.max(1, Math.floor(cores / 1.5));
}

/** Files in flight per thread: enough to overlap one file's waits with another's work, few enough to keep memory flat. */
const IN_FLIGHT = 3;

/** A worker thread and the files it is signing. */
class SignWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, (r: FileResult) => void>();
  private next = 0;

  private signer?: Signer;

  constructor(init: WorkerInit) {
    this.worker = new Worker(new URL('./sign-worker.js', import.meta.url), { workerData: init });
    this.worker.on('message', (m: FromWorker) => {
      if (m.kind === 'sign') {
        // the key lives in this thread (a token session): sign for the worker
        this.signer!.sign(m.data, m.algorithm).then(
          (signature) => this.post({ kind: 'signature', request: m.request, signature }),
          (e) => this.post({ kind: 'signature', request: m.request, error: fileError(e) }),
        );
        return;
      }
      const { kind: _, id, ...result } = m;
      this.pending.get(id)?.(result as FileResult);
      this.pending.delete(id);
    });
    // a worker that dies fails its files in flight and every later one, rather than leaving them waiting
    const die = (message: string) => {
      this.dead ??= { code: 'ERR_UNEXPECTED', message };
      for (const settle of this.pending.values()) settle({ ok: false, error: this.dead });
      this.pending.clear();
    };
    this.worker.on('error', (err) => die(`the signing thread failed: ${err.message}`));
    this.worker.on('exit', (code) => die(`the signing thread stopped (exit code ${code})`));
  }

  private dead?: FileError;

  /** Sends the key; `signer` serves the worker's key operations when the key stays in this thread. */
  start(key: WorkerKey, signer: Signer): void {
    this.signer = signer;
    this.post({ kind: 'key', key });
  }

  sign(e: ManifestEntry): Promise<FileResult> {
    if (this.dead) return Promise.resolve({ ok: false, error: this.dead });
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post({ kind: 'file', id, input: e.input, output: e.output });
    });
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * Creates an output folder. A recursive mkdir on a read-only or unwritable disk fails with ENOENT for the part
 * it could not create; the nearest existing folder tells the real reason (EROFS, EACCES).
 */
async function makeFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (cause) {
    let existing = dirname(folder);
    while (
      existing !== dirname(existing) &&
      !(await stat(existing).then(
        () => true,
        () => false,
      ))
    )
      existing = dirname(existing);
    const reason = await access(existing, constants.W_OK).then(
      () => cause,
      (e: unknown) => e,
    );
    throw writeError(folder, reason);
  }
}

function outputFor(o: BatchOptions, i: BatchInput): string {
  return join(o.outDir, o.settings.detached ? `${i.relative}.p7s` : i.relative);
}

/** True when `output` exists and already carries a signature by this signer (for --resume). */
async function alreadySigned(output: string, signer: Signer): Promise<boolean> {
  const exists = await stat(output).then(
    () => true,
    () => false,
  );
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
    private readonly jobs: number,
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
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.count}/${this.total} ${rate.toFixed(1)} files/s ETA ${eta}s `,
      );
      if (e.status === 'failed') process.stderr.write(`\nFAILED ${e.input}: ${e.error?.message}\n`);
    } else {
      process.stderr.write(
        e.status === 'failed'
          ? `FAILED ${e.input}: ${e.error?.message} [${e.error?.code}]\n`
          : `${e.status} ${e.input} -> ${e.output}\n`,
      );
    }
  }
  end(entries: ManifestEntry[]): void {
    const n = (s: ManifestEntry['status']) => entries.filter((e) => e.status === s).length;
    const summary = {
      signed: n('signed'),
      skipped: n('skipped'),
      failed: n('failed'),
      notStarted: n('not-started'),
      seconds: (Date.now() - this.start) / 1000,
      jobs: this.jobs,
    };
    if (this.json) process.stdout.write(JSON.stringify({ summary }) + '\n');
    else
      process.stderr.write(
        `${this.tty ? '\n' : ''}signed ${summary.signed}, skipped ${summary.skipped}, failed ${summary.failed}${summary.notStarted ? `, not started ${summary.notStarted}` : ''} in ${summary.seconds.toFixed(1)} s\n`,
      );
  }
}
