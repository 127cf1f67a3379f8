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
  /** {@link stream}, the next chunk read on another thread while `onChunk` works on the one before. */
  streamAhead(offset: number, length: number, onChunk: (chunk: Uint8Array) => void): Promise<void>;
}

/**
 * The digest states of a file's prefixes already hashed, by digest and by the length each has taken in, so that
 * no prefix is hashed twice: a file of k signatures hashes its bytes once, not k times.
 */
export type PrefixDigests = Map<DigestAlgorithm, Map<number, Hasher>>;

/** Keeps a copy of `hasher`, which has taken in the first `length` bytes. */
function rememberPrefix(prefixes: PrefixDigests, hash: DigestAlgorithm, length: number, hasher: Hasher): void {
  const states = prefixes.get(hash) ?? new Map<number, Hasher>();
  if (!states.has(length)) states.set(length, hasher.copy());
  prefixes.set(hash, states);
}

/** The longest prefix known not longer than `length`: its length and state. */
function longestPrefix(
  prefixes: PrefixDigests | undefined,
  hash: DigestAlgorithm,
  length: number,
): { length: number; hasher: Hasher } | undefined {
  let best: { length: number; hasher: Hasher } | undefined;
  for (const [n, hasher] of prefixes?.get(hash) ?? [])
    if (n <= length && n > (best?.length ?? -1)) best = { length: n, hasher };
  return best;
}

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
  const known = longestPrefix(prefixes, hash, length);
  const h = known ? known.hasher.copy() : createHasher(hash);
  const from = known?.length ?? 0;
  forEachChunk(bytes, from, length - from, (c) => h.update(c));
  if (prefixes && from < length) rememberPrefix(prefixes, hash, length, h);
  return h;
}

/**
 * Tells a lazy file that `hasher` has taken in its first `length` bytes (the bytes it was copied from, say),
 * so that digests starting there need not read them again. No-op for in-memory bytes.
 */
export function knowPrefix(bytes: Uint8Array, hash: DigestAlgorithm, length: number, hasher: Hasher): void {
  const lazy = bytes.byteOffset === 0 ? sources.get(bytes.buffer) : undefined;
  if (lazy) rememberPrefix(lazy.prefixes, hash, length, hasher);
}

/** What {@link readAhead} takes from the file's one pass. */
export interface ReadAheadOptions {
  /** Digests of the whole file to go on from (see {@link readAhead} for the states kept). */
  hashes?: readonly DigestAlgorithm[];
  /** Find the offsets {@link findAll} gives for the marks PDF code looks for. */
  marks?: boolean;
  /** Stops the pass (which throws the reason) when aborted: its results will not be wanted. */
  signal?: AbortSignal;
}

/**
 * How far apart the states of a whole-file digest are kept at least: a later digest of any prefix goes on from
 * the nearest state before its end, hashing at most this much again (16 MiB: some milliseconds, and some
 * thousand states for a file of 100 GB).
 */
export const CHECKPOINT = 16 * 1024 * 1024;

/** At most so many chunks holding a mark keep their states (a file of marks everywhere keeps the checkpoints). */
const MARKED_CHUNKS = 2048;

/**
 * Reads a lazy file once, ahead of the code that asks for its digests and marks, so that they cost no further
 * pass: the offsets of its marks come from this one, and so do the digests of its prefixes — states are kept
 * at its end, every {@link CHECKPOINT} bytes, and where a signature's signed range may end (at the start of a
 * chunk holding a mark, and of the chunk before it). The file is read on another thread while the chunk
 * before is hashed. No-op for in-memory bytes.
 */
export async function readAhead(
  bytes: Uint8Array,
  { hashes = [], marks = false, signal }: ReadAheadOptions,
): Promise<void> {
  const lazy = bytes.byteOffset === 0 ? sources.get(bytes.buffer) : undefined;
  if (!lazy) return;
  const todo = [...new Set(hashes)].filter(
    (h) => longestPrefix(lazy.prefixes, h, bytes.length)?.length !== bytes.length,
  );
  const scanner = marks && !lazy.marks ? markScanner() : undefined;
  if (!todo.length && !scanner) return;
  const hashers = todo.map((hash) => ({ hash, hasher: createHasher(hash) }));
  const remember = (states: readonly Hasher[], length: number) =>
    hashers.forEach(({ hash }, i) => rememberPrefix(lazy.prefixes, hash, length, states[i]!));
  let at = 0;
  let marked = 0;
  let before = { at: 0, states: hashers.map(({ hasher }) => hasher.copy()) }; // at the previous chunk's start
  await lazy.source.streamAhead(0, bytes.length, (chunk) => {
    signal?.throwIfAborted();
    if (scanner) {
      const seen = scanner.count();
      scanner.feed(chunk);
      const states = hashers.map(({ hasher }) => hasher.copy());
      if (hashers.length && scanner.count() > seen && marked++ < MARKED_CHUNKS) {
        remember(before.states, before.at);
        remember(states, at);
      }
      before = { at, states };
    }
    for (const { hasher } of hashers) hasher.update(chunk);
    const checkpoint = Math.floor(at / CHECKPOINT) < Math.floor((at + chunk.length) / CHECKPOINT);
    at += chunk.length;
    if (checkpoint || at === bytes.length)
      remember(
        hashers.map(({ hasher }) => hasher),
        at,
      );
  });
  if (scanner) lazy.marks = scanner.found();
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
  if (!lazy || !MARKS.includes(key)) {
    const scanner = needleScanner([needle], max);
    forEachChunk(bytes, 0, bytes.length, scanner.feed);
    return scanner.found()[0]!;
  }
  if (!lazy.marks) {
    const scanner = markScanner();
    forEachChunk(bytes, 0, bytes.length, scanner.feed);
    lazy.marks = scanner.found();
  }
  return lazy.marks.get(key)!.slice(0, max);
}

/** A scanner of the {@link MARKS}, by mark. */
function markScanner(): { feed(chunk: Uint8Array): void; count(): number; found(): Map<string, number[]> } {
  const scanner = needleScanner(
    MARKS.map((m) => Uint8Array.from(m, (c) => c.charCodeAt(0))),
    MAX_FOUND,
  );
  return { ...scanner, found: () => new Map(scanner.found().map((found, i) => [MARKS[i]!, found])) };
}

/** The offsets of each needle (at most `max` each) in the chunks fed to it in order, sorted. */
function needleScanner(
  needles: readonly Uint8Array[],
  max: number,
): { feed(chunk: Uint8Array): void; count(): number; found(): number[][] } {
  const found = needles.map((): number[] => []);
  const longest = Math.max(...needles.map((n) => n.length));
  let base = 0;
  let carry = new Uint8Array(0);
  const feed = (chunk: Uint8Array) => {
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
  };
  return {
    feed,
    count: () => found.reduce((n, out) => n + out.length, 0),
    found: () => found.map((out) => out.sort((a, b) => a - b)),
  };
}
