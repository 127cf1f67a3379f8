import { KysoError } from '../core/errors.js';

/** WebCrypto's `SubtleCrypto`, native in Node ≥ 20 and in browsers. */
export function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new KysoError('ERR_UNSUPPORTED_ALGORITHM', 'WebCrypto (globalThis.crypto.subtle) is not available');
  return s;
}

/** Cryptographically random bytes. */
export function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
