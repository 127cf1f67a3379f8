import { latin1 } from '../../core/bytes.js';
import { KysoError } from '../../core/errors.js';
import type { IncrementalWriter } from '../incremental-writer.js';
import { PdfDict, PdfStream, name } from '../objects.js';
import type { Box, PageLayout } from '../layout/page-layout.js';
import {
  findAnchor,
  findSignatureBlock,
  freeCentred,
  freePlaceTopRight,
  type SignatureBlock,
} from '../layout/placement.js';
import { EmbeddedFont } from './font.js';
import { decodePng, writeImage, type DecodedImage } from './png.js';
import { shippedFont } from './shipped-fonts.js';

/** The roles of Decree 30/2020 signatures (and a free form). */
export type AppearancePreset = 'approved' | 'issued' | 'appendix' | 'copy' | 'custom';

/**
 * How a signature looks on the page. Coordinates are PDF points in the page's unrotated user space, origin at
 * the lower-left corner of the page's crop box (its media box when it has none); `rect` is `[x, y, width, height]`.
 * On a rotated page the appearance is turned so that it reads upright.
 */
export interface AppearanceOptions {
  preset: AppearancePreset;
  /** Zero-based page index. Default: the last page for `approved`/`issued`/`custom`, the first for `appendix`/`copy`. */
  pageIndex?: number;
  /** Where the widget goes. Default: chosen by the preset (`issued`: from the leader's signature). */
  rect?: [number, number, number, number];
  /**
   * Place the widget relative to text found on the page instead of `rect` — e.g. below the signer's title line
   * "CHỦ TỊCH", or above the name: centred on that line, `width`×`height` points (default 200×76), `gap`
   * points away (default 2).
   */
  anchor?: { text: string; position?: 'below' | 'above'; width?: number; height?: number; gap?: number };
  /** The signer's handwritten signature, a transparent PNG (`approved`, `custom`). */
  image?: Uint8Array;
  /** The organisation's red seal, a transparent PNG (`issued`). */
  seal?: Uint8Array;
  /** The seal's real diameter in millimetres. Default: 36. */
  sealSizeMm?: number;
  /**
   * The text block: `false` for none, `true` for the preset's text, or a template with placeholders
   * `{name}`, `{email}`, `{organization}`, `{time}`, `{date}`, `{taxCode}`, `{documentNumber}`, `{copyType}`,
   * `{copyOrganization}`; lines split on `\n`. Default: on for `approved`, `appendix`, `copy`.
   */
  text?: boolean | string;
  /** `appendix`: the document number and symbol, e.g. "Phụ lục kèm theo Quyết định số 123/QĐ-UBND". */
  documentNumber?: string;
  /** `copy`: "SAO Y", "SAO LỤC" or "TRÍCH SAO". */
  copyType?: 'SAO Y' | 'SAO LỤC' | 'TRÍCH SAO';
  /** `copy`: the organisation that makes the copy. */
  copyOrganization?: string;
  /** A TrueType font for the text. Default: the shipped Liberation Serif (Times New Roman metrics). */
  font?: Uint8Array;
  /** Font size in points. Default: 10 (`appendix`, `copy`), 7.5 (`approved`). */
  fontSize?: number;
  /** Text colour, RGB 0–1. Default: black. */
  color?: [number, number, number];
  /**
   * Text written on the page itself in the same signed revision, at the caller's positions (points, crop-box
   * origin) — e.g. the document number and issue date the clerk fills in when issuing. All on `pageIndex`
   * (default: the signature's page); 13 pt by default, Times New Roman metrics.
   */
  stamps?: { pageIndex?: number; items: { text: string; x: number; y: number; size?: number }[] };
}

/** Facts the text templates draw on. */
export interface AppearanceFacts {
  name?: string;
  email?: string;
  organization?: string;
  taxCode?: string;
  signingTime: Date;
}

