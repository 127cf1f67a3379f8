import { beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument, PDFName, PDFRef, StandardFonts } from 'pdf-lib';
import { concatBytes, latin1 } from '../../src/core/bytes.js';
import { serialize } from '../../src/pdf/serialize.js';
import { analyseModifications } from '../../src/pdf/modification-analysis.js';
import { PdfDict, PdfRef, PdfStream, PdfString, name } from '../../src/pdf/objects.js';
import { PdfReader } from '../../src/pdf/reader.js';
import {
  addSignatureField,
  loadPkcs12Signer,
  signPdf,
  verifyPdf,
  type PdfVerificationReport,
  type Signer,
} from '../../src/index.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import {
  addToFirstPage,
  annotation,
  appendRawUpdate,
  appendUpdate,
  contentStream,
  fillField,
  firstPage,
  formDocument,
  indirectBytes,
} from '../fixtures/pdf-updates.js';

let signer: Signer;
let second: Signer;
let plain: Uint8Array;
let signed: Uint8Array;
const trust = () => [pkiFile('root.cert.pem')];
const verify = (bytes: Uint8Array) => verifyPdf(bytes, { trust: trust() });

/** The first signature's change list, for the assertions. */
const first = (r: PdfVerificationReport) => r.signatures[0]!.modifications!;
const notPermitted = (r: PdfVerificationReport, kind?: string) => {
  expect(r.signatures[0]!.indication).toBe('TOTAL_FAILED');
  expect(r.signatures[0]!.subIndication).toBe('FORMAT_FAILURE');
  expect(first(r).verdict).toBe('not-permitted-changes');
  if (kind)
    expect(
      first(r)
        .changes.filter((c) => c.status === 'not-permitted')
        .map((c) => c.kind),
    ).toContain(kind);
};

beforeAll(async () => {
  signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  second = await loadPkcs12Signer(pkiFile('p256.p12'), { password: P12_PASSWORD });
  plain = await formDocument();
  signed = await signPdf(plain, { signer });
});

describe('what the trailer and the cross-reference sections change', () => {
  it('a new catalog with a new page tree, named by the trailer, is a new document: not permitted', async () => {
    const r = PdfReader.open(signed);
    const n = r.size;
    const page = r
      .pages()[0]!
      .dict.clone()
      .set('Contents', new PdfRef(n + 2, 0))
      .set('Parent', new PdfRef(n + 1, 0));
    const update = appendRawUpdate(
      signed,
      [
        [
          n,
          r
            .catalog()
            .clone()
            .set('Pages', new PdfRef(n + 1, 0)),
        ],
        [
          n + 1,
          new PdfDict()
            .set('Type', name('Pages'))
            .set('Kids', [new PdfRef(n + 3, 0)])
            .set('Count', 1),
        ],
        [n + 2, contentStream('So tien: 9.000.000 dong')],
        [n + 3, page],
      ],
      { trailer: { Root: new PdfRef(n, 0) } },
    );
    notPermitted(await verify(update), 'catalog');
  });
  it('a new catalog object that says what the old one said is permitted (writers such as Go pdfsign do this)', async () => {
    const r = PdfReader.open(signed);
    const moved = appendRawUpdate(signed, [[r.size, r.catalog().clone()]], {
      trailer: { Root: new PdfRef(r.size, 0) },
    });
    const v = await verify(moved);
    expect(v.indication).toBe('TOTAL_PASSED');
    expect(first(v).verdict).toBe('permitted-changes');
  });
  it('an object freed by a later cross-reference section reads as null: deleted, not permitted', async () => {
    const r = PdfReader.open(signed);
    const contents = r.pages()[0]!.dict.get('Contents');
    const ref = (Array.isArray(contents) ? contents[0] : contents) as PdfRef;
    notPermitted(await verify(appendRawUpdate(signed, [], { free: [ref.num] })), 'object-deleted');
  });
  it("a hybrid update's /XRefStm stream is read too: the object it redefines is classified", async () => {
    const r = PdfReader.open(signed);
    const contents = r.pages()[0]!.dict.get('Contents');
    const target = (Array.isArray(contents) ? contents[0] : contents) as PdfRef;
    const objAt = signed.length + 1;
    const obj = indirectBytes(target, contentStream('So tien: 9.000.000 dong'));
    const stmAt = objAt + obj.reduce((n, b) => n + b.length, 0);
    const row = [1, (objAt >>> 24) & 0xff, (objAt >>> 16) & 0xff, (objAt >>> 8) & 0xff, objAt & 0xff, 0, 0];
    const stm = indirectBytes(
      new PdfRef(r.size, 0),
      new PdfStream(
        new PdfDict()
          .set('Type', name('XRef'))
          .set('W', [1, 4, 2])
          .set('Index', [target.num, 1])
          .set('Size', r.size + 1),
        Uint8Array.from(row),
      ),
    );
    const tableAt = stmAt + stm.reduce((n, b) => n + b.length, 0);
    const table = `xref\n0 1\n0000000000 65535 f\r\ntrailer\n<</Size ${r.size + 1}/Root ${serialize(r.trailer.get('Root')!)}/Prev ${r.startxref}/XRefStm ${stmAt}>>\nstartxref\n${tableAt}\n%%EOF\n`;
    const hybrid = concatBytes([signed, latin1('\n'), ...obj, ...stm, latin1(table)]);
    const v = await verify(hybrid);
    notPermitted(v, 'object-overwritten');
    expect(first(v).changes.some((c) => c.kind === 'appended-without-xref')).toBe(false);
  });
  it('a changed /Encrypt is not permitted', async () => {
    const r = PdfReader.open(signed);
    const enc = new PdfDict().set('Filter', name('Standard')).set('V', 1);
    notPermitted(
      await verify(appendRawUpdate(signed, [[r.size, enc]], { trailer: { Encrypt: new PdfRef(r.size, 0) } })),
      'trailer',
    );
  });
});

