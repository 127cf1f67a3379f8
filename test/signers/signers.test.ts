import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import {
  createCryptoKeySigner,
  createExternalSigner,
  createKeySigner,
  loadPkcs12Signer,
} from '../../src/signers/index.js';
import type { Signer } from '../../src/signers/signer.js';
import { p1363ToDer } from '../../src/crypto/ecdsa-signature.js';
import { certificateFacts } from '../../src/pki/certificate-facts.js';
import { splitCertificates } from '../../src/pki/certificate.js';
import { verifyWithCertificate } from '../../src/pki/public-key.js';
import { KysoError } from '../../src/core/errors.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { describeWithTools, run, scratchDir } from '../fixtures/tools.js';

const text = (f: string) => readFileSync(pkiPath(f), 'utf8');
const message = new TextEncoder().encode('Quyết định số 123/QĐ-UBND');

async function verifies(signer: Signer, data = message): Promise<boolean> {
  const alg = signer.algorithms[0]!;
  const raw = await signer.sign(data, alg);
  const stored = alg.scheme === 'ECDSA' ? p1363ToDer(raw) : raw;
  return (await verifyWithCertificate(certificateFacts(signer.certificate), alg, stored, data)).valid;
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await expect(p).rejects.toSatisfy((e: unknown) => e instanceof KysoError && e.code === code);
}

describe('loadPkcs12Signer', () => {
  for (const name of ['rsa2048', 'rsa4096', 'p256', 'p384']) {
    for (const variant of ['p12', 'legacy.p12', 'nochain.p12']) {
      it(`loads ${name}.${variant} and signs`, async () => {
        const signer = await loadPkcs12Signer(pkiFile(`${name}.${variant}`), { password: P12_PASSWORD });
        expect(signer.certificate).toEqual(pkiFile(`${name}.cert.der`));
        expect(signer.chain.length).toBe(variant === 'nochain.p12' ? 0 : 2);
        expect(await verifies(signer)).toBe(true);
      });
    }
  }
  it('orders the chain leaf → intermediate → root', async () => {
    const signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
    expect(signer.chain).toEqual([splitCertificates(text('intermediate.cert.pem'))[0], pkiFile('root.cert.der')]);
  });
  it('adds extra certificates to a chain-less file', async () => {
    const signer = await loadPkcs12Signer(pkiFile('rsa2048.nochain.p12'), {
      password: P12_PASSWORD,
      extraCertificates: [text('intermediate.cert.pem')],
    });
    expect(signer.chain.length).toBe(1);
  });
  it('refuses a wrong password', () =>
    rejects(loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: 'nope' }), 'ERR_WRONG_PASSWORD'));
  it('refuses a wrong password on a legacy file', () =>
    rejects(loadPkcs12Signer(pkiFile('p256.legacy.p12'), { password: '' }), 'ERR_WRONG_PASSWORD'));
  it('refuses garbage', () =>
    rejects(loadPkcs12Signer(new TextEncoder().encode('not a p12 file'), { password: 'x' }), 'ERR_KEY_DECODE'));
  it('refuses a truncated file', () =>
    rejects(loadPkcs12Signer(pkiFile('rsa2048.p12').subarray(0, 700), { password: P12_PASSWORD }), 'ERR_KEY_DECODE'));
});

