import type { TrustStore } from './trust-store.js';
import { trustStoreFromBundle, type BundledCertificate } from './trust-bundle.js';

/**
 * Names of the Vietnamese trust bundle: `vn` every official Vietnamese root (the government hierarchies G1
 * and G2 of Ban Cơ yếu Chính phủ, and the public CAs' roots: MIC National Root CA, Vietnam National Root
 * CA and its G3) with the known intermediates; `vn-gov` the government hierarchies only; `vn-public` the
 * public CAs only.
 */
export type VnTrustName = 'vn' | 'vn-gov' | 'vn-public';

/** Every {@link VnTrustName}. */
export const VN_TRUST_NAMES: readonly VnTrustName[] = ['vn', 'vn-gov', 'vn-public'];

/** True when `name` names the Vietnamese bundle or one of its subsets. */
export function isVnTrustName(name: unknown): name is VnTrustName {
  return typeof name === 'string' && (VN_TRUST_NAMES as readonly string[]).includes(name);
}

let bundle: Promise<readonly BundledCertificate[]> | undefined;

/**
 * The certificates of the Vietnamese bundle as its data file (assets/trust/vn/bundle.json) lists them: role,
 * subsets, pinned SHA-256, validity, source and purpose. Loaded on first use.
 *
 * Confirm the anchors' fingerprints with their publishers before relying on them: rootca.gov.vn (National
 * Electronic Authentication Centre, NEAC — the public CAs) and ca.gov.vn (Ban Cơ yếu Chính phủ — the
 * government hierarchies).
 */
export function vnTrustBundle(): Promise<readonly BundledCertificate[]> {
  bundle ??= import('../../assets/trust/vn/bundle.json').then(
    (m) => (m.default as { certificates: BundledCertificate[] }).certificates,
  );
  return bundle;
}

const stores = new Map<VnTrustName, Promise<TrustStore>>();

/**
 * The Vietnamese trust bundle (or a subset) as a {@link TrustStore}: its roots as anchors, its known
 * intermediates as path-building material. Each certificate is checked against its pinned fingerprint when
 * first loaded; a mismatch throws a `TrustPinError` (`ERR_TRUST_PIN`).
 *
 * @example
 * ```ts
 * const report = await verifyPdf(pdf, { trust: await vnTrustStore('vn-gov') });
 * ```
 */
export function vnTrustStore(name: VnTrustName = 'vn'): Promise<TrustStore> {
  let store = stores.get(name);
  if (!store) {
    store = vnTrustBundle().then((entries) => trustStoreFromBundle(entries, name === 'vn' ? undefined : name));
    store.catch(() => stores.delete(name));
    stores.set(name, store);
  }
  return store;
}
