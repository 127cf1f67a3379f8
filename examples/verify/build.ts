/**
 * Builds the verification page into a folder of static files (default dist/verify, which `kyso serve-verify`
 * serves): the page's own files, its own bundle of kyso from src/ (what examples/verify/kyso.ts exports, with
 * its dependencies) and pdf.js with its worker and font data, which the page loads only when it shows a PDF.
 * `npm run build:verify` runs it.
 */
import { cp, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { selfContainedBrowserBuild } from '../../tsup.config.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const PAGE_FILES = ['index.html', 'style.css', 'app.js', 'viewer.js', 'messages.js'];

/** Builds the page into `out` (emptied first). Returns `out`. */
export async function buildVerifyPage(out = join(ROOT, 'dist', 'verify')): Promise<string> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  for (const f of PAGE_FILES) await cp(join(HERE, f), join(out, f));
  // the page only verifies: the font and legacy-.p12 packages stay out (1.3 MB of chunks it would never load)
  const signingOnly = ['@pdf-lib/fontkit', 'node-forge'];
  await build(selfContainedBrowserBuild({ browser: join(HERE, 'kyso.ts') }, join(out, 'kyso'), signingOnly));
  const pdfjs = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const vendor = join(out, 'vendor');
  await cp(join(pdfjs, 'build', 'pdf.min.mjs'), join(vendor, 'pdf.min.mjs'));
  await cp(join(pdfjs, 'build', 'pdf.worker.min.mjs'), join(vendor, 'pdf.worker.min.mjs'));
  for (const d of ['standard_fonts', 'cmaps', 'wasm']) await cp(join(pdfjs, d), join(vendor, d), { recursive: true });
  await cp(join(pdfjs, 'LICENSE'), join(vendor, 'LICENSE-pdf.js.txt'));
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`verification page: ${await buildVerifyPage(process.argv[2])}`);
}