describe('catalog entries', () => {
  const catalogUpdate = (bytes: Uint8Array, edit: (catalog: PdfDict) => void) =>
    appendUpdate(bytes, (w, r) => {
      const catalog = r.catalog().clone();
      edit(catalog);
      w.set(r.trailer.get('Root') as PdfRef, catalog);
    });
  it('a /Names /JavaScript tree (run when the document opens) is not permitted', async () => {
    const js = new PdfDict().set('S', name('JavaScript')).set('JS', new PdfString(latin1('app.alert("x")')));
    notPermitted(
      await verify(
        catalogUpdate(signed, (c) =>
          c.set('Names', new PdfDict().set('JavaScript', new PdfDict().set('Names', [new PdfString(latin1('a')), js]))),
        ),
      ),
      'catalog',
    );
  });
  it('named annotation appearances (/Names /AP, as Acrobat adds with a stamp) are reported, not permitted on a P=2 certification', async () => {
    const ap = (c: PdfDict) => c.set('Names', new PdfDict().set('AP', new PdfDict().set('Names', [])));
    const v = await verify(catalogUpdate(signed, ap));
    expect(v.indication).toBe('TOTAL_PASSED');
    expect(first(v).verdict).toBe('changes-reported');
    notPermitted(await verify(catalogUpdate(await signPdf(plain, { signer, certify: 2 }), ap)), 'catalog');
  });
  it('a string written again in the other notation (…) / <…> is the same string', async () => {
    const lang = (hex: boolean) => (c: PdfDict) => c.set('Lang', new PdfString(latin1('vi-VN'), hex));
    const v = await verify(catalogUpdate(await signPdf(catalogUpdate(plain, lang(true)), { signer }), lang(false)));
    expect(v.indication).toBe('TOTAL_PASSED');
    expect(first(v).changes).toEqual([]);
  });
});

