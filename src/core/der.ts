import { concatBytes, toBytes, type BinaryInput } from './bytes.js';
import { KysoError } from './errors.js';

// Byte-level DER writing and BER walking. CMS pieces that were signed (signed attributes, certificates)
// must reach the output exactly as they came in; composing the outer structures here, around those bytes,
// is what guarantees it — re-encoding parsed objects could silently change a byte and break a signature.

/**
 * `toBytes`, and then a plain `Uint8Array` view: a Node `Buffer`'s `slice` shares memory and its `buffer`
 * may be a pool holding other data, so copies and WebCrypto calls made from it would be wrong.
 */
export function inputBytes(input: BinaryInput, what: string): Uint8Array {
  const bytes = toBytes(input, what);
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** DER length octets of `n`. */
export function encodeLength(n: number): Uint8Array {
  const out = new Uint8Array(lengthOctets(n));
  writeLength(out, 0, n);
  return out;
}

/** How many octets the DER length `n` takes. */
function lengthOctets(n: number): number {
  let octets = 1;
  if (n >= 0x80) for (let v = n; v > 0; v = Math.floor(v / 256)) octets++;
  return octets;
}

/** Writes the DER length `n` into `out` at `at`; returns the offset after it. */
function writeLength(out: Uint8Array, at: number, n: number): number {
  const octets = lengthOctets(n);
  if (octets === 1) {
    out[at] = n;
    return at + 1;
  }
  out[at] = 0x80 | (octets - 1);
  for (let i = octets - 1, v = n; i > 0; i--, v = Math.floor(v / 256)) out[at + i] = v & 0xff;
  return at + octets;
}

/**
 * A DER element not yet written: its tag and its content, bytes or further elements. A structure built of
 * these is sized first and written once by {@link encodeDer}, each part copied once, where nesting
 * {@link tlv} copies the inner parts again at every level (a CMS nests kilobytes of certificates five deep).
 */
export interface DerElement {
  readonly tag: number;
  readonly content: readonly (Uint8Array | DerElement)[];
  /** Length of the content in octets. */
  readonly size: number;
  /** Length of the whole element in octets. */
  readonly length: number;
}

/** A {@link DerElement}: `tag` (a single identifier octet) with `content`. */
export function derElement(tag: number, ...content: readonly (Uint8Array | DerElement)[]): DerElement {
  let size = 0;
  for (const c of content) size += c.length;
  return { tag, content, size, length: 1 + lengthOctets(size) + size };
}

/** The DER of `element`, in one allocation. */
export function encodeDer(element: DerElement): Uint8Array {
  const out = new Uint8Array(element.length);
  writeElement(out, 0, element);
  return out;
}

function writeElement(out: Uint8Array, at: number, element: DerElement): number {
  out[at] = element.tag;
  at = writeLength(out, at + 1, element.size);
  for (const c of element.content) {
    if (c instanceof Uint8Array) {
      out.set(c, at);
      at += c.length;
    } else at = writeElement(out, at, c);
  }
  return at;
}

/** One DER element: `tag` (a single identifier octet) with `content`. */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  return encodeDer(derElement(tag, ...content));
}