/** What the signature field needs from an appearance. */
export interface BuiltAppearance {
  /** The `stamps` as a locked annotation of the same revision, when given. */
  stamp?: {
    pageIndex: number;
    rect: [number, number, number, number];
    build: (writer: IncrementalWriter) => PdfStream;
  };
  pageIndex: number;
  /** `[x1, y1, x2, y2]` in page user space. */
  rect: [number, number, number, number];
  /** Writes the appearance's objects into the update and returns its form XObject. */
  write(writer: IncrementalWriter): PdfStream;
  placement: AppearancePlacement;
}

/** Page geometry a placement needs. */
export interface PageGeometry {
  /** How many pages (may walk the whole page tree: asked only when the placement needs the last page or all). */
  count: number;
  /** Whether page `pageIndex` exists, reading the page tree no further than it. */
  has(pageIndex: number): boolean;
  box(pageIndex: number): { x1: number; y1: number; x2: number; y2: number; rotate: number };
  /** The last signature widget with a visible rectangle, for the `issued` seal. */
  leaderWidget?: { pageIndex: number; rect: number[] };
  /** What a page shows, read on demand (with pdf.js): only placements by the page's content ask. */
  layout?(pageIndex: number): Promise<PageLayout>;
}

/** Where an appearance went, and why there. */
export interface AppearancePlacement {
  /** Zero-based page index. */
  pageIndex: number;
  /** `[x, y, width, height]`, points, origin at the lower-left of the page's crop box (as the `rect` option). */
  rect: [number, number, number, number];
  /**
   * `rect`: given; `anchor`: by the anchor text; `signature-block`: between the signer's title and name;
   * `free-space`: the first free place from the top right; `leader`: over the leader's signature; `preset`: the
   * preset's fixed place.
   */
  by: 'rect' | 'anchor' | 'signature-block' | 'free-space' | 'leader' | 'preset';
  /** The lines of the page it was placed by (the anchor, or the signature block's title lines and name). */
  lines?: string[];
  /** The text's size in points, after shrinking to fit. */
  fontSize?: number;
}

const MM = 72 / 25.4;
/** The smallest text a signature shows: legible at 100 % zoom. */
const MIN_FONT = 6;
const VN_OFFSET = 7 * 60 * 60_000;

