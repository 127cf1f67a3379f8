import { concatBytes, latin1, writeHexDigits } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { IncrementalWriter } from './incremental-writer.js';
import { PdfDict, PdfRaw, PdfRef, PdfStream, dictOf, name, nameOf, type PdfObject } from './objects.js';
import { indexOfBytes } from './parser.js';
import { digestRanges } from './lazy-bytes.js';
import type { DigestAlgorithm } from '../core/algorithms.js';
import { PdfReader } from './reader.js';
import { walkFormFields } from './signature-scan.js';
import { pdfDate, textString } from './text-string.js';

/** A visible widget: where the signature appears and what it looks like. */
export interface SignatureWidget {
  /** Zero-based page index. */
  pageIndex: number;
  /** `[x1, y1, x2, y2]` in PDF user space (points, origin at the page's lower-left corner). */
  rect: [number, number, number, number];
  /**
   * Writes the normal appearance's objects (fonts, images) into the update and returns its form XObject.
   * Default: an empty appearance.
   */
  appearance?: (writer: IncrementalWriter) => PdfStream;
}

/** Options of {@link preparePdfSignature}. */
export interface PrepareSignatureOptions {
  subFilter: 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached' | 'ETSI.RFC3161';
  /** `Sig` (default) or `DocTimeStamp`. */
  type?: 'Sig' | 'DocTimeStamp';
  /** Bytes to reserve for the CMS (the hex string is twice as long). */
  contentsSize: number;
  /** Field name; an existing empty signature field of this name is signed. Default: a new unique `SignatureN`. */
  fieldName?: string;
  name?: string;
  reason?: string;
  location?: string;
  contactInfo?: string;
  /** `/M`, written in Vietnam time. */
  signingTime?: Date;
  /** A visible widget. Default: invisible (`/Rect [0 0 0 0]`) on the first page. */
  widget?: SignatureWidget;
  /**
   * Make this a certification signature (DocMDP) allowing, after it: 1 no changes, 2 form filling and
   * signing, 3 also annotations. It must be the document's first signature.
   */
  docMdp?: 1 | 2 | 3;
  /**
   * The signature's role in the document's workflow (`approved`, `issued`, `appendix`, `copy`, …), recorded in
   * the signature build properties (/Prop_Build) so that verifiers can list who did what.
   */
  role?: string;
  /**
   * A locked, printed annotation added in the same (signed) revision — e.g. the document number and issue
   * date the clerk writes when issuing. An annotation rather than page content, so that earlier signatures see
   * an annotation added (reported) and not their page rewritten. `build` returns its appearance.
   */
  stamp?: {
    pageIndex: number;
    rect: [number, number, number, number];
    build: (writer: IncrementalWriter) => PdfStream;
  };
}

/** A document with its signature space reserved: the original bytes and the update, kept apart. */
export interface PreparedSignature {
  input: Uint8Array;
  update: Uint8Array;
  /** `[0, a, b, c]`: the covered ranges `[0, a)` and `[b, b + c)` of input + update. */
  byteRange: [number, number, number, number];
  /** Offset (in input + update) of the first hex digit of /Contents. */
  contentsHexOffset: number;
  /** Number of hex digits reserved. */
  contentsHexLength: number;
}

const BYTE_RANGE_PLACEHOLDER = '[0 ********** ********** **********]';

/**
 * Adds a signature field, its widget and a signature dictionary with reserved /Contents in one incremental
 * update, then fixes /ByteRange to cover everything but the /Contents hex string. The input is not copied;
 * `reader`, when the caller has already opened the input, saves parsing it again.
 *
 * @throws KysoError `ERR_PDF_MALFORMED`, `ERR_PDF_ENCRYPTED`, `ERR_PDF_FIELD`, `ERR_INVALID_ARGUMENT`
 */
