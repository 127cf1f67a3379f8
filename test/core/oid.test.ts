import { describe, expect, it } from 'vitest';
import { derOid, readOid, readTlv } from '../../src/core/der.js';

const read = (der: Uint8Array) => readOid(der, readTlv(der, 0));

describe('readOid', () => {
  // read as numbers up to 52-bit arcs, as BigInt past them: both must spell the arcs exactly
  const oids = [
    '1.2.840.113549.1.1.11',
    '0.39',
    '1.0',
    '2.5.4.3',
    '2.999.1',
    `2.${2 ** 45 - 81}`, // the first arc holds 2 * 40 + this
    `1.2.${2 ** 45 - 1}.${2 ** 45}`,
    `1.2.${2 ** 52 - 1}`,
    `1.2.${2 ** 52}.7`,
    `1.2.${2n ** 53n + 1n}`,
    `1.2.${2n ** 64n}.3`,
    '2.25.329800735698586629295641978511506172918',
    `2.${2n ** 60n}.1`,
  ];
  it.each(oids)('%s', (oid) => expect(read(derOid(oid))).toBe(oid));
  it('refuses a truncated arc and what is no OID', () => {
    const der = derOid(`1.2.${2 ** 50}`);
    const cut = Uint8Array.of(0x06, der.length - 3, ...der.subarray(2, der.length - 1));
    expect(() => read(cut)).toThrow(/truncated/);
    expect(() => read(Uint8Array.of(0x06, 0x00))).toThrow(/OBJECT IDENTIFIER/);
    expect(() => read(Uint8Array.of(0x04, 0x01, 0x2a))).toThrow(/OBJECT IDENTIFIER/);
  });
});
