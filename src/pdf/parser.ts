import { fromLatin1, hexDigit, hexDigitsToBytes } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { ensureRange } from './lazy-bytes.js';
import { PdfDict, PdfName, PdfReal, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.js';

/** Limits that keep hostile input from exhausting time or memory. */
export const PARSE_LIMITS = {
  /** Nesting of arrays and dictionaries. */
  depth: 100,
  /** Items in one array or dictionary. */
  items: 1_000_000,
  /** Bytes of one string or name. */
  tokenBytes: 64 * 1024 * 1024,
};

const WS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

/** True for PDF white-space bytes. */
export const isWhite = (c: number | undefined): boolean => c !== undefined && WS[c] === 1;
/** True for bytes that end a regular token. */
const isEnd = (c: number | undefined): boolean => c === undefined || WS[c] === 1 || DELIM[c] === 1;

/** Resolves a stream's indirect /Length while parsing. */
export type LengthResolver = (ref: PdfRef) => number | undefined;

function fail(message: string, at: number): never {
  throw new KysoError('ERR_PDF_MALFORMED', `${message} at byte ${at}`);
}

/**
 * A PDF syntax parser over a byte array. Positions are absolute offsets; every loop advances or stops, and
 * nesting is bounded, so hostile input ends in a typed error, never a hang.
 */
export class PdfParser {
  pos: number;
  /** True once stream data was found by searching for `endstream` although /Length gave a number. */
  private lengthSearched = false;
  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    private readonly resolveLength?: LengthResolver,
  ) {
    this.pos = pos;
  }

  /** Skips white space and comments. */
  skipWhite(): void {
    const b = this.bytes;
    for (;;) {
      while (this.pos < b.length && WS[b[this.pos]!]) this.pos++;
      if (b[this.pos] !== 0x25) return; // %
      while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
    }
  }

  /** Reads a regular token (keyword or number) at the current position, or `undefined`. */
  peekKeyword(): string | undefined {
    this.skipWhite();
    let end = this.pos;
    while (!isEnd(this.bytes[end])) end++;
    if (end === this.pos) return undefined;
    let s = '';
    for (let i = this.pos; i < end && i - this.pos < 64; i++) s += String.fromCharCode(this.bytes[i]!);
    return s;
  }

  /** Consumes `keyword` or throws. */
  expectKeyword(keyword: string): void {
    const k = this.peekKeyword();
    if (k !== keyword)
      fail(`expected "${keyword}", found "${k ?? String.fromCharCode(this.bytes[this.pos] ?? 32)}"`, this.pos);
    this.pos += keyword.length;
  }

  /** Reads a non-negative integer token. */
  readInteger(): number {
    // read as digits, not as a token's text: every cross-reference entry and object header is two of these
    this.skipWhite();
    const b = this.bytes;
    const start = this.pos;
    let end = start;
    let n = 0;
    for (let c = b[end]; end - start <= 15 && c !== undefined && c >= 0x30 && c <= 0x39; c = b[++end])
      n = n * 10 + (c - 0x30);
    // one to fifteen digits, and there the token ends
    if (end === start || end - start > 15 || !isEnd(b[end])) fail('expected an integer', start);
    this.pos = end;
    return n;
  }

  /** Parses one object (an `R` reference is recognised after two integers). */
  readObject(depth = 0): PdfObject {
    if (depth > PARSE_LIMITS.depth) fail('objects nested too deeply', this.pos);
    this.skipWhite();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) fail('unexpected end of file', this.pos);
    if (c === 0x2f) return this.readName();
    if (c === 0x28) return this.readLiteralString();
    if (c === 0x3c) {
      if (b[this.pos + 1] === 0x3c) return this.readDict(depth);
      return this.readHexString();
    }
    if (c === 0x5b) {
      this.pos++;
      const arr: PdfObject[] = [];
      for (;;) {
        this.skipWhite();
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return arr;
        }
        if (this.pos >= b.length) fail('unterminated array', this.pos);
        if (arr.length >= PARSE_LIMITS.items) fail('array too long', this.pos);
        arr.push(this.readObject(depth + 1));
      }
    }
    const k = this.peekKeyword();
    if (k === undefined) fail(`unexpected character "${String.fromCharCode(c)}"`, this.pos);
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(k)) {
      const start = this.pos;
      this.pos += k.length;
      if (/^\d+$/.test(k)) {
        // `num gen R`?
        const save = this.pos;
        const gen = this.peekKeyword();
        if (gen !== undefined && /^\d+$/.test(gen)) {
          this.pos += gen.length;
          if (this.peekKeyword() === 'R') {
            this.pos += 1;
            return new PdfRef(Number(k), Number(gen));
          }
        }
        this.pos = save;
        return Number(k);
      }
      const v = Number(k);
      if (!Number.isFinite(v)) fail('bad number', start);
      return k.includes('.') ? new PdfReal(v, k) : v;
    }
    this.pos += k.length;
    if (k === 'true') return true;
    if (k === 'false') return false;
    if (k === 'null') return null;
    fail(`unexpected keyword "${k}"`, this.pos - k.length);
  }

  private readDict(depth: number): PdfDict {
    const b = this.bytes;
    this.pos += 2;
    const dict = new PdfDict();
    for (;;) {
      this.skipWhite();
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return dict;
      }
      if (this.pos >= b.length) fail('unterminated dictionary', this.pos);
      if (b[this.pos] !== 0x2f) fail('expected a name as dictionary key', this.pos);
      if (dict.map.size >= PARSE_LIMITS.items) fail('dictionary too large', this.pos);
      const key = this.readName().name;
      dict.set(key, this.readObject(depth + 1));
    }
  }

  private readName(): PdfName {
    const b = this.bytes;
    let i = this.pos + 1;
    let s = '';
    let plain = true;
    while (!isEnd(b[i])) {
      if (b[i] === 0x23) plain = false;
      i++;
    }
    if (plain) {
      for (let k = this.pos + 1; k < i; k++) s += String.fromCharCode(b[k]!);
    } else {
      for (let k = this.pos + 1; k < i; k++) {
        const hi = b[k] === 0x23 && k + 2 < i ? hexDigit(b[k + 1]!) : -1;
        const lo = hi >= 0 ? hexDigit(b[k + 2]!) : -1;
        if (lo >= 0) {
          s += String.fromCharCode((hi << 4) | lo);
          k += 2;
          continue;
        }
        s += String.fromCharCode(b[k]!);
      }
    }
    this.pos = i;
    return PdfName.of(s);
  }

  private readLiteralString(): PdfString {
    const b = this.bytes;
    // most strings have no escape or nested parenthesis: their bytes are the string, copied in one go
    const end = Math.min(b.length, this.pos + 1 + PARSE_LIMITS.tokenBytes + 1);
    for (let j = this.pos + 1; j < end; j++) {
      const c = b[j]!;
      if (c === 0x5c || c === 0x28) break;
      if (c === 0x29) {
        const value = b.slice(this.pos + 1, j);
        this.pos = j + 1;
        return new PdfString(value);
      }
    }
    const out: number[] = [];
    let nest = 1;
    let i = this.pos + 1;
    for (;;) {
      if (i >= b.length) fail('unterminated string', this.pos);
      if (out.length > PARSE_LIMITS.tokenBytes) fail('string too long', this.pos);
      const c = b[i++]!;
      if (c === 0x5c) {
        const e = b[i++];
        switch (e) {
          case 0x6e:
            out.push(0x0a);
            break;
          case 0x72:
            out.push(0x0d);
            break;
          case 0x74:
            out.push(0x09);
            break;
          case 0x62:
            out.push(0x08);
            break;
          case 0x66:
            out.push(0x0c);
            break;
          case 0x0d:
            if (b[i] === 0x0a) i++;
            break;
          case 0x0a:
            break;
          default:
            if (e !== undefined && e >= 0x30 && e <= 0x37) {
              let v = e - 0x30;
              for (let n = 0; n < 2 && b[i]! >= 0x30 && b[i]! <= 0x37; n++) v = v * 8 + (b[i++]! - 0x30);
              out.push(v & 0xff);
            } else if (e !== undefined) out.push(e);
        }
        continue;
      }
      if (c === 0x28) nest++;
      if (c === 0x29 && --nest === 0) break;
      out.push(c);
    }
    this.pos = i;
    return new PdfString(Uint8Array.from(out));
  }

  private readHexString(): PdfString {
    const b = this.bytes;
    let i = this.pos + 1;
    const end = b.indexOf(0x3e, i);
    if (end < 0) fail('unterminated hex string', this.pos);
    const plain = hexDigitsToBytes(b, i, end);
    if (plain) {
      this.pos = end + 1;
      return new PdfString(plain, true);
    }
    // white space, an odd digit count, or a bad character
    const out = new Uint8Array(Math.ceil((end - i) / 2));
    let n = 0;
    let hi = -1;
    for (; i < end; i++) {
      const c = b[i]!;
      if (WS[c]) continue;
      const v = hexDigit(c);
      if (v < 0) fail('bad character in hex string', i);
      if (hi < 0) hi = v;
      else {
        out[n++] = (hi << 4) | v;
        hi = -1;
      }
    }
    if (hi >= 0) out[n++] = hi << 4;
    this.pos = end + 1;
    return new PdfString(out.subarray(0, n), true);
  }

  /**
   * Parses an indirect object `num gen obj … endobj` at the current position; a dictionary followed by
   * `stream` becomes a {@link PdfStream}. A wrong or unresolvable /Length falls back to `endstream`.
   */
  readIndirectObject(): { ref: PdfRef; value: PdfObject } {
    ensureRange(this.bytes, this.pos, 64 * 1024);
    const num = this.readInteger();
    const gen = this.readInteger();
    this.expectKeyword('obj');
    let value = this.readObject();
    const k = this.peekKeyword();
    if (k === 'stream' && value instanceof PdfDict) value = this.readStreamData(value);
    return { ref: new PdfRef(num, gen), value };
  }

  /**
   * After {@link readIndirectObject}: how long a prefix of the bytes must be to read the same object — past the
   * `endobj` that closes it and the byte that ends that keyword. Undefined when no `endobj` follows, or when a
   * stream's data was found by searching for `endstream` because its /Length did not fit (in a longer prefix
   * it might): such an object is read again in each prefix.
   */
  closedReach(): number | undefined {
    if (this.lengthSearched) return undefined;
    const p = new PdfParser(this.bytes, this.pos);
    return p.peekKeyword() === 'endobj' ? p.pos + 7 : undefined;
  }

  private readStreamData(dict: PdfDict): PdfStream {
    const b = this.bytes;
    this.pos += 6; // stream
    if (b[this.pos] === 0x0d) this.pos++;
    if (b[this.pos] === 0x0a) this.pos++;
    const start = this.pos;
    let len = dict.get('Length');
    if (len instanceof PdfRef) len = this.resolveLength?.(len);
    ensureRange(b, start, typeof len === 'number' && len >= 0 ? len + 64 : 1024 * 1024);
    if (typeof len === 'number' && len >= 0 && start + len <= b.length && this.endsStreamAt(start + len)) {
      this.pos = start + len;
    } else {
      if (typeof len === 'number') this.lengthSearched = true;
      const end = indexOfBytes(b, ENDSTREAM, start);
      if (end < 0) fail('stream without endstream', start);
      let e = end;
      if (b[e - 1] === 0x0a) e--;
      if (b[e - 1] === 0x0d) e--;
      this.pos = e;
    }
    const data = b.subarray(start, this.pos);
    this.skipWhite();
    if (this.peekKeyword() === 'endstream') this.pos += 9;
    return new PdfStream(dict, data);
  }

  private endsStreamAt(at: number): boolean {
    const p = new PdfParser(this.bytes, at);
    return p.peekKeyword() === 'endstream';
  }
}

