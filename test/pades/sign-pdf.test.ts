import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import {
  finishPdfSigning,
  loadPkcs12Signer,
  preparePdfSigning,
  signPdf,
  createExternalSigner,
  KysoError,
  type Signer,
} from '../../src/index.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import { describeWithTools, opensslCmsVerify, pdfsig, qpdfCheck, run, scratchDir } from '../fixtures/tools.js';

const signers: Record<string, Signer> = {};
let plain: Uint8Array;
const dir = scratchDir('kyso-sign-');

async function onePage(useObjectStreams: boolean, text = 'Công văn số 1'): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  doc.addPage([595, 842]).drawText(
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd'),
    { x: 72, y: 770, size: 14, font },
  );
  return doc.save({ useObjectStreams });
}

function save(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

beforeAll(async () => {
  for (const name of ['rsa2048', 'rsa4096', 'p256', 'p384'])
    signers[name] = await loadPkcs12Signer(pkiFile(`${name}.p12`), { password: P12_PASSWORD });
  plain = await onePage(false);
});

describe('signPdf', () => {
  it('appends an incremental update: the output begins with the exact input bytes', async () => {
    const signed = await signPdf(plain, { signer: signers.rsa2048!, reason: 'Phê duyệt', location: 'Hà Nội' });
    expect(signed.length).toBeGreaterThan(plain.length);
    expect(Buffer.from(signed.subarray(0, plain.length)).equals(Buffer.from(plain))).toBe(true);
  });
  it('reserves /Contents from the real signature size (no megabytes of zeros)', async () => {
    const small = await signPdf(plain, { signer: signers.p256! });
    const big = await signPdf(plain, { signer: signers.rsa4096! });
    expect(small.length - plain.length).toBeLessThan(12_000);
    expect(big.length - plain.length).toBeLessThan(14_000);
  });
  it('refuses what is not a PDF, a truncated PDF and an encrypted PDF with typed errors', async () => {
    const code = async (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e) => (e instanceof KysoError ? e.code : `untyped: ${e}`),
      );
    expect(await code(signPdf(new TextEncoder().encode('hello world'), { signer: signers.rsa2048! }))).toBe(
      'ERR_PDF_MALFORMED',
    );
    expect(await code(signPdf(plain.subarray(0, 200), { signer: signers.rsa2048! }))).toBe('ERR_PDF_MALFORMED');
    const enc = join(dir, 'enc.pdf');
    run('qpdf', ['--encrypt', 'u', 'o', '256', '--', save('to-encrypt.pdf', plain), enc]);
    expect(await code(signPdf(readFileSync(enc), { signer: signers.rsa2048! }))).toBe('ERR_PDF_ENCRYPTED');
  });
  it('staged signing: prepare, sign the digest elsewhere, finish — survives JSON', async () => {
    const signer = signers.p256!;
    const prepared = await preparePdfSigning(plain, {
      certificate: signer.certificate,
      chain: signer.chain,
      algorithm: signer.algorithms[0]!,
      reason: 'Ký từ xa',
    });
    const state = JSON.parse(JSON.stringify(prepared.state));
    const signature = await signer.sign(prepared.toBeSigned, prepared.algorithm);
    const signed = await finishPdfSigning(plain, state, signature);
    expect(Buffer.from(signed.subarray(0, plain.length)).equals(Buffer.from(plain))).toBe(true);
    const other = await onePage(false, 'Khác');
    await expect(finishPdfSigning(other, state, signature)).rejects.toMatchObject({ code: 'ERR_SIGNING_STATE' });
    await expect(finishPdfSigning(plain, { ...state, version: 2 }, signature)).rejects.toMatchObject({
      code: 'ERR_SIGNING_STATE',
    });
  });
});

