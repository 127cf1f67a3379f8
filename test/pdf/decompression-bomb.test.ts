import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latin1 } from '../../src/core/bytes.js';
import { loadPkcs12Signer, signPdf, verifyPdf } from '../../src/index.js';
import { decodeStream } from '../../src/pdf/filters.js';
import { PdfDict, PdfStream, name } from '../../src/pdf/objects.js';
import { PEAK_RSS_ENV, kyso, peakRssMb } from '../cli/cli-helpers.js';
import { doubleFlateBomb, withDssBomb, withObjectStreamBomb, withXrefStreamBomb } from '../fuzz/bombs.js';
import { formDocument } from '../fixtures/pdf-updates.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';

let signed: Uint8Array;
let bomb: Uint8Array;
const dir = mkdtempSync(join(tmpdir(), 'kyso-bomb-'));

beforeAll(async () => {
  const signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  signed = await signPdf(await formDocument(), { signer });
  bomb = await doubleFlateBomb(1024);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flate = (data: Uint8Array, filters: number) => {
  let d = data;
  for (let i = 0; i < filters; i++) d = new Uint8Array(deflateSync(d));
  return new PdfStream(
    new PdfDict().set(
      'Filter',
      Array.from({ length: filters }, () => name('FlateDecode')),
    ),
    d,
  );
};

describe('one bounded decoder', () => {
  it('inflates up to the cap the caller derives from the structure, and refuses past it with ERR_PDF_LIMIT', () => {
    const data = latin1('x'.repeat(100_000));
    expect(decodeStream(flate(data, 2), { maxBytes: 100_000 })).toEqual(data);
    expect(() => decodeStream(flate(data, 2), { maxBytes: 99_999 })).toThrow(
      expect.objectContaining({ code: 'ERR_PDF_LIMIT' }),
    );
    expect(() => decodeStream(flate(data, 1), { maxBytes: 10 })).toThrow(/inflates past 10 bytes/);
  });
  it('a damaged stream stays ERR_PDF_MALFORMED', () => {
    const s = flate(latin1('hello'), 1);
    const broken = new PdfStream(
      s.dict,
      s.data.map((b, i) => (i === 2 ? b ^ 0xff : b)),
    );
    expect(() => decodeStream(broken)).toThrow(expect.objectContaining({ code: 'ERR_PDF_MALFORMED' }));
  });
  it(`the bomb inflates to a gigabyte from a few kilobytes`, () => {
    expect(bomb.length).toBeLessThan(4096);
  });
});

describe('decompression bombs in a signed PDF are refused in bounded time and memory', () => {
  const cases: [string, () => Uint8Array][] = [
    ['an appended cross-reference stream', () => withXrefStreamBomb(signed, bomb)],
    ['an object stream holding the catalog', () => withObjectStreamBomb(signed, bomb)],
  ];
  for (const [what, make] of cases) {
    it(`${what}: verifyPdf under 2 s, never TOTAL_PASSED`, async () => {
      const pdf = make();
      const start = performance.now();
      let outcome: string;
      try {
        outcome = (await verifyPdf(pdf, { trust: [pkiFile('root.cert.pem')] })).indication;
      } catch (e) {
        outcome = (e as { code: string }).code;
      }
      expect(performance.now() - start).toBeLessThan(2000);
      expect(outcome).not.toBe('TOTAL_PASSED');
    });
    it(`${what}: kyso verify and inspect peak under 200 MB`, () => {
      const file = join(dir, `${what.length}.pdf`);
      writeFileSync(file, make());
      for (const args of [
        ['verify', file, '--trust', pkiPath('root.cert.pem')],
        ['inspect', file],
      ]) {
        const r = kyso(args, PEAK_RSS_ENV);
        expect(r.status, r.stdout + r.stderr).not.toBe(0);
        expect(`${r.stdout}${r.stderr}`).not.toMatch(/RangeError|TypeError|Maximum call stack/);
        expect(peakRssMb(r.stderr)).toBeLessThan(200);
      }
    });
  }
});

describe('a decompression bomb in validation data (DSS)', () => {
  it('is left unread: the signature is verified as before, kyso verify peaks under 200 MB', () => {
    const file = join(dir, 'dss.pdf');
    writeFileSync(file, withDssBomb(signed, bomb));
    const r = kyso(['verify', file, '--trust', pkiPath('root.cert.pem'), '--json'], PEAK_RSS_ENV);
    expect(r.status, r.stderr).not.toBe(3);
    expect(r.stdout).not.toMatch(/RangeError|TypeError|Maximum call stack/);
    expect(JSON.parse(r.stdout)[0].report.signatures[0].integrity.signatureValue).toBe(true);
    expect(peakRssMb(r.stderr)).toBeLessThan(200);
  });
});
