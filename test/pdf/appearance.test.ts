import { beforeAll, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, degrees } from 'pdf-lib';
import { loadPkcs12Signer, signPdf, verifyPdf, type Signer } from '../../src/index.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { findSignatureFields } from '../../src/pdf/signature-scan.js';
import { numberOf } from '../../src/pdf/objects.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { describeWithTools, pdfsig, run, scratchDir } from '../fixtures/tools.js';
import { kyso } from '../cli/cli-helpers.js';

const asset = (p: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`../../examples/${p}`, import.meta.url))));
const REFERENCE = fileURLToPath(new URL('../fixtures/appearance/workflow.pgm', import.meta.url));
const at = new Date('2026-11-24T08:30:00Z'); // shown as 24.11.2026 15:30:00 +07:00
const dir = scratchDir('kyso-appearance-');
let leader: Signer;
let organisation: Signer;

async function workflow(shift = 0): Promise<Uint8Array> {
  const approved = await signPdf(asset('documents/quyet-dinh-mau.pdf'), {
    signer: leader,
    signingTime: at,
    appearance: {
      preset: 'approved',
      pageIndex: 0,
      rect: [335 + shift, 276, 200, 76],
      image: asset('images/chu-ky-mau.png'),
    },
  });
  return signPdf(approved, {
    signer: organisation,
    signingTime: at,
    appearance: { preset: 'issued', seal: asset('images/con-dau-mau.png') },
  });
}

/** A page rendered in gray by pdftoppm, as PGM pixels. */
function render(pdf: Uint8Array, name: string): { width: number; height: number; px: Uint8Array } {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const r = run('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', file, join(dir, name)]);
  expect(r.status, r.stderr).toBe(0);
  return readPgm(readFileSync(join(dir, `${name}-1.pgm`)));
}

function readPgm(b: Uint8Array): { width: number; height: number; px: Uint8Array } {
  const head = Buffer.from(b.subarray(0, 64))
    .toString('latin1')
    .match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/)!;
  return { width: Number(head[1]), height: Number(head[2]), px: b.subarray(head[0].length) };
}

/** Mean absolute difference of the pixels, 0–255. */
function difference(a: { px: Uint8Array }, b: { px: Uint8Array }): number {
  if (a.px.length !== b.px.length) return 255;
  let sum = 0;
  for (let i = 0; i < a.px.length; i++) sum += Math.abs(a.px[i]! - b.px[i]!);
  return sum / a.px.length;
}

const TOLERANCE = 0.6;

