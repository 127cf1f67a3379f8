import { digestLength, type SignatureAlgorithm } from '../core/algorithms.js';
import { toArrayBuffer } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import type { PrivateKeyMaterial } from '../crypto/private-key.js';
import { subtle } from '../crypto/webcrypto.js';
import { algorithmsForKey } from './algorithms.js';
import { assertKeyMatchesCertificate } from './key-check.js';
import type { Signer } from './signer.js';

/** WebCrypto parameters to import and to sign with `alg`. */
export function webCryptoParams(alg: SignatureAlgorithm, curve?: string): { importAs: Algorithm; signWith: Algorithm } {
  if (alg.scheme === 'ECDSA')
    return {
      importAs: { name: 'ECDSA', namedCurve: curve } as Algorithm,
      signWith: { name: 'ECDSA', hash: alg.hash } as Algorithm,
    };
  const signWith =
    alg.scheme === 'RSA-PSS'
      ? ({ name: 'RSA-PSS', saltLength: digestLength(alg.hash) } as Algorithm)
      : { name: alg.scheme };
  return { importAs: { name: alg.scheme, hash: alg.hash } as Algorithm, signWith };
}

/**
 * Signs `data` with a WebCrypto key once `alg` is known to be one the signer offers (`what` names the signer
 * in the error); WebCrypto's failures become `ERR_SIGNER_FAILED`.
 */
export async function signWithWebCrypto(o: {
  algorithms: readonly SignatureAlgorithm[];
  alg: SignatureAlgorithm;
  curve: string | undefined;
  data: Uint8Array;
  what: string;
  key: () => Promise<CryptoKey>;
}): Promise<Uint8Array> {
  if (!o.algorithms.some((a) => a.scheme === o.alg.scheme && a.hash === o.alg.hash)) {
    throw new KysoError('ERR_UNSUPPORTED_ALGORITHM', `${o.what} cannot sign with ${o.alg.scheme}/${o.alg.hash}`);
  }
  try {
    return new Uint8Array(
      await subtle().sign(webCryptoParams(o.alg, o.curve).signWith, await o.key(), toArrayBuffer(o.data)),
    );
  } catch (cause) {
    throw new KysoError('ERR_SIGNER_FAILED', `WebCrypto could not sign: ${(cause as Error).message}`, { cause });
  }
}

/**
 * A signer over PKCS#8 key bytes. WebCrypto binds an RSA key to one scheme and digest at import, so the key
 * is imported lazily once per algorithm, non-extractable, and the imported keys are kept.
 */
export async function createPkcs8Signer(
  key: PrivateKeyMaterial,
  certificate: Uint8Array,
  chain: readonly Uint8Array[],
): Promise<Signer> {
  const imported = new Map<string, Promise<CryptoKey>>();
  const curve = key.type === 'EC' ? key.curve : undefined;
  const algorithms = algorithmsForKey(key);
  const importFor = (alg: SignatureAlgorithm): Promise<CryptoKey> => {
    const id = alg.scheme === 'ECDSA' ? 'ECDSA' : `${alg.scheme}/${alg.hash}`;
    let k = imported.get(id);
    if (!k) {
      k = subtle().importKey('pkcs8', toArrayBuffer(key.pkcs8), webCryptoParams(alg, curve).importAs, false, ['sign']);
      k.catch(() => imported.delete(id));
      imported.set(id, k);
    }
    return k;
  };
  const signer: Signer = {
    certificate,
    chain,
    algorithms,
    sign: (data, alg) =>
      signWithWebCrypto({ algorithms, alg, curve, data, what: `this ${key.type} key`, key: () => importFor(alg) }),
  };
  await assertKeyMatchesCertificate(signer);
  return signer;
}
