/**
 * Valid files from another producer must come out intact (issue 13): Apache PDFBox (Debian's libpdfbox2-java,
 * driven by test/fixtures/pdfbox/PdfboxSign.java, the CMS made by `openssl cms`) signs a PDF 2.0 document twice,
 * and certifies one (DocMDP P=2) before an approval signature. Beside each, the tamper that must fail: an
 * approval signature after a P=1 certification.
 */
import { beforeAll, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPkcs12Signer, renderPdfReport, signPdf, verifyPdf } from '../../src/index.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { describeWithTools, pdfsig, run, scratchDir } from '../fixtures/tools.js';

const JARS = ['pdfbox2.jar', 'fontbox2.jar', 'commons-logging.jar'].map((j) => `/usr/share/java/${j}`);
const TOOL = fileURLToPath(new URL('../fixtures/pdfbox/PdfboxSign.java', import.meta.url));
const sample = fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
const trust = () => [pkiFile('root.cert.pem')];
let dir: string;

/** PDFBox signs `input` into `output` as the leaf `who` (rsa2048, rsa4096…), with `extra` options (certify=2, md=…). */
function pdfbox(input: string, output: string, who: string, ...extra: string[]): string {
  const r = run(
    'java',
    [
      '-cp',
      JARS.join(':'),
      TOOL,
      'sign',
      input,
      output,
      pkiPath(`${who}.cert.pem`),
      pkiPath(`${who}.key.pem`),
      pkiPath('intermediate.cert.pem'),
      ...extra,
    ],
    { timeoutMs: 120_000 },
  );
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return output;
}

const head = (text: string) => text.split('\n')[0];

describeWithTools(['java', 'openssl', 'qpdf', 'pdfsig'], 'PDFBox-signed documents', () => {
  let pdf20: string;
  beforeAll(() => {
    for (const jar of JARS) expect(existsSync(jar), `${jar}: apt-get install libpdfbox2-java`).toBe(true);
    dir = scratchDir('kyso-pdfbox-');
    // PDF 2.0 with object streams and a cross-reference stream, as qpdf writes it
    pdf20 = join(dir, 'pdf20.pdf');
    expect(run('qpdf', ['--force-version=2.0', '--object-streams=generate', sample, pdf20]).status).toBe(0);
    expect(readFileSync(pdf20).subarray(0, 8).toString()).toBe('%PDF-2.0');
  });

  it(
    'a PDF 2.0 document signed twice: both signatures intact, the second revision permitted',
    { timeout: 240_000 },
    async () => {
      const twice = pdfbox(pdfbox(pdf20, join(dir, 'pdf20-1.pdf'), 'rsa2048'), join(dir, 'pdf20-2.pdf'), 'rsa4096');
      const report = await verifyPdf(readFileSync(twice), { trust: trust() });
      expect(report.indication, renderPdfReport(report)).toBe('TOTAL_PASSED');
      expect(report.signatures.map((s) => s.modifications?.verdict)).toEqual(['permitted-changes', 'whole-document']);
      expect(head(renderPdfReport(report, 'pdf20.pdf'))).toBe('pdf20.pdf: TOTAL_PASSED — 2 signatures, 3 revisions');
      expect(pdfsig(twice).signatures.map((s) => s.signatureValidation)).toEqual([
        'Signature is Valid.',
        'Signature is Valid.',
      ]);
    },
  );

  it(
    'certified P=2 by PDFBox, then an approval signature by PDFBox or by kyso: intact (DocMDP P=2 permits it)',
    { timeout: 240_000 },
    async () => {
      const certified = pdfbox(pdf20, join(dir, 'p2.pdf'), 'rsa2048', 'certify=2');
      const approved = pdfbox(certified, join(dir, 'p2-approved.pdf'), 'rsa4096');
      const report = await verifyPdf(readFileSync(approved), { trust: trust() });
      expect(report.indication, renderPdfReport(report)).toBe('TOTAL_PASSED');
      expect(report.signatures[0]!.certification).toEqual({ permissions: 2 });
      expect(renderPdfReport(report)).toContain('Certifies:   DocMDP P=2 (form filling and signing allowed)');
      const seal = await loadPkcs12Signer(pkiFile('p256.p12'), { password: P12_PASSWORD });
      const byKyso = await signPdf(readFileSync(certified), { signer: seal });
      expect((await verifyPdf(byKyso, { trust: trust() })).indication).toBe('TOTAL_PASSED');
      const file = join(dir, 'p2-kyso.pdf');
      writeFileSync(file, byKyso);
      expect(pdfsig(file).signatures.every((s) => s.signatureValidation === 'Signature is Valid.')).toBe(true);
    },
  );

  it(
    'the tamper beside it: an approval signature after a P=1 certification is not permitted',
    { timeout: 240_000 },
    async () => {
      const certified = pdfbox(pdf20, join(dir, 'p1.pdf'), 'rsa2048', 'certify=1');
      const approved = pdfbox(certified, join(dir, 'p1-approved.pdf'), 'rsa4096');
      const report = await verifyPdf(readFileSync(approved), { trust: trust() });
      expect(report.indication).toBe('TOTAL_FAILED');
      expect(report.signatures[0]!.modifications?.verdict).toBe('not-permitted-changes');
      expect(renderPdfReport(report)).toContain('NOT PERMITTED: a signature was added');
    },
  );
});
