/**
 * Verdicts people can act on (issue 13): each broken file says what is broken, in the report and in the
 * text a person reads, and where a peer verifier (pdfsig, xmlsec1) looks at the same file it agrees.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument } from 'pdf-lib';
import {
  loadPkcs12Signer,
  renderPdfReport,
  renderXmlReport,
  signPdf,
  signXml,
  verifyPdf,
  verifyXml,
  type Signer,
} from '../../src/index.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { appendRawUpdate, appendUpdate } from '../fixtures/pdf-updates.js';
import { fromLatin1, latin1, concatBytes } from '../../src/core/bytes.js';
import { PdfDict, name } from '../../src/pdf/objects.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { editCms, withoutCertificates, zeroContents } from '../fixtures/pdf-verdicts.js';
import { describeWithTools, pdfsig, run, scratchDir } from '../fixtures/tools.js';
import { PdfRef } from '../../src/pdf/objects.js';

const sample = new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url);
const example = (f: string) => readFileSync(fileURLToPath(new URL(`../../examples/xml/${f}`, import.meta.url)));
const trust = () => [pkiFile('root.cert.pem')];
let person: Signer;
let seal: Signer;
let once: Uint8Array;
let twice: Uint8Array;
let dir: string;

beforeAll(async () => {
  dir = scratchDir('kyso-verdicts-');
  person = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  seal = await loadPkcs12Signer(pkiFile('p256.p12'), { password: P12_PASSWORD });
  once = await signPdf(readFileSync(sample), { signer: person });
  twice = await signPdf(once, { signer: seal });
});

const head = (text: string) => text.split('\n')[0];

/** A merge tool's copy: the pages (with their signature widgets) in a new document, without the form. */
async function mergedCopy(pdf: Uint8Array): Promise<Uint8Array> {
  const src = await PDFDocument.load(pdf);
  const out = await PDFDocument.create();
  for (const p of await out.copyPages(src, src.getPageIndices())) out.addPage(p);
  return out.save({ useObjectStreams: false });
}

/** An incremental update that empties the form's field list (the signature stays in the earlier revision). */
function dropFields(pdf: Uint8Array): Uint8Array {
  return appendUpdate(pdf, (w, r) => {
    const form = r.resolveDict(r.catalog().get('AcroForm'))!.clone().set('Fields', []);
    const ref = r.catalog().get('AcroForm');
    if (ref instanceof PdfRef) w.set(ref, form);
    else w.set(r.trailer.get('Root') as PdfRef, r.catalog().clone().set('AcroForm', form));
  });
}

describe("a valid update with broken offsets (as in DSS's five-signatures sample)", () => {
  /**
   * A DSS update whose writer got every offset wrong by the same amount: its startxref points past its own
   * %%EOF and its xref entries miss their objects. Readers reconstruct it (poppler does, and DSS accepts the
   * file); the objects it lists are what it added, not objects "appended without a cross-reference entry".
   */
  function shiftedDssUpdate(pdf: Uint8Array, shift: number): Uint8Array {
    const r = PdfReader.open(pdf);
    const root = r.trailer.get('Root') as PdfRef;
    const dss = r.size;
    const updated = appendRawUpdate(pdf, [
      [dss, new PdfDict().set('Type', name('DSS')).set('Certs', [])],
      [root.num, r.catalog().clone().set('DSS', new PdfRef(dss, 0))],
    ]);
    const tail = fromLatin1(updated, pdf.length)
      .replace(
        /^(\d{10})( 00000 n)/gm,
        (_, o: string, rest: string) => `${String(Number(o) + shift).padStart(10, '0')}${rest}`,
      )
      .replace(/startxref\n(\d+)/, (_, o: string) => `startxref\n${Number(o) + shift}`);
    return concatBytes([pdf, latin1(tail)]);
  }

  it('the signatures before it stay intact; the DSS it adds is a permitted change', async () => {
    const report = await verifyPdf(shiftedDssUpdate(twice, 20_326), { trust: trust() });
    expect(report.revisions).toBe(4);
    expect(report.indication, renderPdfReport(report)).toBe('TOTAL_PASSED');
    const first = report.signatures[0]!.modifications!;
    expect(first.verdict).toBe('permitted-changes');
    expect(first.changes.map((c) => c.kind)).toContain('dss');
    expect(first.changes.some((c) => c.kind === 'appended-without-xref')).toBe(false);
  });

  it('an object appended outside any xref section is still caught (the tamper beside it)', async () => {
    const shifted = shiftedDssUpdate(twice, 20_326);
    const sneaky = concatBytes([shifted, latin1('\n999 0 obj\n(not in any xref)\nendobj\n')]);
    const report = await verifyPdf(sneaky, { trust: trust() });
    expect(report.indication).toBe('TOTAL_FAILED');
  });
});

