import { KysoError } from '../core/errors.js';

/** WebCrypto's `SubtleCrypto`, native in Node ≥ 20 and in browsers. */
export function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new KysoError('ERR_UNSUPPORTED_ALGORITHM', 'WebCrypto (globalThis.crypto.subtle) is not available');
  return s;
}

/** The parts of Node's `node:crypto` kyso reaches for where WebCrypto falls short. */
export interface NodeCrypto {
  createHash(name: string): { update(data: Uint8Array): unknown; digest(): Uint8Array };
  createPublicKey(key: { key: Uint8Array; format: 'der'; type: 'spki' }): unknown;
  verify(
    algorithm: string,
    data: Uint8Array,
    key: { key: unknown; padding?: number; saltLength?: number; dsaEncoding?: 'der' | 'ieee-p1363' },
    signature: Uint8Array,
  ): boolean;
  constants: { RSA_PKCS1_PADDING: number; RSA_PKCS1_PSS_PADDING: number };
}

let nodeModule: NodeCrypto | null | undefined;

/**
 * Node's `node:crypto` when it is at hand (process.getBuiltinModule, Node ≥ 20.16), else null (browsers). No
 * import statement, so browser bundles carry no Node built-in.
 */
export function nodeCrypto(): NodeCrypto | null {
  if (nodeModule === undefined) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    nodeModule = (proc?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined) ?? null;
  }
  return nodeModule;
}

/** Cryptographically random bytes. */
export function randomBytes(n: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
