import { mul } from '../text-locator.js';
import { openPdfjs, loadPdfjs, type PdfjsDocument, type PdfjsPage } from './pdfjs.js';

/**
 * A box on the page as the reader sees it: points from the top-left corner of the crop box, y downwards, after
 * the page's /Rotate — so "below" and "left of" mean what they say on any page.
 */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A run of text on one line of one column, in reading order, its text in NFC. */
export interface TextLine extends Box {
  text: string;
  /** Font size in points (the height of the em square on the page). */
  size: number;
}

/** What is on a page, for placing a signature where it covers nothing. */
export interface PageLayout {
  pageIndex: number;
  width: number;
  height: number;
  lines: TextLine[];
  /** Everything drawn: text, images, vector paths (background fills excepted) and visible annotations. */
  content: Box[];
  /** The images drawn by each visible annotation, keyed by the annotation's rectangle in user space. */
  annotationImages: { rect: number[]; images: Box[] }[];
  /** A box of this page's view in the page's user space, `[x1, y1, x2, y2]`, lower-left first. */
  toUser(b: Box): [number, number, number, number];
  /** A user-space rectangle `[x1, y1, x2, y2]` as a box of this view. */
  fromUser(r: readonly number[]): Box;
}

/** The pages of one document, read with pdf.js on demand. */
export interface LayoutSource {
  pageCount: number;
  layout(pageIndex: number): Promise<PageLayout>;
  close(): Promise<void>;
}

/** Opens `pdf` for layout reading. pdf.js is loaded here, not before. */
export async function openLayout(pdf: Uint8Array): Promise<LayoutSource> {
  const doc = await openPdfjs(pdf);
  const cache = new Map<number, Promise<PageLayout>>();
  return {
    pageCount: doc.numPages,
    layout(i) {
      let p = cache.get(i);
      if (!p) cache.set(i, (p = readLayout(doc, i)));
      return p;
    },
    close: () => doc.destroy(),
  };
}

