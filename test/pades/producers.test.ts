/**
 * Visible signatures on documents as agencies make them: for each producer this machine has, the anchor is
 * found where pdftotext says, the approved signature goes between the title and the name of the signature block
 * without covering anything, appendix and copy find free space, the seal spares the signer's text block, and the
 * preview shows what signing then draws. pdfsig accepts every step and pdftotext still reads the page's words
 * where they were.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadPkcs12Signer,
  previewPdfSignature,
  signPdf,
  type AppearanceOptions,
  type AppearancePlacement,
  type Signer,
} from '../../src/index.js';
import { decodePng } from '../../src/pdf/appearance/png.js';
import { openLayout, type Box, type PageLayout } from '../../src/pdf/layout/page-layout.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { BLOCK, PRODUCERS } from '../fixtures/producers.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import { hasTool, pdfsig, run, scratchDir } from '../fixtures/tools.js';

const asset = (p: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../../examples/${p}`, import.meta.url))));
const at = new Date('2026-11-24T08:30:00Z');
const DPI = 50;
const K = DPI / 72;
const TOOLS = ['pdfsig', 'pdftotext', 'pdftoppm', 'certutil'];

interface Word extends Box {
  text: string;
}

/** pdftotext's words with their boxes, in its frame: the upright page, from the media box's top-left corner. */
function words(file: string): Word[] {
  const out = run('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-']).stdout;
  return [
    ...out.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
  ].map((m) => ({
    x1: Number(m[1]),
    y1: Number(m[2]),
    x2: Number(m[3]),
    y2: Number(m[4]),
    text: m[5]!.replace(/&amp;/g, '&').normalize('NFC'),
  }));
}

/** The box of the words that spell `phrase` in a row (pdftotext splits some words where a mark is drawn apart). */
function phraseBox(ws: Word[], phrase: string): Box {
  const want = phrase.replace(/\s+/g, '');
  for (let i = 0; i < ws.length; i++) {
    let text = '';
    for (let j = i; j < ws.length && text.length < want.length; j++) {
      text += ws[j]!.text;
      if (text === want) {
        const span = ws.slice(i, j + 1);
        return {
          x1: Math.min(...span.map((w) => w.x1)),
          y1: Math.min(...span.map((w) => w.y1)),
          x2: Math.max(...span.map((w) => w.x2)),
          y2: Math.max(...span.map((w) => w.y2)),
        };
      }
      if (!want.startsWith(text)) break;
    }
  }
  throw new Error(`pdftotext does not show "${phrase}"`);
}

/** A word's box without the top and bottom fifth: pdftotext sizes words by the font's bounding box, taller than the ink. */
const core = (w: Box): Box => ({ ...w, y1: w.y1 + (w.y2 - w.y1) / 5, y2: w.y2 - (w.y2 - w.y1) / 5 });

const overlaps = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

/** A placement's rectangle in the layout's frame (the upright crop box). */
function placedBox(layout: PageLayout, pdf: Uint8Array, p: AppearancePlacement): Box {
  const page = PdfReader.open(pdf).pages()[p.pageIndex]!;
  const b = page.cropBox ?? page.mediaBox!;
  const x = Math.min(b[0]!, b[2]!) + p.rect[0];
  const y = Math.min(b[1]!, b[3]!) + p.rect[1];
  return layout.fromUser([x, y, x + p.rect[2], y + p.rect[3]]);
}

/** Where pdftotext's frame (media box) begins in the layout's frame (crop box). */
function mediaOrigin(layout: PageLayout, pdf: Uint8Array): { dx: number; dy: number } {
  const page = PdfReader.open(pdf).pages()[0]!;
  const m = layout.fromUser(page.mediaBox!);
  return { dx: m.x1, dy: m.y1 };
}

interface Gray {
  width: number;
  height: number;
  px: Uint8Array;
}

function render(file: string, name: string): Gray {
  const out = join(file + '-' + name);
  const r = run('pdftoppm', ['-cropbox', '-png', '-r', String(DPI), '-f', '1', '-l', '1', '-singlefile', file, out]);
  expect(r.status, r.stderr).toBe(0);
  return gray(readFileSync(`${out}.png`));
}

function gray(png: Uint8Array): Gray {
  const img = decodePng(png);
  const px = new Uint8Array(img.width * img.height);
  const channels = img.rgb.length / px.length;
  for (let i = 0; i < px.length; i++)
    px[i] =
      channels === 1 ? img.rgb[i]! : Math.round((img.rgb[3 * i]! + img.rgb[3 * i + 1]! + img.rgb[3 * i + 2]!) / 3);
  return { width: img.width, height: img.height, px };
}

