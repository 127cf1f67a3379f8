import { closeSync, constants, fstatSync, fsyncSync, openSync, read, readSync } from 'node:fs';
import { copyFile, open as openFile } from 'node:fs/promises';
import { replaceFile, writeAll } from '../core/atomic-file.js';
import { KysoError } from '../core/errors.js';
import type { DigestAlgorithm } from '../core/algorithms.js';
import type { Hasher } from '../crypto/digest.js';
import { knowPrefix, prefixHasher, readAhead, registerLazyBytes } from './lazy-bytes.js';

// Node only: path-based APIs for documents of any size. The file is never held whole: the parser reads the
// regions it needs, ranges are hashed as a stream, and the signed output is the input copied on disk with the
// update appended.

const BLOCK = 64 * 1024;
const CHUNK = 1024 * 1024;

/** A file open for lazy reading. */
export interface LazyFile {
  bytes: Uint8Array;
  close(): void;
}

/** The bytes of a file, read lazily (see lazy-bytes.ts). Close it when done. */
export function openLazyFile(path: string): LazyFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (cause) {
    throw new KysoError('ERR_IO', `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  const size = fstatSync(fd).size;
  const bytes = new Uint8Array(size); // zero pages: memory is used only where the file is read in
  const loaded = new Set<number>();
  const scratch = new Uint8Array(CHUNK);
  registerLazyBytes(bytes, {
    load(offset, length) {
      for (let b = Math.floor(offset / BLOCK); b * BLOCK < offset + length; b++) {
        if (loaded.has(b)) continue;
        const start = b * BLOCK;
        readSync(fd, bytes, start, Math.min(BLOCK, size - start), start);
        loaded.add(b);
      }
    },
    stream(offset, length, onChunk) {
      for (let at = offset; at < offset + length;) {
        const n = readSync(fd, scratch, 0, Math.min(CHUNK, offset + length - at), at);
        if (n <= 0) break;
        onChunk(scratch.subarray(0, n));
        at += n;
      }
    },
    async streamAhead(offset, length, onChunk) {
      const end = offset + length;
      const buffers = [scratch, new Uint8Array(CHUNK)] as const;
      const readInto = (i: 0 | 1, at: number) =>
        new Promise<number>((resolve, reject) =>
          read(fd, buffers[i], 0, Math.min(CHUNK, end - at), at, (e, n) => (e ? reject(e) : resolve(n))),
        );
      let i: 0 | 1 = 0;
      let at = offset;
      let next = at < end ? readInto(i, at) : undefined;
      try {
        while (next) {
          const n = await next;
          next = undefined;
          if (n <= 0) break;
          const chunk = buffers[i].subarray(0, n);
          at += n;
          i = i === 0 ? 1 : 0;
          if (at < end) next = readInto(i, at);
          onChunk(chunk);
        }
      } finally {
        await next?.catch(() => undefined); // no read left going into a buffer or a descriptor after this
      }
    },
  });
  return { bytes, close: () => closeSync(fd) };
}

/** Options of the path-based APIs (`signPdfFile`, `timestampPdfFile`, `addLtvFile`). */
export interface SignPdfFileOptions {
  /** Replace an existing output. Default: false. */
  overwrite?: boolean;
}

/** One step of {@link extendPdfFile}: from the document so far (read lazily), the incremental update to append. */
export type PdfFileStep = (document: Uint8Array) => Promise<Uint8Array>;

/** Options of {@link extendPdfFile}. */
export interface ExtendPdfFileOptions extends SignPdfFileOptions {
  /** Also give the SHA-256 of the input and of the output (what a manifest records). */
  sha256?: boolean;
  /**
   * Digests the first step takes of the whole input (its signature's): computed in a pass that starts at once,
   * before the steps are ready, reading on another thread while hashing.
   */
  hashes?: readonly DigestAlgorithm[];
}

/** The SHA-256 of `extendPdfFile`'s input and output. */
export interface PdfFileDigests {
  input: Uint8Array;
  output: Uint8Array;
}

/**
 * Appends the updates of `steps`, in order, to a copy of `input`, and writes it atomically as `output` — a
 * signature, then validation data, then a document timestamp, say, with one copy of a large file. Each step
 * reads the document as the steps before it left it, lazily; the first reads `input` itself while the
 * operating system copies it (and flushes the copy) beside. On failure nothing is left but `input`, untouched.
 *
 * The input is read once (and copied by the operating system): a step's digest of the whole document so far
 * goes on from the state the steps before it left, and with `sha256` the input's and the output's digests
 * come from that same pass (the output is the input and the updates). `steps` may still be in the making (a
 * signer being loaded): with `sha256` or `hashes` the pass over the input starts at once and the steps go on
 * from it.
 */
export async function extendPdfFile(
  input: string,
  output: string,
  steps: readonly PdfFileStep[] | Promise<readonly PdfFileStep[]>,
  options: ExtendPdfFileOptions = {},
): Promise<PdfFileDigests | undefined> {
  let digests: PdfFileDigests | undefined;
  const ready = Promise.resolve(steps);
  const stepsFailed = new AbortController();
  ready.catch((e: unknown) => stepsFailed.abort(e)); // awaited below, where its failure is thrown
  await replaceFile(
    output,
    async (tmp) => {
      let copied = false;
      let sha256: Hasher | undefined;
      let inputSha256: Uint8Array | undefined;
      let ahead: LazyFile | undefined; // the input, opened to be read before the steps are ready
      const open = () => {
        const file = ahead ?? openLazyFile(copied ? tmp : input);
        ahead = undefined;
        return file;
      };
      // the operating system copies the input and flushes the copy on its own threads while the first step reads
      // and hashes the input here
      const copy = copyAndFlush(input, tmp);
      copy.catch(() => undefined);
      try {
        await runSteps();
      } finally {
        ahead?.close();
        await copy.catch(() => undefined); // settled before a failure removes the temporary file
      }
      async function runSteps(): Promise<void> {
        const hashes = [...(options.sha256 ? ['SHA-256' as const] : []), ...(options.hashes ?? [])];
        if (hashes.length) {
          ahead = openLazyFile(input);
          await readAhead(ahead.bytes, { hashes, signal: stepsFailed.signal });
        }
        for (const step of await ready) {
          const { bytes, close } = open();
          let update: Uint8Array;
          try {
            if (sha256) knowPrefix(bytes, 'SHA-256', bytes.length, sha256);
            update = await step(bytes);
            if (options.sha256 && !sha256) {
              sha256 = prefixHasher(bytes, 'SHA-256', bytes.length);
              inputSha256 = await sha256.copy().digest();
            }
          } finally {
            close();
          }
          if (!copied) await copy;
          copied = true;
          append(tmp, update, false);
          sha256?.update(update);
        }
        if (options.sha256 && !sha256) {
          const { bytes, close } = open();
          try {
            sha256 = prefixHasher(bytes, 'SHA-256', bytes.length);
          } finally {
            close();
          }
          inputSha256 = await sha256.copy().digest();
        }
        if (!copied) await copy;
        append(tmp, new Uint8Array(0), true);
        if (sha256) digests = { input: inputSha256!, output: await sha256.digest() };
      }
    },
    { overwrite: options.overwrite, overwriteHint: 'pass overwrite' },
  );
  return digests;
}

async function copyAndFlush(input: string, copy: string): Promise<void> {
  // a copy-on-write clone where the file system makes one (Btrfs, XFS): no data copied; else a kernel copy
  await copyFile(input, copy, constants.COPYFILE_FICLONE);
  const file = await openFile(copy, 'r+');
  try {
    await file.datasync();
  } finally {
    await file.close();
  }
}

function append(path: string, bytes: Uint8Array, flush: boolean): void {
  const fd = openSync(path, 'a');
  try {
    writeAll(fd, [bytes]);
    if (flush) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
