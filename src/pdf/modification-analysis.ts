import { PdfDict, PdfRef, PdfStream, PdfString, dictOf, nameOf, numberOf, type PdfObject } from './objects.js';
import { ensureRange } from './lazy-bytes.js';
import { PdfReader, type PdfRevision } from './reader.js';
import { serialize } from './serialize.js';
import { pageTextRuns } from './text-locator.js';
import { decodeTextString } from './text-string.js';

/** How a later change stands. */
export type ChangeStatus = 'permitted' | 'reported' | 'not-permitted';

/** One change made after a signature. */
export interface PdfChange {
  /** What kind of change. */
  kind:
    | 'signature'
    | 'document-timestamp'
    | 'form-field'
    | 'dss'
    | 'annotation'
    | 'metadata'
    | 'page-content'
    | 'pages'
    | 'catalog'
    | 'trailer'
    | 'object-overwritten'
    | 'object-defined-late'
    | 'object-deleted'
    | 'appended-without-xref'
    | 'trailing-bytes'
    | 'unreadable-revision';
  status: ChangeStatus;
  /** The object number concerned, when there is one. */
  object?: number;
  /** For people. */
  detail: string;
}

/** What happened to the document after a signature. */
export interface ModificationReport {
  /**
   * `whole-document`: the signature covers the file; `permitted-changes`: later revisions only add what the
   * rules allow (signatures, DSS, document timestamps, form filling as DocMDP allows); `changes-reported`:
   * allowed, but worth a reader's eyes (annotations, metadata); `not-permitted-changes`: the document was
   * changed after signing.
   */
  verdict: 'whole-document' | 'permitted-changes' | 'changes-reported' | 'not-permitted-changes';
  /** Revisions after the one the signature covers. */
  laterRevisions: number;
  changes: PdfChange[];
}

/**
 * A FieldMDP lock: the fields a signature froze (its /Reference FieldMDP transform, or the /Lock of the field
 * it signed). `All` locks every field; `Include` the listed fully qualified names; `Exclude` all but them.
 */
export interface FieldLock {
  action: 'All' | 'Include' | 'Exclude';
  fields: string[];
}

/** Options of {@link analyseModifications}. */
export interface ModificationOptions {
  /** The DocMDP permission level (1–3) of a certification signature at or before this one. */
  docMdp?: 1 | 2 | 3;
  /** FieldMDP locks of this signature and the ones before it: a later change to a locked field is not permitted. */
  fieldLocks?: readonly FieldLock[];
  /** Most changes listed (the verdict still counts all). Default 200. */
  maxChanges?: number;
}

const MAX_TAIL_SCAN = 64 * 1024 * 1024;
/** Most objects of the signed revision walked when looking for references to objects defined later. */
const MAX_WALK = 500_000;

/**
 * Compares the document as a signature covered it (the bytes up to `coveredEnd`) with the document as it is
 * now, object by object over the later revisions, and classifies every change. Anything not recognised as
 * one of the permitted kinds is not permitted: the rules list what may change, not what may not.
 *
 * @example
 * ```ts
 * const report = analyseModifications(bytes, PdfReader.open(bytes), coveredEnd, reader.revisions(), { docMdp: 2 });
 * if (report.verdict === 'not-permitted-changes') console.log(report.changes);
 * ```
 */
export function analyseModifications(
  bytes: Uint8Array,
  current: PdfReader,
  coveredEnd: number,
  revisions: PdfRevision[],
  options: ModificationOptions = {},
): ModificationReport {
  const changes: PdfChange[] = [];
  const add = (c: PdfChange) => changes.push(options.docMdp === 1 ? underNoChanges(c) : c);
  ensureRange(bytes, coveredEnd, Math.min(bytes.length - coveredEnd, MAX_TAIL_SCAN));
  const later = revisions.filter((r) => r.end > coveredEnd);
  const lastEnd = revisions.length ? revisions[revisions.length - 1]!.end : coveredEnd;
  if (!onlyWhitespace(bytes, Math.max(lastEnd, coveredEnd), bytes.length)) {
    add({
      kind: 'trailing-bytes',
      status: 'not-permitted',
      detail: `bytes after the last revision (${bytes.length - Math.max(lastEnd, coveredEnd)} bytes) are not a clean incremental update`,
    });
  }
  if (later.length === 0) {
    return finish(changes, 0, options);
  }
  let before: PdfReader;
  try {
    // what PdfReader.open(bytes.subarray(0, coveredEnd)) reads, with what the other signatures' analyses parsed
    before = current.prefix(coveredEnd);
  } catch {
    add({ kind: 'unreadable-revision', status: 'not-permitted', detail: 'the signed revision cannot be read' });
    return finish(changes, later.length, options);
  }
  const listed = listingsOf(current, revisions);
  const firstLater = revisions.length - later.length;
  for (let i = firstLater; i < revisions.length; i++) {
    if (listed.readable[i]) continue;
    add({
      kind: 'unreadable-revision',
      status: 'not-permitted',
      detail: `the revision ending at byte ${revisions[i]!.end} has no readable cross-reference section`,
    });
  }
  const listedLater = (last: number | undefined) => last !== undefined && last >= firstLater;
  appendedWithoutXref(
    bytes,
    coveredEnd,
    revisions[0]!.end,
    (offset) => listedLater(listed.offsets.get(offset)),
    (num) => listedLater(listed.numbers.get(num)),
    current,
    add,
  );
  try {
    const ctx = new Context(before, current, options);
    ctx.classifyTrailer(add);
    for (const n of listed.ascending) if (listedLater(listed.numbers.get(n))) ctx.classify(n, add);
    ctx.checkLateDefinitions(add);
  } catch (e) {
    // a structure that cannot be read (a reference cycle, say) cannot be shown to be unchanged
    add({
      kind: 'unreadable-revision',
      status: 'not-permitted',
      detail: `the revisions cannot be compared: ${(e as Error).message}`,
    });
  }
  return finish(changes, later.length, options);
}

/** Changes a writer makes to add validation data or a document timestamp (and nothing else). */
const SIGFLAGS_CHANGED = 'form setting /SigFlags changed';
const EXTENSION_DECLARED = 'a developer extension was declared';

/**
 * A certification with P=1 allows no change but what ISO 32000-2 (12.8.2.2) exempts: DSS validation data and
 * document timestamps, with the signature field, form flags and extension declaration those bring. Whatever
 * else the rules would permit or only report (new /Info, /Lang, /NeedAppearances, a comment) is not permitted.
 */
