import { fromLatin1, latin1 } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { ensureRange, findAll } from './lazy-bytes.js';
import { decodeStream } from './filters.js';
import { PdfDict, PdfRef, PdfStream, dictOf, nameOf, numberOf, type PdfObject } from './objects.js';
import { PdfParser, indexOfBytes, lastIndexOfBytes, objectHeaderBefore } from './parser.js';
import { readXrefSection, xrefStreamEntries, type XrefEntry, type XrefSection } from './xref.js';

/** A page of the document, with the attributes it inherits from the page tree. */
export interface PdfPage {
  ref: PdfRef;
  dict: PdfDict;
  mediaBox?: number[];
  cropBox?: number[];
  rotate: number;
}

/** One incremental revision of the file: the bytes up to `end` are the document as it was then. */
export interface PdfRevision {
  /** The `startxref` value of this revision. */
  xrefOffset: number;
  /** Offset just past this revision's `%%EOF` and its end-of-line. */
  end: number;
  /** Object numbers its cross-reference section defines (empty when the section cannot be read). */
  objects: number[];
  /** Byte offsets its cross-reference section gives for uncompressed objects. */
  offsets: number[];
  /** False when its cross-reference section cannot be read. */
  readable: boolean;
}

/**
 * What the readers of one file and of its earlier revisions (see {@link PdfReader.prefix}) share: every
 * cross-reference section and object is parsed once, and reused by a reader of a prefix long enough to hold
 * all the bytes its parse looked at (its `reach`), so reading k revisions costs what their objects cost once.
 */
interface SharedParse {
  sections: Map<number, XrefSection>;
  /** Objects by offset; `lengths` are the indirect /Length values the parse used, checked again on reuse. */
  objects: Map<number, { num: number; value: PdfObject; reach: number; lengths: [PdfRef, number | undefined][] }>;
  objStreams: WeakMap<PdfStream, ObjectStream>;
  prefixes: Map<number, PdfReader>;
}

interface ObjectStream {
  parser: PdfParser;
  offsets: number[];
  first: number;
  /** The most its data was allowed to inflate to. */
  bound: number;
  /** Its objects, by index, as parsed. */
  parsed: Map<number, PdfObject>;
}

const newSharedParse = (): SharedParse => ({
  sections: new Map(),
  objects: new Map(),
  objStreams: new WeakMap(),
  prefixes: new Map(),
});

const MAX_SECTIONS = 10_000;
const MAX_PAGES = 100_000;
const MAX_REF_CHAIN = 32;
const HEADER = latin1('%PDF-');
const STARTXREF = latin1('startxref');
const EOF_MARK = latin1('%%EOF');
const XREF_LINE = latin1('\nxref');

/** What a page tree node passes on to its kids (ISO 32000-1, 7.7.3.4). */
interface Inherited {
  mediaBox?: number[];
  cropBox?: number[];
  rotate: number;
}

/** One walk of a page tree, in order, refusing cycles and absurd trees, until `visit` says stop. */
class PageWalk {
  private count = 0;
  private readonly seen = new Set<number>();
  private stopped = false;

  constructor(
    private readonly reader: PdfReader,
    private readonly visit: (page: PdfPage) => boolean | void,
  ) {}

  node(ref: PdfObject | undefined, inherited: Inherited, depth: number): void {
    if (!(ref instanceof PdfRef)) throw new KysoError('ERR_PDF_MALFORMED', 'page tree node is not an indirect object');
    if (this.seen.has(ref.num) || depth > 64 || this.count > MAX_PAGES)
      throw new KysoError('ERR_PDF_MALFORMED', 'the page tree has a cycle or is too deep');
    this.seen.add(ref.num);
    const reader = this.reader;
    const node = reader.resolveDict(ref);
    if (!node) throw new KysoError('ERR_PDF_MALFORMED', `page tree node ${ref.num} is not a dictionary`);
    const here: Inherited = {
      mediaBox: this.box(node, 'MediaBox') ?? inherited.mediaBox,
      cropBox: this.box(node, 'CropBox') ?? inherited.cropBox,
      rotate: numberOf(reader.resolve(node.get('Rotate'))) ?? inherited.rotate,
    };
    const kids = reader.resolve(node.get('Kids'));
    if (nameOf(node.get('Type')) === 'Pages' || (Array.isArray(kids) && nameOf(node.get('Type')) !== 'Page')) {
      if (!Array.isArray(kids)) throw new KysoError('ERR_PDF_MALFORMED', 'a /Pages node without /Kids');
      for (const kid of kids) {
        this.node(kid, here, depth + 1);
        if (this.stopped) return;
      }
    } else {
      this.count++;
      this.stopped =
        this.visit({
          ref,
          dict: node,
          rotate: ((here.rotate % 360) + 360) % 360,
          ...(here.mediaBox && { mediaBox: here.mediaBox }),
          ...(here.cropBox && { cropBox: here.cropBox }),
        }) === true;
    }
  }