/** Mean absolute difference of two renderings inside (or, with `outside`, outside) a box given in points. */
function difference(a: Gray, b: Gray, box: Box, outside = false): number {
  const w = Math.min(a.width, b.width),
    h = Math.min(a.height, b.height);
  let sum = 0,
    n = 0;
  const grow = outside ? 2 : 0; // anti-aliasing at the box's edge
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = x >= box.x1 * K - grow && x < box.x2 * K + grow && y >= box.y1 * K - grow && y < box.y2 * K + grow;
      if (inside === outside) continue;
      sum += Math.abs(a.px[y * a.width + x]! - b.px[y * b.width + x]!);
      n++;
    }
  }
  return n ? sum / n : 0;
}

/** The darkest pixel in the box: 255 is a blank region. */
function darkest(a: Gray, box: Box): number {
  let min = 255;
  // whole pixels inside the box: the ones across its edge carry the anti-aliasing of what is next to it
  for (let y = Math.max(0, Math.ceil(box.y1 * K)); y < Math.min(a.height, Math.floor(box.y2 * K)); y++) {
    for (let x = Math.max(0, Math.ceil(box.x1 * K)); x < Math.min(a.width, Math.floor(box.x2 * K)); x++)
      min = Math.min(min, a.px[y * a.width + x]!);
  }
  return min;
}

let leader: Signer;
let organisation: Signer;
const workDir = scratchDir('kyso-producers-');

