import { digestLength, type DigestAlgorithm } from '../core/algorithms.js';
import type { BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { randomBytes } from '../crypto/webcrypto.js';
import { digestAlgorithmIdentifier } from '../cms/algorithm-identifiers.js';
import { derOid, derSmallInteger, derUnsignedInteger, inputBytes, tlv } from '../core/der.js';

/** Options of {@link createTimestampRequest}. */
export interface TimestampRequestOptions {
  /** The digest to be time-stamped (the messageImprint's hashedMessage). */
  digest: BinaryInput;
  /** Its digest algorithm. */
  hash: DigestAlgorithm;
  /**
   * The nonce, as unsigned big-endian bytes; `false` for none. Default: 8 random bytes — pass your own to
   * check the response's nonce against it.
   */
  nonce?: Uint8Array | false;
  /** Ask the TSA to include its certificate in the token. Default: true. */
  certReq?: boolean;
  /** reqPolicy, dotted OID. Default: none (the TSA's default policy). */
  policy?: string;
}

/**
 * DER of an RFC 3161 TimeStampReq (version 1).
 *
 * @example
 * ```ts
 * const nonce = randomBytes(8);
 * const tsq = createTimestampRequest({ digest: await digest('SHA-256', signatureValue), hash: 'SHA-256', nonce });
 * ```
 */
export function createTimestampRequest(options: TimestampRequestOptions): Uint8Array {
  const hashed = inputBytes(options.digest, 'digest');
  if (hashed.length !== digestLength(options.hash)) {
    throw new KysoError(
      'ERR_INVALID_ARGUMENT',
      `digest is ${hashed.length} bytes; a ${options.hash} digest has ${digestLength(options.hash)}`,
    );
  }
  const nonce = options.nonce === undefined ? randomBytes(8) : options.nonce;
  const fields = [derSmallInteger(1), tlv(0x30, digestAlgorithmIdentifier(options.hash), tlv(0x04, hashed))];
  if (options.policy) fields.push(derOid(options.policy));
  if (nonce) fields.push(derUnsignedInteger(nonce));
  // certReq BOOLEAN DEFAULT FALSE: DER writes it only when true.
  if (options.certReq ?? true) fields.push(Uint8Array.of(0x01, 0x01, 0xff));
  return tlv(0x30, ...fields);
}
