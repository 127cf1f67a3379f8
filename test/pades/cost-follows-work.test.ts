/**
 * Issue 19, "cost that follows the work": verifying k signatures reads each revision once (work counted, not
 * timed), and signing or verifying a long document reads only the pages it needs — with the verdicts unchanged.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { latin1 } from '../../src/core/bytes.js';
import { loadPkcs12Signer, signPdf, verifyPdf, type Signer } from '../../src/index.js';
import { PdfParser } from '../../src/pdf/parser.js';
import { PdfDict, PdfRef, name } from '../../src/pdf/objects.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { preparePdfSignature } from '../../src/pdf/signature-field.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import { annotation, appendUpdate, buildPdf, contentStream } from '../fixtures/pdf-updates.js';

let signer: Signer;
const verify = (bytes: Uint8Array) => verifyPdf(bytes, { trust: [pkiFile('root.cert.pem')] });

beforeAll(async () => {
  signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts, by byte offset, the indirect objects parsed and the cross-reference tables read while `run` runs. */
async function countParses<T>(run: () => Promise<T> | T): Promise<{ result: T; objects: number[]; tables: number[] }> {
  const objects: number[] = [];
  const tables: number[] = [];
  const readObject = PdfParser.prototype.readIndirectObject;
  const expectKeyword = PdfParser.prototype.expectKeyword;
  vi.spyOn(PdfParser.prototype, 'readIndirectObject').mockImplementation(function (this: PdfParser) {
    objects.push(this.pos);
    return readObject.call(this);
  });
  vi.spyOn(PdfParser.prototype, 'expectKeyword').mockImplementation(function (this: PdfParser, keyword: string) {
    if (keyword === 'xref') tables.push(this.pos);
    return expectKeyword.call(this, keyword);
  });
  const result = await run();
  vi.restoreAllMocks();
  return { result, objects, tables };
}

/** Counts the bytes Node's hashes take in while `run` runs (every digest kyso computes on Node goes through them). */
async function countHashed<T>(run: () => Promise<T>): Promise<{ result: T; hashed: number }> {
  let hashed = 0;
  const proto = Object.getPrototypeOf(createHash('sha256')) as { update(data: Uint8Array): unknown };
  const update = proto.update;
  vi.spyOn(proto, 'update').mockImplementation(function (this: unknown, data: Uint8Array) {
    hashed += data.length;
    return update.call(this, data);
  });
  const result = await run();
  vi.restoreAllMocks();
  return { result, hashed };
}

/** A one-page document signed `count` times, one incremental update each. */
async function signedTimes(count: number): Promise<Uint8Array> {
  let bytes: Uint8Array = pagesDocument(1);
  for (let i = 0; i < count; i++) bytes = await signPdf(bytes, { signer });
  return bytes;
}

const duplicates = (xs: number[]) => xs.filter((x, i) => xs.indexOf(x) !== i);

/**
 * A document of `count` pages (one shared content stream), its page tree flat under the root, or, with
 * `broken`, a second kid of the root that is a /Pages node listing the root again (a cycle).
 */
function pagesDocument(count: number, broken = false): Uint8Array {
  const first = 4;
  const kids = Array.from({ length: count }, (_, i) => `${first + i} 0 R`);
  if (broken) kids.splice(1, 0, `${first + count} 0 R`);
  const objects = [
    '<</Type/Catalog/Pages 2 0 R>>',
    `<</Type/Pages/Kids[${kids.join(' ')}]/Count ${count}/MediaBox[0 0 595 842]>>`,
    '<</Length 34>>\nstream\nBT /F1 24 Tf 72 700 Td (Hi) Tj ET\nendstream',
    ...Array.from({ length: count }, () => '<</Type/Page/Parent 2 0 R/Contents 3 0 R>>'),
  ];
  if (broken) objects.push('<</Type/Pages/Parent 2 0 R/Kids[2 0 R]/Count 1>>');
  return buildPdf(objects);
}

/** The n-th page's reference (zero-based) in {@link pagesDocument}. */
const pageRef = (n: number) => new PdfRef(4 + n, 0);

