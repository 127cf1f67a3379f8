/**
 * `kyso verify DIR` holds its per-run work to once per distinct certificate, whatever the number of files: the
 * work is counted (path validations, certificate-signature checks, key imports), not timed.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPkcs12Signer, signPdf } from '../../src/index.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';

const paths = vi.hoisted(() => ({ validated: 0 }));
vi.mock('../../src/pki/chain.js', async (original) => {
  const chain = await original<typeof import('../../src/pki/chain.js')>();
  return {
    ...chain,
    validateCertificatePath: (...args: Parameters<typeof chain.validateCertificatePath>) => {
      paths.validated++;
      return chain.validateCertificatePath(...args);
    },
  };
});

const COPIES = 24;
let dir: string;

beforeAll(async () => {
  dir = join(scratchDir('kyso-verify-folder-'), 'docs');
  mkdirSync(dir);
  const sample = readFileSync(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
  const signWith = async (p12: string) =>
    signPdf(sample, { signer: await loadPkcs12Signer(pkiFile(p12), { password: P12_PASSWORD }) });
  const signed = await signWith('rsa2048.p12');
  for (let i = 0; i < COPIES; i++) writeFileSync(join(dir, `doc-${String(i).padStart(2, '0')}.pdf`), signed);
  const tampered = Uint8Array.from(signed);
  tampered[200] = tampered[200]! ^ 1;
  writeFileSync(join(dir, 'tampered.pdf'), tampered);
  // a chain that does not reach the trust given
  writeFileSync(join(dir, 'stranger.pdf'), await signWith('stranger.p12'));
});

afterEach(() => vi.restoreAllMocks());

/** Runs `kyso verify` in this process: its exit code, its output, and the work it did. */
async function verify(args: string[]) {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    stdout += parts.join(' ') + '\n';
  });
  const subtle = globalThis.crypto.subtle;
  const verifySpy = vi.spyOn(subtle, 'verify');
  const importSpy = vi.spyOn(subtle, 'importKey');
  const validatedBefore = paths.validated;
  const exit = await verifyCommand([dir, '--trust', pkiPath('root.cert.pem'), ...args]);
  const work = {
    paths: paths.validated - validatedBefore,
    signatureChecks: verifySpy.mock.calls.length,
    keyImports: importSpy.mock.calls.length,
  };
  vi.restoreAllMocks();
  return { exit, stdout, work };
}

describe('kyso verify DIR: work per run, not per file', () => {
  it('validates each distinct path once, checks each certificate signature once, and judges every file', async () => {
    const { exit, stdout, work } = await verify(['--json', '--time', '2026-06-01T00:00:00Z']);
    expect(exit).toBe(EXIT.FAILED);
    const results = JSON.parse(stdout) as { file: string; report: { indication: string } }[];
    const verdict = (name: string) => results.find((r) => r.file === join(dir, name))?.report.indication;
    expect(results).toHaveLength(COPIES + 2);
    for (let i = 0; i < COPIES; i++) expect(verdict(`doc-${String(i).padStart(2, '0')}.pdf`)).toBe('TOTAL_PASSED');
    expect(verdict('tampered.pdf')).toBe('TOTAL_FAILED');
    expect(verdict('stranger.pdf')).toBe('INDETERMINATE');
    // two signers (rsa2048 under the test CA; stranger under no anchor given): two paths, however many files
    expect(work.paths).toBe(2);
    // each file's own signature once, and the three certificate links (signer and issuing CA under the test
    // root, the stranger under its own CA) once for the run: never per file
    expect(work.signatureChecks).toBe(COPIES + 2 + 3);
    expect(work.keyImports).toBeLessThanOrEqual(5);
  });

  it("keys what it keeps by where the validation time falls against the validities: another --time inside them validates nothing again, one past the signers' expiry does", async () => {
    const again = await verify(['--json', '--time', '2026-06-01T00:00:00Z']);
    expect(again.work.paths).toBe(0);
    // no certificate of either path starts or ends between June and July 2026: the same results hold
    const later = await verify(['--json', '--time', '2026-07-01T00:00:00Z']);
    expect(later.work.paths).toBe(0);
    expect(later.exit).toBe(EXIT.FAILED);
    // both signers' certificates end on 2036-01-01: after it the paths are validated again, and expired
    const expired = await verify(['--json', '--time', '2036-01-01T00:00:00.001Z']);
    expect(expired.work.paths).toBe(2);
    const results = JSON.parse(expired.stdout) as { file: string; report: { indication: string } }[];
    const copy = results.find((r) => r.file === join(dir, 'doc-00.pdf'))!.report as {
      indication: string;
      signatures: { chain?: { status: string } }[];
    };
    expect(copy.indication).toBe('INDETERMINATE');
    expect(copy.signatures[0]!.chain?.status).toBe('expired');
  });

  it('the text report: one per file in the folder order, with the exit code of the worst', async () => {
    const { exit, stdout } = await verify(['--time', '2026-08-01T00:00:00Z']);
    expect(exit).toBe(EXIT.FAILED);
    const heads = stdout.split('\n').filter((l) => l.startsWith(dir));
    expect(heads).toHaveLength(COPIES + 2);
    expect(heads[0]).toContain('doc-00.pdf: TOTAL_PASSED');
    expect(heads.find((l) => l.includes('tampered.pdf'))).toContain('TOTAL_FAILED');
    expect(heads.find((l) => l.includes('stranger.pdf'))).toContain('INDETERMINATE');
    // each report ends as console.log(text, '\n') ended it
    expect(stdout.endsWith(' \n\n')).toBe(true);
  });
});