  private box(node: PdfDict, key: string): number[] | undefined {
    const v = this.reader.resolve(node.get(key));
    return Array.isArray(v) && v.length === 4 ? v.map((x) => numberOf(this.reader.resolve(x)) ?? 0) : undefined;
  }
}

/**
 * A lazy PDF reader: it reads the header, the cross-reference sections and the trailer, and parses an
 * object only when asked for it. Broken cross-references are rebuilt by scanning for `N G obj`
 * (`repaired` then says so). Every limit is bounded; failures are `ERR_PDF_MALFORMED`, and a stream that inflates
 * past what its structure can hold is `ERR_PDF_LIMIT` (never repaired around).
 *
 * @example
 * ```ts
 * const reader = PdfReader.open(bytes);
 * const pages = reader.pages();
 * ```
 */
export class PdfReader {
  /** `1.7`, `2.0`, … from the header. */
  readonly version: string;
  /** Offset of `%PDF-` (usually 0). */
  readonly headerOffset: number;
  /** The newest trailer (the newest xref stream's dictionary for xref-stream files). */
  readonly trailer: PdfDict;
  /** Cross-reference sections, newest first. */
  readonly sections: XrefSection[];
  /** The `startxref` of the newest section. */
  readonly startxref: number;
  /** True when the cross-reference data was rebuilt by scanning the file. */
  readonly repaired: boolean;

  private readonly entries = new Map<number, XrefEntry>();
  private readonly cache = new Map<number, PdfObject>();
  private readonly resolving = new Set<number>();
  private readonly shared: SharedParse;

  private constructor(
    readonly bytes: Uint8Array,
    init: {
      version: string;
      headerOffset: number;
      sections: XrefSection[];
      startxref: number;
      repaired: boolean;
      trailer: PdfDict;
      entries?: Map<number, XrefEntry>;
      shared: SharedParse;
    },
  ) {
    this.shared = init.shared;
    this.version = init.version;
    this.headerOffset = init.headerOffset;
    this.sections = init.sections;
    this.startxref = init.startxref;
    this.repaired = init.repaired;
    this.trailer = init.trailer;
    if (init.entries) for (const [k, v] of init.entries) this.entries.set(k, v);
    for (const s of init.sections) for (const [k, v] of s.entries) if (!this.entries.has(k)) this.entries.set(k, v);
  }

  /** Opens `bytes` as a PDF. */
  static open(bytes: Uint8Array): PdfReader {
    return PdfReader.openShared(bytes, newSharedParse());
  }

  private static openShared(bytes: Uint8Array, shared: SharedParse): PdfReader {
    ensureRange(bytes, 0, 1024);
    const headEnd = Math.min(bytes.length, 1024);
    const h = indexOfBytes(bytes, HEADER, 0, headEnd);
    if (h < 0) throw new KysoError('ERR_PDF_MALFORMED', 'not a PDF: no %PDF- header in the first 1 KiB');
    const version = fromLatin1(bytes, h + 5, Math.min(h + 8, headEnd)).match(/^\d\.\d/)?.[0] ?? '1.0';
    try {
      const startxref = findStartxref(bytes, bytes.length);
      const sections = readSectionChain(bytes, startxref, (offset) => sectionIn(bytes, offset, shared));
      const trailer = sections[0]!.trailer;
      if (!(trailer.get('Root') instanceof PdfRef)) throw new KysoError('ERR_PDF_MALFORMED', 'trailer without /Root');
      // the fields written out: spreading a shared object here cost more than reading the cross-reference table
      const reader = new PdfReader(bytes, {
        version,
        headerOffset: h,
        shared,
        sections,
        startxref,
        repaired: false,
        trailer,
      });
      reader.catalog();
      return reader;
    } catch (cause) {
      // A stream past its structural bound is hostile, not damage: reading around it would hide what it replaced.
      if (cause instanceof KysoError && cause.code === 'ERR_PDF_LIMIT') throw cause;
      const repaired = repairByScanning(bytes);
      if (!repaired) {
        if (cause instanceof KysoError) throw cause;
        throw new KysoError('ERR_PDF_MALFORMED', 'the PDF structure cannot be read', { cause });
      }
      const reader = new PdfReader(bytes, {
        version,
        headerOffset: h,
        shared,
        sections: [],
        startxref: repaired.startxref,
        repaired: true,
        trailer: repaired.trailer,
        entries: repaired.entries,
      });
      reader.catalog();
      return reader;
    }
  }

