import { beforeAll, describe, expect, it } from 'vitest';
import { loadPkcs12Signer, renderPdfReport, signPdf, verifyPdf, type Signer } from '../../src/index.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import { appendRawUpdate, fillField, formDocument } from '../fixtures/pdf-updates.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { findSignatureFields } from '../../src/pdf/signature-scan.js';

const trust = () => [pkiFile('root.cert.pem')];
let person: Signer;
let seal: Signer;
let twice: Uint8Array;

beforeAll(async () => {
  person = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  seal = await loadPkcs12Signer(pkiFile('rsa4096.p12'), { password: P12_PASSWORD });
  const certified = await signPdf(await formDocument(), {
    signer: person,
    certify: 2,
    reason: 'Phê duyệt',
    location: 'Hà Nội',
  });
  twice = await signPdf(certified, { signer: seal, reason: 'Đóng dấu' });
});

const blocks = (text: string) =>
  text.split('\n').filter((l) => /^(Certification signature|Signature|Hidden signature|Document timestamp) #/.test(l));

describe('renderPdfReport', () => {
  it('one block per signature, with the Vietnamese names, MST and CCCD as they are', async () => {
    const text = renderPdfReport(await verifyPdf(twice, { trust: trust() }), 'quyết-định.pdf');
    expect(text.split('\n')[0]).toBe('quyết-định.pdf: TOTAL_PASSED — 2 signatures, 3 revisions');
    expect(blocks(text)).toEqual([
      'Certification signature #1 "Signature1": TOTAL_PASSED',
      'Signature #2 "Signature2": TOTAL_PASSED',
    ]);
    expect(text).toContain('Signer:      Nguyễn Văn An (CCCD 001089012345)');
    expect(text).toContain('Signer:      Ủy ban nhân dân tỉnh Thử Nghiệm (MST 0101234567)');
    expect(text).toContain('Reason:      Phê duyệt');
    expect(text).toContain('Location:    Hà Nội');
    expect(text).toContain('Certifies:   DocMDP P=2 (form filling and signing allowed)');
    expect(text).toContain('RSA 4096');
    expect(text.normalize('NFC')).toBe(text);
  });
  it('says "covers the whole document", "later changes, all permitted" and "later changes, NOT permitted" apart', async () => {
    const ok = renderPdfReport(await verifyPdf(twice, { trust: trust() }));
    expect(ok).toContain('Coverage:    later changes, all permitted (signs revision 2)');
    expect(ok).toContain('Coverage:    covers the whole document (signs revision 3)');
    const changed = renderPdfReport(
      await verifyPdf(appendRawUpdate(twice, [], { free: [PdfReader.open(twice).pages()[0]!.ref.num] }), {
        trust: trust(),
      }),
    );
    expect(changed.split('\n')[0]).toMatch(/^TOTAL_FAILED \(FORMAT_FAILURE\)/);
    expect(changed).toContain('Coverage:    later changes, NOT permitted');
    expect(changed).toMatch(/- NOT PERMITTED: object \d+ was deleted/);
  });
  it('states why a signature is not passed', async () => {
    const text = renderPdfReport(await verifyPdf(twice));
    expect(text.split('\n')[0]).toBe('INDETERMINATE (NO_CERTIFICATE_CHAIN_FOUND) — 2 signatures, 3 revisions');
    expect(text).toContain('! no trust anchors were given, so the signer cannot be trusted');
    const tampered = renderPdfReport(
      await verifyPdf(fillField(await signPdf(await formDocument(), { signer: person }), 'amount', '9'), {
        trust: trust(),
      }),
    );
    expect(tampered).toContain('NOT PERMITTED: the field "amount" changed after signing');
  });
  it('lists hidden signatures in their own blocks, after the form’s', async () => {
    const reader = PdfReader.open(twice);
    const copy = reader.resolveDict(findSignatureFields(reader).signed[0]!.signatureRef)!;
    const text = renderPdfReport(await verifyPdf(appendRawUpdate(twice, [[950, copy]]), { trust: trust() }));
    expect(blocks(text).at(-1)).toMatch(/^Hidden signature #1 \(in no signature field of the form\): TOTAL_FAILED/);
    expect(text.split('\n')[0]).toBe(
      'TOTAL_FAILED (FORMAT_FAILURE) — 1 signature no longer covers the document (2 signatures in the form, 4 revisions)',
    );
  });
});