for (const producer of PRODUCERS) {
  const missing = [...TOOLS.filter((t) => !hasTool(t)), ...(producer.available() ? [] : producer.tools)];
  const name = `visible signatures on a decision made by ${producer.name}`;
  if (missing.length && process.env.CI) {
    describe(name, () => {
      throw new Error(`producer or tools missing in CI: ${missing.join(', ')}`);
    });
    continue;
  }
  if (missing.length) console.warn(`[producers] skipping "${name}": ${missing.join(', ')} not installed`);
  describe.skipIf(missing.length > 0)(name, () => {
    const dir = join(workDir, producer.name.replace(/\W+/g, '-'));
    let file: string;
    let pdf: Uint8Array;
    let layout: PageLayout;
    let original: Word[];
    let originalPage: Gray;
    let origin: { dx: number; dy: number };
    /** A pdftotext box in the layout's frame. */
    const fromText = (b: Box): Box => ({
      x1: b.x1 + origin.dx,
      y1: b.y1 + origin.dy,
      x2: b.x2 + origin.dx,
      y2: b.y2 + origin.dy,
    });

    /** Signs, checks pdfsig and that every word pdftotext read before is still read where it was. */
    async function step(
      input: Uint8Array,
      label: string,
      signer: Signer,
      appearance: AppearanceOptions,
      count: number,
    ) {
      let placement: AppearancePlacement | undefined;
      const signed = await signPdf(input, { signer, signingTime: at, appearance, onPlacement: (p) => (placement = p) });
      const out = join(dir, `${label}.pdf`);
      writeFileSync(out, signed);
      expect(pdfsig(out).signatures.map((s) => s.signatureValidation)).toEqual(
        Array(count).fill('Signature is Valid.'),
      );
      const after = words(out).map((w) => `${w.text}@${w.x1.toFixed(1)},${w.y1.toFixed(1)}`);
      for (const w of original) expect(after).toContain(`${w.text}@${w.x1.toFixed(1)},${w.y1.toFixed(1)}`);
      return { signed, out, placement: placement! };
    }

    beforeAll(async () => {
      leader ??= await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
      organisation ??= await loadPkcs12Signer(pkiFile('rsa4096.p12'), { password: P12_PASSWORD });
      file = await producer.make(dir);
      pdf = new Uint8Array(readFileSync(file));
      const source = await openLayout(pdf);
      layout = await source.layout(0);
      await source.close();
      original = words(file);
      originalPage = render(file, 'original');
      origin = mediaOrigin(layout, pdf);
    }, 300_000);

    it('finds the title and the name where pdftotext -bbox has them', () => {
      for (const phrase of [BLOCK.title, BLOCK.name, 'Nơi nhận:']) {
        const line = layout.lines.find((l) => l.text === phrase || l.text.startsWith(phrase));
        expect(line, `"${phrase}" in ${layout.lines.map((l) => l.text).join(' | ')}`).toBeDefined();
        const expected = fromText(phraseBox(original, phrase));
        expect(Math.abs((line!.x1 + line!.x2) / 2 - (expected.x1 + expected.x2) / 2)).toBeLessThan(3);
        expect(Math.abs((line!.y1 + line!.y2) / 2 - (expected.y1 + expected.y2) / 2)).toBeLessThan(3);
      }
    });

    it('approved, then issued: between the title and the name, over nothing; the seal spares the signer text; the preview matches', async () => {
      const appearance: AppearanceOptions = { preset: 'approved', image: asset('images/chu-ky-mau.png') };
      const preview = await previewPdfSignature(pdf, {
        certificate: leader.certificate,
        signingTime: at,
        appearance,
        dpi: DPI,
      });
      const { signed, out, placement } = await step(pdf, 'approved', leader, appearance, 1);
      expect(preview.placement).toEqual(placement);
      expect(placement.by).toBe('signature-block');
      expect(placement.lines).toEqual(
        [BLOCK.authority, BLOCK.deputy, BLOCK.title, BLOCK.name].map((l) => expect.stringContaining(l.split(' ')[0]!)),
      );
      const box = placedBox(layout, signed, placement);
      const title = core(fromText(phraseBox(original, BLOCK.title)));
      const nameBox = core(fromText(phraseBox(original, BLOCK.name)));
      expect(box.y1).toBeGreaterThanOrEqual(title.y2 - 0.5);
      expect(box.y2).toBeLessThanOrEqual(nameBox.y1 + 0.5);
      expect(Math.abs((box.x1 + box.x2) / 2 - (title.x1 + title.x2) / 2)).toBeLessThan(2);
      for (const w of original) expect(overlaps(box, core(fromText(w))), w.text).toBe(false);
      // the page is unchanged outside the widget; inside it, it was blank and now shows the signature
      const page = render(out, 'signed');
      expect(difference(page, originalPage, box, true)).toBeLessThan(0.2);
      expect(darkest(originalPage, box)).toBeGreaterThan(250);
      expect(darkest(page, box)).toBeLessThan(150);
      // the preview (pdf.js) shows what pdftoppm draws of the signed page, not the unsigned one
      const shown = gray(preview.png);
      const near = difference(shown, page, box);
      expect(near).toBeLessThan(12);
      expect(near).toBeLessThan(difference(shown, originalPage, box));

      const issued = await step(
        signed,
        'issued',
        organisation,
        { preset: 'issued', seal: asset('images/con-dau-mau.png') },
        2,
      );
      expect(issued.placement.by).toBe('leader');
      const seal = placedBox(layout, issued.signed, issued.placement);
      const signerText = words(out).filter(
        (w) => overlaps(fromText(w), box) && !original.some((o) => o.text === w.text && Math.abs(o.x1 - w.x1) < 0.1),
      );
      expect(signerText.length).toBeGreaterThan(4);
      for (const w of signerText) expect(overlaps(seal, core(fromText(w))), `the seal covers "${w.text}"`).toBe(false);
      expect(seal.x2).toBeGreaterThan(box.x1);
    });

    it('appendix and copy take free space at the top right, over nothing', async () => {
      for (const appearance of [
        { preset: 'appendix', documentNumber: 'Phụ lục kèm theo Quyết định số 45/QĐ-UBND' },
        { preset: 'copy', copyType: 'SAO Y', copyOrganization: 'Văn phòng UBND tỉnh Thử Nghiệm' },
      ] as AppearanceOptions[]) {
        const { signed, out, placement } = await step(pdf, appearance.preset, organisation, appearance, 1);
        expect(placement.by).toBe('free-space');
        expect(placement.fontSize).toBeGreaterThanOrEqual(6.5);
        const box = placedBox(layout, signed, placement);
        expect(box.y1).toBeLessThan(layout.height / 4);
        expect(box.x2).toBeGreaterThan(layout.width / 2);
        for (const c of layout.content) expect(overlaps(box, c)).toBe(false);
        for (const w of original) expect(overlaps(box, core(fromText(w))), w.text).toBe(false);
        const page = render(out, appearance.preset);
        expect(darkest(originalPage, box)).toBeGreaterThan(250);
        expect(difference(page, originalPage, box, true)).toBeLessThan(0.2);
      }
    });
  });
}

describe('placement errors', () => {
  it('no signature block: a typed error that suggests --anchor and --rect; a page full of text has no room for a copy', async () => {
    leader ??= await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
    const { PDFDocument, StandardFonts } = await import('pdf-lib');
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    const page = doc.addPage([595, 842]);
    for (let y = 10; y < 842; y += 12)
      page.drawText('Lorem ipsum dolor sit amet '.repeat(6), { x: 5, y, size: 11, font });
    const bytes = await doc.save();
    await expect(signPdf(bytes, { signer: leader, appearance: { preset: 'approved' } })).rejects.toMatchObject({
      code: 'ERR_PDF_PLACEMENT',
      message: expect.stringMatching(/--anchor.*--rect/),
    });
    await expect(
      signPdf(bytes, { signer: leader, appearance: { preset: 'copy', copyType: 'SAO Y' } }),
    ).rejects.toMatchObject({ code: 'ERR_PDF_PLACEMENT', message: expect.stringMatching(/no free space/) });
  });
});