  /**
   * The document as its first `end` bytes were (an earlier revision): what `PdfReader.open(bytes.subarray(0,
   * end))` reads, reusing the sections and objects this reader's family has parsed.
   */
  prefix(end: number): PdfReader {
    let reader = this.shared.prefixes.get(end);
    if (!reader) {
      reader = PdfReader.openShared(this.bytes.subarray(0, end), this.shared);
      this.shared.prefixes.set(end, reader);
    }
    return reader;
  }

  /** The cross-reference section at `offset` (shared: do not change it). */
  sectionAt(offset: number): XrefSection {
    return sectionIn(this.bytes, offset, this.shared);
  }

  /** True when the document is encrypted (a trailer /Encrypt entry). */
  get isEncrypted(): boolean {
    return this.trailer.has('Encrypt');
  }

  /** The kind of the newest cross-reference section; an incremental update should write the same kind. */
  get xrefKind(): 'table' | 'stream' {
    return this.sections[0]?.kind ?? 'table';
  }

  /** The highest object number in use + 1 (the trailer's /Size, or more when the xref says so). */
  get size(): number {
    let max = numberOf(this.trailer.get('Size')) ?? 0;
    for (const k of this.entries.keys()) if (k + 1 > max) max = k + 1;
    return max;
  }

  /** The catalog (`/Root`) dictionary. */
  catalog(): PdfDict {
    const root = this.resolve(this.trailer.get('Root'));
    if (!(root instanceof PdfDict)) throw new KysoError('ERR_PDF_MALFORMED', 'the /Root is not a dictionary');
    return root;
  }

  /** The object `o` refers to when it is a reference (following chains of references), else `o`. */
  resolve(o: PdfObject | undefined): PdfObject | undefined {
    for (let i = 0; i < MAX_REF_CHAIN && o instanceof PdfRef; i++) o = this.getObject(o);
    return o instanceof PdfRef ? undefined : o;
  }

  /** The dictionary `o` is or refers to (a stream's dictionary for a stream), or `undefined`. */
  resolveDict(o: PdfObject | undefined): PdfDict | undefined {
    return dictOf(this.resolve(o));
  }

  /** The object numbered by `ref` (null when free or missing, as the spec says). */
  getObject(ref: PdfRef | number): PdfObject {
    const num = typeof ref === 'number' ? ref : ref.num;
    if (this.cache.has(num)) return this.cache.get(num)!;
    if (this.resolving.has(num))
      throw new KysoError('ERR_PDF_MALFORMED', `object ${num} refers to itself while being read`);
    this.resolving.add(num);
    try {
      const value = this.load(num);
      this.cache.set(num, value);
      return value;
    } finally {
      this.resolving.delete(num);
    }
  }

  /** The byte offset of an uncompressed object, when it has one. */
  offsetOf(num: number): number | undefined {
    const e = this.entries.get(num);
    return e?.type === 1 ? e.offset : undefined;
  }

  /** The pages in order, with inherited attributes. Cycles and absurd trees are refused. */
  pages(): PdfPage[] {
    const all: PdfPage[] = [];
    this.visitPages((page) => void all.push(page));
    return all;
  }

  /**
   * Page `index` (zero-based), or undefined past the last page. The page tree is walked only as far as that
   * page: a damaged or huge tree after it costs nothing, which {@link pages} would refuse or read whole.
   */
  page(index: number): PdfPage | undefined {
    let found: PdfPage | undefined;
    let i = 0;
    this.visitPages((page) => {
      if (i++ !== index) return false;
      found = page;
      return true;
    });
    return found;
  }

  /**
   * Walks the page tree in order, handing each page to `visit` until it returns true. A plain recursion (not a
   * generator): every signing looks up its page, and the walk was a third of the cost of opening a small file.
   */
  private visitPages(visit: (page: PdfPage) => boolean | void): void {
    const walk = new PageWalk(this, visit);
    walk.node(this.catalog().get('Pages'), { rotate: 0 }, 0);
  }

