import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { verifyPdf } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('examples run, so they never rot', () => {
  it('npm run demo: signs the sample document and the result verifies against the demo root', async () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(out).toContain('Signed:');
    expect(out).toContain('Nguyễn Văn An');
    const signed = readFileSync(`${root}examples/out/quyet-dinh-mau-signed.pdf`);
    const original = readFileSync(`${root}examples/documents/quyet-dinh-mau.pdf`);
    expect(signed.subarray(0, original.length).equals(original)).toBe(true);
    const report = await verifyPdf(signed, { trust: [readFileSync(`${root}examples/out/demo-root.pem`)] });
    expect(report.indication).toBe('TOTAL_PASSED');
  });
  it('the sample document generator reproduces the committed sample', async () => {
    const { makeSampleDocument } = await import('../examples/documents/make-sample.js');
    const made = await makeSampleDocument();
    const committed = readFileSync(`${root}examples/documents/quyet-dinh-mau.pdf`);
    // fonts are subset deterministically and dates are frozen; only the random document ID may differ
    expect(Math.abs(made.length - committed.length)).toBeLessThan(64);
  });
});