/** `dd.MM.yyyy HH:mm:ss +07:00`, in Vietnam time whatever the machine's zone. */
export function vietnamTime(d: Date): string {
  const v = new Date(d.getTime() + VN_OFFSET);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(v.getUTCDate())}.${p(v.getUTCMonth() + 1)}.${v.getUTCFullYear()} ${p(v.getUTCHours())}:${p(v.getUTCMinutes())}:${p(v.getUTCSeconds())} +07:00`;
}

/** ISO 8601 in Vietnam time, e.g. `2026-11-24T18:40:00+07:00`. */
export function vietnamIso(d: Date): string {
  return new Date(d.getTime() + VN_OFFSET).toISOString().replace(/\.\d{3}Z$/, '+07:00');
}

const TEMPLATES: Record<AppearancePreset, string> = {
  approved: 'Ký bởi: {name}\nEmail: {email}\nCơ quan: {organization}\nThời gian ký: {time}',
  issued: 'Cơ quan: {organization}\nThời gian ký: {time}',
  appendix: '{documentNumber}\n{organization}\nThời gian ký: {iso}',
  copy: '{copyType}\n{copyOrganization}\nThời gian ký: {iso}',
  custom: '{name}\n{time}',
};

function fill(template: string, o: AppearanceOptions, f: AppearanceFacts): string[] {
  const values: Record<string, string | undefined> = {
    name: f.name,
    email: f.email,
    organization: f.organization,
    taxCode: f.taxCode,
    time: vietnamTime(f.signingTime),
    iso: vietnamIso(f.signingTime),
    date: vietnamTime(f.signingTime).slice(0, 10),
    documentNumber: o.documentNumber,
    copyType: o.copyType,
    copyOrganization: o.copyOrganization ?? f.organization,
  };
  return template
    .split('\n')
    .map((line) => line.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? ''))
    .filter((line) => !/:\s*$/.test(line) && line.trim() !== '');
}

/**
 * Lays out a Decree 30 appearance: places it (explicitly or by the preset's rule), lays out its text in an
 * embedded subset font and decodes its images. The objects are written later, into the signing update.
 */
export async function buildAppearance(
  o: AppearanceOptions,
  facts: AppearanceFacts,
  pages: PageGeometry,
): Promise<BuiltAppearance> {
  const textOn = o.text ?? (o.preset === 'approved' || o.preset === 'appendix' || o.preset === 'copy');
  if (o.preset === 'copy' && !o.copyType)
    throw new KysoError(
      'ERR_INVALID_ARGUMENT',
      'the copy appearance needs copyType: "SAO Y", "SAO LỤC" or "TRÍCH SAO"',
    );
  if (o.preset === 'appendix' && !o.documentNumber)
    throw new KysoError('ERR_INVALID_ARGUMENT', 'the appendix appearance needs documentNumber');
  if (o.preset === 'issued' && !o.seal)
    throw new KysoError('ERR_INVALID_ARGUMENT', 'the issued appearance needs the seal image');
  const lines = textOn ? fill(typeof o.text === 'string' ? o.text : TEMPLATES[o.preset], o, facts) : [];
  const preferred = o.fontSize ?? (o.preset === 'appendix' || o.preset === 'copy' ? 10 : 7.5);
  const font = lines.length ? await EmbeddedFont.load(o.font ?? (await shippedFont('Regular'))) : undefined;
  const image: DecodedImage | undefined =
    o.preset === 'issued' ? decodePng(o.seal!) : o.image ? decodePng(o.image) : undefined;
  const textWidthAt = (size: number) => (font ? Math.max(...lines.map((l) => font.widthOf(l, size))) : 0);
  const textHeightAt = (size: number) => lines.length * size * 1.25;

  const placed = await place(o, pages, { preferred, textWidthAt, textHeightAt });
  const { pageIndex, by } = placed;
  const box = pages.box(pageIndex);
  const [x, y, w, h] = placed.rect;
  if (!(w > 0 && h > 0))
    throw new KysoError('ERR_INVALID_ARGUMENT', 'the appearance rectangle must have a positive width and height');
  const turned = box.rotate === 90 || box.rotate === 270;
  const vw = turned ? h : w;
  const vh = turned ? w : h;
  // the text shrinks to fit its box (and leaves the image room), never below the legible 6 pt
  let size = preferred;
  const fits = (s: number) => textWidthAt(s) <= vw - 4 && textHeightAt(s) <= (image ? 0.62 * vh : vh - 2);
  while (lines.length && !fits(size) && size > MIN_FONT) size = Math.max(MIN_FONT, size - 0.25);
  if (lines.length && !fits(size)) {
    throw new KysoError(
      'ERR_PDF_PLACEMENT',
      `the signature's text does not fit in ${Math.round(vw)}×${Math.round(vh)} pt even at ${MIN_FONT} pt: give a larger rect, fewer lines (text) or no text`,
    );
  }
  const lineHeight = size * 1.25;
  const textHeight = textHeightAt(size);
  const placement: AppearancePlacement = {
    pageIndex,
    rect: [x - box.x1, y - box.y1, w, h].map((v) => Number(num(v))) as [number, number, number, number],
    by,
    ...(placed.lines && { lines: placed.lines }),
    ...(lines.length && { fontSize: size }),
  };

  const ops: string[] = [];
  const hasImage = image !== undefined;
  const imageArea = hasImage
    ? lines.length
      ? { x: 0, y: textHeight + 2, w: vw, h: Math.max(1, vh - textHeight - 2) }
      : { x: 0, y: 0, w: vw, h: vh }
    : undefined;
  if (imageArea && image) {
    const k = Math.min(imageArea.w / image.width, imageArea.h / image.height);
    const iw = image.width * k;
    const ih = image.height * k;
    ops.push(
      `q ${num(iw)} 0 0 ${num(ih)} ${num(imageArea.x + (imageArea.w - iw) / 2)} ${num(imageArea.y + (imageArea.h - ih) / 2)} cm /Im1 Do Q`,
    );
  }
  const [r, g, b] = o.color ?? [0, 0, 0];
  lines.forEach((line, i) => {
    const ty = (lines.length - 1 - i) * lineHeight + size * 0.25;
    // under a signature image (approved) the lines are centred, as the title and name above and below them
    const tx = o.preset === 'approved' ? (vw - font!.widthOf(line, size)) / 2 : 2;
    ops.push(
      `BT /F1 ${num(size)} Tf ${num(r)} ${num(g)} ${num(b)} rg ${num(tx)} ${num(ty)} Td ${font!.encode(line)} Tj ET`,
    );
  });
  await font?.finish();
  const stamp = o.stamps?.items.length
    ? await stampAnnotation(o, pageIndex, pages.box(o.stamps.pageIndex ?? pageIndex))
    : undefined;
  const matrix =
    box.rotate === 90
      ? [0, 1, -1, 0, vh, 0]
      : box.rotate === 180
        ? [-1, 0, 0, -1, vw, vh]
        : box.rotate === 270
          ? [0, -1, 1, 0, 0, vw]
          : undefined;

  return {
    ...(stamp && { stamp }),
    pageIndex,
    rect: [x, y, x + w, y + h],
    placement,
    write(writer) {
      const resources = new PdfDict();
      if (font) resources.set('Font', new PdfDict().set('F1', font.write(writer)));
      if (image) resources.set('XObject', new PdfDict().set('Im1', writeImage(writer, image)));
      const dict = new PdfDict()
        .set('Type', name('XObject'))
        .set('Subtype', name('Form'))
        .set('BBox', [0, 0, num(vw), num(vh)].map(Number))
        .set('Resources', resources);
      if (matrix)
        dict.set(
          'Matrix',
          matrix.map((v) => Number(num(v))),
        );
      return new PdfStream(dict, latin1(ops.join('\n')));
    },
  };
}

