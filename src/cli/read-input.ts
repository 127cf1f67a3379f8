import { readFile } from 'node:fs/promises';
import { fromLatin1, isPem, parsePem } from '../core/bytes.js';
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

const crlFiles = new Map<string, Promise<Uint8Array[]>>();

/** The CRLs of a file named on the command line (DER, or PEM with one or more), read once per run. */
export function readCrls(path: string): Promise<Uint8Array[]> {
  let crls = crlFiles.get(path);
  if (!crls) {
    crls = readInput(path).then((bytes) => (isPem(bytes) ? parsePem(fromLatin1(bytes)).filter((b) => b.label === 'X509 CRL').map((b) => b.der) : [bytes]));
    crlFiles.set(path, crls);
  }
  return crls;
}
