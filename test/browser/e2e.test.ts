import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { describeWithTools, pdfsig, scratchDir } from '../fixtures/tools.js';
import { P12_PASSWORD } from '../fixtures/pki.js';
import { buildBrowserExample } from '../../examples/browser/build.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.map': 'application/json',
  '.pdf': 'application/pdf',
};
let server: Server;
let base: string;
let browser: Browser;

describeWithTools(['chromium', 'pdfsig', 'certutil'], 'kyso in the browser (headless Chromium)', () => {
  beforeAll(async () => {
    // the example's own bundle of kyso (examples/browser/kyso/), then the repository served on 127.0.0.1
    await buildBrowserExample();
    server = createServer(async (req, res) => {
      const path = normalize(join(ROOT, decodeURIComponent((req.url ?? '/').split('?')[0]!)));
      if (!path.startsWith(ROOT)) return res.writeHead(403).end();
      let body: Buffer;
      try {
        body = await readFile(path);
      } catch {
        return res.writeHead(404).end();
      }
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('signs with a non-extractable key made in the page, verifies, and the downloaded PDF passes pdfsig', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/examples/browser/index.html`);
    await page.setInputFiles('#pdf', join(ROOT, 'examples/documents/quyet-dinh-mau.pdf'));
    await page.click('#sign');
    await page.waitForFunction(
      () =>
        document.getElementById('report')!.textContent!.includes('PASSED') ||
        document.getElementById('report')!.textContent!.startsWith('Error'),
      undefined,
      { timeout: 30_000 },
    );
    const report = await page.textContent('#report');
    expect(report, errors.join('\n')).toContain('TOTAL_PASSED');
    expect(report).toContain('Nguyễn Văn An');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const file = join(scratchDir('kyso-browser-'), 'signed.pdf');
    await download.saveAs(file);
    expect(statSync(file).size).toBeGreaterThan(40_000);
    const p = pdfsig(file);
    expect(p.signatures[0]?.signatureValidation, p.output).toBe('Signature is Valid.');
    expect(errors).toEqual([]);
  });

  it('signs and verifies an XML e-invoice and a detached CMS in the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/examples/browser/index.html`);
    const xml = await readFile(join(ROOT, 'examples/xml/einvoice-tt78.xml'), 'utf8');
    // a string, so that the test runner does not rewrite the page's dynamic import
    const result = await page.evaluate(`(async () => {
      const kyso = await import('/examples/browser/kyso/browser.js');
      const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
      const certificate = await kyso.createSelfSignedCertificate({ keys, commonName: 'Công ty Thử Nghiệm', uid: 'MST:0101234567' });
      const signer = await kyso.createCryptoKeySigner({ privateKey: keys.privateKey, certificate });
      const signed = await kyso.signXml(${JSON.stringify(xml)}, { signer, profile: 'einvoice' });
      const report = await kyso.verifyXml(signed, { trust: [certificate] });
      const tampered = new TextDecoder().decode(signed).replace('<THTTLTSuat>', '<THTTLTSuat> ');
      const bad = await kyso.verifyXml(tampered, { trust: [certificate] });
      const data = new TextEncoder().encode('Hợp đồng số 12/2026');
      const p7s = await kyso.signDetached(data, { signer });
      const cms = await kyso.verifyDetached(data, p7s, { trust: [certificate] });
      return { ok: report.indication, bad: bad.indication, cms: cms.indication };
    })()`);
    expect(result).toEqual({ ok: 'TOTAL_PASSED', bad: 'TOTAL_FAILED', cms: 'TOTAL_PASSED' });
  });
  it('loads node-forge and fontkit only when needed: a legacy .p12 key and a visible signature with a font, in the page', async () => {
    const page = await browser.newPage();
    const chunks: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/examples/browser/kyso/browser-chunks/')) chunks.push(r.url());
    });
    await page.goto(`${base}/examples/browser/index.html`);
    const onDemand = (u: string) => /\/(fontkit|lib-)[^/]*\.js$/.test(u);
    const before = chunks.filter(onDemand);
    const result = await page.evaluate(`(async () => {
      const kyso = await import('/examples/browser/kyso/browser.js');
      const bytes = async (path) => new Uint8Array(await (await fetch(path)).arrayBuffer());
      // An OpenSSL 3 default .p12 is read with WebCrypto alone; node-forge comes only for the legacy kind.
      await kyso.loadPkcs12Signer(await bytes('/test/.pki/rsa2048.p12'), { password: ${JSON.stringify(P12_PASSWORD)} });
      const forgeAfterModern = performance.getEntriesByType('resource').some((e) => e.name.includes('/browser-chunks/lib-'));
      const signer = await kyso.loadPkcs12Signer(await bytes('/test/.pki/rsa2048.legacy.p12'), { password: ${JSON.stringify(P12_PASSWORD)} });
      const signed = await kyso.signPdf(await bytes('/examples/documents/quyet-dinh-mau.pdf'), {
        signer,
        appearance: { preset: 'approved', pageIndex: 0, rect: [330, 120, 200, 80], font: await bytes('/assets/fonts/LiberationSerif-Regular.ttf') },
      });
      const report = await kyso.verifyPdf(signed, { trust: [await bytes('/test/.pki/root.cert.pem')] });
      return { indication: report.indication, forgeAfterModern };
    })()`);
    expect(result).toEqual({ indication: 'TOTAL_PASSED', forgeAfterModern: false });
    expect(before).toEqual([]); // the page loaded without them
    expect(chunks.some((u) => /\/fontkit[^/]*\.js$/.test(u))).toBe(true);
    expect(chunks.some((u) => /\/lib-[^/]*\.js$/.test(u))).toBe(true);
  });
});
