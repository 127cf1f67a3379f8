/**
 * The command line's contracts for CI (issue 13): a run that checked nothing, a trust anchor that is not one,
 * an LTV run short of its level, an XML file signed without --profile and a certificate outside its validity
 * each end with a clear message and an exit code a pipeline can act on, never a green run by accident.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { P12_PASSWORD, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';
import { kyso } from './cli-helpers.js';

const sample = fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
const example = (f: string) => fileURLToPath(new URL(`../../examples/xml/${f}`, import.meta.url));
const pw = { PW: P12_PASSWORD };
const p12 = (name = 'rsa2048') => ['--p12', pkiPath(`${name}.p12`), '--password-env', 'PW'];
let dir: string;
let signed: string;

beforeAll(() => {
  dir = scratchDir('kyso-cli-contracts-');
  signed = join(dir, 'signed.pdf');
  const r = kyso(['sign', sample, '-o', signed, ...p12()], pw);
  expect(r.status, r.stderr).toBe(0);
});

describe('kyso verify checks something, against real anchors', () => {
  it('an empty folder or a glob matching nothing: exit 3 "no files to verify"; --allow-empty: exit 0', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    for (const arg of [empty, join(empty, '**', '*.pdf'), join(dir, '*.nomatch.pdf')]) {
      const r = kyso(['verify', arg, '--trust', pkiPath('root.cert.pem')]);
      expect(r.status, r.stdout + r.stderr).toBe(3);
      expect(r.stderr).toContain('no files to verify');
    }
    // a glob under a folder that does not exist is an error too
    expect(kyso(['verify', join(dir, 'nothing', '**', '*.pdf')]).status).toBe(3);
    expect(kyso(['verify', empty, '--allow-empty']).status).toBe(0);
    expect(kyso(['verify', empty, '--allow-empty', '--format', 'junit']).stdout).toContain('tests="0"');
  });

  it('--trust naming a file that is not a certificate, or a folder without one: usage error, exit 3', () => {
    const notCert = join(dir, 'not-a-cert.pem');
    writeFileSync(notCert, 'hello');
    const r = kyso(['verify', signed, '--trust', notCert]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`--trust ${notCert} is not a certificate`);
    expect(r.stdout).not.toContain('TOTAL_FAILED');
    const keyNotCert = kyso(['verify', signed, '--trust', pkiPath('root.key.pem')]);
    expect(keyNotCert.status).toBe(3);
    const noCerts = join(dir, 'anchors-empty');
    mkdirSync(noCerts);
    writeFileSync(join(noCerts, 'readme.txt'), 'no certificates here');
    const folder = kyso(['verify', signed, '--trust', noCerts]);
    expect(folder.status).toBe(3);
    expect(folder.stderr).toContain('holds no certificate');
    // the real anchor still works
    expect(kyso(['verify', signed, '--trust', pkiPath('root.cert.pem')]).status).toBe(0);
  });

  it('one vocabulary: text, JSON and JUnit all say TOTAL_PASSED / INDETERMINATE / TOTAL_FAILED', () => {
    const bad = join(dir, 'bad.pdf');
    const bytes = readFileSync(signed);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(bad, bytes);
    const text = kyso(['verify', signed, bad, '--trust', pkiPath('root.cert.pem')]).stdout;
    expect(text).toContain(`${signed}: TOTAL_PASSED — 1 signature`);
    expect(text).toContain(`${bad}: TOTAL_FAILED (HASH_FAILURE)`);
    expect(text).not.toMatch(/: (PASSED|FAILED)\b/);
    expect(kyso(['verify', signed]).stdout).toContain(`${signed}: INDETERMINATE (NO_CERTIFICATE_CHAIN_FOUND)`);
    const junit = kyso(['verify', bad, '--trust', pkiPath('root.cert.pem'), '--format', 'junit']).stdout;
    expect(junit).toContain('TOTAL_FAILED');
    expect(junit).not.toMatch(/"(PASSED|FAILED)"/);
  });
});

describe('kyso ltv short of its level', () => {
  it('exits non-zero and writes no output file', () => {
    // the test PKI's certificates name no OCSP responder or CRL that answers
    const out = join(dir, 'ltv.pdf');
    const r = kyso(['ltv', signed, '-o', out]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toContain('B-LT needs revocation data');
    expect(r.stderr).toContain('was not written');
    expect(existsSync(out)).toBe(false);
  });
});

describe('kyso sign', () => {
  it('an XML e-invoice without --profile is signed as its profile says, and its own verify accepts it', () => {
    const out = join(dir, 'einvoice-auto.xml');
    const s = kyso(['sign', example('einvoice-tt78.xml'), '-o', out, ...p12()], pw);
    expect(s.status, s.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/<NBan>\s*<Signature/);
    const v = kyso(['verify', out, '--trust', pkiPath('root.cert.pem')]);
    expect(v.status, v.stdout).toBe(0);
    expect(v.stdout).toContain('profile einvoice');
  });

  it('a tax declaration without --profile verifies too', () => {
    const out = join(dir, 'tax-auto.xml');
    expect(kyso(['sign', example('tax-01gtgt.xml'), '-o', out, ...p12()], pw).status).toBe(0);
    expect(kyso(['verify', out, '--trust', pkiPath('root.cert.pem')]).status).toBe(0);
  });

  it('refuses an expired signing certificate unless --allow-expired', () => {
    const out = join(dir, 'expired.pdf');
    const r = kyso(['sign', sample, '-o', out, ...p12('expired')], pw);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the signing certificate ".+" expired on \d{4}-\d\d-\d\d/);
    expect(r.stderr).toContain('--allow-expired');
    expect(existsSync(out)).toBe(false);
    const forced = kyso(['sign', sample, '-o', out, ...p12('expired'), '--allow-expired'], pw);
    expect(forced.status, forced.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});