describe('signatures cut off the document', () => {
  it('a merged copy whose signatures hang off page widgets only: TOTAL_FAILED, "2 signatures no longer cover the document"', async () => {
    const merged = await mergedCopy(twice);
    const report = await verifyPdf(merged, { trust: trust() });
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.signatures).toHaveLength(0);
    expect(report.hiddenSignatures).toHaveLength(2);
    expect(report.errors).toEqual([
      '2 signatures no longer cover the document: 2 whose signed byte ranges no longer fit the file (a merged or re-saved copy)',
    ]);
    expect(head(renderPdfReport(report, 'merged.pdf'))).toBe(
      'merged.pdf: TOTAL_FAILED (FORMAT_FAILURE) — 2 signatures no longer cover the document (0 signatures in the form, 1 revision)',
    );
    expect(renderPdfReport(report)).not.toContain('has no signature');
  });

  it('an update that drops the signature field from the form: TOTAL_FAILED, not INDETERMINATE', async () => {
    const report = await verifyPdf(dropFields(once), { trust: trust() });
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.errors).toEqual([
      '1 signature no longer covers the document: 1 whose field a later update removed from the form',
    ]);
    expect(report.hiddenSignatures[0]!.modifications!.changes.map((c) => c.detail)).toContain(
      'the form field list lost entries',
    );
    expect(head(renderPdfReport(report))).toBe(
      'TOTAL_FAILED (FORMAT_FAILURE) — 1 signature no longer covers the document (0 signatures in the form, 3 revisions)',
    );
  });

  it('the intact document is still TOTAL_PASSED (the rule does not fire on form signatures)', async () => {
    expect((await verifyPdf(twice, { trust: trust() })).indication).toBe('TOTAL_PASSED');
  });
});

describe('a CMS that cannot be checked, a signature never made', () => {
  it('no certificate in the CMS: INDETERMINATE NO_SIGNING_CERTIFICATE_FOUND, "could not be checked", never INVALID', async () => {
    const report = await verifyPdf(editCms(once, withoutCertificates), { trust: trust() });
    const s = report.signatures[0]!;
    expect(report.indication).toBe('INDETERMINATE');
    expect(s.subIndication).toBe('NO_SIGNING_CERTIFICATE_FOUND');
    expect(s.integrity).toMatchObject({ byteRange: true, digest: true, signatureValue: null });
    const text = renderPdfReport(report);
    expect(text).toContain('! signature could not be checked: no signer certificate');
    expect(text).toContain('signature not checked');
    expect(text).not.toContain('signature INVALID');
  });

  it('the CMS with its certificates back verifies (the tamper above is the only difference)', async () => {
    expect(
      (
        await verifyPdf(
          editCms(once, (cms) => cms),
          { trust: trust() },
        )
      ).indication,
    ).toBe('TOTAL_PASSED');
  });

  it('an all-zero /Contents placeholder: "the signature was never filled in"', async () => {
    const report = await verifyPdf(zeroContents(once), { trust: trust() });
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.signatures[0]!.errors[0]).toBe(
      'the signature was never filled in: /Contents is still the all-zero placeholder',
    );
    expect(renderPdfReport(report)).toContain('! the signature was never filled in');
  });
});

