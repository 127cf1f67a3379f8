import { CURVES, digestLength, isSha3, type SignatureAlgorithm } from '../core/algorithms.js';
import { NODE_NAMES } from '../crypto/digest.js';
import { concatBytes, toArrayBuffer, toHex } from '../core/bytes.js';
import { OID } from '../core/oids.js';
import { derToP1363 } from '../crypto/ecdsa-signature.js';
import { nodeCrypto, subtle } from '../crypto/webcrypto.js';
import type { CertificateFacts } from './certificate-facts.js';
import { DER_NULL, derOid, tlv } from '../core/der.js';
import type { Problem as CmsProblem } from '../core/problem.js';

/** Outcome of {@link verifyWithCertificate}. */
export interface SignatureCheck {
  valid: boolean;
  problems: CmsProblem[];
}

/** Options of {@link verifyWithCertificate}. */
export interface VerifyWithCertificateOptions {
  /** The RSA-PSS salt length. Default: the digest length. */
  saltLength?: number;
  /** How an ECDSA value is given: DER `ECDSA-Sig-Value` as CMS stores it (default), or r||s as XMLDSig and WebCrypto do. */
  ecdsa?: 'der' | 'r||s';
}

/**
 * Verifies `signature` over `data` with the certificate's public key, through WebCrypto. Never throws: what
 * cannot be checked is a problem.
 */
export async function verifyWithCertificate(
  cert: CertificateFacts,
  algorithm: SignatureAlgorithm,
  signature: Uint8Array,
  data: Uint8Array,
  options: VerifyWithCertificateOptions = {},
): Promise<SignatureCheck> {
  const { saltLength } = options;
  const key = cert.key;
  const problem = (code: string, message: string): SignatureCheck => ({ valid: false, problems: [{ code, message }] });
  try {
    if (isSha3(algorithm.hash)) return verifyWithNode(cert, algorithm, signature, data, options);
    if (algorithm.scheme === 'ECDSA') {
      if (key.type !== 'EC') return problem('key-algorithm-mismatch', `an ECDSA signature with a ${key.type} key`);
      if (!key.curve)
        return problem('unsupported-algorithm', `EC curve ${key.curveOid ?? '(explicit parameters)'} is not supported`);
      let raw = signature;
      if (options.ecdsa !== 'r||s') {
        try {
          raw = derToP1363(signature, CURVES[key.curve].size);
        } catch {
          return problem('signature-invalid', 'the ECDSA signature is not a DER ECDSA-Sig-Value for this curve');
        }
      }
      const publicKey = await verifyKeyOf(cert, { name: 'ECDSA', namedCurve: key.curve }, () => cert.spki);
      const valid = await subtle().verify(
        { name: 'ECDSA', hash: algorithm.hash },
        publicKey,
        toArrayBuffer(raw),
        toArrayBuffer(data),
      );
      return { valid, problems: [] };
    }
    if (key.type !== 'RSA')
      return problem('key-algorithm-mismatch', `an ${algorithm.scheme} signature with a ${key.type} key`);
    // WebCrypto imports RSA keys under rsaEncryption only; a PSS-restricted SPKI is rewritten to it.
    const spki = () =>
      tlv(
        0x30,
        tlv(0x30, derOid(OID.rsaEncryption), DER_NULL),
        tlv(0x03, concatBytes([Uint8Array.of(0), cert.publicKeyBits])),
      );
    const publicKey = await verifyKeyOf(cert, { name: algorithm.scheme, hash: algorithm.hash }, spki);
    const params =
      algorithm.scheme === 'RSA-PSS'
        ? { name: 'RSA-PSS', saltLength: saltLength ?? digestLength(algorithm.hash) }
        : { name: algorithm.scheme };
    // Some signers drop leading zero octets of the value; I2OSP restores them.
    const value =
      signature.length < key.modulusBytes
        ? concatBytes([new Uint8Array(key.modulusBytes - signature.length), signature])
        : signature;
    const valid = await subtle().verify(params, publicKey, toArrayBuffer(value), toArrayBuffer(data));
    return { valid, problems: [] };
  } catch (cause) {
    return problem(
      'public-key-unusable',
      `the certificate's public key cannot be used: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

/**
 * WebCrypto has no SHA-3: Node's crypto verifies such signatures. Where there is no Node (a browser), the
 * signature cannot be checked, which is a reason for doubt, not a failure.
 */
function verifyWithNode(
  cert: CertificateFacts,
  algorithm: SignatureAlgorithm,
  signature: Uint8Array,
  data: Uint8Array,
  options: VerifyWithCertificateOptions,
): SignatureCheck {
  const node = nodeCrypto();
  if (!node) {
    return {
      valid: false,
      problems: [
        {
          code: 'unsupported-algorithm',
          message: `${algorithm.scheme} with ${algorithm.hash} cannot be checked here: this environment's WebCrypto has no SHA-3 (kyso on Node verifies it)`,
        },
      ],
    };
  }
  const key = node.createPublicKey({ key: cert.spki, format: 'der', type: 'spki' });
  const name = NODE_NAMES[algorithm.hash];
  if (algorithm.scheme === 'ECDSA')
    return {
      valid: node.verify(name, data, { key, dsaEncoding: options.ecdsa === 'r||s' ? 'ieee-p1363' : 'der' }, signature),
      problems: [],
    };
  const padding =
    algorithm.scheme === 'RSA-PSS'
      ? {
          padding: node.constants.RSA_PKCS1_PSS_PADDING,
          saltLength: options.saltLength ?? digestLength(algorithm.hash),
        }
      : { padding: node.constants.RSA_PKCS1_PADDING };
  return { valid: node.verify(name, data, { key, ...padding }, signature), problems: [] };
}

/**
 * The imported keys of each certificate's facts, by algorithm: the facts of a decoded certificate are shared
 * (pki/certificate keeps them), so a batch finds its signer's and CAs' keys without rewriting or hex-encoding
 * their SPKI. Held only as long as the facts are.
 */
const keysOfCertificate = new WeakMap<CertificateFacts, Map<string, Promise<CryptoKey>>>();

function verifyKeyOf(
  cert: CertificateFacts,
  params: RsaHashedImportParams | EcKeyImportParams,
  spki: () => Uint8Array,
): Promise<CryptoKey> {
  const id = `${params.name}/${'hash' in params ? String(params.hash) : params.namedCurve}`;
  let keys = keysOfCertificate.get(cert);
  if (!keys) keysOfCertificate.set(cert, (keys = new Map()));
  let key = keys.get(id);
  if (!key) {
    const imported = importVerifyKey(spki(), params);
    imported.catch(() => keys.get(id) === imported && keys.delete(id));
    keys.set(id, (key = imported));
  }
  return key;
}

const importedKeys = new Map<string, Promise<CryptoKey>>();

/**
 * WebCrypto's import of a public key for verifying, remembered: a verifier meets the same CA and signer keys in
 * document after document, and the import costs more than the verification. At most 256 keys are kept.
 */
function importVerifyKey(spki: Uint8Array, params: RsaHashedImportParams | EcKeyImportParams): Promise<CryptoKey> {
  const id = `${params.name}/${'hash' in params ? params.hash : params.namedCurve}/${toHex(spki)}`;
  let key = importedKeys.get(id);
  if (!key) {
    key = subtle().importKey('spki', toArrayBuffer(spki), params, false, ['verify']);
    key.catch(() => importedKeys.delete(id));
    if (importedKeys.size >= 256) importedKeys.delete(importedKeys.keys().next().value!);
    importedKeys.set(id, key);
  }
  return key;
}
