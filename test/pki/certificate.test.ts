import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../src/pki/certificate.js';
import { KysoError } from '../../src/core/errors.js';
import { pkiFile } from '../fixtures/pki.js';
import { run } from '../fixtures/tools.js';
import { pkiPath } from '../fixtures/pki.js';

describe('parseCertificate', () => {
  it('reads a Vietnamese subject exactly, with its UID identifiers', async () => {
    const c = await parseCertificate(pkiFile('rsa2048.cert.pem'));
    expect(c.subject.commonName).toBe('Nguyễn Văn An');
    expect(c.subject.organization).toBe('Ủy ban nhân dân tỉnh Thử Nghiệm');
    expect(c.subject.uids).toEqual(['CCCD:001089012345']);
    expect(c.subject.citizenId).toBe('001089012345');
    expect(c.subject.email).toBe('an.nv@thunghiem.gov.vn');
    expect(c.subject.display).toBe(
      'E=an.nv@thunghiem.gov.vn,UID=CCCD:001089012345,CN=Nguyễn Văn An,O=Ủy ban nhân dân tỉnh Thử Nghiệm,ST=Hà Nội,C=VN',
    );
    expect(c.issuer.commonName).toBe('kyso Test Issuing CA');
    expect(c.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(c.basicConstraints).toEqual({ ca: false });
    expect(c.publicKey).toEqual({ type: 'RSA', bits: 2048 });
    expect(c.notBefore.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(c.notAfter.toISOString()).toBe('2036-01-01T00:00:00.000Z');
    expect(c.selfIssued).toBe(false);
  });
  it('reads a tax code, EC keys and CA facts, and agrees with openssl on the fingerprint and serial', async () => {
    const org = await parseCertificate(pkiFile('rsa4096.cert.der'));
    expect(org.subject.taxCode).toBe('0101234567');
    const ec = await parseCertificate(pkiFile('p384.cert.pem'));
    expect(ec.publicKey).toEqual({ type: 'EC', curve: 'P-384' });
    const root = await parseCertificate(pkiFile('root.cert.pem'));
    expect(root.selfIssued).toBe(true);
    expect(root.basicConstraints?.ca).toBe(true);
    expect(root.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
    const out = run('openssl', [
      'x509',
      '-in',
      pkiPath('p384.cert.pem'),
      '-noout',
      '-fingerprint',
      '-sha256',
      '-serial',
    ]).stdout;
    expect(out).toContain(ec.fingerprintSha256.replace(/(..)(?!$)/g, '$1:'));
    expect(out.toLowerCase()).toContain(`serial=${ec.serialNumber}`);
  });
  it('refuses what is not a certificate', async () => {
    for (const bad of [
      new Uint8Array([0x30, 0x80]),
      new TextEncoder().encode('hello'),
      pkiFile('root.cert.der').subarray(0, 100),
    ]) {
      await expect(parseCertificate(bad)).rejects.toBeInstanceOf(KysoError);
    }
  });
});
