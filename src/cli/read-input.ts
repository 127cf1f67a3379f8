import { readFile } from 'node:fs/promises';
import { UsageError } from './usage-error.js';

/**
 * Reads a file named on the command line. A missing or unreadable file is the user's mistake, so it is a
 * {@link UsageError}. The result is a plain Uint8Array view of the read buffer (no second copy), so
 * `slice` keeps its copying meaning downstream.
 */
export async function readInput(path: string): Promise<Uint8Array> {
  const b = await readFile(path).catch((e: Error) => {
    throw new UsageError(`cannot read ${path}: ${e.message}`);
  });
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