export function preparePdfSignature(
  input: Uint8Array,
  options: PrepareSignatureOptions,
  reader: PdfReader = PdfReader.open(input),
): PreparedSignature {
  if (!Number.isInteger(options.contentsSize) || options.contentsSize <= 0 || options.contentsSize > 64 * 1024 * 1024) {
    throw new KysoError('ERR_INVALID_ARGUMENT', 'contentsSize must be a positive number of bytes');
  }
  const { writer, catalogRef, catalog, form } = openForUpdate(reader);
  const pageIndex = options.widget?.pageIndex ?? 0;
  // the page tree is read only as far as this page: the first, for an invisible signature
  const page = reader.page(pageIndex);
  if (!page)
    throw new KysoError(
      'ERR_INVALID_ARGUMENT',
      `page ${pageIndex + 1} does not exist (the document has ${reader.pages().length})`,
    );

  const sigRef = writer.allocate();
  const sig = new PdfDict()
    .set('Type', name(options.type ?? 'Sig'))
    .set('Filter', name('Adobe.PPKLite'))
    .set('SubFilter', name(options.subFilter))
    .set('ByteRange', new PdfRaw(BYTE_RANGE_PLACEHOLDER))
    .set('Contents', new PdfRaw(`<${'0'.repeat(options.contentsSize * 2)}>`));
  if (options.signingTime) sig.set('M', pdfDate(options.signingTime));
  if (options.name) sig.set('Name', textString(options.name));
  if (options.reason) sig.set('Reason', textString(options.reason));
  if (options.location) sig.set('Location', textString(options.location));
  if (options.contactInfo) sig.set('ContactInfo', textString(options.contactInfo));
  if (options.role) {
    sig.set(
      'Prop_Build',
      new PdfDict()
        .set('App', new PdfDict().set('Name', name('kyso')))
        .set('Kyso', new PdfDict().set('Role', name(options.role))),
    );
  }
  if (options.docMdp) {
    if (form.hasSignatures())
      throw new KysoError('ERR_PDF_FIELD', 'a certification signature must be the first signature of the document');
    const params = new PdfDict().set('Type', name('TransformParams')).set('P', options.docMdp).set('V', name('1.2'));
    sig.set('Reference', [
      new PdfDict().set('Type', name('SigRef')).set('TransformMethod', name('DocMDP')).set('TransformParams', params),
    ]);
    const perms = (reader.resolveDict(catalog.get('Perms')) ?? new PdfDict()).clone();
    catalog.set('Perms', perms.set('DocMDP', sigRef));
  }
  writer.set(sigRef, sig);

  const existing = options.fieldName ? form.find(options.fieldName) : undefined;
  let fieldRef: PdfRef;
  if (existing) {
    if (nameOf(existing.dict.get('FT')) !== 'Sig')
      throw new KysoError('ERR_PDF_FIELD', `field "${options.fieldName}" is not a signature field`);
    if (existing.dict.get('V') !== undefined)
      throw new KysoError('ERR_PDF_FIELD', `field "${options.fieldName}" is already signed`);
    fieldRef = existing.ref;
    const filled = existing.dict.clone().set('V', sigRef);
    const ap = options.widget?.appearance;
    if (ap) {
      const apRef = writer.allocate();
      writer.set(apRef, ap(writer));
      filled.set('AP', new PdfDict().set('N', apRef));
    }
    writer.set(fieldRef, filled);
  } else {
    fieldRef = writer.allocate();
    const rect = options.widget?.rect ?? [0, 0, 0, 0];
    const ap = options.widget?.appearance;
    const apRef = writer.allocate();
    writer.set(
      apRef,
      ap
        ? ap(writer)
        : new PdfStream(
            new PdfDict().set('Type', name('XObject')).set('Subtype', name('Form')).set('BBox', [0, 0, 0, 0]),
            new Uint8Array(0),
          ),
    );
    const field = new PdfDict()
      .set('Type', name('Annot'))
      .set('Subtype', name('Widget'))
      .set('FT', name('Sig'))
      .set('T', textString(options.fieldName ?? form.uniqueName('Signature')))
      .set('V', sigRef)
      .set('F', 132) // Print + Locked
      .set('Rect', rect)
      .set('P', page.ref)
      .set('AP', new PdfDict().set('N', apRef));
    writer.set(fieldRef, field);
    addAnnotation(reader, writer, page.ref, page.dict, fieldRef);
    form.addField(fieldRef);
  }
  form.write(writer, catalog);
  if (options.stamp) addStamp(reader, writer, options.stamp);
  if (!writer.has(catalogRef) && catalogChanged(reader.catalog(), catalog)) writer.set(catalogRef, catalog);

  const { update, offsets } = writer.build();
  return fixByteRange(input, update, offsets.get(sigRef.num)!, options.contentsSize * 2);
}

/** Options of {@link addSignatureField}. */
export interface AddFieldOptions {
  /** The field name (unique in the form). */
  name: string;
  /** Zero-based page index. Default: 0. */
  pageIndex?: number;
  /** `[x1, y1, x2, y2]` in page user space. */
  rect: [number, number, number, number];
}

/**
 * Adds an empty signature field (a widget for someone to sign later, e.g. the leader's place before the
 * clerk circulates the draft) in an incremental update. Returns the new document.
 *
 * @throws KysoError `ERR_PDF_FIELD` when a field of that name exists.
 */
