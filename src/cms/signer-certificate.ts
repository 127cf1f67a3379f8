import type { DigestAlgorithm } from '../core/algorithms.js';
import { bytesEqual } from '../core/bytes.js';
import { tlv } from '../core/der.js';
import { digest } from '../crypto/digest.js';
import { certificateFacts, type CertificateFacts } from '../pki/certificate-facts.js';

/**
 * What CMS signing derives from a signing certificate and its chain, worked out once: a batch signs document
 * after document with one signer, whose certificate is the same array every time. Keyed by that array and
 * checked against a private copy of its bytes, so a buffer the caller refilled with another certificate is
 * read afresh.
 */
export interface SignerCertificate {
  facts: CertificateFacts;
  /** The certificate's digest under `hash` (for signing-certificate-v2). */
  hash(hash: DigestAlgorithm): Promise<Uint8Array>;
  /** The `[0] IMPLICIT CertificateSet` of the certificate followed by `chain`, each once. */
  certificateSet(chain: readonly Uint8Array[]): Uint8Array;
}

interface Entry extends SignerCertificate {
  copy: Uint8Array;
}

const entries = new WeakMap<Uint8Array, Entry>();

/** The {@link SignerCertificate} of the DER `certificate`. Throws `ERR_KEY_DECODE` when it is not a certificate. */
export function signerCertificate(certificate: Uint8Array): SignerCertificate {
  const known = entries.get(certificate);
  if (known && bytesEqual(known.copy, certificate)) return known;
  const copy = certificate.slice();
  const facts = certificateFacts(copy);
  const hashes = new Map<DigestAlgorithm, Promise<Uint8Array>>();
  // the last chains seen (a signer has one; a few are kept for callers alternating chains)
  const sets: { chain: Uint8Array[]; der: Uint8Array }[] = [];
  const entry: Entry = {
    copy,
    facts,
    hash(hash) {
      let h = hashes.get(hash);
      if (!h) {
        h = digest(hash, copy);
        h.catch(() => hashes.delete(hash));
        hashes.set(hash, h);
      }
      return h;
    },
    certificateSet(chain) {
      const hit = sets.find(
        (s) => s.chain.length === chain.length && s.chain.every((c, i) => bytesEqual(c, chain[i]!)),
      );
      if (hit) return hit.der;
      const certificates: Uint8Array[] = [copy];
      for (const der of chain) if (!certificates.some((known) => bytesEqual(known, der))) certificates.push(der);
      const der = tlv(0xa0, ...certificates);
      if (sets.length >= 4) sets.shift();
      sets.push({ chain: chain.map((c) => c.slice()), der });
      return der;
    },
  };
  entries.set(certificate, entry);
  return entry;
}