function underNoChanges(c: PdfChange): PdfChange {
  if (
    c.status === 'not-permitted' ||
    c.kind === 'dss' ||
    c.kind === 'document-timestamp' ||
    c.detail === SIGFLAGS_CHANGED ||
    c.detail === EXTENSION_DECLARED
  )
    return c;
  return {
    ...c,
    status: 'not-permitted',
    detail: `${c.detail} — after a certification that allows no changes (DocMDP P=1)`,
  };
}

function finish(changes: PdfChange[], laterRevisions: number, options: ModificationOptions): ModificationReport {
  const verdict: ModificationReport['verdict'] = changes.some((c) => c.status === 'not-permitted')
    ? 'not-permitted-changes'
    : changes.some((c) => c.status === 'reported')
      ? 'changes-reported'
      : laterRevisions > 0
        ? 'permitted-changes'
        : 'whole-document';
  const order: Record<ChangeStatus, number> = { 'not-permitted': 0, reported: 1, permitted: 2 };
  changes.sort((a, b) => order[a.status] - order[b.status]);
  return { verdict, laterRevisions, changes: changes.slice(0, options.maxChanges ?? 200) };
}

function onlyWhitespace(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0x00 && c !== 0x0c) return false;
  }
  return true;
}

/**
 * What a later revision's cross-reference section defines: every object number it lists — in use, or freed
 * (a freed object reads as null, so freeing a page's content stream changes what the page shows without
 * rewriting any object) — with the hybrid file's /XRefStm stream merged in, and the offsets it gives.
 */
function sectionOf(reader: PdfReader, r: PdfRevision): { numbers: number[]; offsets: number[] } | undefined {
  try {
    const table = reader.sectionAt(r.xrefOffset);
    const offsets = [r.xrefOffset];
    const entries = [...table.entries];
    const stm = numberOf(table.trailer.get('XRefStm'));
    if (table.kind === 'table' && stm !== undefined) {
      entries.push(...reader.sectionAt(stm).entries);
      offsets.push(stm);
    }
    for (const [, e] of entries) if (e.type === 1) offsets.push(e.offset);
    return { numbers: entries.map(([n]) => n).filter((n) => n !== 0), offsets };
  } catch {
    return undefined;
  }
}

/**
 * What the revisions' sections list, read once for all the signatures of a file: each object number and offset
 * with the last revision that lists it, so that "listed after the signed revision" is one lookup rather than a
 * union of every later section, made again for each signature.
 */
interface Listings {
  /** Whether each revision's section can be read. */
  readable: boolean[];
  /** Object number → the index of the last revision listing it. */
  numbers: Map<number, number>;
  /** Offset (of an object, or of a section) → the index of the last revision listing it. */
  offsets: Map<number, number>;
  /** The numbers listed, in ascending order. */
  ascending: number[];
}

/** By the reader of one verification, for the revisions it was given (never by the bytes: see {@link headerScans}). */
const listingsCache = new WeakMap<PdfReader, { revisions: PdfRevision[]; listings: Listings }>();

function listingsOf(reader: PdfReader, revisions: PdfRevision[]): Listings {
  const cached = listingsCache.get(reader);
  if (cached?.revisions === revisions) return cached.listings;
  const listings: Listings = { readable: [], numbers: new Map(), offsets: new Map(), ascending: [] };
  revisions.forEach((r, i) => {
    const section = r.readable ? sectionOf(reader, r) : undefined;
    listings.readable.push(section !== undefined);
    for (const n of section?.numbers ?? []) listings.numbers.set(n, i);
    for (const o of section?.offsets ?? []) listings.offsets.set(o, i);
  });
  listings.ascending = [...listings.numbers.keys()].sort((a, b) => a - b);
  listingsCache.set(reader, { revisions, listings });
  return listings;
}

/**
 * Objects written after the signed range that no later cross-reference section lists (an ISA variant): every
 * `N G obj` header in the first {@link MAX_TAIL_SCAN} bytes from `from`, at `from` or after white space.
 */
function appendedWithoutXref(
  bytes: Uint8Array,
  from: number,
  firstRevisionEnd: number,
  listed: (offset: number) => boolean,
  listedNumber: (num: number) => boolean,
  current: PdfReader,
  add: (c: PdfChange) => void,
): void {
  for (const { offset, num } of objectHeaders(
    current,
    bytes,
    from,
    Math.min(bytes.length, from + MAX_TAIL_SCAN),
    firstRevisionEnd,
  )) {
    // writers differ on whether an xref offset points at the object or at the end-of-line before it
    if (listed(offset) || listed(offset - 1) || listed(offset - 2) || listed(offset + 1)) continue;
    // an unlisted definition that a later, listed one supersedes is dead bytes, not a change
    const effective = current.offsetOf(num);
    if (effective !== undefined && effective > offset) continue;
    // a later section lists the object but at a wrong offset (the reader found it by scanning): the object
    // is part of that update and is classified with it
    if (effective === offset && listedNumber(num)) continue;
    add({
      kind: 'appended-without-xref',
      status: 'not-permitted',
      object: num,
      detail: `object ${num} was appended at byte ${offset} without a cross-reference entry`,
    });
  }
}

/** An `N G obj` header: where N starts, where `obj` ends, and whether a word character follows it. */
interface ObjectHeader {
  offset: number;
  num: number;
  end: number;
  wordAfter: boolean;
}

/**
 * The headers found in [from, to) of a file, kept for the analyses of its other signatures: by the reader of
 * one verification (never by the bytes, which a caller may refill between two).
 */
const headerScans = new WeakMap<PdfReader, { bytes: Uint8Array; from: number; to: number; headers: ObjectHeader[] }>();

/** White space as a regular expression's `\s` sees a byte (latin-1), and word characters (`\w`). */
const SPACE = new Uint8Array(256);
for (const c of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0]) SPACE[c] = 1;
const WORD = new Uint8Array(256);
for (let c = 0; c < 256; c++) if (/\w/.test(String.fromCharCode(c))) WORD[c] = 1;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

/**
 * The headers `N G obj` (N of 1–10 digits, G of 1–5, white space between, no word character after `obj`) that
 * lie in [from, to) and begin at `from` or after a white space at or after `from`, in order. The bytes are
 * scanned once per file (from `scanFrom` on, where the first signed revision ends): each signature's analysis
 * picks its part of the one list.
 */
