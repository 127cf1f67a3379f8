/**
 * A map that keeps at most `limit` entries, dropping the least recently used: the caches a batch reuses (decoded
 * certificates, imported keys, verified links, path results) stay bounded whatever the input.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly limit: number) {}

  /** The value for `key`, now the most recently used; `undefined` when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Stores `value`, dropping the least recently used entry when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value for `key`, made by `make` when absent (a rejected promise is not kept). */
  getOrSet(key: K, make: () => V): V {
    let value = this.get(key);
    if (value === undefined) {
      value = make();
      this.set(key, value);
      if (value instanceof Promise) value.catch(() => this.entries.get(key) === value && this.entries.delete(key));
    }
    return value;
  }
}
