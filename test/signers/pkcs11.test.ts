import { beforeAll, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  openPkcs11Signer,
  signPdf,
  verifyPdf,
  signDetached,
  verifyDetached,
  listTokens,
  findTokenDrivers,
} from '../../src/index.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';
import { SOFTHSM_MODULE, TOKEN_PIN, makeSoftHsmToken } from '../fixtures/softhsm.js';
import { describeWithTools, opensslCmsVerify, pdfsig, run, scratchDir } from '../fixtures/tools.js';
import { kyso } from '../cli/cli-helpers.js';

const samplePath = fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
const xmlPath = fileURLToPath(new URL('../../examples/xml/tax-01gtgt.xml', import.meta.url));
const dir = scratchDir('kyso-p11-');

describeWithTools(
  ['softhsm2-util', 'pkcs11-tool', 'pdfsig', 'xmlsec1', 'openssl', 'certutil', 'cc'],
  'USB tokens through PKCS#11 (SoftHSM2)',
  () => {
    beforeAll(() => {
      makeSoftHsmToken('kyso-token', ['rsa2048', 'p256']);
    });

    it('signs a PDF with an RSA and an ECDSA key on the token; kyso and pdfsig accept both', async () => {
      for (const keyLabel of ['rsa2048', 'p256']) {
        const signer = await openPkcs11Signer({
          module: SOFTHSM_MODULE,
          tokenLabel: 'kyso-token',
          keyLabel,
          pin: TOKEN_PIN,
        });
        try {
          const signed = await signPdf(readFileSync(samplePath), { signer });
          expect(
            (
              await verifyPdf(signed, {
                trust: [pkiFile('root.cert.pem')],
                intermediates: [pkiFile('intermediate.cert.pem')],
              })
            ).indication,
          ).toBe('TOTAL_PASSED');
          const file = join(dir, `${keyLabel}.pdf`);
          writeFileSync(file, signed);
          expect(pdfsig(file).signatures[0]?.signatureValidation).toBe('Signature is Valid.');
        } finally {
          signer.close();
        }
      }
    });
    it('kyso sign --pkcs11 for a PDF, an XML declaration and a detached CMS; pdfsig, xmlsec1 and openssl accept them', () => {
      const common = [
        '--pkcs11',
        SOFTHSM_MODULE,
        '--token-label',
        'kyso-token',
        '--key-label',
        'rsa2048',
        '--pin-env',
        'PIN',
        '--chain',
        pkiPath('intermediate.cert.pem'),
      ];
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
      const cms = opensslCmsVerify(`${data}.p7s`, data);
      expect(cms.status, cms.stderr).toBe(0);
    });
    it('detached CMS through the API, and kyso tokens lists the token and its certificates', async () => {
      const signer = await openPkcs11Signer({
        module: SOFTHSM_MODULE,
        tokenLabel: 'kyso-token',
        keyLabel: 'p256',
        pin: TOKEN_PIN,
      });
      const p7s = await signDetached(new TextEncoder().encode('abc'), { signer });
      signer.close();
      expect((await verifyDetached(new TextEncoder().encode('abc'), p7s)).signatureValue).toBe(true);
      const tokens = await listTokens(SOFTHSM_MODULE, TOKEN_PIN);
      const t = tokens.find((x) => x.label === 'kyso-token')!;
      expect(t.certificates?.map((c) => c.subject.commonName).sort()).toEqual(['Nguyễn Văn An', 'Trần Thị Bình']);
      const r = kyso(['tokens', '--pkcs11', SOFTHSM_MODULE, '--pin-env', 'PIN'], {
        PIN: TOKEN_PIN,
        SOFTHSM2_CONF: process.env.SOFTHSM2_CONF!,
      });
      expect(r.stdout).toContain('kyso-token');
    });
    it('clear errors: missing module, wrong PIN, absent key, unknown token', async () => {
      await expect(openPkcs11Signer({ module: '/nonexistent/libnothing.so', pin: '1' })).rejects.toMatchObject({
        code: 'ERR_TOKEN',
      });
      await expect(
        openPkcs11Signer({ module: SOFTHSM_MODULE, tokenLabel: 'kyso-token', pin: '000000' }),
      ).rejects.toMatchObject({ code: 'ERR_WRONG_PASSWORD' });
      await expect(
        openPkcs11Signer({ module: SOFTHSM_MODULE, tokenLabel: 'kyso-token', keyLabel: 'nope', pin: TOKEN_PIN }),
      ).rejects.toMatchObject({ code: 'ERR_TOKEN' });
      await expect(
        openPkcs11Signer({ module: SOFTHSM_MODULE, tokenLabel: 'other', pin: TOKEN_PIN }),
      ).rejects.toMatchObject({ code: 'ERR_TOKEN' });
      const r = kyso(
        [
          'sign',
          samplePath,
          '-o',
          join(dir, 'x.pdf'),
          '--pkcs11',
          SOFTHSM_MODULE,
          '--token-label',
          'kyso-token',
          '--pin-env',
          'PIN',
        ],
        { PIN: '000000', SOFTHSM2_CONF: process.env.SOFTHSM2_CONF! },
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('ERR_WRONG_PASSWORD');
    });
    it('a batch with --jobs 2 signs through one token session (the workers hand the key operation to the main thread); --slot picks the token', async () => {
      const inDir = join(dir, 'batch-in');
      mkdirSync(inDir, { recursive: true });
      for (let i = 0; i < 6; i++) copyFileSync(samplePath, join(inDir, `doc-${i}.pdf`));
      const out = join(dir, 'batch-out');
      const slot = (await listTokens(SOFTHSM_MODULE)).find((t) => t.label === 'kyso-token')!.slot;
      const env = { PIN: TOKEN_PIN, SOFTHSM2_CONF: process.env.SOFTHSM2_CONF! };
      const bad = kyso(
        [
          'sign',
          samplePath,
          '-o',
          join(dir, 'x.pdf'),
          '--pkcs11',
          SOFTHSM_MODULE,
          '--slot',
          'first',
          '--pin-env',
          'PIN',
        ],
        env,
      );
      expect(bad.status).toBe(3);
      expect(bad.stderr).toContain('--slot must be a slot number');
      const r = kyso(
        [
          'sign',
          inDir,
          '-o',
          out,
          '--pkcs11',
          SOFTHSM_MODULE,
          '--slot',
          String(slot),
          '--key-label',
          'rsa2048',
          '--pin-env',
          'PIN',
          '--jobs',
          '2',
        ],
        env,
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/signed 6, skipped 0, failed 0/);
      expect(readdirSync(out).filter((f) => f.endsWith('.pdf'))).toHaveLength(6);
      expect(pdfsig(join(out, 'doc-3.pdf')).signatures[0]?.signatureValidation).toBe('Signature is Valid.');
    });
    it('a token that locks after wrong PINs: warnings before, ERR_TOKEN_LOCKED after, and the right PIN is not tried on a locked token', async () => {
      // SoftHSM2 never locks; a shim module in front of it counts wrong PINs the way a USB token does
      const shim = join(dir, 'lock-shim.so');
      const header = fileURLToPath(new URL('../../node_modules/pkcs11js/includes/pkcs11', import.meta.url));
      const cc = run('cc', [
        '-shared',
        '-fPIC',
        '-O1',
        '-I',
        header,
        '-o',
        shim,
        fileURLToPath(new URL('../fixtures/pkcs11-lock-shim.c', import.meta.url)),
        '-ldl',
      ]);
      expect(cc.status, cc.stderr).toBe(0);
      const state = join(dir, 'wrong-pins');
      Object.assign(process.env, {
        KYSO_SHIM_TARGET: SOFTHSM_MODULE,
        KYSO_SHIM_STATE: state,
        KYSO_SHIM_MAX_TRIES: '3',
      });
      writeFileSync(state, '0');
      const open = (pin: string) =>
        openPkcs11Signer({ module: shim, tokenLabel: 'kyso-token', keyLabel: 'rsa2048', pin });
      const signer = await open(TOKEN_PIN); // the shim passes everything else through
      expect(
        (
          await verifyPdf(await signPdf(readFileSync(samplePath), { signer }), {
            trust: [pkiFile('root.cert.pem')],
            intermediates: [pkiFile('intermediate.cert.pem')],
          })
        ).indication,
      ).toBe('TOTAL_PASSED');
      signer.close();

      await expect(open('000000')).rejects.toMatchObject({
        code: 'ERR_WRONG_PASSWORD',
        message: expect.stringContaining('few tries are left'),
      });
      await expect(open('000000')).rejects.toMatchObject({
        code: 'ERR_WRONG_PASSWORD',
        message: expect.stringContaining('one more wrong PIN locks the token'),
      });
      expect((await listTokens(shim)).find((t) => t.label === 'kyso-token')?.pin).toBe('final-try');
      await expect(open('000000')).rejects.toMatchObject({
        code: 'ERR_TOKEN_LOCKED',
        message: expect.stringContaining('now locked'),
      });
      await expect(open(TOKEN_PIN)).rejects.toMatchObject({ code: 'ERR_TOKEN_LOCKED' });
      expect(readFileSync(state, 'utf8').trim()).toBe('3'); // the right PIN was not spent on the locked token
      process.env.KYSO_SHIM_NO_FLAGS = '1'; // a token that says nothing until C_Login answers CKR_PIN_LOCKED
      await expect(open(TOKEN_PIN)).rejects.toMatchObject({ code: 'ERR_TOKEN_LOCKED' });
      delete process.env.KYSO_SHIM_NO_FLAGS;

      const env = {
        PIN: TOKEN_PIN,
        SOFTHSM2_CONF: process.env.SOFTHSM2_CONF!,
        KYSO_SHIM_TARGET: SOFTHSM_MODULE,
        KYSO_SHIM_STATE: state,
      };
      const r = kyso(
        [
          'sign',
          samplePath,
          '-o',
          join(dir, 'locked.pdf'),
          '--pkcs11',
          shim,
          '--token-label',
          'kyso-token',
          '--pin-env',
          'PIN',
        ],
        env,
      );
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('ERR_TOKEN_LOCKED');
      expect(kyso(['tokens', '--pkcs11', shim], env).stdout).toMatch(/kyso-token.*LOCKED/);
      writeFileSync(state, '0'); // unlocked with the SO PIN, as the CA's token manager would
      expect(
        kyso(
          [
            'sign',
            samplePath,
            '-o',
            join(dir, 'unlocked.pdf'),
            '--pkcs11',
            shim,
            '--token-label',
            'kyso-token',
            '--pin-env',
            'PIN',
          ],
          env,
        ).status,
      ).toBe(0);
    });
    it("kyso tokens without a module finds the installed drivers and lists their tokens; --drivers names each CA's driver files", async () => {
      const found = await findTokenDrivers();
      expect(found.map((d) => d.vendor)).toContain('SoftHSM2 (a software token for testing)');
      const r = kyso(['tokens'], { SOFTHSM2_CONF: process.env.SOFTHSM2_CONF! });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('libsofthsm2.so');
      expect(r.stdout).toMatch(/slot \d+: "kyso-token"/);
      const drivers = kyso(['tokens', '--drivers']);
      for (const name of ['VNPT-CA', 'viettel-ca_v6.dll', 'BkavCA.dll', 'fpt-ca.dll', 'CA2_csp11.dll'])
        expect(drivers.stdout).toContain(name);
    });
  },
);
