import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { P12_PASSWORD, pkiPath } from '../fixtures/pki.js';
import { describeWithTools, pdfsig, scratchDir } from '../fixtures/tools.js';
import { kyso } from './cli-helpers.js';

const sample = new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url);
let dir: string;
let input: string;
const pw = { KYSO_PW: P12_PASSWORD };

beforeAll(() => {
  dir = scratchDir('kyso-cli-');
  input = join(dir, 'in.pdf');
  writeFileSync(input, readFileSync(sample));
});

describe('kyso sign', () => {
  it('prints help', () => {
    const r = kyso(['sign', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--password-env');
    expect(kyso(['--help']).stdout).toContain('sign');
  });
  it('signs with a PKCS#12 file and a password from the environment, leaving the input untouched', () => {
    const before = readFileSync(input);
    const out = join(dir, 'out.pdf');
    const r = kyso(
      ['sign', input, '-o', out, '--p12', pkiPath('rsa2048.p12'), '--password-env', 'KYSO_PW', '--reason', 'Phê duyệt'],
      pw,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(input).equals(before)).toBe(true);
    expect(readFileSync(out).subarray(0, before.length).equals(before)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(P12_PASSWORD);
  });
  it('signs with --key/--cert and a password file', () => {
    const pwFile = join(dir, 'pw.txt');
    writeFileSync(pwFile, 'unused\n');
    const r = kyso([
      'sign',
      input,
      '-o',
      join(dir, 'key.pdf'),
      '--key',
      pkiPath('p256.sec1.pem'),
      '--cert',
      pkiPath('p256.chain.pem'),
    ]);
    expect(r.status, r.stderr).toBe(0);
  });
  it('never overwrites an existing output or the input unless asked', () => {
    const out = join(dir, 'exists.pdf');
    writeFileSync(out, 'keep me');
    const args = ['--p12', pkiPath('rsa2048.p12'), '--password-env', 'KYSO_PW'];
    const r = kyso(['sign', input, '-o', out, ...args], pw);
    expect(r.status).toBe(3);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(kyso(['sign', input, '-o', input, ...args], pw).status).toBe(3);
    expect(kyso(['sign', input, '-o', out, '--force', ...args], pw).status).toBe(0);
    expect(readFileSync(out, 'utf8').startsWith('%PDF')).toBe(true);
  });
  it('exit codes: usage 3, wrong password 1, bad input 1, unset variable 3, no stdin password 3', () => {
    const p12 = ['--p12', pkiPath('rsa2048.p12')];
    expect(kyso(['sign']).status).toBe(3);
    expect(kyso(['sign', input, '--bogus']).status).toBe(3);
    expect(kyso(['frobnicate']).status).toBe(3);
    const wrong = kyso(['sign', input, '-o', join(dir, 'w.pdf'), ...p12, '--password-env', 'KYSO_PW'], {
      KYSO_PW: 'wrong',
    });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('ERR_WRONG_PASSWORD');
    expect(kyso(['sign', input, '-o', join(dir, 'x.pdf'), ...p12, '--password-env', 'NOT_SET_ANYWHERE']).status).toBe(
      3,
    );
    expect(kyso(['sign', input, '-o', join(dir, 'y.pdf'), ...p12]).status).toBe(3);
    const notPdf = join(dir, 'not.pdf');
    writeFileSync(notPdf, 'hello');
    const bad = kyso(['sign', notPdf, '-o', join(dir, 'z.pdf'), ...p12, '--password-env', 'KYSO_PW'], pw);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('ERR_PDF_MALFORMED');
    expect(existsSync(join(dir, 'z.pdf'))).toBe(false);
  });
  it('exit 3 with "npm install pdfjs-dist" when placement by the page content needs the missing peer', () => {
    const args = ['sign', input, '-o', join(dir, 'placed.pdf'), '--p12', pkiPath('rsa2048.p12')];
    const withoutPdfjs = {
      NODE_OPTIONS: `--import=${fileURLToPath(new URL('../fixtures/without-pdfjs.mjs', import.meta.url))}`,
    };
    const r = kyso([...args, '--password-env', 'KYSO_PW', '--appearance', 'approved'], { ...pw, ...withoutPdfjs });
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain('npm install pdfjs-dist');
    expect(r.stderr).toContain('ERR_DEPENDENCY_MISSING');
    expect(existsSync(join(dir, 'placed.pdf'))).toBe(false);
    // a rectangle needs no page layout: the same process signs without pdf.js
    const placed = kyso([...args, '--password-env', 'KYSO_PW', '--appearance', 'approved', '--rect', '36,36,200,80'], {
      ...pw,
      ...withoutPdfjs,
    });
    expect(placed.status, placed.stderr).toBe(0);
  });
});

describeWithTools(['pdfsig', 'certutil'], 'kyso sign output passes pdfsig', () => {
  it('legacy subfilter', () => {
    const out = join(dir, 'legacy.pdf');
    const r = kyso(
      [
        'sign',
        input,
        '-o',
        out,
        '--p12',
        pkiPath('p256.legacy.p12'),
        '--password-env',
        'KYSO_PW',
        '--legacy-subfilter',
        '--location',
        'Hà Nội',
      ],
      pw,
    );
    expect(r.status, r.stderr).toBe(0);
    const report = pdfsig(out);
    expect(report.signatures[0]?.signatureValidation, report.output).toBe('Signature is Valid.');
    expect(report.signatures[0]?.subFilter).toBe('adbe.pkcs7.detached');
  });
});
