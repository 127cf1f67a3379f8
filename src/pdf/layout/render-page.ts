import { KysoError } from '../../core/errors.js';
import { openPdfjs } from './pdfjs.js';

type Canvas = typeof import('@napi-rs/canvas');
let canvasModule: Promise<Canvas> | undefined;

/** @napi-rs/canvas (its binary comes from the npm registry), loaded for previews only. */
function loadCanvas(): Promise<Canvas> {
  canvasModule ??= import('@napi-rs/canvas').catch((cause: unknown) => {
    canvasModule = undefined;
    throw new KysoError(
      'ERR_DEPENDENCY_MISSING',
      'previews need the @napi-rs/canvas package (npm install @napi-rs/canvas)',
      { cause },
    );
  });
  return canvasModule;
}

/**
 * Renders one page of `pdf` as a PNG with pdf.js, annotations (signature widgets) included, on a white
 * background: `dpi` dots per inch.
 */
export async function renderPagePng(
  pdf: Uint8Array,
  pageIndex: number,
  dpi = 96,
): Promise<{ png: Uint8Array; width: number; height: number }> {
  const { createCanvas } = await loadCanvas();
  const doc = await openPdfjs(pdf);
  try {
    const page = await doc.getPage(pageIndex + 1);
    const viewport = page.getViewport({ scale: dpi / 72 });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
    return { png: new Uint8Array(await canvas.encode('png')), width: canvas.width, height: canvas.height };
  } finally {
    await doc.destroy();
  }
}
