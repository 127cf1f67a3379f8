/**
 * Issue 19, item 4: a batch of verifyPdf calls does per document only what the document brings. The trust
 * anchors a caller passes with every call (freshly read) are decoded once per content, the signer's path is
 * validated once while the validation time stays inside every validity, and each document's own signature is
 * still checked — work counted, not timed. Whatever is kept, other anchors give another verdict.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyPdf } from '../../src/index.js';
import { pkiFile } from '../fixtures/pki.js';
import { signedOnePage } from '../fixtures/signed-pdf.js';

const { work, counting } = vi.hoisted(() => {
  const work = { paths: 0, stores: 0 };
  /** `f`, counting its calls in `work[what]`. */
  const counting =
    <A extends unknown[], R>(what: keyof typeof work, f: (...args: A) => R) =>
    (...args: A): R => {
      work[what]++;
      return f(...args);
    };
  return { work, counting };
});
vi.mock('../../src/pki/chain.js', async (original) => {
  const chain = await original<typeof import('../../src/pki/chain.js')>();
  return { ...chain, validateCertificatePath: counting('paths', chain.validateCertificatePath) };
});
vi.mock('../../src/pki/trust-store.js', async (original) => {
  const store = await original<typeof import('../../src/pki/trust-store.js')>();
  return { ...store, createTrustStore: counting('stores', store.createTrustStore) };
});

const rootPem = pkiFile('root.cert.pem');
const otherRootPem = pkiFile('other-root.cert.pem');
const start = new Date('2026-03-01T08:00:00Z');
let signed: Uint8Array;

beforeAll(async () => {
  signed = await signedOnePage();
});

afterEach(() => vi.restoreAllMocks());

/** The work `run` does: paths validated, trust stores made, signatures checked, keys imported. */
async function counted<T>(
  run: () => Promise<T>,
): Promise<{ result: T; paths: number; stores: number; verified: number; imported: number }> {
  const subtle = globalThis.crypto.subtle;
  const verifySpy = vi.spyOn(subtle, 'verify');
  const importSpy = vi.spyOn(subtle, 'importKey');
  const before = { ...work };
  const result = await run();
  const counts = {
    result,
    paths: work.paths - before.paths,
    stores: work.stores - before.stores,
    verified: verifySpy.mock.calls.length,
    imported: importSpy.mock.calls.length,
  };
  vi.restoreAllMocks();
  return counts;
}

describe('verifyPdf over a batch', () => {
  it('decodes the anchors once per content and validates the path once, yet checks every signature', async () => {
    const DOCS = 40;
    const first = await verifyPdf(signed, { trust: [Buffer.from(rootPem)], time: start });
    expect(first.indication).toBe('TOTAL_PASSED');
    const batch = await counted(async () => {
      const reports = [];
      // as a caller reading its root for every file, "now" moving on a minute per document
      for (let i = 1; i <= DOCS; i++)
        reports.push(
          await verifyPdf(signed, { trust: [Buffer.from(rootPem)], time: new Date(start.getTime() + i * 60_000) }),
        );
      return reports;
    });
    expect(batch.result.map((r) => r.indication)).toEqual(Array(DOCS).fill('TOTAL_PASSED'));
    expect(batch.stores).toBe(0);
    expect(batch.paths).toBe(0);
    expect(batch.verified).toBe(DOCS); // each document's own signature value, every time
    expect(batch.imported).toBe(0);
    // the report still says when each was validated
    expect(batch.result[DOCS - 1]!.validationTime).toBe(new Date(start.getTime() + DOCS * 60_000).toISOString());
  });

  it("anchors are known by their bytes, not their buffer: one refilled with another root gives that root's verdict", async () => {
    const buffer = Buffer.alloc(Math.max(rootPem.length, otherRootPem.length) + 16, '\n');
    const fill = (pem: Uint8Array) => {
      buffer.fill('\n');
      buffer.set(pem);
    };
    fill(rootPem);
    expect((await verifyPdf(signed, { trust: [buffer], time: start })).indication).toBe('TOTAL_PASSED');
    fill(otherRootPem);
    const other = await counted(() => verifyPdf(signed, { trust: [buffer], time: start }));
    expect(other.result.indication).toBe('INDETERMINATE');
    expect(other.result.signatures[0]!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(other.stores).toBe(1);
    expect(other.paths).toBe(1);
    fill(rootPem);
    expect((await verifyPdf(signed, { trust: [buffer], time: start })).indication).toBe('TOTAL_PASSED');
    // both roots together, or only the other one, each as its own store
    expect((await verifyPdf(signed, { trust: [otherRootPem, rootPem], time: start })).indication).toBe('TOTAL_PASSED');
    expect((await verifyPdf(signed, { trust: [otherRootPem], time: start })).indication).toBe('INDETERMINATE');
  });

  it('the same bytes cut otherwise are other inputs: two DER anchors are not their concatenation', async () => {
    const der = (pem: Uint8Array) =>
      Buffer.from(
        Buffer.from(pem)
          .toString('latin1')
          .replace(/-----[A-Z ]+-----|\s/g, ''),
        'base64',
      );
    const [other, ours] = [der(otherRootPem), der(rootPem)];
    expect((await verifyPdf(signed, { trust: [other, ours], time: start })).indication).toBe('TOTAL_PASSED');
    // one input of both: one DER certificate (the first) with bytes after it, never the second root
    const joined = await verifyPdf(signed, { trust: [Buffer.concat([other, ours])], time: start }).catch(
      (e: Error) => e,
    );
    expect(joined instanceof Error ? 'refused' : joined.indication).not.toBe('TOTAL_PASSED');
  });
});
