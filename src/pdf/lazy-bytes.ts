import type { DigestAlgorithm } from '../core/algorithms.js';
import { createHasher } from '../crypto/digest.js';

/**
 * Large files are read lazily: their bytes live in a zero-filled buffer of the file's size (which the
 * operating system backs with memory only where it is written), and regions are read from disk when the
 * parser is about to look at them. Code that parses calls {@link ensureRange} first; code that scans or hashes
 * whole ranges goes through {@link forEachChunk}, which streams a lazy file through a small buffer instead of
 * filling the big one. For ordinary in-memory bytes both are plain views.
 */
export interface LazySource {
  /** Fills `[offset, offset + length)` of the buffer from the file. */
  load(offset: number, length: number): void;
  /** Reads `[offset, offset + length)` from the file in chunks, without keeping them. */
  stream(offset: number, length: number, onChunk: (chunk: Uint8Array) => void): void;
}

const sources = new WeakMap<ArrayBufferLike, LazySource>();

/** Makes `bytes` lazy. */
export function registerLazyBytes(bytes: Uint8Array, source: LazySource): void {
  sources.set(bytes.buffer, source);
}

/** Makes sure `bytes[offset, offset + length)` holds the file's bytes (no-op for in-memory bytes). */
export function ensureRange(bytes: Uint8Array, offset: number, length: number): void {
  const src = sources.get(bytes.buffer);
  if (!src) return;
  const start = Math.max(0, Math.floor(offset));
  const end = Math.min(bytes.length, Math.ceil(offset + length));
  if (end > start) src.load(bytes.byteOffset + start, end - start);
}

/** Calls `onChunk` with the bytes of `[offset, offset + length)` in order, streaming when the bytes are lazy. */
export function forEachChunk(
  bytes: Uint8Array,
  offset: number,
  length: number,
  onChunk: (chunk: Uint8Array) => void,
): void {
  const src = sources.get(bytes.buffer);
  if (src) src.stream(bytes.byteOffset + offset, length, onChunk);
  else onChunk(bytes.subarray(offset, offset + length));
}

/** Digest of several `[offset, length]` ranges of `bytes` taken as one message. */
export async function digestRanges(
  bytes: Uint8Array,
  hash: DigestAlgorithm,
  ranges: readonly [number, number][],
  extra: readonly Uint8Array[] = [],
): Promise<Uint8Array> {
  const h = createHasher(hash);
  for (const [offset, length] of ranges) forEachChunk(bytes, offset, length, (c) => h.update(c));
  for (const e of extra) h.update(e);
  return h.digest();
}

/** Every offset of `needle` in `bytes`, scanning a lazy file as a stream. */
export function findAll(bytes: Uint8Array, needle: Uint8Array, max = 1_000_000): number[] {
  const out: number[] = [];
  let base = 0;
  let carry = new Uint8Array(0);
  forEachChunk(bytes, 0, bytes.length, (chunk) => {
    const window = carry.length ? Uint8Array.from([...carry, ...chunk.subarray(0, needle.length)]) : new Uint8Array(0);
    // matches that straddle the previous chunk's end
    for (let i = 0; i + needle.length <= window.length; i++)
      if (needle.every((b, k) => window[i + k] === b) && i < carry.length) out.push(base - carry.length + i);
    for (
      let at = chunk.indexOf(needle[0]!);
      at >= 0 && at + needle.length <= chunk.length && out.length < max;
      at = chunk.indexOf(needle[0]!, at + 1)
    ) {
      let k = 1;
      while (k < needle.length && chunk[at + k] === needle[k]) k++;
      if (k === needle.length) out.push(base + at);
    }
    carry = chunk.slice(Math.max(0, chunk.length - needle.length + 1));
    base += chunk.length;
  });
  return out.sort((a, b) => a - b);
}
