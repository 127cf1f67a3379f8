import type { DigestAlgorithm } from '../core/algorithms.js';
import { toBytes, type BinaryInput } from '../core/bytes.js';
import { derSmallInteger, tlv } from '../core/der.js';
import { KysoError } from '../core/errors.js';
import { digestData } from '../crypto/digest.js';
import { parseTimestampResponse, TimestampRejectedError, type TimestampResponse } from './timestamp-response.js';
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
export async function timestamp(
  data: BinaryInput | AsyncIterable<Uint8Array>,
  options: TimestampDataOptions,
): Promise<TimestampResult> {
  const hash = options.hash ?? 'SHA-256';
  const token = await options.tsa.timestamp(await digestData(hash, data), hash);
  return { token, response: tlv(0x30, tlv(0x30, derSmallInteger(0)), token.der) };
}

/** The token inside a `.tsr` (TimeStampResp) or the token itself when given one. */
export function tokenFromResponseOrToken(input: BinaryInput): Uint8Array {
  const bytes = toBytes(input, 'time-stamp');
  let response: TimestampResponse | undefined;
  try {
    response = parseTimestampResponse(bytes);
  } catch {
    // not a TimeStampResp: a token (ContentInfo) itself, checked when it is parsed
    return bytes;
  }
  if (response.status > 1) throw new TimestampRejectedError(response);
  if (!response.token) throw new KysoError('ERR_TSA_RESPONSE_INVALID', 'the time-stamp response holds no token');
  return response.token;
}
