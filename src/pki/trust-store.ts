import { bytesEqual, type BinaryInput } from '../core/bytes.js';
import { parseCertificate, splitCertificates, type Certificate } from './certificate.js';

/** Trust anchors: the root (or other) certificates a validation may end at. */
export interface TrustStore {
  readonly anchors: readonly Certificate[];
}

/**
 * A trust store from certificates given as DER, or PEM text holding one or more certificates.
 * Duplicates (same fingerprint) are kept once.
 *
 * @example
 * ```ts
 * const trust = await createTrustStore([await readFile('root.pem')]);
 * ```
 */
export async function createTrustStore(inputs: readonly (BinaryInput | string)[]): Promise<TrustStore> {
  const anchors: Certificate[] = [];
  for (const input of inputs) {
    for (const der of splitCertificates(input)) {
      const cert = await parseCertificate(der);
      if (!anchors.some((a) => a.fingerprintSha256 === cert.fingerprintSha256)) anchors.push(cert);
    }
  }
  return { anchors };
}

/** True when `cert` is one of the anchors (byte for byte). */
export function isAnchor(store: TrustStore, cert: Certificate): boolean {
  return store.anchors.some((a) => bytesEqual(a.der, cert.der));
}
