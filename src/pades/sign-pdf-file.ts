import type { DigestAlgorithm } from '../core/algorithms.js';
import { chooseAlgorithm } from '../signers/signer.js';
import { extendPdfFile, type SignPdfFileOptions } from '../pdf/pdf-file.js';
import { signPdfToUpdate, type SignPdfOptions } from './sign-pdf.js';
import { timestampPdfToUpdate, type TimestampPdfOptions } from './timestamp-pdf.js';

/**
 * Signs the PDF at `input` into `output` without holding the document in memory: for archives of scanned
 * documents of hundreds of megabytes. Same signatures as {@link signPdf}; the output is written atomically.
 *
 * @example
 * ```ts
 * await signPdfFile('scan-2026.pdf', 'scan-2026-signed.pdf', { signer });
 * ```
 */
export async function signPdfFile(
  input: string,
  output: string,
  options: SignPdfOptions & SignPdfFileOptions,
): Promise<void> {
  await extendPdfFile(input, output, [async (bytes) => (await signPdfToUpdate(bytes, options)).update], {
    ...options,
    hashes: signatureDigest(options),
  });
}

/** The digest the signature takes of the whole input, read ahead with the copy; none when the options are wrong. */
function signatureDigest(options: SignPdfOptions): DigestAlgorithm[] {
  try {
    return [chooseAlgorithm(options.signer, { hash: options.hash, pss: options.pss }).hash];
  } catch {
    return []; // signing says what is wrong
  }
}

/**
 * Adds a document timestamp to the PDF at `input`, written to `output`, without holding the document in
 * memory (see {@link timestampPdf}).
 */
export async function timestampPdfFile(
  input: string,
  output: string,
  options: TimestampPdfOptions & SignPdfFileOptions,
): Promise<void> {
  await extendPdfFile(input, output, [async (bytes) => (await timestampPdfToUpdate(bytes, options)).update], options);
}