describe('page entries', () => {
  it('an /AA (actions run when the page opens) added to a page is not permitted', async () => {
    const update = appendUpdate(signed, (w, r) => {
      const js = w.allocate();
      w.set(
        js,
        new PdfDict()
          .set('S', name('JavaScript'))
          .set('JS', new PdfString(latin1('this.getField("amount").value = "9";'))),
      );
      w.set(firstPage(r), r.pages()[0]!.dict.clone().set('AA', new PdfDict().set('O', js)));
    });
    notPermitted(await verify(update), 'page-content');
  });
  it('a /PieceInfo or a private key changes nothing shown: permitted', async () => {
    const update = appendUpdate(signed, (w, r) =>
      w.set(
        firstPage(r),
        r
          .pages()[0]!
          .dict.clone()
          .set('PieceInfo', new PdfDict())
          .set('ITXT', new PdfString(latin1('5.5'))),
      ),
    );
    const v = await verify(update);
    expect(v.indication).toBe('TOTAL_PASSED');
    expect(first(v).verdict).toBe('permitted-changes');
  });
  it('a page /Rotate or /MediaBox change is not permitted', async () => {
    notPermitted(
      await verify(appendUpdate(signed, (w, r) => w.set(firstPage(r), r.pages()[0]!.dict.clone().set('Rotate', 90)))),
      'page-content',
    );
    notPermitted(
      await verify(
        appendUpdate(signed, (w, r) =>
          w.set(firstPage(r), r.pages()[0]!.dict.clone().set('MediaBox', [0, 0, 595, 400])),
        ),
      ),
      'page-content',
    );
  });
});

describe('objects the signed revision referred to but left undefined', () => {
  let dangling: Uint8Array;
  beforeAll(async () => {
    // the attacker prepares the document: the page's second content stream, object 900, does not exist (null)
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    const page = doc.addPage([595, 842]);
    page.drawText('So tien: 1.000.000 dong', { x: 72, y: 770, size: 14, font });
    const contents = page.node.get(PDFName.of('Contents'));
    const list = doc.context.obj([contents instanceof PDFRef ? contents : PDFRef.of(1), PDFRef.of(900)]);
    page.node.set(PDFName.of('Contents'), list);
    dangling = await signPdf(await doc.save({ useObjectStreams: false }), { signer });
  });
  it('the victim signs it and it verifies', async () =>
    expect((await verify(dangling)).indication).toBe('TOTAL_PASSED'));
  it('defining the object afterwards changes what the page shows: not permitted', async () => {
    const update = appendUpdate(dangling, (w) =>
      w.set(
        new PdfRef(900, 0),
        new PdfStream(
          new PdfDict(),
          latin1('1 1 1 rg 0 0 595 842 re f BT /F1 24 Tf 72 770 Td (So tien: 9.000.000 dong) Tj ET'),
        ),
      ),
    );
    notPermitted(await verify(update), 'object-defined-late');
  });
  it('a new object nothing refers to is left alone', async () => {
    const orphan = appendUpdate(signed, (w) => w.set(w.allocate(), new PdfDict().set('Orphan', true)));
    expect((await verify(orphan)).indication).toBe('TOTAL_PASSED');
  });
});

