/**
 * The validation core seen from every format: the same signer check and algorithm policy for detached CMS,
 * PDF and XML; every SignerInfo of a detached signature verified; the same ValidationPolicy (requiredSigner,
 * minLevel, wholeDocument, maxAgeDays) applied to XML as to PDF.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { toArrayBuffer } from '../../src/core/bytes.js';
import { parseSignedData } from '../../src/cms/index.js';
import { signXml, verifyDetached, verifyXml, type Signer } from '../../src/index.js';
import { kyso } from '../cli/cli-helpers.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';
import { describeWithTools, opensslCmsVerify, run, scratchDir } from '../fixtures/tools.js';
import { fixture, testSigner } from '../xml/helpers.js';

const root = () => [pkiFile('root.cert.pem')];
let dir: string;
let data: string;

beforeAll(() => {
  dir = scratchDir('kyso-core-');
  data = join(dir, 'hop-dong.txt');
  writeFileSync(data, 'Hợp đồng số 12/2025 — bản cuối\n'.repeat(50));
});

/** `openssl cms -sign` of `data` (detached, DER) by the given test PKI leaves. */
function opensslSign(out: string, signers: string[], extra: string[] = []): Uint8Array {
  const args = [
    'cms',
    '-sign',
    '-binary',
    '-in',
    data,
    '-outform',
    'DER',
    '-out',
    out,
    '-certfile',
    pkiPath('intermediate.cert.pem'),
    ...extra,
  ];
  for (const s of signers) args.push('-signer', pkiPath(`${s}.cert.pem`), '-inkey', pkiPath(`${s}.key.pem`));
  const r = run('openssl', args);
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(out);
}

const opensslVerify = (p7s: string) => opensslCmsVerify(p7s, data).status;

describeWithTools(['openssl'], 'detached CMS: the same signer check and policy as PDFs', () => {
  it('a SHA-1 .p7s (openssl cms -sign -md sha1) is not TOTAL_PASSED: INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE unless the policy allows SHA-1', async () => {
    const p7s = opensslSign(join(dir, 'sha1.p7s'), ['rsa2048'], ['-md', 'sha1']);
    expect(opensslVerify(join(dir, 'sha1.p7s'))).toBe(0); // intact: only the policy speaks against it
    const strict = await verifyDetached(readFileSync(data), p7s, { trust: root() });
    expect(strict).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'CRYPTO_CONSTRAINTS_FAILURE',
      digest: true,
      signatureValue: true,
    });
    expect(strict.findings).toContainEqual(expect.objectContaining({ code: 'hash-weak', indication: 'INDETERMINATE' }));
    expect(
      (await verifyDetached(readFileSync(data), p7s, { trust: root(), policy: { allowSha1: true } })).indication,
    ).toBe('TOTAL_PASSED');
    expect(
      (await verifyDetached(readFileSync(data), p7s, { trust: root(), policy: { sha1: 'warn' } })).warnings,
    ).toContain('SHA-1 is used, which the validation policy does not accept');
    // tamper beside it: the data changed is a failure whatever the policy
    const changed = new TextEncoder().encode(readFileSync(data, 'utf8').replace('12/2025', '13/2025'));
    expect(await verifyDetached(changed, p7s, { trust: root(), policy: { allowSha1: true } })).toMatchObject({
      indication: 'TOTAL_FAILED',
      subIndication: 'HASH_FAILURE',
    });
    // the CLI: exit 2 (indeterminate), --allow-sha1 passes
    expect(kyso(['verify', data, '--p7s', join(dir, 'sha1.p7s'), '--trust', pkiPath('root.cert.pem')]).status).toBe(2);
    expect(
      kyso(['verify', data, '--p7s', join(dir, 'sha1.p7s'), '--trust', pkiPath('root.cert.pem'), '--allow-sha1'])
        .status,
    ).toBe(0);
  });

  it('two SignerInfos: both verified and reported; a corrupted second signature fails the file (as openssl cms -verify does)', async () => {
    const file = join(dir, 'two.p7s');
    const p7s = opensslSign(file, ['rsa2048', 'rsa4096']);
    expect(opensslVerify(file)).toBe(0);
    const ok = await verifyDetached(readFileSync(data), p7s, { trust: root() });
    expect(ok.indication, ok.errors.join('; ')).toBe('TOTAL_PASSED');
    expect(ok.signers.map((s) => [s.indication, s.signer?.subject.commonName])).toEqual([
      ['TOTAL_PASSED', 'Nguyễn Văn An'],
      ['TOTAL_PASSED', 'Ủy ban nhân dân tỉnh Thử Nghiệm'],
    ]);

    // flip the last octet of the second SignerInfo's signature value
    const second = parseSignedData(p7s).signerInfos[1]!.signature;
    const at = Buffer.from(p7s).indexOf(Buffer.from(second)) + second.length - 1;
    expect(at).toBeGreaterThan(0);
    const bad = p7s.slice();
    bad[at]! ^= 0x01;
    writeFileSync(join(dir, 'two-bad.p7s'), bad);
    expect(opensslVerify(join(dir, 'two-bad.p7s'))).not.toBe(0);
    const r = await verifyDetached(readFileSync(data), bad, { trust: root() });
    expect(r).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'SIG_CRYPTO_FAILURE' });
    expect(r.signers.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_FAILED']);
    expect(r.signers[1]!.findings).toContainEqual(expect.objectContaining({ code: 'signature-invalid' }));
    expect(r.errors[0]).toMatch(/^signer 2: the signature value does not verify/);
    const cli = kyso(['verify', data, '--p7s', join(dir, 'two-bad.p7s'), '--trust', pkiPath('root.cert.pem')]);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('Signer #2: TOTAL_FAILED (SIG_CRYPTO_FAILURE)');
    expect(cli.stdout).toContain('Signer #1: TOTAL_PASSED');
  });

  it('an algorithm that cannot be checked (MD5) is INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE, never TOTAL_FAILED', async () => {
    const p7s = opensslSign(join(dir, 'md5.p7s'), ['rsa2048'], ['-md', 'md5']);
    const r = await verifyDetached(readFileSync(data), p7s, { trust: root() });
    expect(r).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE' });
    expect(r.findings).toContainEqual(expect.objectContaining({ code: 'algorithm-unsupported' }));
  });

  it('requiredSigner over detached signatures: any of the signers', async () => {
    const p7s = readFileSync(join(dir, 'two.p7s'));
    expect(
      (
        await verifyDetached(readFileSync(data), p7s, {
          trust: root(),
          policy: { requiredSigner: { taxCode: '0101234567' } },
        })
      ).indication,
    ).toBe('TOTAL_PASSED');
    const other = await verifyDetached(readFileSync(data), p7s, {
      trust: root(),
      policy: { requiredSigner: { taxCode: '0309999999' } },
    });
    expect(other).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'SIG_CONSTRAINTS_FAILURE' });
    expect(other.findings.at(-1)).toMatchObject({ code: 'policy-not-met' });
  });
});

