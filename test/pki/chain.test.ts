import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { validateCertificatePath } from '../../src/pki/chain.js';
import { createTrustStore } from '../../src/pki/trust-store.js';
import { splitCertificates } from '../../src/pki/certificate.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';

const der = (f: string) => splitCertificates(readFileSync(pkiPath(f)))[0]!;
const chainOf = (f: string) => splitCertificates(readFileSync(pkiPath(f)));
const at = new Date('2026-11-24T00:00:00Z');

describe('validateCertificatePath', () => {
  it('finds leaf → intermediate → root with intermediates given separately', async () => {
    const trust = await createTrustStore([pkiFile('root.cert.pem')]);
    const r = await validateCertificatePath({
      certificate: der('rsa2048.cert.pem'),
      intermediates: [der('intermediate.cert.pem')],
      trust,
      time: at,
    });
    expect(r.status).toBe('valid');
    expect(r.chain.map((c) => c.subject.commonName)).toEqual([
      'Nguyễn Văn An',
      'kyso Test Issuing CA',
      'kyso Test Root CA',
    ]);
  });
  it('says no-chain without the intermediate, and with the wrong anchor', async () => {
    const trust = await createTrustStore([pkiFile('root.cert.pem')]);
    expect(
      (await validateCertificatePath({ certificate: der('rsa2048.cert.pem'), trust, time: at })).subIndication,
    ).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    const other = await createTrustStore([pkiFile('other-root.cert.pem')]);
    const r = await validateCertificatePath({
      certificate: der('rsa2048.cert.pem'),
      intermediates: chainOf('rsa2048.chain.pem'),
      trust: other,
      time: at,
    });
    expect(r.status).toBe('no-chain');
  });
  it('judges validity at the given time', async () => {
    const trust = await createTrustStore([pkiFile('root.cert.pem')]);
    const o = { certificate: der('expired.cert.pem'), intermediates: chainOf('expired.chain.pem'), trust };
    expect((await validateCertificatePath({ ...o, time: at })).subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
    expect((await validateCertificatePath({ ...o, time: new Date('2020-06-01T00:00:00Z') })).status).toBe('valid');
    expect((await validateCertificatePath({ ...o, time: new Date('2019-06-01T00:00:00Z') })).status).toBe(
      'not-yet-valid',
    );
  });
  it('refuses a leaf whose key usage does not allow signing', async () => {
    const trust = await createTrustStore([pkiFile('root.cert.pem')]);
    const r = await validateCertificatePath({
      certificate: der('nosign.cert.pem'),
      intermediates: chainOf('nosign.chain.pem'),
      trust,
      time: at,
    });
    expect(r.status).toBe('key-usage');
  });
  it('refuses a certificate whose signature was tampered with', async () => {
    const trust = await createTrustStore([pkiFile('root.cert.pem')]);
    const leaf = der('rsa2048.cert.pem').slice();
    leaf[leaf.length - 5] = leaf[leaf.length - 5]! ^ 0xff;
    const r = await validateCertificatePath({
      certificate: leaf,
      intermediates: chainOf('rsa2048.chain.pem'),
      trust,
      time: at,
    });
    expect(r.status).toBe('signature-invalid');
  });
});
