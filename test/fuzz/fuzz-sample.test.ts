/**
 * A small fixed sample of the fuzz suite (`npm run fuzz` runs thousands of cases): every technique twice,
 * seed 1, in this process, with the same judgement — no uncaught error, no internal-error text, never
 * TOTAL_PASSED after a change to signed bytes or to what a reader shows, each case under 20 s.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBases, type Bases } from './bases.js';
import { TECHNIQUES, caseAt, prepareBomb, prepareCms } from './cases.js';
import { runCase } from './judge.js';

let bases: Bases;
beforeAll(async () => {
  bases = await makeBases();
  await prepareBomb();
  await prepareCms();
}, 120_000);

describe('fuzz sample (seed 1)', () => {
  for (let index = 0; index < 2 * TECHNIQUES; index++) {
    it(`case 1:${index}`, async () => {
      const c = caseAt(bases, 1, index);
      if (!c) return;
      const o = await runCase(c, bases.root);
      expect(o.findings, `${c.technique} [${c.base}] → ${o.verdict}`).toEqual([]);
      expect(o.ms).toBeLessThan(20_000);
    }, 30_000);
  }
});
