import { concatBytes } from '../core/bytes.js';
import { derUnsignedInteger, readChildren, readTlv, tlv, type Tlv } from '../core/der.js';
import { KysoError } from '../core/errors.js';

// WebCrypto and PKCS#11 give ECDSA signatures as r||s (IEEE P1363); CMS and X.509 want
// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }. XMLDSig keeps r||s.

/** Converts an r||s ECDSA signature to its DER `ECDSA-Sig-Value`. */
export function p1363ToDer(sig: Uint8Array): Uint8Array {
  if (sig.length === 0 || sig.length % 2 !== 0)
    throw new KysoError('ERR_SIGNER_FAILED', 'ECDSA signature has an odd length');
  const half = sig.length / 2;
  return tlv(0x30, derUnsignedInteger(sig.subarray(0, half)), derUnsignedInteger(sig.subarray(half)));
}

/** Converts a DER `ECDSA-Sig-Value` to r||s with each half `size` bytes (32, 48 or 66). */
export function derToP1363(der: Uint8Array, size: number): Uint8Array {
  const fail = (): never => {
    throw new KysoError('ERR_SIGNER_FAILED', 'not a DER ECDSA signature');
  };
  let parts: Tlv[] = [];
  try {
    const seq = readTlv(der, 0);
    if (seq.tag !== 0x30 || seq.indefinite || seq.end !== der.length) fail();
    parts = readChildren(der, seq);
  } catch {
    fail();
  }
  if (parts.length !== 2) fail();
  const out = new Uint8Array(size * 2);
  parts.forEach((part, i) => {
    if (part.tag !== 0x02) fail();
    let v = der.subarray(part.contentStart, part.contentEnd);
    while (v.length > size && v[0] === 0) v = v.subarray(1);
    if (v.length > size || v.length === 0) fail();
    out.set(v, i * size + (size - v.length));
  });
  return out;
}

/** True when `sig` parses as a DER `ECDSA-Sig-Value` for a curve of `size`-byte coordinates. */
export function isDerEcdsaSignature(sig: Uint8Array, size: number): boolean {
  try {
    derToP1363(sig, size);
    return true;
  } catch {
    return false;
  }
}

/**
 * A raw signature value from a key kyso does not hold, brought to the `length` bytes it must have: ECDSA
 * given as DER becomes r||s, an RSA value whose leading zero octets were dropped gets them back (I2OSP).
 *
 * @throws KysoError `ERR_SIGNER_FAILED` when it still has another length (`from` says whose value it is).
 */
export function rawSignatureValue(value: Uint8Array, ecdsa: boolean, length: number, from: string): Uint8Array {
  let raw = value;
  if (ecdsa && raw.length !== length && isDerEcdsaSignature(raw, length / 2)) raw = derToP1363(raw, length / 2);
  if (!ecdsa && raw.length < length && raw.length > length - 4)
    raw = concatBytes([new Uint8Array(length - raw.length), raw]);
  if (raw.length !== length)
    throw new KysoError(
      'ERR_SIGNER_FAILED',
      `${from} has ${raw.length} bytes; a signature value of this key has ${length}`,
    );
  return raw;
}
