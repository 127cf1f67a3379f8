import { latin1 } from '../core/bytes.js';
import { PdfDict, PdfRef, PdfString, nameOf, numberOf, type PdfObject } from './objects.js';
import { findAll } from './lazy-bytes.js';
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
 * The field tree is walked with /Kids, bounded against cycles and depth.
 */
export function findSignatureFields(reader: PdfReader): { signed: FoundSignature[]; empty: EmptySignatureField[] } {
  const signed: FoundSignature[] = [];
  const empty: EmptySignatureField[] = [];
  const form = reader.resolveDict(reader.catalog().get('AcroForm'));
  const fields = reader.resolve(form?.get('Fields'));
  if (!Array.isArray(fields)) return { signed, empty };
  const pageOf = new Map(reader.pages().map((p, i) => [p.ref.num, i]));
  const seen = new Set<number>();
  const walk = (list: PdfObject[], prefix: string, inheritedFT: string | undefined, depth: number) => {
    for (const f of list) {
      if (!(f instanceof PdfRef) || seen.has(f.num) || depth > 32 || seen.size > MAX_FIELDS) continue;
      seen.add(f.num);
      const d = reader.resolveDict(f);
      if (!d) continue;
      const t = reader.resolve(d.get('T'));
      const partial = t instanceof PdfString ? decodeTextString(t) : '';
      const full = prefix && partial ? `${prefix}.${partial}` : prefix || partial;
      const ft = nameOf(reader.resolve(d.get('FT'))) ?? inheritedFT;
      const kids = reader.resolve(d.get('Kids'));
      const fieldKids = Array.isArray(kids) ? kids.filter((k) => reader.resolveDict(k)?.has('T')) : [];
      if (fieldKids.length) {
        walk(fieldKids, full, ft, depth + 1);
        continue;
      }
      if (ft !== 'Sig') continue;
      const vObj = d.get('V');
      const v = reader.resolveDict(vObj);
      const rectObj = reader.resolve(d.get('Rect'));
      const rect = Array.isArray(rectObj) ? rectObj.map((x) => numberOf(reader.resolve(x)) ?? 0) : undefined;
      const p = d.get('P');
      const pageIndex = p instanceof PdfRef ? pageOf.get(p.num) : undefined;
      if (!v) {
        empty.push({ fieldName: full, fieldRef: f, ...(rect && { rect }), ...(pageIndex !== undefined && { pageIndex }) });
        continue;
      }
      signed.push({
        fieldName: full,
        fieldRef: f,
        signature: v,
        ...(vObj instanceof PdfRef && { signatureRef: vObj }),
        ...(rect && { rect }),
        ...(pageIndex !== undefined && { pageIndex }),
      });
    }
  };
  walk(fields, '', undefined, 0);
  return { signed, empty };
}

/** How many times `/ByteRange` appears in the file's bytes (signatures hidden from the form show up here). */
export function countByteRanges(bytes: Uint8Array): number {
  return findAll(bytes, latin1('/ByteRange'), MAX_FIELDS).length;
}
