import { type DigestAlgorithm, type NamedCurve, type SignatureAlgorithm } from '../core/algorithms.js';
import type { BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { splitCertificates } from '../pki/certificate.js';
import { orderChain } from '../pki/chain-order.js';
import { algorithmsForKey } from './algorithms.js';
import { assertKeyMatchesCertificate } from './key-check.js';
import { signWithWebCrypto } from './pkcs8-signer.js';
import type { Signer } from './signer.js';

/** Options of {@link createCryptoKeySigner}. */
export interface CryptoKeySignerOptions {
  /** A WebCrypto private key with the `sign` usage; non-extractable keys work. */
  privateKey: CryptoKey;
  /** Signing certificate (PEM may hold the chain after it). */
  certificate: BinaryInput | string;
  /** Further certificates to embed. */
  chain?: readonly (BinaryInput | string)[];
}

/**
 * A {@link Signer} over an existing WebCrypto `CryptoKey` — e.g. a non-extractable key generated in a browser.
 * An RSA CryptoKey is bound to the scheme and digest it was created with, so that is the one algorithm it
 * offers; an ECDSA key signs with any digest.
 *
 * @example
 * ```ts
 * const signer = await createCryptoKeySigner({ privateKey: keys.privateKey, certificate: certPem });
 * ```
 */
export async function createCryptoKeySigner(options: CryptoKeySignerOptions): Promise<Signer> {
  const key = options.privateKey;
  if (!key || key.type !== 'private' || !key.usages.includes('sign')) {
    throw new KysoError('ERR_INVALID_ARGUMENT', 'privateKey must be a WebCrypto private key with the "sign" usage');
  }
  const certs = splitCertificates(options.certificate);
  const leaf = certs[0]!;
  const algorithms = algorithmsOf(key);
  const curve = (key.algorithm as EcKeyAlgorithm).namedCurve;
  const signer: Signer = {
    certificate: leaf,
    chain: await orderChain(leaf, [...certs.slice(1), ...(options.chain ?? []).flatMap((c) => splitCertificates(c))]),
    algorithms,
    sign: (data, alg) =>
      signWithWebCrypto({ algorithms, alg, curve, data, what: 'this CryptoKey', key: async () => key }),
  };
  await assertKeyMatchesCertificate(signer);
  return signer;
}

function algorithmsOf(key: CryptoKey): SignatureAlgorithm[] {
  const alg = key.algorithm as RsaHashedKeyAlgorithm & EcKeyAlgorithm;
  if (alg.name === 'ECDSA') {
    const curve = alg.namedCurve as NamedCurve;
    if (!['P-256', 'P-384', 'P-521'].includes(curve))
      throw new KysoError('ERR_UNSUPPORTED_KEY', `unsupported curve ${alg.namedCurve}`);
    return algorithmsForKey({ type: 'EC', curve });
  }
  if (alg.name === 'RSASSA-PKCS1-v1_5' || alg.name === 'RSA-PSS') {
    if (alg.modulusLength < 2048)
      throw new KysoError(
        'ERR_UNSUPPORTED_KEY',
        `RSA key of ${alg.modulusLength} bits is too weak; at least 2048 bits are required`,
      );
    const hash = (typeof alg.hash === 'string' ? alg.hash : alg.hash.name) as DigestAlgorithm;
    if (!['SHA-256', 'SHA-384', 'SHA-512'].includes(hash))
      throw new KysoError('ERR_UNSUPPORTED_ALGORITHM', `the CryptoKey is bound to ${hash}`);
    return [{ scheme: alg.name, hash }];
  }
  throw new KysoError('ERR_UNSUPPORTED_KEY', `unsupported CryptoKey algorithm ${alg.name}`);
}
