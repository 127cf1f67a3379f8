/**
 * Builds the verification page into a folder of static files (default dist/verify, which `kyso serve-verify`
 * serves): the page's own files, kyso's browser bundle (dist/browser.js from `npm run build`) and pdf.js with its
 * worker and font data, which the page loads only when it shows a PDF. `npm run build:verify` runs both builds.
 */
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const PAGE_FILES = ['index.html', 'style.css', 'app.js', 'viewer.js', 'messages.js'];

/** Copies the page into `out` (emptied first); dist/browser.js must have been built. Returns `out`. */
export async function buildVerifyPage(out = join(ROOT, 'dist', 'verify')): Promise<string> {
  await rm(out, { recursive: true, force: true });
  await mkdir(join(out, 'kyso'), { recursive: true });
  for (const f of PAGE_FILES) await cp(join(HERE, f), join(out, f));
  const dist = join(ROOT, 'dist');
  await cp(join(dist, 'browser.js'), join(out, 'kyso', 'browser.js'));
  // the chunks browser.js loads on demand, without their source maps
  const chunks = (await readdir(join(dist, 'browser-chunks'))).filter((f) => f.endsWith('.js'));
  for (const f of chunks) await cp(join(dist, 'browser-chunks', f), join(out, 'kyso', 'browser-chunks', f));
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
