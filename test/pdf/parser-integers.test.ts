import { describe, expect, it } from 'vitest';
import { latin1 } from '../../src/core/bytes.js';
import { PdfParser } from '../../src/pdf/parser.js';

const read = (text: string) => {
  const p = new PdfParser(latin1(text));
  return { value: p.readInteger(), pos: p.pos };
};

describe('PdfParser.readInteger', () => {
  it('reads one to fifteen digits after white space, up to the end of the token', () => {
    expect(read('  42 0 R')).toEqual({ value: 42, pos: 4 });
    expect(read('007/Name')).toEqual({ value: 7, pos: 3 });
    expect(read('0')).toEqual({ value: 0, pos: 1 });
    expect(read('999999999999999\n')).toEqual({ value: 999_999_999_999_999, pos: 15 });
  });
  it('refuses what is not a non-negative integer token', () => {
    for (const text of ['', '  ', '-1', '+1', '1.5', '12a', 'obj', '1234567890123456'])
      expect(() => read(text), text).toThrow(expect.objectContaining({ code: 'ERR_PDF_MALFORMED' }));
  });
});
