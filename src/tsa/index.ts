/** RFC 3161 time-stamping: requests, responses, tokens, and the sources that produce them. */
export { createTimestampRequest, type TimestampRequestOptions } from './timestamp-request.js';
export { parseTimestampResponse, TimestampRejectedError, type TimestampResponse } from './timestamp-response.js';
export {
  parseTimestampToken,
  verifyTimestampToken,
  checkTsaPurpose,
  type TimestampToken,
  type TimestampVerification,
  type VerifyTimestampTokenOptions,
} from './timestamp-token.js';
export type { TimestampOptions, TimestampSource } from './timestamp-source.js';
export { HttpTimestampSource, type HttpTimestampSourceOptions } from './http-timestamp-source.js';
