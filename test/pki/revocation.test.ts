import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  checkCrl,
  checkOcspResponse,
  fetchCrl,
  fetchOcsp,
  parseCertificate,
  type Certificate,
} from '../../src/index.js';
import { pkiFile } from '../fixtures/pki.js';
import { startRevocationBed, type RevocationBed } from '../fixtures/revocation-pki.js';
import { describeWithTools } from '../fixtures/tools.js';

let bed: RevocationBed;
let issuer: Certificate;
const leaf = (name: keyof RevocationBed['leaves']) => parseCertificate(bed.leaves[name].certPem);

describeWithTools(['openssl'], 'OCSP and CRL against openssl ocsp and a CRL served on 127.0.0.1', () => {
  beforeAll(async () => {
    bed = await startRevocationBed();
    issuer = await parseCertificate(pkiFile('intermediate.cert.pem'));
  });
  afterAll(() => bed?.stop());

  it('OCSP: good, and revoked with its time, with a fresh nonce each time', async () => {
    expect((await fetchOcsp(await leaf('good'), issuer)).status).toBe('good');
    const early = await fetchOcsp(await leaf('revokedEarly'), issuer);
    expect(early.status).toBe('revoked');
    expect(early.revocationTime?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(early.responder).toBe('issuer');
  });
  it('OCSP: a response is refused for another certificate, as stale, and from an unauthorised responder', async () => {
    const good = await fetchOcsp(await leaf('good'), issuer);
    await expect(checkOcspResponse(good.der, { certificate: await leaf('revokedLate'), issuer })).rejects.toMatchObject(
      { code: 'ERR_REVOCATION_INVALID' },
    );
    await expect(
      checkOcspResponse(good.der, {
        certificate: await leaf('good'),
        issuer,
        time: new Date(Date.now() + 30 * 86_400_000),
      }),
    ).rejects.toMatchObject({ code: 'ERR_REVOCATION_INVALID' });
    await expect(
      checkOcspResponse(good.der, { certificate: await leaf('good'), issuer, nonce: new Uint8Array(16) }),
    ).rejects.toMatchObject({ code: 'ERR_REVOCATION_INVALID' });
    const rogue = await bed.rogueResponder();
    await expect(fetchOcsp(await leaf('good'), issuer, { url: rogue })).rejects.toMatchObject({
      code: 'ERR_REVOCATION_INVALID',
    });
  });
  it('OCSP responder down: a typed error in bounded time', async () => {
    const start = Date.now();
    await expect(
      fetchOcsp(await leaf('good'), issuer, { url: 'http://127.0.0.1:9/', timeoutMs: 1000, retries: 1 }),
    ).rejects.toMatchObject({ code: 'ERR_REVOCATION_UNAVAILABLE' });
    expect(Date.now() - start).toBeLessThan(10_000);
  });
  it('CRL: downloaded, signature checked, serials looked up; a CRL of another CA is refused', async () => {
    const crl = await fetchCrl(bed.crlUrl);
    expect((await checkCrl(crl, { certificate: await leaf('good'), issuer })).status).toBe('good');
    const r = await checkCrl(crl, { certificate: await leaf('crlOnly'), issuer });
    expect(r.status).toBe('revoked');
    expect(r.revocationTime?.toISOString()).toBe('2025-06-01T00:00:00.000Z');
    const root = await parseCertificate(pkiFile('root.cert.pem'));
    await expect(checkCrl(crl, { certificate: await leaf('good'), issuer: root })).rejects.toMatchObject({
      code: 'ERR_REVOCATION_INVALID',
    });
    await expect(
      checkCrl(crl, { certificate: await leaf('good'), issuer, time: new Date(Date.now() + 60 * 86_400_000) }),
    ).rejects.toMatchObject({ code: 'ERR_REVOCATION_INVALID' });
  });
});