function objectHeaders(
  reader: PdfReader,
  bytes: Uint8Array,
  from: number,
  to: number,
  scanFrom: number,
): ObjectHeader[] {
  let scan = headerScans.get(reader);
  if (scan?.bytes !== bytes) scan = undefined;
  if (!scan || scan.from > from || scan.to < to) {
    const start = Math.min(from, scanFrom, scan?.from ?? from);
    const end = Math.max(to, scan?.to ?? to);
    scan = { bytes, from: start, to: end, headers: scanHeaders(bytes, start, end) };
    headerScans.set(reader, scan);
  }
  const out: ObjectHeader[] = [];
  const atFrom = headerAt(bytes, from, to);
  if (atFrom) out.push(atFrom);
  const hs = scan.headers;
  let lo = 0;
  for (let hi = hs.length; lo < hi;) {
    const mid = (lo + hi) >>> 1;
    if (hs[mid]!.offset <= from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < hs.length && hs[i]!.offset < to; i++) {
    const h = hs[i]!;
    if (h.end <= to && (!h.wordAfter || h.end === to)) out.push(h);
  }
  return out;
}

/** Every header in [from, to) preceded by a white space at or after `from`. */
function scanHeaders(bytes: Uint8Array, from: number, to: number): ObjectHeader[] {
  ensureRange(bytes, from, to - from);
  const out: ObjectHeader[] = [];
  for (let o = bytes.indexOf(0x6f, from); o >= 0 && o + 3 <= to; o = bytes.indexOf(0x6f, o + 1)) {
    if (bytes[o + 1] !== 0x62 || bytes[o + 2] !== 0x6a) continue; // obj
    let i = o - 1;
    if (i < from || !SPACE[bytes[i]!]) continue;
    while (i >= from && SPACE[bytes[i]!]) i--;
    const genEnd = i;
    while (i >= from && isDigit(bytes[i])) i--;
    if (genEnd - i < 1 || genEnd - i > 5 || i < from || !SPACE[bytes[i]!]) continue;
    while (i >= from && SPACE[bytes[i]!]) i--;
    const numEnd = i;
    while (i >= from && isDigit(bytes[i])) i--;
    if (numEnd - i < 1 || numEnd - i > 10 || i < from || !SPACE[bytes[i]!]) continue;
    out.push({
      offset: i + 1,
      num: digitsAt(bytes, i + 1, numEnd + 1),
      end: o + 3,
      wordAfter: WORD[bytes[o + 3] ?? 0x20] === 1,
    });
  }
  return out;
}

/** The header that begins exactly at `at` (whatever precedes it) and ends by `to`, if any. */
function headerAt(bytes: Uint8Array, at: number, to: number): ObjectHeader | undefined {
  let i = at;
  while (i < to && isDigit(bytes[i])) i++;
  const numEnd = i;
  if (numEnd - at < 1 || numEnd - at > 10 || i >= to || !SPACE[bytes[i]!]) return undefined;
  while (i < to && SPACE[bytes[i]!]) i++;
  const genStart = i;
  while (i < to && isDigit(bytes[i])) i++;
  if (i - genStart < 1 || i - genStart > 5 || i >= to || !SPACE[bytes[i]!]) return undefined;
  while (i < to && SPACE[bytes[i]!]) i++;
  if (i + 3 > to || bytes[i] !== 0x6f || bytes[i + 1] !== 0x62 || bytes[i + 2] !== 0x6a) return undefined;
  if (i + 3 < to && WORD[bytes[i + 3]!]) return undefined;
  return { offset: at, num: digitsAt(bytes, at, numEnd), end: i + 3, wordAfter: false };
}

function digitsAt(bytes: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let k = from; k < to; k++) v = v * 10 + bytes[k]! - 0x30;
  return v;
}

/** Annotation kinds that mark text rather than paint over it; added after a P=3 certification they are reported. */
const TEXT_MARKUP = new Set(['Highlight', 'Underline', 'StrikeOut', 'Squiggly', 'Popup', 'Link']);

/**
 * Page and page tree entries (ISO 32000-2, tables 30 and 31) that decide what a page shows or what a viewer does
 * with it. A change to any of them is not permitted; a change to another standard entry (thumbnails,
 * structure, transitions) or to a private one (iText's /ITXT) is listed as permitted.
 */
const PAGE_KEYS_THAT_MATTER = new Set([
  'Type',
  'Parent',
  'Kids',
  'Count',
  'Resources',
  'MediaBox',
  'CropBox',
  'BleedBox',
  'TrimBox',
  'ArtBox',
  'BoxColorInfo',
  'Contents',
  'Rotate',
  'Group',
  'AA',
  'TemplateInstantiated',
  'PresSteps',
  'UserUnit',
  'VP',
  'AF',
  'OutputIntents',
  'DPart',
]);

/** Annotation flags: Hidden (bit 2) and NoView (bit 6) — such an annotation paints nothing. */
const NOT_PAINTED = 2 | 32;

class Context {
  private readonly catalogNum?: number;
  private readonly infoNum?: number;
  private readonly metadataNum?: number;
  private readonly acroFormNum?: number;
  private readonly namesNum?: number;
  private readonly fieldsNum?: number;
  private readonly dssNums = new Set<number>();
  private readonly pageNums = new Set<number>();
  private readonly pageTreeNums = new Set<number>();
  private readonly annotsArrays = new Map<number, number>(); // array object → page object
  /** Every node of the signed form's field tree (fields and their widgets) → fully qualified field name. */
  private readonly fieldNames = new Map<number, string>();
  private readonly textBoxes = new Map<number, number[][]>();
  /** Objects that did not exist when signed but do now. */
  private readonly defined = new Set<number>();
  /** Every object a changed or new object (or the new trailer) refers to. */
  private readonly referenced = new Set<number>();
  private readonly docMdp: 1 | 2 | 3 | undefined;
  private readonly locks: readonly FieldLock[];
  /** Who refers to each object in the signed revision (built on first need; null when too large to walk). */
  private referrerMap: Map<number, Referrer[]> | null | undefined;

