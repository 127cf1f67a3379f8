// DSA signatures on certificates and CRLs (RFC 3279 §2.2.2, with parameters inherited from the issuer as
// §2.3.2 allows). WebCrypto has no DSA; Node's crypto verifies it where it is at hand (found through
// process.getBuiltinModule, so browser bundles carry no Node built-in). Elsewhere the answer is "unsupported".
import { derOid, readChildren, readOid, readTlv, tlv } from '../../core/der.js';
import type { Certificate } from '../certificate.js';

const ID_DSA = '1.2.840.10040.4.1';
/** DSA signature algorithm OIDs and the hash each uses (Node's names). */
export const DSA_SIGNATURES: Readonly<Record<string, string>> = {
  '1.2.840.10040.4.3': 'sha1',
  '2.16.840.1.101.3.4.3.1': 'sha224',
  '2.16.840.1.101.3.4.3.2': 'sha256',
};

interface NodeCrypto {
  createPublicKey(o: { key: Uint8Array; format: 'der'; type: 'spki' }): unknown;
  verify(hash: string, data: Uint8Array, key: unknown, signature: Uint8Array): boolean;
}

function nodeCrypto(): NodeCrypto | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
}

/** The DER of a DSA key's AlgorithmIdentifier parameters (Dss-Parms), or undefined when it inherits them. */
function dssParameters(cert: Certificate): Uint8Array | undefined {
  const spki = cert.facts.spki;
  const [alg] = readChildren(spki, readTlv(spki, 0));
  const [oid, params] = readChildren(spki, alg!);
  if (readOid(spki, oid!) !== ID_DSA || !params || params.tag !== 0x30) return undefined;
  return spki.slice(params.start, params.end);
}

/** True when `cert` has a DSA public key. */
export function isDsaKey(cert: Certificate): boolean {
  return cert.facts.key.type === 'other' && cert.facts.key.oid === ID_DSA;
}

/**
 * Verifies a DSA signature made with `signer`'s key; `inheritFrom` gives the candidates for the domain
 * parameters when the signer's key has none (its issuer's DSA key).
 */
export function verifyDsa(
  hash: string,
  signer: Certificate,
  signature: Uint8Array,
  data: Uint8Array,
  inheritFrom: readonly Certificate[],
): 'valid' | 'invalid' | { unsupported: string } {
  const crypto = nodeCrypto();
  if (!crypto) return { unsupported: 'DSA is not verifiable on this platform (WebCrypto has no DSA)' };
  if (!isDsaKey(signer)) return 'invalid';
  let params = dssParameters(signer);
  if (!params) {
    params = inheritFrom
      .filter(isDsaKey)
      .map(dssParameters)
      .find((p) => p !== undefined);
    if (!params)
      return {
        unsupported: `the DSA key of "${signer.subject.display}" inherits domain parameters from an issuer not at hand`,
      };
  }
  const spki = tlv(0x30, tlv(0x30, derOid(ID_DSA), params), tlv(0x03, Uint8Array.of(0), signer.facts.publicKeyBits));
  try {
    return crypto.verify(hash, data, crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' }), signature)
      ? 'valid'
      : 'invalid';
  } catch (e) {
    return { unsupported: `DSA verification failed to run: ${e instanceof Error ? e.message : String(e)}` };
  }
}