describe('createKeySigner', () => {
  for (const [name, trad] of [
    ['rsa2048', 'pkcs1'],
    ['rsa4096', 'pkcs1'],
    ['p256', 'sec1'],
    ['p384', 'sec1'],
  ] as const) {
    it(`${name}: PKCS#8 PEM, PKCS#8 DER and ${trad} all sign`, async () => {
      for (const key of [text(`${name}.key.pem`), pkiFile(`${name}.key.der`), text(`${name}.${trad}.pem`)]) {
        const signer = await createKeySigner({ key, certificate: text(`${name}.chain.pem`) });
        expect(signer.chain.length).toBe(2);
        expect(await verifies(signer)).toBe(true);
      }
    });
  }
  it('offers PKCS#1 v1.5 and PSS for RSA, the natural digest first for EC', async () => {
    const rsa = await createKeySigner({ key: text('rsa2048.key.pem'), certificate: text('rsa2048.cert.pem') });
    expect(rsa.algorithms[0]).toEqual({ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    expect(rsa.algorithms.some((a) => a.scheme === 'RSA-PSS' && a.hash === 'SHA-512')).toBe(true);
    const ec = await createKeySigner({ key: text('p384.key.pem'), certificate: text('p384.cert.pem') });
    expect(ec.algorithms[0]).toEqual({ scheme: 'ECDSA', hash: 'SHA-384' });
    for (const alg of rsa.algorithms) {
      const raw = await rsa.sign(message, alg);
      expect((await verifyWithCertificate(certificateFacts(rsa.certificate), alg, raw, message)).valid).toBe(true);
    }
  });
  it('refuses a key that does not belong to the certificate', async () => {
    await rejects(
      createKeySigner({ key: text('rsa2048.key.pem'), certificate: text('rsa4096.cert.pem') }),
      'ERR_KEY_CERT_MISMATCH',
    );
    await rejects(
      createKeySigner({ key: text('rsa2048.key.pem'), certificate: text('p256.cert.pem') }),
      'ERR_KEY_CERT_MISMATCH',
    );
    await rejects(
      createKeySigner({ key: text('p256.key.pem'), certificate: text('p384.cert.pem') }),
      'ERR_KEY_CERT_MISMATCH',
    );
  });
  it('refuses RSA keys under 2048 bits', async () => {
    const dir = scratchDir();
    const r = run('openssl', [
      'genpkey',
      '-algorithm',
      'RSA',
      '-pkeyopt',
      'rsa_keygen_bits:1024',
      '-out',
      join(dir, 'weak.pem'),
    ]);
    expect(r.status).toBe(0);
    await rejects(
      createKeySigner({ key: readFileSync(join(dir, 'weak.pem')), certificate: text('rsa2048.cert.pem') }),
      'ERR_UNSUPPORTED_KEY',
    );
  });
  it('refuses an encrypted key with a hint, garbage keys and missing certificates', async () => {
    const dir = scratchDir();
    run('openssl', [
      'pkcs8',
      '-topk8',
      '-in',
      pkiPath('rsa2048.key.pem'),
      '-out',
      join(dir, 'enc.pem'),
      '-passout',
      'pass:x',
    ]);
    await rejects(
      createKeySigner({ key: readFileSync(join(dir, 'enc.pem')), certificate: text('rsa2048.cert.pem') }),
      'ERR_KEY_DECODE',
    );
    await rejects(
      createKeySigner({ key: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]), certificate: text('rsa2048.cert.pem') }),
      'ERR_KEY_DECODE',
    );
    await rejects(
      createKeySigner({
        key: text('rsa2048.key.pem'),
        certificate: '-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n',
      }),
      'ERR_NO_CERTIFICATE',
    );
    await rejects(
      createKeySigner({ key: text('rsa2048.key.pem'), certificate: new Uint8Array([1, 2, 3]) }),
      'ERR_KEY_DECODE',
    );
  });
});