describeWithTools(
  ['pdfsig', 'qpdf', 'openssl', 'certutil'],
  'interop: pdfsig, qpdf and openssl accept what kyso signs',
  () => {
    const expectValid = (file: string, count: number) => {
      expect(qpdfCheck(file).status, qpdfCheck(file).stdout).toBe(0);
      const report = pdfsig(file);
      expect(report.signatures.length, report.output).toBe(count);
      for (const s of report.signatures) {
        expect(s.signatureValidation, report.output).toBe('Signature is Valid.');
        expect(s.certificateValidation, report.output).toBe('Certificate is Trusted.');
      }
      expect(report.signatures[count - 1]!.wholeDocument, report.output).toBe(true);
      return report;
    };

    for (const name of ['rsa2048', 'rsa4096', 'p256', 'p384']) {
      it(`${name}, ETSI.CAdES.detached`, async () => {
        const file = save(
          `${name}.pdf`,
          await signPdf(plain, { signer: signers[name]!, reason: 'Phê duyệt', location: 'Hà Nội' }),
        );
        const r = expectValid(file, 1);
        expect(r.signatures[0]!.subFilter).toBe('ETSI.CAdES.detached');
      });
    }
    it('RSA-PSS and SHA-512', async () => {
      expectValid(save('pss.pdf', await signPdf(plain, { signer: signers.rsa2048!, pss: true })), 1);
      expectValid(save('sha512.pdf', await signPdf(plain, { signer: signers.rsa2048!, hash: 'SHA-512' })), 1);
    });
    it('adbe.pkcs7.detached on request', async () => {
      const r = expectValid(
        save('legacy.pdf', await signPdf(plain, { signer: signers.rsa2048!, subFilter: 'adbe.pkcs7.detached' })),
        1,
      );
      expect(r.signatures[0]!.subFilter).toBe('adbe.pkcs7.detached');
    });
    it('three signatures in a row all stay valid', async () => {
      let doc = plain;
      for (const name of ['rsa2048', 'p256', 'rsa4096']) doc = await signPdf(doc, { signer: signers[name]! });
      const r = expectValid(save('three.pdf', doc), 3);
      expect(r.signatures.map((s) => s.signerName)).toEqual([
        'Nguyễn Văn An',
        'Trần Thị Bình',
        'Ủy ban nhân dân tỉnh Thử Nghiệm',
      ]);
    });
    it('openssl cms -verify accepts the CMS over the ByteRange-covered bytes; a flipped byte fails', async () => {
      const signed = await signPdf(plain, { signer: signers.rsa2048! });
      const text = Buffer.from(signed).toString('latin1');
      const m = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)].pop()!;
      const [a, b, c, d] = m.slice(1).map(Number) as [number, number, number, number];
      const covered = Buffer.concat([signed.subarray(a, a + b), signed.subarray(c, c + d)]);
      const hex = text.slice(a + b + 1, c - 1).replace(/(00)+$/, '');
      const cms = Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex');
      const content = save('covered.bin', covered);
      const sig = save('sig.p7s', cms);
      const ok = opensslCmsVerify(sig, content);
      expect(ok.status, ok.stderr).toBe(0);
      covered[100] = covered[100]! ^ 1;
      save('covered.bin', covered);
      const bad = opensslCmsVerify(sig, content);
      expect(bad.status).not.toBe(0);
    });
    it('pdfsig reports a tampered signed file as invalid', async () => {
      const signed = await signPdf(plain, { signer: signers.rsa2048! });
      signed[40] = signed[40]! ^ 0x01; // inside the first object, well within the signed range
      const r = pdfsig(save('tampered.pdf', signed));
      expect(r.signatures[0]!.signatureValidation).not.toBe('Signature is Valid.');
    });
    it('inputs from several producers: object streams, qpdf linearized and object-stream files, the sample document', async () => {
      const inputs: [string, Uint8Array][] = [['objstm.pdf', await onePage(true)]];
      const src = save('src.pdf', plain);
      for (const [name, args] of [
        ['lin.pdf', ['--linearize']],
        ['gen.pdf', ['--object-streams=generate']],
        ['qdf.pdf', ['--qdf']],
      ] as const) {
        run('qpdf', [...args, src, join(dir, name)]);
        inputs.push([name, readFileSync(join(dir, name))]);
      }
      inputs.push([
        'sample.pdf',
        readFileSync(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url)),
      ]);
      for (const [name, bytes] of inputs) {
        const once = await signPdf(bytes, { signer: signers.p256! });
        const twice = await signPdf(once, { signer: signers.rsa2048! });
        expectValid(save(`signed-${name}`, twice), 2);
      }
    });
    it('an external signer (digest callback) produces a valid signature', async () => {
      const local = signers.rsa2048!;
      const ext = await createExternalSigner({
        certificate: local.certificate,
        chain: local.chain,
        signData: (data, alg) => local.sign(data, alg),
      });
      expectValid(save('external.pdf', await signPdf(plain, { signer: ext })), 1);
    });
  },
);
