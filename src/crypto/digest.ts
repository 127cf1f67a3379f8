import { toArrayBuffer, concatBytes, toBytes, type BinaryInput } from '../core/bytes.js';
import { isSha3, type DigestAlgorithm } from '../core/algorithms.js';
import { nodeCrypto, subtle } from './webcrypto.js';

/**
 * One-shot digest. Node's native hash when it is at hand (the same OpenSSL code WebCrypto calls, without the
 * round trip through the thread pool that costs more than hashing a few kilobytes); WebCrypto elsewhere.
 */
export async function digest(hash: DigestAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  const createHash = findNodeCreateHash();
  if (createHash) return new Uint8Array(createHash(NODE_NAMES[hash]).update(data).digest());
  return new Uint8Array(await subtle().digest(hash, toArrayBuffer(data)));
}

/** An incremental digest: feed chunks with `update`, read the result once with `digest`. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  digest(): Promise<Uint8Array>;
  /**
   * A second hasher in this one's state, to go on with other bytes: the digest of a prefix and of the prefix
   * with something appended, from one pass over the prefix.
   */
  copy(): Hasher;
}

interface NodeHash {
  update(data: Uint8Array): NodeHash;
  digest(): Uint8Array;
  copy(): NodeHash;
}
type CreateHash = (name: string) => NodeHash;

/** Node's names of the digests. */
export const NODE_NAMES: Record<DigestAlgorithm, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
  'SHA3-256': 'sha3-256',
  'SHA3-384': 'sha3-384',
  'SHA3-512': 'sha3-512',
};

/** True when `hash` can be computed here: always with Node's crypto; without it (browsers) not SHA-3, which WebCrypto lacks. */
export function digestAvailable(hash: DigestAlgorithm): boolean {
  return !isSha3(hash) || findNodeCreateHash() !== null;
}

/**
 * WebCrypto has no incremental digest. Where Node's native hash is at hand large inputs are hashed chunk by
 * chunk through it; elsewhere chunks are gathered and hashed once by WebCrypto.
 */
function findNodeCreateHash(): CreateHash | null {
  return (nodeCrypto()?.createHash as CreateHash | undefined) ?? null;
}

/** A new incremental {@link Hasher} for `hash`. */
export function createHasher(hash: DigestAlgorithm): Hasher {
  const createHash = findNodeCreateHash();
  return createHash ? new NodeHasher(createHash(NODE_NAMES[hash])) : gatheringHasher(hash, []);
}

/** A class, not an object of closures: a signing makes one per document. */
class NodeHasher implements Hasher {
  constructor(private readonly h: NodeHash) {}
  update(chunk: Uint8Array): void {
    this.h.update(chunk);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
  copy(): Hasher {
    return new NodeHasher(this.h.copy());
  }
}

function gatheringHasher(hash: DigestAlgorithm, chunks: Uint8Array[]): Hasher {
  return {
    update: (chunk) => void chunks.push(chunk.slice()),
    digest: () => digest(hash, concatBytes(chunks)),
    copy: () => gatheringHasher(hash, [...chunks]),
  };
}

/** The digest of bytes, or of a stream of chunks (hashed as they come, never held whole). */
export async function digestData(
  hash: DigestAlgorithm,
  data: BinaryInput | AsyncIterable<Uint8Array>,
): Promise<Uint8Array> {
  if (!(typeof data === 'object' && data !== null && Symbol.asyncIterator in data))
    return digest(hash, toBytes(data as BinaryInput, 'data'));
  const hasher = createHasher(hash);
  for await (const chunk of data) hasher.update(chunk);
  return hasher.digest();
}
