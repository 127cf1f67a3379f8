import { latin1 } from '../../core/bytes.js';
import { KysoError } from '../../core/errors.js';
import type { IncrementalWriter } from '../incremental-writer.js';
import { PdfDict, PdfStream, name } from '../objects.js';
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
  stamp?: { pageIndex: number; rect: [number, number, number, number]; build: (writer: IncrementalWriter) => PdfStream };
  pageIndex: number;
  /** `[x1, y1, x2, y2]` in page user space. */
  rect: [number, number, number, number];
  /** Writes the appearance's objects into the update and returns its form XObject. */
  write(writer: IncrementalWriter): PdfStream;
}

/** Page geometry a placement needs. */
export interface PageGeometry {
  count: number;
  box(pageIndex: number): { x1: number; y1: number; x2: number; y2: number; rotate: number };
  /** The last signature widget with a visible rectangle, for the `issued` seal. */
  leaderWidget?: { pageIndex: number; rect: number[] };
  /** Finds text on a page: where its line starts (baseline), its estimated width and size. */
  findText?(pageIndex: number, text: string): { x: number; y: number; width: number; size: number } | undefined;
}

const MM = 72 / 25.4;
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
export async function buildAppearance(o: AppearanceOptions, facts: AppearanceFacts, pages: PageGeometry): Promise<BuiltAppearance> {
  const textOn = o.text ?? (o.preset === 'approved' || o.preset === 'appendix' || o.preset === 'copy');
  if (o.preset === 'copy' && !o.copyType) throw new KysoError('ERR_INVALID_ARGUMENT', 'the copy appearance needs copyType: "SAO Y", "SAO LỤC" or "TRÍCH SAO"');
  if (o.preset === 'appendix' && !o.documentNumber) throw new KysoError('ERR_INVALID_ARGUMENT', 'the appendix appearance needs documentNumber');
  if (o.preset === 'issued' && !o.seal) throw new KysoError('ERR_INVALID_ARGUMENT', 'the issued appearance needs the seal image');
  const lines = textOn ? fill(typeof o.text === 'string' ? o.text : TEMPLATES[o.preset], o, facts) : [];
  const size = o.fontSize ?? (o.preset === 'appendix' || o.preset === 'copy' ? 10 : 7.5);
  const font = lines.length ? await EmbeddedFont.load(o.font ?? (await shippedFont('Regular'))) : undefined;
  const image: DecodedImage | undefined = o.preset === 'issued' ? decodePng(o.seal!) : o.image ? decodePng(o.image) : undefined;
  const lineHeight = size * 1.25;
  const textWidth = font ? Math.max(...lines.map((l) => font.widthOf(l, size))) : 0;
  const textHeight = lines.length * lineHeight;

  const pageIndex = o.pageIndex ?? (o.preset === 'appendix' || o.preset === 'copy' ? 0 : o.preset === 'issued' && pages.leaderWidget ? pages.leaderWidget.pageIndex : pages.count - 1);
  if (pageIndex < 0 || pageIndex >= pages.count) throw new KysoError('ERR_INVALID_ARGUMENT', `page ${pageIndex + 1} does not exist (the document has ${pages.count})`);
  const box = pages.box(pageIndex);
  let rect = o.rect;
  if (!rect && o.anchor) {
    const found = pages.findText?.(pageIndex, o.anchor.text);
    if (!found) throw new KysoError('ERR_INVALID_ARGUMENT', `the anchor text "${o.anchor.text}" is not on page ${pageIndex + 1}`);
    const aw = o.anchor.width ?? 200;
    const ah = o.anchor.height ?? 76;
    const gap = o.anchor.gap ?? 2;
    const cx = found.x + found.width / 2;
    const y = o.anchor.position === 'above' ? found.y + found.size + gap : found.y - found.size * 0.3 - gap - ah;
    rect = [cx - aw / 2 - box.x1, y - box.y1, aw, ah];
  }
  if (!rect) {
    if (o.preset === 'issued') {
      const side = (o.sealSizeMm ?? 36) * MM;
      const leader = pages.leaderWidget?.rect;
      if (!leader) throw new KysoError('ERR_INVALID_ARGUMENT', 'the issued appearance goes over the leader\'s signature: sign with the approved appearance first, or give rect');
      const [lx1, ly1, lx2, ly2] = leader as [number, number, number, number];
      // the seal covers about the left third of the leader's signature, on its left
      const right = lx1 + (lx2 - lx1) / 3;
      const cy = (ly1 + ly2) / 2;
      rect = [right - side, cy - side / 2, side, side];
    } else if (o.preset === 'appendix' || o.preset === 'copy') {
      const w = textWidth + 4;
      const h = textHeight + 4;
      rect = [box.x2 - 15 * MM - w, box.y2 - 10 * MM - h, w, h];
    } else {
      rect = [box.x2 - 15 * MM - 200, box.y1 + 60 * MM, 200, 90];
    }
  } else {
    rect = [box.x1 + rect[0], box.y1 + rect[1], rect[2], rect[3]];
  }
  const [x, y, w, h] = rect;
  if (!(w > 0 && h > 0)) throw new KysoError('ERR_INVALID_ARGUMENT', 'the appearance rectangle must have a positive width and height');

  // content, drawn in the upright (visual) frame of width vw and height vh
  const turned = box.rotate === 90 || box.rotate === 270;
  const vw = turned ? h : w;
  const vh = turned ? w : h;
  const ops: string[] = [];
  const hasImage = image !== undefined;
  const imageArea = hasImage ? (lines.length ? { x: 0, y: textHeight + 2, w: vw, h: Math.max(1, vh - textHeight - 2) } : { x: 0, y: 0, w: vw, h: vh }) : undefined;
  if (imageArea && image) {
    const k = Math.min(imageArea.w / image.width, imageArea.h / image.height);
    const iw = image.width * k;
    const ih = image.height * k;
    ops.push(`q ${num(iw)} 0 0 ${num(ih)} ${num(imageArea.x + (imageArea.w - iw) / 2)} ${num(imageArea.y + (imageArea.h - ih) / 2)} cm /Im1 Do Q`);
  }
  const [r, g, b] = o.color ?? [0, 0, 0];
  lines.forEach((line, i) => {
    const ty = (lines.length - 1 - i) * lineHeight + size * 0.25;
    ops.push(`BT /F1 ${num(size)} Tf ${num(r)} ${num(g)} ${num(b)} rg 2 ${num(ty)} Td ${font!.encode(line)} Tj ET`);
  });
  await font?.finish();
  const stamp = o.stamps?.items.length ? await stampAnnotation(o, pageIndex, pages.box(o.stamps.pageIndex ?? pageIndex)) : undefined;
  const matrix = box.rotate === 90 ? [0, 1, -1, 0, vh, 0] : box.rotate === 180 ? [-1, 0, 0, -1, vw, vh] : box.rotate === 270 ? [0, -1, 1, 0, 0, vw] : undefined;

  return {
    ...(stamp && { stamp }),
    pageIndex,
    rect: [x, y, x + w, y + h],
    write(writer) {
      const resources = new PdfDict();
      if (font) resources.set('Font', new PdfDict().set('F1', font.write(writer)));
      if (image) resources.set('XObject', new PdfDict().set('Im1', writeImage(writer, image)));
      const dict = new PdfDict().set('Type', name('XObject')).set('Subtype', name('Form')).set('BBox', [0, 0, num(vw), num(vh)].map(Number)).set('Resources', resources);
      if (matrix) dict.set('Matrix', matrix.map((v) => Number(num(v))));
      return new PdfStream(dict, latin1(ops.join('\n')));
    },
  };
}

async function stampAnnotation(o: AppearanceOptions, pageIndex: number, box: { x1: number; y1: number; x2: number; y2: number }): Promise<NonNullable<BuiltAppearance['stamp']>> {
  const font = await EmbeddedFont.load(o.font ?? (await shippedFont('Regular')));
  const [r, g, b] = o.color ?? [0, 0, 0];
  // the appearance spans the crop box, so the caller's positions are page positions
  const ops = o.stamps!.items.map((s) => `BT /F1 ${num(s.size ?? 13)} Tf ${num(r)} ${num(g)} ${num(b)} rg ${num(s.x)} ${num(s.y)} Td ${font.encode(s.text)} Tj ET`);
  await font.finish();
  const w = box.x2 - box.x1;
  const h = box.y2 - box.y1;
  return {
    pageIndex: o.stamps!.pageIndex ?? pageIndex,
    rect: [box.x1, box.y1, box.x2, box.y2],
    build: (writer) =>
      new PdfStream(
        new PdfDict().set('Type', name('XObject')).set('Subtype', name('Form')).set('BBox', [0, 0, w, h]).set('Resources', new PdfDict().set('Font', new PdfDict().set('F1', font.write(writer)))),
        latin1(ops.join('\n')),
      ),
  };
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
}
