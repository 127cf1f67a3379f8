import { bytesEqual, type BinaryInput } from '../core/bytes.js';
import { parseCertificate, splitCertificates, type Certificate } from './certificate.js';

/**
 * Where a validation finds intermediates it was not given, before a path is built: e.g. the caIssuers
 * (AIA) URLs of the certificates, when online ({@link withIssuerFetching}).
 */
export interface IssuerSource {
  /** Certificates that may continue the path of `certificate` beyond those `known`. */
  complete(certificate: Certificate, known: readonly Certificate[]): Promise<readonly Certificate[]>;
  /** Why fetching `url` failed, when it did. */
  failure(url: string): string | undefined;
}

/** Trust anchors: the root (or other) certificates a validation may end at. */
export interface TrustStore {
  readonly anchors: readonly Certificate[];
  /** Known CA certificates a path may go through; never trusted by themselves. */
  readonly intermediates?: readonly Certificate[];
  /** Finds missing intermediates on demand (`--online`). */
  readonly issuerSource?: IssuerSource;
}

/**
 * A trust store from certificates given as DER, or PEM text holding one or more certificates.
 * Duplicates (same fingerprint) are kept once. `intermediates` are path-building material, never anchors.
 *
 * @example
 * ```ts
 * const trust = await createTrustStore([await readFile('root.pem')], { intermediates: [await readFile('ca.pem')] });
 * ```
 */
export async function createTrustStore(
  inputs: readonly (BinaryInput | string)[],
  options: { intermediates?: readonly (BinaryInput | string)[] } = {},
): Promise<TrustStore> {
  const anchors = await parseAll(inputs);
  const intermediates = (await parseAll(options.intermediates ?? [])).filter(
    (c) => !anchors.some((a) => a.fingerprintSha256 === c.fingerprintSha256),
  );
  return intermediates.length ? { anchors, intermediates } : { anchors };
}

async function parseAll(inputs: readonly (BinaryInput | string)[]): Promise<Certificate[]> {
  const out: Certificate[] = [];
  for (const input of inputs) {
    for (const der of splitCertificates(input)) {
      const cert = await parseCertificate(der);
      if (!out.some((a) => a.fingerprintSha256 === cert.fingerprintSha256)) out.push(cert);
    }
  }
  return out;
}

/** One store holding every anchor and intermediate of `stores` (each once); the first issuer source wins. */
export function mergeTrustStores(stores: readonly TrustStore[]): TrustStore {
  const anchors: Certificate[] = [];
  const intermediates: Certificate[] = [];
  const add = (list: Certificate[], c: Certificate) => {
    if (!list.some((x) => x.fingerprintSha256 === c.fingerprintSha256)) list.push(c);
  };
  for (const s of stores) for (const c of s.anchors) add(anchors, c);
  for (const s of stores)
    for (const c of s.intermediates ?? [])
      if (!anchors.some((a) => a.fingerprintSha256 === c.fingerprintSha256)) add(intermediates, c);
  const issuerSource = stores.find((s) => s.issuerSource)?.issuerSource;
  return { anchors, ...(intermediates.length && { intermediates }), ...(issuerSource && { issuerSource }) };
}

/** True when `cert` is one of the anchors (byte for byte). */
export function isAnchor(store: TrustStore, cert: Certificate): boolean {
  return store.anchors.some((a) => bytesEqual(a.der, cert.der));
}
