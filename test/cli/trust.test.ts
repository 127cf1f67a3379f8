import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { P12_PASSWORD, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';
import { kyso, kysoAsync } from './cli-helpers.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { miniCert } from '../pki/mini-pki.js';
import { createCryptoKeySigner, signPdf } from '../../src/index.js';
import bundle from '../../assets/trust/vn/bundle.json';
import { loadVerifyPolicy } from '../../src/cli/verify-policy.js';

let dir: string;
let folder: string;
let noUserTrust: Record<string, string>;

beforeAll(() => {
  dir = scratchDir('kyso-cli-trust-');
  folder = join(dir, 'trust');
  mkdirSync(join(folder, 'anchors'), { recursive: true });
  mkdirSync(join(folder, 'intermediates'), { recursive: true });
  copyFileSync(pkiPath('root.cert.pem'), join(folder, 'anchors', 'root.pem'));
  copyFileSync(pkiPath('intermediate.cert.pem'), join(folder, 'intermediates', 'issuing-ca.pem'));
  mkdirSync(join(dir, 'empty'));
  noUserTrust = { KYSO_TRUST_DIR: join(dir, 'empty') };
});

describe('kyso trust list', () => {
  it('lists every certificate of the vn bundle with role, validity, fingerprint, purpose and source (--json)', () => {
    const r = kyso(['trust', 'list', 'vn', '--json'], noUserTrust);
    expect(r.status, r.stderr).toBe(0);
    const listed = JSON.parse(r.stdout) as {
      name: string;
      role: string;
      sha256: string;
      notBefore: string;
      notAfter: string;
      purpose: string;
      source: { publisher: string };
    }[];
    expect(listed).toHaveLength(32);
    expect(
      listed
        .filter((c) => c.role === 'anchor')
        .map((c) => c.name)
        .sort(),
    ).toEqual([
      'Co quan chung thuc so chuyen dung Chinh phu (RootCA)',
      'MIC National Root CA',
      'RootCA chuyên dùng Chính phủ G2',
      'Vietnam National Root CA',
      'Vietnam National Root CA G3',
    ]);
    for (const c of listed) {
      expect(c.sha256).toMatch(/^[0-9A-F]{64}$/);
      expect(c.purpose.length).toBeGreaterThan(10);
      expect(c.source.publisher).toMatch(/rootca\.gov\.vn|ca\.gov\.vn/);
      expect(Date.parse(c.notBefore)).toBeLessThan(Date.parse(c.notAfter));
    }
  });

  it('lists a subset as text, and a trust folder with the role each file has there', () => {
    const pub = kyso(['trust', 'list', 'vn-public'], noUserTrust);
    expect(pub.status).toBe(0);
    expect(pub.stdout).toContain('MIC National Root CA');
    expect(pub.stdout).toContain('CA918D635BB130BEC97639E6AABF7EDBC4EB1310F8058B9419F467AE0230AD8C');
    expect(pub.stdout).not.toContain('Chính phủ');
    const f = kyso(['trust', 'list', folder, '--json'], noUserTrust);
    expect(JSON.parse(f.stdout).map((c: { name: string; role: string }) => `${c.role} ${c.name}`)).toEqual([
      'anchor kyso Test Root CA',
      'intermediate kyso Test Issuing CA',
    ]);
    expect(kyso(['trust', 'list', join(dir, 'nope')], noUserTrust).status).toBe(3);
  });
});

describe('kyso trust show', () => {
  it('names the bundled root a CA certificate chains to', () => {
    const cp = bundle.certificates.find((c) => c.id === 'vgca-cp-g1')!;
    const file = join(dir, 'cp.cer');
    writeFileSync(file, Buffer.from(cp.der, 'base64'));
    const r = kyso(['trust', 'show', file], noUserTrust);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('chains to the bundled root "Co quan chung thuc so chuyen dung Chinh phu (RootCA)"');
    expect(r.stdout).toMatch(
      /note: "Co quan chung thuc so Chinh phu" has a SHA-1 signature, accepted because it was made on 2010-03-25/,
    );
    expect(kyso(['trust', 'show', file, '--trust', 'vn-public'], noUserTrust).status).toBe(2);
  });

  it('a test-PKI signer: chains through a trust folder; without the intermediate, names the missing issuer', () => {
    const ok = kyso(['trust', 'show', pkiPath('rsa2048.cert.pem'), '--trust', folder], noUserTrust);
    expect(ok.status, ok.stdout).toBe(0);
    expect(ok.stdout).toContain('intermediate  kyso Test Issuing CA');
    expect(
      kyso(
        [
          'trust',
          'show',
          pkiPath('rsa2048.cert.pem'),
          '--trust',
          pkiPath('root.cert.pem'),
          '--intermediate',
          pkiPath('intermediate.cert.pem'),
        ],
        noUserTrust,
      ).status,
    ).toBe(0);
    const missing = kyso(
      ['trust', 'show', pkiPath('rsa2048.cert.pem'), '--trust', pkiPath('root.cert.pem')],
      noUserTrust,
    );
    expect(missing.status).toBe(2);
    expect(missing.stdout).toMatch(
      /the intermediate certificate "CN=kyso Test Issuing CA,O=kyso test,C=VN" \(key identifier [0-9a-f]{40}\) that issued ".*Nguyễn Văn An.*" is missing: supply it with --intermediate FILE/,
    );
  });
});

describe('kyso verify with the user trust folder and the vn subsets', () => {
  it('a signature carrying only its signer certificate passes once the intermediate is in the trust folder', () => {
    writeFileSync(
      join(dir, 'in.pdf'),
      readFileSync(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url)),
    );
    const signed = join(dir, 'signed.pdf');
    const s = kyso(
      ['sign', join(dir, 'in.pdf'), '-o', signed, '--p12', pkiPath('rsa2048.nochain.p12'), '--password-env', 'PW'],
      { PW: P12_PASSWORD },
    );
    expect(s.status, s.stderr).toBe(0);
    const alone = kyso(['verify', signed, '--trust', pkiPath('root.cert.pem')], noUserTrust);
    expect(alone.status).toBe(2);
    expect(alone.stdout).toMatch(
      /"CN=kyso Test Issuing CA,O=kyso test,C=VN" \(key identifier [0-9a-f]{40}\) that issued .* is missing: supply it with --intermediate FILE/,
    );
    const user = join(dir, 'user-trust');
    mkdirSync(join(user, 'intermediates'), { recursive: true });
    copyFileSync(pkiPath('intermediate.cert.pem'), join(user, 'intermediates', 'ca.pem'));
    expect(kyso(['verify', signed, '--trust', pkiPath('root.cert.pem')], { KYSO_TRUST_DIR: user }).status).toBe(0);
    expect(
      kyso(
        ['verify', signed, '--trust', pkiPath('root.cert.pem'), '--intermediate', pkiPath('intermediate.cert.pem')],
        noUserTrust,
      ).status,
    ).toBe(0);
    // the intermediate is never an anchor
    expect(kyso(['verify', signed, '--trust', 'vn-gov'], { KYSO_TRUST_DIR: user }).status).toBe(2);
  });
});

