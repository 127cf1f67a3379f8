import type { BinaryInput } from '../core/bytes.js';
import { KysoError, isKysoError } from '../core/errors.js';
import { inputBytes, readChildren, readSmallInteger, readTlv } from '../core/der.js';

/** PKIStatus values (RFC 3161 §2.4.2). */
const STATUS_NAMES = [
  'granted',
  'grantedWithMods',
  'rejection',
  'waiting',
  'revocationWarning',
  'revocationNotification',
];

/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
const FAILURE_BITS: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

/** A TimeStampResp, read. */
export interface TimestampResponse {
  /** PKIStatus: 0 granted, 1 grantedWithMods, 2 rejection, 3 waiting, 4 revocationWarning, 5 revocationNotification. */
  status: number;
  /** Its name, e.g. `rejection`. */
  statusName: string;
  /** The statusString texts, joined. */
  statusText?: string;
  /** Names of the PKIFailureInfo bits set, e.g. `['badAlg']`. */
  failInfo: string[];
  /** DER of the timeStampToken, when present. */
  token?: Uint8Array;
}

/** A TSA answered with a status other than granted / grantedWithMods. Code `ERR_TSA_REJECTED`. */
export class TimestampRejectedError extends KysoError {
  /** PKIStatus. */
  readonly status: number;
  /** PKIFailureInfo bit names. */
  readonly failInfo: string[];
  /** statusString, if any. */
  readonly statusText: string | undefined;

  constructor(response: TimestampResponse) {
    const why = [response.failInfo.join(', '), response.statusText].filter(Boolean).join('; ');
    super('ERR_TSA_REJECTED', `the time-stamping authority answered ${response.statusName}${why ? ` (${why})` : ''}`);
    this.name = 'TimestampRejectedError';
    this.status = response.status;
    this.failInfo = response.failInfo;
    this.statusText = response.statusText;
  }
}

/**
 * Reads an RFC 3161 TimeStampResp. Throws `ERR_TSA_RESPONSE_INVALID` when it is not one; does not judge
 * the status (see {@link TimestampRejectedError}).
 */
export function parseTimestampResponse(der: BinaryInput): TimestampResponse {
  const b = inputBytes(der, 'response');
  try {
    const resp = readTlv(b, 0);
    if (resp.tag !== 0x30 || resp.end !== b.length)
      throw new KysoError('ERR_TSA_RESPONSE_INVALID', 'not a DER TimeStampResp');
    const [statusInfo, token] = readChildren(b, resp);
    if (statusInfo?.tag !== 0x30) throw new KysoError('ERR_TSA_RESPONSE_INVALID', 'no PKIStatusInfo');
    const [statusEl, ...rest] = readChildren(b, statusInfo);
    const status = readSmallInteger(b, statusEl ?? statusInfo);
    const out: TimestampResponse = { status, statusName: STATUS_NAMES[status] ?? `status ${status}`, failInfo: [] };
    for (const el of rest) {
      if (el.tag === 0x30) {
        const texts = readChildren(b, el)
          .filter((t) => t.tag === 0x0c)
          .map((t) => new TextDecoder().decode(b.subarray(t.contentStart, t.contentEnd)));
        if (texts.length) out.statusText = texts.join(' ');
      } else if (el.tag === 0x03) out.failInfo = readFailureBits(b.subarray(el.contentStart, el.contentEnd));
    }
    if (token) out.token = b.slice(token.start, token.end);
    return out;
  } catch (cause) {
    if (isKysoError(cause, 'ERR_TSA_RESPONSE_INVALID')) throw cause;
    throw new KysoError('ERR_TSA_RESPONSE_INVALID', 'the time-stamp response cannot be decoded', { cause });
  }
}

function readFailureBits(bitString: Uint8Array): string[] {
  const names: string[] = [];
  for (let bit = 0; bit < (bitString.length - 1) * 8; bit++) {
    if ((bitString[1 + (bit >> 3)]! >> (7 - (bit & 7))) & 1) names.push(FAILURE_BITS[bit] ?? `bit ${bit}`);
  }
  return names;
}