/** A signer over a fresh RSA-1024 key with a certificate from the test PKI's issuing CA (made by openssl). */
async function rsa1024Signer(): Promise<Signer> {
  const file = (ext: string) => join(dir, `rsa1024.${ext}`);
  writeFileSync(file('ext'), 'keyUsage=critical,digitalSignature,nonRepudiation\nbasicConstraints=CA:FALSE\n');
  for (const args of [
    ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', file('key.pem')],
    ['pkcs8', '-topk8', '-nocrypt', '-in', file('key.pem'), '-outform', 'DER', '-out', file('key.der')],
    ['req', '-new', '-key', file('key.pem'), '-subj', '/C=VN/O=Cong ty Hoa don/CN=Hoa don 2023', '-out', file('csr')],
    [
      'x509',
      '-req',
      '-in',
      file('csr'),
      '-CA',
      pkiPath('intermediate.cert.pem'),
      '-CAkey',
      pkiPath('intermediate.key.pem'),
      '-set_serial',
      '4242',
      '-days',
      '3650',
      '-extfile',
      file('ext'),
      '-outform',
      'DER',
      '-out',
      file('cert.der'),
    ],
  ]) {
    const r = run('openssl', args);
    expect(r.status, r.stderr).toBe(0);
  }
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const key = await crypto.subtle.importKey(
    'pkcs8',
    toArrayBuffer(new Uint8Array(readFileSync(file('key.der')))),
    algorithm,
    false,
    ['sign'],
  );
  return {
    certificate: new Uint8Array(readFileSync(file('cert.der'))),
    chain: [pkiFile('intermediate.cert.pem')],
    algorithms: [{ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }],
    sign: async (bytes) => new Uint8Array(await crypto.subtle.sign(algorithm, key, toArrayBuffer(bytes))),
  };
}