export function addSignatureField(input: Uint8Array, options: AddFieldOptions): Uint8Array {
  const reader = PdfReader.open(input);
  const { writer, catalogRef, catalog, form } = openForUpdate(reader);
  if (form.find(options.name)) throw new KysoError('ERR_PDF_FIELD', `a field named "${options.name}" exists already`);
  const page = reader.page(options.pageIndex ?? 0);
  if (!page) throw new KysoError('ERR_INVALID_ARGUMENT', `page ${(options.pageIndex ?? 0) + 1} does not exist`);
  const field = writer.allocate();
  writer.set(
    field,
    new PdfDict()
      .set('Type', name('Annot'))
      .set('Subtype', name('Widget'))
      .set('FT', name('Sig'))
      .set('T', textString(options.name))
      .set('F', 4)
      .set('Rect', options.rect)
      .set('P', page.ref),
  );
  addAnnotation(reader, writer, page.ref, page.dict, field);
  form.addField(field);
  form.write(writer, catalog);
  if (!writer.has(catalogRef) && catalogChanged(reader.catalog(), catalog)) writer.set(catalogRef, catalog);
  return concatBytes([input, writer.build().update]);
}

/**
 * Digest of the bytes a prepared signature covers: the input (streamed from disk when it is a lazily read
 * large file) and the covered parts of the update.
 */
export function digestPrepared(p: PreparedSignature, hash: DigestAlgorithm): Promise<Uint8Array> {
  const n = p.input.length;
  const [, a, b] = p.byteRange;
  return digestRanges(p.input, hash, [[0, n]], { extra: [p.update.subarray(0, a - n), p.update.subarray(b - n)] });
}

/**
 * The signed document: input + update with the CMS written as hex into the reserved /Contents.
 *
 * @throws KysoError `ERR_PDF_SIGNATURE_TOO_LARGE` when `cms` does not fit the reservation.
 */
export function embedSignature(p: PreparedSignature, cms: Uint8Array): Uint8Array {
  checkFits(p, cms);
  const out = new Uint8Array(p.input.length + p.update.length);
  out.set(p.input);
  out.set(p.update, p.input.length);
  writeHexDigits(out, p.contentsHexOffset, cms);
  return out;
}

/**
 * The update with the CMS written as hex into the reserved /Contents: what is appended to the input (a large
 * file is copied on disk and this is written after it).
 *
 * @throws KysoError `ERR_PDF_SIGNATURE_TOO_LARGE` when `cms` does not fit the reservation.
 */
export function signedUpdate(p: PreparedSignature, cms: Uint8Array): Uint8Array {
  checkFits(p, cms);
  const out = p.update.slice();
  writeHexDigits(out, p.contentsHexOffset - p.input.length, cms);
  return out;
}

function checkFits(p: PreparedSignature, cms: Uint8Array): void {
  if (cms.length * 2 > p.contentsHexLength) {
    throw new KysoError(
      'ERR_PDF_SIGNATURE_TOO_LARGE',
      `the signature (${cms.length} bytes) exceeds the ${p.contentsHexLength / 2} bytes reserved for /Contents`,
    );
  }
}

const BYTE_RANGE_MARK = latin1(`/ByteRange ${BYTE_RANGE_PLACEHOLDER}`);
const CONTENTS_MARK = latin1('/Contents <');

