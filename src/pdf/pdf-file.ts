import { closeSync, copyFileSync, fstatSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { KysoError, writeError } from '../core/errors.js';
import { registerLazyBytes } from './lazy-bytes.js';
import { signPdfToUpdate, type SignPdfOptions } from './sign-pdf.js';

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
      for (let at = offset; at < offset + length; ) {
        const n = readSync(fd, scratch, 0, Math.min(CHUNK, offset + length - at), at);
        if (n <= 0) break;
        onChunk(scratch.subarray(0, n));
        at += n;
      }
    },
  });
  return { bytes, close: () => closeSync(fd) };
}

/** Options of {@link signPdfFile}. */
export interface SignPdfFileOptions {
  /** Replace an existing output. Default: false. */
  overwrite?: boolean;
}

/**
 * Signs the PDF at `input` into `output` without holding the document in memory: for archives of scanned
 * documents of hundreds of megabytes. Same signatures as {@link signPdf}; the output is written atomically.
 *
 * @example
 * ```ts
 * await signPdfFile('scan-2026.pdf', 'scan-2026-signed.pdf', { signer });
 * ```
 */
export async function signPdfFile(input: string, output: string, options: SignPdfOptions & SignPdfFileOptions): Promise<void> {
  if (!options.overwrite && existsSync(output)) throw new KysoError('ERR_IO', `${output} already exists; pass overwrite to replace it`);
  const { bytes, close } = openLazyFile(input);
  const tmp = join(dirname(output), `.${basename(output)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const { update } = await signPdfToUpdate(bytes, options);
    try {
      copyFileSync(input, tmp);
      const fd = openSync(tmp, 'a');
      try {
        writeSync(fd, update);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, output);
    } catch (cause) {
      throw writeError(output, cause);
    }
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw e;
  } finally {
    close();
  }
}
