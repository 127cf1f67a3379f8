import { concatBytes, latin1, writeLatin1 } from '../core/bytes.js';
import { PdfDict, PdfRef, PdfStream, PdfString, name, type PdfObject } from './objects.js';
import type { PdfReader } from './reader.js';
import { indirectParts, serialize } from './serialize.js';

/** An incremental update in the making: new and replaced objects, written after the original bytes. */
export class IncrementalWriter {
  private readonly objects = new Map<number, { ref: PdfRef; value: PdfObject }>();
  private next: number;

  constructor(private readonly reader: PdfReader) {
    this.next = reader.size;
  }

  /** A new object number. */
  allocate(): PdfRef {
    return new PdfRef(this.next++, 0);
  }

  /** The object the update holds for `ref`, if any. */
  get(ref: PdfRef): PdfObject | undefined {
    return this.objects.get(ref.num)?.value;
  }

  /** True when the update already holds object `ref`. */
  has(ref: PdfRef): boolean {
    return this.objects.has(ref.num);
  }

  /** Adds `value` as object `ref`, or replaces the object `ref` names. */
  set(ref: PdfRef, value: PdfObject): PdfRef {
    this.objects.set(ref.num, { ref, value });
    return ref;
  }

  /**
   * The bytes of the update only (the caller appends them to the original): the objects, then a
   * cross-reference section of the kind the file already uses (table or stream), a trailer with /Prev, and
   * `%%EOF`. Also the offset of each object within the update.
   */
  build(): { update: Uint8Array; offsets: Map<number, number> } {
    const base = this.reader.bytes.length;
    const last = this.reader.bytes[base - 1];
    // the syntax stays text until the update is written, in one piece: no buffer per object, no second copy
    const parts: (string | Uint8Array)[] = [];
    let size = 0;
    const push = (part: string | Uint8Array) => {
      parts.push(part);
      size += part.length;
    };
    if (last !== 0x0a && last !== 0x0d) push('\n');
    const offsets = new Map<number, number>();
    const sorted = [...this.objects.values()].sort((a, b) => a.ref.num - b.ref.num);
    for (const { ref, value } of sorted) {
      offsets.set(ref.num, size);
      for (const part of indirectParts(ref, value)) push(part);
    }
    const trailer = this.trailer();
    if (this.reader.xrefKind === 'stream') {
      const xref = this.allocate();
      offsets.set(xref.num, size);
      trailer.set('Size', this.next);
      const stream = xrefStream(
        [
          ...sorted.map((o) => ({ num: o.ref.num, gen: o.ref.gen, offset: base + offsets.get(o.ref.num)! })),
          { num: xref.num, gen: 0, offset: base + size },
        ],
        trailer,
      );
      for (const part of indirectParts(xref, stream)) push(part);
      push(`startxref\n${base + offsets.get(xref.num)!}\n%%EOF\n`);
    } else {
      const xrefAt = base + size;
      trailer.set('Size', this.next);
      let table = 'xref\n';
      for (const run of runs(sorted.map((o) => o.ref.num))) {
        table += `${run[0]} ${run.length}\n`;
        for (const num of run) {
          const o = this.objects.get(num)!;
          table += `${String(base + offsets.get(num)!).padStart(10, '0')} ${String(o.ref.gen).padStart(5, '0')} n\r\n`;
        }
      }
      push(`${table}trailer\n${serialize(trailer)}\nstartxref\n${xrefAt}\n%%EOF\n`);
    }
    const update = new Uint8Array(size);
    let at = 0;
    for (const part of parts) {
      if (typeof part === 'string') writeLatin1(update, at, part);
      else update.set(part, at);
      at += part.length;
    }
    return { update, offsets };
  }

  private trailer(): PdfDict {
    const old = this.reader.trailer;
    const t = new PdfDict();
    for (const key of ['Root', 'Info']) {
      const v = old.get(key);
      if (v !== undefined) t.set(key, v);
    }
    if (this.reader.startxref > 0) t.set('Prev', this.reader.startxref);
    const id = this.reader.resolve(old.get('ID'));
    const first =
      Array.isArray(id) && id[0] instanceof PdfString
        ? id[0]
        : new PdfString(revisionId(new Uint8Array(0), this.reader.bytes.length, this.reader.startxref, 0), true);
    // The second element names this revision. It is derived from the document and the update (not random) so
    // that the same input signed the same way gives the same bytes, whichever code path wrote them.
    t.set('ID', [
      first,
      new PdfString(revisionId(first.bytes, this.reader.bytes.length, this.reader.startxref, this.objects.size), true),
    ]);
    return t;
  }
}

/** Consecutive runs of sorted numbers. */
function runs(nums: number[]): number[][] {
  const out: number[][] = [];
  for (const n of nums) {
    const cur = out[out.length - 1];
    if (cur && cur[cur.length - 1] === n - 1) cur.push(n);
    else out.push([n]);
  }
  return out;
}

/** An uncompressed cross-reference stream for the given entries, carrying the trailer keys. */
function xrefStream(entries: { num: number; gen: number; offset: number }[], trailer: PdfDict): PdfStream {
  entries.sort((a, b) => a.num - b.num);
  const maxOffset = Math.max(...entries.map((e) => e.offset)) + 1024;
  const w2 = maxOffset < 2 ** 32 ? 4 : 6;
  const groups = runs(entries.map((e) => e.num));
  const data = new Uint8Array(entries.length * (1 + w2 + 2));
  let at = 0;
  for (const e of entries) {
    data[at++] = 1;
    for (let k = w2 - 1; k >= 0; k--) data[at++] = Math.floor(e.offset / 2 ** (8 * k)) & 0xff;
    data[at++] = (e.gen >> 8) & 0xff;
    data[at++] = e.gen & 0xff;
  }
  const dict = trailer.clone();
  dict.set('Type', name('XRef'));
  dict.set('W', [1, w2, 2]);
  dict.set(
    'Index',
    groups.flatMap((g) => [g[0]!, g.length]),
  );
  return new PdfStream(dict, data);
}

/** 16 bytes from FNV-1a over the first ID and the update's position (identification, not security). */
function revisionId(first: Uint8Array, size: number, startxref: number, objects: number): Uint8Array {
  const input = concatBytes([first, latin1(`${size}:${startxref}:${objects}`)]);
  const out = new Uint8Array(16);
  for (let lane = 0; lane < 4; lane++) {
    let h = (0x811c9dc5 ^ (lane * 0x9e3779b9)) >>> 0;
    for (let i = 0; i < input.length; i++) h = Math.imul(h ^ input[i]!, 0x01000193) >>> 0;
    out.set([h >>> 24, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff], lane * 4);
  }
  return out;
}
