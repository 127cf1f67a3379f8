import { afterAll, beforeAll, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyPdf, verifyPdfFile, verifyXml } from '../../src/index.js';
import { writeLargePdf } from '../fixtures/large-pdf.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';
import { startRevocationBed, type RevocationBed } from '../fixtures/revocation-pki.js';
import { createTsaIdentity, startTsaServer, type TsaServer } from '../fixtures/tsa-server.js';
import { describeWithTools, run, scratchDir } from '../fixtures/tools.js';
import { PEAK_RSS_ENV, kysoAsync, peakRssMb } from './cli-helpers.js';

const sample = fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
const taxXml = fileURLToPath(new URL('../../examples/xml/tax-01gtgt.xml', import.meta.url));
let bed: RevocationBed;
let tsa: TsaServer;
const dir = scratchDir('kyso-batch-levels-');

function folderOf(name: string, source: string, n: number, ext: string): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < n; i++) copyFileSync(source, join(folder, `doc-${i}.${ext}`));
  return folder;
}

describeWithTools(['openssl', 'xmlsec1'], 'kyso sign over many files at every level and with XML profiles', () => {
  beforeAll(async () => {
    bed = await startRevocationBed();
    tsa = await startTsaServer({ identity: createTsaIdentity() });
    writeFileSync(join(dir, 'good.key.pem'), bed.leaves.good.keyPem);
    writeFileSync(join(dir, 'good.cert.pem'), bed.leaves.good.certPem);
    // the chain up to the root, and the root's CRL (no URL serves it), as an office would have them on disk
    writeFileSync(
      join(dir, 'chain.pem'),
      readFileSync(pkiPath('intermediate.cert.pem'), 'utf8') + readFileSync(pkiPath('root.cert.pem'), 'utf8'),
    );
    writeFileSync(join(dir, 'root.crl'), bed.rootCrl);
  });
  afterAll(async () => {
    await bed?.stop();
    await tsa?.stop();
  });
  const key = () => [
    '--key',
    join(dir, 'good.key.pem'),
    '--cert',
    join(dir, 'good.cert.pem'),
    '--chain',
    join(dir, 'chain.pem'),
  ];

  it.each(['B-T', 'B-LT', 'B-LTA'] as const)(
    '--level %s with --jobs 2: every output reaches the level and passes',
    async (level) => {
      const input = folderOf(`in-${level}`, sample, 4, 'pdf');
      const out = join(dir, `out-${level}`);
      const crl = level === 'B-T' ? [] : ['--crl', join(dir, 'root.crl')];
      const r = await kysoAsync([
        'sign',
        input,
        '-o',
        out,
        ...key(),
        '--level',
        level,
        '--tsa',
        tsa.url,
        ...crl,
        '--jobs',
        '2',
      ]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/signed 4, skipped 0, failed 0/);
      const files = readdirSync(out).filter((n) => n.endsWith('.pdf'));
      expect(files).toHaveLength(4);
      for (const f of files) {
        const report = await verifyPdf(readFileSync(join(out, f)), { trust: [pkiFile('root.cert.pem')] });
        expect(report.signatures[0]?.level, JSON.stringify(report.signatures[0]?.errors)).toBe(level);
        expect(report.indication).toBe('TOTAL_PASSED');
      }
    },
  );
  it('a PDF over 64 MB at B-LTA goes by path: signature, validation data and document timestamp appended to one copy', async () => {
    const input = join(dir, 'in-large');
    mkdirSync(input, { recursive: true });
    writeLargePdf(join(input, 'scan.pdf'), 65);
    const out = join(dir, 'out-large');
    // the process reports its peak RSS as it exits: the 65 MB file must not be held (in memory it takes ~190 MB)
    const r = await kysoAsync(
      [
        'sign',
        input,
        '-o',
        out,
        ...key(),
        '--level',
        'B-LTA',
        '--tsa',
        tsa.url,
        '--crl',
        join(dir, 'root.crl'),
        '--json',
      ],
      PEAK_RSS_ENV,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(peakRssMb(r.stderr)).toBeLessThan(150);
    const entry = JSON.parse(r.stdout.split('\n')[0]!) as { sha256Before: string; sha256After: string };
    expect(entry.sha256Before).not.toBe(entry.sha256After);
    const report = await verifyPdfFile(join(out, 'scan.pdf'), { trust: [pkiFile('root.cert.pem')] });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]?.level).toBe('B-LTA');
  });
  it('--level B-LT without the revocation data of every certificate fails each file with ERR_REVOCATION_UNAVAILABLE, writing nothing', async () => {
    const input = folderOf('in-no-crl', sample, 2, 'pdf');
    const out = join(dir, 'out-no-crl');
    const r = await kysoAsync(['sign', input, '-o', out, ...key(), '--level', 'B-LT', '--tsa', tsa.url, '--json']);
    expect(r.status).toBe(1);
    const failed = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { status?: string; error?: { code: string; message: string } })
      .filter((l) => l.status === 'failed');
    expect(failed).toHaveLength(2);
    for (const f of failed)
      expect(f.error).toMatchObject({ code: 'ERR_REVOCATION_UNAVAILABLE', message: expect.stringContaining('--crl') });
    expect(readdirSync(out).filter((n) => n.endsWith('.pdf'))).toEqual([]);
  });
  it('--profile tax with --jobs 2: every declaration signed where the profile says; kyso and xmlsec1 accept them', async () => {
    const input = folderOf('in-xml', taxXml, 4, 'xml');
    const out = join(dir, 'out-xml');
    const r = await kysoAsync(['sign', input, '-o', out, ...key(), '--profile', 'tax', '--jobs', '2']);
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(out).filter((n) => n.endsWith('.xml'));
    expect(files).toHaveLength(4);
    for (const f of files)
      expect((await verifyXml(readFileSync(join(out, f)), { trust: [pkiFile('root.cert.pem')] })).indication).toBe(
        'TOTAL_PASSED',
      );
    const xs = run('xmlsec1', ['--verify', '--insecure', '--id-attr:id', 'HSoKhaiThue', join(out, files[0]!)]);
    expect(xs.status, xs.stderr).toBe(0);
  });
});
