import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPkcs11Signer, signPdf, verifyPdf, signDetached, verifyDetached, listTokens } from '../../src/index.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';
import { SOFTHSM_MODULE, TOKEN_PIN, makeSoftHsmToken } from '../fixtures/softhsm.js';
import { describeWithTools, pdfsig, run, scratchDir } from '../fixtures/tools.js';
import { kyso } from '../cli/cli-helpers.js';

const samplePath = fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
const xmlPath = fileURLToPath(new URL('../../examples/xml/tax-01gtgt.xml', import.meta.url));
const dir = scratchDir('kyso-p11-');

describeWithTools(['softhsm2-util', 'pkcs11-tool', 'pdfsig', 'xmlsec1', 'openssl', 'certutil'], 'USB tokens through PKCS#11 (SoftHSM2)', () => {
  beforeAll(() => {
    makeSoftHsmToken('kyso-token', ['rsa2048', 'p256']);
  });

  it('signs a PDF with an RSA and an ECDSA key on the token; kyso and pdfsig accept both', async () => {
    for (const keyLabel of ['rsa2048', 'p256']) {
      const signer = await openPkcs11Signer({ module: SOFTHSM_MODULE, tokenLabel: 'kyso-token', keyLabel, pin: TOKEN_PIN });
      try {
        const signed = await signPdf(readFileSync(samplePath), { signer });
        expect((await verifyPdf(signed, { trust: [pkiFile('root.cert.pem')], intermediates: [pkiFile('intermediate.cert.pem')] })).indication).toBe('TOTAL_PASSED');
        const file = join(dir, `${keyLabel}.pdf`);
        writeFileSync(file, signed);
        expect(pdfsig(file).signatures[0]?.signatureValidation).toBe('Signature is Valid.');
      } finally {
        signer.close();
      }
    }
  });
  it('kyso sign --pkcs11 for a PDF, an XML declaration and a detached CMS; pdfsig, xmlsec1 and openssl accept them', () => {
    const common = ['--pkcs11', SOFTHSM_MODULE, '--token-label', 'kyso-token', '--key-label', 'rsa2048', '--pin-env', 'PIN', '--chain', pkiPath('intermediate.cert.pem')];
    const env = { PIN: TOKEN_PIN, SOFTHSM2_CONF: process.env.SOFTHSM2_CONF! };
    const pdf = join(dir, 'cli.pdf');
    expect(kyso(['sign', samplePath, '-o', pdf, ...common], env).status).toBe(0);
    expect(pdfsig(pdf).signatures[0]?.signatureValidation).toBe('Signature is Valid.');
    const xml = join(dir, 'cli.xml');
    const x = kyso(['sign', xmlPath, '--profile', 'tax', '-o', xml, ...common], env);
    expect(x.status, x.stderr).toBe(0);
    const xs = run('xmlsec1', ['--verify', '--insecure', '--id-attr:id', 'HSoKhaiThue', xml]);
    expect(xs.status, xs.stderr).toBe(0);
    const data = join(dir, 'data.bin');
    writeFileSync(data, 'dữ liệu');
    expect(kyso(['sign', data, '--detached', ...common], env).status).toBe(0);
    const cms = run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', `${data}.p7s`, '-content', data, '-CAfile', pkiPath('root.cert.pem'), '-purpose', 'any', '-out', '/dev/null']);
    expect(cms.status, cms.stderr).toBe(0);
  });
  it('detached CMS through the API, and kyso tokens lists the token and its certificates', async () => {
    const signer = await openPkcs11Signer({ module: SOFTHSM_MODULE, tokenLabel: 'kyso-token', keyLabel: 'p256', pin: TOKEN_PIN });
    const p7s = await signDetached(new TextEncoder().encode('abc'), { signer });
    signer.close();
    expect((await verifyDetached(new TextEncoder().encode('abc'), p7s)).signatureValue).toBe(true);
    const tokens = await listTokens(SOFTHSM_MODULE, TOKEN_PIN);
    const t = tokens.find((x) => x.label === 'kyso-token')!;
    expect(t.certificates?.map((c) => c.subject.commonName).sort()).toEqual(['Nguyễn Văn An', 'Trần Thị Bình']);
    const r = kyso(['tokens', '--pkcs11', SOFTHSM_MODULE, '--pin-env', 'PIN'], { PIN: TOKEN_PIN, SOFTHSM2_CONF: process.env.SOFTHSM2_CONF! });
    expect(r.stdout).toContain('kyso-token');
  });
  it('clear errors: missing module, wrong PIN, absent key, unknown token', async () => {
    await expect(openPkcs11Signer({ module: '/nonexistent/libnothing.so', pin: '1' })).rejects.toMatchObject({ code: 'ERR_TOKEN' });
    await expect(openPkcs11Signer({ module: SOFTHSM_MODULE, tokenLabel: 'kyso-token', pin: '000000' })).rejects.toMatchObject({ code: 'ERR_WRONG_PASSWORD' });
    await expect(openPkcs11Signer({ module: SOFTHSM_MODULE, tokenLabel: 'kyso-token', keyLabel: 'nope', pin: TOKEN_PIN })).rejects.toMatchObject({ code: 'ERR_TOKEN' });
    await expect(openPkcs11Signer({ module: SOFTHSM_MODULE, tokenLabel: 'other', pin: TOKEN_PIN })).rejects.toMatchObject({ code: 'ERR_TOKEN' });
    const r = kyso(['sign', samplePath, '-o', join(dir, 'x.pdf'), '--pkcs11', SOFTHSM_MODULE, '--token-label', 'kyso-token', '--pin-env', 'PIN'], { PIN: '000000', SOFTHSM2_CONF: process.env.SOFTHSM2_CONF! });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ERR_WRONG_PASSWORD');
  });
});
