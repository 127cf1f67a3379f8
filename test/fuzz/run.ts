/**
 * `npm run fuzz`: a seeded, deterministic fuzz run over kyso's own signed PDFs, XML declarations and CMS
 * files (see cases.ts for the techniques). Cases run in worker processes, each case watched for time (20 s)
 * and memory (1 GB peak); a finding is printed with the id that replays it. SIGINT/SIGTERM stops early and
 * still prints the summary of the cases that ran.
 *
 *   npm run fuzz -- --seed 1 --cases 3000 --workers 2
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBases, saveBases } from './bases.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const seed = arg('seed', 1);
const total = arg('cases', 3000);
const workers = arg('workers', 2);
const TIME_LIMIT_MS = 20_000;
const MEMORY_LIMIT_MB = 1024;

interface Row {
  index: number;
  technique: string;
  base: string;
  verdict: string;
  ms: number;
  findings: string[];
}

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

async function main(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'kyso-fuzz-'));
  saveBases(await makeBases(), dir);
  const rows: Row[] = [];
  let skipped = 0;
  let next = 0;
  let peakMb = 0;

  const runWorker = () =>
    new Promise<void>((done) => {
      let child: ChildProcess;
      let current = -1;
      let currentCase = { technique: '?', base: '?' };
      let timer: NodeJS.Timeout | undefined;
      const start = () => {
        child = fork(WORKER, [], {
          execArgv: ['--import', 'tsx', '--max-old-space-size=1536'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        child.on('message', onMessage);
        child.on('exit', onExit);
        child.send({ type: 'init', dir, seed } satisfies WorkerRequest);
      };
      const dispatch = () => {
        if (next >= total) {
          child.off('exit', onExit);
          child.kill();
          return done();
        }
        current = next++;
        currentCase = { technique: '?', base: '?' };
        timer = setTimeout(() => {
          rows.push({
            index: current,
            ...currentCase,
            verdict: 'TIMEOUT',
            ms: TIME_LIMIT_MS,
            findings: [`over ${TIME_LIMIT_MS / 1000} s`],
          });
          child.off('exit', onExit);
          child.kill('SIGKILL');
          start();
        }, TIME_LIMIT_MS);
        child.send({ type: 'case', index: current } satisfies WorkerRequest);
      };
      const onMessage = (m: WorkerReply) => {
        if (m.type === 'ready') return dispatch();
        if (m.type === 'started') {
          currentCase = { technique: m.technique, base: m.base };
          return;
        }
        clearTimeout(timer);
        if (m.skipped) skipped++;
        else {
          const findings = [...m.findings];
          peakMb = Math.max(peakMb, m.maxRssMb);
          if (m.maxRssMb > MEMORY_LIMIT_MB) findings.push(`peak memory ${Math.round(m.maxRssMb)} MB`);
          rows.push({ index: m.index, technique: m.technique, base: m.base, verdict: m.verdict, ms: m.ms, findings });
          if (m.maxRssMb > MEMORY_LIMIT_MB) {
            // a fresh process, so that the next case's peak is its own
            child.off('exit', onExit);
            child.kill();
            return start();
          }
        }
        if ((rows.length + skipped) % 250 === 0)
          process.stderr.write(
            `… ${rows.length + skipped}/${total} cases, ${Math.round((Date.now() - started) / 1000)} s\n`,
          );
        dispatch();
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        rows.push({
          index: current,
          ...currentCase,
          verdict: 'CRASH',
          ms: 0,
          findings: [`worker exited (${code}) on this case`],
        });
        start();
      };
      start();
    });

  // Ctrl-C or SIGTERM: no new cases; the ones running finish and the summary covers what ran
  const stop = () => {
    process.stderr.write(`stopping after ${rows.length + skipped} cases\n`);
    next = total;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await Promise.all(Array.from({ length: workers }, runWorker));
  rmSync(dir, { recursive: true, force: true });

  const byTechnique = new Map<string, { cases: number; passed: number; findings: number; maxMs: number }>();
  for (const r of rows) {
    const key = r.technique.replace(/ \(.*$/, '');
    const t = byTechnique.get(key) ?? { cases: 0, passed: 0, findings: 0, maxMs: 0 };
    t.cases++;
    if (r.verdict === 'TOTAL_PASSED') t.passed++;
    if (r.findings.length) t.findings++;
    t.maxMs = Math.max(t.maxMs, r.ms);
    byTechnique.set(key, t);
  }
  console.log(
    `seed ${seed}: ${rows.length} cases run (indexes 0–${Math.max(...rows.map((r) => r.index))}) (${skipped} not applicable), ${Math.round((Date.now() - started) / 1000)} s, worker peak memory ${Math.round(peakMb)} MB`,
  );
  console.log('technique                        cases  TOTAL_PASSED  findings  slowest');
  for (const [k, t] of [...byTechnique].sort())
    console.log(
      `${k.padEnd(32)} ${String(t.cases).padStart(5)}  ${String(t.passed).padStart(12)}  ${String(t.findings).padStart(8)}  ${Math.round(t.maxMs)} ms`,
    );
  const bad = rows.filter((r) => r.findings.length);
  for (const r of bad.slice(0, 50))
    console.log(`FINDING ${seed}:${r.index} ${r.technique} [${r.base}] → ${r.verdict}: ${r.findings.join('; ')}`);
  if (bad.length > 50) console.log(`… and ${bad.length - 50} more`);
  process.exitCode = bad.length ? 1 : 0;
}

await main();
