import type fontkitModule from '@pdf-lib/fontkit';
import { deflate } from 'pako';
import { concatBytes, latin1 } from '../../core/bytes.js';
import type { IncrementalWriter } from '../incremental-writer.js';
import { PdfDict, PdfRaw, PdfRef, PdfStream, name, type PdfObject } from '../objects.js';

type FontkitFont = ReturnType<typeof fontkitModule.create>;
type Glyph = FontkitFont extends { layout(t: string): { glyphs: (infer G)[] } } ? G : never;

let fontkit: Promise<typeof fontkitModule> | undefined;

/** A TrueType font being used in one appearance: text is laid out into it, then it is written subset. */
export class EmbeddedFont {
  private readonly font: FontkitFont;
  private readonly used = new Map<number, { glyph: Glyph; text: string }>();

  private constructor(font: FontkitFont) {
    this.font = font;
  }

  /** Reads a TrueType program. fontkit is loaded on first use: most signatures draw no text. */
  static async load(ttf: Uint8Array): Promise<EmbeddedFont> {
    fontkit ??= import('@pdf-lib/fontkit').then(
      (m) => ((m as { default?: typeof fontkitModule }).default ?? m) as typeof fontkitModule,
    );
    return new EmbeddedFont((await fontkit).create(ttf));
  }

  /** Units per em, scaled to 1000 for PDF widths. */
  private get scale(): number {
    return 1000 / this.font.unitsPerEm;
  }

  /** Width of `text` at `size` points. */
  widthOf(text: string, size: number): number {
    const run = this.font.layout(text.normalize('NFC'));
    return (run.positions.reduce((w, p) => w + p.xAdvance, 0) * this.scale * size) / 1000;
  }

  /** Ascent at `size` points (for placing the first line). */
  ascent(size: number): number {
    return (this.font.ascent * this.scale * size) / 1000;
  }

  /**
   * The content-stream operand for `text` (a hex string of glyph ids) — remembered so that the subset, the
   * widths and the ToUnicode map cover exactly what is shown.
   */
  encode(text: string): string {
    const run = this.font.layout(text.normalize('NFC'));
    let hex = '';
    run.glyphs.forEach((g, i) => {
      const chars = (g as unknown as { codePoints: number[] }).codePoints;
      const shown = chars?.length ? String.fromCodePoint(...chars) : (text[i] ?? '');
      if (!this.used.has(g.id)) this.used.set(g.id, { glyph: g as Glyph, text: shown });
      hex += g.id.toString(16).padStart(4, '0');
    });
    return `<${hex}>`;
  }

  private subset?: { program: Uint8Array; cidToGid: [number, number][] };

  /** Builds the subset font program once every text is encoded (fontkit encodes asynchronously). */
  async finish(): Promise<void> {
    const subset = this.font.createSubset();
    const cidToGid: [number, number][] = [];
    for (const [id, u] of [...this.used.entries()].sort((a, b) => a[0] - b[0]))
      cidToGid.push([id, subset.includeGlyph(u.glyph as never)]);
    const program = await new Promise<Uint8Array>((resolve) => {
      const parts: Uint8Array[] = [];
      const stream = subset.encodeStream();
      stream.on('data', (d) => parts.push(d));
      stream.on('end', () => resolve(concatBytes(parts)));
    });
    this.subset = { program, cidToGid };
  }