  /**
   * The incremental revisions of the file, oldest first: each ends after a `%%EOF` that follows a
   * `startxref`. The document as it was at revision i is `PdfReader.open(bytes.subarray(0, revisions[i].end))`.
   */
  revisions(eofPositions?: readonly number[]): PdfRevision[] {
    const out: PdfRevision[] = [];
    const b = this.bytes;
    const positions = eofPositions ?? findAll(b, EOF_MARK);
    for (const at of positions) {
      ensureRange(b, at, 8);
      let end = at + 5;
      if (b[end] === 0x0d) end++;
      if (b[end] === 0x0a) end++;
      let xrefOffset: number;
      try {
        xrefOffset = findStartxref(b, at + 5);
      } catch {
        continue;
      }
      const start = out.length ? out[out.length - 1]!.end : 0;
      // A real startxref points back into the file; a %%EOF inside a stream's data usually does not. Some
      // writers get every offset of an update wrong (its startxref points past its own %%EOF): the update's
      // own cross-reference table, the last one between the previous revision and this %%EOF, then marks it.
      if (xrefOffset >= at) xrefOffset = ownXrefTable(b, start, at) ?? xrefOffset;
      if (xrefOffset >= at || (out.length && out[out.length - 1]!.xrefOffset === xrefOffset)) continue;
      const objects: number[] = [];
      const offsets: number[] = [xrefOffset];
      let readable = true;
      try {
        for (const [n, e] of this.sectionAt(xrefOffset).entries) {
          if (e.type !== 0) objects.push(n);
          if (e.type === 1) offsets.push(e.offset);
        }
      } catch {
        readable = false; // an unreadable section still marks a revision boundary
      }
      out.push({ xrefOffset, end, objects, offsets, readable });
    }
    return out;
  }

  private load(num: number): PdfObject {
    const e = this.entries.get(num);
    if (!e || e.type === 0) return null;
    if (e.type === 1) {
      if (e.offset < 0 || e.offset >= this.bytes.length)
        throw new KysoError('ERR_PDF_MALFORMED', `object ${num} points outside the file`);
      let parsed = this.shared.objects.get(e.offset);
      if (
        !parsed ||
        parsed.reach > this.bytes.length ||
        !parsed.lengths.every(([r, v]) => numberOf(this.resolve(r)) === v)
      ) {
        const lengths: [PdfRef, number | undefined][] = [];
        const p = new PdfParser(this.bytes, e.offset, (r) => {
          const v = numberOf(this.resolve(r));
          lengths.push([r, v]);
          return v;
        });
        const { ref, value } = p.readIndirectObject();
        parsed = { num: ref.num, value, reach: p.closedReach() ?? Infinity, lengths };
        if (parsed.reach !== Infinity) this.shared.objects.set(e.offset, parsed);
      }
      if (parsed.num !== num)
        throw new KysoError('ERR_PDF_MALFORMED', `the xref entry of object ${num} points at object ${parsed.num}`);
      return parsed.value;
    }
    return this.loadCompressed(num, e.stream, e.index);
  }

  private loadCompressed(num: number, streamNum: number, index: number): PdfObject {
    const stream = this.getObject(streamNum);
    if (!(stream instanceof PdfStream) || nameOf(stream.dict.get('Type')) !== 'ObjStm') {
      throw new KysoError('ERR_PDF_MALFORMED', `object ${num} is in ${streamNum}, which is not an object stream`);
    }
    const n = numberOf(stream.dict.get('N')) ?? 0;
    const first = numberOf(stream.dict.get('First')) ?? 0;
    const bound = objectStreamBound(n, first, this.bytes.length);
    let os = this.shared.objStreams.get(stream);
    // decoded under another bound (a longer prefix allows more): decode again, to refuse it alike
    if (!os || os.bound !== bound) {
      const data = decodeStream(stream, { maxBytes: bound });
      const parser = new PdfParser(data, 0);
      const offsets: number[] = [];
      for (let i = 0; i < n; i++) {
        const objNum = parser.readInteger();
        const off = parser.readInteger();
        offsets.push(objNum, off);
      }
      os = { parser, offsets, first, bound, parsed: new Map() };
      this.shared.objStreams.set(stream, os);
    }
    if (os.offsets[index * 2] !== num) {
      const i = os.offsets.findIndex((v, k) => k % 2 === 0 && v === num);
      if (i < 0) throw new KysoError('ERR_PDF_MALFORMED', `object ${num} is not in object stream ${streamNum}`);
      index = i / 2;
    }
    let value = os.parsed.get(index);
    if (value === undefined) {
      value = new PdfParser(os.parser.bytes, os.first + os.offsets[index * 2 + 1]!).readObject();
      os.parsed.set(index, value);
    }
    return value;
  }
}

/**
 * Most bytes an object stream of `n` objects may inflate to: its header plus a generous allowance per
 * object, and never more than a file of `fileLength` bytes could plausibly have compressed into it (object
 * streams hold only dictionaries, arrays and numbers, which rarely compress 64-fold).
 */
