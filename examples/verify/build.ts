/**
 * Builds the verification page into a folder of static files (default dist/verify, which `kyso serve-verify`
 * serves): the page's own HTML, CSS and scripts. It ships no library: the server adds kyso's browser build
 * (dist/browser.js, under /kyso/) and pdf.js from the installed pdfjs-dist peer (under /vendor/), so the page
 * costs the package a few tens of kilobytes. `npm run build:verify` runs it.
 */
import { cp, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const PAGE_FILES = ['index.html', 'style.css', 'app.js', 'viewer.js', 'messages.js'];

/** Builds the page into `out` (emptied first). Returns `out`. */
export async function buildVerifyPage(out = join(ROOT, 'dist', 'verify')): Promise<string> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  for (const f of PAGE_FILES) await cp(join(HERE, f), join(out, f));
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`verification page: ${await buildVerifyPage(process.argv[2])}`);
}
