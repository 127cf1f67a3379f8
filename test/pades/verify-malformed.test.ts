import { beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, latin1 } from '../../src/core/bytes.js';
import { loadPkcs12Signer, signPdf, verifyPdf } from '../../src/index.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import { PdfRef } from '../../src/pdf/objects.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { appendRawUpdate, buildPdf, formDocument } from '../fixtures/pdf-updates.js';
import { rng } from '../fuzz/rng.js';

let signed: Uint8Array;
let gap: [number, number];
const trust = () => [pkiFile('root.cert.pem')];

/** Verifies `bytes`: a typed error or a verdict other than TOTAL_PASSED, within `ms`. Returns what happened. */
async function bounded(bytes: Uint8Array, ms = 3000): Promise<string> {
  const start = Date.now();
  let outcome: string;
  try {
    const r = await verifyPdf(bytes, { trust: trust() });
    outcome = r.indication;
  } catch (e) {
    expect((e as { code?: string }).code, String(e)).toMatch(/^ERR_PDF_MALFORMED$|^ERR_/);
    outcome = (e as { code: string }).code;
  }
  expect(Date.now() - start).toBeLessThan(ms);
  return outcome;
}

beforeAll(async () => {
  const signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  signed = await signPdf(await formDocument(), { signer });
  const m = /\/ByteRange \[0 (\d+) (\d+) /.exec(Buffer.from(signed).toString('latin1'))!;
  gap = [Number(m[1]), Number(m[2])];
});

describe('mutated signed PDFs never pass and never hang', () => {
  it('a changed byte anywhere in the signed ranges', async () => {
    const next = rng(1);
    for (let i = 0; i < 60; i++) {
      let at = Math.floor(next() * signed.length);
      if (at >= gap[0] && at < gap[1]) at = gap[0] - 1 - (at % gap[0]);
      const t = signed.slice();
      t[at] = (t[at]! + 1 + Math.floor(next() * 255)) & 0xff;
      expect(await bounded(t), `byte ${at}`).not.toBe('TOTAL_PASSED');
    }
  });
  it('truncated at any length', async () => {
    const next = rng(2);
    for (let i = 0; i < 40; i++)
      expect(await bounded(signed.subarray(0, Math.floor(next() * signed.length)))).not.toBe('TOTAL_PASSED');
  });
  it('a document with more signatures than are verified says so', async () => {
    const pdf = buildPdf([
      `<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[${Array.from({ length: 600 }, (_, i) => `${i + 4} 0 R`).join(' ')}]>>>>`,
      '<</Type/Pages/Kids[3 0 R]/Count 1>>',
      '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>',
      ...Array.from({ length: 600 }, (_, i) => `<</T(s${i})/FT/Sig/V<</Type/Sig/ByteRange[0 1 2 3]/Contents<00>>>>>`),
    ]);
    const r = await verifyPdf(pdf);
    expect(r.signatures).toHaveLength(500);
    expect(r.errors.join()).toMatch(/holds 600 signatures; only the first 500 were verified/);
  });
  it('hostile updates after a valid signature: cyclic references, a page tree that contains itself', async () => {
    const reader = PdfReader.open(signed);
    const n = reader.size;
    const page = reader.pages()[0]!;
    const pagesRef = reader.catalog().get('Pages') as PdfRef;
    const cyclic = appendRawUpdate(signed, [
      [n, new PdfRef(n + 1, 0)],
      [n + 1, new PdfRef(n, 0)],
      [page.ref.num, page.dict.clone().set('Annots', [new PdfRef(n, 0), new PdfRef(n + 1, 0)])],
      [pagesRef.num, reader.resolveDict(pagesRef)!.clone().set('Kids', [page.ref, pagesRef])],
    ]);
    expect(await bounded(cyclic)).not.toBe('TOTAL_PASSED');
  });
  it('PDF tokens inserted in the signed ranges', async () => {
    const next = rng(3);
    const tokens = [
      '<<',
      '>>',
      '[',
      ']',
      ' R ',
      ' obj ',
      'endobj',
      'stream\n',
      '/Kids [1 0 R]',
      '/Length 999999999',
      'xref\n0 99999999\n',
      'trailer',
      '%%EOF\n',
      '(',
      '\\',
    ];
    for (let i = 0; i < 40; i++) {
      let at = Math.floor(next() * signed.length);
      if (at >= gap[0] && at < gap[1]) at = gap[0] - 1;
      const t = concatBytes([
        signed.subarray(0, at),
        latin1(tokens[Math.floor(next() * tokens.length)]!),
        signed.subarray(at),
      ]);
      expect(await bounded(t)).not.toBe('TOTAL_PASSED');
    }
  });
});

describe('hostile structures end in a typed error or an unsigned verdict', () => {
  const PAGES = '<</Type/Pages/Kids[3 0 R]/Count 1>>';
  const PAGE = '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>';
  const cases: [string, Uint8Array][] = [
    [
      'a reference cycle (an object that is a reference to itself)',
      buildPdf(['<</Type/Catalog/Pages 4 0 R>>', PAGES, PAGE, '4 0 R']),
    ],
    [
      'a page tree that contains itself',
      buildPdf(['<</Type/Catalog/Pages 2 0 R>>', '<</Type/Pages/Kids[2 0 R]/Count 1>>']),
    ],
    [
      '/Prev pointing at its own section',
      (() => {
        const b = buildPdf(['<</Type/Catalog/Pages 2 0 R>>', PAGES, PAGE]);
        const text = Buffer.from(b).toString('latin1');
        const xref = text.lastIndexOf('xref\n');
        return latin1(text.replace('/Root 1 0 R', `/Root 1 0 R/Prev ${xref}`));
      })(),
    ],
    ['arrays nested 100 000 deep', buildPdf([`<</Type/Catalog/Pages 2 0 R/X ${'['.repeat(100_000)}>>`, PAGES, PAGE])],
    [
      'dictionaries nested 50 000 deep',
      buildPdf([`<</Type/Catalog/Pages 2 0 R/X ${'<</A '.repeat(50_000)}>>`, PAGES, PAGE]),
    ],
    [
      'a stream claiming an absurd /Length',
      buildPdf(['<</Type/Catalog/Pages 2 0 R>>', PAGES, PAGE, '<</Length 99999999999>>\nstream\nabc\nendstream']),
    ],
    [
      'an xref stream with absurd /W and /Index',
      latin1(
        '%PDF-1.7\n1 0 obj<</Type/XRef/W[1 99 1]/Index[0 999999999]/Size 999999999/Root 2 0 R/Length 3>>stream\nabc\nendstream\nendobj\nstartxref\n9\n%%EOF\n',
      ),
    ],
    [
      'an object stream claiming a million objects',
      buildPdf([
        '<</Type/Catalog/Pages 2 0 R/AcroForm 5 0 R>>',
        PAGES,
        PAGE,
        '<</Type/ObjStm/N 1000000/First 1/Length 3>>\nstream\n1 0\nendstream',
        '<</Fields 4 0 R>>',
      ]),
    ],
    [
      'a form whose /Fields is the catalog and a field whose /Kids are the form',
      buildPdf([
        '<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[1 0 R 4 0 R]>>>>',
        PAGES,
        PAGE,
        '<</T(x)/Kids[4 0 R 1 0 R]>>',
      ]),
    ],
    [
      '100 000 signature fields pointing at one signature',
      buildPdf([
        '<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields 4 0 R>>>>',
        PAGES,
        PAGE,
        `[${'5 0 R '.repeat(100_000)}]`,
        '<</T(s)/FT/Sig/V<</Type/Sig/ByteRange[0 1 2 3]/Contents<00>>>>>',
      ]),
    ],
    [
      '2 000 distinct signature fields',
      buildPdf([
        `<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[${Array.from({ length: 2000 }, (_, i) => `${i + 4} 0 R`).join(' ')}]>>>>`,
        PAGES,
        PAGE,
        ...Array.from(
          { length: 2000 },
          (_, i) => `<</T(s${i})/FT/Sig/V<</Type/Sig/ByteRange[0 1 2 3]/Contents<00>>>>>`,
        ),
      ]),
    ],
    [
      'a broken xref (offsets pointing nowhere)',
      latin1(
        Buffer.from(buildPdf(['<</Type/Catalog/Pages 2 0 R>>', PAGES, PAGE]))
          .toString('latin1')
          .replace(/0000000\d\d\d 00000 n/g, '0000099999 00000 n'),
      ),
    ],
    ['not a PDF at all', latin1('hello, this is not a PDF')],
  ];
  for (const [what, bytes] of cases) {
    it(what, async () => {
      expect(await bounded(bytes, 5000)).not.toBe('TOTAL_PASSED');
    });
  }
});

describe('fields without end', () => {
  it('10 000 signature fields pointing at one signature dictionary: verified once, in seconds, and said', async () => {
    const n = 10_000;
    const pdf = buildPdf([
      `<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[${Array.from({ length: n }, (_, i) => `${i + 5} 0 R`).join(' ')}]>>>>`,
      '<</Type/Pages/Kids[3 0 R]/Count 1>>',
      '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>',
      '<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange[0 1 2 3]/Contents<00>>>',
      ...Array.from({ length: n }, (_, i) => `<</T(s${i})/FT/Sig/V 4 0 R>>`),
    ]);
    const start = performance.now();
    const r = await verifyPdf(pdf);
    expect(performance.now() - start).toBeLessThan(5000);
    expect(r.signatures).toHaveLength(1);
    expect(r.signatures[0]!.fieldName).toBe('s0');
    expect(r.warnings.join()).toMatch(
      /field "s0" is also the value of 9999 other fields \("s1", "s2", "s3", …\); it was verified once/,
    );
    expect(r.indication).not.toBe('TOTAL_PASSED');
  });
});