describe('kyso verify --online fetches a missing intermediate from the caIssuers URL', () => {
  it('offline: indeterminate, naming the issuer and --online; online: the path is found', async () => {
    const root = await miniCert({ cn: 'CLI AIA Root' });
    const ca = await miniCert({ cn: 'CLI AIA Issuing CA', issuer: root });
    const server = createServer((req, res) =>
      req.url === '/ca.cer' ? res.end(ca.der) : ((res.statusCode = 404), res.end()),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ca.cer`;
      const leaf = await miniCert({
        cn: 'Người bán hàng',
        issuer: ca,
        ca: false,
        caIssuers: url,
        notBefore: '2024-01-01T00:00:00Z',
      });
      const pdf = readFileSync(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
      const signed = await signPdf(pdf, {
        signer: await createCryptoKeySigner({ privateKey: leaf.keys.privateKey, certificate: leaf.der }),
      });
      const file = join(dir, 'invoice.pdf');
      writeFileSync(file, signed);
      writeFileSync(join(dir, 'aia-root.pem'), root.cert.toString('pem'));
      const offline = await kysoAsync(['verify', file, '--trust', join(dir, 'aia-root.pem'), '--json'], noUserTrust);
      const off = JSON.parse(offline.stdout)[0].report.signatures[0];
      expect(off.chain.status).toBe('no-chain');
      expect(off.chain.missingIssuer).toMatchObject({ name: 'C=VN,CN=CLI AIA Issuing CA', caIssuerUrls: [url] });
      expect(off.errors.join(' ')).toContain(`let kyso fetch it from ${url} with --online`);
      const online = await kysoAsync(
        ['verify', file, '--trust', join(dir, 'aia-root.pem'), '--online', '--json'],
        noUserTrust,
      );
      const on = JSON.parse(online.stdout)[0].report.signatures[0];
      expect(on.chain.status, JSON.stringify(on.chain)).toBe('valid');
      expect(on.chain.chain.map((c: { subject: { commonName: string } }) => c.subject.commonName)).toEqual([
        'Người bán hàng',
        'CLI AIA Issuing CA',
        'CLI AIA Root',
      ]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  }, 60_000);
});

describe('a verify policy file', () => {
  it('names the vn subsets as they are and other trust entries relative to the file', async () => {
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ trust: ['vn-gov', 'vn-public', 'roots'] }));
    expect((await loadVerifyPolicy(file)).trust).toEqual(['vn-gov', 'vn-public', join(dir, 'roots')]);
  });
});
