/**
 * Issue 19, batch signing: what a signer gives every signature (its certificate's facts and hash, the CMS
 * certificate set, the constant signed attributes) is worked out once per batch, not once per document — work
 * counted, not timed — and the documents come out byte for byte as signPdf makes them one at a time.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { loadPkcs12Signer, signPdf, signPdfs, verifyPdf, type Signer } from '../../src/index.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';

const lookups = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/cms/signer-certificate.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/cms/signer-certificate.js')>();
  return {
    ...original,
    signerCertificate: (certificate: Uint8Array) => {
      lookups.count++;
      return original.signerCertificate(certificate);
    },
  };
});

let signer: Signer;
let pdf: Uint8Array;
const signingTime = new Date('2026-03-01T02:00:00Z');

beforeAll(async () => {
  signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  pdf = await doc.save({ useObjectStreams: false });
});

/** The signer-certificate lookups one batch of `n` copies of the document makes, and its outputs. */
async function batch(n: number): Promise<{ lookups: number; signed: Uint8Array[] }> {
  const before = lookups.count;
  const signed: Uint8Array[] = [];
  for await (const s of signPdfs(
    Array.from({ length: n }, () => pdf),
    { signer, signingTime, reason: 'Batch' },
  ))
    signed.push(s);
  return { lookups: lookups.count - before, signed };
}

describe('signPdfs works out the signer once per batch', () => {
  it('looks the signer certificate up as often for 12 documents as for 1', async () => {
    await batch(1); // the first batch also sizes the reservation for this certificate
    const one = await batch(1);
    const twelve = await batch(12);
    expect(one.lookups).toBeGreaterThan(0);
    expect(twelve.lookups).toBe(one.lookups);
    expect(twelve.signed).toHaveLength(12);
  });
  it('signs each document as signPdf does on its own, byte for byte, and each verifies', async () => {
    const { signed } = await batch(3);
    const alone = await signPdf(pdf, { signer, signingTime, reason: 'Batch' });
    for (const s of signed) expect(s).toEqual(alone);
    expect((await verifyPdf(signed[2]!, { trust: [pkiFile('root.cert.pem')] })).indication).toBe('TOTAL_PASSED');
  });
  it('a batch whose options are wrong fails with the first document, and an empty one asks nothing', async () => {
    const none = signPdfs([], { signer: undefined as unknown as Signer });
    expect((await none.next()).done).toBe(true);
    await expect(signPdfs([pdf], { signer, hash: 'SHA-1' }).next()).rejects.toMatchObject({
      code: 'ERR_UNSUPPORTED_ALGORITHM',
    });
  });
});
