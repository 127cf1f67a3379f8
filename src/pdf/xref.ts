import { KysoError } from '../core/errors.js';
import { ensureRange } from './lazy-bytes.js';
import { decodeStream } from './filters.js';
import { PdfDict, PdfStream, nameOf, numberOf, type PdfObject } from './objects.js';
import { PdfParser, type LengthResolver } from './parser.js';

/** Where an object lives: at a byte offset, inside an object stream, or nowhere (free). */
export type XrefEntry =
  { type: 0 } | { type: 1; offset: number; gen: number } | { type: 2; stream: number; index: number };

/** One cross-reference section (a table with its trailer, or an xref stream). */
export interface XrefSection {
  /** Offset of `xref` or of the xref stream object. */
  offset: number;
  kind: 'table' | 'stream';
  /** The trailer dictionary (the stream's dictionary for an xref stream). */
  trailer: PdfDict;
  entries: Map<number, XrefEntry>;
  /**
   * Reading this section in any prefix of the file at least `reach` bytes long gives the same section (the
   * readers of a file's earlier revisions share it); undefined when that cannot be shown.
   */
  reach?: number;
}

/** Largest object number kyso accepts (keeps /Size and /Index honest). */
const MAX_OBJECTS = 10_000_000;

/** Reads the cross-reference section at `offset` (a classic table or an xref stream). */
export function readXrefSection(bytes: Uint8Array, offset: number, resolveLength?: LengthResolver): XrefSection {
  if (!Number.isInteger(offset) || offset < 0 || offset >= bytes.length) {
    throw new KysoError('ERR_PDF_MALFORMED', `cross-reference offset ${offset} is outside the file`);
  }
  ensureRange(bytes, offset, 64 * 1024);
  const p = new PdfParser(bytes, offset, resolveLength);
  if (p.peekKeyword() === 'xref') return readTable(p, offset);
  return readStream(p, offset);
}

function readTable(p: PdfParser, offset: number): XrefSection {
  p.expectKeyword('xref');
  const entries = new Map<number, XrefEntry>();
  const b = p.bytes;
  for (;;) {
    const k = p.peekKeyword();
    if (k === 'trailer') break;
    const start = p.readInteger();
    const count = p.readInteger();
    if (start + count > MAX_OBJECTS)
      throw new KysoError('ERR_PDF_MALFORMED', `xref subsection ${start} ${count} is too large`);
    ensureRange(b, p.pos, count * 21 + 1024); // 20-byte entries, with slack for sloppy writers
    for (let i = 0; i < count; i++) {
      p.skipWhite();
      // nnnnnnnnnn ggggg n — read as tokens to tolerate sloppy spacing
      const off = p.readInteger();
      const gen = p.readInteger();
      const kind = p.peekKeyword();
      if (kind !== 'n' && kind !== 'f') throw new KysoError('ERR_PDF_MALFORMED', `bad xref entry at byte ${p.pos}`);
      p.pos += 1;
      const num = start + i;
      if (!entries.has(num)) entries.set(num, kind === 'n' ? { type: 1, offset: off, gen } : { type: 0 });
      if (p.pos > b.length) break;
    }
  }
  p.expectKeyword('trailer');
  const trailer = p.readObject();
  if (!(trailer instanceof PdfDict)) throw new KysoError('ERR_PDF_MALFORMED', 'trailer is not a dictionary');
  return { offset, kind: 'table', trailer, entries, reach: p.pos + 1 };
}

function readStream(p: PdfParser, offset: number): XrefSection {
  let obj: PdfObject;
  try {
    obj = p.readIndirectObject().value;
  } catch (cause) {
    throw new KysoError('ERR_PDF_MALFORMED', `no cross-reference section at byte ${offset}`, { cause });
  }
  if (!(obj instanceof PdfStream) || nameOf(obj.dict.get('Type')) !== 'XRef') {
    throw new KysoError('ERR_PDF_MALFORMED', `no cross-reference section at byte ${offset}`);
  }
  const closed = p.closedReach();
  // the rows read are capped by the file's length: a prefix too short to hold them all reads fewer
  const rows = declaredRows(obj.dict);
  const reach = closed === undefined ? undefined : Math.max(closed, Math.ceil((rows - 1024) / 4));
  const entries = xrefStreamEntries(obj, p.bytes.length);
  return { offset, kind: 'stream', trailer: obj.dict, entries, ...(reach !== undefined && { reach }) };
}

/** The number of rows an xref stream's /Index (or /Size) declares. */
function declaredRows(d: PdfDict): number {
  const indexRaw = d.get('Index');
  const index = Array.isArray(indexRaw) ? indexRaw.map((x) => numberOf(x) ?? -1) : [0, numberOf(d.get('Size')) ?? 0];
  let declared = 0;
  for (let s = 1; s < index.length; s += 2) declared += Math.max(0, index[s]!);
  return declared;
}

/**
 * The entries of an xref stream (/W, /Index, /Size). Its data may inflate only to what those entries need
 * (one predictor byte per row included), and a file of `fileLength` bytes cannot hold more than a few objects
 * per byte, so a decompression bomb stops at a few bytes per byte of the file.
 */
export function xrefStreamEntries(stream: PdfStream, fileLength: number): Map<number, XrefEntry> {
  const d = stream.dict;
  const w = d.get('W');
  const size = numberOf(d.get('Size')) ?? 0;
  if (!Array.isArray(w) || w.length < 3) throw new KysoError('ERR_PDF_MALFORMED', 'xref stream without /W');
  const widths = w.map((x) => numberOf(x) ?? -1);
  if (widths.some((x) => x < 0 || x > 8)) throw new KysoError('ERR_PDF_MALFORMED', 'bad xref stream /W');
  const indexRaw = d.get('Index');
  const index = Array.isArray(indexRaw) ? indexRaw.map((x) => numberOf(x) ?? -1) : [0, size];
  const rowLen = widths[0]! + widths[1]! + widths[2]!;
  const rows = Math.min(declaredRows(d), MAX_OBJECTS, 4 * fileLength + 1024);
  const data = decodeStream(stream, { maxBytes: rows * (rowLen + 1) + 1024 });
  const entries = new Map<number, XrefEntry>();
  let at = 0;
  const field = (width: number, dflt: number) => {
    if (width === 0) return dflt;
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + (data[at++] ?? 0);
    return v;
  };
  for (let s = 0; s + 1 < index.length; s += 2) {
    const start = index[s]!;
    const count = index[s + 1]!;
    if (start < 0 || count < 0 || start + count > MAX_OBJECTS)
      throw new KysoError('ERR_PDF_MALFORMED', 'bad xref stream /Index');
    for (let i = 0; i < count && at + rowLen <= data.length; i++) {
      const type = field(widths[0]!, 1);
      const f2 = field(widths[1]!, 0);
      const f3 = field(widths[2]!, 0);
      const num = start + i;
      if (entries.has(num)) continue;
      if (type === 1) entries.set(num, { type: 1, offset: f2, gen: f3 });
      else if (type === 2) entries.set(num, { type: 2, stream: f2, index: f3 });
      else entries.set(num, { type: 0 });
    }
  }
  return entries;
}
