/**
 * The verification page in headless Chromium, served by `kyso serve-verify`: what loading it costs (bytes over
 * the wire and time until the drop zone works, then until kyso itself is loaded), and the time from dropping a
 * signed PDF to the verdict on screen, for a one-page and a 300-page document (and to the first page drawn).
 * Prints one JSON line per figure. Usage: verify-page.ts ONE_PAGE.pdf ROOT.pem
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { buildVerifyPage } from '../examples/verify/build.js';
import { PASSWORD, PKI, WORK, pdfWithPages, type Measurement } from './common.js';

const [onePage, root] = process.argv.slice(2) as [string, string];
const out = (m: Measurement & { note: string }) => console.log(JSON.stringify(m));
const figure = (name: string, seconds: number, note: string) =>
  out({ name, docs: 1, seconds, docsPerSecond: 1 / seconds, maxRssMB: 0, note });

/** A 300-page PDF with text on every page (the growth tables' input), signed once. */
async function signedManyPages(pages: number): Promise<string> {
  const { loadPkcs12Signer, signPdf } = await import('../dist/index.js');
  const signer = await loadPkcs12Signer(readFileSync(join(PKI, 'rsa2048.p12')), { password: PASSWORD });
  const path = join(WORK, `signed-${pages}-pages.pdf`);
  writeFileSync(path, await signPdf(readFileSync(await pdfWithPages(pages)), { signer }));
  return path;
}

const site = await buildVerifyPage(join(WORK, 'verify-page'));
const many = await signedManyPages(300);
const server = spawn(
  process.execPath,
  [fileURLToPath(new URL('../dist/cli/main.js', import.meta.url)), 'serve-verify', '--port', '0', '--dir', site],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const base = await new Promise<string>((resolve) =>
  server.stdout.on(
    'data',
    (d: Buffer) =>
      /http:\/\/127\.0\.0\.1:\d+/.test(String(d)) && resolve(/http:\/\/127\.0\.0\.1:\d+/.exec(String(d))![0]),
  ),
);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  // a cold load: a new context, no cache
  const page = await (await browser.newContext()).newPage();
  let bytes = 0;
  page.on(
    'response',
    (r) =>
      void r.body().then(
        (b) => (bytes += b.length),
        () => undefined,
      ),
  );
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-kyso=loaded]');
  // the page's own clock, from the start of navigation: Playwright's round trips are not counted
  const mark = (name: string) => page.evaluate((n) => performance.getEntriesByName(n).at(-1)!.startTime / 1000, name);
  const interactive = await mark('kyso:ready');
  const loaded = await mark('kyso:loaded');
  await page.waitForTimeout(200);
  figure(
    'page load: drop zone ready',
    interactive,
    `${(bytes / 1024).toFixed(0)} KiB transferred (uncompressed) by the time kyso is loaded, ${loaded.toFixed(2)} s; pdf.js is loaded only with the first PDF`,
  );
  await page.setInputFiles('#root', root);
  for (const [label, file] of [
    ['1-page PDF', onePage],
    ['300-page PDF', many],
  ] as const) {
    await page.evaluate(() => (document.body.dataset.state = 'ready'));
    await page.setInputFiles('#files', file);
    await page.waitForSelector('body[data-state=done]', { timeout: 120_000 });
    await page.waitForSelector('.page[data-drawn=yes]', { timeout: 120_000 });
    const chosen = await mark('kyso:chosen');
    const verdict = (await mark('kyso:verdict')) - chosen;
    const drawn = (await mark('kyso:page-drawn')) - chosen;
    const indication = await page.getAttribute('article.doc', 'data-indication');
    figure(
      `time to verdict, ${label}`,
      verdict,
      `${indication}; first page drawn at ${drawn.toFixed(2)} s (${(readFileSync(file).length / 1024).toFixed(0)} KiB)`,
    );
  }
} finally {
  await browser.close();
  server.kill();
}
