import { toBytes, toHex, type BinaryInput } from '../core/bytes.js';
import { deepFreeze } from '../core/frozen.js';
import { LruCache } from '../core/lru.js';
import { createHasher } from '../crypto/digest.js';
import { createTrustStore, mergeTrustStores, type TrustStore } from './trust-store.js';
import { isVnTrustName, vnTrustStore, type VnTrustName } from './vn-trust.js';

/**
 * Trust anchors as callers give them: a store, certificates (DER or PEM), or `'vn'` / `'vn-gov'` /
 * `'vn-public'` for the Vietnamese bundle or one of its subsets, or a list mixing them.
 */
export type TrustInput = TrustStore | VnTrustName | readonly (BinaryInput | string | VnTrustName | TrustStore)[];

/** One {@link TrustStore} from any {@link TrustInput}; `undefined` when none was given. */
export async function resolveTrust(trust: TrustInput | undefined): Promise<TrustStore | undefined> {
  if (trust === undefined) return undefined;
  if (isVnTrustName(trust)) return vnTrustStore(trust);
  if (!Array.isArray(trust)) return trust as TrustStore;
  const stores: TrustStore[] = [];
  const certificates: (BinaryInput | string)[] = [];
  for (const t of trust as readonly (BinaryInput | string | VnTrustName | TrustStore)[]) {
    if (isVnTrustName(t)) stores.push(await vnTrustStore(t));
    else if (isTrustStore(t)) stores.push(t);
    else certificates.push(t);
  }
  if (certificates.length) stores.push(await storeOf(certificates));
  return mergeTrustStores(stores);
}

/**
 * Stores made from certificates, by the SHA-256 of the bytes given: a caller verifying a batch passes the same
 * anchors with every call (often freshly read), and they are split, decoded and deduplicated once. A store is
 * what its bytes say, so the same bytes may share it; it is frozen.
 */
const stores = new LruCache<string, Promise<TrustStore>>(64);

async function storeOf(certificates: readonly (BinaryInput | string)[]): Promise<TrustStore> {
  const hasher = createHasher('SHA-256');
  for (const c of certificates) {
    const bytes = typeof c === 'string' ? new TextEncoder().encode(c) : toBytes(c, 'certificate');
    // each input's length first: the same bytes cut into other certificates are another input
    hasher.update(new Uint8Array(new Float64Array([bytes.length]).buffer));
    hasher.update(bytes);
  }
  const key = toHex(await hasher.digest());
  return stores.getOrSet(key, () => createTrustStore(certificates).then(deepFreeze));
}

function isTrustStore(t: unknown): t is TrustStore {
  return typeof t === 'object' && t !== null && Array.isArray((t as TrustStore).anchors);
}