/** DER `INTEGER` of a small non-negative number. */
export function derSmallInteger(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  if (bytes.length === 0 || bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

/** DER `INTEGER` of the unsigned big-endian number `magnitude` (nonces, serial numbers). */
export function derUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const body = magnitude.subarray(i);
  return tlv(0x02, body.length === 0 || body[0]! & 0x80 ? concatBytes([Uint8Array.of(0), body]) : body);
}

/** DER `OBJECT IDENTIFIER` of a dotted OID string. */
export function derOid(oid: string): Uint8Array {
  let der = oidCache.get(oid);
  if (!der) {
    der = encodeOid(oid);
    // a few dozen OIDs recur in every signature; the bound keeps OIDs read from hostile input from piling up
    if (oidCache.size < 512) oidCache.set(oid, der);
  }
  return der.slice();
}

const oidCache = new Map<string, Uint8Array>();

function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new KysoError('ERR_INVALID_ARGUMENT', `not an object identifier: ${oid}`);
    return BigInt(a);
  });
  if (arcs.length < 2 || arcs[0]! > 2n) throw new KysoError('ERR_INVALID_ARGUMENT', `not an object identifier: ${oid}`);
  const out: number[] = [];
  const values = [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)];
  for (const v of values) {
    const group: number[] = [Number(v & 0x7fn)];
    for (let rest = v >> 7n; rest > 0n; rest >>= 7n) group.unshift(Number(rest & 0x7fn) | 0x80);
    out.push(...group);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** DER `NULL`. */
export const DER_NULL = Uint8Array.of(0x05, 0x00);

/**
 * DER time as RFC 5652 wants it for signing-time: `UTCTime` for 1950–2049, `GeneralizedTime` otherwise,
 * whole seconds, `Z`.
 */
export function derTime(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  const p2 = (n: number) => String(n).padStart(2, '0');
  const rest = `${p2(date.getUTCMonth() + 1)}${p2(date.getUTCDate())}${p2(date.getUTCHours())}${p2(date.getUTCMinutes())}${p2(date.getUTCSeconds())}Z`;
  const text = year >= 1950 && year < 2050 ? `${p2(year % 100)}${rest}` : `${String(year).padStart(4, '0')}${rest}`;
  return tlv(
    year >= 1950 && year < 2050 ? 0x17 : 0x18,
    Uint8Array.from(text, (c) => c.charCodeAt(0)),
  );
}

/**
 * The components of a DER `SET OF` in canonical order (X.690 §11.6: ascending as octet strings, the
 * shorter padded with zero octets).
 */
export function sortSetOf(items: readonly Uint8Array[]): Uint8Array[] {
  return [...items].sort((a, b) => {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/** Where one BER element sits in a buffer. */
export interface Tlv {
  /** The first identifier octet. */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the last content octet (before the end-of-contents octets of an indefinite length). */
  contentEnd: number;
  /** Offset just past the element. */
  end: number;
  /** True for the BER indefinite-length form. */
  indefinite: boolean;
}

const MAX_DEPTH = 64;

function malformed(what: string): never {
  throw new KysoError('ERR_CMS_MALFORMED', `malformed DER: ${what}`);
}

/** Reads the element starting at `at`; `limit` bounds it (default: the end of `bytes`). */
export function readTlv(bytes: Uint8Array, at: number, limit = bytes.length, depth = 0): Tlv {
  if (depth > MAX_DEPTH) malformed('nesting too deep');
  const start = at;
  if (at >= limit) malformed('unexpected end of data');
  const tag = bytes[at++]!;
  if ((tag & 0x1f) === 0x1f) {
    // high-tag-number form: skip the continuation octets
    while (at < limit && bytes[at]! & 0x80) at++;
    at++;
  }
  if (at >= limit) malformed('unexpected end of data');
  const first = bytes[at++]!;
  if (first === 0x80) {
    if (!(tag & 0x20)) malformed('indefinite length on a primitive element');
    let p = at;
    for (;;) {
      if (p + 2 > limit) malformed('unterminated indefinite length');
      if (bytes[p] === 0 && bytes[p + 1] === 0) break;
      p = readTlv(bytes, p, limit, depth + 1).end;
    }
    return { tag, start, contentStart: at, contentEnd: p, end: p + 2, indefinite: true };
  }
  let length = first;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n > 4) malformed('length too large');
    length = 0;
    for (let k = 0; k < n; k++) {
      if (at >= limit) malformed('unexpected end of data');
      length = length * 256 + bytes[at++]!;
    }
  }
  if (at + length > limit) malformed('element runs past the end of its container');
  return { tag, start, contentStart: at, contentEnd: at + length, end: at + length, indefinite: false };
}

/** The elements directly inside a constructed element. */
export function readChildren(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.contentEnd;) {
    const child = readTlv(bytes, at, parent.contentEnd);
    out.push(child);
    at = child.end;
  }
  return out;
}

/**
 * Replaces `bytes[from, to)` — which lies inside every element of `path` (outermost first) — with
 * `replacement`, rewriting the definite lengths of the enclosing elements. Everything else keeps its
 * original bytes. Returns the new outermost element.
 */
export function spliceInside(
  bytes: Uint8Array,
  path: readonly Tlv[],
  from: number,
  to: number,
  replacement: Uint8Array,
): Uint8Array {
  let innerStart = from;
  let innerEnd = to;
  let inner = replacement;
  for (let i = path.length - 1; i >= 0; i--) {
    const el = path[i]!;
    const content = concatBytes([
      bytes.subarray(el.contentStart, innerStart),
      inner,
      bytes.subarray(innerEnd, el.contentEnd),
    ]);
    const identifier = bytes.subarray(el.start, el.indefinite ? el.contentStart - 1 : identifierEnd(bytes, el));
    inner = el.indefinite
      ? concatBytes([identifier, Uint8Array.of(0x80), content, Uint8Array.of(0, 0)])
      : concatBytes([identifier, encodeLength(content.length), content]);
    innerStart = el.start;
    innerEnd = el.end;
  }
  return inner;
}

/**
 * The dotted string of an `OBJECT IDENTIFIER` element. Arcs are read as numbers while they fit in 52 bits —
 * every OID a signature carries, read many times per verification; a longer arc (a UUID under 2.25) is read
 * again as BigInt.
 */
export function readOid(bytes: Uint8Array, el: Tlv): string {
  if (el.tag !== 0x06 || el.contentEnd === el.contentStart) malformed('expected an OBJECT IDENTIFIER');
  let out = '';
  let v = 0;
  for (let i = el.contentStart; i < el.contentEnd; i++) {
    const b = bytes[i]!;
    if (v >= 2 ** 45) return readLongOid(bytes, el);
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      out += out ? `.${v}` : v < 80 ? `${Math.floor(v / 40)}.${v % 40}` : `2.${v - 80}`;
      v = 0;
    } else if (i === el.contentEnd - 1) malformed('truncated OBJECT IDENTIFIER');
  }
  return out;
}

