import { openLazyFile } from '../pdf/pdf-file.js';
import { verifyPdf, type VerifyPdfOptions } from './verify-pdf.js';
import type { PdfVerificationReport } from '../validation/reports.js';

/**
 * Verifies the PDF at `path` without holding it in memory (Node only): the parser reads the regions it needs
 * and the signed ranges are hashed as a stream. Same report as {@link verifyPdf}.
 *
 * @example
 * ```ts
 * const report = await verifyPdfFile('archive/scan-1998.pdf', { trust: 'vn' });
 * ```
 */
export async function verifyPdfFile(path: string, options: VerifyPdfOptions = {}): Promise<PdfVerificationReport> {
  const { bytes, close } = openLazyFile(path);
  try {
    return await verifyPdf(bytes, options);
  } finally {
    close();
  }
}