describeWithTools(['openssl'], 'XML: the same algorithm policy and document rules as PDF', () => {
  const time = new Date('2025-06-01T00:00:00Z');
  const signingTime = new Date('2025-05-20T03:00:00Z');
  const einvoice = async (signer: Signer) =>
    new TextDecoder().decode(
      await signXml(fixture('einvoice-tt78.xml'), { signer, profile: 'einvoice', signingTime, includeChain: true }),
    );
  const trust = root();

  it('an RSA-1024 XML signature fails the key-size policy (INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE); minRsaBits: 1024 accepts it', async () => {
    const xml = await einvoice(await rsa1024Signer());
    const strict = await verifyXml(xml, { trust, time: new Date() });
    const s = strict.signatures[0]!;
    expect(s.integrity).toBe(true);
    expect(strict).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE' });
    expect(s.findings).toContainEqual(
      expect.objectContaining({ code: 'key-weak', message: "an RSA key of 1024 bits is below the policy's 2048" }),
    );
    expect(s.signer?.publicKey).toEqual({ type: 'RSA', bits: 1024 });
    expect((await verifyXml(xml, { trust, time: new Date(), policy: { minRsaBits: 1024 } })).indication).toBe(
      'TOTAL_PASSED',
    );
    expect(
      (await verifyXml(xml, { trust, time: new Date(), policy: { weakKey: 'warn' } })).signatures[0]!.warnings,
    ).toContain("an RSA key of 1024 bits is below the policy's 2048");
  });

  it('an XML SignatureMethod kyso cannot check is INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE, never TOTAL_FAILED', async () => {
    const xml = (await einvoice(testSigner('rsa2048'))).replace(
      'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      'http://www.w3.org/2001/04/xmldsig-more#rsa-md5',
    );
    expect(xml).toContain('rsa-md5');
    const r = await verifyXml(xml, { trust, time });
    expect(r).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE' });
    expect(r.signatures[0]!.findings).toContainEqual(expect.objectContaining({ code: 'algorithm-unsupported' }));
  });

  it('requiredSigner is enforced for XML: organization, commonName, citizenId (CCCD)', async () => {
    const xml = await einvoice(testSigner('rsa2048'));
    const verify = (requiredSigner: object) => verifyXml(xml, { trust, time, policy: { requiredSigner } });
    expect(
      (
        await verify({
          organization: 'Ủy ban nhân dân tỉnh Thử Nghiệm',
          commonName: 'Nguyễn Văn An',
          citizenId: '001089012345',
        })
      ).indication,
    ).toBe('TOTAL_PASSED');
    for (const wrong of [
      { organization: 'Công ty Khác' },
      { commonName: 'Trần Thị Bình' },
      { citizenId: '079190000001' },
      { taxCode: '0101234567' },
    ]) {
      const r = await verify(wrong);
      expect(r, JSON.stringify(wrong)).toMatchObject({
        indication: 'TOTAL_FAILED',
        subIndication: 'SIG_CONSTRAINTS_FAILURE',
      });
      expect(r.findings).toContainEqual(expect.objectContaining({ code: 'policy-not-met' }));
    }
  });

  it('minLevel, maxAgeDays and wholeDocument are applied to XML', async () => {
    const xml = await einvoice(testSigner('rsa2048'));
    const verify = (policy: object) => verifyXml(xml, { trust, time, policy });
    expect((await verify({ minLevel: 'B-B', maxAgeDays: 30 })).indication).toBe('TOTAL_PASSED');
    expect((await verify({ minLevel: 'B-T' })).errors).toContain(
      'policy: signature /HDon[1]/DSCKS[1]/NBan[1]/Signature[1] is B-B, the policy requires B-T',
    );
    expect((await verify({ maxAgeDays: 5 })).indication).toBe('TOTAL_FAILED');
    // an e-invoice signature signs DLHDon, not the whole document
    expect((await verify({ wholeDocument: true })).errors).toContain(
      'policy: the last signature does not cover the whole document',
    );
    const whole = new TextDecoder().decode(
      await signXml(fixture('bhxh-d02-ts.xml'), {
        signer: testSigner('rsa2048'),
        profile: 'bhxh',
        signingTime,
        includeChain: true,
      }),
    );
    const w = await verifyXml(whole, { trust, time, policy: { wholeDocument: true } });
    expect(w.indication, w.signatures[0]!.errors.join('; ')).toBe('TOTAL_PASSED');
  });

  it("revocationMode 'require' reaches XML and detached signatures too: without revocation data INDETERMINATE / TRY_LATER", async () => {
    const xml = await einvoice(testSigner('rsa2048'));
    expect((await verifyXml(xml, { trust, time })).indication).toBe('TOTAL_PASSED');
    const r = await verifyXml(xml, { trust, time, revocationMode: 'require' });
    expect(r).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
    expect(r.signatures[0]!.findings).toContainEqual(expect.objectContaining({ code: 'revocation-required' }));
    const p7s = readFileSync(join(dir, 'two.p7s'));
    expect(await verifyDetached(readFileSync(data), p7s, { trust, revocationMode: 'require' })).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
    });
  });

  it('the CLI --policy file applies requiredSigner.organization to XML (it used to accept any signer)', async () => {
    const file = join(dir, 'invoice.xml');
    writeFileSync(file, await einvoice(testSigner('rsa2048')));
    const policy = join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({ trust: [pkiPath('root.cert.pem')], requiredSigner: { organization: 'Công ty Khác' } }),
    );
    const r = kyso(['verify', file, '--policy', policy, '--time', time.toISOString()]);
    expect(r.status, r.stdout).toBe(1);
    expect(r.stdout).toContain('policy: no signature by the required signer');
    writeFileSync(
      policy,
      JSON.stringify({
        trust: [pkiPath('root.cert.pem')],
        requiredSigner: { organization: 'Ủy ban nhân dân tỉnh Thử Nghiệm' },
      }),
    );
    expect(kyso(['verify', file, '--policy', policy, '--time', time.toISOString()]).status).toBe(0);
  });
});
