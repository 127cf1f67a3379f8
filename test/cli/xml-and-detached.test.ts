import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPkcs12Signer, signDetached, verifyDetached } from '../../src/index.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { describeWithTools, opensslCmsVerify, scratchDir } from '../fixtures/tools.js';
import { PEAK_RSS_ENV, kyso, peakRssMb } from './cli-helpers.js';
import { writeLargePdf } from '../fixtures/large-pdf.js';

const example = (f: string) => fileURLToPath(new URL(`../../examples/xml/${f}`, import.meta.url));
const pw = { PW: P12_PASSWORD };
const p12 = () => ['--p12', pkiPath('rsa2048.p12'), '--password-env', 'PW'];
let dir: string;

beforeAll(() => {
  dir = scratchDir('kyso-cli-xml-');
});

describe('kyso sign / verify for XML declarations and e-invoices', () => {
  for (const [file, profile] of [
    ['tax-01gtgt.xml', 'tax'],
    ['einvoice-tt78.xml', 'einvoice'],
    ['bhxh-d02-ts.xml', 'bhxh'],
  ] as const) {
    it(`${profile}: signs where the profile says, verifies with the test root, fails when a character changes`, () => {
      const out = join(dir, `signed-${file}`);
      const s = kyso(['sign', example(file), '--profile', profile, '-o', out, ...p12()], pw);
      expect(s.status, s.stderr).toBe(0);
      const ok = kyso(['verify', out, '--trust', pkiPath('root.cert.pem')]);
      expect(ok.status, ok.stdout).toBe(0);
      expect(ok.stdout).toContain('Nguyễn Văn An');
      expect(kyso(['verify', out]).status).toBe(2);
      const text = readFileSync(out, 'utf8');
      const tampered = join(dir, `tampered-${file}`);
      const at = text.indexOf('>', text.indexOf('<', 200)) + 1;
      writeFileSync(tampered, text.slice(0, at) + text.slice(at).replace(/(\d)/, (d) => String((Number(d) + 1) % 10)));
      expect(kyso(['verify', tampered, '--trust', pkiPath('root.cert.pem')]).status).toBe(1);
    });
  }
  it('refuses an unknown profile (usage error)', () => {
    expect(kyso(['sign', example('tax-01gtgt.xml'), '--profile', 'nope', ...p12()], pw).status).toBe(3);
  });
});

describeWithTools(['openssl'], 'CAdES detached signatures of any file', () => {
  it('signDetached → .p7s that openssl cms -verify accepts; verifyDetached agrees; tampered data fails both', async () => {
    const signer = await loadPkcs12Signer(pkiFile('p256.p12'), { password: P12_PASSWORD });
    const data = join(dir, 'hop-dong.bin');
    writeFileSync(data, 'Hợp đồng số 12/2026'.repeat(1000));
    const p7s = await signDetached(readFileSync(data), { signer });
    writeFileSync(`${data}.p7s`, p7s);
    const ok = opensslCmsVerify(`${data}.p7s`, data);
    expect(ok.status, ok.stderr).toBe(0);
    expect((await verifyDetached(readFileSync(data), p7s, { trust: [pkiFile('root.cert.pem')] })).indication).toBe(
      'TOTAL_PASSED',
    );
    expect((await verifyDetached(readFileSync(data), p7s)).subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    writeFileSync(data, 'Hợp đồng số 13/2026');
    expect(opensslCmsVerify(`${data}.p7s`, data).status).not.toBe(0);
    expect((await verifyDetached(readFileSync(data), p7s, { trust: [pkiFile('root.cert.pem')] })).subIndication).toBe(
      'HASH_FAILURE',
    );
  });
  it('kyso sign FILE --detached writes FILE.p7s (streamed); kyso verify FILE.p7s checks it against FILE', () => {
    const data = join(dir, 'scan.bin');
    writeFileSync(data, Buffer.alloc(3 * 1024 * 1024, 7));
    const s = kyso(['sign', data, '--detached', ...p12()], pw);
    expect(s.status, s.stderr).toBe(0);
    const v = kyso(['verify', `${data}.p7s`, '--trust', pkiPath('root.cert.pem')]);
    expect(v.status, v.stdout).toBe(0);
    const ok = opensslCmsVerify(`${data}.p7s`, data);
    expect(ok.status, ok.stderr).toBe(0);
    expect(kyso(['verify', data, '--p7s', `${data}.p7s`, '--trust', pkiPath('other-root.cert.pem')]).status).toBe(2);
  });
  it('a detached signature of a 130 MB file is made and checked as a stream: neither kyso sign nor kyso verify holds the file', () => {
    const big = join(dir, 'scan-archive.bin');
    writeLargePdf(big, 130);
    const s = kyso(['sign', big, '--detached', ...p12()], { ...pw, ...PEAK_RSS_ENV });
    expect(s.status, s.stderr).toBe(0);
    expect(peakRssMb(s.stderr)).toBeLessThan(130);
    const v = kyso(['verify', `${big}.p7s`, '--trust', pkiPath('root.cert.pem'), '--json'], PEAK_RSS_ENV);
    expect(v.status, v.stderr).toBe(0);
    expect(peakRssMb(v.stderr)).toBeLessThan(130);
    expect((JSON.parse(v.stdout) as { report: { indication: string } }[])[0]!.report.indication).toBe('TOTAL_PASSED');
  });
});
