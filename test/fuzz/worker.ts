/** A fuzz worker process: builds the cases it is sent (by index) from the saved bases, runs and judges them. */
import { loadBases, type Bases } from './bases.js';
import { caseAt, prepareBomb, prepareCms } from './cases.js';
import { runCase } from './judge.js';

export type WorkerRequest = { type: 'init'; dir: string; seed: number } | { type: 'case'; index: number };
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'started'; index: number; technique: string; base: string }
  | { type: 'result'; index: number; skipped: true }
  | {
      type: 'result';
      index: number;
      skipped: false;
      technique: string;
      base: string;
      mustNotPass: boolean;
      verdict: string;
      ms: number;
      findings: string[];
      maxRssMb: number;
    };

let bases: Bases;
let seed = 0;
const send = (m: WorkerReply) => process.send!(m);

process.on('message', (m: WorkerRequest) => {
  void (async () => {
    if (m.type === 'init') {
      bases = loadBases(m.dir);
      seed = m.seed;
      await prepareBomb();
      await prepareCms();
      send({ type: 'ready' });
      return;
    }
    const c = caseAt(bases, seed, m.index);
    if (!c) return send({ type: 'result', index: m.index, skipped: true });
    send({ type: 'started', index: m.index, technique: c.technique, base: c.base });
    const o = await runCase(c, bases.root);
    send({
      type: 'result',
      index: m.index,
      skipped: false,
      technique: c.technique,
      base: c.base,
      mustNotPass: c.mustNotPass,
      verdict: o.verdict,
      ms: o.ms,
      findings: o.findings,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    });
  })();
});
