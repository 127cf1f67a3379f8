import { KysoError } from './errors.js';

/** Binary input accepted at every public boundary. */
export type BinaryInput = Uint8Array | ArrayBuffer | ArrayBufferView;

/** Normalises any binary input to a `Uint8Array` view, without copying. */
export function toBytes(input: BinaryInput, what = 'input'): Uint8Array {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw new KysoError('ERR_INVALID_ARGUMENT', `${what} must be a Uint8Array or ArrayBuffer`);
}

/**
 * An exact-size `ArrayBuffer` holding the bytes of `bytes`: WebCrypto and pkijs take `ArrayBuffer`s, and a
 * view into a larger (pooled) buffer must not leak its neighbours.
 */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  // new Uint8Array(view) copies; Buffer#slice would share memory and expose the whole pool.
  return new Uint8Array(bytes).buffer as ArrayBuffer;
}

/** Concatenates byte arrays into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** True when both arrays hold the same bytes (natively under Node past a few dozen: certificates are compared whole). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  if (NodeBuffer && a.length > 64) return NodeBuffer.from(a.buffer, a.byteOffset, a.length).equals(b);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hexadecimal of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  if (NodeBuffer && bytes.length > 32)
    return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}

/** Decodes hexadecimal (whitespace ignored); throws on odd length or a non-hex character. */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
    throw new KysoError('ERR_INVALID_ARGUMENT', 'not a hexadecimal string');
  }
  return hexDigitsToBytes(latin1(clean), 0, clean.length)!;
}

/** The value of the ASCII hexadecimal digit `c` (a character code or byte), or -1. */
export function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/**
 * The bytes the hexadecimal digits `bytes[from, to)` spell, or undefined when one of them is not a digit (white
 * space included) or there is an odd number of them. Native under Node: a signature's /Contents is kilobytes of
 * hexadecimal that every verification reads.
 */
export function hexDigitsToBytes(bytes: Uint8Array, from: number, to: number): Uint8Array | undefined {
  const length = to - from;
  if (length % 2 !== 0) return undefined;
  const out = new Uint8Array(length / 2);
  if (NodeBuffer && length > 64) {
    const text = NodeBuffer.from(bytes.buffer, bytes.byteOffset + from, length).toString('latin1');
    // Node's hex writer stops at the first pair that is not two digits
    return NodeBuffer.from(out.buffer, 0, out.length).write(text, 0, 'hex') === out.length ? out : undefined;
  }
  for (let i = 0; i < out.length; i++) {
    const hi = hexDigit(bytes[from + 2 * i]!);
    const lo = hexDigit(bytes[from + 2 * i + 1]!);
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/**
 * Writes the lower-case hexadecimal digits of `bytes` into `out` from `at`: natively under Node, where a signature's
 * kilobytes of CMS go into its /Contents on every signing.
 */
export function writeHexDigits(out: Uint8Array, at: number, bytes: Uint8Array): void {
  if (NodeBuffer) NodeBuffer.from(out.buffer, out.byteOffset, out.length).write(toHex(bytes), at, 'latin1');
  else out.set(latin1(toHex(bytes)), at);
}

/** Bytes of a string whose characters are all below U+0100 (PDF syntax is byte-oriented). */
export function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  writeLatin1(out, 0, s);
  return out;
}

/** Writes the bytes of `s` (characters below U+0100, as {@link latin1}) into `out` from `at`. */
export function writeLatin1(out: Uint8Array, at: number, s: string): void {
  // Node's latin1 writer is native and takes the low byte of each character, as the loop does; a signature
  // reserves kilobytes of /Contents hex that every signing call writes
  if (NodeBuffer && s.length > 32) NodeBuffer.from(out.buffer, out.byteOffset, out.length).write(s, at, 'latin1');
  else for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i) & 0xff;
}

/** Node's Buffer where there is one (not in browsers); found without an import, like nodeCrypto. */
const NodeBuffer = (
  globalThis as {
    Buffer?: {
      from(
        b: ArrayBufferLike,
        offset: number,
        length: number,
      ): {
        write(s: string, offset: number, e: 'latin1' | 'hex'): number;
        toString(e: 'latin1' | 'hex'): string;
        indexOf(s: string, o: number, e: 'latin1'): number;
        equals(other: Uint8Array): boolean;
      };
    };
  }
).Buffer;

/** String of one character per byte (the inverse of {@link latin1}). */
export function fromLatin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let s = '';
  const CHUNK = 0x8000;
  for (let i = start; i < end; i += CHUNK) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

/** Standard base64 of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  return btoa(fromLatin1(bytes));
}

/** Decodes standard base64 (whitespace ignored). */
export function fromBase64(b64: string): Uint8Array {
  try {
    return latin1(atob(b64.replace(/\s+/g, '')));
  } catch (cause) {
    throw new KysoError('ERR_INVALID_ARGUMENT', 'not a base64 string', { cause });
  }
}

/**
 * True when `text` is canonical base64: the RFC 4648 alphabet in groups of four, `=` padding only to close
 * the last group. One pass over the characters, no regular expression — a backtracking pattern overflows the
 * stack on a value of a few megabytes.
 */
export function isBase64(text: string): boolean {
  const n = text.length;
  if (n === 0 || n % 4 !== 0) return false;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  for (let i = 0; i < n - pad; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    if (!ok) return false;
  }
  return true;
}

/** One block of a PEM file. */
export interface PemBlock {
  /** The label, e.g. `CERTIFICATE`, `PRIVATE KEY`, `RSA PRIVATE KEY`, `EC PRIVATE KEY`. */
  label: string;
  /** The decoded DER bytes. */
  der: Uint8Array;
}

const PEM_BEGIN = '-----BEGIN ';

/**
 * True when `bytes` look like PEM text rather than DER: `-----BEGIN ` within their first 4 KB. Searched in the
 * bytes (natively under Node), not in a string made of them: every certificate decoded, DER nearly always, asks.
 */
export function isPem(bytes: Uint8Array): boolean {
  const length = Math.min(bytes.length, 4096);
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, length).indexOf(PEM_BEGIN, 0, 'latin1') >= 0;
  for (let i = 0; i + PEM_BEGIN.length <= length; i++) {
    let k = 0;
    while (k < PEM_BEGIN.length && bytes[i + k] === PEM_BEGIN.charCodeAt(k)) k++;
    if (k === PEM_BEGIN.length) return true;
  }
  return false;
}

/** All PEM blocks in `text`, in order. Headers such as `Proc-Type` are not supported (encrypted PEM). */
export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    blocks.push({ label: m[1]!, der: fromBase64(m[2]!) });
  }
  return blocks;
}

/** PEM text of one DER block. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der).replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
