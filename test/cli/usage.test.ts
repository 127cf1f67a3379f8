import { beforeAll, describe, expect, it } from 'vitest';
import { linkSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { P12_PASSWORD, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';
import { kyso, kysoAsync } from './cli-helpers.js';
import { closest } from '../../src/cli/suggest.js';

const sample = new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url);
const pw = { KYSO_PW: P12_PASSWORD };
let dir: string;
let input: string;

beforeAll(() => {
  dir = scratchDir('kyso-usage-');
  input = join(dir, 'in.pdf');
  writeFileSync(input, readFileSync(sample));
});

const prefixes = (text: string) => text.match(/kyso( \w+)?:/g) ?? [];

describe('how the CLI answers mistakes', () => {
  it('kyso alone prints the help on standard error and exits 3', () => {
    const r = kyso([]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('Usage: kyso COMMAND');
    expect(r.stdout).toBe('');
  });

  it('suggests the command meant', () => {
    const r = kyso(['sgin', input]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('unknown command "sgin". Did you mean sign?');
    expect(kyso(['frobnicate']).stderr).not.toContain('Did you mean');
  });

  it('suggests the option meant, from the options table of the command', () => {
    const r = kyso(['sign', input, '--pasword-env', 'X']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('kyso sign: unknown option --pasword-env. Did you mean --password-env?');
    expect(r.stderr).not.toMatch(/Unknown option|'--/); // not Node's parser text with its unbalanced quote
    expect(kyso(['verify', input, '--trsut', 'x']).stderr).toContain('Did you mean --trust?');
    expect(kyso(['ltv', input, '--foce']).stderr).toContain('Did you mean --force?');
    expect(kyso(['sign', input, '--zzzzzz']).stderr).toMatch(/unknown option --zzzzzz\n/);
  });

  it('refuses --password VALUE and points to --password-env / --password-file', () => {
    for (const args of [['--password', 'hunter2'], ['--password=hunter2']]) {
      const r = kyso(['sign', input, '-o', join(dir, 'x.pdf'), '--p12', pkiPath('rsa2048.p12'), ...args]);
      expect(r.status).toBe(3);
      expect(r.stderr).toContain('--password-env VAR or --password-file FILE');
      expect(r.stderr).not.toContain('hunter2');
    }
    expect(kyso(['tokens', '--pin', '1234']).stderr).toContain('--pin-env VAR or --pin-file FILE');
  });

  it('says a missing .p12 before asking for its password', () => {
    const missing = join(dir, 'missing.p12');
    const r = kyso(['sign', input, '-o', join(dir, 'y.pdf'), '--p12', missing], {}, 'typed password\n');
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`cannot read ${missing}`);
    expect(r.stderr).not.toContain('Password for');
  });

  it('says each message with one prefix', () => {
    for (const args of [['sign'], ['verify'], ['ltv'], ['timestamp'], ['inspect'], ['sign', input, '--bogus']]) {
      const r = kyso(args);
      expect(r.status, args.join(' ')).toBe(3);
      expect(prefixes(r.stderr.split('\n')[0]!), r.stderr).toHaveLength(1);
    }
    expect(kyso(['sign']).stderr).toMatch(/^kyso sign: an input file is needed/);
  });

  it('names a missing option value and an option that takes none', () => {
    expect(kyso(['sign', input, '-o']).stderr).toContain('--output needs a value');
    expect(kyso(['inspect', input, '--json=yes']).stderr).toContain('--json takes no value');
  });
});

describe('an input is never modified', () => {
  it('refuses -o equal to the input, even with --force, by path and through a hard link', () => {
    const before = readFileSync(input);
    const link = join(dir, 'link.pdf');
    linkSync(input, link);
    for (const out of [input, join(dir, '.', 'in.pdf'), link]) {
      const r = kyso(
        ['sign', input, '-o', out, '--force', '--p12', pkiPath('rsa2048.p12'), '--password-env', 'KYSO_PW'],
        pw,
      );
      expect(r.status, r.stderr).toBe(3);
      expect(r.stderr).toContain('is the input');
      expect(r.stderr).toContain('--in-place');
    }
    expect(kyso(['ltv', input, '-o', input, '--force']).stderr).toContain('is the input');
    expect(kyso(['timestamp', input, '--tsa', 'http://127.0.0.1:9/', '-o', input, '--force']).status).toBe(3);
    expect(readFileSync(input).equals(before)).toBe(true);
  });

  it('--in-place replaces the input with its signed form, through a file beside it', () => {
    const file = join(dir, 'inplace.pdf');
    writeFileSync(file, readFileSync(sample));
    const before = readFileSync(file);
    expect(kyso(['sign', file, '--in-place', '-o', join(dir, 'y.pdf')]).stderr).toContain('takes no -o');
    const r = kyso(['sign', file, '--in-place', '--p12', pkiPath('rsa2048.p12'), '--password-env', 'KYSO_PW'], pw);
    expect(r.status, r.stderr).toBe(0);
    const after = readFileSync(file);
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.includes('inplace'))).toEqual(['inplace.pdf']); // no temporary left
    expect(kyso(['verify', file, '--trust', pkiPath('root.cert.pem')]).status).toBe(0);
  });
});

describe('network errors', () => {
  it('say the connection was refused, with the URL', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise((r) => server.close(r));
    const url = `http://127.0.0.1:${port}/tsa`;
    const r = await kysoAsync(['timestamp', input, '--tsa', url, '-o', join(dir, 'refused.tsr')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(url);
    expect(r.stderr).toContain('connection refused');
    expect(r.stderr).not.toMatch(/: fetch failed/);
  });

  it('say a host name is unknown (DNS)', async () => {
    const r = await kysoAsync([
      'timestamp',
      input,
      '--tsa',
      'http://kyso-test.invalid/tsa',
      '-o',
      join(dir, 'dns.tsr'),
    ]);
    expect(r.stderr).toContain('http://kyso-test.invalid/tsa');
    expect(r.stderr).toMatch(/DNS: /);
  });
});

describe('closest', () => {
  it('finds typos, swaps and prefixes, and nothing for a word far from every candidate', () => {
    expect(closest('--pasword-env', ['--password-env', '--password-file', '--p12'])).toEqual(['--password-env']);
    expect(closest('sigN', ['sign', 'verify'])).toEqual(['sign']);
    expect(closest('vreify', ['sign', 'verify'])).toEqual(['verify']);
    expect(closest('--tsa-h', ['--tsa', '--tsa-header'])).toEqual(['--tsa-header', '--tsa']);
    expect(closest('--xyzzy', ['--tsa', '--force'])).toEqual([]);
  });
});

describe('every command', () => {
  it('parses its arguments through src/cli/parse-args.ts, so its options get "did you mean" and the secret rule', () => {
    const folder = new URL('../../src/cli/commands/', import.meta.url);
    for (const name of readdirSync(folder).filter((n) => n.endsWith('.ts'))) {
      const source = readFileSync(new URL(name, folder), 'utf8');
      expect(source, name).not.toMatch(/import\s*{[^}]*\bparseArgs\b[^}]*}\s*from\s*'node:util'/);
    }
  });
});
