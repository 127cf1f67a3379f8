import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { P12_PASSWORD, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';
import { kyso } from './cli-helpers.js';

// What a command loads is most of a one-file run's time: each command loads its own part of the library, and
// the heavy packages only when the input needs them. A module loader hook records every module the process
// (and its worker threads) resolve.
const HOOK = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(process.env.KYSO_MODULE_LOG, r.url + '\\n');
  return r;
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(
  `data:text/javascript,${encodeURIComponent(HOOK)}`,
)});`;
// NODE_OPTIONS splits at spaces: the whole module URL-encoded
const NODE_OPTIONS = `--import=data:text/javascript,${encodeURIComponent(REGISTER)}`;

let dir: string;
let run = 0;

/** Runs kyso and returns its exit status and the packages (node_modules) it loaded. */
function packagesLoaded(args: string[]): { status: number; stderr: string; packages: string[] } {
  const log = join(dir, `modules-${run++}.log`);
  writeFileSync(log, '');
  const r = kyso(args, { KYSO_MODULE_LOG: log, KYSO_PW: P12_PASSWORD, NODE_OPTIONS });
  const urls = readFileSync(log, 'utf8').split('\n');
  const packages = urls.flatMap((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []);
  return { status: r.status, stderr: r.stderr, packages: [...new Set(packages)].sort() };
}

const pdf = fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
const xml = fileURLToPath(new URL('../fixtures/xml/tax-01gtgt.xml', import.meta.url));
const PW = ['--password-env', 'KYSO_PW'];
let signedPdf: string;
let signedXml: string;

beforeAll(() => {
  dir = scratchDir('kyso-startup-');
  signedPdf = join(dir, 'signed.pdf');
  signedXml = join(dir, 'signed.xml');
  for (const [input, output] of [
    [pdf, signedPdf],
    [xml, signedXml],
  ]) {
    const r = kyso(['sign', input!, '-o', output!, '--p12', pkiPath('rsa2048.p12'), ...PW], { KYSO_PW: P12_PASSWORD });
    expect(r.status, r.stderr).toBe(0);
  }
});

describe('what the CLI loads', () => {
  it('kyso --help loads no package at all', () => {
    const r = packagesLoaded(['--help']);
    expect(r.status).toBe(0);
    expect(r.packages).toEqual([]);
  });

  it('verifying a PDF loads no XML, node-forge, pdf.js or font package', () => {
    const r = packagesLoaded(['verify', signedPdf, '--trust', pkiPath('root.cert.pem'), '--format', 'junit']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.packages).toEqual([]);
  });

  it('verifying XML loads the XML packages (and not the PDF ones), and only then', () => {
    const r = packagesLoaded(['verify', signedXml, '--trust', pkiPath('root.cert.pem')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.packages).toEqual(['@xmldom/xmldom', 'xml-crypto']);
  });

  it('signing a PDF with an OpenSSL 3 .p12 (PBES2: PBKDF2 and AES in WebCrypto) does not load node-forge', () => {
    const out = join(dir, 'pbes2.pdf');
    const r = packagesLoaded(['sign', pdf, '-o', out, '--p12', pkiPath('rsa2048.p12'), ...PW]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.packages).toEqual([]);
  });

  it('a legacy .p12 (3DES/RC2) is opened by node-forge, loaded for it', () => {
    const out = join(dir, 'legacy.pdf');
    const r = packagesLoaded(['sign', pdf, '-o', out, '--p12', pkiPath('rsa2048.legacy.p12'), ...PW]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.packages).toEqual(['node-forge']);
  });
});
