import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildVerifyPage } from '../../examples/verify/build.js';
import { reportMessages } from '../../src/index.js';
import { describeWithTools, scratchDir } from '../fixtures/tools.js';
import { pkiPath } from '../fixtures/pki.js';
import { makeVerifyPageDocuments, type VerifyPageDocuments } from './verify-page-documents.js';
import { createTsaIdentity, startTsaServer, type TsaServer } from '../fixtures/tsa-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const PDFJS = join(ROOT, 'node_modules/pdfjs-dist');
const vi = reportMessages('vi');
let server: ChildProcess;
let base: string;
let browser: Browser;
let docs: VerifyPageDocuments;
let shots: string;
let tsa: TsaServer;
let site: string;

type Upload = { name: string; mimeType: string; buffer: Buffer };
const file = (name: string, bytes: Uint8Array, mimeType = 'application/octet-stream'): Upload => ({
  name,
  mimeType,
  buffer: Buffer.from(bytes),
});

/**
 * Opens the page, chooses the test root as the trust (unless `trust` is `vn`), drops `files`, and waits for the
 * verdicts. Every request the page makes is recorded: the page may load its own files and nothing else.
 */
async function verifyOnPage(
  files: Upload[],
  options: { lang?: 'vi' | 'en'; trust?: 'vn' | 'own'; base?: string } = {},
): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const site = options.base ?? base;
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  // anything but the page's own files is refused (and recorded, so that the test sees it)
  await page.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(`${route.request().method()} ${url}`);
    return url.startsWith(`${site}/`) ? route.continue() : route.abort();
  });
  await page.goto(`${site}/?lang=${options.lang ?? 'vi'}`);
  if ((options.trust ?? 'own') === 'own') await page.setInputFiles('#root', pkiPath('root.cert.pem'));
  await page.setInputFiles('#files', files);
  await page.waitForSelector('body[data-state=done]', { timeout: 60_000 });
  return { page, requests, errors };
}

/** Pixels of an element's screenshot near `rgb` (decoded in the page, which has a PNG decoder). */
async function pixelsLike(
  page: Page,
  selector: string,
  rgb: [number, number, number],
  tolerance = 40,
): Promise<number> {
  const png = (await page.locator(selector).screenshot()).toString('base64');
  return page.evaluate(
    async ({ png, rgb, tolerance }) => {
      const bitmap = await createImageBitmap(
        new Blob([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], { type: 'image/png' }),
      );
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (
          Math.abs(data[i]! - rgb[0]) + Math.abs(data[i + 1]! - rgb[1]) + Math.abs(data[i + 2]! - rgb[2]) <=
          tolerance
        )
          n++;
      return n;
    },
    { png, rgb, tolerance },
  );
}

const GREEN: [number, number, number] = [26, 127, 55]; // --passed, the outline of a valid signature
const RED_OUTLINE: [number, number, number] = [198, 40, 40]; // --failed
const RED_BOX: [number, number, number] = [217, 26, 26]; // what modified.pdf draws after signing (0.85 0.1 0.1 rg)

/** Only GETs of the page's own files: no document, report or anything else left the page. */
function expectOffline(requests: string[], site = base): void {
  expect(requests.length).toBeGreaterThan(0);
  expect(requests.filter((r) => !r.startsWith(`GET ${site}/`))).toEqual([]);
}

/** `kyso serve-verify` on a free port for the page in `dir` (`node` options first): the process and its address. */
async function serveVerify(
  dir: string,
  node: string[] = [],
): Promise<{ server: ChildProcess; base: string; stderr: () => string }> {
  const server = spawn(process.execPath, [...node, CLI, 'serve-verify', '--port', '0', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  server.stderr!.on('data', (d: Buffer) => (stderr += String(d)));
  const base = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (d: Buffer) => {
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(String(d));
      if (m) resolve(m[0]);
    });
    server.once('exit', (code) => reject(new Error(`kyso serve-verify exited with ${code}: ${stderr}`)));
  });
  // the note about a missing pdf.js follows the address at once
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { server, base, stderr: () => stderr };
}

