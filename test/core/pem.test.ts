import { afterEach, describe, expect, it, vi } from 'vitest';
import { isPem, latin1 } from '../../src/core/bytes.js';

/** isPem from a fresh copy of core/bytes.ts that finds no Node Buffer (as in a browser). */
async function isPemWithoutBuffer(): Promise<typeof isPem> {
  vi.stubGlobal('Buffer', undefined);
  vi.resetModules();
  return (await import('../../src/core/bytes.js')).isPem;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

const cases: [string, Uint8Array, boolean][] = [
  ['a PEM block', latin1('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'), true],
  ['PEM after explanatory text', latin1('Bag Attributes\n  friendlyName: x\n-----BEGIN CERTIFICATE-----\n'), true],
  ['DER', Uint8Array.of(0x30, 0x82, 0x01, 0x0a, 0x2d, 0x2d, 0x2d, 0x2d, 0x2d, 0x42), false],
  ['dashes that begin nothing', latin1('------BEGIN- -----BEGINX ----- BEGIN '), false],
  ['the marker cut at its end', latin1('-----BEGIN'), false],
  ['the marker past the first 4 KB', latin1(' '.repeat(4090) + '-----BEGIN CERTIFICATE-----'), false],
  ['the marker ending at 4 KB', latin1(' '.repeat(4085) + '-----BEGIN '), true],
  ['nothing', new Uint8Array(0), false],
];

describe('isPem', () => {
  it.each(cases)('%s, under Node', (_, bytes, expected) => expect(isPem(bytes)).toBe(expected));
  it.each(cases)('%s, without Node', async (_, bytes, expected) =>
    expect((await isPemWithoutBuffer())(bytes)).toBe(expected),
  );
  it('reads a view where it lies in its buffer', () => {
    const whole = latin1('-----BEGIN CERTIFICATE----- and DER after it');
    expect(isPem(whole.subarray(1))).toBe(false);
    expect(isPem(whole.subarray(0, 11))).toBe(true);
  });
});
