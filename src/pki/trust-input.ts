import type { BinaryInput } from '../core/bytes.js';
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
  if (certificates.length) stores.push(await createTrustStore(certificates));
  return mergeTrustStores(stores);
}

function isTrustStore(t: unknown): t is TrustStore {
  return typeof t === 'object' && t !== null && Array.isArray((t as TrustStore).anchors);
}
