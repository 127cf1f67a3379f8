import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { P12_PASSWORD, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';
import { kyso } from './cli-helpers.js';

const sample = new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url);
let dir: string;
let signed: string;

beforeAll(() => {
  dir = scratchDir('kyso-cli-verify-');
  writeFileSync(join(dir, 'in.pdf'), readFileSync(sample));
  signed = join(dir, 'signed.pdf');
  const r = kyso(['sign', join(dir, 'in.pdf'), '-o', signed, '--p12', pkiPath('rsa2048.p12'), '--password-env', 'PW'], { PW: P12_PASSWORD });
  expect(r.status, r.stderr).toBe(0);
});

describe('kyso verify', () => {
  it('exit 0 when every signature passes, with a readable Vietnamese report', () => {
    const r = kyso(['verify', signed, '--trust', pkiPath('root.cert.pem')]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('PASSED');
    expect(r.stdout).toContain('Nguyễn Văn An');
  });
  it('exit 2 without trust, and with the wrong anchor', () => {
    expect(kyso(['verify', signed]).status).toBe(2);
    expect(kyso(['verify', signed, '--trust', pkiPath('other-root.cert.pem')]).status).toBe(2);
  });
  it('a folder of anchors works like a file', () => {
    const anchors = join(dir, 'anchors');
    mkdirSync(anchors);
    copyFileSync(pkiPath('root.cert.pem'), join(anchors, 'root.pem'));
    expect(kyso(['verify', signed, '--trust', anchors]).status).toBe(0);
  });
  it('exit 1 when a signature fails (tampered), with JSON that names the reason', () => {
    const bytes = readFileSync(signed);
    bytes[100] = bytes[100]! ^ 1;
    const bad = join(dir, 'bad.pdf');
    writeFileSync(bad, bytes);
    const r = kyso(['verify', signed, bad, '--trust', pkiPath('root.cert.pem'), '--json']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout) as { file: string; report: { indication: string; signatures: { subIndication?: string }[] } }[];
    expect(json.map((j) => j.report.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_FAILED']);
    expect(json[1]!.report.signatures[0]!.subIndication).toBe('HASH_FAILURE');
  });
  it('exit 1 for a file that is not a PDF, 3 for a missing file or bad usage', () => {
    const notPdf = join(dir, 'x.pdf');
    writeFileSync(notPdf, 'not a pdf');
    expect(kyso(['verify', notPdf, '--trust', pkiPath('root.cert.pem')]).status).toBe(1);
    expect(kyso(['verify', join(dir, 'missing.pdf')]).status).toBe(3);
    expect(kyso(['verify']).status).toBe(3);
    expect(kyso(['verify', signed, '--time', 'yesterday']).status).toBe(3);
  });
  it('--trust vn loads the Vietnamese bundle (our test signer is not under it: indeterminate)', () => {
    expect(kyso(['verify', signed, '--trust', 'vn']).status).toBe(2);
  });
});

describe('kyso inspect', () => {
  it('lists revisions, fields and certificates', () => {
    const r = kyso(['inspect', signed]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2 revisions');
    expect(r.stdout).toContain('Signature1');
    expect(r.stdout).toContain('Nguyễn Văn An');
    const j = JSON.parse(kyso(['inspect', signed, '--json']).stdout) as { signatures: unknown[] };
    expect(j.signatures.length).toBe(1);
  });
});