  constructor(
    private readonly before: PdfReader,
    private readonly after: PdfReader,
    options: ModificationOptions,
  ) {
    this.docMdp = options.docMdp;
    this.locks = options.fieldLocks ?? [];
    const root = before.trailer.get('Root');
    this.catalogNum = root instanceof PdfRef ? root.num : undefined;
    const info = before.trailer.get('Info');
    this.infoNum = info instanceof PdfRef ? info.num : undefined;
    const cat = before.catalog();
    const meta = cat.get('Metadata');
    this.metadataNum = meta instanceof PdfRef ? meta.num : undefined;
    const form = cat.get('AcroForm');
    if (form instanceof PdfRef) this.acroFormNum = form.num;
    const names = cat.get('Names');
    if (names instanceof PdfRef) this.namesNum = names.num;
    const fields = before.resolveDict(form)?.get('Fields');
    if (fields instanceof PdfRef) this.fieldsNum = fields.num;
    const dss = cat.get('DSS');
    if (dss instanceof PdfRef) this.dssNums.add(dss.num);
    this.collectDss(before.resolve(dss), 0);
    this.collectPageTree(cat.get('Pages'), 0);
    for (const page of safePages(before)) {
      this.pageNums.add(page.ref.num);
      const annots = page.dict.get('Annots');
      if (annots instanceof PdfRef) this.annotsArrays.set(annots.num, page.ref.num);
    }
    this.collectFields(fields, '', 0);
  }

  /** The field tree with fully qualified names; a widget kid (no /T) carries its field's name. */
  private collectFields(list: PdfObject | undefined, prefix: string, depth: number): void {
    const arr = this.before.resolve(list);
    if (!Array.isArray(arr) || depth > 32) return;
    for (const f of arr) {
      if (!(f instanceof PdfRef) || this.fieldNames.has(f.num) || this.fieldNames.size > 100_000) continue;
      const d = this.before.resolveDict(f);
      const t = this.before.resolve(d?.get('T'));
      const partial = t instanceof PdfString ? decodeTextString(t) : '';
      const name = prefix && partial ? `${prefix}.${partial}` : prefix || partial;
      this.fieldNames.set(f.num, name);
      this.collectFields(d?.get('Kids'), name, depth + 1);
    }
  }

  /** Every indirect object inside the DSS (arrays, VRI dictionaries, certificate and revocation streams). */
  private collectDss(o: PdfObject | undefined, depth: number): void {
    if (depth > 4 || this.dssNums.size > 100_000) return;
    const values = Array.isArray(o) ? o : o instanceof PdfDict ? [...o.map.values()] : [];
    for (const v of values) {
      if (v instanceof PdfRef) {
        if (this.dssNums.has(v.num)) continue;
        this.dssNums.add(v.num);
        this.collectDss(this.before.resolve(v), depth + 1);
      } else this.collectDss(v, depth + 1);
    }
  }

  private collectPageTree(node: PdfObject | undefined, depth: number): void {
    if (!(node instanceof PdfRef) || depth > 64 || this.pageTreeNums.has(node.num) || this.pageTreeNums.size > 100_000)
      return;
    const d = this.before.resolveDict(node);
    if (!d || nameOf(d.get('Type')) === 'Page') return;
    this.pageTreeNums.add(node.num);
    const kids = this.before.resolve(d.get('Kids'));
    if (Array.isArray(kids)) for (const k of kids) this.collectPageTree(k, depth + 1);
  }

  /**
   * The trailer decides which catalog is the document. Some writers put a new catalog object in each update;
   * it is then held to the same rules as the old one (a new /Pages tree is a new document).
   */
  classifyTrailer(add: (c: PdfChange) => void): void {
    const root = this.after.trailer.get('Root');
    if (!(root instanceof PdfRef)) {
      add({ kind: 'trailer', status: 'not-permitted', detail: 'the trailer has no catalog (/Root)' });
    } else if (root.num !== this.catalogNum) {
      this.referenced.add(root.num);
      let catalog: PdfDict | undefined;
      try {
        catalog = this.after.catalog();
      } catch {
        catalog = undefined;
      }
      this.classifyCatalog(root.num, this.before.catalog(), catalog, add);
    }
    if (!same(this.before.trailer.get('Encrypt') ?? null, this.after.trailer.get('Encrypt') ?? null)) {
      add({ kind: 'trailer', status: 'not-permitted', detail: 'the encryption dictionary (/Encrypt) changed' });
    }
    const info = this.after.trailer.get('Info');
    if (info instanceof PdfRef) this.referenced.add(info.num);
    if (info instanceof PdfRef && info.num !== this.infoNum)
      add({
        kind: 'metadata',
        status: 'permitted',
        object: info.num,
        detail: 'the document information dictionary (/Info) was replaced',
      });
  }

  classify(n: number, add: (c: PdfChange) => void): void {
    let oldVal: PdfObject;
    let newVal: PdfObject;
    try {
      oldVal = this.before.getObject(n);
      newVal = this.after.getObject(n);
    } catch {
      add({
        kind: 'object-overwritten',
        status: 'not-permitted',
        object: n,
        detail: `object ${n} cannot be read in one of the revisions`,
      });
      return;
    }
    if (oldVal !== null && newVal === null) {
      add({ kind: 'object-deleted', status: 'not-permitted', object: n, detail: `object ${n} was deleted` });
      return;
    }
    if (newVal === null) return;
    for (const r of refsOf(newVal)) this.referenced.add(r);
    if (oldVal === null) {
      this.defined.add(n);
      this.classifyNew(n, newVal, add);
      return;
    }
    if (same(oldVal, newVal)) return;
    const oldDict = dictOf(oldVal);
    const newDict = dictOf(newVal);
    if (n === this.catalogNum) return this.classifyCatalog(n, oldDict, newDict, add);
    if (n === this.acroFormNum) return this.classifyForm(n, oldDict, newDict, add);
    // Objects whose change is permitted in their role must have no other: an /Info dictionary that is also a
    // page's /Resources, or a field list that is also a /Contents array, is what the page shows.
    if (n === this.fieldsNum && this.onlyReferredBy(n, (r) => r.key === 'Fields'))
      return this.classifyFieldList(n, oldVal, newVal, add);
    if (n === this.infoNum && this.onlyReferredBy(n, (r) => r.from === -1 && r.key === 'Info'))
      return add({ kind: 'metadata', status: 'permitted', object: n, detail: 'document information (/Info) updated' });
    if (n === this.metadataNum && this.onlyReferredBy(n, (r) => r.key === 'Metadata'))
      return add({ kind: 'metadata', status: 'permitted', object: n, detail: 'document metadata updated' });
    if (n === this.namesNum && this.onlyReferredBy(n, (r) => r.from === this.catalogNum && r.key === 'Names'))
      return this.classifyNames(n, oldDict, newDict, add);
    if (this.pageTreeNums.has(n)) return this.classifyPageTree(n, oldDict, newDict, add);
    if (this.pageNums.has(n)) return this.classifyPage(n, oldDict, newDict, add);
    if (this.annotsArrays.has(n) && this.onlyReferredBy(n, (r) => this.pageNums.has(r.from) && r.key === 'Annots'))
      return this.classifyAnnots(n, this.annotsArrays.get(n)!, oldVal, newVal, add);
    if (this.fieldNames.has(n)) return this.classifyField(n, oldDict, newDict, add);
    if (this.dssNums.has(n)) {
      // only objects nothing but the DSS refers to: a DSS array that is also a page's /Contents is content
      if (this.onlyReferredBy(n, (r) => this.dssNums.has(r.from) || (r.from === this.catalogNum && r.key === 'DSS')))
        return add({ kind: 'dss', status: 'permitted', object: n, detail: 'validation data (DSS) updated' });
      return add({
        kind: 'object-overwritten',
        status: 'not-permitted',
        object: n,
        detail: `object ${n} is validation data (DSS) but also part of the document, and was overwritten`,
      });
    }
    add({
      kind: 'object-overwritten',
      status: 'not-permitted',
      object: n,
      detail: `object ${n} (${describe(oldVal)}) was overwritten`,
    });
  }

