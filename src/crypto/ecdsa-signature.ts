import { KysoError } from '../core/errors.js';

// WebCrypto and PKCS#11 give ECDSA signatures as r||s (IEEE P1363); CMS and X.509 want
// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }. XMLDSig keeps r||s.

function derInteger(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  const body = v[i]! & 0x80 ? Uint8Array.of(0, ...v.subarray(i)) : v.subarray(i);
  return Uint8Array.of(0x02, ...derLength(body.length), ...body);
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

/** Converts an r||s ECDSA signature to its DER `ECDSA-Sig-Value`. */
export function p1363ToDer(sig: Uint8Array): Uint8Array {
  if (sig.length === 0 || sig.length % 2 !== 0) throw new KysoError('ERR_SIGNER_FAILED', 'ECDSA signature has an odd length');
  const half = sig.length / 2;
  const r = derInteger(sig.subarray(0, half));
  const s = derInteger(sig.subarray(half));
  return Uint8Array.of(0x30, ...derLength(r.length + s.length), ...r, ...s);
}

/** Converts a DER `ECDSA-Sig-Value` to r||s with each half `size` bytes (32, 48 or 66). */
export function derToP1363(der: Uint8Array, size: number): Uint8Array {
  const fail = (): never => {
    throw new KysoError('ERR_SIGNER_FAILED', 'not a DER ECDSA signature');
  };
  let at = 0;
  const readLen = (): number => {
    const b = der[at++] ?? fail();
    if (b < 0x80) return b;
    const n = b & 0x7f;
    if (n < 1 || n > 2) fail();
    let len = 0;
    for (let k = 0; k < n; k++) len = (len << 8) | (der[at++] ?? fail());
    return len;
  };
  if (der[at++] !== 0x30) fail();
  const seqLen = readLen();
  if (at + seqLen !== der.length) fail();
  const out = new Uint8Array(size * 2);
  for (let part = 0; part < 2; part++) {
    if (der[at++] !== 0x02) fail();
    const len = readLen();
    let v = der.subarray(at, at + len);
    at += len;
    while (v.length > size && v[0] === 0) v = v.subarray(1);
    if (v.length > size || v.length === 0) fail();
    out.set(v, part * size + (size - v.length));
  }
  if (at !== der.length) fail();
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