interface Placed {
  pageIndex: number;
  /** `[x, y, w, h]` in the page's user space (absolute, not crop-box relative). */
  rect: [number, number, number, number];
  by: AppearancePlacement['by'];
  lines?: string[];
}

interface TextMeasure {
  preferred: number;
  textWidthAt(size: number): number;
  textHeightAt(size: number): number;
}

const NO_PLACE =
  'place the signature with --anchor "TEXT" (e.g. the signer\'s title) or --rect x,y,w,h (the anchor or rect options)';

/** Decides the page and rectangle: given, by an anchor, by the signature block, in free space or over the leader's signature. */
async function place(o: AppearanceOptions, pages: PageGeometry, text: TextMeasure): Promise<Placed> {
  const checkPage = (i: number) => {
    if (i < 0 || !pages.has(i))
      throw new KysoError('ERR_INVALID_ARGUMENT', `page ${i + 1} does not exist (the document has ${pages.count})`);
    return i;
  };
  const layoutOf = (i: number) => {
    if (!pages.layout)
      throw new KysoError('ERR_PDF_PLACEMENT', `placing by the page's content needs its layout; ${NO_PLACE}`);
    return pages.layout(i);
  };
  const absolute = (i: number, r: [number, number, number, number]): [number, number, number, number] => {
    const b = pages.box(i);
    return [b.x1 + r[0], b.y1 + r[1], r[2], r[3]];
  };
  const fromBox = (layout: PageLayout, b: Box): [number, number, number, number] => {
    const [x1, y1, x2, y2] = layout.toUser(b);
    return [x1, y1, x2 - x1, y2 - y1];
  };
  const first = o.preset === 'appendix' || o.preset === 'copy';

  if (o.rect) {
    const i = checkPage(
      o.pageIndex ??
        (first ? 0 : o.preset === 'issued' && pages.leaderWidget ? pages.leaderWidget.pageIndex : pages.count - 1),
    );
    return { pageIndex: i, rect: absolute(i, o.rect), by: 'rect' };
  }
  if (o.anchor) {
    const i = checkPage(o.pageIndex ?? (first ? 0 : pages.count - 1));
    const layout = await layoutOf(i);
    const line = findAnchor(layout, o.anchor.text);
    if (!line) throw new KysoError('ERR_PDF_PLACEMENT', `the anchor text "${o.anchor.text}" is not on page ${i + 1}`);
    const aw = o.anchor.width ?? 200;
    const ah = o.anchor.height ?? 76;
    const gap = o.anchor.gap ?? 2;
    const cx = (line.x1 + line.x2) / 2;
    const top = o.anchor.position === 'above' ? line.y1 - gap - ah : line.y2 + gap;
    return {
      pageIndex: i,
      rect: fromBox(layout, { x1: cx - aw / 2, y1: top, x2: cx + aw / 2, y2: top + ah }),
      by: 'anchor',
      lines: [line.text],
    };
  }
  if (o.preset === 'approved') {
    const candidates =
      o.pageIndex !== undefined
        ? [checkPage(o.pageIndex)]
        : Array.from({ length: pages.count }, (_, k) => pages.count - 1 - k);
    for (const i of candidates) {
      const layout = await layoutOf(i);
      const block = findSignatureBlock(layout);
      if (block)
        return {
          pageIndex: i,
          rect: fromBox(layout, betweenTitleAndName(layout, block)),
          by: 'signature-block',
          lines: [...block.head.map((l) => l.text), block.name.text],
        };
    }
    const where = o.pageIndex !== undefined ? `on page ${o.pageIndex + 1}` : 'on any page';
    throw new KysoError(
      'ERR_PDF_PLACEMENT',
      `no signature block was found ${where} (an authority line such as "TM. ỦY BAN NHÂN DÂN", the signer's title such as "CHỦ TỊCH", and the signer's name below): ${NO_PLACE}`,
    );
  }
  if (first) {
    const i = checkPage(o.pageIndex ?? 0);
    const layout = await layoutOf(i);
    // the top right corner (Decree 30): above all the content if it fits there at a legible size, else the
    // first free place in the top quarter, else anywhere; each at the preferred size if it fits, smaller if need be
    const contentTop = Math.min(layout.height, ...layout.content.map((c) => c.y1));
    const passes = [
      { maxY: contentTop, margin: 6 * MM, minSize: MIN_FONT + 1, right: true },
      { maxY: layout.height / 4, margin: 8 * MM, minSize: MIN_FONT + 0.5, right: true },
      { maxY: layout.height, margin: 8 * MM, minSize: MIN_FONT + 0.5, right: false },
    ];
    for (const { maxY, margin, minSize, right } of passes) {
      for (let size = text.preferred; size >= minSize; size -= 0.5) {
        const w = text.textWidthAt(size) + 4;
        const free = freePlaceTopRight(
          layout,
          w,
          text.textHeightAt(size) + 4,
          margin,
          maxY,
          right ? Math.max(margin, layout.width / 2 - w / 3) : margin,
        );
        if (free) return { pageIndex: i, rect: fromBox(layout, free), by: 'free-space' };
      }
    }
    throw new KysoError(
      'ERR_PDF_PLACEMENT',
      `page ${i + 1} has no free space for the ${o.preset} signature that would not cover its content: ${NO_PLACE}`,
    );
  }
  if (o.preset === 'issued') {
    const leader = pages.leaderWidget;
    if (!leader)
      throw new KysoError(
        'ERR_INVALID_ARGUMENT',
        "the issued appearance goes over the leader's signature: sign with the approved appearance first, or give rect",
      );
    const i = checkPage(o.pageIndex ?? leader.pageIndex);
    const side = (o.sealSizeMm ?? 36) * MM;
    const layout = pages.layout && i === leader.pageIndex ? await pages.layout(i) : undefined;
    const drawn = layout?.annotationImages.find((a) =>
      a.rect.every(
        (v, k) =>
          Math.abs(
            v -
              [
                Math.min(leader.rect[0]!, leader.rect[2]!),
                Math.min(leader.rect[1]!, leader.rect[3]!),
                Math.max(leader.rect[0]!, leader.rect[2]!),
                Math.max(leader.rect[1]!, leader.rect[3]!),
              ][k]!,
          ) < 0.01,
      ),
    );
    const signature = drawn?.images[0];
    if (layout && signature) return { pageIndex: i, rect: fromBox(layout, sealOver(signature, side)), by: 'leader' };
    // a widget whose image cannot be told: the left third of its rectangle
    const [lx1, ly1, lx2, ly2] = leader.rect as [number, number, number, number];
    const right = lx1 + (lx2 - lx1) / 3;
    return { pageIndex: i, rect: [right - side, (ly1 + ly2) / 2 - side / 2, side, side], by: 'leader' };
  }
  const i = checkPage(o.pageIndex ?? pages.count - 1);
  const b = pages.box(i);
  return { pageIndex: i, rect: [b.x2 - 15 * MM - 200, b.y1 + 60 * MM, 200, 90], by: 'preset' };
}

