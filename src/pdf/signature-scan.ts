import { latin1 } from '../core/bytes.js';
import { enclosingObject } from './byte-range.js';
import { PdfDict, PdfRef, PdfString, dictOf, nameOf, numberOf, type PdfObject } from './objects.js';
import { ensureRange, findAll } from './lazy-bytes.js';
import { PdfParser } from './parser.js';
import type { PdfReader } from './reader.js';
import { decodeTextString } from './text-string.js';

/** A signature found in the document's form. */
export interface FoundSignature {
  /** Fully qualified field name. */
  fieldName: string;
  fieldRef: PdfRef;
  /** The signature dictionary's object, when it is indirect. */
  signatureRef?: PdfRef;
  signature: PdfDict;
  /** The widget rectangle, when the field has one. */
  rect?: number[];
  /** Zero-based page index of the widget, when known. */
  pageIndex?: number;
  /**
   * Names of further fields whose /V is this same signature dictionary: it is listed (and verified) once,
   * however many fields reach it.
   */
  alsoInFields?: string[];
}

/** An empty signature field, ready to be signed. */
export interface EmptySignatureField {
  fieldName: string;
  fieldRef: PdfRef;
  rect?: number[];
  pageIndex?: number;
}

const MAX_FIELDS = 100_000;

/**
 * The signature fields of the document: signed ones (with their signature dictionaries) and empty ones.
 * The field tree is walked with /Kids, bounded against cycles and depth. A signature dictionary that
 * several fields reach is one signature (the first field names it; {@link FoundSignature.alsoInFields} the rest).
 * `pageIndexes: false` leaves out the widgets' page numbers, which cost a walk of the whole page tree.
 */
export function findSignatureFields(
  reader: PdfReader,
  options: { pageIndexes?: boolean } = {},
): { signed: FoundSignature[]; empty: EmptySignatureField[] } {
  const signed: FoundSignature[] = [];
  const empty: EmptySignatureField[] = [];
  const form = reader.resolveDict(reader.catalog().get('AcroForm'));
  const fields = reader.resolve(form?.get('Fields'));
  if (!Array.isArray(fields)) return { signed, empty };
  const bySignature = new Map<number, FoundSignature>();
  const pageOf = new Map<number, number>();
  try {
    if (options.pageIndexes !== false) reader.pages().forEach((p, i) => pageOf.set(p.ref.num, i));
  } catch {
    // a broken page tree leaves the widgets' pages unknown; the signatures are still there to verify
  }
  walkFormFields(reader, fields, (f) => {
    if (!f.terminal || f.fieldType !== 'Sig') return;
    const d = f.dict;
    const rectObj = reader.resolve(d.get('Rect'));
    const rect = Array.isArray(rectObj) ? rectObj.map((x) => numberOf(reader.resolve(x)) ?? 0) : undefined;
    const p = d.get('P');
    const pageIndex = p instanceof PdfRef ? pageOf.get(p.num) : undefined;
    const vObj = d.get('V');
    const v = reader.resolveDict(vObj);
    if (!v) {
      empty.push({
        fieldName: f.name,
        fieldRef: f.ref,
        ...(rect && { rect }),
        ...(pageIndex !== undefined && { pageIndex }),
      });
      return;
    }
    const first = vObj instanceof PdfRef ? bySignature.get(vObj.num) : undefined;
    if (first) {
      (first.alsoInFields ??= []).push(f.name);
      return;
    }
    const found: FoundSignature = {
      fieldName: f.name,
      fieldRef: f.ref,
      signature: v,
      ...(vObj instanceof PdfRef && { signatureRef: vObj }),
      ...(rect && { rect }),
      ...(pageIndex !== undefined && { pageIndex }),
    };
    signed.push(found);
    if (vObj instanceof PdfRef) bySignature.set(vObj.num, found);
  });
  return { signed, empty };
}

