import { bytesEqual, type BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { decodePkcs12 } from '../crypto/pkcs12.js';
import { decodePrivateKey } from '../crypto/private-key.js';
import { publicKeyInfoOf } from '../crypto/public-from-private.js';
import { certificateFacts } from '../pki/certificate-facts.js';
import { splitCertificates } from '../pki/certificate.js';
import { orderChain } from '../pki/chain-order.js';
import { createPkcs8Signer } from './pkcs8-signer.js';
import type { Signer } from './signer.js';

/** Options of {@link loadPkcs12Signer}. */
export interface Pkcs12SignerOptions {
  /** The file's password. */
  password: string;
  /** Certificates to add to the chain when the file holds only the signing certificate (PEM or DER). */
  extraCertificates?: readonly (BinaryInput | string)[];
}

/**
 * A {@link Signer} from a PKCS#12 (.p12/.pfx) file: the certificate matching the key signs, the other
 * certificates form the chain (ordered towards the root).
 *
 * @example
 * ```ts
 * const signer = await loadPkcs12Signer(await readFile('me.p12'), { password: process.env.P12_PASSWORD! });
 * ```
 * @throws KysoError `ERR_WRONG_PASSWORD`, `ERR_KEY_DECODE`, `ERR_NO_CERTIFICATE`, `ERR_UNSUPPORTED_KEY`,
 * `ERR_KEY_CERT_MISMATCH`
 */
export async function loadPkcs12Signer(p12: BinaryInput, options: Pkcs12SignerOptions): Promise<Signer> {
  const k = await readPkcs12Key(p12, options);
  return createPkcs8Signer(decodePrivateKey(k.privateKeyPkcs8), k.certificate, k.chain);
}

/**
 * The key of a PKCS#12 file as PKCS#8 DER, the certificate that matches it and the chain ordered towards the
 * root. Internal: the CLI hands this to its worker threads, so that neither the password nor the slow
 * password-based key derivation is repeated in each.
 */
export async function readPkcs12Key(
  p12: BinaryInput,
  options: Pkcs12SignerOptions,
): Promise<{ privateKeyPkcs8: Uint8Array; certificate: Uint8Array; chain: Uint8Array[] }> {
  if (typeof options?.password !== 'string')
    throw new KysoError('ERR_INVALID_ARGUMENT', 'a PKCS#12 password is required (it may be empty)');
  const contents = await decodePkcs12(p12, options.password);
  const spki = await publicKeyInfoOf(decodePrivateKey(contents.privateKeyPkcs8));
  const leaf = contents.certificates.find((c) => bytesEqual(certificateFacts(c).spki, spki));
  if (!leaf) {
    throw new KysoError('ERR_NO_CERTIFICATE', 'the PKCS#12 file holds no certificate for its private key');
  }
  const extra = (options.extraCertificates ?? []).flatMap((c) => splitCertificates(c));
  const chain = await orderChain(leaf, [...contents.certificates, ...extra]);
  return { privateKeyPkcs8: contents.privateKeyPkcs8, certificate: leaf, chain: [...chain] };
}
