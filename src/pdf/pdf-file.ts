import { closeSync, copyFileSync, fstatSync, fsyncSync, openSync, readSync } from 'node:fs';
import { replaceFile, writeAll } from '../core/atomic-file.js';
import { KysoError } from '../core/errors.js';
import { registerLazyBytes } from './lazy-bytes.js';

// Node only: path-based APIs for documents of any size. The file is never held whole: the parser reads the
// regions it needs, ranges are hashed as a stream, and the signed output is the input copied on disk with the
// update appended.

const BLOCK = 64 * 1024;
const CHUNK = 1024 * 1024;

/** The bytes of a file, read lazily (see lazy-bytes.ts). Close it when done. */
export function openLazyFile(path: string): { bytes: Uint8Array; close(): void } {
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

/**
 * Appends the updates of `steps`, in order, to a copy of `input`, and writes it atomically as `output` — a
 * signature, then validation data, then a document timestamp, say, with one copy of a large file. Each step
 * reads the document as the steps before it left it, lazily; the first reads `input` itself, so a step that
 * fails before any copy costs no copy. On failure nothing is left but `input`, untouched.
 */
export async function extendPdfFile(
  input: string,
  output: string,
  steps: readonly PdfFileStep[],
  options: SignPdfFileOptions = {},
): Promise<void> {
  await replaceFile(
    output,
    async (tmp) => {
      let copied = false;
      for (const step of steps) {
        const { bytes, close } = openLazyFile(copied ? tmp : input);
        let update: Uint8Array;
        try {
          update = await step(bytes);
        } finally {
          close();
        }
        if (!copied) copyFileSync(input, tmp);
        copied = true;
        append(tmp, update, false);
      }
      if (!copied) copyFileSync(input, tmp);
      append(tmp, new Uint8Array(0), true);
    },
    { overwrite: options.overwrite, overwriteHint: 'pass overwrite' },
  );
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