  private classifyNew(n: number, value: PdfObject, add: (c: PdfChange) => void): void {
    const d = dictOf(value);
    const type = nameOf(d?.get('Type'));
    if (type === 'DocTimeStamp' || (type === 'Sig' && nameOf(d?.get('SubFilter')) === 'ETSI.RFC3161')) {
      add({ kind: 'document-timestamp', status: 'permitted', object: n, detail: 'a document timestamp was added' });
    } else if (type === 'Sig') {
      add({
        kind: 'signature',
        status: this.docMdp === 1 ? 'not-permitted' : 'permitted',
        object: n,
        detail: 'a signature was added',
      });
    }
    // other new objects matter through the existing objects changed to refer to them, or through a reference
    // the signed revision already made to them (checkLateDefinitions)
  }

  /**
   * A new object that nothing changed refers to can still be what the signed document shows: the signed
   * revision may refer to an object it leaves undefined (read as null, so nothing shows), and a later revision
   * defines it — a page's second content stream, a form XObject, an annotation. Such a definition changes the
   * signed document without rewriting any of its objects.
   */
  checkLateDefinitions(add: (c: PdfChange) => void): void {
    const orphans = [...this.defined].filter((n) => !this.referenced.has(n) && !isStructural(this.after, n));
    if (!orphans.length) return;
    const referrers = this.referrers();
    if (!referrers) {
      add({
        kind: 'object-defined-late',
        status: 'not-permitted',
        detail: `${orphans.length} new object(s) that nothing changed refers to; the signed document is too large to prove it never referred to them`,
      });
      return;
    }
    for (const n of orphans) {
      if (referrers.has(n))
        add({
          kind: 'object-defined-late',
          status: 'not-permitted',
          object: n,
          detail: `object ${n} was referred to but undefined when signed, and was defined afterwards`,
        });
    }
  }

  /** True when every reference the signed revision makes to object `n` passes `allowed` (false when unknown). */
  private onlyReferredBy(n: number, allowed: (r: Referrer) => boolean): boolean {
    const referrers = this.referrers();
    return referrers !== null && (referrers.get(n) ?? []).every(allowed);
  }

  /**
   * Every reference in the signed revision, by the object referred to: which object (or the trailer, -1) and
   * which of its entries. One walk from the trailer, bounded; null when the document is larger than the bound.
   */
  private referrers(): Map<number, Referrer[]> | null {
    if (this.referrerMap !== undefined) return this.referrerMap;
    const map = new Map<number, Referrer[]>();
    const queue: number[] = [];
    const note = (from: number, key: string, o: PdfObject | undefined) => {
      const refs = new Set<number>();
      collectRefs(o ?? null, refs, 0);
      for (const r of refs) {
        const list = map.get(r);
        if (list) {
          if (list.length < 64) list.push({ from, key });
        } else {
          map.set(r, [{ from, key }]);
          queue.push(r);
        }
      }
    };
    const entries = (from: number, o: PdfObject) => {
      const d = dictOf(o);
      if (d) for (const [k, v] of d.map) note(from, k, v);
      else if (Array.isArray(o)) note(from, '[]', o);
      else note(from, '', o);
    };
    entries(-1, this.before.trailer);
    for (let walked = 0; queue.length; walked++) {
      if (walked > MAX_WALK) return (this.referrerMap = null);
      const n = queue.pop()!;
      try {
        entries(n, this.before.getObject(n));
      } catch {
        // an unreadable object of the signed revision refers to nothing
      }
    }
    return (this.referrerMap = map);
  }

  private classifyCatalog(
    n: number,
    oldDict: PdfDict | undefined,
    newDict: PdfDict | undefined,
    add: (c: PdfChange) => void,
  ): void {
    if (!oldDict || !newDict)
      return add({ kind: 'catalog', status: 'not-permitted', object: n, detail: 'the catalog was replaced' });
    for (const key of changedKeys(oldDict, newDict)) {
      if (key === 'DSS') add({ kind: 'dss', status: 'permitted', object: n, detail: 'validation data (DSS) added' });
      else if (key === 'AcroForm')
        this.classifyForm(
          n,
          dictOf(this.before.resolve(oldDict.get('AcroForm'))) ?? new PdfDict(),
          dictOf(this.after.resolve(newDict.get('AcroForm'))),
          add,
        );
      else if (key === 'Metadata')
        add({ kind: 'metadata', status: 'permitted', object: n, detail: 'document metadata updated' });
      else if (key === 'Extensions') this.classifyExtensions(n, oldDict, newDict, add);
      else if (key === 'Names')
        this.classifyNames(
          n,
          dictOf(this.before.resolve(oldDict.get('Names'))) ?? new PdfDict(),
          dictOf(this.after.resolve(newDict.get('Names'))),
          add,
        );
      else if (key === 'Lang')
        add({ kind: 'metadata', status: 'permitted', object: n, detail: 'the document language (/Lang) changed' });
      else add({ kind: 'catalog', status: 'not-permitted', object: n, detail: `the catalog entry /${key} changed` });
    }
  }