function objectStreamBound(n: number, first: number, fileLength: number): number {
  const perObjects = Math.max(0, first) + Math.max(0, n) * 64 * 1024;
  return Math.min(perObjects, 64 * fileLength + 1024 * 1024);
}

/** The value of the last `startxref` before `before`. */
/** The offset of the last readable `xref` table that starts in [from, to), when there is one. */
function ownXrefTable(bytes: Uint8Array, from: number, to: number): number | undefined {
  ensureRange(bytes, from, to - from);
  const at = lastIndexOfBytes(bytes, XREF_LINE, to, from);
  if (at < 0) return undefined;
  try {
    readXrefSection(bytes, at + 1);
    return at + 1;
  } catch {
    return undefined;
  }
}

function findStartxref(bytes: Uint8Array, before: number): number {
  ensureRange(bytes, before - 4096, 4096 + 64);
  const at = lastIndexOfBytes(bytes, STARTXREF, before, Math.max(0, before - 4096));
  if (at < 0) throw new KysoError('ERR_PDF_MALFORMED', 'no startxref near the end of the file');
  const p = new PdfParser(bytes, at + STARTXREF.length);
  return p.readInteger();
}

/** The section at `offset` of `bytes`, read once for the readers that share `shared` (see {@link SharedParse}). */
function sectionIn(bytes: Uint8Array, offset: number, shared: SharedParse): XrefSection {
  const known = shared.sections.get(offset);
  if (known && known.reach! <= bytes.length) return known;
  const section = readXrefSection(bytes, offset);
  if (section.reach !== undefined) shared.sections.set(offset, section);
  return section;
}

function readSectionChain(bytes: Uint8Array, startxref: number, read: (offset: number) => XrefSection): XrefSection[] {
  const sections: XrefSection[] = [];
  const seen = new Set<number>();
  let offset: number | undefined = startxref;
  while (offset !== undefined) {
    if (seen.has(offset)) break; // a /Prev cycle ends the chain
    if (sections.length >= MAX_SECTIONS) throw new KysoError('ERR_PDF_MALFORMED', 'too many cross-reference sections');
    seen.add(offset);
    let section = read(offset);
    const stm = numberOf(section.trailer.get('XRefStm'));
    if (section.kind === 'table' && stm !== undefined && !seen.has(stm)) {
      try {
        const hidden = read(stm);
        // merged into a copy: the section read is shared with the readers of other revisions
        const entries = new Map(section.entries);
        for (const [k, v] of hidden.entries) if (!entries.has(k)) entries.set(k, v);
        section = { ...section, entries };
      } catch {
        // a hybrid file's hidden section is optional for readers that use the table
      }
    }
    sections.push(section);
    offset = numberOf(section.trailer.get('Prev'));
  }
  return sections;
}

/**
 * Rebuilds the cross-reference data by scanning for `N G obj` (the last definition wins) and takes the
 * last trailer (or xref stream dictionary) that names a /Root.
 */
function repairByScanning(
  bytes: Uint8Array,
): { entries: Map<number, XrefEntry>; trailer: PdfDict; startxref: number } | undefined {
  const entries = new Map<number, XrefEntry>();
  let trailer: PdfDict | undefined;
  const OBJ = latin1(' obj');
  for (let at = indexOfBytes(bytes, OBJ); at >= 0; at = indexOfBytes(bytes, OBJ, at + 4)) {
    const header = objectHeaderBefore(bytes, at);
    if (!header) continue;
    const { num, gen, start } = header;
    entries.set(num, { type: 1, offset: start, gen });
    try {
      const { value } = new PdfParser(bytes, start).readIndirectObject();
      if (value instanceof PdfStream && nameOf(value.dict.get('Type')) === 'XRef') {
        if (value.dict.get('Root')) trailer = value.dict;
        for (const [k, v] of xrefStreamEntries(value, bytes.length))
          if (v.type === 2 && !entries.has(k)) entries.set(k, v);
      }
    } catch {
      // an object we cannot parse stays in the map; reading it later gives the typed error
    }
  }
  const TRAILER = latin1('trailer');
  for (let at = indexOfBytes(bytes, TRAILER); at >= 0; at = indexOfBytes(bytes, TRAILER, at + 7)) {
    try {
      const t = new PdfParser(bytes, at + 7).readObject();
      if (t instanceof PdfDict && t.get('Root') instanceof PdfRef) trailer = t;
    } catch {
      // ignore unreadable trailers
    }
  }
  if (!trailer || entries.size === 0) return undefined;
  let startxref = 0;
  try {
    startxref = findStartxref(bytes, bytes.length);
  } catch {
    // none: the update will carry no /Prev
  }
  return { entries, trailer, startxref };
}
