import type { PdfVerificationReport, XmlVerificationReport } from './reports.js';
import { renderReport } from './render/render-report.js';

/**
 * The report as text for people, in English, e.g. `kyso verify`'s default output: a head line with the
 * document's verdict, one block per signature (then per hidden signature), then the document's own errors and
 * warnings. {@link renderReport} writes it in Vietnamese too.
 *
 * @example
 * ```ts
 * console.log(renderPdfReport(await verifyPdf(bytes, { trust: 'vn' }), 'quyet-dinh.pdf'));
 * ```
 */
export function renderPdfReport(report: PdfVerificationReport, file?: string): string {
  return renderReport(report, { locale: 'en', ...(file && { file }) });
}

/** An XML verification report as text for people, in English. */
export function renderXmlReport(report: XmlVerificationReport, file?: string): string {
  return renderReport(report, { locale: 'en', ...(file && { file }) });
}
