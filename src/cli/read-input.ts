import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { fromLatin1, isPem, parsePem } from '../core/bytes.js';
import { UsageError } from './usage-error.js';

/**
 * Reads a file named on the command line. A missing or unreadable file is the user's mistake, so it is a
 * {@link UsageError}. The result is a plain Uint8Array view of the read buffer (no second copy), so
 * `slice` keeps its copying meaning downstream.
 */
export async function readInput(path: string): Promise<Uint8Array> {
  const b = await readFile(path).catch((e: Error) => cannotRead(path, e));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Fails as {@link readInput} would when `path` cannot be read: before asking for a password that opens it. */
export async function checkReadable(path: string): Promise<void> {
  await access(path, constants.R_OK).catch((e: Error) => cannotRead(path, e));
}

function cannotRead(path: string, e: Error): never {
  throw new UsageError(`cannot read ${path}: ${e.message}`);
}

const crlFiles = new Map<string, Promise<Uint8Array[]>>();

/** The CRLs of a file named on the command line (DER, or PEM with one or more), read once per run. */
export function readCrls(path: string): Promise<Uint8Array[]> {
  let crls = crlFiles.get(path);
  if (!crls) {
    crls = readInput(path).then((bytes) =>
      isPem(bytes)
        ? parsePem(fromLatin1(bytes))
            .filter((b) => b.label === 'X509 CRL')
            .map((b) => b.der)
        : [bytes],
    );
    crlFiles.set(path, crls);
  }
  return crls;
}

/** Files larger than this are signed and verified by path, never read whole. */
export const LARGE_FILE = 64 * 1024 * 1024;

/**
 * Opens `path` once: the whole file when it is at most `wholeUpTo` bytes (the head is its start), otherwise
 * only its first kilobyte. Synchronous on purpose: a batch reads thousands of small files, and a thread-pool
 * round trip per call costs more than the read (measured by `npm run bench`); large files are streamed
 * elsewhere. An unreadable input is the user's mistake: a {@link UsageError}.
 */
export async function readSource(path: string, wholeUpTo: number): Promise<{ head: Uint8Array; bytes?: Uint8Array }> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    const { size } = fstatSync(fd);
    if (size > wholeUpTo) {
      const head = new Uint8Array(1024);
      return { head: head.subarray(0, readSync(fd, head, 0, head.length, 0)) };
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (let n = 1; at < size && n > 0; at += n) n = readSync(fd, bytes, at, size - at, at);
    return { head: bytes.subarray(0, 1024), bytes: bytes.subarray(0, at) };
  } finally {
    closeSync(fd);
  }
}

/** True when the file starts (after a BOM and white space) with `<` and is not a PDF. */
export function looksLikeXml(head: Uint8Array): boolean {
  const text = new TextDecoder()
    .decode(head)
    .replace(/^\uFEFF/, '')
    .trimStart();
  return text.startsWith('<') && !text.startsWith('%PDF');
}
