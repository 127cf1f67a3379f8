/**
 * Decompression bombs for tests: streams a few kilobytes long that inflate (through two FlateDecode stages,
 * as a PDF filter chain allows) to a gigabyte, and signed PDFs carrying them where a reader must inflate:
 * an appended cross-reference stream, an object stream holding the catalog, or validation data (DSS).
 */
import { createDeflate, deflateSync } from 'node:zlib';
import { concatBytes, latin1 } from '../../src/core/bytes.js';
import { PdfDict, PdfRef, PdfStream, name } from '../../src/pdf/objects.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { appendUpdate } from '../fixtures/pdf-updates.js';

const bombs = new Map<number, Promise<Uint8Array>>();

/** Zeros of `mib` MiB deflated twice (zlib format): a `[/FlateDecode /FlateDecode]` stream body. */
export function doubleFlateBomb(mib = 1024): Promise<Uint8Array> {
  let bomb = bombs.get(mib);
  if (!bomb) {
    bomb = new Promise((resolve, reject) => {
      const d = createDeflate({ level: 9 });
      const chunks: Buffer[] = [];
      d.on('data', (c: Buffer) => chunks.push(c));
      d.on('error', reject);
      d.on('end', () => resolve(new Uint8Array(deflateSync(Buffer.concat(chunks), { level: 9 }))));
      const zeros = Buffer.alloc(1 << 20);
      for (let i = 0; i < mib; i++) d.write(zeros);
      d.end();
    });
    bombs.set(mib, bomb);
  }
  return bomb;
}

/** A 7-byte xref stream row (W [1 4 2]). */
function row(type: number, a: number, b: number): Uint8Array {
  return Uint8Array.of(
    type,
    (a >>> 24) & 0xff,
    (a >>> 16) & 0xff,
    (a >>> 8) & 0xff,
    a & 0xff,
    (b >>> 8) & 0xff,
    b & 0xff,
  );
}

/** `pdf` with an incremental update whose cross-reference stream is `bomb` (double FlateDecode). */
export function withXrefStreamBomb(pdf: Uint8Array, bomb: Uint8Array): Uint8Array {
  const reader = PdfReader.open(pdf);
  const n = reader.size;
  const root = reader.trailer.get('Root') as PdfRef;
  const pos = pdf.length + 1;
  const head = `\n${n} 0 obj\n<</Type/XRef/Size ${n + 1}/W[1 4 2]/Root ${root.num} ${root.gen} R/Prev ${reader.startxref}/Filter[/FlateDecode/FlateDecode]/Length ${bomb.length}>>stream\n`;
  return concatBytes([pdf, latin1(head), bomb, latin1(`\nendstream\nendobj\nstartxref\n${pos}\n%%EOF\n`)]);
}

/**
 * `pdf` with an incremental update that moves the catalog into a new object stream whose data is `bomb`
 * (its cross-reference stream is plain), so that reading the catalog inflates the bomb.
 */
export function withObjectStreamBomb(pdf: Uint8Array, bomb: Uint8Array): Uint8Array {
  const reader = PdfReader.open(pdf);
  const n = reader.size;
  const root = reader.trailer.get('Root') as PdfRef;
  const objStmAt = pdf.length + 1;
  const objStm = concatBytes([
    latin1(`\n${n} 0 obj\n<</Type/ObjStm/N 1/First 8/Filter[/FlateDecode/FlateDecode]/Length ${bomb.length}>>stream\n`),
    bomb,
    latin1('\nendstream\nendobj\n'),
  ]);
  const xrefAt = pdf.length + objStm.length;
  const rows = concatBytes([row(2, n, 0), row(1, objStmAt, 0), row(1, xrefAt, 0)]);
  const xref = concatBytes([
    latin1(
      `${n + 1} 0 obj\n<</Type/XRef/Size ${n + 2}/W[1 4 2]/Index[${root.num} 1 ${n} 2]/Root ${root.num} 0 R/Prev ${reader.startxref}/Length ${rows.length}>>stream\n`,
    ),
    rows,
    latin1(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`),
  ]);
  return concatBytes([pdf, objStm, xref]);
}

/** `pdf` with an update adding a DSS whose certificate and CRL stream is `bomb` (validation data a verifier reads). */
export function withDssBomb(pdf: Uint8Array, bomb: Uint8Array): Uint8Array {
  return appendUpdate(pdf, (w, r) => {
    const ref = w.allocate();
    w.set(ref, new PdfStream(new PdfDict().set('Filter', [name('FlateDecode'), name('FlateDecode')]), bomb));
    w.set(
      r.trailer.get('Root') as PdfRef,
      r
        .catalog()
        .clone()
        .set('DSS', new PdfDict().set('Certs', [ref]).set('CRLs', [ref])),
    );
  });
}
