/**
 * A tiny Signer over the test PKI's PKCS#8 keys, imported with WebCrypto. Test-local: src/signers'
 * key-file signer is written by another helper; cms tests must not wait on it.
 */
import { digestLength, type SignatureAlgorithm } from '../../src/core/algorithms.js';
import { parsePem, toArrayBuffer } from '../../src/core/bytes.js';
import type { Signer } from '../../src/signers/signer.js';
import { pkiFile } from '../fixtures/pki.js';

/** Names of the test PKI's leaves. */
export type LeafName = 'rsa2048' | 'rsa4096' | 'p256' | 'p384' | 'expired' | 'nosign' | 'stranger';

/** A Signer for leaf `name` that signs with whichever of `algorithms` it is asked. */
export function testSigner(name: LeafName, algorithms: SignatureAlgorithm[]): Signer {
  const pkcs8 = toArrayBuffer(pkiFile(`${name}.key.der`));
  const chainPem = new TextDecoder().decode(pkiFile(`${name}.chain.pem`));
  const [leaf, ...chain] = parsePem(chainPem).map((b) => b.der);
  return {
    certificate: leaf!,
    chain,
    algorithms,
    async sign(data, alg) {
      const s = globalThis.crypto.subtle;
      if (alg.scheme === 'ECDSA') {
        const namedCurve = name === 'p384' ? 'P-384' : 'P-256';
        const key = await s.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve }, false, ['sign']);
        return new Uint8Array(await s.sign({ name: 'ECDSA', hash: alg.hash }, key, toArrayBuffer(data)));
      }
      const key = await s.importKey('pkcs8', pkcs8, { name: alg.scheme, hash: alg.hash }, false, ['sign']);
      const params =
        alg.scheme === 'RSA-PSS' ? { name: 'RSA-PSS', saltLength: digestLength(alg.hash) } : { name: alg.scheme };
      return new Uint8Array(await s.sign(params, key, toArrayBuffer(data)));
    },
  };
}
