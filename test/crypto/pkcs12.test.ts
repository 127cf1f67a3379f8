import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePkcs12 } from '../../src/crypto/pkcs12.js';
import { decodeLegacyPkcs12 } from '../../src/crypto/pkcs12-forge.js';
import { KysoError } from '../../src/core/errors.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { describeWithTools, run, scratchDir } from '../fixtures/tools.js';

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => e instanceof KysoError && e.code === code);
}

describe('decodePkcs12 (WebCrypto PBES2 reader)', () => {
  // Differential: the WebCrypto reader and node-forge give the same key, certificates and name for every
  // OpenSSL 3 default file of the test PKI.
  for (const name of ['rsa2048', 'rsa4096', 'p256', 'p384']) {
    it(`reads ${name}.p12 as node-forge does`, async () => {
      const ours = await decodePkcs12(pkiFile(`${name}.p12`), P12_PASSWORD);
      const forge = await decodeLegacyPkcs12(pkiFile(`${name}.p12`), P12_PASSWORD);
      expect(ours.privateKeyPkcs8).toEqual(forge.privateKeyPkcs8);
      expect(ours.certificates).toEqual(forge.certificates);
      expect(ours.certificates).toHaveLength(3);
      expect(ours.friendlyName).toBe(name);
    });
  }

  it('hands a legacy (3DES/RC2) file to node-forge and gets the same contents', async () => {
    const legacy = await decodePkcs12(pkiFile('rsa2048.legacy.p12'), P12_PASSWORD);
    const modern = await decodePkcs12(pkiFile('rsa2048.p12'), P12_PASSWORD);
    expect(legacy.certificates).toEqual(modern.certificates);
    expect(legacy.privateKeyPkcs8.length).toBeGreaterThan(1000);
  });

  it('refuses a wrong password (MAC), a truncated file, garbage, and a MAC-stripped file with a wrong password', async () => {
    await rejects(decodePkcs12(pkiFile('rsa2048.p12'), 'nope'), 'ERR_WRONG_PASSWORD');
    await rejects(decodePkcs12(pkiFile('rsa2048.p12').subarray(0, 700), P12_PASSWORD), 'ERR_KEY_DECODE');
    await rejects(decodePkcs12(new TextEncoder().encode('not a p12 file'), P12_PASSWORD), 'ERR_KEY_DECODE');
  });

  it('detects a changed byte inside the authenticated contents', async () => {
    const bytes = pkiFile('p256.p12').slice();
    bytes[200] = bytes[200]! ^ 0x01;
    await expect(decodePkcs12(bytes, P12_PASSWORD)).rejects.toBeInstanceOf(KysoError);
  });
});

describeWithTools(['openssl'], 'decodePkcs12 on OpenSSL variants', () => {
  const dir = scratchDir('kyso-p12-');
  const make = (out: string, password: string, extra: string[]) => {
    const r = run('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      pkiPath('p256.key.pem'),
      '-in',
      pkiPath('p256.chain.pem'),
      '-out',
      join(dir, out),
      '-passout',
      `pass:${password}`,
      '-name',
      'Nguyễn Văn A',
      ...extra,
    ]);
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(join(dir, out));
  };

  it('AES-128 with a SHA-512 MAC and PRF, a Vietnamese password', async () => {
    const password = 'mật khẩu ký số';
    const p12 = make('aes128.p12', password, [
      '-keypbe',
      'AES-128-CBC',
      '-certpbe',
      'AES-128-CBC',
      '-macalg',
      'sha512',
    ]);
    const got = await decodePkcs12(p12, password);
    expect(got.certificates).toHaveLength(3);
    expect(got.friendlyName).toBe('Nguyễn Văn A');
    await rejects(decodePkcs12(p12, 'mat khau ky so'), 'ERR_WRONG_PASSWORD');
  });

  it('unencrypted certificates, no MAC: a wrong password still fails on the key, never a garbage key', async () => {
    const p12 = make('nomac.p12', P12_PASSWORD, ['-certpbe', 'NONE', '-nomac']);
    const got = await decodePkcs12(p12, P12_PASSWORD);
    expect(got.certificates).toHaveLength(3);
    expect(got.privateKeyPkcs8).toEqual((await decodePkcs12(pkiFile('p256.p12'), P12_PASSWORD)).privateKeyPkcs8);
    await rejects(decodePkcs12(p12, 'wrong'), 'ERR_WRONG_PASSWORD');
  });
});