describeWithTools(
  ['pdfsig', 'pdftotext', 'pdftoppm', 'certutil'],
  'visible signatures (Decree 30/2020): approved → issued',
  () => {
    beforeAll(async () => {
      leader = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
      organisation = await loadPkcs12Signer(pkiFile('rsa4096.p12'), { password: P12_PASSWORD });
    });

    it('both signatures stay valid (pdfsig and kyso), the text reads back exactly, the widgets print and are not hidden', async () => {
      const signed = await workflow();
      const file = join(dir, 'workflow.pdf');
      writeFileSync(file, signed);
      const p = pdfsig(file);
      expect(p.signatures.map((s) => s.signatureValidation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
      const report = await verifyPdf(signed, { trust: [pkiFile('root.cert.pem')] });
      expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
      expect(report.signatures.map((s) => s.role)).toEqual(['approved', 'issued']);
      const text = run('pdftotext', [file, '-']).stdout;
      expect(text).toContain('Ký bởi: Nguyễn Văn An');
      expect(text).toContain('Email: an.nv@thunghiem.gov.vn');
      expect(text).toContain('Cơ quan: Ủy ban nhân dân tỉnh Thử Nghiệm');
      expect(text).toContain('Thời gian ký: 24.11.2026 15:30:00 +07:00');
      const reader = PdfReader.open(signed);
      const fields = findSignatureFields(reader).signed;
      for (const f of fields) {
        const flags = numberOf(reader.resolveDict(f.fieldRef)!.get('F'))!;
        expect(flags & 4).toBe(4);
        expect(flags & 2).toBe(0);
      }
      // the seal (36 mm ≈ 102 pt) reaches into the left of the leader's signature image, above its four text
      // lines (7.5 pt, 1.25 leading) at the widget's foot
      const [leaderRect, sealRect] = fields.map((f) => f.rect!) as [number[], number[]];
      expect(sealRect[2]! - sealRect[0]!).toBeCloseTo(36 * (72 / 25.4), 1);
      expect(sealRect[1]).toBeGreaterThanOrEqual(leaderRect[1]! + 4 * 7.5 * 1.25);
      expect(sealRect[2]).toBeGreaterThan(leaderRect[0]! + (leaderRect[2]! - leaderRect[0]!) / 3);
      expect(sealRect[2]).toBeLessThan(leaderRect[0]! + (leaderRect[2]! - leaderRect[0]!) * 0.75);
    });

    it('the rendered page matches the committed reference; a widget moved by 50 pt does not', async () => {
      const page = render(await workflow(), 'now');
      if (!existsSync(REFERENCE)) {
        if (process.env.CI) throw new Error(`missing reference image ${REFERENCE}`);
        writeFileSync(
          REFERENCE,
          Buffer.concat([Buffer.from(`P5\n${page.width} ${page.height}\n255\n`), Buffer.from(page.px)]),
        );
        console.warn(`[appearance] wrote the reference image ${REFERENCE}; commit it`);
      }
      const reference = readPgm(readFileSync(REFERENCE));
      expect(difference(page, reference)).toBeLessThan(TOLERANCE);
      const moved = render(await workflow(50), 'moved');
      expect(difference(moved, reference)).toBeGreaterThan(TOLERANCE);
    });

    it('appendix and copy: text at the top right of the first page, above its heading', async () => {
      const appendix = await signPdf(asset('documents/quyet-dinh-mau.pdf'), {
        signer: organisation,
        signingTime: at,
        appearance: { preset: 'appendix', documentNumber: 'Phụ lục kèm theo Quyết định số 123/QĐ-UBND' },
      });
      // a copy is its own file: the electronic copy of the issued document
      const copy = await signPdf(asset('documents/quyet-dinh-mau.pdf'), {
        signer: organisation,
        signingTime: at,
        appearance: { preset: 'copy', copyType: 'SAO Y', copyOrganization: 'Văn phòng UBND tỉnh' },
      });
      const files = [join(dir, 'appendix.pdf'), join(dir, 'copy.pdf')];
      writeFileSync(files[0]!, appendix);
      writeFileSync(files[1]!, copy);
      // -raw keeps the content order: the top right holds the national heading too
      const appendixText = run('pdftotext', ['-raw', files[0]!, '-']).stdout;
      expect(appendixText).toContain('Phụ lục kèm theo Quyết định số 123/QĐ-UBND');
      expect(appendixText).toContain('Thời gian ký: 2026-11-24T15:30:00+07:00');
      const copyText = run('pdftotext', ['-raw', files[1]!, '-']).stdout;
      expect(copyText).toContain('SAO Y');
      expect(copyText).toContain('Văn phòng UBND tỉnh');
      const file = files[1]!;
      const fields = findSignatureFields(PdfReader.open(appendix)).signed;
      expect(fields[0]!.pageIndex).toBe(0);
      expect(fields[0]!.rect![3]).toBeGreaterThan(780); // top of the page
      expect(pdfsig(file).signatures.every((s) => s.signatureValidation === 'Signature is Valid.')).toBe(true);
    });

    it('a rotated page, a crop box, and bad images', async () => {
      const doc = await PDFDocument.create();
      const page = doc.addPage([595, 842]);
      page.setRotation(degrees(90));
      page.setCropBox(20, 20, 555, 802);
      const rotated = await signPdf(await doc.save(), {
        signer: leader,
        signingTime: at,
        appearance: { preset: 'approved', rect: [100, 100, 80, 160], image: asset('images/chu-ky-mau.png') },
      });
      const file = join(dir, 'rotated.pdf');
      writeFileSync(file, rotated);
      expect(pdfsig(file).signatures[0]?.signatureValidation).toBe('Signature is Valid.');
      const rect = findSignatureFields(PdfReader.open(rotated)).signed[0]!.rect!;
      expect(rect[0]).toBe(120); // origin at the crop box
      await expect(
        signPdf(await doc.save(), {
          signer: leader,
          appearance: { preset: 'approved', image: new Uint8Array([1, 2, 3]) },
        }),
      ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      await expect(signPdf(await doc.save(), { signer: leader, appearance: { preset: 'copy' } })).rejects.toMatchObject(
        { code: 'ERR_INVALID_ARGUMENT' },
      );
    });

    it('kyso sign --appearance approved|issued, placed by the signature block, --json, --preview', async () => {
      const a = join(dir, 'cli-a.pdf');
      const b = join(dir, 'cli-b.pdf');
      const pw = { PW: P12_PASSWORD };
      const input = fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
      const images = (f: string) => fileURLToPath(new URL(`../../examples/images/${f}`, import.meta.url));
      const r1 = kyso(
        [
          'sign',
          input,
          '-o',
          a,
          '--p12',
          pkiPath('rsa2048.p12'),
          '--password-env',
          'PW',
          '--appearance',
          'approved',
          '--image',
          images('chu-ky-mau.png'),
          '--page',
          '1',
          '--rect',
          '335,276,200,76',
        ],
        pw,
      );
      expect(r1.status, r1.stderr).toBe(0);
      const r2 = kyso(
        [
          'sign',
          a,
          '-o',
          b,
          '--p12',
          pkiPath('rsa4096.p12'),
          '--password-env',
          'PW',
          '--appearance',
          'issued',
          '--seal',
          images('con-dau-mau.png'),
        ],
        pw,
      );
      expect(r2.status, r2.stderr).toBe(0);
      expect(pdfsig(b).signatures.map((s) => s.signatureValidation)).toEqual([
        'Signature is Valid.',
        'Signature is Valid.',
      ]);
      expect(
        kyso(
          [
            'sign',
            input,
            '-o',
            join(dir, 'x.pdf'),
            '--p12',
            pkiPath('rsa2048.p12'),
            '--password-env',
            'PW',
            '--appearance',
            'fancy',
          ],
          pw,
        ).status,
      ).toBe(3);
      // no coordinates: the signature block is found, and where it went is said (stderr) and in --json
      const auto = join(dir, 'cli-auto.pdf');
      const r3 = kyso(
        [
          'sign',
          input,
          '-o',
          auto,
          '--p12',
          pkiPath('rsa2048.p12'),
          '--password-env',
          'PW',
          '--appearance',
          'approved',
          '--image',
          images('chu-ky-mau.png'),
          '--json',
        ],
        pw,
      );
      expect(r3.status, r3.stderr).toBe(0);
      expect(JSON.parse(r3.stdout).placement).toMatchObject({
        pageIndex: 0,
        by: 'signature-block',
        lines: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH', 'Nguyễn Văn An'],
      });
      expect(r3.stderr).toMatch(
        /visible signature on page 1 at --rect [\d.,]+ \(signature-block by "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"/,
      );
      expect(pdfsig(auto).signatures[0]?.signatureValidation).toBe('Signature is Valid.');
      // --preview: a PNG of the page, nothing signed
      const png = join(dir, 'preview.png');
      const never = join(dir, 'never.pdf');
      const r4 = kyso(
        [
          'sign',
          input,
          '-o',
          never,
          '--p12',
          pkiPath('rsa2048.p12'),
          '--password-env',
          'PW',
          '--appearance',
          'approved',
          '--image',
          images('chu-ky-mau.png'),
          '--preview',
          png,
        ],
        pw,
      );
      expect(r4.status, r4.stderr).toBe(0);
      expect([...readFileSync(png).subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
      expect(existsSync(never)).toBe(false);
      // a page without a signature block: a clear error that says what to give instead
      const blank = join(dir, 'blank.pdf');
      writeFileSync(
        blank,
        await (async () => {
          const d = await PDFDocument.create();
          d.addPage([595, 842]);
          return d.save();
        })(),
      );
      const r5 = kyso(
        [
          'sign',
          blank,
          '-o',
          join(dir, 'y.pdf'),
          '--p12',
          pkiPath('rsa2048.p12'),
          '--password-env',
          'PW',
          '--appearance',
          'approved',
        ],
        pw,
      );
      expect(r5.status).not.toBe(0);
      expect(r5.stderr).toMatch(/no signature block.*--anchor.*--rect/);
      expect(
        kyso(
          [
            'sign',
            input,
            '-o',
            join(dir, 'x.pdf'),
            '--p12',
            pkiPath('rsa2048.p12'),
            '--password-env',
            'PW',
            '--image',
            images('chu-ky-mau.png'),
          ],
          pw,
        ).status,
      ).toBe(3);
    });
  },
);

describeWithTools(['pdfsig', 'certutil'], 'empty signature fields for others to sign later', () => {
  it('a field is prepared, then signed by name with an appearance filling its rectangle; a second field stays empty', async () => {
    const { addSignatureField, verifyPdf: verify } = await import('../../src/index.js');
    const signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
    let doc = addSignatureField(asset('documents/quyet-dinh-mau.pdf'), {
      name: 'ChuTich',
      pageIndex: 0,
      rect: [335, 276, 535, 352],
    });
    doc = addSignatureField(doc, { name: 'VanThu', pageIndex: 0, rect: [100, 276, 250, 352] });
    expect(() => addSignatureField(doc, { name: 'ChuTich', rect: [0, 0, 10, 10] })).toThrow(/exists/);
    const signed = await signPdf(doc, {
      signer,
      fieldName: 'ChuTich',
      signingTime: at,
      appearance: { preset: 'approved', image: asset('images/chu-ky-mau.png') },
    });
    const fields = findSignatureFields(PdfReader.open(signed));
    expect(fields.signed.map((f) => f.fieldName)).toEqual(['ChuTich']);
    expect(fields.signed[0]!.rect).toEqual([335, 276, 535, 352]);
    expect(fields.empty.map((f) => f.fieldName)).toEqual(['VanThu']);
    const report = await verify(signed, { trust: [pkiFile('root.cert.pem')] });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.emptySignatureFields).toEqual(['VanThu']);
    const file = join(dir, 'fields.pdf');
    writeFileSync(file, signed);
    expect(pdfsig(file).signatures.find((s) => s.signatureValidation)?.signatureValidation).toBe('Signature is Valid.');
    await expect(signPdf(signed, { signer, fieldName: 'ChuTich' })).rejects.toMatchObject({ code: 'ERR_PDF_FIELD' });
  });
});

describeWithTools(['pdfsig', 'pdftotext', 'certutil'], 'the clerk writes the issue date when issuing', () => {
  it('stamps go into the issuing revision as a locked annotation; the leader signature stays valid, the change reported', async () => {
    const leaderSigner = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
    const org = await loadPkcs12Signer(pkiFile('rsa4096.p12'), { password: P12_PASSWORD });
    const approved = await signPdf(asset('documents/quyet-dinh-mau.pdf'), {
      signer: leaderSigner,
      signingTime: at,
      appearance: {
        preset: 'approved',
        pageIndex: 0,
        rect: [335, 276, 200, 76],
        image: asset('images/chu-ky-mau.png'),
      },
    });
    const issued = await signPdf(approved, {
      signer: org,
      signingTime: at,
      appearance: {
        preset: 'issued',
        seal: asset('images/con-dau-mau.png'),
        stamps: { items: [{ text: 'Ngày ban hành: 24/11/2026', x: 100, y: 120, size: 12 }] },
      },
    });
    const file = join(dir, 'issued-stamped.pdf');
    writeFileSync(file, issued);
    expect(run('pdftotext', [file, '-']).stdout).toContain('Ngày ban hành: 24/11/2026');
    expect(pdfsig(file).signatures.map((s) => s.signatureValidation)).toEqual([
      'Signature is Valid.',
      'Signature is Valid.',
    ]);
    const report = await verifyPdf(issued, { trust: [pkiFile('root.cert.pem')] });
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(report.signatures[0]!.modifications?.verdict).toBe('changes-reported');
    expect(
      report.signatures[0]!.modifications?.changes.some((c) => c.kind === 'annotation' && c.status === 'reported'),
    ).toBe(true);
  });
});

describeWithTools(['pdfsig', 'certutil'], 'placement anchored to text on the page', () => {
  it('below the title line "CHỦ TỊCH" (the signature block, not the heading that contains the same words), or above the name', async () => {
    const s = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
    const below = await signPdf(asset('documents/quyet-dinh-mau.pdf'), {
      signer: s,
      signingTime: at,
      appearance: { preset: 'approved', anchor: { text: 'CHỦ TỊCH' }, image: asset('images/chu-ky-mau.png') },
    });
    const r1 = findSignatureFields(PdfReader.open(below)).signed[0]!.rect!;
    // the block's "CHỦ TỊCH" sits at x ≈ 400–431, baseline ≈ 353; the widget is centred under it
    expect((r1[0]! + r1[2]!) / 2).toBeGreaterThan(395);
    expect((r1[0]! + r1[2]!) / 2).toBeLessThan(440);
    expect(r1[3]).toBeLessThan(353);
    expect(r1[3]).toBeGreaterThan(330);
    const above = await signPdf(asset('documents/quyet-dinh-mau.pdf'), {
      signer: s,
      appearance: { preset: 'approved', anchor: { text: 'Nguyễn Văn An', position: 'above' } },
    });
    const r2 = findSignatureFields(PdfReader.open(above)).signed[0]!.rect!;
    expect(r2[1]).toBeGreaterThan(261);
    await expect(
      signPdf(asset('documents/quyet-dinh-mau.pdf'), {
        signer: s,
        appearance: { preset: 'approved', anchor: { text: 'GIÁM ĐỐC' } },
      }),
    ).rejects.toMatchObject({ code: 'ERR_PDF_PLACEMENT' });
    const file = join(dir, 'anchored.pdf');
    writeFileSync(file, below);
    expect(pdfsig(file).signatures[0]?.signatureValidation).toBe('Signature is Valid.');
  });
});