function fixByteRange(input: Uint8Array, update: Uint8Array, sigOffset: number, hexLength: number): PreparedSignature {
  const br = indexOfBytes(update, BYTE_RANGE_MARK, sigOffset);
  const contents = indexOfBytes(update, CONTENTS_MARK, sigOffset);
  const hexStart = contents + CONTENTS_MARK.length;
  const hexEnd = hexStart + hexLength;
  if (br < 0 || contents < 0 || update[hexEnd] !== 0x3e)
    throw new Error('signature placeholders not found in the update');
  const base = input.length;
  const gapStart = base + hexStart - 1;
  const gapEnd = base + hexEnd + 1;
  const total = base + update.length;
  const byteRange: [number, number, number, number] = [0, gapStart, gapEnd, total - gapEnd];
  const text = `[0 ${byteRange[1]} ${byteRange[2]} ${byteRange[3]}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  if (text.length !== BYTE_RANGE_PLACEHOLDER.length)
    throw new KysoError('ERR_PDF_MALFORMED', 'the document is too large for a 10-digit /ByteRange');
  update.set(latin1(text), br + BYTE_RANGE_MARK.length - BYTE_RANGE_PLACEHOLDER.length);
  return { input, update, byteRange, contentsHexOffset: base + hexStart, contentsHexLength: hexEnd - hexStart };
}

function addAnnotation(
  reader: PdfReader,
  writer: IncrementalWriter,
  pageRef: PdfRef,
  original: PdfDict,
  annot: PdfRef,
): void {
  // the update may already hold a new version of the page or its /Annots (a second annotation in one revision)
  const page = (writer.get(pageRef) as PdfDict | undefined) ?? original;
  const annots = page.get('Annots');
  if (annots instanceof PdfRef) {
    const arr = writer.get(annots) ?? reader.resolve(annots);
    writer.set(annots, [...(Array.isArray(arr) ? arr : []), annot]);
    return;
  }
  writer.set(pageRef, page.clone().set('Annots', [...(Array.isArray(annots) ? annots : []), annot]));
}

/** The document opened for an incremental update of its form: writer, a copy of the catalog, the form. */
function openForUpdate(reader: PdfReader) {
  if (reader.isEncrypted)
    throw new KysoError(
      'ERR_PDF_ENCRYPTED',
      'the PDF is encrypted; kyso signs only unencrypted documents (decrypt it first, e.g. qpdf --decrypt)',
    );
  const writer = new IncrementalWriter(reader);
  const catalogRef = reader.trailer.get('Root') as PdfRef;
  const catalog = reader.catalog().clone();
  return { writer, catalogRef, catalog, form: new AcroForm(reader, catalog) };
}

/** Adds a locked, printed /Stamp annotation whose appearance is `build`'s form XObject. */
function addStamp(
  reader: PdfReader,
  writer: IncrementalWriter,
  o: NonNullable<PrepareSignatureOptions['stamp']>,
): void {
  const page = reader.page(o.pageIndex);
  if (!page) throw new KysoError('ERR_INVALID_ARGUMENT', `page ${o.pageIndex + 1} does not exist`);
  const ap = writer.set(writer.allocate(), o.build(writer));
  const annot = writer.set(
    writer.allocate(),
    new PdfDict()
      .set('Type', name('Annot'))
      .set('Subtype', name('Stamp'))
      .set('Rect', o.rect)
      .set('F', 132)
      .set('P', page.ref)
      .set('AP', new PdfDict().set('N', ap)),
  );
  addAnnotation(reader, writer, page.ref, page.dict, annot);
}

interface FieldRef {
  ref: PdfRef;
  dict: PdfDict;
}

/** The document's interactive form, to find fields by name and add one (a class: every signing opens it). */
class AcroForm {
  private readonly formRef: PdfRef | undefined;
  private readonly form: PdfDict;
  private readonly fieldsRef: PdfRef | undefined;
  private readonly fields: PdfObject[];
  private readonly all: { name: string; field: FieldRef }[] = [];
  private added = false;

  constructor(reader: PdfReader, catalog: PdfDict) {
    const formObj = catalog.get('AcroForm');
    this.formRef = formObj instanceof PdfRef ? formObj : undefined;
    this.form = (reader.resolveDict(formObj) ?? new PdfDict()).clone();
    const fieldsObj = this.form.get('Fields');
    this.fieldsRef = fieldsObj instanceof PdfRef ? fieldsObj : undefined;
    const resolvedFields = reader.resolve(fieldsObj);
    this.fields = Array.isArray(resolvedFields) ? [...resolvedFields] : [];
    walkFormFields(reader, this.fields, (f) => {
      if (f.partial) this.all.push({ name: f.name, field: { ref: f.ref, dict: f.dict } });
    });
  }

  find(fieldName: string): FieldRef | undefined {
    return this.all.find((f) => f.name === fieldName)?.field;
  }

  hasSignatures(): boolean {
    return this.all.some((f) => nameOf(f.field.dict.get('FT')) === 'Sig' && f.field.dict.get('V') !== undefined);
  }

  uniqueName(stem: string): string {
    for (let i = 1; ; i++) if (!this.all.some((f) => f.name === `${stem}${i}`)) return `${stem}${i}`;
  }

  addField(ref: PdfRef): void {
    this.fields.push(ref);
    this.added = true;
  }

  write(writer: IncrementalWriter, cat: PdfDict): void {
    const { form, fields, added } = this;
    const hadFlags = dictOf(form)?.get('SigFlags');
    if (!added && hadFlags === 3) return;
    if (this.fieldsRef) {
      if (added) writer.set(this.fieldsRef, fields);
    } else form.set('Fields', fields);
    form.set('SigFlags', 3);
    if (this.formRef) writer.set(this.formRef, form);
    else cat.set('AcroForm', form);
  }
}

function catalogChanged(before: PdfDict, after: PdfDict): boolean {
  if (before.map.size !== after.map.size) return true;
  for (const [k, v] of after.map) if (before.get(k) !== v) return true;
  return false;
}
