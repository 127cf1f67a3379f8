import { concatBytes } from '../core/bytes.js';
import type { DigestAlgorithm } from '../core/algorithms.js';
import { createHasher } from './digest.js';

/** Output (u) and block (v) sizes of the hashes RFC 7292's KDF is used with, in bytes. */
const SIZES: Partial<Record<DigestAlgorithm, { u: number; v: number }>> = {
  'SHA-1': { u: 20, v: 64 },
  'SHA-256': { u: 32, v: 64 },
  'SHA-384': { u: 48, v: 128 },
  'SHA-512': { u: 64, v: 128 },
};

/** Whether {@link pkcs12Kdf} works with `hash` (the SHA-2 family and SHA-1, as PKCS#12 files use them). */
export function pkcs12KdfSupports(hash: DigestAlgorithm): boolean {
  return SIZES[hash] !== undefined;
}

/** The password as RFC 7292 wants it for its own KDF: BMPString (UTF-16BE) with a two-byte terminator. */
export function bmpPassword(password: string): Uint8Array {
  const out = new Uint8Array(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

function repeatToBlocks(data: Uint8Array, v: number): Uint8Array {
  const out = new Uint8Array(v * Math.ceil(data.length / v));
  for (let i = 0; i < out.length; i++) out[i] = data[i % data.length]!;
  return out;
}

/**
 * RFC 7292 appendix B.2: the PKCS#12 key derivation, which OpenSSL still uses for the file's integrity MAC
 * (`id` 3) even where the contents are PBES2. WebCrypto has no such KDF; the iterated hash goes through
 * {@link createHasher}, Node's native hash where present (2,048 WebCrypto round trips cost ~200 ms).
 */
export async function pkcs12Kdf(
  hash: DigestAlgorithm,
  password: Uint8Array,
  salt: Uint8Array,
  id: number,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  const { u, v } = SIZES[hash]!;
  const d = new Uint8Array(v).fill(id);
  const i = concatBytes([
    salt.length ? repeatToBlocks(salt, v) : new Uint8Array(0),
    password.length ? repeatToBlocks(password, v) : new Uint8Array(0),
  ]);
  const blocks: Uint8Array[] = [];
  for (let produced = 0; produced < length; produced += u) {
    let a = concatBytes([d, i]);
    for (let r = 0; r < iterations; r++) {
      const h = createHasher(hash);
      h.update(a);
      a = await h.digest();
    }
    blocks.push(a);
    // I_j = (I_j + B + 1) mod 2^(8v), B being A repeated to v bytes
    const b = repeatToBlocks(a, v);
    for (let j = 0; j < i.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = i[j + k]! + b[k]! + carry;
        i[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return concatBytes(blocks).subarray(0, length);
}
