import { concatBytes, toBytes, type BinaryInput } from '../core/bytes.js';
import type { AppearanceOptions, AppearancePlacement } from '../pdf/appearance/appearance.js';
import { renderPagePng } from '../pdf/layout/render-page.js';
import { PdfReader } from '../pdf/reader.js';
import { widgetFor } from './sign-pdf.js';
import { preparePdfSignature } from '../pdf/signature-field.js';

/** Options of {@link previewPdfSignature}. */
export interface PreviewPdfSignatureOptions {
  appearance: AppearanceOptions;
  /** DER of the signer's certificate, whose name, e-mail and organisation the text shows (`signer.certificate`). */
  certificate: Uint8Array;
  /** The time the text shows. Default: now. */
  signingTime?: Date;
  /** The empty signature field that would be signed. */
  fieldName?: string;
  /** Resolution of the image in dots per inch. Default: 96. */
  dpi?: number;
}

/** A page as it would look signed. */
export interface PdfSignaturePreview {
  /** The page with the appearance, as a PNG. */
  png: Uint8Array;
  width: number;
  height: number;
  /** Where the appearance would go. */
  placement: AppearancePlacement;
}

/**
 * Renders the page with the visible signature where {@link signPdf} would put it, without signing: no PIN,
 * no phone approval, no remote-signing quota is spent on a misplaced signature. pdf.js and @napi-rs/canvas are
 * loaded for it (Node).
 *
 * @example
 * ```ts
 * const { png, placement } = await previewPdfSignature(pdf, { certificate: signer.certificate, appearance: { preset: 'approved', image } });
 * ```
 * @throws KysoError `ERR_PDF_PLACEMENT` when the appearance has no place, `ERR_PDF_MALFORMED`, …
 */
export async function previewPdfSignature(
  pdf: BinaryInput,
  o: PreviewPdfSignatureOptions,
): Promise<PdfSignaturePreview> {
  const input = toBytes(pdf, 'pdf');
  const reader = PdfReader.open(input);
  const signingTime = o.signingTime ?? new Date();
  const widget = await widgetFor(reader, o.appearance, o.certificate, signingTime, o.fieldName);
  // the update a signature would append, with an empty signature value: what viewers draw is the same
  const prepared = preparePdfSignature(
    input,
    {
      widget: {
        pageIndex: widget.pageIndex,
        rect: widget.rect,
        ...(widget.appearance && { appearance: widget.appearance }),
      },
      ...(widget.stamp && { stamp: widget.stamp }),
      subFilter: 'ETSI.CAdES.detached',
      type: 'Sig',
      contentsSize: 64,
      signingTime,
      ...(o.fieldName !== undefined && { fieldName: o.fieldName }),
    },
    reader,
  );
  const image = await renderPagePng(concatBytes([input, prepared.update]), widget.pageIndex, o.dpi);
  return { ...image, placement: widget.placement };
}
