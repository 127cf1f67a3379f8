import type { DigestAlgorithm } from '../core/algorithms.js';
import { concatBytes, toBytes, type BinaryInput } from '../core/bytes.js';
import type { TimestampSource } from '../tsa/index.js';
import { digestPrepared, preparePdfSignature, signedUpdate } from '../pdf/signature-field.js';

/** Options of {@link timestampPdf}. */
export interface TimestampPdfOptions {
  /** Who time-stamps. */
  tsa: TimestampSource;
  /** Digest of the document. Default: SHA-256. */
  hash?: DigestAlgorithm;
  /** Field name. Default: a new unique name. */
  fieldName?: string;
  /** Bytes reserved for the token. Default: 16 KiB. */
  reserve?: number;
}

/**
 * Adds a document timestamp (`/DocTimeStamp`, SubFilter `ETSI.RFC3161`) in an incremental update: an RFC 3161
 * token over the whole document as it is. Over a DSS it makes PAdES B-LTA; another one later renews it.
 *
 * @example
 * ```ts
 * const stamped = await timestampPdf(signed, { tsa: new HttpTimestampSource({ url }) });
 * ```
 */
export async function timestampPdf(pdf: BinaryInput, options: TimestampPdfOptions): Promise<Uint8Array> {
  const input = toBytes(pdf, 'pdf');
  return concatBytes([input, (await timestampPdfToUpdate(input, options)).update]);
}

/**
 * Like {@link timestampPdf}, but returns only the incremental update (the output is `pdf` followed by it): for
 * large files, whose bytes are copied on disk rather than in memory.
 */
export async function timestampPdfToUpdate(
  pdf: BinaryInput,
  options: TimestampPdfOptions,
): Promise<{ update: Uint8Array }> {
  const hash = options.hash ?? 'SHA-256';
  const prepared = preparePdfSignature(toBytes(pdf, 'pdf'), {
    subFilter: 'ETSI.RFC3161',
    type: 'DocTimeStamp',
    contentsSize: options.reserve ?? 16 * 1024,
    ...(options.fieldName !== undefined && { fieldName: options.fieldName }),
  });
  const token = await options.tsa.timestamp(await digestPrepared(prepared, hash), hash);
  return { update: signedUpdate(prepared, token.der) };
}