  private classifyForm(
    n: number,
    oldDict: PdfDict | undefined,
    newDict: PdfDict | undefined,
    add: (c: PdfChange) => void,
  ): void {
    if (!oldDict || !newDict)
      return add({ kind: 'catalog', status: 'not-permitted', object: n, detail: 'the interactive form was removed' });
    for (const key of changedKeys(oldDict, newDict)) {
      if (key === 'Fields')
        this.classifyFieldList(
          n,
          this.before.resolve(oldDict.get('Fields')) ?? [],
          this.after.resolve(newDict.get('Fields')) ?? null,
          add,
        );
      else if (key === 'SigFlags')
        add({ kind: 'form-field', status: 'permitted', object: n, detail: SIGFLAGS_CHANGED });
      else if (key === 'DR' || key === 'DA' || key === 'NeedAppearances')
        add({ kind: 'form-field', status: 'permitted', object: n, detail: `form setting /${key} changed` });
      else add({ kind: 'catalog', status: 'not-permitted', object: n, detail: `the form entry /${key} changed` });
    }
  }

  /** The form's field list may only grow; a new signature field is permitted, any other new field only reported (and not at all on a certified document). */
  private classifyFieldList(n: number, oldVal: PdfObject, newVal: PdfObject, add: (c: PdfChange) => void): void {
    const was = itemsOf(oldVal).set;
    if (!Array.isArray(newVal) || !containsAll(newVal, was)) {
      return add({
        kind: 'form-field',
        status: 'not-permitted',
        object: n,
        detail: 'the form field list lost entries',
      });
    }
    const now = itemsOf(newVal).list;
    for (const [i, f] of newVal.entries()) {
      if (was.has(now[i]!)) continue;
      const num = f instanceof PdfRef ? f.num : n;
      if (this.isSignatureField(f)) {
        add(
          this.isDocTimestampField(f)
            ? {
                kind: 'document-timestamp',
                status: 'permitted',
                object: num,
                detail: 'a document timestamp field was added',
              }
            : {
                kind: 'signature',
                status: this.docMdp === 1 ? 'not-permitted' : 'permitted',
                object: num,
                detail: 'a signature field was added',
              },
        );
      } else if (this.docMdp) {
        add({
          kind: 'form-field',
          status: 'not-permitted',
          object: num,
          detail: 'a form field was added to a certified document',
        });
      } else {
        add({ kind: 'form-field', status: 'reported', object: num, detail: 'a form field was added after signing' });
      }
    }
  }

  /** True for a signature field whose value is a document timestamp (what P=1 still allows to be added). */
  private isDocTimestampField(f: PdfObject): boolean {
    const d = this.after.resolveDict(f);
    const v = this.after.resolveDict(d?.get('V') ?? this.after.resolveDict(d?.get('Parent'))?.get('V'));
    return nameOf(v?.get('Type')) === 'DocTimeStamp' || nameOf(v?.get('SubFilter')) === 'ETSI.RFC3161';
  }

  private isSignatureField(f: PdfObject): boolean {
    const d = this.after.resolveDict(f);
    return nameOf(d?.get('FT')) === 'Sig' || nameOf(this.after.resolveDict(d?.get('Parent'))?.get('FT')) === 'Sig';
  }

  private classifyPage(
    n: number,
    oldDict: PdfDict | undefined,
    newDict: PdfDict | undefined,
    add: (c: PdfChange) => void,
  ): void {
    if (!oldDict || !newDict)
      return add({ kind: 'page-content', status: 'not-permitted', object: n, detail: `page object ${n} was replaced` });
    for (const key of changedKeys(oldDict, newDict)) {
      if (key === 'Annots')
        this.classifyAnnots(
          n,
          n,
          this.before.resolve(oldDict.get('Annots')) ?? [],
          this.after.resolve(newDict.get('Annots')) ?? null,
          add,
        );
      else if (PAGE_KEYS_THAT_MATTER.has(key))
        add({ kind: 'page-content', status: 'not-permitted', object: n, detail: `the page entry /${key} changed` });
      else
        add({
          kind: 'page-content',
          status: 'permitted',
          object: n,
          detail: `the page entry /${key} changed (not part of what the page shows)`,
        });
    }
  }

  private classifyPageTree(
    n: number,
    oldDict: PdfDict | undefined,
    newDict: PdfDict | undefined,
    add: (c: PdfChange) => void,
  ): void {
    if (!oldDict || !newDict)
      return add({ kind: 'pages', status: 'not-permitted', object: n, detail: 'a page tree node was replaced' });
    for (const key of changedKeys(oldDict, newDict)) {
      const inert = !PAGE_KEYS_THAT_MATTER.has(key);
      add({
        kind: 'pages',
        status: inert ? 'permitted' : 'not-permitted',
        object: n,
        detail: inert
          ? `the page tree entry /${key} changed (not part of what the pages show)`
          : `the page tree entry /${key} changed (pages added, removed, reordered or redrawn)`,
      });
    }
  }

  /**
   * The name dictionary. Viewers add named appearances (/AP) when they add a stamp or comment, which changes
   * nothing already shown: that goes with annotations. Any other name tree (/JavaScript, /EmbeddedFiles,
   * /Dests, /Pages, /Templates …) is not permitted to change.
   */
  private classifyNames(
    n: number,
    oldDict: PdfDict | undefined,
    newDict: PdfDict | undefined,
    add: (c: PdfChange) => void,
  ): void {
    if (!oldDict || !newDict)
      return add({
        kind: 'catalog',
        status: 'not-permitted',
        object: n,
        detail: 'the name dictionary (/Names) was removed',
      });
    for (const key of changedKeys(oldDict, newDict)) {
      if (key === 'AP' && this.docMdp !== 1 && this.docMdp !== 2)
        add({
          kind: 'annotation',
          status: 'reported',
          object: n,
          detail: 'named annotation appearances (/Names /AP) were added',
        });
      else add({ kind: 'catalog', status: 'not-permitted', object: n, detail: `the name tree /Names /${key} changed` });
    }
  }

