/** Shared pieces of the benchmark: inputs, key material, and the measurement record of a worker. */
import { mkdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { writeLargePdf } from '../test/fixtures/large-pdf.js';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { generateTestPki } from '../test/fixtures/pki.js';

export const WORK = fileURLToPath(new URL('./.work/', import.meta.url));
export const PKI = join(WORK, 'pki');
export const PASSWORD = 'kyso-test';

/** What a worker reports on its standard output, as one JSON line. */
export interface Measurement {
  name: string;
  docs: number;
  seconds: number;
  docsPerSecond: number;
  maxRssMB: number;
}

/** Makes the key material (the test PKI) and a one-page PDF, once. */
export async function prepareInputs(): Promise<{ pdf: string; p12: string; legacyP12: string }> {
  mkdirSync(WORK, { recursive: true });
  await generateTestPki(PKI);
  const pdf = join(WORK, 'one-page.pdf');
  if (!existsSync(pdf)) {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    doc.addPage([595, 842]).drawText('Benchmark document', { x: 72, y: 770, size: 14, font });
    writeFileSync(pdf, await doc.save({ useObjectStreams: false }));
  }
  return { pdf, p12: join(PKI, 'rsa2048.p12'), legacyP12: join(PKI, 'rsa2048.legacy.p12') };
}

/** A `megabytes`-MB PDF in bench/.work (one page and one incompressible stream, like a scanned archive). */
export function largePdfOnDisk(megabytes: number): string {
  const path = join(WORK, `large-${megabytes}mb.pdf`);
  if (!existsSync(path)) writeLargePdf(path, megabytes);
  return path;
}

/** A one-page PDF signed once (verification input). */
export async function signedOnePage(pdf: string, p12: string): Promise<string> {
  const path = join(WORK, 'signed-one-page.pdf');
  const { loadPkcs12Signer, signPdf } = await import('../dist/index.js');
  const signer = await loadPkcs12Signer(readFileSync(p12), { password: PASSWORD });
  writeFileSync(path, await signPdf(readFileSync(pdf), { signer }));
  return path;
}

/** A PDF of `pages` pages of text in bench/.work (the growth tables' inputs). */
export async function pdfWithPages(pages: number): Promise<string> {
  const path = join(WORK, `pages-${pages}.pdf`);
  if (!existsSync(path)) {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    for (let i = 0; i < pages; i++) {
      const page = doc.addPage([595, 842]);
      for (let line = 0; line < 40; line++)
        page.drawText(`Page ${i + 1}, line ${line + 1}: benchmark document text`, {
          x: 72,
          y: 780 - line * 18,
          size: 11,
          font,
        });
    }
    writeFileSync(path, await doc.save({ useObjectStreams: false }));
  }
  return path;
}

/** The one-page PDF signed `count` times, one incremental update each (the signatures growth table). */
export async function pdfWithSignatures(pdf: string, p12: string, count: number): Promise<string> {
  const path = join(WORK, `signatures-${count}.pdf`);
  if (!existsSync(path)) {
    const { loadPkcs12Signer, signPdf } = await import('../dist/index.js');
    const signer = await loadPkcs12Signer(readFileSync(p12), { password: PASSWORD });
    let bytes: Uint8Array = readFileSync(pdf);
    for (let i = 0; i < count; i++) bytes = await signPdf(bytes, { signer });
    writeFileSync(path, bytes);
  }
  return path;
}

/**
 * Untimed runs before `n` timed ones, as the warm peers do (bench/peers: PDFBox's JIT, pyHanko's caches): kyso's
 * in-process rows are measured warm too, as a service runs.
 */
export const warmUpRuns = (n: number) => Math.max(20, Math.floor(n / 5));

/** Runs `body` `warmUp` times untimed, then `n` times timed, and returns the measurement. */
export async function measure(
  name: string,
  n: number,
  body: (i: number) => Promise<unknown> | unknown,
  warmUp = 0,
): Promise<Measurement> {
  for (let i = 0; i < warmUp; i++) await body(i);
  const start = performance.now();
  for (let i = 0; i < n; i++) await body(i);
  const seconds = (performance.now() - start) / 1000;
  return { name, docs: n, seconds, docsPerSecond: n / seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}
