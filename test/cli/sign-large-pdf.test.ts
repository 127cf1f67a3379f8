import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { writeLargePdf } from '../fixtures/large-pdf.js';
import { P12_PASSWORD, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';
import { kyso } from './cli-helpers.js';

// Bytes the kyso process read and wrote through system calls (Linux: /proc/self/io, all its threads, the
// operating system's copy included), printed as it exits.
const IO_ENV = {
  NODE_OPTIONS:
    "--import=data:text/javascript,process.on('exit',()=>process.stderr.write(process.getBuiltinModule('fs').readFileSync('/proc/self/io','utf8')))",
  PW: P12_PASSWORD,
};
const counted = (stderr: string, what: 'rchar' | 'wchar') => Number(new RegExp(`${what}: (\\d+)`).exec(stderr)?.[1]);

let big: string;
beforeAll(() => {
  big = join(scratchDir('kyso-cli-large-'), 'scan.pdf');
  writeLargePdf(big, 80); // past the CLI's 64 MB: read lazily, copied by the operating system
});

it.skipIf(!existsSync('/proc/self/io'))(
  'kyso sign of a large PDF reads it once to hash (signature and manifest digests alike) and once to copy, writes it once',
  () => {
    const out = `${big}.signed.pdf`;
    const r = kyso(['sign', big, '-o', out, '--p12', pkiPath('rsa2048.p12'), '--password-env', 'PW'], IO_ENV);
    expect(r.status, r.stderr).toBe(0);
    const size = statSync(big).size;
    // the slack is the CLI's own modules and the key file, a few megabytes
    expect(counted(r.stderr, 'rchar')).toBeLessThan(2 * size + 8 * 1024 * 1024);
    expect(counted(r.stderr, 'rchar')).toBeGreaterThan(size); // the count sees the reads at all
    expect(counted(r.stderr, 'wchar')).toBeLessThan(size + 1024 * 1024);
    expect(statSync(out).size).toBeGreaterThan(size);
    // verifying reads it once: the pass that finds the signatures and revisions also hashes the signed ranges
    const v = kyso(['verify', out, '--trust', pkiPath('root.cert.pem')], IO_ENV);
    expect(v.status, v.stdout).toBe(0);
    expect(counted(v.stderr, 'rchar')).toBeLessThan(size + 8 * 1024 * 1024);
    expect(counted(v.stderr, 'rchar')).toBeGreaterThan(size);
    expect(readFileSync(out).subarray(0, size).equals(readFileSync(big))).toBe(true);
  },
);

it.skipIf(!existsSync('/proc/self/io'))(
  'kyso sign --hash sha512 of a large PDF takes both digests (signature and manifest) from one read',
  () => {
    const out = `${big}.sha512.pdf`;
    const r = kyso(
      ['sign', big, '-o', out, '--hash', 'sha512', '--p12', pkiPath('rsa2048.p12'), '--password-env', 'PW'],
      IO_ENV,
    );
    expect(r.status, r.stderr).toBe(0);
    const size = statSync(big).size;
    expect(counted(r.stderr, 'rchar')).toBeLessThan(2 * size + 8 * 1024 * 1024); // one hashing read, one copy
    // verifying hashes with the digest the signature names in the pass that finds the signatures
    const v = kyso(['verify', out, '--trust', pkiPath('root.cert.pem'), '--json'], IO_ENV);
    expect(v.status, v.stdout).toBe(0);
    expect(JSON.parse(v.stdout)[0].report.signatures[0].digestAlgorithm).toBe('SHA-512');
    expect(counted(v.stderr, 'rchar')).toBeLessThan(size + 8 * 1024 * 1024);
  },
);

it('kyso sign of a large PDF with a wrong password (the key loads while the file is read) leaves nothing behind', () => {
  const before = readdirSync(dirname(big)).sort();
  const out = `${big}.wrong.pdf`;
  const r = kyso(['sign', big, '-o', out, '--p12', pkiPath('rsa2048.p12'), '--password-env', 'PW'], {
    PW: 'wrong',
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('ERR_WRONG_PASSWORD');
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(dirname(big)).sort()).toEqual(before); // no temporary copy left
});
