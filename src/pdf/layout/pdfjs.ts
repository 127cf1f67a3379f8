/**
 * pdf.js (`pdfjs-dist`, its legacy build for Node and older browsers), loaded on first use: only placing a
 * visible signature by the page's content, and previews, need it.
 */
import { KysoError } from '../../core/errors.js';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
/** An open pdf.js document. */
export type PdfjsDocument = Awaited<ReturnType<Pdfjs['getDocument']>['promise']>;
/** One page of it. */
export type PdfjsPage = Awaited<ReturnType<PdfjsDocument['getPage']>>;

let loaded: Promise<Pdfjs> | undefined;

/** The pdf.js module. */
export function loadPdfjs(): Promise<Pdfjs> {
  loaded ??= import('pdfjs-dist/legacy/build/pdf.mjs').catch((cause: unknown) => {
    loaded = undefined;
    throw new KysoError(
      'ERR_DEPENDENCY_MISSING',
      'placing a signature by the page content needs the pdfjs-dist package (npm install pdfjs-dist)',
      { cause },
    );
  });
  return loaded;
}

/** Where pdf.js finds its CMaps and standard-font data in Node (a folder path ending in "/"); none in browsers. */
async function dataFolders(): Promise<{ cMapUrl?: string; standardFontDataUrl?: string }> {
  if (typeof process === 'undefined' || !process.versions?.node) return {};
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  return { cMapUrl: join(root, 'cmaps') + '/', standardFontDataUrl: join(root, 'standard_fonts') + '/' };
}

/**
 * Opens `pdf` with pdf.js. pdf.js takes ownership of the buffer it is given, so it reads a copy: the caller's
 * bytes stay usable.
 */
export async function openPdfjs(pdf: Uint8Array): Promise<PdfjsDocument> {
  const pdfjs = await loadPdfjs();
  const task = pdfjs.getDocument({
    data: new Uint8Array(pdf),
    ...(await dataFolders()),
    isEvalSupported: false,
    verbosity: 0,
    stopAtErrors: false,
  });
  try {
    return await task.promise;
  } catch (cause) {
    throw new KysoError('ERR_PDF_MALFORMED', `pdf.js cannot read the document: ${(cause as Error).message}`, { cause });
  }
}