describe('verifying k signatures costs k times one (issue 19)', () => {
  it('parses every object and cross-reference section of a 12-signature document once, and all verdicts hold', async () => {
    const bytes = await signedTimes(12);
    const { result, objects, tables } = await countParses(() => verify(bytes));
    expect(result.indication).toBe('TOTAL_PASSED');
    expect(result.signatures).toHaveLength(12);
    for (const s of result.signatures.slice(0, -1)) expect(s.modifications?.verdict).toBe('permitted-changes');
    expect(result.signatures.at(-1)!.modifications?.verdict).toBe('whole-document');
    // each of the 12 earlier revisions is read as the signature covering it saw it, from one shared parse
    expect(duplicates(objects)).toEqual([]);
    expect(duplicates(tables)).toEqual([]);
    expect(tables).toHaveLength(13);
    // every object parsed is one the file defines (4 of the original, 5 per signature here)
    const defined = new TextDecoder('latin1').decode(bytes).match(/\d+ 0 obj/g)!.length;
    expect(objects.length).toBeLessThanOrEqual(defined);
  });

  it('hashes the file about once however many signatures cover it (each digest goes on from the one before)', async () => {
    const perByte = async (k: number) => {
      const bytes = await signedTimes(k);
      const { result, hashed } = await countHashed(() => verify(bytes));
      expect(result.indication).toBe('TOTAL_PASSED');
      expect(result.signatures).toHaveLength(k);
      return hashed / bytes.length;
    };
    const [ten, forty] = [await perByte(10), await perByte(40)];
    // each signature hashing its whole prefix again made these about k / 2 (5.4 and 20.2); the signed bytes
    // once, each signature's certificates and attributes, and the /Contents left out make 1.8 now
    expect(ten).toBeLessThan(2.5);
    expect(forty).toBeLessThan(2.5);
    expect(forty / ten).toBeLessThan(1.2);
  });

  it("reads each revision's cross-reference listing once for all the signatures' change analyses", async () => {
    const lookups = async (k: number) => {
      const bytes = await signedTimes(k);
      const sectionAt = vi.spyOn(PdfReader.prototype, 'sectionAt');
      const report = await verify(bytes);
      const calls = sectionAt.mock.calls.length;
      vi.restoreAllMocks();
      expect(report.signatures.map((s) => s.modifications?.verdict)).toEqual([
        ...Array<string>(k - 1).fill('permitted-changes'),
        'whole-document',
      ]);
      return calls;
    };
    const [ten, forty] = [await lookups(10), await lookups(40)];
    // each signature going through the sections of all the revisions after it made this quadratic (56 and 821)
    expect(forty / ten).toBeLessThan(4.5);
  });

  it('still finds an object appended without a cross-reference entry after the second of three signatures', async () => {
    let bytes: Uint8Array = pagesDocument(1);
    for (let i = 0; i < 2; i++) bytes = await signPdf(bytes, { signer });
    // a forged content stream slipped in between two revisions, listed by no cross-reference section
    const forged = latin1('\n3 0 obj\n<</Length 9>>\nstream\nBT ET q Q\nendstream\nendobj\n');
    bytes = Uint8Array.from([...bytes, ...forged]);
    bytes = await signPdf(bytes, { signer });
    const report = await verify(bytes);
    for (const s of report.signatures.slice(0, 2)) {
      expect(s.modifications?.verdict).toBe('not-permitted-changes');
      expect(s.modifications?.changes.some((c) => c.kind === 'appended-without-xref' && c.object === 3)).toBe(true);
    }
  });
});

