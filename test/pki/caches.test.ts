import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseCertificate, splitCertificates } from '../../src/pki/certificate.js';
import { validateCertificatePath } from '../../src/pki/chain.js';
import { createTrustStore } from '../../src/pki/trust-store.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';

const der = (f: string) => splitCertificates(readFileSync(pkiPath(f)))[0]!;
const at = new Date('2026-11-24T00:00:00Z');

describe('decoded certificates are kept (pki)', () => {
  it('decodes a certificate once: the same frozen result for the same bytes in another buffer', async () => {
    const a = await parseCertificate(der('rsa2048.cert.pem'));
    const b = await parseCertificate(der('rsa2048.cert.pem').slice());
    expect(b).toBe(a);
    expect(Object.isFrozen(a.subject)).toBe(true);
    expect(a.fingerprintSha256).toMatch(/^[0-9A-F]{64}$/);
  });
  it('keeps its own copy: a caller reusing its buffer changes neither the cached nor the next result', async () => {
    const buffer = der('rsa2048.cert.pem').slice();
    const first = await parseCertificate(buffer);
    // SEQUENCE, TBSCertificate SEQUENCE (long lengths), [0] version (5 bytes), serialNumber INTEGER: its 2nd byte
    expect([buffer[0], buffer[4], buffer[8], buffer[13]]).toEqual([0x30, 0x30, 0xa0, 0x02]);
    buffer[16] = buffer[16]! ^ 0xff;
    const second = await parseCertificate(buffer);
    expect(second.serialNumber).not.toBe(first.serialNumber);
    expect(second.fingerprintSha256).not.toBe(first.fingerprintSha256);
    expect((await parseCertificate(der('rsa2048.cert.pem'))).serialNumber).toBe(first.serialNumber);
  });
  it('a verified link is not reused for a tampered certificate under the same issuer', async () => {
    const trust = await createTrustStore([pkiFile('root.cert.pem')]);
    const intermediates = [der('intermediate.cert.pem')];
    const good = der('rsa2048.cert.pem');
    expect((await validateCertificatePath({ certificate: good, intermediates, trust, time: at })).status).toBe('valid');
    const tampered = good.slice();
    tampered[tampered.length - 10] = tampered[tampered.length - 10]! ^ 0x01; // inside the signature value
    const r = await validateCertificatePath({ certificate: tampered, intermediates, trust, time: at });
    expect(r.status).toBe('signature-invalid');
    expect((await validateCertificatePath({ certificate: good, intermediates, trust, time: at })).status).toBe('valid');
  });
});
