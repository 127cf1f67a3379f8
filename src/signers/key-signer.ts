import { curveFromOid, type NamedCurve } from '../core/algorithms.js';
import type { BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { decodePrivateKey } from '../crypto/private-key.js';
import { certificateFacts } from '../pki/certificate-facts.js';
import { splitCertificates } from '../pki/certificate.js';
import { orderChain } from '../pki/chain-order.js';
import { createPkcs8Signer } from './pkcs8-signer.js';
import type { Signer } from './signer.js';

/** Options of {@link createKeySigner}. */
export interface KeySignerOptions {
  /** Private key: PKCS#8, PKCS#1 or SEC1, PEM or DER. */
  key: BinaryInput | string;
  /** Signing certificate, PEM or DER. A PEM may hold the whole chain, the signing certificate first. */
  certificate: BinaryInput | string;
  /** Further certificates (intermediates) to embed, PEM (one or more) or DER each. */
  chain?: readonly (BinaryInput | string)[];
  /** Reserved for encrypted keys, which are refused with a hint today. */
  password?: string;
}

/**
 * A {@link Signer} from a private key file and its certificate.
 *
 * @example
 * ```ts
 * const signer = await createKeySigner({ key: await readFile('key.pem'), certificate: await readFile('cert.pem') });
 * ```
 * @throws KysoError `ERR_KEY_DECODE`, `ERR_UNSUPPORTED_KEY`, `ERR_NO_CERTIFICATE`, `ERR_KEY_CERT_MISMATCH`
 */
export async function createKeySigner(options: KeySignerOptions): Promise<Signer> {
  const certs = splitCertificates(options.certificate);
  const leaf = certs[0];
  if (!leaf) throw new KysoError('ERR_NO_CERTIFICATE', 'no signing certificate given');
  const leafKey = certificateFacts(leaf).key;
  const curveHint: NamedCurve | undefined =
    leafKey.type === 'EC'
      ? (leafKey.curve ?? (leafKey.curveOid ? curveFromOid(leafKey.curveOid) : undefined))
      : undefined;
  const key = decodePrivateKey(options.key, curveHint);
  const extra = (options.chain ?? []).flatMap((c) => splitCertificates(c));
  const chain = await orderChain(leaf, [...certs.slice(1), ...extra]);
  return createPkcs8Signer(key, leaf, chain);
}
