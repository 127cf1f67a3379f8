import { describe, expect, it } from 'vitest';
import { PdfReader } from '../../src/pdf/reader.js';
import { findHiddenSignatures, findSignatureFields } from '../../src/pdf/signature-scan.js';
import { buildPdf } from '../fixtures/pdf-updates.js';

const PAGES = '<</Type/Pages/Kids[3 0 R]/Count 1>>';
const PAGE = '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>';
const SIG = '<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange[0 10 20 30]/Contents <00>>>';
const catalog = (fields: string) => `<</Type/Catalog/Pages 2 0 R/AcroForm<</Fields[${fields}]/SigFlags 3>>>>`;

describe('findSignatureFields', () => {
  it('walks /Kids and names fields in full (parent.child), signed and empty', () => {
    const pdf = buildPdf([
      catalog('4 0 R'),
      PAGES,
      PAGE,
      '<</T(hop_dong)/Kids[5 0 R 6 0 R]>>',
      '<</T(ben_a)/FT/Sig/Parent 4 0 R/V 7 0 R/Subtype/Widget/Rect[0 0 10 10]/P 3 0 R>>',
      '<</T(ben_b)/FT/Sig/Parent 4 0 R/Subtype/Widget/Rect[0 0 10 10]>>',
      SIG,
    ]);
    const { signed, empty } = findSignatureFields(PdfReader.open(pdf));
    expect(signed.map((s) => [s.fieldName, s.signatureRef?.num, s.pageIndex])).toEqual([['hop_dong.ben_a', 7, 0]]);
    expect(empty.map((e) => e.fieldName)).toEqual(['hop_dong.ben_b']);
  });
  it('inherits /FT from the parent field, and finds a widget kid’s signature through its field', () => {
    const pdf = buildPdf([
      catalog('4 0 R'),
      PAGES,
      PAGE,
      '<</T(ky)/FT/Sig/V 6 0 R/Kids[5 0 R]>>',
      '<</Subtype/Widget/Parent 4 0 R/Rect[0 0 1 1]>>',
      SIG,
    ]);
    expect(findSignatureFields(PdfReader.open(pdf)).signed.map((s) => s.fieldName)).toEqual(['ky']);
  });
  it('terminates on cyclic /Kids and on absurd depth', () => {
    const cyclic = buildPdf([catalog('4 0 R'), PAGES, PAGE, '<</T(a)/Kids[5 0 R]>>', '<</T(b)/Kids[4 0 R 5 0 R]>>']);
    expect(findSignatureFields(PdfReader.open(cyclic))).toEqual({ signed: [], empty: [] });
    const chain = Array.from({ length: 200 }, (_, i) => `<</T(f${i})/Kids[${i + 5} 0 R]>>`);
    const deep = buildPdf([catalog('4 0 R'), PAGES, PAGE, ...chain, '<</T(end)/FT/Sig>>']);
    const start = Date.now();
    expect(findSignatureFields(PdfReader.open(deep)).empty).toEqual([]); // deeper than 32 levels: not followed
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

describe('findHiddenSignatures', () => {
  it('finds a signature dictionary no field refers to, and a field holding one inline that the form does not list', () => {
    const pdf = buildPdf([
      catalog('4 0 R'),
      PAGES,
      PAGE,
      '<</T(shown)/FT/Sig/V 5 0 R>>',
      SIG,
      SIG, // 6: not in the form
      `<</T(detached)/FT/Sig/V ${SIG}>>`, // 7: a field with its signature inline, not in /Fields
    ]);
    const reader = PdfReader.open(pdf);
    const { signed } = findSignatureFields(reader);
    expect(signed).toHaveLength(1);
    const hidden = findHiddenSignatures(reader, signed);
    expect(hidden.map((h) => [h.signatureRef.num, h.reason])).toEqual([
      [6, 'not-in-form'],
      [7, 'not-in-form'],
    ]);
    expect(hidden[1]!.signature.has('ByteRange')).toBe(true);
  });
  it('ignores /ByteRange that is not a signature dictionary (text in a stream, a string)', () => {
    const pdf = buildPdf([
      catalog(''),
      PAGES,
      PAGE,
      '<</Length 20>>\nstream\n(/ByteRange [0 1 2 3])\nendstream',
      '<</Note(/ByteRange)>>',
    ]);
    expect(findHiddenSignatures(PdfReader.open(pdf), [])).toEqual([]);
  });
});
