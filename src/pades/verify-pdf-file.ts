import { readTlv } from '../core/der.js';
import type { DigestAlgorithm } from '../core/algorithms.js';
import { parseSignedData } from '../cms/index.js';
import { openLazyFile } from '../pdf/pdf-file.js';
import { readAhead } from '../pdf/lazy-bytes.js';
import { PdfString } from '../pdf/objects.js';
import { PdfReader } from '../pdf/reader.js';
import { findSignatureFields, type FoundSignature } from '../pdf/signature-scan.js';
import { verifyPdf, type VerifyPdfOptions } from './verify-pdf.js';
import type { PdfVerificationReport } from '../validation/reports.js';

/**
 * Verifies the PDF at `path` without holding it in memory (Node only): the parser reads the regions it needs
 * and the signed ranges are hashed as a stream. Same report as {@link verifyPdf}.
 *
 * The file is read once: the pass that looks for every signature and revision in the raw bytes also hashes
 * them with the digests the form's signatures use, and the signatures' digests go on from that pass.
 *
 * @example
 * ```ts
 * const report = await verifyPdfFile('archive/scan-1998.pdf', { trust: 'vn' });
 * ```
 */
export async function verifyPdfFile(path: string, options: VerifyPdfOptions = {}): Promise<PdfVerificationReport> {
  const { bytes, close } = openLazyFile(path);
  try {
    const hashes = formSignatureDigests(bytes);
    if (hashes) await readAhead(bytes, { marks: true, hashes });
    return await verifyPdf(bytes, options);
  } finally {
    close();
  }
}

/**
 * The digests the signatures of the form use, as their CMS names them: what the file's one pass should
 * compute; undefined when the file or its form is not readable (the verification then says why, reading what
 * it needs itself). A signature unreadable here is left to the verification to report.
 */
function formSignatureDigests(bytes: Uint8Array): DigestAlgorithm[] | undefined {
  let signed: FoundSignature[];
  try {
    signed = findSignatureFields(PdfReader.open(bytes), { pageIndexes: false }).signed;
  } catch {
    return undefined;
  }
  const digests = new Set<DigestAlgorithm>();
  for (const { signature } of signed) {
    const contents = signature.get('Contents');
    if (!(contents instanceof PdfString)) continue;
    try {
      const cms = contents.bytes.subarray(0, readTlv(contents.bytes, 0).end);
      const hash = parseSignedData(cms).signerInfos[0]?.digestAlgorithm;
      if (hash) digests.add(hash);
    } catch {
      // not a readable CMS: the verification says so
    }
  }
  return [...digests];
}
