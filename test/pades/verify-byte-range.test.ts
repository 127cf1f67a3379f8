import { describe, expect, it } from 'vitest';
import { latin1 } from '../../src/core/bytes.js';
import { digest } from '../../src/crypto/digest.js';
import { checkByteRange, enclosingObject } from '../../src/pdf/byte-range.js';
import { digestRanges } from '../../src/pdf/lazy-bytes.js';
import { PdfDict } from '../../src/pdf/objects.js';
import { PdfParser } from '../../src/pdf/parser.js';

const CONTENTS = 'AABBCCDD00000000';

/**
 * A file holding signature dictionary `5 0 obj` with `/Contents <…>` and a /ByteRange (written after it, so
 * inside the second signed range, padded to a fixed width as signers do). `byteRange` rewrites the computed
 * values; `before`/`after` add bytes around the object.
 */
function sigFile(
  options: {
    byteRange?: (a: number, b: number, c: number) => (number | string)[];
    before?: string;
    dict?: string;
    contents?: string;
  } = {},
) {
  const head = `%PDF-1.7\n${options.before ?? ''}5 0 obj\n<</Type/Sig${options.dict ?? ''}/Contents <`;
  const hex = options.contents ?? CONTENTS;
  const tailOf = (br: string) => `>/ByteRange ${br.padEnd(40, ' ')}>>\nendobj\n%%EOF\n`;
  const a = head.length - 1;
  const b = head.length + hex.length + 1;
  const c = tailOf('').length - 1;
  const br = `[${(options.byteRange ?? ((x, y, z) => [0, x, y, z]))(a, b, c).join(' ')}]`;
  const bytes = latin1(head + hex + tailOf(br));
  const objAt = head.indexOf('5 0 obj');
  const dict = new PdfParser(bytes, objAt).readIndirectObject().value as PdfDict;
  return { bytes, dict, a, b, c };
}

describe('checkByteRange', () => {
  it('accepts a /ByteRange that covers everything but this dictionary’s /Contents', () => {
    const f = sigFile();
    const r = checkByteRange(f.bytes, f.dict, 5);
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ ok: true, byteRange: [0, f.a, f.b, f.c], coveredEnd: f.bytes.length });
    expect(Buffer.from(r.contents!).toString('hex').toUpperCase()).toBe(CONTENTS);
  });
  const refused: [string, Parameters<typeof sigFile>[0], RegExp][] = [
    ['three integers', { byteRange: (a, b) => [0, a, b] }, /four non-negative integers/],
    ['a negative length', { byteRange: (a, b, c) => [0, a, b, -c] }, /four non-negative integers/],
    ['a real number', { byteRange: (a, b, c) => [0, a, b, `${c}.5`] }, /four non-negative integers/],
    ['a reference', { byteRange: (a, b) => [0, a, b, '7 0 R'] }, /four non-negative integers/],
    ['not starting at 0', { byteRange: (a, b, c) => [1, a, b, c] }, /start at byte 0/],
    ['overlapping ranges', { byteRange: (a, b, c) => [0, b, a, c] }, /overlap/],
    ['an empty second range', { byteRange: (a, b) => [0, a, b, 0] }, /empty/],
    ['a range past the end of the file', { byteRange: (a, b, c) => [0, a, b, c + 10] }, /beyond the end of the file/],
    [
      'a gap one byte short (the /Contents string is not the gap)',
      { byteRange: (a, b, c) => [0, a + 1, b, c] },
      /not a hexadecimal string/,
    ],
    [
      'a gap one byte long',
      { byteRange: (a, b, c) => [0, a, b + 1, c - 1] },
      /not a hexadecimal string|non-hexadecimal/,
    ],
  ];
  for (const [what, options, message] of refused) {
    it(`refuses ${what}`, () => {
      const f = sigFile(options);
      const r = checkByteRange(f.bytes, f.dict, 5);
      expect(r.ok).toBe(false);
      expect(r.problems.join('; ')).toMatch(message);
    });
  }
  it('refuses a missing or empty /Contents', () => {
    const f = sigFile();
    const d = f.dict.clone();
    d.delete('Contents');
    expect(checkByteRange(f.bytes, d, 5).problems.join()).toMatch(/missing or empty/);
    const empty = sigFile({ contents: '' });
    expect(checkByteRange(empty.bytes, empty.dict, 5).ok).toBe(false);
  });
  it('refuses a gap that is another key’s hexadecimal string', () => {
    const head = '%PDF-1.7\n5 0 obj\n<</Type/Sig/Contents <00>/Other <';
    const b = head.length + CONTENTS.length + 1;
    const tail = `>/ByteRange [0 ${head.length - 1} ${b} 9999]`.padEnd(100, ' ') + '>>\nendobj\n';
    const bytes = latin1(head + CONTENTS + tail);
    const dict = new PdfParser(bytes, 9).readIndirectObject().value as PdfDict;
    (dict.get('ByteRange') as number[])[3] = bytes.length - b;
    expect(checkByteRange(bytes, dict, 5).problems.join()).toMatch(/not preceded by \/Contents/);
  });
  it('refuses a gap inside another object (the signature dictionary was moved: Signature Wrapping)', () => {
    const f = sigFile({ before: '6 0 obj\n<</Decoy 1>>\nendobj\n' });
    expect(checkByteRange(f.bytes, f.dict, 6).problems.join()).toMatch(/another object/);
    expect(enclosingObject(f.bytes, f.a)).toEqual({ num: 5, offset: f.bytes.indexOf(0x35, 20) });
  });
  it('refuses a dictionary whose /Contents value is not the gap (a second /Contents key)', () => {
    // two /Contents keys: the parser keeps the last, which here is the one in the gap — that value is checked
    const f = sigFile({ dict: '/Contents <0102>' });
    expect(checkByteRange(f.bytes, f.dict, 5).ok).toBe(true);
    const swapped = f.dict.clone().set('Contents', sigFile({ contents: 'AABBCCDD00000001' }).dict.get('Contents')!);
    expect(checkByteRange(f.bytes, swapped, 5).problems.join()).toMatch(/differs from the bytes in the gap/);
  });
});

describe('hashing the signed ranges', () => {
  it('streams the two ranges into one digest, equal to the digest of the covered bytes joined', async () => {
    const f = sigFile();
    const joined = new Uint8Array([...f.bytes.subarray(0, f.a), ...f.bytes.subarray(f.b)]);
    expect(
      await digestRanges(f.bytes, 'SHA-256', [
        [0, f.a],
        [f.b, f.c],
      ]),
    ).toEqual(await digest('SHA-256', joined));
  });
});