async function readLayout(doc: PdfjsDocument, pageIndex: number): Promise<PageLayout> {
  const page = await doc.getPage(pageIndex + 1);
  const viewport = page.getViewport({ scale: 1 });
  const m = viewport.transform as number[];
  const toView = (x: number, y: number) => [m[0]! * x + m[2]! * y + m[4]!, m[1]! * x + m[3]! * y + m[5]!] as const;
  const boxOf = (corners: (readonly [number, number])[]): Box => {
    const xs = corners.map((c) => c[0]);
    const ys = corners.map((c) => c[1]);
    return { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
  };
  const fromUser = (r: readonly number[]) =>
    boxOf([toView(r[0]!, r[1]!), toView(r[2]!, r[1]!), toView(r[0]!, r[3]!), toView(r[2]!, r[3]!)]);
  const det = m[0]! * m[3]! - m[1]! * m[2]!;
  const toUserPoint = (x: number, y: number) => {
    const dx = x - m[4]!,
      dy = y - m[5]!;
    return [(m[3]! * dx - m[2]! * dy) / det, (-m[1]! * dx + m[0]! * dy) / det] as const;
  };
  const toUser = (b: Box): [number, number, number, number] => {
    const c = [toUserPoint(b.x1, b.y1), toUserPoint(b.x2, b.y2)];
    return [
      Math.min(c[0]![0], c[1]![0]),
      Math.min(c[0]![1], c[1]![1]),
      Math.max(c[0]![0], c[1]![0]),
      Math.max(c[0]![1], c[1]![1]),
    ];
  };
  const lines = await textLines(page, toView, boxOf);
  const { boxes, annotationImages } = await drawnBoxes(page, toView, boxOf, viewport.width, viewport.height);
  return {
    pageIndex,
    width: viewport.width,
    height: viewport.height,
    lines,
    content: [...lines.map(({ x1, y1, x2, y2 }) => ({ x1, y1, x2, y2 })), ...boxes],
    annotationImages,
    toUser,
    fromUser,
  };
}

type ToView = (x: number, y: number) => readonly [number, number];
type BoxOf = (corners: (readonly [number, number])[]) => Box;

interface Glyphs extends Box {
  text: string;
  size: number;
  /** The baseline's position across the reading direction, and the direction (for grouping). */
  base: number;
  dir: string;
}

/**
 * The page's text as lines of one column each: pdf.js decodes every font kind (simple fonts with any encoding,
 * Type0 with or without ToUnicode, Type3) and joins the pieces of TJ arrays; here the pieces on one baseline are
 * joined while they are close, and split where a wide gap separates columns.
 */
async function textLines(page: PdfjsPage, toView: ToView, boxOf: BoxOf): Promise<TextLine[]> {
  const content = await page.getTextContent();
  const pieces: Glyphs[] = [];
  for (const item of content.items) {
    if (!('str' in item) || !item.str.trim()) continue;
    const [a, b, c, d, e, f] = item.transform as number[];
    const size = Math.hypot(c!, d!) || Math.hypot(a!, b!);
    if (!(size > 0)) continue;
    // the text's own frame: along the baseline (ux, uy), and up (vx, vy)
    const len = Math.hypot(a!, b!) || 1;
    const ux = a! / len,
      uy = b! / len;
    const vx = -uy,
      vy = ux;
    const w = item.width;
    const corner = (s: number, t: number) => toView(e! + ux * s + vx * t, f! + uy * s + vy * t);
    // Vietnamese capitals carry marks up to about an em above the baseline
    const box = boxOf([corner(0, -0.25 * size), corner(w, -0.25 * size), corner(0, 1.0 * size), corner(w, 1.0 * size)]);
    const origin = toView(e!, f!);
    const end = toView(e! + ux * w, f! + uy * w);
    const horizontal = Math.abs(end[1] - origin[1]) <= Math.abs(end[0] - origin[0]);
    const dir = horizontal ? (end[0] >= origin[0] ? 'h' : 'h-') : end[1] >= origin[1] ? 'v' : 'v-';
    pieces.push({ ...box, text: item.str, size, base: horizontal ? origin[1] : origin[0], dir });
  }
  // upright text is what placement reads; sort by baseline, then along it
  const upright = pieces.filter((p) => p.dir === 'h').sort((p, q) => p.base - q.base || p.x1 - q.x1);
  const lines: TextLine[] = [];
  let current: Glyphs[] = [];
  const flush = () => {
    if (!current.length) return;
    current.sort((p, q) => p.x1 - q.x1);
    // the segment's characters, each with an estimate of where it is (pieces spread evenly)
    let chars: { ch: string; x: number }[] = [];
    let pieces: Glyphs[] = [];
    let end = -Infinity;
    const emit = () => {
      if (!pieces.length) return;
      lines.push({
        text: chars
          .map((c) => c.ch)
          .join('')
          .normalize('NFC')
          .replace(/\s+/g, ' ')
          .trim(),
        size: Math.max(...pieces.map((p) => p.size)),
        x1: Math.min(...pieces.map((p) => p.x1)),
        y1: Math.min(...pieces.map((p) => p.y1)),
        x2: Math.max(...pieces.map((p) => p.x2)),
        y2: Math.max(...pieces.map((p) => p.y2)),
      });
      chars = [];
      pieces = [];
      end = -Infinity;
    };
    const spread = (p: Glyphs) => {
      const cps = Array.from(p.text);
      return cps.map((ch, i) => ({ ch, x: p.x1 + ((i + 0.5) * (p.x2 - p.x1)) / cps.length }));
    };
    for (const p of current) {
      if (pieces.length && p.x1 - end > 1.5 * p.size) emit();
      const mine = spread(p);
      if (pieces.length && p.x1 < end - 0.25 * p.size) {
        // drawn over text already placed: LibreOffice, for one, shows accented capitals in a pass of their own
        // over the blanks it left for them — the nearest blank takes it, else it goes where its position says
        const centre = (p.x1 + p.x2) / 2;
        let best = -1;
        chars.forEach((c, i) => {
          if (
            /\s/.test(c.ch) &&
            Math.abs(c.x - centre) < p.size &&
            (best < 0 || Math.abs(c.x - centre) < Math.abs(chars[best]!.x - centre))
          )
            best = i;
        });
        if (best >= 0) chars.splice(best, 1, ...mine);
        else {
          const at = chars.findIndex((c) => c.x > centre);
          chars.splice(at < 0 ? chars.length : at, 0, ...mine);
        }
      } else {
        if (pieces.length && p.x1 - end > 0.15 * p.size && !/\s$/.test(chars.at(-1)?.ch ?? '') && !/^\s/.test(p.text))
          chars.push({ ch: ' ', x: (end + p.x1) / 2 });
        chars.push(...mine);
      }
      pieces.push(p);
      end = Math.max(end, p.x2);
    }
    emit();
    current = [];
  };
  for (const p of upright) {
    const first = current[0];
    if (first && Math.abs(p.base - first.base) > 0.35 * Math.min(p.size, first.size)) flush();
    current.push(p);
  }
  flush();
  return lines.sort((p, q) => p.y1 - q.y1 || p.x1 - q.x1);
}

/**
 * The boxes of what the page draws besides text: images and filled or stroked paths (white fills and
 * page-sized backgrounds left out, as they hide nothing), and visible annotations, from pdf.js's operator list.
 */
async function drawnBoxes(
  page: PdfjsPage,
  toView: ToView,
  boxOf: BoxOf,
  width: number,
  height: number,
): Promise<{ boxes: Box[]; annotationImages: PageLayout['annotationImages'] }> {
  const { OPS, AnnotationMode } = await loadPdfjs();
  const list = await page.getOperatorList({ annotationMode: AnnotationMode.ENABLE });
  const boxes: Box[] = [];
  const annotationImages: PageLayout['annotationImages'] = [];
  let ctm = [1, 0, 0, 1, 0, 0];
  const stack: { ctm: number[]; fill: string }[] = [];
  let fill = '#000000';
  let annotation: { rect: number[]; images: Box[] } | undefined;
  const apply = (x: number, y: number) =>
    toView(ctm[0]! * x + ctm[2]! * y + ctm[4]!, ctm[1]! * x + ctm[3]! * y + ctm[5]!);
  const area = (x1: number, y1: number, x2: number, y2: number) =>
    boxOf([apply(x1, y1), apply(x2, y1), apply(x1, y2), apply(x2, y2)]);
  const keep = (b: Box, isFill: boolean) => {
    if (!Number.isFinite(b.x1 + b.y1 + b.x2 + b.y2)) return;
    const bw = Math.min(b.x2, width) - Math.max(b.x1, 0);
    const bh = Math.min(b.y2, height) - Math.max(b.y1, 0);
    if (bw <= 0 || bh <= 0) return;
    if (isFill && (fill === '#ffffff' || bw * bh > 0.5 * width * height)) return; // a background
    boxes.push(b);
  };
  for (let i = 0; i < list.fnArray.length; i++) {
    const fn = list.fnArray[i]!;
    const args = list.argsArray[i] as unknown[];
    switch (fn) {
      case OPS.save:
        stack.push({ ctm, fill });
        break;
      case OPS.restore:
        ({ ctm, fill } = stack.pop() ?? { ctm, fill });
        break;
      case OPS.transform:
        ctm = mul(args as number[], ctm);
        break;
      case OPS.paintFormXObjectBegin:
        stack.push({ ctm, fill });
        if (args[0]) ctm = mul(args[0] as number[], ctm);
        break;
      case OPS.paintFormXObjectEnd:
        ({ ctm, fill } = stack.pop() ?? { ctm, fill });
        break;
      case OPS.setFillRGBColor:
        fill = typeof args[0] === 'string' ? args[0] : fill;
        break;
      case OPS.setFillGray:
      case OPS.setFillCMYKColor:
      case OPS.setFillColor:
      case OPS.setFillColorN:
        fill = '';
        break;
      case OPS.beginAnnotation: {
        const [, rect, transform, matrix] = args as [string, number[], number[], number[]];
        stack.push({ ctm, fill });
        ctm = mul(matrix, transform);
        annotation = { rect, images: [] };
        boxes.push(boxOf([toView(rect[0]!, rect[1]!), toView(rect[2]!, rect[3]!)]));
        break;
      }
      case OPS.endAnnotation:
        ({ ctm, fill } = stack.pop() ?? { ctm, fill });
        if (annotation) annotationImages.push(annotation);
        annotation = undefined;
        break;
      case OPS.constructPath: {
        const [op, , minMax] = args as [number, unknown, number[] | null];
        if (!minMax || op === OPS.endPath) break;
        // pdf.js has the path's extent in the current space already; a stroke grows it by the line width
        const b = area(minMax[0]!, minMax[1]!, minMax[2]!, minMax[3]!);
        if (!annotation) keep(b, op === OPS.fill || op === OPS.eoFill);
        break;
      }
      case OPS.paintImageXObject:
      case OPS.paintInlineImageXObject:
      case OPS.paintImageMaskXObject:
      case OPS.paintImageXObjectRepeat: {
        const b = area(0, 0, 1, 1);
        if (annotation) annotation.images.push(b);
        else keep(b, false);
        break;
      }
    }
  }
  return { boxes, annotationImages };
}
