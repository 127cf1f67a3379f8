import { toBytes, type BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { padesSigner, type SignPdfOptions } from './sign-pades.js';

/** Options of {@link signPdfs}: those of {@link signPdf}, the same for every document, and how many in flight. */
export interface SignPdfsOptions extends SignPdfOptions {
  /**
   * Documents signed at once. While one waits for its key operation (WebCrypto signs on Node's thread pool, a
   * token or a remote service on its own time) the next is parsed and written. Default: 8.
   */
  concurrency?: number;
}

/**
 * Signs many PDFs with one signer, keeping `concurrency` of them in flight so that key operations overlap the
 * parsing and writing of the others; what repeats per signer (its certificate's facts and hash, the CMS
 * certificate set, the imported key) is worked out once. Yields each signed document in input order; the first
 * failure is thrown (documents after it are not signed). `pdfs` may be a lazy or async iterable, read only as
 * far as the documents in flight need.
 *
 * @example
 * ```ts
 * const files = ['a.pdf', 'b.pdf', 'c.pdf'];
 * let i = 0;
 * for await (const signed of signPdfs(files.map((f) => readFile(f)), { signer, reason: 'Phê duyệt' }))
 *   await writeFile(`signed-${files[i++]}`, signed);
 * ```
 * @throws KysoError `ERR_INVALID_ARGUMENT` for a `concurrency` that is not a positive integer, and those of
 * {@link signPdf}.
 */
export async function* signPdfs(
  pdfs: Iterable<BinaryInput | Promise<BinaryInput>> | AsyncIterable<BinaryInput>,
  options: SignPdfsOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const { concurrency = 8, ...signing } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new KysoError('ERR_INVALID_ARGUMENT', 'concurrency must be a positive integer');
  const source =
    Symbol.asyncIterator in pdfs
      ? (pdfs as AsyncIterable<BinaryInput>)[Symbol.asyncIterator]()
      : (pdfs as Iterable<BinaryInput | Promise<BinaryInput>>)[Symbol.iterator]();
  const inFlight: Promise<Uint8Array>[] = [];
  let done = false;
  // worked out with the first document, so that a batch that has none asks nothing of its options
  let sign: Promise<(pdf: Uint8Array) => Promise<Uint8Array>> | undefined;
  const refill = async () => {
    while (!done && inFlight.length < concurrency) {
      const next = await source.next();
      if (next.done) done = true;
      else {
        sign ??= padesSigner(signing);
        const signed = Promise.all([next.value, sign]).then(([pdf, signOne]) => signOne(toBytes(pdf, 'pdf')));
        signed.catch(() => undefined); // awaited in order below; a later failure must not go unhandled meanwhile
        inFlight.push(signed);
      }
    }
  };
  try {
    await refill();
    while (inFlight.length) {
      const signed = await inFlight.shift()!;
      await refill();
      yield signed;
    }
  } finally {
    if (!done) await source.return?.();
  }
}
