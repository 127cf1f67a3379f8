import type { SignatureAlgorithm } from '../core/algorithms.js';
import type { BinaryInput } from '../core/bytes.js';
import { toBytes } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { digest } from '../crypto/digest.js';
import { rawSignatureValue } from '../crypto/ecdsa-signature.js';
import { splitCertificates } from '../pki/certificate.js';
import { orderChain } from '../pki/chain-order.js';
import { certificateKey } from './algorithms.js';
import type { Signer } from './signer.js';

/** Options of {@link createExternalSigner}: give exactly one of `signData` and `signDigest`. */
export interface ExternalSignerOptions {
  /** The signing certificate (PEM may hold the chain after it). */
  certificate: BinaryInput | string;
  /** Further certificates to embed. */
  chain?: readonly (BinaryInput | string)[];
  /** Algorithms the external key supports, preferred first. Default: all the certificate's key allows. */
  algorithms?: readonly SignatureAlgorithm[];
  /** Signs the whole message (the host hashes it). */
  signData?: (data: Uint8Array, algorithm: SignatureAlgorithm) => Promise<BinaryInput>;
  /**
   * Signs a digest kyso computed with `algorithm.hash` (tokens, HSMs, remote hash-signing services). RSA
   * PKCS#1 v1.5 hosts wrap it in a DigestInfo themselves (CKM_RSA_PKCS hosts must prepend it).
   */
  signDigest?: (digest: Uint8Array, algorithm: SignatureAlgorithm) => Promise<BinaryInput>;
}

/**
 * A {@link Signer} whose key lives outside kyso: the host is handed the bytes or their digest and returns the
 * signature value. ECDSA values may come back as DER or as r||s; they are normalised to r||s. Failures and
 * values of the wrong size become `ERR_SIGNER_FAILED`. No probe signature is made at creation (it could ask a
 * person to approve on a phone), so a key that does not match the certificate shows when the result is verified.
 *
 * @example
 * ```ts
 * const signer = await createExternalSigner({
 *   certificate: certPem,
 *   signDigest: (digest, alg) => myRemoteService.signHash(digest, alg.hash),
 * });
 * ```
 */
export async function createExternalSigner(options: ExternalSignerOptions): Promise<Signer> {
  if (!options.signData === !options.signDigest) {
    throw new KysoError('ERR_INVALID_ARGUMENT', 'give exactly one of signData and signDigest');
  }
  const certs = splitCertificates(options.certificate);
  const leaf = certs[0]!;
  const key = certificateKey(leaf);
  const curve = key.curve;
  const algorithms = options.algorithms?.length ? [...options.algorithms] : key.algorithms;
  const expected = key.signatureLength;
  return {
    certificate: leaf,
    chain: await orderChain(leaf, [...certs.slice(1), ...(options.chain ?? []).flatMap((c) => splitCertificates(c))]),
    algorithms,
    async sign(data, alg) {
      let raw: Uint8Array;
      try {
        const result = options.signData
          ? await options.signData(data, alg)
          : await options.signDigest!(await digest(alg.hash, data), alg);
        raw = toBytes(result, 'signature value');
      } catch (cause) {
        if (cause instanceof KysoError && cause.code === 'ERR_SIGNER_FAILED') throw cause;
        throw new KysoError('ERR_SIGNER_FAILED', `the external signer failed: ${(cause as Error)?.message ?? cause}`, {
          cause,
        });
      }
      return rawSignatureValue(raw, curve !== undefined, expected, `the external signer's ${alg.scheme} value`);
    },
  };
}
