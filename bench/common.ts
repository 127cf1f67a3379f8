/** Shared pieces of the benchmark: inputs, key material, and the measurement record of a worker. */
import { closeSync, mkdirSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

/**
 * A `megabytes`-MB PDF written straight to disk (one page and one incompressible stream, like a scanned
 * archive), without holding it in memory.
 */
export function largePdfOnDisk(megabytes: number): string {
  const path = join(WORK, `large-${megabytes}mb.pdf`);
  if (existsSync(path)) return path;
  const fd = openSync(path, 'w');
  let at = 0;
  const offsets: number[] = [];
  const write = (b: Uint8Array | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    writeSync(fd, buf);
    at += buf.length;
  };
  write('%PDF-1.7\n');
  const obj = (n: number, body: string) => {
    offsets[n] = at;
    write(`${n} 0 obj\n${body}\nendobj\n`);
  };
  obj(1, '<</Type/Catalog/Pages 2 0 R>>');
  obj(2, '<</Type/Pages/Kids[3 0 R]/Count 1>>');
  obj(3, '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</XObject<</Scan 4 0 R>>>>/Contents 5 0 R>>');
  const size = megabytes * 1024 * 1024;
  offsets[4] = at;
  write(`4 0 obj\n<</Type/XObject/Subtype/Image/Width 1/Height 1/ColorSpace/DeviceGray/BitsPerComponent 8/Length ${size}>>\nstream\n`);
  const chunk = new Uint8Array(4 * 1024 * 1024);
  for (let done = 0; done < size; done += chunk.length) {
    for (let i = 0; i < chunk.length; i += 65536) globalThis.crypto.getRandomValues(chunk.subarray(i, i + 65536));
    write(chunk.subarray(0, Math.min(chunk.length, size - done)));
  }
  write('\nendstream\nendobj\n');
  obj(5, '<</Length 0>>\nstream\n\nendstream');
  const xref = at;
  write(`xref\n0 6\n0000000000 65535 f\r\n${[1, 2, 3, 4, 5].map((n) => `${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`).join('')}`);
  write(`trailer\n<</Size 6/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`);
  closeSync(fd);
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

/** Runs `body` `n` times and returns the measurement. */
export async function measure(name: string, n: number, body: (i: number) => Promise<unknown> | unknown): Promise<Measurement> {
  const start = performance.now();
  for (let i = 0; i < n; i++) await body(i);
  const seconds = (performance.now() - start) / 1000;
  return { name, docs: n, seconds, docsPerSecond: n / seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}