describeWithTools(['pdfsig'], 'pdfsig agrees on the broken files', () => {
  it('finds no valid signature in any of them', async () => {
    const files = {
      merged: await mergedCopy(twice),
      'no-certificate': editCms(once, withoutCertificates),
      'zero-contents': zeroContents(once),
    };
    for (const [name, bytes] of Object.entries(files)) {
      const file = join(dir, `${name}.pdf`);
      writeFileSync(file, bytes);
      const peer = pdfsig(file);
      expect(peer.signatures.length, name).toBeGreaterThan(0);
      expect(
        peer.signatures.some((s) => /Signature is Valid/.test(s.signatureValidation ?? '')),
        `${name}: ${peer.output}`,
      ).toBe(false);
    }
  });
});

describe('XML: the business element', () => {
  it('a changed DLHDon is HASH_FAILURE with the signer shown, not "another element was signed"', async () => {
    const signed = new TextDecoder().decode(
      await signXml(example('einvoice-tt78.xml'), { signer: person, profile: 'einvoice', includeChain: true }),
    );
    const at = signed.indexOf('<DLHDon');
    const tampered = signed.slice(0, at) + signed.slice(at).replace(/>(\d+)</, (_, d: string) => `>${Number(d) + 1}<`);
    const report = await verifyXml(tampered, { trust: trust() });
    const s = report.signatures[0]!;
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(s.subIndication).toBe('HASH_FAILURE');
    expect(s.certificate?.subject).toContain('Nguyễn Văn An');
    expect(s.errors).toHaveLength(1);
    const text = renderXmlReport(report);
    expect(text).toContain('Signer:      ');
    expect(text).toContain(
      'Signed data: DLHDon — the signature references it, but it changed after signing (digest mismatch)',
    );
    expect(text).not.toContain('is not the one the signature references');
  });
});

describeWithTools(['xmlsec1'], 'XML: a whole-document signature made by a generic tool', () => {
  const template =
    '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>' +
    '<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms>' +
    '<DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate/></X509Data></KeyInfo></Signature>';
  let signedFile: string;
  beforeAll(() => {
    const xml = example('einvoice-tt78.xml').toString('utf8');
    const tmpl = join(dir, 'einvoice-template.xml');
    writeFileSync(tmpl, xml.replace('<DSCKS>', `<DSCKS><NBan>${template}</NBan>`));
    signedFile = join(dir, 'einvoice-xmlsec1.xml');
    const r = run('xmlsec1', [
      '--sign',
      '--privkey-pem',
      `${pkiPath('rsa2048.key.pem')},${pkiPath('rsa2048.cert.pem')}`,
      '--output',
      signedFile,
      tmpl,
    ]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('URI="" with the enveloped transform covers DLHDon: TOTAL_PASSED, as xmlsec1 says', async () => {
    expect(run('xmlsec1', ['--verify', '--insecure', signedFile]).status).toBe(0);
    const report = await verifyXml(readFileSync(signedFile), {
      trust: trust(),
      certificates: [readFileSync(pkiPath('intermediate.cert.pem'), 'utf8')],
    });
    expect(report.profile).toBe('einvoice');
    expect(report.signatures[0]!.businessElement).toMatchObject({ rule: 'DLHDon', signed: true });
    expect(report.indication, report.signatures[0]!.errors.join('; ')).toBe('TOTAL_PASSED');
    expect(renderXmlReport(report)).toContain('Signed data: exactly /HDon[1]/DLHDon[1]');
  });

  it('the same file with DLHDon changed: HASH_FAILURE, and xmlsec1 rejects it too', async () => {
    const text = readFileSync(signedFile, 'utf8');
    const at = text.indexOf('<DLHDon');
    const tampered = join(dir, 'einvoice-xmlsec1-tampered.xml');
    writeFileSync(
      tampered,
      text.slice(0, at) + text.slice(at).replace(/>(\d+)</, (_, d: string) => `>${Number(d) + 1}<`),
    );
    expect(run('xmlsec1', ['--verify', '--insecure', tampered]).status).not.toBe(0);
    const report = await verifyXml(readFileSync(tampered), { trust: trust() });
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.subIndication).toBe('HASH_FAILURE');
  });
});