/**
 * The approved signature's box in a signature block: the space between the title and the name, centred on the
 * title, 200 points wide at most (narrower where other content comes close) and 100 high at most.
 */
function betweenTitleAndName(layout: PageLayout, block: SignatureBlock): Box {
  const top = block.title.y2 + 1;
  const bottom = block.name.y1 - 1;
  const h = Math.min(100, bottom - top);
  const y1 = top + (bottom - top - h) / 2;
  const cx = (block.title.x1 + block.title.x2) / 2;
  const box = freeCentred(layout, cx, y1, y1 + h, 200, 100);
  if (!box)
    throw new KysoError(
      'ERR_PDF_PLACEMENT',
      `the space between "${block.title.text}" and "${block.name.text}" is taken by other content: ${NO_PLACE}`,
    );
  return box;
}

/**
 * The seal over the leader's signature image (Decree 30): its ring reaches a third of the way into the image at
 * the image's middle height, and it stays above the image's lower edge, off the signer's text block below.
 */
function sealOver(signature: Box, side: number): Box {
  const r = side / 2;
  const bottom = signature.y2;
  const cy = bottom - r;
  const dy = Math.abs((signature.y1 + signature.y2) / 2 - cy);
  const reach = dy < r ? Math.sqrt(r * r - dy * dy) : 0;
  const cx = signature.x1 + (signature.x2 - signature.x1) / 3 - reach;
  return { x1: cx - r, y1: cy - r, x2: cx + r, y2: bottom };
}