describe('long documents: only the pages the work needs (issue 19)', () => {
  let thousand: Uint8Array;
  beforeAll(() => {
    thousand = pagesDocument(1000);
  });

  it('signs a 1,000-page document invisibly reading a handful of objects, not the page tree', async () => {
    const { result, objects } = await countParses(() => signPdf(thousand, { signer }));
    expect(objects.length).toBeLessThan(10);
    const report = await verify(result);
    expect(report.indication).toBe('TOTAL_PASSED');
  });

  it('verifies a signed 1,000-page document without reading its pages', async () => {
    const signed = await signPdf(thousand, { signer });
    const { result, objects } = await countParses(() => verify(signed));
    expect(result.indication).toBe('TOTAL_PASSED');
    expect(objects.length).toBeLessThan(10);
  });

  it('signs invisibly a document whose page tree is broken after the first page (which pages() refuses)', async () => {
    const broken = pagesDocument(3, true);
    expect(() => PdfReader.open(broken).pages()).toThrow(/cycle/);
    const signed = await signPdf(broken, { signer });
    const report = await verify(signed);
    expect(report.indication).toBe('TOTAL_PASSED');
    const r = PdfReader.open(signed);
    const fields = r.resolve(r.resolveDict(r.catalog().get('AcroForm'))!.get('Fields')) as PdfRef[];
    expect(r.resolveDict(fields[0])!.get('P')).toEqual(pageRef(0));
  });

  it('puts a visible widget on page 3 of 1,000 reading only the pages up to it', async () => {
    const reader = PdfReader.open(thousand);
    const { result, objects } = await countParses(() =>
      preparePdfSignature(
        thousand,
        {
          subFilter: 'ETSI.CAdES.detached',
          contentsSize: 4096,
          widget: { pageIndex: 2, rect: [72, 72, 272, 148] },
        },
        reader,
      ),
    );
    expect(objects.length).toBeLessThan(10);
    const after = PdfReader.open(Uint8Array.from([...thousand, ...result.update]));
    expect(after.resolveDict(pageRef(2))!.get('Annots')).toHaveLength(1);
    expect(after.resolveDict(pageRef(1))!.has('Annots')).toBe(false);
    // a page past the end is refused with the document's page count
    expect(() =>
      preparePdfSignature(
        thousand,
        { subFilter: 'ETSI.CAdES.detached', contentsSize: 4096, widget: { pageIndex: 1000, rect: [0, 0, 1, 1] } },
        reader,
      ),
    ).toThrow(/page 1001 does not exist \(the document has 1000\)/);
  });

  it('signs visibly on page 3 of 1,000 reading only the pages up to it, and refuses page 1,001 saying how many there are', async () => {
    const appearance = {
      preset: 'approved' as const,
      pageIndex: 2,
      rect: [72, 72, 200, 80] as [number, number, number, number],
    };
    const { result, objects } = await countParses(() => signPdf(thousand, { signer, appearance }));
    expect(objects.length).toBeLessThan(10);
    const report = await verify(result);
    expect(report.indication).toBe('TOTAL_PASSED');
    const after = PdfReader.open(result);
    expect(after.resolveDict(pageRef(2))!.get('Annots')).toHaveLength(1);
    expect(after.resolveDict(pageRef(1))!.has('Annots')).toBe(false);
    await expect(signPdf(thousand, { signer, appearance: { ...appearance, pageIndex: 1000 } })).rejects.toThrow(
      /page 1001 does not exist \(the document has 1000\)/,
    );
  });

  it('page(i) is pages()[i], inherited attributes included, in a nested tree', () => {
    const nested = buildPdf([
      '<</Type/Catalog/Pages 2 0 R>>',
      '<</Type/Pages/Kids[3 0 R 4 0 R]/Count 3/MediaBox[0 0 595 842]>>',
      '<</Type/Page/Parent 2 0 R>>',
      '<</Type/Pages/Parent 2 0 R/Kids[5 0 R 6 0 R]/Count 2/Rotate 90/CropBox[10 10 500 800]>>',
      '<</Type/Page/Parent 4 0 R/MediaBox[0 0 842 595]>>',
      '<</Type/Page/Parent 4 0 R/Rotate -90>>',
    ]);
    const reader = PdfReader.open(nested);
    const all = reader.pages();
    expect(all.map((p) => p.ref.num)).toEqual([3, 5, 6]);
    for (let i = 0; i < all.length; i++) expect(reader.page(i)).toEqual(all[i]);
    expect(reader.page(2)).toMatchObject({ rotate: 270, cropBox: [10, 10, 500, 800], mediaBox: [0, 0, 595, 842] });
    expect(reader.page(3)).toBeUndefined();
  });

  describe('changes after signing a 1,000-page document are still found', () => {
    let signed: Uint8Array;
    beforeAll(async () => {
      signed = await signPdf(thousand, { signer });
    });

    it('a page redrawn (page 500 given new content) is not permitted', async () => {
      const tampered = appendUpdate(signed, (w, r) => {
        const content = w.allocate();
        w.set(content, contentStream('forged'));
        w.set(pageRef(499), r.resolveDict(pageRef(499))!.clone().set('Contents', content));
      });
      const report = await verify(tampered);
      expect(report.indication).toBe('TOTAL_FAILED');
      const changes = report.signatures[0]!.modifications!;
      expect(changes.verdict).toBe('not-permitted-changes');
      expect(changes.changes).toContainEqual(
        expect.objectContaining({ kind: 'page-content', object: pageRef(499).num, status: 'not-permitted' }),
      );
    });

    it('an annotation added to page 700 is reported', async () => {
      const annotated = appendUpdate(signed, (w, r) => {
        const annot = w.allocate();
        w.set(annot, annotation('Text', [100, 100, 120, 120]).set('P', pageRef(699)));
        w.set(pageRef(699), r.resolveDict(pageRef(699))!.clone().set('Annots', [annot]));
      });
      const report = await verify(annotated);
      const changes = report.signatures[0]!.modifications!;
      expect(changes.verdict).toBe('changes-reported');
      expect(changes.changes).toContainEqual(
        expect.objectContaining({ kind: 'annotation', status: 'reported', detail: expect.stringMatching(/Text/) }),
      );
    });

    it('a page added to the tree is not permitted', async () => {
      const grown = appendUpdate(signed, (w, r) => {
        const page = w.allocate();
        w.set(page, new PdfDict().set('Type', name('Page')).set('Parent', new PdfRef(2, 0)));
        const root = r.resolveDict(new PdfRef(2, 0))!;
        w.set(
          new PdfRef(2, 0),
          root
            .clone()
            .set('Kids', [...(root.get('Kids') as PdfRef[]), page])
            .set('Count', 1001),
        );
      });
      const report = await verify(grown);
      expect(report.signatures[0]!.modifications!.verdict).toBe('not-permitted-changes');
      expect(report.signatures[0]!.modifications!.changes).toContainEqual(
        expect.objectContaining({ kind: 'pages', status: 'not-permitted' }),
      );
    });
  });
});
