import type { DigestAlgorithm } from '../core/algorithms.js';
import { toBytes, type BinaryInput } from '../core/bytes.js';
import { derSmallInteger, readChildren, readSmallInteger, readTlv, tlv } from '../core/der.js';
import { KysoError } from '../core/errors.js';
import { createHasher } from '../crypto/digest.js';
import type { TimestampSource } from './timestamp-source.js';
import type { TimestampToken } from './timestamp-token.js';

/** Options of {@link timestamp}. */
export interface TimestampDataOptions {
  tsa: TimestampSource;
  /** Default: SHA-256. */
  hash?: DigestAlgorithm;
}

/** What {@link timestamp} returns. */
export interface TimestampResult {
  token: TimestampToken;
  /** A granted TimeStampResp around the token: the `.tsr` file `openssl ts -verify -in` reads. */
  response: Uint8Array;
}

/**
 * Time-stamps any data (RFC 3161): hashes it (chunk by chunk for a stream) and asks the TSA for a token.
 *
 * @example
 * ```ts
 * const { response } = await timestamp(await readFile('contract.pdf'), { tsa: new HttpTimestampSource({ url }) });
 * await writeFile('contract.pdf.tsr', response);
 * ```
 */
export async function timestamp(data: BinaryInput | AsyncIterable<Uint8Array>, options: TimestampDataOptions): Promise<TimestampResult> {
  const hash = options.hash ?? 'SHA-256';
  const hasher = createHasher(hash);
  if (Symbol.asyncIterator in (data as object)) for await (const chunk of data as AsyncIterable<Uint8Array>) hasher.update(chunk);
  else hasher.update(toBytes(data as BinaryInput, 'data'));
  const token = await options.tsa.timestamp(await hasher.digest(), hash);
  return { token, response: tlv(0x30, tlv(0x30, derSmallInteger(0)), token.der) };
}

/** The token inside a `.tsr` (TimeStampResp) or the token itself when given one. */
export function tokenFromResponseOrToken(input: BinaryInput): Uint8Array {
  const bytes = toBytes(input, 'time-stamp');
  try {
    const top = readTlv(bytes, 0);
    const [first, second] = readChildren(bytes, top);
    if (first?.tag === 0x30 && (second === undefined || second.tag === 0x30)) {
      const status = readChildren(bytes, first)[0];
      if (status?.tag === 0x02) {
        const value = readSmallInteger(bytes, status);
        if (value > 1) throw new KysoError('ERR_TSA_REJECTED', `the time-stamp response was not granted (status ${value})`);
        if (!second) throw new KysoError('ERR_TSA_RESPONSE_INVALID', 'the time-stamp response holds no token');
        return bytes.subarray(second.start, second.end);
      }
    }
    return bytes.subarray(0, top.end);
  } catch (cause) {
    if (cause instanceof KysoError && cause.code.startsWith('ERR_TSA')) throw cause;
    throw new KysoError('ERR_TSA_RESPONSE_INVALID', 'not a time-stamp response or token', { cause });
  }
}