function readLongOid(bytes: Uint8Array, el: Tlv): string {
  const arcs: bigint[] = [];
  let v = 0n;
  for (let i = el.contentStart; i < el.contentEnd; i++) {
    const b = bytes[i]!;
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0n;
    } else if (i === el.contentEnd - 1) malformed('truncated OBJECT IDENTIFIER');
  }
  const first = arcs[0]!;
  const head = first < 80n ? [first / 40n, first % 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** The value of a small non-negative `INTEGER` element (versions, salt lengths). */
export function readSmallInteger(bytes: Uint8Array, el: Tlv): number {
  const len = el.contentEnd - el.contentStart;
  if (el.tag !== 0x02 || len < 1 || len > 4 || bytes[el.contentStart]! & 0x80) malformed('expected a small INTEGER');
  let v = 0;
  for (let i = el.contentStart; i < el.contentEnd; i++) v = v * 256 + bytes[i]!;
  return v;
}

/**
 * The octets of an `OCTET STRING` (or an implicitly tagged one), joining the segments of the BER
 * constructed form.
 */
export function readOctets(bytes: Uint8Array, el: Tlv): Uint8Array {
  if (!(el.tag & 0x20)) return bytes.slice(el.contentStart, el.contentEnd);
  const parts = readChildren(bytes, el).map((c) => {
    if ((c.tag & ~0x20) !== 0x04) malformed('bad segment in a constructed OCTET STRING');
    return readOctets(bytes, c);
  });
  return concatBytes(parts);
}

function identifierEnd(bytes: Uint8Array, el: Tlv): number {
  let at = el.start + 1;
  if ((el.tag & 0x1f) === 0x1f) {
    while (bytes[at]! & 0x80) at++;
    at++;
  }
  return at;
}

/** A UTCTime or GeneralizedTime value (whole or fractional seconds, `Z`). */
export function readDerTime(bytes: Uint8Array, el: Tlv): Date {
  const text = String.fromCharCode(...bytes.subarray(el.contentStart, el.contentEnd));
  const m =
    el.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text)
      : el.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d+))?Z$/.exec(text)
        : null;
  if (!m) malformed(`not a UTC time: ${text}`);
  let year = Number(m[1]);
  if (el.tag === 0x17) year += year < 50 ? 2000 : 1900;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms));
  if (Number.isNaN(d.getTime())) malformed(`not a valid time: ${text}`);
  return d;
}