describeWithTools(['chromium'], 'the verification page (kyso serve-verify, headless Chromium)', () => {
  beforeAll(async () => {
    const dir = (site = await buildVerifyPage(join(scratchDir('kyso-verify-page-'), 'site')));
    shots = scratchDir('kyso-verify-shots-');
    tsa = await startTsaServer({ identity: createTsaIdentity() });
    docs = await makeVerifyPageDocuments(ROOT, tsa.url);
    ({ server, base } = await serveVerify(dir));
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    server?.kill();
    await tsa?.stop();
  });

  it('is only its HTML, CSS and scripts: no file over 32 KB, under 64 KB in all (no copy of kyso or pdf.js)', async () => {
    const files = await readdir(site, { recursive: true, withFileTypes: true });
    const sizes = await Promise.all(
      files.filter((f) => f.isFile()).map(async (f) => (await stat(join(f.parentPath, f.name))).size),
    );
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.max(...sizes)).toBeLessThan(32_000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThan(64_000);
  });

  it("serves kyso's browser build (dist/) and pdf.js from the installed pdfjs-dist peer", async () => {
    const body = async (path: string) => Buffer.from(await (await fetch(`${base}${path}`)).arrayBuffer());
    expect((await body('/kyso/browser.js')).equals(await readFile(join(ROOT, 'dist/browser.js')))).toBe(true);
    expect((await body('/vendor/pdf.min.mjs')).equals(await readFile(join(PDFJS, 'build/pdf.min.mjs')))).toBe(true);
    const worker = await fetch(`${base}/vendor/pdf.worker.min.mjs`);
    expect(worker.headers.get('content-type')).toContain('text/javascript');
    expect(Number(worker.headers.get('content-length'))).toBe(
      (await stat(join(PDFJS, 'build/pdf.worker.min.mjs'))).size,
    );
    expect((await fetch(`${base}/vendor/cmaps/78-H.bcmap`)).status).toBe(200);
    // the package's other files stay out of reach
    expect((await fetch(`${base}/kyso/index.js`)).status).toBe(404);
    expect((await fetch(`${base}/vendor/cmaps/..%2f..%2fpackage.json`)).status).toBe(403);
  });

  it('without pdfjs-dist: the page is served and verifies, and says why it shows no pages', async () => {
    const without = await serveVerify(site, ['--import', join(ROOT, 'test/fixtures/without-pdfjs.mjs')]);
    try {
      expect(without.stderr()).toContain('npm install pdfjs-dist');
      expect((await fetch(`${without.base}/vendor/pdf.min.mjs`)).status).toBe(404);
      const { page, requests } = await verifyOnPage([file('quyet-dinh.pdf', docs.valid, 'application/pdf')], {
        base: without.base,
      });
      const doc = page.locator('article.doc');
      expect(await doc.getAttribute('data-indication')).toBe('TOTAL_PASSED');
      expect(await doc.locator('.card').count()).toBe(2);
      await page.waitForSelector('[data-role=viewer] [data-role=no-viewer]', { timeout: 30_000 });
      expect(await page.locator('[data-role=no-viewer]').textContent()).toContain('npm install pdfjs-dist');
      expect(await page.locator('.page').count()).toBe(0);
      expectOffline(requests, without.base);
      await page.close();
    } finally {
      without.server.kill();
    }
  });

  it('serves the page on 127.0.0.1 only, with a policy that keeps scripts and styles to its own files', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${base}/..%2f..%2fpackage.json`)).status).toBe(403);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('a valid signed PDF: "Chữ ký hợp lệ" per signature, signer with CCCD/MST, Vietnam time, level, widgets outlined — offline', async () => {
    const { page, requests, errors } = await verifyOnPage([file('quyet-dinh.pdf', docs.valid, 'application/pdf')]);
    const doc = page.locator('article.doc');
    expect(await doc.getAttribute('data-indication')).toBe('TOTAL_PASSED');
    expect(await doc.locator('.doc-head .badge').textContent()).toContain('Chữ ký hợp lệ');
    const cards = doc.locator('.card');
    expect(await cards.count()).toBe(2);
    const first = (await cards.nth(0).textContent())!;
    expect(first).toContain('Nguyễn Văn An');
    expect(first).toContain('CCCD 001089012345');
    expect(first).toMatch(/\d\d:\d\d:\d\d ngày \d\d\/\d\d\/\d{4} \(giờ Việt Nam\)/);
    expect(first).toContain('PAdES B-B');
    expect(first).toContain(vi.coverage['permitted-changes']);
    expect(await cards.nth(1).textContent()).toContain('MST 0101234567');
    // the page as pdf.js draws it, each signature's widget outlined in the verdict's colour
    await page.waitForSelector(
      '[data-role=viewer][data-ready=yes] .page[data-drawn=yes] .outline[data-signature="2"]',
      { timeout: 30_000 },
    );
    const outlines = page.locator('.page[data-page="1"] .outline');
    expect(await outlines.count()).toBe(2);
    expect(await outlines.evaluateAll((os) => os.map((o) => o.className).sort())).toEqual([
      'outline tone-passed',
      'outline tone-passed',
    ]);
    expect(await pixelsLike(page, '.page[data-page="1"] .outline[data-signature="1"]', GREEN)).toBeGreaterThan(300);
    expect(await pixelsLike(page, '.page[data-page="1"]', [0, 0, 0], 200)).toBeGreaterThan(2000); // the text is drawn, not a blank canvas
    await page.screenshot({ path: join(shots, 'valid.png'), fullPage: true });
    expectOffline(requests);
    expect(requests.some((r) => r.includes('/vendor/pdf.worker.min.mjs'))).toBe(true);
    expect(errors).toEqual([]);
    // the JSON report, downloaded
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      doc.locator('[data-role=download-json]').click(),
    ]);
    const json = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
      file: string;
      report: { indication: string; signatures: unknown[] };
    };
    expect(json.file).toBe('quyet-dinh.pdf');
    expect(json.report.indication).toBe('TOTAL_PASSED');
    expect(json.report.signatures).toHaveLength(2);
    // English on request, without verifying again
    await page.click('[data-lang=en]');
    expect(await doc.locator('.doc-head .badge').textContent()).toContain('PASSED');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.close();
  });

  it('a PDF changed after signing: "Chữ ký không hợp lệ", the change in words, and the signed version beside the current one', async () => {
    const { page, requests, errors } = await verifyOnPage([
      file('quyet-dinh-da-sua.pdf', docs.modified, 'application/pdf'),
    ]);
    const doc = page.locator('article.doc');
    expect(await doc.getAttribute('data-indication')).toBe('TOTAL_FAILED');
    const card = (await doc.locator('.card').first().textContent())!;
    expect(card).toContain('Chữ ký không hợp lệ');
    expect(card).toContain(vi.changedAfterSigning);
    expect(card).toContain(`${vi.changeStatus['not-permitted']}: ${vi.change['page-content']}`);
    await page.waitForSelector('.page[data-drawn=yes] .outline.tone-failed', { timeout: 30_000 });
    expect(await pixelsLike(page, '.page[data-page="1"] .outline[data-signature="1"]', RED_OUTLINE)).toBeGreaterThan(
      300,
    );
    await page.click('[data-role=view-signed]');
    await page.waitForSelector('#compare[open][data-ready=yes]', { timeout: 30_000 });
    expect(await page.locator('[data-role=signed-pane] h3').textContent()).toBe('Bản đã ký (phiên bản 2)');
    expect(await page.locator('[data-role=current-pane] h3').textContent()).toBe('Bản hiện tại (phiên bản 3)');
    // the red box drawn after signing is in the current version only
    const signedRed = await pixelsLike(page, '[data-role=signed-pane] .page', RED_BOX, 30);
    const currentRed = await pixelsLike(page, '[data-role=current-pane] .page', RED_BOX, 30);
    expect(currentRed).toBeGreaterThan(5000);
    expect(signedRed).toBeLessThan(50);
    expect(await pixelsLike(page, '[data-role=signed-pane] .page', [0, 0, 0], 200)).toBeGreaterThan(2000);
    await page.screenshot({ path: join(shots, 'modified-compare.png') });
    expectOffline(requests);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an XML e-invoice, in English: the seller with MST, what was signed', async () => {
    const { page, requests, errors } = await verifyOnPage([file('hoa-don.xml', docs.einvoice, 'text/xml')], {
      lang: 'en',
    });
    const doc = page.locator('article.doc');
    expect(await doc.getAttribute('data-indication')).toBe('TOTAL_PASSED');
    const text = (await doc.textContent())!;
    expect(text).toContain('Ủy ban nhân dân tỉnh Thử Nghiệm');
    expect(text).toContain('MST 0101234567');
    expect(text).toContain('exactly /HDon[1]/DLHDon[1]');
    expect(text).toContain('(Vietnam time)');
    expect(await page.locator('[data-role=viewer]').count()).toBe(0);
    await page.screenshot({ path: join(shots, 'einvoice.png'), fullPage: true });
    expectOffline(requests);
    expect(requests.some((r) => r.includes('/vendor/'))).toBe(false); // pdf.js is not loaded for XML
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a file with its .p7s: valid, and "Chữ ký không hợp lệ" with other content', async () => {
    const ok = await verifyOnPage([
      file('hop-dong.txt', docs.contract, 'text/plain'),
      file('hop-dong.txt.p7s', docs.contractP7s),
    ]);
    const doc = ok.page.locator('article.doc');
    expect(await doc.getAttribute('data-indication')).toBe('TOTAL_PASSED');
    expect(await doc.textContent()).toContain('Nguyễn Văn An');
    expect(await doc.textContent()).toContain('hop-dong.txt');
    await ok.page.screenshot({ path: join(shots, 'p7s.png'), fullPage: true });
    expectOffline(ok.requests);
    await ok.page.close();
    const bad = await verifyOnPage([
      file('hop-dong.txt', new TextEncoder().encode('HỢP ĐỒNG số 13/2026/HĐ'), 'text/plain'),
      file('hop-dong.txt.p7s', docs.contractP7s),
    ]);
    expect(await bad.page.locator('article.doc').getAttribute('data-indication')).toBe('TOTAL_FAILED');
    expect(await bad.page.locator('article.doc .why').textContent()).toBe(vi.subIndication.HASH_FAILURE);
    await bad.page.close();
  });

  it('a file with its .tsr: "Dấu thời gian hợp lệ"; a .p7s without its file: missing data said plainly', async () => {
    const stamped = await verifyOnPage([
      file('hop-dong.txt', docs.contract, 'text/plain'),
      file('hop-dong.txt.tsr', docs.contractTsr),
    ]);
    expect(await stamped.page.locator('article.doc').getAttribute('data-indication')).toBe('TOTAL_PASSED');
    expect(await stamped.page.locator('article.doc .doc-head .badge').textContent()).toContain('Dấu thời gian hợp lệ');
    expect(await stamped.page.locator('article.doc').textContent()).toContain('kyso Test TSA');
    expectOffline(stamped.requests);
    await stamped.page.close();
    const alone = await verifyOnPage([file('hop-dong.txt.p7s', docs.contractP7s)]);
    expect(await alone.page.locator('article.doc .why').textContent()).toContain('Thiếu tệp dữ liệu gốc');
    await alone.page.close();
  });

  it('with the vn trust bundle, a certificate from another CA is "Không xác định", with why', async () => {
    const { page, requests } = await verifyOnPage([file('quyet-dinh.pdf', docs.valid, 'application/pdf')], {
      trust: 'vn',
    });
    const doc = page.locator('article.doc');
    expect(await doc.getAttribute('data-indication')).toBe('INDETERMINATE');
    expect(await doc.locator('.doc-head .badge').textContent()).toContain('Không xác định');
    expect(await doc.locator('.card .why').first().textContent()).toBe(vi.subIndication.NO_CERTIFICATE_CHAIN_FOUND);
    expectOffline(requests);
    await writeFile(join(shots, 'README'), 'screenshots of the verification page test\n');
    await page.close();
  });
});