async function stampAnnotation(
  o: AppearanceOptions,
  pageIndex: number,
  box: { x1: number; y1: number; x2: number; y2: number },
): Promise<NonNullable<BuiltAppearance['stamp']>> {
  const font = await EmbeddedFont.load(o.font ?? (await shippedFont('Regular')));
  const [r, g, b] = o.color ?? [0, 0, 0];
  // the appearance spans the crop box, so the caller's positions are page positions
  const ops = o.stamps!.items.map(
    (s) =>
      `BT /F1 ${num(s.size ?? 13)} Tf ${num(r)} ${num(g)} ${num(b)} rg ${num(s.x)} ${num(s.y)} Td ${font.encode(s.text)} Tj ET`,
  );
  await font.finish();
  const w = box.x2 - box.x1;
  const h = box.y2 - box.y1;
  return {
    pageIndex: o.stamps!.pageIndex ?? pageIndex,
    rect: [box.x1, box.y1, box.x2, box.y2],
    build: (writer) =>
      new PdfStream(
        new PdfDict()
          .set('Type', name('XObject'))
          .set('Subtype', name('Form'))
          .set('BBox', [0, 0, w, h])
          .set('Resources', new PdfDict().set('Font', new PdfDict().set('F1', font.write(writer)))),
        latin1(ops.join('\n')),
      ),
  };
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}
