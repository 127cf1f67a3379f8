/**
 * `npm run bench`: the performance record. Each peer runs in its own process on the same inputs and key, so
 * that its peak RSS is its own; results print as a table with kyso's ratio to each peer.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { prepareInputs, type Measurement } from './common.js';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const N = Number(process.env.KYSO_BENCH_DOCS ?? 500);

function worker(script: string, args: string[]): Measurement {
  const out = execFileSync(process.execPath, ['--import', 'tsx', here(script), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
}

const inputs = await prepareInputs();
console.log(`Signing ${N} one-page PDFs, RSA-2048, one process each (node ${process.version})\n`);
const kyso = worker('sign-kyso.ts', [inputs.pdf, inputs.p12, String(N)]);
const peer = worker('sign-signpdf.ts', [inputs.pdf, inputs.legacyP12, String(N)]);
const rows = [kyso, peer].map((m) => [m.name, m.docsPerSecond.toFixed(1), m.seconds.toFixed(2), m.maxRssMB.toFixed(0)]);
const head = ['signer', 'docs/s', 'seconds', 'peak RSS MB'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log(`\nkyso / @signpdf: ${(kyso.docsPerSecond / peer.docsPerSecond).toFixed(1)}x docs/s`);
