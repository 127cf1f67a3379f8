import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateAtMost as nodeInflate } from '../../src/pdf/inflate.js';
import { inflateAtMost as pakoInflate } from '../../src/pdf/inflate-pako.js';

// Node inflates with its zlib, browsers with pako (tsup.config.ts swaps the modules): both must give the same
// bytes and refuse the same streams with the same codes.
const data = new TextEncoder().encode('x'.repeat(200_000) + 'abc'.repeat(50_000));
const z = new Uint8Array(deflateSync(data));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const outcome = (inflate: typeof nodeInflate, input: Uint8Array, max: number) => {
  try {
    return { sha256: sha256(inflate(input, max)) };
  } catch (e) {
    return { code: (e as { code: string }).code, message: (e as Error).message.split(':')[0] };
  }
};
const cases: [string, Uint8Array, number][] = [
  ['a whole stream, bound at its size', z, data.length],
  ['a stream past its bound by one byte', z, data.length - 1],
  ['a stream far past its bound', z, 10],
  ['a bound of zero', z, 0],
  ['trailing bytes after the stream end', new Uint8Array([...z, ...new TextEncoder().encode('\nendstream')]), 1 << 20],
  ['a truncated stream', z.subarray(0, z.length - 20), 1 << 20],
  ['a stream without its checksum', z.subarray(0, z.length - 4), 1 << 20],
  ['a damaged stream', z.map((b, i) => (i === 2 ? b ^ 0xff : b)), 1 << 20],
  ['a wrong checksum', z.map((b, i) => (i === z.length - 1 ? b ^ 0xff : b)), 1 << 20],
  ['raw deflate without the zlib header', z.subarray(2), 1 << 20],
  ['no bytes at all', new Uint8Array(0), 1 << 20],
];

describe("Node's zlib and pako inflate alike", () => {
  for (const [what, input, max] of cases)
    it(what, () => {
      const node = outcome(nodeInflate, input, max);
      expect(node).toEqual(outcome(pakoInflate, input, max));
      if (max >= data.length && input === z) expect(node.sha256).toBe(sha256(data));
    });

  it('the bound and damage give their codes', () => {
    expect(outcome(nodeInflate, z, data.length).sha256).toBe(sha256(data));
    expect(outcome(nodeInflate, z, data.length - 1).code).toBe('ERR_PDF_LIMIT');
    expect(outcome(nodeInflate, z.subarray(0, 100), 1 << 20).code).toBe('ERR_PDF_MALFORMED');
  });

  it('gives a plain Uint8Array (slice copies, as the parsers expect)', () => {
    const out = nodeInflate(z, data.length);
    expect(Object.getPrototypeOf(out)).toBe(Uint8Array.prototype);
  });
});