describe('createCryptoKeySigner', () => {
  it('signs with a non-extractable ECDSA key', async () => {
    const key = await webcrypto.subtle.importKey(
      'pkcs8',
      pkiFile('p256.key.der'),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const signer = await createCryptoKeySigner({
      privateKey: key as unknown as CryptoKey,
      certificate: text('p256.chain.pem'),
    });
    expect(signer.algorithms.map((a) => a.hash)).toEqual(['SHA-256', 'SHA-384', 'SHA-512']);
    expect(await verifies(signer)).toBe(true);
  });
  it('offers only the digest an RSA key is bound to', async () => {
    const key = await webcrypto.subtle.importKey(
      'pkcs8',
      pkiFile('rsa2048.key.der'),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' },
      false,
      ['sign'],
    );
    const signer = await createCryptoKeySigner({
      privateKey: key as unknown as CryptoKey,
      certificate: text('rsa2048.cert.pem'),
    });
    expect(signer.algorithms).toEqual([{ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-384' }]);
    await rejects(signer.sign(message, { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }), 'ERR_UNSUPPORTED_ALGORITHM');
  });
  it('refuses a key of another certificate', async () => {
    const key = await webcrypto.subtle.importKey(
      'pkcs8',
      pkiFile('p256.key.der'),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const otherCert = text('p384.cert.pem');
    await rejects(
      createCryptoKeySigner({ privateKey: key as unknown as CryptoKey, certificate: otherCert }),
      'ERR_KEY_CERT_MISMATCH',
    );
  });
});

describe('createExternalSigner', () => {
  const localKey = (name: string, params: object) =>
    webcrypto.subtle.importKey('pkcs8', pkiFile(`${name}.key.der`), params as never, false, ['sign']);
  it('hands the host a digest and takes an RSA value', async () => {
    const key = await localKey('rsa2048', { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    const seen: Uint8Array[] = [];
    const signer = await createExternalSigner({
      certificate: text('rsa2048.cert.pem'),
      algorithms: [{ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }],
      signDigest: async (digest) => {
        seen.push(digest);
        // stand-in for a token: sign the message we know the digest of
        return new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', key, message));
      },
    });
    expect(await verifies(signer)).toBe(true);
    expect(seen[0]).toEqual(new Uint8Array(await webcrypto.subtle.digest('SHA-256', message)));
  });
  it('accepts DER ECDSA values and normalises them to r||s', async () => {
    const key = await localKey('p256', { name: 'ECDSA', namedCurve: 'P-256' });
    const signer = await createExternalSigner({
      certificate: text('p256.cert.pem'),
      signData: async (data, alg) =>
        p1363ToDer(new Uint8Array(await webcrypto.subtle.sign({ name: 'ECDSA', hash: alg.hash }, key, data))),
    });
    const raw = await signer.sign(message, signer.algorithms[0]!);
    expect(raw.length).toBe(64);
    expect(await verifies(signer)).toBe(true);
  });
  it('turns a failing host and a wrong-length value into ERR_SIGNER_FAILED', async () => {
    const failing = await createExternalSigner({
      certificate: text('rsa2048.cert.pem'),
      signDigest: async () => {
        throw new Error('token removed');
      },
    });
    await rejects(failing.sign(message, failing.algorithms[0]!), 'ERR_SIGNER_FAILED');
    const short = await createExternalSigner({
      certificate: text('rsa2048.cert.pem'),
      signDigest: async () => new Uint8Array(10),
    });
    await rejects(short.sign(message, short.algorithms[0]!), 'ERR_SIGNER_FAILED');
  });
  it('needs exactly one callback', async () => {
    await rejects(createExternalSigner({ certificate: text('rsa2048.cert.pem') }), 'ERR_INVALID_ARGUMENT');
  });
});

describeWithTools(['openssl'], 'signatures verify with openssl dgst', () => {
  for (const name of ['rsa2048', 'p256']) {
    it(name, async () => {
      const signer = await loadPkcs12Signer(pkiFile(`${name}.p12`), { password: P12_PASSWORD });
      const alg = signer.algorithms[0]!;
      const raw = await signer.sign(message, alg);
      const dir = scratchDir();
      writeFileSync(join(dir, 'msg'), message);
      writeFileSync(join(dir, 'sig'), alg.scheme === 'ECDSA' ? p1363ToDer(raw) : raw);
      run('openssl', ['x509', '-in', pkiPath(`${name}.cert.pem`), '-pubkey', '-noout', '-out', join(dir, 'pub.pem')]);
      const ok = run('openssl', [
        'dgst',
        '-sha256',
        '-verify',
        join(dir, 'pub.pem'),
        '-signature',
        join(dir, 'sig'),
        join(dir, 'msg'),
      ]);
      expect(ok.stdout).toContain('Verified OK');
      writeFileSync(join(dir, 'msg'), new TextEncoder().encode('tampered'));
      const bad = run('openssl', [
        'dgst',
        '-sha256',
        '-verify',
        join(dir, 'pub.pem'),
        '-signature',
        join(dir, 'sig'),
        join(dir, 'msg'),
      ]);
      expect(bad.status).not.toBe(0);
    });
  }
});
