import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { P12_PASSWORD, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';
import { kyso } from './cli-helpers.js';

const sample = readFileSync(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
let dir: string;

beforeAll(() => {
  dir = scratchDir('kyso-ci-');
  mkdirSync(join(dir, 'issued', 'thang-11'), { recursive: true });
  writeFileSync(join(dir, 'in.pdf'), sample);
  const sign = (out: string, p12: string) => {
    const r = kyso(['sign', join(dir, 'in.pdf'), '-o', out, '--p12', pkiPath(p12), '--password-env', 'PW'], {
      PW: P12_PASSWORD,
    });
    expect(r.status, r.stderr).toBe(0);
  };
  sign(join(dir, 'issued', 'qd-001.pdf'), 'rsa2048.p12');
  sign(join(dir, 'issued', 'thang-11', 'qd-002.pdf'), 'rsa4096.p12');
  const bad = readFileSync(join(dir, 'issued', 'qd-001.pdf'));
  bad[200] = bad[200]! ^ 1;
  writeFileSync(join(dir, 'issued', 'thang-11', 'qd-003-tampered.pdf'), bad);
});

describe('kyso verify in CI', () => {
  it('a folder, JUnit output parsed back: a test case per file, a failure for the tampered one with its reason', () => {
    const r = kyso(['verify', join(dir, 'issued'), '--trust', pkiPath('root.cert.pem'), '--format', 'junit']);
    expect(r.status).toBe(1);
    const doc = new DOMParser().parseFromString(r.stdout, 'text/xml');
    const cases = Array.from(doc.getElementsByTagName('testcase'));
    expect(cases).toHaveLength(3);
    // files are verified several at a time; the report keeps the folder's order
    expect(cases.map((c) => c.getAttribute('name'))).toEqual(
      ['qd-001.pdf', 'thang-11/qd-002.pdf', 'thang-11/qd-003-tampered.pdf'].map((f) => join(dir, 'issued', f)),
    );
    const failing = cases.filter((c) => c.getElementsByTagName('failure').length > 0);
    expect(failing.map((c) => c.getAttribute('name'))).toEqual([
      join(dir, 'issued', 'thang-11', 'qd-003-tampered.pdf'),
    ]);
    const failure = failing[0]!.getElementsByTagName('failure')[0]!;
    expect(failure.getAttribute('type')).toBe('TOTAL_FAILED');
    expect(failure.getAttribute('message')).toContain('HASH_FAILURE');
    expect(doc.getElementsByTagName('testsuite')[0]!.getAttribute('failures')).toBe('1');
  });
  it('a glob selects files; a policy requiring a tax code refuses a document signed by a person', () => {
    expect(
      kyso(['verify', `${join(dir, 'issued')}/**/qd-00[12].pdf`, '--trust', pkiPath('root.cert.pem')]).status,
    ).toBe(0);
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ requiredSigner: { taxCode: '0101234567' }, wholeDocument: true }));
    const r = kyso([
      'verify',
      join(dir, 'issued', 'qd-001.pdf'),
      join(dir, 'issued', 'thang-11', 'qd-002.pdf'),
      '--trust',
      pkiPath('root.cert.pem'),
      '--policy',
      policy,
      '--json',
    ]);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { report: { indication: string; errors: string[] } }[];
    expect(out.map((o) => o.report.indication)).toEqual(['TOTAL_FAILED', 'TOTAL_PASSED']);
    expect(out[0]!.report.errors.join(' ')).toContain('required signer');
  });
  it('a YAML policy with trust and minLevel; B-B documents fail minLevel B-T', () => {
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, `trust: [${pkiPath('root.cert.pem')}]\nminLevel: B-T\n`);
    const r = kyso(['verify', join(dir, 'issued', 'qd-001.pdf'), '--policy', policy]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('requires B-T');
    writeFileSync(policy, `trust: [${pkiPath('root.cert.pem')}]\nminLevel: B-B\n`);
    expect(kyso(['verify', join(dir, 'issued', 'qd-001.pdf'), '--policy', policy]).status).toBe(0);
  });
  it("the policy file's failure modes are usage errors (exit 3) that name the problem", () => {
    const cases: [string, string, RegExp][] = [
      ['unknown.json', '{"trsut": ["vn"]}', /unknown key "trsut"/],
      ['level.json', '{"minLevel": "B-X"}', /minLevel/],
      ['bool.yaml', 'allowSha1: maybe\n', /allowSha1/],
      ['signer.json', '{"requiredSigner": {"mst": "1"}}', /requiredSigner.mst/],
      ['broken.json', '{', /not valid JSON/],
    ];
    for (const [name, text, why] of cases) {
      writeFileSync(join(dir, name), text);
      const r = kyso(['verify', join(dir, 'issued', 'qd-001.pdf'), '--policy', join(dir, name)]);
      expect(r.status, name).toBe(3);
      expect(r.stderr).toMatch(why);
    }
  });
  it('the example CI policy parses', () => {
    const r = kyso([
      'verify',
      join(dir, 'issued', 'qd-001.pdf'),
      '--policy',
      new URL('../../examples/ci/policy.yaml', import.meta.url).pathname,
    ]);
    expect(r.status).toBe(2); // the test PKI is not under the Vietnamese roots
  });
});