describe('objects with two roles, prepared before signing (Shadow style)', () => {
  /** The attacker's document: the page's /Contents is an array object that the DSS (or the page's /Annots) also names. */
  const prepared = async (role: 'DSS' | 'Annots') => {
    const bytes = appendUpdate(plain, (w, r) => {
      const page = r.pages()[0]!;
      const contents = page.dict.get('Contents');
      const list = w.allocate();
      w.set(list, Array.isArray(contents) ? contents : [contents!]);
      const dict = page.dict.clone().set('Contents', list);
      if (role === 'Annots') dict.set('Annots', list);
      w.set(page.ref, dict);
      if (role === 'DSS')
        w.set(r.trailer.get('Root') as PdfRef, r.catalog().clone().set('DSS', new PdfDict().set('Certs', list)));
    });
    return signPdf(bytes, { signer });
  };
  /** After signing: one more content stream in that array. */
  const grow = (bytes: Uint8Array) =>
    appendUpdate(bytes, (w, r) => {
      const list = r.pages()[0]!.dict.get('Contents') as PdfRef;
      const extra = w.allocate();
      w.set(extra, contentStream('So tien: 9.000.000 dong'));
      w.set(list, [...(r.resolve(list) as PdfRef[]), extra]);
    });
  it('a DSS array that is also the page content: growing it is not a DSS update', async () => {
    const doc = await prepared('DSS');
    expect((await verify(doc)).indication).toBe('TOTAL_PASSED');
    notPermitted(await verify(grow(doc)), 'object-overwritten');
  });
  it('an /Info dictionary that is also the page resources: a new XObject in it is not a metadata update', async () => {
    // the signed page paints /X1, which its resources lack (nothing shows); /Info is those resources
    const bytes = appendUpdate(plain, (w, r) => {
      const page = r.pages()[0]!;
      const resources = w.allocate();
      w.set(resources, r.resolveDict(page.dict.get('Resources'))!.clone());
      const paint = w.allocate();
      w.set(paint, new PdfStream(new PdfDict(), latin1('q 595 0 0 842 0 0 cm /X1 Do Q')));
      const contents = page.dict.get('Contents');
      w.set(
        page.ref,
        page.dict
          .clone()
          .set('Resources', resources)
          .set('Contents', [...(Array.isArray(contents) ? contents : [contents!]), paint]),
      );
    });
    const resources = PdfReader.open(bytes).pages()[0]!.dict.get('Resources') as PdfRef;
    const doc = await signPdf(appendRawUpdate(bytes, [], { trailer: { Info: resources } }), { signer });
    expect((await verify(doc)).indication).toBe('TOTAL_PASSED');
    const revealed = appendUpdate(doc, (w, r) => {
      const info = r.trailer.get('Info') as PdfRef;
      const x1 = w.allocate();
      w.set(
        x1,
        new PdfStream(
          new PdfDict().set('Type', name('XObject')).set('Subtype', name('Form')).set('BBox', [0, 0, 1, 1]),
          latin1('1 1 1 rg 0 0 1 1 re f'),
        ),
      );
      w.set(info, r.resolveDict(info)!.clone().set('XObject', new PdfDict().set('X1', x1)));
    });
    notPermitted(await verify(revealed), 'object-overwritten');
  });
  it('an /Annots array that is also the page content: growing it is not an added annotation', async () => {
    const doc = await prepared('Annots');
    expect((await verify(doc)).indication).toBe('TOTAL_PASSED');
    notPermitted(await verify(grow(doc)), 'object-overwritten');
  });
});

describe('form fields after an approval signature and after a certification', () => {
  const addTextField = (bytes: Uint8Array) =>
    appendUpdate(bytes, (w, r) => {
      const field = addToFirstPage(
        w,
        r,
        annotation('Widget', [300, 560, 500, 580])
          .set('FT', name('Tx'))
          .set('T', new PdfString(latin1('extra'))),
      );
      const formRef = r.catalog().get('AcroForm');
      const form = r.resolveDict(formRef)!.clone();
      form.set('Fields', [...(r.resolve(form.get('Fields')) as PdfRef[]), field]);
      if (formRef instanceof PdfRef) w.set(formRef, form);
      else w.set(r.trailer.get('Root') as PdfRef, r.catalog().clone().set('AcroForm', form));
    });
  it('a new text field after an approval signature is reported, not silently permitted', async () => {
    const v = await verify(addTextField(signed));
    expect(v.indication).toBe('TOTAL_PASSED');
    expect(first(v).verdict).toBe('changes-reported');
    expect(first(v).changes.some((c) => c.kind === 'form-field' && c.status === 'reported')).toBe(true);
  });
  it('a new text field on a certified document (P=2) is not permitted', async () => {
    notPermitted(await verify(addTextField(await signPdf(plain, { signer, certify: 2 }))), 'form-field');
  });
  it('filling a field: not permitted after an approval signature, permitted after a P=2 certification', async () => {
    notPermitted(await verify(fillField(signed, 'amount', '9.000.000')), 'form-field');
    const certified = await signPdf(plain, { signer, certify: 2 });
    const v = await verify(fillField(certified, 'amount', '9.000.000'));
    expect(v.indication).toBe('TOTAL_PASSED');
    expect(first(v).verdict).toBe('permitted-changes');
  });
});