  /**
   * Writes the font (after {@link finish}) as a Type0/CIDFontType2 font with Identity-H encoding: the CIDs are
   * the original font's glyph ids, and a CIDToGIDMap maps them to the renumbered glyphs of the subset program.
   */
  write(writer: IncrementalWriter): PdfRef {
    if (!this.subset) throw new Error('EmbeddedFont.finish() must run before write()');
    const { program, cidToGid } = this.subset;
    const tag = Array.from({ length: 6 }, (_, i) => String.fromCharCode(65 + ((program.length + i * 7) % 26))).join('');
    const baseName = `${tag}+${(this.font.postscriptName ?? 'Font').replace(/[^A-Za-z0-9-]/g, '')}`;
    const s = this.scale;
    const fontFile = writer.allocate();
    writer.set(
      fontFile,
      new PdfStream(new PdfDict().set('Filter', name('FlateDecode')).set('Length1', program.length), deflate(program)),
    );
    const bbox = this.font.bbox;
    const descriptor = writer.allocate();
    writer.set(
      descriptor,
      new PdfDict()
        .set('Type', name('FontDescriptor'))
        .set('FontName', name(baseName))
        .set('Flags', 6)
        .set('FontBBox', [
          Math.round(bbox.minX * s),
          Math.round(bbox.minY * s),
          Math.round(bbox.maxX * s),
          Math.round(bbox.maxY * s),
        ])
        .set('ItalicAngle', Math.round(this.font.italicAngle))
        .set('Ascent', Math.round(this.font.ascent * s))
        .set('Descent', Math.round(this.font.descent * s))
        .set('CapHeight', Math.round((this.font.capHeight || this.font.ascent) * s))
        .set('StemV', 80)
        .set('FontFile2', fontFile),
    );
    // CIDToGIDMap: 2 bytes per CID up to the largest CID used
    const maxCid = Math.max(0, ...cidToGid.map(([c]) => c));
    const map = new Uint8Array((maxCid + 1) * 2);
    for (const [cid, gid] of cidToGid) {
      map[cid * 2] = gid >> 8;
      map[cid * 2 + 1] = gid & 0xff;
    }
    const mapRef = writer.allocate();
    writer.set(mapRef, new PdfStream(new PdfDict().set('Filter', name('FlateDecode')), deflate(map)));
    const widths: PdfObject[] = [];
    for (const [id, u] of [...this.used.entries()].sort((a, b) => a[0] - b[0]))
      widths.push(id, [Math.round(u.glyph.advanceWidth * s)]);
    const cid = writer.allocate();
    writer.set(
      cid,
      new PdfDict()
        .set('Type', name('Font'))
        .set('Subtype', name('CIDFontType2'))
        .set('BaseFont', name(baseName))
        .set(
          'CIDSystemInfo',
          new PdfDict()
            .set('Registry', new PdfRaw('(Adobe)'))
            .set('Ordering', new PdfRaw('(Identity)'))
            .set('Supplement', 0),
        )
        .set('FontDescriptor', descriptor)
        .set('W', widths)
        .set('CIDToGIDMap', mapRef),
    );
    const toUnicode = writer.allocate();
    writer.set(
      toUnicode,
      new PdfStream(new PdfDict().set('Filter', name('FlateDecode')), deflate(latin1(this.toUnicodeCMap()))),
    );
    const type0 = writer.allocate();
    writer.set(
      type0,
      new PdfDict()
        .set('Type', name('Font'))
        .set('Subtype', name('Type0'))
        .set('BaseFont', name(baseName))
        .set('Encoding', name('Identity-H'))
        .set('DescendantFonts', [cid])
        .set('ToUnicode', toUnicode),
    );
    return type0;
  }

  /** A ToUnicode CMap from each glyph id shown to the text it stands for, so copy/paste and pdftotext give it back. */
  private toUnicodeCMap(): string {
    const entries = [...this.used.entries()].sort((a, b) => a[0] - b[0]);
    const utf16 = (t: string) =>
      Array.from(t)
        .map((ch) => {
          const cp = ch.codePointAt(0)!;
          if (cp < 0x10000) return cp.toString(16).padStart(4, '0');
          const v = cp - 0x10000;
          return ((0xd800 + (v >> 10)).toString(16) + (0xdc00 + (v & 0x3ff)).toString(16)).padStart(8, '0');
        })
        .join('');
    const chunks: string[] = [];
    for (let i = 0; i < entries.length; i += 100) {
      const part = entries.slice(i, i + 100);
      chunks.push(
        `${part.length} beginbfchar\n${part.map(([id, u]) => `<${id.toString(16).padStart(4, '0')}> <${utf16(u.text) || '0020'}>`).join('\n')}\nendbfchar`,
      );
    }
    return `/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n${chunks.join('\n')}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n`;
  }
}
