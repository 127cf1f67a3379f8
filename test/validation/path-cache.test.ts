import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { loadPkcs12Signer, signPdf, verifyPdf } from '../../src/index.js';
import { splitCertificates } from '../../src/pki/certificate.js';
import { validateCertificatePath } from '../../src/pki/chain.js';
import { createTrustStore } from '../../src/pki/trust-store.js';
import { createValidationContext, validatePathInContext, PATH_CACHE_SIZE } from '../../src/validation/context.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';

// Path results are kept across verifications (validation/context.ts): each must be reused only for the very
// same inputs. Every test first fills the cache with a valid path, then changes one input.
const at = new Date('2026-11-24T00:00:00Z');
const root = pkiFile('root.cert.pem');
const otherRoot = pkiFile('other-root.cert.pem');
const der = (f: string) => splitCertificates(readFileSync(pkiPath(f)))[0]!;
let signed: Uint8Array;

beforeAll(async () => {
  const signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  signed = await signPdf(await doc.save({ useObjectStreams: false }), { signer });
});

describe('path results kept across verifications', () => {
  it('another trust store is not served the path found under the first', async () => {
    expect((await verifyPdf(signed, { trust: [root], time: at })).indication).toBe('TOTAL_PASSED');
    const other = await verifyPdf(signed, { trust: [otherRoot], time: at });
    expect(other.indication).toBe('INDETERMINATE');
    expect(other.signatures[0]!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect((await verifyPdf(signed, { trust: [root], time: at })).indication).toBe('TOTAL_PASSED');
  });
  it('another validation time is not served the path valid at the first', async () => {
    expect((await verifyPdf(signed, { trust: [root], time: at })).indication).toBe('TOTAL_PASSED');
    const later = await verifyPdf(signed, { trust: [root], time: new Date('2037-01-01T00:00:00Z') });
    expect(later.indication).toBe('INDETERMINATE');
    expect(later.signatures[0]!.chain?.status).toBe('expired');
  });
  it('another revocation mode is not served the path checked under the first', async () => {
    expect((await verifyPdf(signed, { trust: [root], time: at })).indication).toBe('TOTAL_PASSED');
    const required = await verifyPdf(signed, { trust: [root], time: at, revocationMode: 'require' });
    expect(required.indication).toBe('INDETERMINATE');
    expect(required.signatures[0]!.subIndication).toBe('TRY_LATER');
  });
  it('gives the verdict the path validation gives, shared and frozen on a repeat', async () => {
    const context = await createValidationContext({ trust: [root], time: at, revocationMode: 'off' });
    const request = {
      certificate: der('rsa2048.cert.pem'),
      intermediates: [der('intermediate.cert.pem')],
      time: at,
      revocation: 'always' as const,
    };
    const first = await validatePathInContext(context, request);
    const direct = await validateCertificatePath({
      certificate: request.certificate,
      intermediates: request.intermediates,
      trust: await createTrustStore([root]),
      time: at,
      revocationMode: 'off',
    });
    expect(first).toEqual(direct);
    expect(first.status).toBe('valid');
    expect(await validatePathInContext(context, { ...request, certificate: request.certificate.slice() })).toBe(first);
    expect(Object.isFrozen(first.chain)).toBe(true);
    // without the intermediate there is no path: a different request, not the kept one
    expect((await validatePathInContext(context, { ...request, intermediates: [] })).status).toBe('no-chain');
  });
  it('is bounded: past its size the oldest results are validated again', async () => {
    // revocation required: the result speaks of the very instant, which is then part of its key
    const context = await createValidationContext({ trust: [root], revocationMode: 'require' });
    const request = (time: Date) => ({
      certificate: der('rsa2048.cert.pem'),
      intermediates: [der('intermediate.cert.pem')],
      time,
      revocation: 'always' as const,
    });
    const first = await validatePathInContext(context, request(at));
    expect(first.status).toBe('revocation-unknown');
    for (let i = 1; i <= PATH_CACHE_SIZE; i++)
      await validatePathInContext(context, request(new Date(at.getTime() + i)));
    const again = await validatePathInContext(context, request(at));
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
