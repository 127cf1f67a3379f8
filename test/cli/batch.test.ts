import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { verifyPdf } from '../../src/index.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';
import { CLI, kyso, kysoAsync } from './cli-helpers.js';
import { runOnTestDisk, testDisksAvailable } from '../fixtures/full-disk.js';
import { defaultJobs } from '../../src/cli/batch/run-batch.js';

const pw = { PW: P12_PASSWORD };
const key = () => ['--p12', pkiPath('rsa2048.p12'), '--password-env', 'PW'];
let one: Uint8Array;

async function makeTree(dir: string, n: number, corruptAt?: number): Promise<void> {
  mkdirSync(join(dir, 'phong-a'), { recursive: true });
  mkdirSync(join(dir, 'phong-b', 'con'), { recursive: true });
  for (let i = 0; i < n; i++) {
    const sub = i % 3 === 0 ? 'phong-a' : i % 3 === 1 ? 'phong-b' : 'phong-b/con';
    writeFileSync(
      join(dir, sub, `van-ban-${String(i).padStart(3, '0')}.pdf`),
      i === corruptAt ? 'this is not a PDF' : one,
    );
  }
}

/** Every file below `dir`, at any depth. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

type Entry = {
  input: string;
  output: string;
  status: string;
  sha256Before?: string;
  sha256After?: string;
  error?: { code: string };
};

beforeAll(async () => {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  doc.addPage([595, 842]).drawText('Cong van', { x: 72, y: 770, size: 14, font });
  one = await doc.save({ useObjectStreams: false });
});

// full and read-only disks need a private mount namespace: skipped with a notice where there is none, never in CI
const withTestDisks = testDisksAvailable() || process.env.CI ? it : it.skip;
if (!testDisksAvailable() && !process.env.CI)
  console.warn('[batch] skipping the full- and read-only-disk tests: cannot mount a tmpfs here (unshare)');

describe('kyso sign over many files', () => {
  it('one signing thread per 1.5 cores by default (one thread already keeps 1.5 busy)', () => {
    expect([1, 2, 3, 4, 8].map(defaultJobs)).toEqual([1, 1, 2, 2, 5]);
  });

  it('without --jobs it runs the default threads and says so; --jobs 1 and --jobs 2 sign the same files alike', async () => {
    const dir = scratchDir('kyso-batch-jobs-');
    await makeTree(join(dir, 'in'), 7, 4);
    const cores = availableParallelism();
    const threads = Math.min(defaultJobs(cores), 7);
    const runs = [[], ['--jobs', '1'], ['--jobs', '2']].map((jobs, i) => {
      const out = join(dir, `out-${i}`);
      const r = kyso(['sign', join(dir, 'in'), '-o', out, ...key(), ...jobs], pw);
      const manifest = JSON.parse(readFileSync(join(out, 'kyso-manifest.json'), 'utf8')) as Entry[];
      return { r, out, manifest };
    });
    const [byDefault, one, two] = runs;
    const s = (n: number) => (n === 1 ? '' : 's');
    expect(byDefault!.r.stderr).toContain(
      `signing 7 files in ${threads} thread${s(threads)} (the fastest for ${cores} core${s(cores)}; --jobs N to choose)`,
    );
    expect(one!.r.stderr).toMatch(/^signing 7 files in 1 thread\n/);
    expect(two!.r.stderr).toMatch(/^signing 7 files in 2 threads\n/);
    // the same outcome whatever the threads: exit code, each file's status, error and input hash, valid outputs
    const outcome = ({ r, out, manifest }: (typeof runs)[number]) => ({
      status: r.status,
      files: manifest.map((e) => [relative(out, e.output), e.status, e.error?.code, e.sha256Before]),
    });
    expect(outcome(one!)).toEqual(outcome(byDefault!));
    expect(outcome(two!)).toEqual(outcome(byDefault!));
    expect(outcome(one!).status).toBe(1);
    for (const { manifest } of runs)
      for (const e of manifest.filter((m) => m.status === 'signed')) {
        const report = await verifyPdf(readFileSync(e.output), { trust: [pkiFile('root.cert.pem')] });
        expect(report.indication, e.output).toBe('TOTAL_PASSED');
      }
  });

  it('a folder with a corrupt file in the middle: the rest is signed, the bad one recorded, exit 1, tree mirrored, manifest written', async () => {
    const dir = scratchDir('kyso-batch-');
    await makeTree(join(dir, 'in'), 12, 5);
    const r = kyso(['sign', join(dir, 'in'), '-o', join(dir, 'out'), ...key(), '--jobs', '2'], pw);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/signed 11, skipped 0, failed 1/);
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'kyso-manifest.json'), 'utf8')) as Entry[];
    expect(manifest.filter((e) => e.status === 'signed')).toHaveLength(11);
    const bad = manifest.find((e) => e.status === 'failed')!;
    expect(bad.input).toContain('van-ban-005.pdf');
    expect(bad.error?.code).toBe('ERR_PDF_MALFORMED');
    expect(existsSync(bad.output)).toBe(false);
    const good = manifest.find((e) => e.status === 'signed')!;
    expect(good.sha256Before).not.toBe(good.sha256After);
    expect(existsSync(join(dir, 'out', 'phong-b', 'con', 'van-ban-002.pdf'))).toBe(true);
    const report = await verifyPdf(readFileSync(join(dir, 'out', 'phong-a', 'van-ban-000.pdf')), {
      trust: [pkiFile('root.cert.pem')],
    });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(readdirSync(join(dir, 'out', 'phong-a')).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
  it('--json gives a line per file and a summary; globs select files; --fail-fast stops early', () => {
    const dir = scratchDir('kyso-batch-');
    return makeTree(join(dir, 'in'), 6, 0).then(() => {
      const r = kyso(
        ['sign', `${join(dir, 'in')}/**/*.pdf`, '-o', join(dir, 'out'), ...key(), '--jobs', '1', '--json'],
        pw,
      );
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Entry & { summary?: { signed: number; failed: number } });
      expect(lines.at(-1)!.summary).toMatchObject({ signed: 5, failed: 1 });
      expect(lines.filter((l) => l.status)).toHaveLength(6);
      const ff = kyso(['sign', join(dir, 'in'), '-o', join(dir, 'out-ff'), ...key(), '--jobs', '1', '--fail-fast'], pw);
      expect(ff.status).toBe(1);
      const m = JSON.parse(readFileSync(join(dir, 'out-ff', 'kyso-manifest.json'), 'utf8')) as Entry[];
      expect(m.filter((e) => e.status === 'not-started').length).toBeGreaterThan(0);
    });
  });
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s finishes the files in flight, leaves no partial output, and --resume completes the batch',
    async (signal) => {
      const dir = scratchDir('kyso-batch-');
      await makeTree(join(dir, 'in'), 400); // enough that the signal always lands mid-batch
      const child = spawn(
        process.execPath,
        [CLI, 'sign', join(dir, 'in'), '-o', join(dir, 'out'), ...key(), '--jobs', '2'],
        { env: { ...process.env, ...pw } },
      );
      let stderr = '';
      let sent = false;
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // a loaded machine may deliver many lines in one chunk: signal once at least five files are done
        if (!sent && (stderr.match(/^signed /gm) ?? []).length >= 5) {
          sent = true;
          child.kill(signal);
        }
      });
      const status = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
      expect(status).toBe(1);
      const m = JSON.parse(readFileSync(join(dir, 'out', 'kyso-manifest.json'), 'utf8')) as Entry[];
      const notStarted = m.filter((e) => e.status === 'not-started');
      expect(notStarted.length).toBeGreaterThan(0);
      for (const e of notStarted) expect(existsSync(e.output)).toBe(false);
      for (const e of m.filter((x) => x.status === 'signed'))
        expect((await verifyPdf(readFileSync(e.output))).signatures).toHaveLength(1);
      const resumed = await kysoAsync(
        ['sign', join(dir, 'in'), '-o', join(dir, 'out'), ...key(), '--jobs', '2', '--resume'],
        pw,
      );
      expect(resumed.status, resumed.stderr).toBe(0);
      const m2 = JSON.parse(readFileSync(join(dir, 'out', 'kyso-manifest.json'), 'utf8')) as Entry[];
      expect(m2.filter((e) => e.status === 'signed').length + m2.filter((e) => e.status === 'skipped').length).toBe(
        400,
      );
      expect(m2.filter((e) => e.status === 'skipped').length).toBe(m.filter((e) => e.status === 'signed').length);
    },
  );
  it('an unwritable output location is a clear error and nothing is lost', () => {
    const dir = scratchDir('kyso-batch-');
    writeFileSync(join(dir, 'a.pdf'), one);
    writeFileSync(join(dir, 'blocker'), 'a file where the output folder should be');
    const r = kyso(['sign', join(dir, 'a.pdf'), join(dir, 'a.pdf'), '-o', join(dir, 'blocker', 'out'), ...key()], pw);
    expect(r.status).not.toBe(0);
    expect(readFileSync(join(dir, 'a.pdf')).equals(Buffer.from(one))).toBe(true);
  });
  withTestDisks(
    'a full disk stops the batch with ERR_DISK_FULL: every output is whole or absent, inputs untouched, --resume completes it',
    async () => {
      const dir = scratchDir('kyso-batch-');
      await makeTree(join(dir, 'in'), 40);
      const small = join(dir, 'small');
      const left = join(dir, 'left');
      const r = runOnTestDisk(
        small,
        'size=96k',
        left,
        [process.execPath, CLI, 'sign', join(dir, 'in'), '-o', join(small, 'out'), ...key(), '--jobs', '2', '--json'],
        pw,
      );
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain('stopping: the output disk is full');
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Entry & { summary?: { signed: number; failed: number; notStarted: number } });
      const summary = lines.at(-1)!.summary!;
      expect(summary.signed).toBeGreaterThan(0);
      expect(summary.notStarted).toBeGreaterThan(0); // it stopped rather than failing the 40 files one by one
      const failed = lines.filter((l) => l.status === 'failed');
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) expect(f.error?.code).toBe('ERR_DISK_FULL');
      // what the full disk holds: complete signed files only, no temporary file
      const outputs = filesUnder(join(left, 'out'));
      expect(outputs.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      const pdfs = outputs.filter((f) => f.endsWith('.pdf'));
      expect(pdfs.length).toBe(summary.signed);
      for (const f of pdfs)
        expect((await verifyPdf(readFileSync(f), { trust: [pkiFile('root.cert.pem')] })).indication).toBe(
          'TOTAL_PASSED',
        );
      for (const f of filesUnder(join(dir, 'in'))) expect(readFileSync(f).equals(Buffer.from(one))).toBe(true);
      // with room again, --resume signs the rest and keeps what was done
      const resumed = kyso(['sign', join(dir, 'in'), '-o', join(left, 'out'), ...key(), '--resume'], pw);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stderr).toMatch(new RegExp(`signed ${40 - summary.signed}, skipped ${summary.signed}, failed 0`));
    },
  );
  withTestDisks('one file on a full disk: exit 3 with ERR_DISK_FULL and nothing written', () => {
    const dir = scratchDir('kyso-batch-');
    writeFileSync(join(dir, 'a.pdf'), one);
    const small = join(dir, 'small');
    const left = join(dir, 'left');
    const r = runOnTestDisk(
      small,
      'size=4k',
      left,
      [process.execPath, CLI, 'sign', join(dir, 'a.pdf'), '-o', join(small, 'a-signed.pdf'), ...key()],
      pw,
    );
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/no space left.*\[ERR_DISK_FULL\]/);
    expect(readdirSync(left)).toEqual([]);
    expect(readFileSync(join(dir, 'a.pdf')).equals(Buffer.from(one))).toBe(true);
  });
  withTestDisks(
    'a read-only output disk: a clear ERR_IO naming the folder, exit 1, inputs untouched, no output',
    async () => {
      const dir = scratchDir('kyso-batch-');
      await makeTree(join(dir, 'in'), 4);
      const ro = join(dir, 'ro');
      const left = join(dir, 'left');
      const r = runOnTestDisk(
        ro,
        'size=1m,ro',
        left,
        [process.execPath, CLI, 'sign', join(dir, 'in'), '-o', join(ro, 'out'), ...key(), '--json'],
        pw,
      );
      expect(r.status).toBe(1);
      const lines = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Entry);
      const failed = lines.filter((l) => l.status === 'failed');
      expect(failed).toHaveLength(4);
      for (const f of failed)
        expect(f.error).toMatchObject({ code: 'ERR_IO', message: expect.stringMatching(/read-only file system/i) });
      expect(r.stderr).toMatch(/manifest was not written.*\[ERR_IO\]/);
      expect(readdirSync(left)).toEqual([]);
      for (const f of filesUnder(join(dir, 'in'))) expect(readFileSync(f).equals(Buffer.from(one))).toBe(true);
    },
  );
});
