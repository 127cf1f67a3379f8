/** Interleaved rounds: each contender runs once per round, in turn, so that a machine's drift touches all alike. */
import type { Measurement } from './common.js';

/**
 * A contender: one call runs one timed round (usually a worker process) and returns its measurements — one, or
 * several when one worker times kyso and its peer on the same inputs in turn.
 */
export type Contender = () => Measurement[] | Promise<Measurement[]>;

/** What the rounds of one contender gave: the best and the median rate, the worst peak RSS. */
export interface Summary {
  name: string;
  rounds: number;
  docs: number;
  minSeconds: number;
  medianSeconds: number;
  best: number;
  median: number;
  maxRssMB: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Runs `rounds` rounds; round r starts with contender r mod n, so none always runs first. Returns a summary per
 * measurement name, in the order they first appeared.
 */
export async function interleave(contenders: readonly Contender[], rounds: number): Promise<Summary[]> {
  const runs = new Map<string, Measurement[]>();
  const order: string[][] = contenders.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (r + k) % contenders.length;
      for (const m of await contenders[i]!()) {
        if (!runs.has(m.name)) {
          runs.set(m.name, []);
          order[i]!.push(m.name);
        }
        runs.get(m.name)!.push(m);
      }
    }
  }
  return order.flat().map((name) => {
    const ms = runs.get(name)!;
    const seconds = ms.map((m) => m.seconds / m.docs);
    return {
      name,
      rounds,
      docs: ms[0]!.docs,
      minSeconds: Math.min(...seconds),
      medianSeconds: median(seconds),
      best: 1 / Math.min(...seconds),
      median: 1 / median(seconds),
      maxRssMB: Math.max(...ms.map((m) => m.maxRssMB)),
    };
  });
}

/** `a` against `b` as "x.xx–y.yyx" (best against best, median against median), higher is better for `a`. */
export function ratio(a: Summary, b: Summary): string {
  return `${(a.best / b.best).toFixed(2)}x best, ${(a.median / b.median).toFixed(2)}x median`;
}
