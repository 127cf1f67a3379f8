import { fromBase64 } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { parseCertificate, type Certificate } from './certificate.js';
import type { TrustStore } from './trust-store.js';

/** One certificate of a bundled trust list, as its data file lists it. */
export interface BundledCertificate {
  /** Short stable name, e.g. `vgca-rootca-g1`. */
  id: string;
  /** The subject's common name. */
  name: string;
  /** `anchor`: trusted by its fingerprint; `intermediate`: path-building material only. */
  role: 'anchor' | 'intermediate';
  /** The named subsets it belongs to (`vn-gov`, `vn-public`). */
  subsets: string[];
  /** SHA-256 of the DER, upper-case hex: the pin. */
  sha256: string;
  /** SHA-256 of the anchor its path ends at. */
  root: string;
  notBefore: string;
  notAfter: string;
  /** What it is for, for people ("government documents 2010–2024"). */
  purpose: string;
  signatureAlgorithm: string;
  /** Where the certificate was found, and its publisher (where a user confirms the fingerprint). */
  source: { publisher: string; repository?: string; path?: string; commit?: string; note: string };
  /** The certificate, base64 DER. */
  der: string;
}

/** A bundled certificate whose bytes do not match its pinned fingerprint: refused, never trusted. */
export class TrustPinError extends KysoError {
  /** The pinned fingerprint. */
  readonly expected: string;
  /** The fingerprint of the bytes found. */
  readonly actual: string;

  constructor(name: string, expected: string, actual: string) {
    super(
      'ERR_TRUST_PIN',
      `the trust certificate "${name}" is refused: its SHA-256 fingerprint is ${actual}, not the pinned ${expected}`,
    );
    this.name = 'TrustPinError';
    this.expected = expected;
    this.actual = actual;
  }
}

/** Parses a bundled certificate, refusing it ({@link TrustPinError}) unless its DER matches its pin. */
export async function pinnedCertificate(
  entry: Pick<BundledCertificate, 'name' | 'sha256' | 'der'>,
): Promise<Certificate> {
  const cert = await parseCertificate(fromBase64(entry.der));
  if (cert.fingerprintSha256 !== entry.sha256.toUpperCase())
    throw new TrustPinError(entry.name, entry.sha256.toUpperCase(), cert.fingerprintSha256);
  return cert;
}

/**
 * The trust store of the bundled certificates in `subset` (all of them when it is undefined): anchors as
 * anchors, intermediates as path-building material; every certificate checked against its pin.
 */
export async function trustStoreFromBundle(
  entries: readonly BundledCertificate[],
  subset?: string,
): Promise<TrustStore> {
  const chosen = entries.filter((e) => subset === undefined || e.subsets.includes(subset));
  const anchors: Certificate[] = [];
  const intermediates: Certificate[] = [];
  for (const e of chosen) (e.role === 'anchor' ? anchors : intermediates).push(await pinnedCertificate(e));
  return { anchors, intermediates };
}
