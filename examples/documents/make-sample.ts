/**
 * Generates `quyet-dinh-mau.pdf`, a sample administrative document laid out as Decree 30/2020/NĐ-CP
 * (Appendix I) prescribes: issuing body and number top left, the national heading top right, place and
 * date, title, body, "Nơi nhận:" and the signature block. Everything in it is fictitious.
 *
 * Run: `npx tsx examples/documents/make-sample.ts [out.pdf]`
 */
import { PDFDocument, PDFFont, PDFPage, rgb } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const font = (name: string) => readFileSync(here(`../../assets/fonts/LiberationSerif-${name}.ttf`));
const MM = 72 / 25.4;

/** Builds the sample document; frozen metadata dates keep the bytes reproducible. */
export async function makeSampleDocument(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(font('Regular'), { subset: true });
  const bold = await doc.embedFont(font('Bold'), { subset: true });
  const italic = await doc.embedFont(font('Italic'), { subset: true });
  const fixed = new Date('2026-11-24T08:00:00+07:00');
  doc.setTitle('Quyết định về việc ban hành Quy chế quản lý văn bản điện tử');
  doc.setAuthor('Ủy ban nhân dân tỉnh Thử Nghiệm');
  doc.setProducer('kyso examples');
  doc.setCreator('kyso examples');
  doc.setCreationDate(fixed);
  doc.setModificationDate(fixed);

  // A4, margins per Decree 30: top 20 mm, bottom 20 mm, left 30 mm, right 15 mm.
  const page = doc.addPage([210 * MM, 297 * MM]);
  const left = 30 * MM;
  const right = page.getWidth() - 15 * MM;
  const colL = { x0: left, x1: left + 70 * MM };
  const colR = { x0: left + 62 * MM, x1: right };
  let y = page.getHeight() - 20 * MM - 13;

  const centred = (p: PDFPage, text: string, f: PDFFont, size: number, x0: number, x1: number, yy: number) => {
    const w = f.widthOfTextAtSize(text, size);
    p.drawText(text, { x: x0 + (x1 - x0 - w) / 2, y: yy, size, font: f, color: rgb(0, 0, 0) });
    return { x: x0 + (x1 - x0 - w) / 2, w };
  };
  /** Draws `text` justified-left in lines no wider than `width`; returns the y below the last line. */
  const paragraph = (text: string, f: PDFFont, size: number, x: number, yy: number, width: number, indent = 0) => {
    let line = '';
    let first = true;
    for (const word of text.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (f.widthOfTextAtSize(next, size) > width - (first ? indent : 0) && line) {
        page.drawText(line, { x: x + (first ? indent : 0), y: yy, size, font: f });
        yy -= size * 1.4;
        line = word;
        first = false;
      } else line = next;
    }
    page.drawText(line, { x: x + (first ? indent : 0), y: yy, size, font: f });
    return yy - size * 1.5;
  };
  const rule = (x: number, w: number, yy: number) =>
    page.drawLine({ start: { x, y: yy }, end: { x: x + w, y: yy }, thickness: 0.6, color: rgb(0, 0, 0) });

  centred(page, 'ỦY BAN NHÂN DÂN', regular, 13, colL.x0, colL.x1, y);
  centred(page, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', bold, 12.5, colR.x0, colR.x1, y);
  y -= 16;
  const org = centred(page, 'TỈNH THỬ NGHIỆM', bold, 13, colL.x0, colL.x1, y);
  const motto = centred(page, 'Độc lập - Tự do - Hạnh phúc', bold, 13.5, colR.x0, colR.x1, y);
  y -= 5;
  rule(org.x + org.w / 4, org.w / 2, y);
  rule(motto.x, motto.w, y);
  y -= 22;
  centred(page, 'Số: 123/QĐ-UBND', regular, 13, colL.x0, colL.x1, y);
  centred(page, 'Thử Nghiệm, ngày 24 tháng 11 năm 2026', italic, 13.5, colR.x0, colR.x1, y);

  y -= 42;
  centred(page, 'QUYẾT ĐỊNH', bold, 14, left, right, y);
  y -= 17;
  centred(page, 'Về việc ban hành Quy chế quản lý văn bản điện tử', bold, 14, left, right, y);
  y -= 6;
  rule((left + right) / 2 - 40, 80, y);
  y -= 26;
  centred(page, 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM', bold, 14, left, right, y);

  const body = [
    'Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;',
    'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;',
    'Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh.',
  ];
  y -= 30;
  for (const line of body) y = paragraph(line, italic, 13, left, y, right - left, 10 * MM);
  y -= 6;
  centred(page, 'QUYẾT ĐỊNH:', bold, 14, left, right, y);
  const articles = [
    ['Điều 1. ', 'Ban hành kèm theo Quyết định này Quy chế quản lý văn bản điện tử và chữ ký số.'],
    ['Điều 2. ', 'Quyết định này có hiệu lực thi hành kể từ ngày ký.'],
    ['Điều 3. ', 'Chánh Văn phòng, Thủ trưởng các sở, ban, ngành chịu trách nhiệm thi hành Quyết định này./.'],
  ] as const;
  y -= 26;
  for (const [head, text] of articles) {
    page.drawText(head, { x: left + 10 * MM, y, size: 14, font: bold });
    y = paragraph(text, regular, 14, left, y, right - left, 10 * MM + bold.widthOfTextAtSize(head, 14));
  }

  y -= 24;
  const blockTop = y;
  page.drawText('Nơi nhận:', { x: left, y, size: 12, font: bold });
  for (const r of ['- Như Điều 3;', '- Lưu: VT.']) {
    y -= 15;
    page.drawText(r, { x: left, y, size: 11, font: regular });
  }
  y = blockTop;
  centred(page, 'TM. ỦY BAN NHÂN DÂN', bold, 14, colR.x0 + 20 * MM, colR.x1, y);
  y -= 17;
  centred(page, 'CHỦ TỊCH', bold, 14, colR.x0 + 20 * MM, colR.x1, y);
  y -= 95;
  centred(page, 'Nguyễn Văn An', bold, 14, colR.x0 + 20 * MM, colR.x1, y);

  return doc.save({ useObjectStreams: false });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? here('./quyet-dinh-mau.pdf');
  makeSampleDocument().then((bytes) => {
    writeFileSync(out, bytes);
    console.log(`wrote ${out} (${bytes.length} bytes)`);
  });
}
