import { beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { KysoError, loadPkcs12Signer, signPdfs, verifyPdf, type Signer } from '../../src/index.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';

let signer: Signer;
const docs: Uint8Array[] = [];

beforeAll(async () => {
  signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  for (let pages = 1; pages <= 5; pages++) {
    const doc = await PDFDocument.create();
    for (let p = 0; p < pages; p++) doc.addPage([595, 842]);
    docs.push(await doc.save({ useObjectStreams: false }));
  }
});

const collect = async (it: AsyncIterable<Uint8Array>) => {
  const out: Uint8Array[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('signPdfs: many documents, several in flight', () => {
  it('signs each document, in input order, each verifying on its own', async () => {
    const signed = await collect(signPdfs(docs, { signer, concurrency: 3, reason: 'Batch' }));
    expect(signed).toHaveLength(docs.length);
    for (const [i, s] of signed.entries()) {
      expect(s.subarray(0, docs[i]!.length)).toEqual(docs[i]);
      const report = await verifyPdf(s, { trust: [pkiFile('root.cert.pem')] });
      expect(report.indication).toBe('TOTAL_PASSED');
    }
  });
  it('a tampered output fails on its own, the others stay valid', async () => {
    const signed = await collect(signPdfs(docs.slice(0, 2), { signer }));
    const tampered = signed[1]!.slice();
    tampered[100] = tampered[100]! ^ 0x01;
    expect((await verifyPdf(tampered, { trust: [pkiFile('root.cert.pem')] })).indication).toBe('TOTAL_FAILED');
    expect((await verifyPdf(signed[0]!, { trust: [pkiFile('root.cert.pem')] })).indication).toBe('TOTAL_PASSED');
  });
  it('reads an async source lazily and stops at the first failure with its error', async () => {
    let read = 0;
    async function* source() {
      for (const d of [docs[0]!, new Uint8Array([1, 2, 3]), docs[1]!, docs[2]!, docs[3]!]) {
        read++;
        yield d;
      }
    }
    const got: Uint8Array[] = [];
    const err = await (async () => {
      for await (const s of signPdfs(source(), { signer, concurrency: 2 })) got.push(s);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KysoError);
    expect((err as KysoError).code).toBe('ERR_PDF_MALFORMED');
    expect(got).toHaveLength(1);
    expect(read).toBeLessThan(5);
  });
  it('refuses a concurrency that is not a positive integer', async () => {
    await expect(collect(signPdfs(docs, { signer, concurrency: 0 }))).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
  });
});
