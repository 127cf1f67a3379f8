import type { BinaryInput } from '../core/bytes.js';
import { createTrustStore, type TrustStore } from './trust-store.js';
import { vnTrustStore } from './vn-trust.js';

/** Trust anchors as callers give them: a store, certificates (DER or PEM), or `'vn'` for the Vietnamese bundle. */
export type TrustInput = TrustStore | 'vn' | readonly (BinaryInput | string | 'vn')[];

/** One {@link TrustStore} from any {@link TrustInput}; `undefined` when none was given. */
export async function resolveTrust(trust: TrustInput | undefined): Promise<TrustStore | undefined> {
  if (trust === undefined) return undefined;
  if (trust === 'vn') return vnTrustStore();
  if (!Array.isArray(trust)) return trust as TrustStore;
  const list = trust as readonly (BinaryInput | string | 'vn')[];
  const vn = list.includes('vn') ? (await vnTrustStore()).anchors.map((a) => a.der) : [];
  return createTrustStore([...vn, ...list.filter((t): t is BinaryInput | string => t !== 'vn')]);
}