describe('FieldMDP locks', () => {
  it("a field the signed field's /Lock names cannot change afterwards, even where DocMDP allows form filling", async () => {
    const withField = addSignatureField(plain, { name: 'approver', rect: [300, 100, 500, 150] });
    const locked = appendUpdate(withField, (w, r) => {
      const form = r.resolveDict(r.catalog().get('AcroForm'))!;
      const ref = (r.resolve(form.get('Fields')) as PdfRef[]).find((f) => r.resolveDict(f)?.get('FT') === name('Sig'))!;
      w.set(
        ref,
        r
          .resolveDict(ref)!
          .clone()
          .set(
            'Lock',
            new PdfDict()
              .set('Type', name('SigFieldLock'))
              .set('Action', name('Include'))
              .set('Fields', [new PdfString(latin1('amount'))]),
          ),
      );
    });
    const certified = await signPdf(locked, { signer, certify: 2, fieldName: 'approver' });
    const report = await verify(certified);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]!.fieldLocks).toEqual([{ action: 'Include', fields: ['amount'] }]);
    const amount = await verify(fillField(certified, 'amount', '9.000.000'));
    notPermitted(amount, 'form-field');
    expect(first(amount).changes.find((c) => c.status === 'not-permitted')!.detail).toMatch(/locked/);
    expect((await verify(fillField(certified, 'note', 'đã xem'))).indication).toBe('TOTAL_PASSED');
  });
  it('Include, Exclude and All, on fully qualified names', () => {
    const filled = fillField(signed, 'note', 'x');
    const r = PdfReader.open(filled);
    const end = r.revisions().at(-2)!.end;
    const run = (fieldLocks: { action: 'All' | 'Include' | 'Exclude'; fields: string[] }[]) =>
      analyseModifications(filled, r, end, r.revisions(), { docMdp: 2, fieldLocks });
    expect(run([]).verdict).toBe('permitted-changes');
    expect(run([{ action: 'All', fields: [] }]).verdict).toBe('not-permitted-changes');
    expect(run([{ action: 'Include', fields: ['note'] }]).verdict).toBe('not-permitted-changes');
    expect(run([{ action: 'Include', fields: ['amount'] }]).verdict).toBe('permitted-changes');
    expect(run([{ action: 'Exclude', fields: ['note'] }]).verdict).toBe('permitted-changes');
    expect(run([{ action: 'Exclude', fields: ['amount'] }]).verdict).toBe('not-permitted-changes');
  });
});

describe('overlays on certified documents (Evil Annotation, Sneaky Signature)', () => {
  const over = [60, 760, 300, 790]; // the signed line "So tien: 1.000.000 dong"
  const blank = [60, 100, 300, 130];
  it('P=3: a FreeText or Stamp laid over the signed text is not permitted; elsewhere it is reported', async () => {
    const certified = await signPdf(plain, { signer, certify: 3 });
    for (const subtype of ['FreeText', 'Stamp', 'Square']) {
      notPermitted(
        await verify(appendUpdate(certified, (w, r) => addToFirstPage(w, r, annotation(subtype, over)))),
        'annotation',
      );
    }
    const aside = await verify(appendUpdate(certified, (w, r) => addToFirstPage(w, r, annotation('FreeText', blank))));
    expect(aside.indication).toBe('TOTAL_PASSED');
    expect(first(aside).verdict).toBe('changes-reported');
    expect(aside.signatures[0]!.warnings.join(' ')).toMatch(/changed after this signature/);
  });
  it('P=3: a highlight over the text marks it and is reported; a hidden annotation paints nothing', async () => {
    const certified = await signPdf(plain, { signer, certify: 3 });
    expect(
      first(await verify(appendUpdate(certified, (w, r) => addToFirstPage(w, r, annotation('Highlight', over)))))
        .verdict,
    ).toBe('changes-reported');
    expect(
      first(
        await verify(appendUpdate(certified, (w, r) => addToFirstPage(w, r, annotation('FreeText', over).set('F', 2)))),
      ),
    ).toMatchObject({ verdict: 'changes-reported' });
  });
  it('P=2: a later visible signature over the signed text is not permitted (Sneaky Signature); beside it, permitted', async () => {
    const certified = await signPdf(plain, { signer, certify: 2 });
    const sneaky = await signPdf(certified, {
      signer: second,
      appearance: { preset: 'custom', pageIndex: 0, rect: [60, 760, 300, 790] },
    });
    const v = await verify(sneaky);
    notPermitted(v, 'annotation');
    expect(v.signatures[1]!.indication).toBe('TOTAL_PASSED');
    const beside = await verify(
      await signPdf(certified, {
        signer: second,
        appearance: { preset: 'custom', pageIndex: 0, rect: [300, 100, 500, 150] },
      }),
    );
    expect(beside.indication).toBe('TOTAL_PASSED');
    expect(first(beside).verdict).toBe('permitted-changes');
  });
  it('after an approval signature, a later visible signature over the signed text is reported', async () => {
    const v = await verify(
      await signPdf(signed, {
        signer: second,
        appearance: { preset: 'custom', pageIndex: 0, rect: [60, 760, 300, 790] },
      }),
    );
    expect(v.indication).toBe('TOTAL_PASSED');
    expect(first(v).verdict).toBe('changes-reported');
    expect(first(v).changes.find((c) => c.status === 'reported')!.detail).toMatch(/covers signed page text/);
  });
  it('an approval signature does not restrict annotations: reported', async () => {
    const v = await verify(appendUpdate(signed, (w, r) => addToFirstPage(w, r, annotation('FreeText', over))));
    expect(v.indication).toBe('TOTAL_PASSED');
    expect(first(v).verdict).toBe('changes-reported');
  });
});

