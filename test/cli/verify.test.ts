import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';
import { kyso } from './cli-helpers.js';
import { loadPkcs12Signer, signPdf } from '../../src/index.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { findSignatureFields } from '../../src/pdf/signature-scan.js';
import { appendRawUpdate, appendUpdate, firstPage } from '../fixtures/pdf-updates.js';

const sample = new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url);
let dir: string;
let signed: string;

beforeAll(() => {
  dir = scratchDir('kyso-cli-verify-');
  writeFileSync(join(dir, 'in.pdf'), readFileSync(sample));
  signed = join(dir, 'signed.pdf');
  const r = kyso(['sign', join(dir, 'in.pdf'), '-o', signed, '--p12', pkiPath('rsa2048.p12'), '--password-env', 'PW'], {
    PW: P12_PASSWORD,
  });
  expect(r.status, r.stderr).toBe(0);
});

describe('kyso verify', () => {
  it('exit 0 when every signature passes, with a readable Vietnamese report', () => {
    const r = kyso(['verify', signed, '--trust', pkiPath('root.cert.pem')]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('TOTAL_PASSED');
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
    const json = JSON.parse(r.stdout) as {
      file: string;
      report: { indication: string; signatures: { subIndication?: string }[] };
    }[];
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

describe('kyso verify: time, changes, several files', () => {
  let expired: string;
  beforeAll(async () => {
    const signer = await loadPkcs12Signer(pkiFile('expired.p12'), { password: P12_PASSWORD });
    expired = join(dir, 'expired.pdf');
    writeFileSync(
      expired,
      await signPdf(readFileSync(sample), { signer, signingTime: new Date('2020-06-01T00:00:00Z') }),
    );
  });
  it('--time: an expired signer is indeterminate now (exit 2) and passes at a time it was valid (exit 0)', () => {
    const now = kyso(['verify', expired, '--trust', pkiPath('root.cert.pem'), '--json']);
    expect(now.status).toBe(2);
    expect((JSON.parse(now.stdout) as { report: { subIndication: string } }[])[0]!.report.subIndication).toBe(
      'OUT_OF_BOUNDS_NO_POE',
    );
    expect(
      kyso(['verify', expired, '--trust', pkiPath('root.cert.pem'), '--time', '2020-06-01T12:00:00Z']).status,
    ).toBe(0);
  });
  it('exit 1 for a change after signing that is not permitted, named in the text and the JSON', () => {
    const rotated = join(dir, 'rotated.pdf');
    writeFileSync(
      rotated,
      appendUpdate(readFileSync(signed), (w, r) => w.set(firstPage(r), r.pages()[0]!.dict.clone().set('Rotate', 180))),
    );
    const text = kyso(['verify', rotated, '--trust', pkiPath('root.cert.pem')]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('later changes, NOT permitted');
    expect(text.stdout).toContain('NOT PERMITTED: the page entry /Rotate changed');
    const json = JSON.parse(kyso(['verify', rotated, '--trust', pkiPath('root.cert.pem'), '--json']).stdout) as {
      report: { schemaVersion: number; signatures: { modifications: { verdict: string } }[] };
    }[];
    expect(json[0]!.report.schemaVersion).toBe(1);
    expect(json[0]!.report.signatures[0]!.modifications.verdict).toBe('not-permitted-changes');
  });
  it('several files: the worst decides (passed + indeterminate → 2, + failed → 1)', () => {
    const root = pkiPath('root.cert.pem');
    expect(kyso(['verify', signed, expired, '--trust', root]).status).toBe(2);
    const bytes = readFileSync(signed);
    bytes[200] = bytes[200]! ^ 1;
    const bad = join(dir, 'bad2.pdf');
    writeFileSync(bad, bytes);
    expect(kyso(['verify', signed, expired, bad, '--trust', root]).status).toBe(1);
  });
});

describe('kyso inspect', () => {
  it('lists revisions, fields and certificates', () => {
    const r = kyso(['inspect', signed]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2 revisions');
    expect(r.stdout).toContain('Signature1');
    expect(r.stdout).toContain('Nguyễn Văn An');
    expect(r.stdout).toContain('signature field "Signature1": ETSI.CAdES.detached, signs revision 2');
    const j = JSON.parse(kyso(['inspect', signed, '--json']).stdout) as {
      signatures: { revision: number }[];
      hiddenSignatures: unknown[];
    };
    expect(j.signatures.map((s) => s.revision)).toEqual([1]);
    expect(j.hiddenSignatures).toEqual([]);
  });
  it('lists a signature hidden from the form', () => {
    const bytes = readFileSync(signed);
    const copy = findSignatureFields(PdfReader.open(bytes)).signed[0]!.signature;
    const hidden = join(dir, 'hidden.pdf');
    writeFileSync(hidden, appendRawUpdate(bytes, [[990, copy]]));
    const r = kyso(['inspect', hidden]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('hidden signature: object 990 (in no field of the form)');
  });
});
