import type { DigestAlgorithm, SignatureAlgorithm } from '../core/algorithms.js';
import { KysoError } from '../core/errors.js';

/**
 * Who signs: a certificate, the certificates that chain it towards a root, and one key operation.
 * Nothing here knows about PDF, XML or CMS, so a key in a file, a WebCrypto key, a USB token and a
 * remote signing service all fit.
 */
export interface Signer {
  /** DER of the signing certificate. */
  readonly certificate: Uint8Array;
  /** DER of the other certificates of the chain (intermediates, possibly the root), leaf excluded. */
  readonly chain: readonly Uint8Array[];
  /** The algorithms this signer can produce, the preferred one first. */
  readonly algorithms: readonly SignatureAlgorithm[];
  /**
   * Signs `data` (the whole message, hashed by the signer with `algorithm.hash`) and returns the raw
   * signature value: for RSA the modulus-sized value, for ECDSA `r||s` (IEEE P1363, as WebCrypto gives it).
   */
  sign(data: Uint8Array, algorithm: SignatureAlgorithm): Promise<Uint8Array>;
}

/** Which signature algorithm a verb picks for a signer (its key decides the rest; see `chooseAlgorithm`). */
export interface AlgorithmPreference {
  /** Digest to use. Default: the signer's preferred algorithm's digest. */
  hash?: DigestAlgorithm;
  /** Use RSA-PSS rather than PKCS#1 v1.5 with an RSA key. Default: false. */
  pss?: boolean;
}

/** Picks the signer's algorithm that matches `pref`, or throws `ERR_UNSUPPORTED_ALGORITHM`. */
export function chooseAlgorithm(signer: Signer, pref: AlgorithmPreference = {}): SignatureAlgorithm {
  const candidates = signer.algorithms.filter(
    (a) =>
      (pref.hash === undefined || a.hash === pref.hash) &&
      (pref.pss === undefined || (a.scheme === 'RSA-PSS') === pref.pss),
  );
  const found = candidates[0];
  if (!found) {
    const offered = signer.algorithms.map((a) => `${a.scheme}/${a.hash}`).join(', ');
    throw new KysoError(
      'ERR_UNSUPPORTED_ALGORITHM',
      `the signer cannot sign with ${pref.pss ? 'RSA-PSS ' : ''}${pref.hash ?? ''}; it offers ${offered}`,
    );
  }
  return found;
}
