import { fromLatin1 } from '../core/bytes.js';
import { decodeStream } from './filters.js';
import { PdfDict, PdfStream, PdfString, nameOf, numberOf, type PdfObject } from './objects.js';
import { PdfParser } from './parser.js';
import type { PdfReader } from './reader.js';

/** A run of text shown on a page, with where it starts (user space) and its size. */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  /** Font size times the text matrix's vertical scale. */
  size: number;
  /** Estimated width (average glyph width, as fonts rarely need more for placement). */
  width: number;
}

const MAX_OPS = 500_000;

/**
 * The text runs of a page, in content order: enough to anchor a signature to a line such as "CHỦ TỊCH" or the
 * signer's name. Text is decoded through each font's ToUnicode map (what makes copy/paste work), or read as
 * Latin-1 for simple fonts without one. Positions follow the text and transformation matrices.
 */
export function pageTextRuns(reader: PdfReader, pageDict: PdfDict): TextRun[] {
  const contents = reader.resolve(pageDict.get('Contents'));
  const streams = (Array.isArray(contents) ? contents.map((c) => reader.resolve(c)) : [contents]).filter(
    (s): s is PdfStream => s instanceof PdfStream,
  );
  const data = streams
    .map((s) => {
      try {
        return fromLatin1(decodeStream(s));
      } catch {
        return '';
      }
    })
    .join('\n');
  const resources = reader.resolveDict(pageDict.get('Resources'));
  const fonts = reader.resolveDict(resources?.get('Font'));
  const maps = new Map<string, Map<number, string> | null>();
  const mapOf = (fontName: string): Map<number, string> | null => {
    if (!maps.has(fontName)) maps.set(fontName, readToUnicode(reader, reader.resolveDict(fonts?.get(fontName))));
    return maps.get(fontName)!;
  };
  const bytes = Uint8Array.from(data, (c) => c.charCodeAt(0));
  const p = new PdfParser(bytes, 0);
  const runs: TextRun[] = [];
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack: number[][] = [];
  let tm = [1, 0, 0, 1, 0, 0];
  let tlm = [1, 0, 0, 1, 0, 0];
  let font = '';
  let size = 12;
  let leading = 0;
  let operands: PdfObject[] = [];
  const show = (s: PdfString) => {
    const map = mapOf(font);
    let text = '';
    if (map)
      for (let i = 0; i + 1 < s.bytes.length; i += 2) text += map.get((s.bytes[i]! << 8) | s.bytes[i + 1]!) ?? '';
    else text = fromLatin1(s.bytes);
    if (!text) return;
    const m = mul(tm, ctm);
    const scale = Math.hypot(m[2]!, m[3]!) || 1;
    runs.push({ text, x: m[4]!, y: m[5]!, size: size * scale, width: text.length * size * scale * 0.5 });
    tm = mul([1, 0, 0, 1, text.length * size * 0.5, 0], tm);
  };
  for (let ops = 0; ops < MAX_OPS; ops++) {
    p.skipWhite();
    if (p.pos >= bytes.length) break;
    const c = bytes[p.pos]!;
    const isOperand =
      c === 0x2f ||
      c === 0x28 ||
      c === 0x3c ||
      c === 0x5b ||
      c === 0x2b ||
      c === 0x2d ||
      c === 0x2e ||
      (c >= 0x30 && c <= 0x39);
    if (isOperand) {
      try {
        operands.push(p.readObject());
      } catch {
        p.pos++;
      }
      continue;
    }
    const op = p.peekKeyword();
    if (!op) {
      p.pos++;
      continue;
    }
    p.pos += op.length;
    const n = (i: number) => numberOf(operands[i]) ?? 0;
    switch (op) {
      case 'q':
        stack.push(ctm);
        break;
      case 'Q':
        ctm = stack.pop() ?? ctm;
        break;
      case 'cm':
        ctm = mul([n(0), n(1), n(2), n(3), n(4), n(5)], ctm);
        break;
      case 'BT':
        tm = tlm = [1, 0, 0, 1, 0, 0];
        break;
      case 'Tf':
        font = nameOf(operands[0]) ?? font;
        size = n(1);
        break;
      case 'TL':
        leading = n(0);
        break;
      case 'Tm':
        tm = tlm = [n(0), n(1), n(2), n(3), n(4), n(5)];
        break;
      case 'Td':
        tm = tlm = mul([1, 0, 0, 1, n(0), n(1)], tlm);
        break;
      case 'TD':
        leading = -n(1);
        tm = tlm = mul([1, 0, 0, 1, n(0), n(1)], tlm);
        break;
      case 'T*':
        tm = tlm = mul([1, 0, 0, 1, 0, -leading], tlm);
        break;
      case 'Tj':
        if (operands[0] instanceof PdfString) show(operands[0]);
        break;
      case "'":
        tm = tlm = mul([1, 0, 0, 1, 0, -leading], tlm);
        if (operands[0] instanceof PdfString) show(operands[0]);
        break;
      case 'TJ': {
        const arr = operands[0];
        if (Array.isArray(arr)) {
          const parts = arr.filter((x): x is PdfString => x instanceof PdfString);
          if (parts.length) show(new PdfString(Uint8Array.from(parts.flatMap((x) => [...x.bytes])), true));
        }
        break;
      }
      case 'BI': {
        // inline image: skip to EI
        const end = fromLatin1(bytes, p.pos, bytes.length).search(/\sEI(\s|$)/);
        p.pos = end < 0 ? bytes.length : p.pos + end + 3;
        break;
      }
    }
    operands = [];
  }
  return runs;
}

/** The product of two PDF transformation matrices `[a b c d e f]` (a then b). */
export function mul(a: number[], b: number[]): number[] {
  return [
    a[0]! * b[0]! + a[1]! * b[2]!,
    a[0]! * b[1]! + a[1]! * b[3]!,
    a[2]! * b[0]! + a[3]! * b[2]!,
    a[2]! * b[1]! + a[3]! * b[3]!,
    a[4]! * b[0]! + a[5]! * b[2]! + b[4]!,
    a[4]! * b[1]! + a[5]! * b[3]! + b[5]!,
  ];
}

function readToUnicode(reader: PdfReader, font: PdfDict | undefined): Map<number, string> | null {
  const stream = reader.resolve(font?.get('ToUnicode'));
  if (!(stream instanceof PdfStream) || nameOf(font?.get('Subtype')) !== 'Type0') return null;
  let text: string;
  try {
    text = fromLatin1(decodeStream(stream));
  } catch {
    return null;
  }
  const map = new Map<number, string>();
  const hex = (h: string) => {
    let s = '';
    for (let i = 0; i + 3 < h.length; i += 4) s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
    return s;
  };
  for (const block of text.match(/beginbfchar([\s\S]*?)endbfchar/g) ?? []) {
    for (const m of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1]!, 16), hex(m[2]!));
  }
  for (const block of text.match(/beginbfrange([\s\S]*?)endbfrange/g) ?? []) {
    for (const m of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) {
      const lo = parseInt(m[1]!, 16),
        hi = parseInt(m[2]!, 16);
      const base = hex(m[3]!);
      for (let c = lo; c <= hi && c - lo < 65536; c++)
        map.set(c, base.slice(0, -1) + String.fromCharCode(base.charCodeAt(base.length - 1) + (c - lo)));
    }
  }
  return map;
}