  private classifyExtensions(n: number, oldDict: PdfDict, newDict: PdfDict, add: (c: PdfChange) => void): void {
    const was = dictOf(this.before.resolve(oldDict.get('Extensions'))) ?? new PdfDict();
    const now = dictOf(this.after.resolve(newDict.get('Extensions')));
    const kept =
      now !== undefined &&
      [...was.map.keys()].every((k) =>
        same(this.before.resolve(was.get(k)) ?? null, this.after.resolve(now.get(k)) ?? null),
      );
    add({
      kind: 'catalog',
      status: kept ? 'permitted' : 'not-permitted',
      object: n,
      detail: kept ? EXTENSION_DECLARED : 'the declared developer extensions were changed',
    });
  }

  /**
   * Annotations added to page `pageNum`. On a certified document an annotation that paints over the signed
   * page's text is not permitted even where DocMDP allows annotations (the "Evil Annotation" and "Sneaky
   * Signature" attacks draw the text the reader believes was signed); elsewhere it is reported.
   */
  private classifyAnnots(
    n: number,
    pageNum: number,
    oldVal: PdfObject,
    newVal: PdfObject,
    add: (c: PdfChange) => void,
  ): void {
    const was = itemsOf(oldVal).set;
    if (!Array.isArray(newVal) || !containsAll(newVal, was)) {
      return add({ kind: 'annotation', status: 'not-permitted', object: n, detail: 'annotations were removed' });
    }
    const now = itemsOf(newVal).list;
    for (const [i, a] of newVal.entries()) {
      if (was.has(now[i]!)) continue;
      const d = this.after.resolveDict(a);
      const subtype = nameOf(d?.get('Subtype')) ?? '';
      const num = a instanceof PdfRef ? a.num : n;
      const widget = subtype === 'Widget';
      const signature = widget && this.isSignatureField(a);
      const covers = this.docMdp === undefined && !signature ? 'no' : this.paintsOverText(pageNum, d);
      if (signature) {
        if (this.docMdp === 1 && this.isDocTimestampField(a) && covers !== 'yes')
          add({
            kind: 'document-timestamp',
            status: 'permitted',
            object: num,
            detail: 'a document timestamp widget was added',
          });
        else if (this.docMdp === 1)
          add({
            kind: 'signature',
            status: 'not-permitted',
            object: num,
            detail: 'a signature field was added to a document certified with no changes allowed',
          });
        else if (covers === 'yes' && this.docMdp)
          add({
            kind: 'annotation',
            status: 'not-permitted',
            object: num,
            detail: 'a signature widget was laid over the certified page text (Sneaky Signature)',
          });
        else if (covers === 'yes')
          add({
            kind: 'signature',
            status: 'reported',
            object: num,
            detail: 'a signature was added whose widget covers signed page text',
          });
        else if (covers === 'unknown' && this.docMdp)
          add({
            kind: 'signature',
            status: 'reported',
            object: num,
            detail:
              'a visible signature field was added to a certified page whose text kyso cannot locate: check that it hides nothing',
          });
        else add({ kind: 'signature', status: 'permitted', object: num, detail: 'a signature field was added' });
      } else if (this.docMdp === undefined) {
        add({
          kind: 'annotation',
          status: 'reported',
          object: num,
          detail: `a ${subtype} annotation was added after signing`,
        });
      } else if (widget) {
        add({
          kind: 'form-field',
          status: 'not-permitted',
          object: num,
          detail: 'a form field widget was added to a certified document',
        });
      } else if (this.docMdp !== 3) {
        add({
          kind: 'annotation',
          status: 'not-permitted',
          object: num,
          detail: `a ${subtype} annotation was added to a certified document that does not allow it`,
        });
      } else if (covers === 'yes' && !TEXT_MARKUP.has(subtype)) {
        add({
          kind: 'annotation',
          status: 'not-permitted',
          object: num,
          detail: `a ${subtype} annotation was laid over the certified page text (Evil Annotation)`,
        });
      } else {
        add({
          kind: 'annotation',
          status: 'reported',
          object: num,
          detail: `a ${subtype} annotation was added (DocMDP level 3 allows it)`,
        });
      }
    }
  }

  /**
   * Whether the annotation is painted over text the signed page shows: `unknown` when it is painted on a page
   * whose text cannot be located (scans, text inside form XObjects).
   */
  private paintsOverText(pageNum: number, annot: PdfDict | undefined): 'yes' | 'no' | 'unknown' {
    if (!annot) return 'no';
    if ((numberOf(this.after.resolve(annot.get('F'))) ?? 0) & NOT_PAINTED) return 'no';
    const rectObj = this.after.resolve(annot.get('Rect'));
    if (!Array.isArray(rectObj) || rectObj.length !== 4) return 'no';
    const [x1, y1, x2, y2] = rectObj.map((x) => numberOf(this.after.resolve(x)) ?? 0) as [
      number,
      number,
      number,
      number,
    ];
    const rect = [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)] as const;
    if (rect[2] - rect[0] <= 0 || rect[3] - rect[1] <= 0) return 'no';
    const boxes = this.textOf(pageNum);
    if (!boxes.length) return 'unknown';
    return boxes.some((b) => b[0]! < rect[2] && rect[0] < b[2]! && b[1]! < rect[3] && rect[1] < b[3]!) ? 'yes' : 'no';
  }

  /** Boxes around the text runs of a page of the signed revision. */
  private textOf(pageNum: number): number[][] {
    let boxes = this.textBoxes.get(pageNum);
    if (!boxes) {
      const page = this.before.resolveDict(new PdfRef(pageNum, 0));
      try {
        boxes = page
          ? pageTextRuns(this.before, page).map((r) => [r.x, r.y - 0.25 * r.size, r.x + r.width, r.y + r.size])
          : [];
      } catch {
        boxes = [];
      }
      this.textBoxes.set(pageNum, boxes);
    }
    return boxes;
  }

  private classifyField(
    n: number,
    oldDict: PdfDict | undefined,
    newDict: PdfDict | undefined,
    add: (c: PdfChange) => void,
  ): void {
    if (!oldDict || !newDict)
      return add({ kind: 'form-field', status: 'not-permitted', object: n, detail: `form field ${n} was replaced` });
    const keys = changedKeys(oldDict, newDict);
    const fieldName = this.fieldNames.get(n) ?? '';
    const lock = this.locks.find((l) => isLocked(l, fieldName));
    if (lock)
      return add({
        kind: 'form-field',
        status: 'not-permitted',
        object: n,
        detail: `the field "${fieldName}" is locked by a signature (FieldMDP ${lock.action}) but changed (${keys.map((k) => `/${k}`).join(', ')})`,
      });
    const isSig = nameOf(newDict.get('FT')) === 'Sig' || this.isSignatureField(new PdfRef(n, 0));
    if (isSig && keys.every((k) => k === 'V' || k === 'AP' || k === 'AS') && oldDict.get('V') === undefined) {
      if (this.isDocTimestampField(new PdfRef(n, 0)))
        return add({
          kind: 'document-timestamp',
          status: 'permitted',
          object: n,
          detail: `the empty signature field "${fieldName}" took a document timestamp`,
        });
      return add({
        kind: 'signature',
        status: this.docMdp === 1 ? 'not-permitted' : 'permitted',
        object: n,
        detail: `the empty signature field "${fieldName}" was signed`,
      });
    }
    if (!isSig && keys.every((k) => k === 'V' || k === 'AP' || k === 'AS' || k === 'MK')) {
      // Filling in a field is permitted only where a certification signature says so (DocMDP 2 or 3): after a
      // plain approval signature a changed field value is how "shadow" attacks replace what the reader sees.
      const allowed = this.docMdp === 2 || this.docMdp === 3;
      return add({
        kind: 'form-field',
        status: allowed ? 'permitted' : 'not-permitted',
        object: n,
        detail: allowed
          ? `the field "${fieldName}" was filled in`
          : `the field "${fieldName}" changed after signing, without a certification that allows form filling`,
      });
    }
    add({
      kind: 'form-field',
      status: 'not-permitted',
      object: n,
      detail: `form field "${fieldName}" changed (${keys.map((k) => `/${k}`).join(', ')})`,
    });
  }
}

