import { describe, expect, it } from 'vitest';
import { hexDigitsToBytes, latin1, toHex } from '../../src/core/bytes.js';

const decode = (text: string, pad = 3) => {
  // the digits sit inside other bytes, as a /Contents value inside a file
  const bytes = latin1(`${'<'.repeat(pad)}${text}${'>'.repeat(pad)}`);
  const out = hexDigitsToBytes(bytes.subarray(1), pad - 1, pad - 1 + text.length);
  return out && toHex(out);
};

describe('hexDigitsToBytes', () => {
  // short runs go by the loop, long ones (a signature's /Contents) by Node's decoder: both must agree
  for (const length of [8, 4096]) {
    const digits = Array.from({ length }, (_, i) => '0123456789abcdefABCDEF'[(i * 7) % 22]).join('');
    it(`decodes ${length} digits, either case, and refuses what is not only digits`, () => {
      expect(decode(digits)).toBe(digits.toLowerCase());
      expect(decode(digits.slice(1))).toBeUndefined(); // odd count
      for (const bad of [' ', '\n', 'g', 'G', '>', '\0']) {
        const at = length - 2;
        expect(decode(digits.slice(0, at) + bad + digits.slice(at + 1)), JSON.stringify(bad)).toBeUndefined();
        expect(decode(bad + digits.slice(1)), JSON.stringify(bad)).toBeUndefined();
      }
    });
  }
  it('an empty run is no bytes', () => expect(decode('')).toBe(''));
});
