/** A small deterministic generator (mulberry32): the same seed gives the same sequence, so a case can be replayed. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Helpers over one generator. */
export class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  /** A float in [0, 1). */
  float(): number {
    return this.next();
  }
  /** An integer in [min, max). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * Math.max(0, max - min));
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(0, list.length)]!;
  }
}
