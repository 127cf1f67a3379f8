/**
 * Worker: a visible signature placed by the page's content (approved, no rect: the signature block found with
 * pdf.js) against a plain B-B signature, on a one-page and a 300-page decision whose block is on its last page.
 * Prints four Measurements.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { loadPkcs12Signer, signPdf } from '../dist/index.js';
import { measure, PASSWORD } from './common.js';

const [p12Path, count] = process.argv.slice(2);
const n = Number(count ?? 20);
const asset = (p: string) => readFileSync(fileURLToPath(new URL(`../${p}`, import.meta.url)));

async function decision(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(asset('assets/fonts/LiberationSerif-Regular.ttf'), { subset: true });
  for (let i = 0; i < pages; i++) {
    const page = doc.addPage([595, 842]);
    for (let y = 780; y > (i === pages - 1 ? 420 : 80); y -= 18)
      page.drawText(`Điều ${i + 1}. Nội dung trang ${i + 1}, dòng ${y} của quyết định.`, { x: 85, y, size: 13, font });
  }
  const last = doc.getPage(pages - 1);
  const centred = (t: string, y: number) =>
    last.drawText(t, { x: 430 - font.widthOfTextAtSize(t, 13) / 2, y, size: 13, font });
  centred('TM. ỦY BAN NHÂN DÂN', 380);
  centred('CHỦ TỊCH', 364);
  centred('Nguyễn Văn An', 280);
  return doc.save({ useObjectStreams: false });
}

const signer = await loadPkcs12Signer(readFileSync(p12Path!), { password: PASSWORD });
const image = asset('examples/images/chu-ky-mau.png');
for (const pages of [1, 300]) {
  const pdf = await decision(pages);
  const runs = pages === 1 ? n : Math.max(2, Math.round(n / 5));
  await signPdf(pdf, { signer, appearance: { preset: 'approved', image } }); // warm-up: pdf.js loaded, JIT
  const plain = await measure(`kyso B-B, ${pages} p.`, runs, () => signPdf(pdf, { signer }));
  const visible = await measure(`kyso visible, auto placement, ${pages} p.`, runs, () =>
    signPdf(pdf, { signer, appearance: { preset: 'approved', image } }),
  );
  console.log(JSON.stringify(plain));
  console.log(JSON.stringify(visible));
}
