// Node only: the one way kyso replaces a file, for the CLI's outputs and the path-based PDF APIs.
import { closeSync, existsSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { KysoError, writeError } from './errors.js';

/** Options of {@link replaceFile}. */
export interface ReplaceFileOptions {
  /** Replace an existing file. Default: false — an existing output is an error, so nothing is lost. */
  overwrite?: boolean;
  /** How the caller asks for an overwrite, for the error message (`pass --force`, `pass overwrite`). */
  overwriteHint: string;
}

/**
 * Writes `path` so that readers see the old file or the whole new one, never a part: `fill` writes (and
 * flushes) a temporary file in the same folder, which is then renamed over `path`. On any failure the
 * temporary file is removed and `path` is untouched. A file-system error becomes `ERR_DISK_FULL` or `ERR_IO`
 * naming `path`; any other error (a signer's, a TSA's) passes unchanged.
 */
export async function replaceFile(
  path: string,
  fill: (tmp: string) => Promise<void> | void,
  options: ReplaceFileOptions,
): Promise<void> {
  if (!options.overwrite && existsSync(path))
    throw new KysoError('ERR_IO', `${path} already exists; ${options.overwriteHint} to replace it`);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fill(tmp);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    throw typeof (e as { syscall?: unknown })?.syscall === 'string' ? writeError(path, e) : e;
  }
}

/** Writes every byte of `parts`, in order, at the file's position (short writes are resumed). */
export function writeAll(fd: number, parts: readonly Uint8Array[]): void {
  for (const part of parts) for (let at = 0; at < part.length;) at += writeSync(fd, part, at, part.length - at);
}

/** Closes `fd` when the caller is already failing: the first error is the one to report. */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already failing
  }
}