/** A reference to an object: from object `from` (-1: the trailer), in its entry `key` (`[]` for an array). */
interface Referrer {
  from: number;
  key: string;
}

function isLocked(lock: FieldLock, fieldName: string): boolean {
  // a lock names fields; a widget or kid of a locked field is locked with it
  const named = lock.fields.some((f) => fieldName === f || fieldName.startsWith(`${f}.`));
  return lock.action === 'All' || (lock.action === 'Include' ? named : !named);
}

/** Cross-reference streams and object streams are how an update is stored, not what it changes. */
function isStructural(reader: PdfReader, n: number): boolean {
  try {
    const type = nameOf(dictOf(reader.getObject(n))?.get('Type'));
    return type === 'XRef' || type === 'ObjStm';
  } catch {
    return false;
  }
}

/**
 * The object numbers `o` refers to directly, once per parsed object: the current document's objects are the
 * same in every signature's analysis.
 */
const directRefs = new WeakMap<object, readonly number[]>();

function refsOf(o: PdfObject): readonly number[] {
  if (o === null || typeof o !== 'object') return [];
  let refs = directRefs.get(o);
  if (!refs) {
    const found = new Set<number>();
    collectRefs(o, found, 0);
    refs = [...found];
    directRefs.set(o, refs);
  }
  return refs;
}

/** Adds the object numbers `o` refers to directly (not through other indirect objects). */
function collectRefs(o: PdfObject, out: Set<number>, depth: number): void {
  if (depth > 64) return;
  if (o instanceof PdfRef) out.add(o.num);
  else if (Array.isArray(o)) for (const x of o) collectRefs(x, out, depth + 1);
  else if (o instanceof PdfDict || o instanceof PdfStream)
    for (const v of dictOf(o)!.map.values()) collectRefs(v, out, depth + 1);
}

function safePages(reader: PdfReader) {
  try {
    return reader.pages();
  } catch {
    return [];
  }
}

/** True when every serialized entry of `was` is still in `list` (one pass: lists grow with each signature). */
function containsAll(list: PdfObject[], was: ReadonlySet<string>): boolean {
  const now = itemsOf(list).set;
  for (const k of was) if (!now.has(k)) return false;
  return true;
}

/**
 * The serialized entries of an array as parsed (a field list, a page's /Annots), once per array: the readers of
 * a file's revisions share their parsed objects, so the document's lists are the same arrays in the analysis of
 * every signature (and each grows by one entry per signature).
 */
const serializedItems = new WeakMap<PdfObject[], { list: string[]; set: Set<string> }>();
const NO_ITEMS: PdfObject[] = [];

function itemsOf(o: PdfObject): { list: string[]; set: Set<string> } {
  const arr = Array.isArray(o) ? o : NO_ITEMS;
  let items = serializedItems.get(arr);
  if (!items) {
    const list = arr.map((x) => serialize(x));
    items = { list, set: new Set(list) };
    serializedItems.set(arr, items);
  }
  return items;
}

function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].filter((k) => !same(a.get(k) ?? null, b.get(k) ?? null));
}

/** Structural equality: dictionary key order, white space and number formatting do not count. */
function same(a: PdfObject, b: PdfObject): boolean {
  if (a instanceof PdfStream || b instanceof PdfStream) {
    if (!(a instanceof PdfStream && b instanceof PdfStream)) return false;
    if (a.data.length !== b.data.length || !same(withoutLength(a.dict), withoutLength(b.dict))) return false;
    for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
    return true;
  }
  if (a instanceof PdfDict && b instanceof PdfDict) {
    if (a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!b.has(k) || !same(v, b.get(k)!)) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]!));
  const na = numberOf(a);
  if (na !== undefined) return na === numberOf(b);
  // a string is its bytes, whether written (…) or <…>
  if (a instanceof PdfString && b instanceof PdfString)
    return a.bytes.length === b.bytes.length && a.bytes.every((x, i) => x === b.bytes[i]);
  return serialize(a) === serialize(b);
}

function withoutLength(d: PdfDict): PdfDict {
  const c = d.clone();
  c.delete('Length');
  return c;
}

function describe(o: PdfObject): string {
  if (o instanceof PdfStream)
    return `a ${nameOf(o.dict.get('Type')) ?? nameOf(o.dict.get('Subtype')) ?? ''} stream`.replace('  ', ' ');
  const d = dictOf(o);
  if (d) return `a ${nameOf(d.get('Type')) ?? nameOf(d.get('Subtype')) ?? ''} dictionary`.replace('  ', ' ');
  return Array.isArray(o) ? 'an array' : 'a value';
}
