import { fromLatin1 } from '../core/bytes.js';
import { PdfDict, PdfRef, PdfStream, dictOf, nameOf, numberOf, type PdfObject } from './objects.js';
import { ensureRange } from './lazy-bytes.js';
import { PdfReader, type PdfRevision } from './reader.js';
import { serialize } from './serialize.js';

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
    | 'object-overwritten'
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

/** Options of {@link analyseModifications}. */
export interface ModificationOptions {
  /** The DocMDP permission level (1–3) of a certification signature at or before this one. */
  docMdp?: 1 | 2 | 3;
  /** Most changes listed (the verdict still counts all). Default 200. */
  maxChanges?: number;
}

const MAX_TAIL_SCAN = 64 * 1024 * 1024;

/**
 * Compares the document as a signature covered it (the bytes up to `coveredEnd`) with the document as it is
 * now, object by object over the later revisions, and classifies every change.
 */
export function analyseModifications(bytes: Uint8Array, current: PdfReader, coveredEnd: number, revisions: PdfRevision[], options: ModificationOptions = {}): ModificationReport {
  const changes: PdfChange[] = [];
  const add = (c: PdfChange) => changes.push(c);
  ensureRange(bytes, coveredEnd, Math.min(bytes.length - coveredEnd, MAX_TAIL_SCAN));
  const later = revisions.filter((r) => r.end > coveredEnd);
  const lastEnd = revisions.length ? revisions[revisions.length - 1]!.end : coveredEnd;
  if (!onlyWhitespace(bytes, Math.max(lastEnd, coveredEnd), bytes.length)) {
    add({ kind: 'trailing-bytes', status: 'not-permitted', detail: `bytes after the last revision (${bytes.length - Math.max(lastEnd, coveredEnd)} bytes) are not a clean incremental update` });
  }
  if (later.length === 0) {
    return finish(changes, 0, options);
  }
  let before: PdfReader;
  try {
    before = PdfReader.open(bytes.subarray(0, coveredEnd));
  } catch {
    add({ kind: 'unreadable-revision', status: 'not-permitted', detail: 'the signed revision cannot be read' });
    return finish(changes, later.length, options);
  }
  const ctx = new Context(before, current, options.docMdp);
  const numbers = new Set<number>();
  const offsets = new Set<number>();
  for (const r of later) {
    for (const n of r.objects) numbers.add(n);
    for (const o of r.offsets) offsets.add(o);
    if (!r.readable) add({ kind: 'unreadable-revision', status: 'not-permitted', detail: `the revision ending at byte ${r.end} has no readable cross-reference section` });
  }
  appendedWithoutXref(bytes, coveredEnd, offsets, current, add);
  for (const n of [...numbers].sort((a, b) => a - b)) ctx.classify(n, add);
  return finish(changes, later.length, options);
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

/** Objects written after the signed range that no later cross-reference section lists (an ISA variant). */
function appendedWithoutXref(bytes: Uint8Array, from: number, listed: Set<number>, current: PdfReader, add: (c: PdfChange) => void): void {
  const tail = fromLatin1(bytes, from, Math.min(bytes.length, from + MAX_TAIL_SCAN));
  const re = /(?:^|[\r\n\s])(\d{1,10})\s+(\d{1,5})\s+obj\b/g;
  for (let m = re.exec(tail); m; m = re.exec(tail)) {
    const offset = from + m.index + (m[0].length - m[0].trimStart().length);
    const num = Number(m[1]);
    // writers differ on whether an xref offset points at the object or at the end-of-line before it
    if (listed.has(offset) || listed.has(offset - 1) || listed.has(offset - 2) || listed.has(offset + 1)) continue;
    // an unlisted definition that a later, listed one supersedes is dead bytes, not a change
    const effective = current.offsetOf(num);
    if (effective !== undefined && effective > offset) continue;
    add({ kind: 'appended-without-xref', status: 'not-permitted', object: num, detail: `object ${num} was appended at byte ${offset} without a cross-reference entry` });
  }
}

class Context {
  private readonly catalogNum?: number;
  private readonly infoNum?: number;
  private readonly metadataNum?: number;
  private readonly acroFormNum?: number;
  private readonly fieldsNum?: number;
  private readonly dssNums = new Set<number>();
  private readonly pageNums = new Set<number>();
  private readonly pageTreeNums = new Set<number>();
  private readonly annotsArrays = new Map<number, number>(); // array object → page object
  private readonly fieldNums = new Set<number>();

  constructor(
    private readonly before: PdfReader,
    private readonly after: PdfReader,
    private readonly docMdp: 1 | 2 | 3 | undefined,
  ) {
    const root = before.trailer.get('Root');
    this.catalogNum = root instanceof PdfRef ? root.num : undefined;
    const info = before.trailer.get('Info');
    this.infoNum = info instanceof PdfRef ? info.num : undefined;
    const cat = before.catalog();
    const meta = cat.get('Metadata');
    this.metadataNum = meta instanceof PdfRef ? meta.num : undefined;
    const form = cat.get('AcroForm');
    if (form instanceof PdfRef) this.acroFormNum = form.num;
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
    const walk = (list: PdfObject | undefined, depth: number) => {
      const arr = before.resolve(list);
      if (!Array.isArray(arr) || depth > 32) return;
      for (const f of arr) {
        if (!(f instanceof PdfRef) || this.fieldNums.has(f.num) || this.fieldNums.size > 100_000) continue;
        this.fieldNums.add(f.num);
        walk(before.resolveDict(f)?.get('Kids'), depth + 1);
      }
    };
    walk(fields, 0);
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
    if (!(node instanceof PdfRef) || depth > 64 || this.pageTreeNums.has(node.num) || this.pageTreeNums.size > 100_000) return;
    const d = this.before.resolveDict(node);
    if (!d || nameOf(d.get('Type')) === 'Page') return;
    this.pageTreeNums.add(node.num);
    const kids = this.before.resolve(d.get('Kids'));
    if (Array.isArray(kids)) for (const k of kids) this.collectPageTree(k, depth + 1);
  }

  classify(n: number, add: (c: PdfChange) => void): void {
    let oldVal: PdfObject;
    let newVal: PdfObject;
    try {
      oldVal = this.before.getObject(n);
      newVal = this.after.getObject(n);
    } catch {
      add({ kind: 'object-overwritten', status: 'not-permitted', object: n, detail: `object ${n} cannot be read in one of the revisions` });
      return;
    }
    if (oldVal !== null && newVal === null) {
      add({ kind: 'object-deleted', status: 'not-permitted', object: n, detail: `object ${n} was deleted` });
      return;
    }
    if (oldVal === null) {
      this.classifyNew(n, newVal, add);
      return;
    }
    if (same(oldVal, newVal)) return;
    const oldDict = dictOf(oldVal);
    const newDict = dictOf(newVal);
    if (n === this.catalogNum) return this.classifyCatalog(n, oldDict, newDict, add);
    if (n === this.acroFormNum) return this.classifyForm(n, oldDict, newDict, add);
    if (n === this.fieldsNum) return this.classifyGrowth(n, oldVal, newVal, 'form-field', 'the form field list', add);
    if (this.dssNums.has(n)) return add({ kind: 'dss', status: 'permitted', object: n, detail: 'validation data (DSS) updated' });
    if (n === this.infoNum || n === this.metadataNum) return add({ kind: 'metadata', status: 'permitted', object: n, detail: 'document metadata updated' });
    if (this.pageTreeNums.has(n)) return this.classifyPageTree(n, oldDict, newDict, add);
    if (this.pageNums.has(n)) return this.classifyPage(n, oldDict, newDict, add);
    if (this.annotsArrays.has(n)) return this.classifyAnnots(n, oldVal, newVal, add);
    if (this.fieldNums.has(n)) return this.classifyField(n, oldDict, newDict, add);
    add({ kind: 'object-overwritten', status: 'not-permitted', object: n, detail: `object ${n} (${describe(oldVal)}) was overwritten` });
  }

  private classifyNew(n: number, value: PdfObject, add: (c: PdfChange) => void): void {
    const d = dictOf(value);
    const type = nameOf(d?.get('Type'));
    if (type === 'DocTimeStamp' || (type === 'Sig' && nameOf(d?.get('SubFilter')) === 'ETSI.RFC3161')) {
      add({ kind: 'document-timestamp', status: 'permitted', object: n, detail: 'a document timestamp was added' });
    } else if (type === 'Sig') {
      add({ kind: 'signature', status: this.docMdp === 1 ? 'not-permitted' : 'permitted', object: n, detail: 'a signature was added' });
    }
    // other new objects matter only through the existing objects changed to refer to them
  }

  private classifyCatalog(n: number, oldDict: PdfDict | undefined, newDict: PdfDict | undefined, add: (c: PdfChange) => void): void {
    if (!oldDict || !newDict) return add({ kind: 'catalog', status: 'not-permitted', object: n, detail: 'the catalog was replaced' });
    for (const key of changedKeys(oldDict, newDict)) {
      if (key === 'DSS') add({ kind: 'dss', status: 'permitted', object: n, detail: 'validation data (DSS) added' });
      else if (key === 'AcroForm') this.classifyForm(n, dictOf(this.before.resolve(oldDict.get('AcroForm'))) ?? new PdfDict(), dictOf(this.after.resolve(newDict.get('AcroForm'))), add);
      else if (key === 'Metadata') add({ kind: 'metadata', status: 'permitted', object: n, detail: 'document metadata updated' });
      else if (key === 'Extensions') this.classifyExtensions(n, oldDict, newDict, add);
      else add({ kind: 'catalog', status: 'not-permitted', object: n, detail: `the catalog entry /${key} changed` });
    }
  }

  private classifyForm(n: number, oldDict: PdfDict | undefined, newDict: PdfDict | undefined, add: (c: PdfChange) => void): void {
    if (!oldDict || !newDict) return add({ kind: 'catalog', status: 'not-permitted', object: n, detail: 'the interactive form was removed' });
    for (const key of changedKeys(oldDict, newDict)) {
      if (key === 'Fields') this.classifyGrowth(n, this.before.resolve(oldDict.get('Fields')) ?? [], this.after.resolve(newDict.get('Fields')) ?? null, 'form-field', 'the form field list', add);
      else if (key === 'SigFlags' || key === 'DR' || key === 'DA' || key === 'NeedAppearances') add({ kind: 'form-field', status: 'permitted', object: n, detail: `form setting /${key} changed` });
      else add({ kind: 'catalog', status: 'not-permitted', object: n, detail: `the form entry /${key} changed` });
    }
  }

  private classifyGrowth(n: number, oldVal: PdfObject, newVal: PdfObject, kind: PdfChange['kind'], what: string, add: (c: PdfChange) => void): void {
    const keys = (v: PdfObject) => (Array.isArray(v) ? v.map((x) => serialize(x)) : []);
    const was = keys(oldVal);
    const now = new Set(keys(newVal));
    if (!Array.isArray(newVal) || was.some((k) => !now.has(k))) return add({ kind, status: 'not-permitted', object: n, detail: `${what} lost entries` });
    add({ kind, status: 'permitted', object: n, detail: `${what} grew` });
  }

  private classifyPage(n: number, oldDict: PdfDict | undefined, newDict: PdfDict | undefined, add: (c: PdfChange) => void): void {
    if (!oldDict || !newDict) return add({ kind: 'page-content', status: 'not-permitted', object: n, detail: `page object ${n} was replaced` });
    for (const key of changedKeys(oldDict, newDict)) {
      if (key === 'Annots') this.classifyAnnots(n, this.before.resolve(oldDict.get('Annots')) ?? [], this.after.resolve(newDict.get('Annots')) ?? null, add);
      else if (RENDERING_KEYS.has(key)) add({ kind: 'page-content', status: 'not-permitted', object: n, detail: `the page entry /${key} changed (what the page shows)` });
      else add({ kind: 'page-content', status: 'permitted', object: n, detail: `the page entry /${key} changed (not part of what the page shows)` });
    }
  }

  private classifyPageTree(n: number, oldDict: PdfDict | undefined, newDict: PdfDict | undefined, add: (c: PdfChange) => void): void {
    if (!oldDict || !newDict) return add({ kind: 'pages', status: 'not-permitted', object: n, detail: 'a page tree node was replaced' });
    for (const key of changedKeys(oldDict, newDict)) {
      const structural = key === 'Kids' || key === 'Count' || key === 'Parent' || RENDERING_KEYS.has(key);
      add({ kind: 'pages', status: structural ? 'not-permitted' : 'permitted', object: n, detail: structural ? `the page tree entry /${key} changed (pages added, removed, reordered or redrawn)` : `the page tree entry /${key} changed (not part of what the pages show)` });
    }
  }

  private classifyExtensions(n: number, oldDict: PdfDict, newDict: PdfDict, add: (c: PdfChange) => void): void {
    const was = dictOf(this.before.resolve(oldDict.get('Extensions'))) ?? new PdfDict();
    const now = dictOf(this.after.resolve(newDict.get('Extensions')));
    const kept = now !== undefined && [...was.map.keys()].every((k) => same(this.before.resolve(was.get(k)) ?? null, this.after.resolve(now.get(k)) ?? null));
    add({ kind: 'catalog', status: kept ? 'permitted' : 'not-permitted', object: n, detail: kept ? 'a developer extension was declared' : 'the declared developer extensions were changed' });
  }

  private classifyAnnots(n: number, oldVal: PdfObject, newVal: PdfObject, add: (c: PdfChange) => void): void {
    const was = new Set((Array.isArray(oldVal) ? oldVal : []).map((x) => serialize(x)));
    if (!Array.isArray(newVal) || [...was].some((k) => !newVal.some((x) => serialize(x) === k))) {
      return add({ kind: 'annotation', status: 'not-permitted', object: n, detail: 'annotations were removed' });
    }
    for (const a of newVal) {
      if (was.has(serialize(a))) continue;
      const d = this.after.resolveDict(a);
      const subtype = nameOf(d?.get('Subtype'));
      const isSigWidget = subtype === 'Widget' && (nameOf(d?.get('FT')) === 'Sig' || nameOf(this.after.resolveDict(d?.get('Parent'))?.get('FT')) === 'Sig');
      const rect = this.after.resolve(d?.get('Rect'));
      const visible = Array.isArray(rect) && rect.length === 4 && area(rect.map((x) => numberOf(this.after.resolve(x)) ?? 0)) > 0;
      const num = a instanceof PdfRef ? a.num : n;
      if (isSigWidget) {
        if (this.docMdp === 1) add({ kind: 'signature', status: 'not-permitted', object: num, detail: 'a signature field was added to a document certified with no changes allowed' });
        else if (this.docMdp && visible) add({ kind: 'annotation', status: 'not-permitted', object: num, detail: 'a visible signature widget was laid over a certified document' });
        else add({ kind: 'signature', status: 'permitted', object: num, detail: 'a signature field was added' });
      } else if (this.docMdp === 3) {
        add({ kind: 'annotation', status: 'permitted', object: num, detail: `a ${subtype ?? ''} annotation was added (allowed by DocMDP level 3)` });
      } else if (this.docMdp) {
        add({ kind: 'annotation', status: 'not-permitted', object: num, detail: `a ${subtype ?? ''} annotation was added to a certified document that does not allow it` });
      } else {
        add({ kind: 'annotation', status: 'reported', object: num, detail: `a ${subtype ?? ''} annotation was added after signing` });
      }
    }
  }

  private classifyField(n: number, oldDict: PdfDict | undefined, newDict: PdfDict | undefined, add: (c: PdfChange) => void): void {
    if (!oldDict || !newDict) return add({ kind: 'form-field', status: 'not-permitted', object: n, detail: `form field ${n} was replaced` });
    const keys = changedKeys(oldDict, newDict);
    const isSig = nameOf(newDict.get('FT')) === 'Sig';
    if (isSig && keys.every((k) => k === 'V' || k === 'AP' || k === 'AS') && oldDict.get('V') === undefined) {
      return add({ kind: 'signature', status: this.docMdp === 1 ? 'not-permitted' : 'permitted', object: n, detail: 'an empty signature field was signed' });
    }
    if (!isSig && keys.every((k) => k === 'V' || k === 'AP' || k === 'AS' || k === 'MK')) {
      // Filling in a field is permitted only where a certification signature says so (DocMDP 2 or 3): after a
      // plain approval signature a changed field value is how "shadow" attacks replace what the reader sees.
      const allowed = this.docMdp === 2 || this.docMdp === 3;
      return add({ kind: 'form-field', status: allowed ? 'permitted' : 'not-permitted', object: n, detail: allowed ? 'a form field was filled in' : 'a form field value changed after signing, without a certification that allows form filling' });
    }
    add({ kind: 'form-field', status: 'not-permitted', object: n, detail: `form field ${n} changed (${keys.map((k) => `/${k}`).join(', ')})` });
  }
}

/** Page (and inheritable page tree) entries that decide what a page shows. */
const RENDERING_KEYS = new Set(['Contents', 'Resources', 'MediaBox', 'CropBox', 'BleedBox', 'TrimBox', 'ArtBox', 'Rotate', 'Group', 'UserUnit', 'BoxColorInfo', 'VP']);

function safePages(reader: PdfReader) {
  try {
    return reader.pages();
  } catch {
    return [];
  }
}

function area(r: number[]): number {
  return Math.abs((r[2]! - r[0]!) * (r[3]! - r[1]!));
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
  return serialize(a) === serialize(b);
}

function withoutLength(d: PdfDict): PdfDict {
  const c = d.clone();
  c.delete('Length');
  return c;
}

function describe(o: PdfObject): string {
  if (o instanceof PdfStream) return `a ${nameOf(o.dict.get('Type')) ?? nameOf(o.dict.get('Subtype')) ?? ''} stream`.replace('  ', ' ');
  const d = dictOf(o);
  if (d) return `a ${nameOf(d.get('Type')) ?? nameOf(d.get('Subtype')) ?? ''} dictionary`.replace('  ', ' ');
  return Array.isArray(o) ? 'an array' : 'a value';
}