describe('hidden signatures', () => {
  it('a signature whose field left the form is verified and listed apart; the removal itself is not permitted', async () => {
    const twice = await signPdf(signed, { signer: second });
    const hidden = appendUpdate(twice, (w, r) => {
      const formRef = r.catalog().get('AcroForm');
      const form = r.resolveDict(formRef)!.clone();
      const fields = r.resolve(form.get('Fields')) as PdfRef[];
      const firstSignature = fields.find((f) => r.resolveDict(f)?.get('FT') === name('Sig'));
      form.set(
        'Fields',
        fields.filter((f) => f !== firstSignature),
      );
      if (formRef instanceof PdfRef) w.set(formRef, form);
      else w.set(r.trailer.get('Root') as PdfRef, r.catalog().clone().set('AcroForm', form));
    });
    const v = await verify(hidden);
    expect(v.signatures).toHaveLength(1);
    expect(v.hiddenSignatures).toHaveLength(1);
    expect(v.hiddenSignatures[0]).toMatchObject({
      hidden: 'not-in-form',
      fieldName: '',
      integrity: { byteRange: true, digest: true, signatureValue: true },
    });
    // the document is not what was signed: TOTAL_FAILED, saying which signature was cut off and how
    expect(v.indication).toBe('TOTAL_FAILED');
    expect(v.errors).toContain(
      '1 signature no longer covers the document: 1 whose field a later update removed from the form',
    );
    expect(v.signatures[0]!.modifications!.verdict).toBe('not-permitted-changes');
  });
  it('a signature dictionary redefined by a later revision: the current one fails, the earlier version is listed as superseded', async () => {
    const r = PdfReader.open(signed);
    const fieldRef = (r.resolve(r.resolveDict(r.catalog().get('AcroForm'))!.get('Fields')) as PdfRef[]).find(
      (f) => r.resolveDict(f)?.get('FT') === name('Sig'),
    )!;
    const sigRef = r.resolveDict(fieldRef)!.get('V') as PdfRef;
    const redefined = appendUpdate(signed, (w) =>
      w.set(
        sigRef,
        r
          .resolveDict(sigRef)!
          .clone()
          .set('Reason', new PdfString(latin1('Đồng ý'))),
      ),
    );
    const v = await verify(redefined);
    expect(v.indication).toBe('TOTAL_FAILED');
    expect(v.hiddenSignatures.map((h) => h.hidden)).toEqual(['superseded']);
    expect(v.warnings.join(' ')).toMatch(/redefined/);
  });
});