const ENDSTREAM = Uint8Array.from('endstream', (c) => c.charCodeAt(0));

/** First index of `needle` in `hay` at or after `from`, or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0, to = hay.length): number {
  const first = needle[0]!;
  const last = to - needle.length;
  for (let i = hay.indexOf(first, from); i !== -1 && i <= last; i = hay.indexOf(first, i + 1)) {
    let k = 1;
    while (k < needle.length && hay[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
  }
  return -1;
}

/** Last index of `needle` in `hay` before `before`, or -1. */
export function lastIndexOfBytes(hay: Uint8Array, needle: Uint8Array, before = hay.length, notBefore = 0): number {
  for (let i = Math.min(before, hay.length) - needle.length; i >= notBefore; i--) {
    let k = 0;
    while (k < needle.length && hay[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
  }
  return -1;
}

/**
 * The `N G` of an `N G obj` header whose ` obj` starts at `objAt`: the object and generation numbers and
 * where the header begins, or undefined when the bytes before it are not two numbers.
 */
export function objectHeaderBefore(
  bytes: Uint8Array,
  objAt: number,
): { num: number; gen: number; start: number } | undefined {
  let i = objAt - 1;
  const digits = () => {
    const end = i;
    while (i >= 0 && bytes[i]! >= 0x30 && bytes[i]! <= 0x39) i--;
    return end > i && end - i <= 10 ? Number(fromLatin1(bytes, i + 1, end + 1)) : undefined;
  };
  const gen = digits();
  if (gen === undefined || !isWhite(bytes[i])) return undefined;
  while (i >= 0 && isWhite(bytes[i])) i--;
  const num = digits();
  if (num === undefined || (i >= 0 && !isWhite(bytes[i]))) return undefined;
  return { num, gen, start: i + 1 };
}
