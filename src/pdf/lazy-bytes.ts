import type { DigestAlgorithm } from '../core/algorithms.js';
import { createHasher, type Hasher } from '../crypto/digest.js';

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

/**
 * The digest states of a file's prefixes already hashed, by digest (the last one taken), so that no prefix is
 * hashed twice: a file of k signatures hashes its bytes once, not k times, when they are digested in order.
 */
export type PrefixDigests = Map<DigestAlgorithm, { length: number; hasher: Hasher }>;

/** A lazy file, and the digest states of its prefixes already hashed. */
interface Lazy {
  source: LazySource;
  prefixes: PrefixDigests;
  /** Offsets of the {@link MARKS} in the whole file, once scanned. */
  marks?: Map<string, number[]>;
}

const sources = new WeakMap<ArrayBufferLike, Lazy>();

/** Makes `bytes` lazy. */
export function registerLazyBytes(bytes: Uint8Array, source: LazySource): void {
  sources.set(bytes.buffer, { source, prefixes: new Map() });
}

/** Makes sure `bytes[offset, offset + length)` holds the file's bytes (no-op for in-memory bytes). */
export function ensureRange(bytes: Uint8Array, offset: number, length: number): void {
  const src = sources.get(bytes.buffer)?.source;
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
  const src = sources.get(bytes.buffer)?.source;
  if (src) src.stream(bytes.byteOffset + offset, length, onChunk);
  else onChunk(bytes.subarray(offset, offset + length));
}

/**
 * A hasher that has taken in `bytes[0, length)`, to go on with. A lazy file remembers the state, so that the
 * prefix is read and hashed once however many digests start with it: a signature's digest, and the digests of
 * the input and the output a manifest records, come from one pass. In-memory bytes remember it in `memo`, kept
 * by the caller for as long as it knows the bytes unchanged (one verification, say).
 */
export function prefixHasher(bytes: Uint8Array, hash: DigestAlgorithm, length: number, memo?: PrefixDigests): Hasher {
  const prefixes = (bytes.byteOffset === 0 ? sources.get(bytes.buffer)?.prefixes : undefined) ?? memo;
  const known = prefixes?.get(hash);
  let h: Hasher;
  let from = 0;
  if (known && known.length <= length) {
    h = known.hasher.copy();
    from = known.length;
  } else h = createHasher(hash);
  forEachChunk(bytes, from, length - from, (c) => h.update(c));
  if (prefixes && from < length) prefixes.set(hash, { length, hasher: h.copy() });
  return h;
}

/**
 * Tells a lazy file that `hasher` has taken in its first `length` bytes (the bytes it was copied from, say),
 * so that digests starting there need not read them again. No-op for in-memory bytes.
 */
export function knowPrefix(bytes: Uint8Array, hash: DigestAlgorithm, length: number, hasher: Hasher): void {
  const lazy = bytes.byteOffset === 0 ? sources.get(bytes.buffer) : undefined;
  lazy?.prefixes.set(hash, { length, hasher: hasher.copy() });
}

/** Options of {@link digestRanges}. */
export interface DigestRangesOptions {
  /** Bytes taken in after the ranges (a prepared update not yet written). */
  extra?: readonly Uint8Array[];
  /** Where the states of prefixes already hashed are kept, for in-memory bytes (see {@link prefixHasher}). */
  prefixes?: PrefixDigests;
}

/** Digest of several `[offset, length]` ranges of `bytes` taken as one message. */
export async function digestRanges(
  bytes: Uint8Array,
  hash: DigestAlgorithm,
  ranges: readonly [number, number][],
  { extra = [], prefixes }: DigestRangesOptions = {},
): Promise<Uint8Array> {
  const [first, ...rest] = ranges;
  const h = first && first[0] === 0 ? prefixHasher(bytes, hash, first[1], prefixes) : createHasher(hash);
  for (const [offset, length] of first && first[0] === 0 ? rest : ranges)
    forEachChunk(bytes, offset, length, (c) => h.update(c));
  for (const e of extra) h.update(e);
  return h.digest();
}

/** Node's Buffer, where there is one: its indexOf searches in native code. */
const NodeBuffer = (
  globalThis as {
    Buffer?: {
      from(b: ArrayBufferLike, offset: number, length: number): { indexOf(n: Uint8Array, from: number): number };
    };
  }
).Buffer;

/**
 * Native search works fastest with a short pattern (V8's search for longer ones costs about 4x here): the
 * first bytes are searched, the rest compared.
 */
const HEAD = 5;

/** Offsets of `head` in `chunk` from `from` on, searched natively where possible. */
function headFinder(chunk: Uint8Array, head: Uint8Array): (from: number) => number {
  if (NodeBuffer) {
    const b = NodeBuffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    return (from) => b.indexOf(head, from);
  }
  return (from) => {
    for (let at = chunk.indexOf(head[0]!, from); at >= 0; at = chunk.indexOf(head[0]!, at + 1)) {
      let k = 1;
      while (k < head.length && chunk[at + k] === head[k]) k++;
      if (k === head.length) return at;
    }
    return -1;
  };
}

/**
 * The marks PDF code looks for across a whole file (revisions' ends, signatures): in a lazy file all are
 * found in one pass, the first time any is asked for.
 */
const MARKS = ['%%EOF', '/ByteRange'];
const MAX_FOUND = 1_000_000;

/** Every offset of `needle` in `bytes` (at most `max`), scanning a lazy file as a stream. */
export function findAll(bytes: Uint8Array, needle: Uint8Array, max = MAX_FOUND): number[] {
  const lazy = bytes.byteOffset === 0 ? sources.get(bytes.buffer) : undefined;
  const key = String.fromCharCode(...needle);
  if (!lazy || !MARKS.includes(key)) return scan(bytes, [needle], max)[0]!;
  lazy.marks ??= new Map(
    scan(
      bytes,
      MARKS.map((m) => Uint8Array.from(m, (c) => c.charCodeAt(0))),
      MAX_FOUND,
    ).map((found, i) => [MARKS[i]!, found]),
  );
  return lazy.marks.get(key)!.slice(0, max);
}

/** The offsets of each needle in `bytes`, in one pass. */
function scan(bytes: Uint8Array, needles: readonly Uint8Array[], max: number): number[][] {
  const found = needles.map((): number[] => []);
  const longest = Math.max(...needles.map((n) => n.length));
  let base = 0;
  let carry = new Uint8Array(0);
  forEachChunk(bytes, 0, bytes.length, (chunk) => {
    const window = carry.length ? Uint8Array.from([...carry, ...chunk.subarray(0, longest)]) : new Uint8Array(0);
    needles.forEach((needle, n) => {
      const out = found[n]!;
      // matches that straddle the previous chunk's end
      for (let i = 0; i < carry.length && i + needle.length <= window.length; i++)
        if (i + needle.length > carry.length && needle.every((b, k) => window[i + k] === b))
          out.push(base - carry.length + i);
      const head = needle.subarray(0, HEAD);
      const next = headFinder(chunk, head);
      for (let at = next(0); at >= 0 && at + needle.length <= chunk.length && out.length < max; at = next(at + 1)) {
        let k = head.length;
        while (k < needle.length && chunk[at + k] === needle[k]) k++;
        if (k === needle.length) out.push(base + at);
      }
    });
    carry = chunk.slice(Math.max(0, chunk.length - longest + 1));
    base += chunk.length;
  });
  return found.map((out) => out.sort((a, b) => a - b));
}
