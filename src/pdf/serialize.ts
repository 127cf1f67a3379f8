import { toHex } from '../core/bytes.js';
import { PdfDict, PdfName, PdfRaw, PdfReal, PdfRef, PdfStream, PdfString, type PdfObject } from './objects.js';

const REGULAR = /^[!-~]$/;
const NAME_ESCAPE = new Set('()<>[]{}/%#'.split(''));

/** A name every character of which is written as is: most names, spared the loop. */
const PLAIN_NAME = /^[^\x00-\x20\x7f-\uffff()<>[\]{}/%#]*$/;

/** Names as written, by name: a document's few dozen names recur in every update (bounded like PdfName's). */
const writtenNames = new Map<string, string>();

function writeName(n: string): string {
  let written = writtenNames.get(n);
  if (written === undefined) {
    written = encodeName(n);
    if (writtenNames.size < 10_000) writtenNames.set(n, written);
  }
  return written;
}

function encodeName(n: string): string {
  if (PLAIN_NAME.test(n)) return `/${n}`;
  let s = '/';
  for (const ch of n) {
    const c = ch.charCodeAt(0);
    s += REGULAR.test(ch) && !NAME_ESCAPE.has(ch) ? ch : `#${(c & 0xff).toString(16).padStart(2, '0')}`;
  }
  return s;
}

function writeReal(v: number): string {
  if (Number.isInteger(v)) return `${v}.0`;
  return v.toFixed(6).replace(/0+$/, '').replace(/\.$/, '.0');
}

function writeString(s: PdfString): string {
  const b = s.bytes;
  if (s.hex) return `<${toHex(b)}>`;
  let out = '(';
  for (const c of b) {
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x0a) out += '\\n';
    else out += String.fromCharCode(c);
  }
  return `${out})`;
}

/**
 * The PDF syntax of `o` as a string of one character per byte (latin1). Stream data is added by
 * {@link indirectParts}, as bytes.
 */
export function serialize(o: PdfObject): string {
  if (o === null) return 'null';
  if (typeof o === 'boolean') return o ? 'true' : 'false';
  if (typeof o === 'number') return Number.isInteger(o) ? String(o) : writeReal(o);
  if (o instanceof PdfReal) return o.text ?? writeReal(o.value);
  if (o instanceof PdfName) return writeName(o.name);
  if (o instanceof PdfString) return writeString(o);
  if (o instanceof PdfRef) return `${o.num} ${o.gen} R`;
  if (o instanceof PdfRaw) return o.text;
  if (Array.isArray(o)) return `[${o.map(serialize).join(' ')}]`;
  if (o instanceof PdfDict) {
    let s = '<<';
    for (const [k, v] of o.map) s += `${writeName(k)} ${serialize(v)}`;
    return `${s}>>`;
  }
  if (o instanceof PdfStream) throw new TypeError('a stream can only be written as an indirect object');
  throw new TypeError('not a PDF object');
}

/**
 * `num gen obj … endobj` as the syntax (strings of one character per byte) and stream data (bytes) it is made of,
 * for a writer that puts them straight into its output.
 */
export function indirectParts(ref: PdfRef, o: PdfObject): (string | Uint8Array)[] {
  if (o instanceof PdfStream) {
    const dict = o.dict.clone().set('Length', o.data.length);
    return [`${ref.num} ${ref.gen} obj\n${serialize(dict)}\nstream\n`, o.data, '\nendstream\nendobj\n'];
  }
  return [`${ref.num} ${ref.gen} obj\n${serialize(o)}\nendobj\n`];
}
