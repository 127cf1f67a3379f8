import { CURVES, curveFromOid, type NamedCurve } from '../core/algorithms.js';
import { fromLatin1, isPem, parsePem, toBytes, type BinaryInput } from '../core/bytes.js';
import { DER_NULL, derOid, derSmallInteger, readChildren, readOid, readTlv, tlv } from '../core/der.js';
import { KysoError } from '../core/errors.js';
import { OID } from '../core/oids.js';

/** A decoded private key: its PKCS#8 bytes (what WebCrypto imports) and what kind of key it is. */
export type PrivateKeyMaterial =
  { type: 'RSA'; pkcs8: Uint8Array; bits: number } | { type: 'EC'; pkcs8: Uint8Array; curve: NamedCurve };

/** Smallest RSA modulus kyso signs with. */
export const MIN_RSA_BITS = 2048;
const MAX_RSA_BITS = 8192;

/**
 * Decodes a private key given as PKCS#8 (`PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`) or SEC1
 * (`EC PRIVATE KEY`), in PEM or DER. PKCS#1 and SEC1 are wrapped into PKCS#8 for WebCrypto. A SEC1 key
 * without curve parameters takes `curveHint` (the certificate's curve).
 *
 * @throws KysoError `ERR_KEY_DECODE` (not a key, or an encrypted one), `ERR_UNSUPPORTED_KEY` (RSA under
 * 2048 bits, an unsupported curve or key type).
 */
export function decodePrivateKey(input: BinaryInput | string, curveHint?: NamedCurve): PrivateKeyMaterial {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : toBytes(input, 'key');
  if (isPem(bytes)) {
    const blocks = parsePem(fromLatin1(bytes));
    const block = blocks.find((b) => /PRIVATE KEY$/.test(b.label));
    if (!block) throw new KysoError('ERR_KEY_DECODE', 'no private key in the PEM text');
    if (block.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type: 4,ENCRYPTED/.test(fromLatin1(bytes))) {
      throw new KysoError(
        'ERR_KEY_DECODE',
        'the key file is encrypted; decrypt it first (openssl pkey -in key.pem -out plain.pem) or use a PKCS#12 file',
      );
    }
    return decodeDer(block.der, block.label, curveHint);
  }
  return decodeDer(bytes, undefined, curveHint);
}

function decodeDer(der: Uint8Array, label: string | undefined, curveHint?: NamedCurve): PrivateKeyMaterial {
  try {
    if (label === 'RSA PRIVATE KEY') return fromPkcs1(der);
    if (label === 'EC PRIVATE KEY') return fromSec1(der, curveHint);
    if (label === 'PRIVATE KEY') return fromPkcs8(der);
    // DER without a label: try each shape in turn.
    for (const read of [fromPkcs8, fromPkcs1, (d: Uint8Array) => fromSec1(d, curveHint)]) {
      try {
        return read(der);
      } catch (e) {
        if (e instanceof KysoError && e.code === 'ERR_UNSUPPORTED_KEY') throw e;
      }
    }
    throw new KysoError('ERR_KEY_DECODE', 'not a PKCS#8, PKCS#1 or SEC1 private key');
  } catch (cause) {
    if (cause instanceof KysoError && (cause.code === 'ERR_UNSUPPORTED_KEY' || cause.code === 'ERR_KEY_DECODE'))
      throw cause;
    throw new KysoError('ERR_KEY_DECODE', 'the private key cannot be decoded', { cause });
  }
}

function fromPkcs8(der: Uint8Array): PrivateKeyMaterial {
  const top = readTlv(der, 0);
  const [version, algId, key] = readChildren(der, top);
  if (top.tag !== 0x30 || version?.tag !== 0x02 || algId?.tag !== 0x30 || key?.tag !== 0x04) {
    throw new KysoError('ERR_KEY_DECODE', 'not a PKCS#8 PrivateKeyInfo');
  }
  const [oidEl, params] = readChildren(der, algId);
  const oid = readOid(der, oidEl!);
  const inner = der.subarray(key.contentStart, key.contentEnd);
  if (oid === OID.rsaEncryption) return { type: 'RSA', pkcs8: der, bits: rsaBits(inner) };
  if (oid === OID.ecPublicKey) {
    const curve = params?.tag === 0x06 ? curveFromOid(readOid(der, params)) : undefined;
    if (!curve) throw new KysoError('ERR_UNSUPPORTED_KEY', 'EC key on a curve other than P-256, P-384 or P-521');
    return { type: 'EC', pkcs8: der, curve };
  }
  if (oid === OID.rsassaPss)
    throw new KysoError(
      'ERR_UNSUPPORTED_KEY',
      'RSASSA-PSS-restricted keys are not supported; use an rsaEncryption key',
    );
  throw new KysoError('ERR_UNSUPPORTED_KEY', `unsupported private key algorithm ${oid}`);
}

function fromPkcs1(der: Uint8Array): PrivateKeyMaterial {
  const bits = rsaBits(der);
  const pkcs8 = tlv(0x30, derSmallInteger(0), tlv(0x30, derOid(OID.rsaEncryption), DER_NULL), tlv(0x04, der));
  return { type: 'RSA', pkcs8, bits };
}

function fromSec1(der: Uint8Array, curveHint?: NamedCurve): PrivateKeyMaterial {
  const top = readTlv(der, 0);
  const parts = readChildren(der, top);
  if (top.tag !== 0x30 || parts[0]?.tag !== 0x02 || parts[1]?.tag !== 0x04)
    throw new KysoError('ERR_KEY_DECODE', 'not a SEC1 ECPrivateKey');
  const params = parts.find((p) => p.tag === 0xa0);
  const oidEl = params ? readChildren(der, params)[0] : undefined;
  const curve = oidEl?.tag === 0x06 ? curveFromOid(readOid(der, oidEl)) : curveHint;
  if (!curve) throw new KysoError('ERR_UNSUPPORTED_KEY', 'EC key on a curve other than P-256, P-384 or P-521');
  const pkcs8 = tlv(
    0x30,
    derSmallInteger(0),
    tlv(0x30, derOid(OID.ecPublicKey), derOid(CURVES[curve].oid)),
    tlv(0x04, der),
  );
  return { type: 'EC', pkcs8, curve };
}

function rsaBits(rsaPrivateKey: Uint8Array): number {
  const top = readTlv(rsaPrivateKey, 0);
  const [version, modulus] = readChildren(rsaPrivateKey, top);
  if (top.tag !== 0x30 || version?.tag !== 0x02 || modulus?.tag !== 0x02)
    throw new KysoError('ERR_KEY_DECODE', 'not an RSAPrivateKey');
  let i = modulus.contentStart;
  while (i < modulus.contentEnd && rsaPrivateKey[i] === 0) i++;
  const lead = rsaPrivateKey[i] ?? 0;
  const bits = (modulus.contentEnd - i - 1) * 8 + (lead === 0 ? 0 : Math.floor(Math.log2(lead)) + 1);
  if (bits < MIN_RSA_BITS)
    throw new KysoError(
      'ERR_UNSUPPORTED_KEY',
      `RSA key of ${bits} bits is too weak; at least ${MIN_RSA_BITS} bits are required`,
    );
  if (bits > MAX_RSA_BITS)
    throw new KysoError('ERR_UNSUPPORTED_KEY', `RSA key of ${bits} bits is larger than ${MAX_RSA_BITS} bits`);
  return bits;
}
