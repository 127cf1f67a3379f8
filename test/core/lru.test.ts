import { describe, expect, it } from 'vitest';
import { LruCache } from '../../src/core/lru.js';
import { deepFreeze } from '../../src/core/frozen.js';

describe('LruCache', () => {
  it('keeps at most its limit, dropping the least recently used', () => {
    const c = new LruCache<number, string>(3);
    for (let i = 0; i < 10; i++) c.set(i, `v${i}`);
    expect(c.size).toBe(3);
    expect(c.get(6)).toBeUndefined();
    expect(c.get(7)).toBe('v7'); // 7 is now the most recent
    c.set(10, 'v10');
    expect(c.get(8)).toBeUndefined();
    expect([c.get(7), c.get(9), c.get(10)]).toEqual(['v7', 'v9', 'v10']);
  });
  it('getOrSet makes a value once, and forgets a promise that rejects', async () => {
    const c = new LruCache<string, Promise<number>>(4);
    let made = 0;
    const make = () => Promise.resolve(++made);
    expect(await c.getOrSet('a', make)).toBe(1);
    expect(await c.getOrSet('a', make)).toBe(1);
    await expect(c.getOrSet('b', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await Promise.resolve();
    expect(c.get('b')).toBeUndefined();
    expect(await c.getOrSet('b', make)).toBe(2);
  });
});

describe('deepFreeze', () => {
  it('freezes nested objects and arrays, leaves bytes and dates usable', () => {
    const v = deepFreeze({ a: { b: [1, { c: 2 }] }, bytes: new Uint8Array(2), when: new Date(0) });
    expect(Object.isFrozen(v.a.b[1])).toBe(true);
    expect(() => {
      (v.a.b as unknown[]).push(3);
    }).toThrow(TypeError);
    v.bytes[0] = 1;
    expect(v.bytes[0]).toBe(1);
  });
});
