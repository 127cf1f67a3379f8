import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeWithTools, run, scratchDir } from '../fixtures/tools.js';
import { kyso } from './cli-helpers.js';
import { decodePkcs12 } from '../../src/crypto/pkcs12.js';
import { parseCertificate } from '../../src/pki/certificate.js';

const sample = new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url);
let dir: string;
const env = { TEST_P12_PW: 'thu-nghiem' };

beforeAll(() => {
  dir = scratchDir('kyso-cert-');
  writeFileSync(join(dir, 'in.pdf'), readFileSync(sample));
});

describe('kyso cert create --self-signed', () => {
  it('writes a .p12 that kyso signs with and verifies against the certificate it wrote', async () => {
    const p12 = join(dir, 'me.p12');
    const pem = join(dir, 'me.pem');
    const r = kyso(
      [
        'cert',
        'create',
        '--self-signed',
        '--out',
        p12,
        '--cert-out',
        pem,
        '--password-env',
        'TEST_P12_PW',
        '--cn',
        'Nguyễn Văn An',
        '--uid',
        'CCCD:001089012345',
      ],
      env,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('TEST certificate');
    const contents = await decodePkcs12(readFileSync(p12), 'thu-nghiem');
    expect(contents.certificates).toHaveLength(1);
    const cert = await parseCertificate(contents.certificates[0]!);
    expect(cert.subject.commonName).toBe('Nguyễn Văn An');
    expect(readFileSync(pem, 'utf8')).toContain('BEGIN CERTIFICATE');

    const out = join(dir, 'signed.pdf');
    expect(
      kyso(['sign', join(dir, 'in.pdf'), '-o', out, '--p12', p12, '--password-env', 'TEST_P12_PW'], env).status,
    ).toBe(0);
    expect(kyso(['verify', out, '--trust', pem]).status).toBe(0);
    expect(kyso(['verify', out]).status).toBe(2); // trusted by nobody unless told
  });

  it('refuses a wrong password, an existing output without --force, and runs without --self-signed', () => {
    const p12 = join(dir, 'me.p12');
    const signed = kyso(
      ['sign', join(dir, 'in.pdf'), '-o', join(dir, 'bad.pdf'), '--p12', p12, '--password-env', 'W'],
      { W: 'wrong' },
    );
    expect(signed.stderr).toContain('ERR_WRONG_PASSWORD');
    expect(
      kyso(['cert', 'create', '--self-signed', '--out', p12, '--password-env', 'TEST_P12_PW'], env).status,
    ).not.toBe(0);
    const r = kyso(['cert', 'create', '--out', join(dir, 'x.p12'), '--password-env', 'TEST_P12_PW'], env);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('--self-signed');
    expect(existsSync(join(dir, 'x.p12'))).toBe(false);
    expect(
      kyso(['cert', 'create', '--self-signed', '--out', join(dir, 'y.p12'), '--password-env', 'UNSET_VAR_KYSO']).status,
    ).toBe(3);
    expect(kyso(['cert', 'create', '--self-signed', '--out', join(dir, 'y.p12'), '--password', 'x']).stderr).toContain(
      '--password-env VAR or --password-file FILE',
    );
  });
});

describeWithTools(['openssl'], 'the test .p12 and OpenSSL', () => {
  it('opens with OpenSSL 3 without -legacy (PBES2/AES-256, PBKDF2-HMAC-SHA-256), and not with a wrong password', () => {
    const p12 = join(dir, 'ossl.p12');
    expect(kyso(['cert', 'create', '--self-signed', '--out', p12, '--password-env', 'TEST_P12_PW'], env).status).toBe(
      0,
    );
    const info = run('openssl', ['pkcs12', '-in', p12, '-passin', 'pass:thu-nghiem', '-info', '-noout']);
    expect(info.status, info.stderr).toBe(0);
    expect(info.stderr + info.stdout).toContain('AES-256-CBC, Iteration 10000, PRF hmacWithSHA256');
    expect(run('openssl', ['pkcs12', '-in', p12, '-passin', 'pass:wrong', '-noout']).status).not.toBe(0);
  });
});
