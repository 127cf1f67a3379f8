import type { Box, PageLayout, TextLine } from './page-layout.js';

/** A Decree 30 signature block: the authority and title lines, and the signer's name below them. */
export interface SignatureBlock {
  /** The lines above the gap, top first: e.g. "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH". */
  head: TextLine[];
  /** The last of them: the signer's title, which the signature is centred on. */
  title: TextLine;
  name: TextLine;
}

const AUTHORITY = /^(TM|KT|Q|TL|TUQ)\s?\.\s?\S/u;
const TITLE = /CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG|THỦ TƯỚNG|BÍ THƯ|CHÁNH|CHỦ NHIỆM|THƯ KÝ|KẾ TOÁN|ĐẠI DIỆN|CHỦ SỞ HỮU/u;

const isUpper = (t: string) => /\p{L}/u.test(t) && t === t.toLocaleUpperCase('vi');
const centre = (b: Box) => (b.x1 + b.x2) / 2;
/** In one column: overlapping horizontally, centres not further apart than the wider half. */
const sameColumn = (a: Box, b: Box) => Math.abs(centre(a) - centre(b)) <= Math.max(a.x2 - a.x1, b.x2 - b.x1) / 2;

/** The line right below `line` in its column, if any. */
function below(lines: TextLine[], line: TextLine): TextLine | undefined {
  return lines
    .filter((l) => l !== line && l.y1 >= line.y2 - 0.3 * line.size && sameColumn(l, line))
    .sort((a, b) => a.y1 - b.y1)[0];
}

/**
 * Finds the signature block of a page: upper-case lines beginning with an authority (`TM.`, `KT.`, `Q.`, `TL.`,
 * `TUQ.`) or naming a title (`CHỦ TỊCH`, `GIÁM ĐỐC`, `BỘ TRƯỞNG`, …), the lines right under them, then — past the
 * space left for the signature — the signer's name. The lowest block wins (the rightmost on one height).
 */
export function findSignatureBlock(layout: PageLayout): SignatureBlock | undefined {
  const { lines } = layout;
  const blocks: SignatureBlock[] = [];
  for (const first of lines) {
    if (!isUpper(first.text) || !(AUTHORITY.test(first.text) || TITLE.test(first.text))) continue;
    const head = [first];
    for (
      let next = below(lines, first);
      next && isUpper(next.text) && next.y1 - head.at(-1)!.y2 < 0.8 * next.size;
      next = below(lines, next)
    )
      head.push(next);
    const title = head.at(-1)!;
    const name = below(lines, title);
    if (!name || isUpper(name.text) || name.text.length > 60) continue;
    const gap = name.y1 - title.y2;
    if (gap < 1.5 * title.size || gap > 300) continue;
    if (blocks.some((b) => b.title === title)) continue;
    blocks.push({ head, title, name });
  }
  return blocks.sort((a, b) => b.title.y1 - a.title.y1 || b.title.x1 - a.title.x1)[0];
}

/** The line showing `anchor` (Unicode-normalised, spaces collapsed): one that is exactly it, else the first containing it; case matters only when it tells lines apart. */
export function findAnchor(layout: PageLayout, anchor: string): TextLine | undefined {
  const want = anchor.normalize('NFC').replace(/\s+/g, ' ').trim();
  const upper = want.toLocaleUpperCase('vi');
  const { lines } = layout;
  return (
    lines.find((l) => l.text === want) ??
    lines.find((l) => l.text.includes(want)) ??
    lines.find((l) => l.text.toLocaleUpperCase('vi') === upper) ??
    lines.find((l) => l.text.toLocaleUpperCase('vi').includes(upper))
  );
}

/** True when the boxes overlap by more than a hair. */
export function intersects(a: Box, b: Box, slack = 0.5): boolean {
  return a.x1 < b.x2 - slack && b.x1 < a.x2 - slack && a.y1 < b.y2 - slack && b.y1 < a.y2 - slack;
}

/** Whether `box` is on the page, `margin` from its edges, and `clearance` or more from all of its content. */
export function isFree(layout: PageLayout, box: Box, margin = 0, clearance = 0): boolean {
  if (box.x1 < margin || box.y1 < margin || box.x2 > layout.width - margin || box.y2 > layout.height - margin)
    return false;
  const around = { x1: box.x1 - clearance, y1: box.y1 - clearance, x2: box.x2 + clearance, y2: box.y2 + clearance };
  return !layout.content.some((c) => intersects(c, around));
}

/**
 * The first free place for a `w`×`h` box, searched from the top-right corner (`margin` from the edges) down to
 * `maxY` and leftwards to `minX`, every 2 points down and 4 across, 3 points clear of the content: where Decree 30 puts
 * appendix and copy signatures.
 */
export function freePlaceTopRight(
  layout: PageLayout,
  w: number,
  h: number,
  margin: number,
  maxY = layout.height,
  minX = margin,
): Box | undefined {
  for (let y = margin; y + h <= Math.min(maxY, layout.height - margin); y += 2) {
    for (let x = layout.width - margin - w; x >= minX; x -= 4) {
      const box = { x1: x, y1: y, x2: x + w, y2: y + h };
      if (isFree(layout, box, margin, 3)) return box;
    }
  }
  return undefined;
}

/**
 * The widest free box up to `w` wide, centred on `cx`, between `top` and `bottom` (narrowed symmetrically while it
 * covers content); undefined when even `minW` covers something.
 */
export function freeCentred(
  layout: PageLayout,
  cx: number,
  top: number,
  bottom: number,
  w: number,
  minW: number,
): Box | undefined {
  for (let width = Math.min(w, 2 * Math.min(cx, layout.width - cx)); width >= minW; width -= 4) {
    const box = { x1: cx - width / 2, y1: top, x2: cx + width / 2, y2: bottom };
    if (isFree(layout, box)) return box;
  }
  return undefined;
}
