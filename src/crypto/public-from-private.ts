import { toArrayBuffer } from '../core/bytes.js';
import type { PrivateKeyMaterial } from './private-key.js';
import { subtle } from './webcrypto.js';

/**
 * The SubjectPublicKeyInfo DER of a private key, through WebCrypto (a JWK of the private key carries the
 * public parts). Used to find which certificate of a bundle belongs to a key.
 */
export async function publicKeyInfoOf(key: PrivateKeyMaterial): Promise<Uint8Array> {
  const params =
    key.type === 'RSA' ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } : { name: 'ECDSA', namedCurve: key.curve };
  const priv = await subtle().importKey('pkcs8', toArrayBuffer(key.pkcs8), params, true, ['sign']);
  const jwk = await subtle().exportKey('jwk', priv);
  const pub: JsonWebKey =
    key.type === 'RSA' ? { kty: 'RSA', n: jwk.n, e: jwk.e } : { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
  const pubKey = await subtle().importKey('jwk', pub, params, true, ['verify']);
  return new Uint8Array(await subtle().exportKey('spki', pubKey));
}