/** A node of the form's field tree, as {@link walkFormFields} visits it. */
export interface FormFieldNode {
  ref: PdfRef;
  dict: PdfDict;
  /** Fully qualified name (`parent.child`); empty for a node without /T. */
  name: string;
  /** Its own partial name (/T). */
  partial: string;
  /** /FT, inherited from ancestors. */
  fieldType?: string;
  /** True when no child is itself a field (a terminal field, possibly merged with its widget). */
  terminal: boolean;
}

/** Walks the form's field tree (/Fields, /Kids), bounded against cycles, depth and size. */
export function walkFormFields(
  reader: PdfReader,
  fields: readonly PdfObject[],
  visit: (node: FormFieldNode) => void,
): void {
  const seen = new Set<number>();
  const walk = (list: readonly PdfObject[], prefix: string, inheritedFT: string | undefined, depth: number) => {
    for (const f of list) {
      if (!(f instanceof PdfRef) || seen.has(f.num) || depth > 32 || seen.size > MAX_FIELDS) continue;
      seen.add(f.num);
      const dict = reader.resolveDict(f);
      if (!dict) continue;
      const t = reader.resolve(dict.get('T'));
      const partial = t instanceof PdfString ? decodeTextString(t) : '';
      const name = prefix && partial ? `${prefix}.${partial}` : prefix || partial;
      const fieldType = nameOf(reader.resolve(dict.get('FT'))) ?? inheritedFT;
      const kids = reader.resolve(dict.get('Kids'));
      const fieldKids = Array.isArray(kids) ? kids.filter((k) => reader.resolveDict(k)?.has('T')) : [];
      visit({ ref: f, dict, name, partial, ...(fieldType && { fieldType }), terminal: fieldKids.length === 0 });
      if (fieldKids.length) walk(fieldKids, name, fieldType, depth + 1);
    }
  };
  walk(fields, '', undefined, 0);
}

/** A signature dictionary in the file's bytes that no signature field of the form reaches. */
export interface HiddenSignature {
  /** The object holding it, and where its `N G obj` header is. */
  signatureRef: PdfRef;
  offset: number;
  signature: PdfDict;
  /**
   * `not-in-form`: the object is current but no field's /V names it; `superseded`: a later revision redefined
   * the object, so a viewer no longer sees this version of it.
   */
  reason: 'not-in-form' | 'superseded';
}

const MAX_BYTE_RANGES = 1000;

/**
 * Signatures the form does not show: every `/ByteRange` in the raw bytes is traced to the object around it,
 * and each signature dictionary that is not one of `reachable` (current definitions of the form's signature
 * dictionaries, or the fields holding one inline) is returned. Such a signature is invisible in a viewer's
 * signature panel, yet its bytes may be what a careless verifier checks.
 */
export function findHiddenSignatures(reader: PdfReader, reachable: readonly FoundSignature[]): HiddenSignature[] {
  const bytes = reader.bytes;
  const known = new Set(reachable.flatMap((f) => [f.signatureRef?.num ?? f.fieldRef.num]));
  const seen = new Set<number>();
  const out: HiddenSignature[] = [];
  for (const at of findAll(bytes, latin1('/ByteRange'), MAX_BYTE_RANGES)) {
    const obj = enclosingObject(bytes, at);
    if (!obj || seen.has(obj.offset)) continue;
    seen.add(obj.offset);
    const current = reader.offsetOf(obj.num) === obj.offset;
    if (current && known.has(obj.num)) continue;
    let value: PdfObject;
    try {
      ensureRange(bytes, obj.offset, 512 * 1024);
      value = new PdfParser(bytes, obj.offset, (r) => numberOf(reader.resolve(r))).readIndirectObject().value;
    } catch {
      continue;
    }
    // a field written with its signature dictionary inline: the field is the object found
    const signature = value instanceof PdfDict ? (value.has('ByteRange') ? value : dictOf(value.get('V'))) : undefined;
    if (!signature?.has('ByteRange')) continue;
    out.push({
      signatureRef: new PdfRef(obj.num, 0),
      offset: obj.offset,
      signature,
      reason: current ? 'not-in-form' : 'superseded',
    });
  }
  return out;
}
