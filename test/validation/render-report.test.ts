import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HttpTimestampSource,
  loadPkcs12Signer,
  localeFromEnvironment,
  renderReport,
  signDetached,
  signPdf,
  signXml,
  timestamp,
  verifyDetached,
  verifyPdf,
  verifyTimestamp,
  verifyXml,
  type Signer,
} from '../../src/index.js';
import { MESSAGE_CODES, type CodeListsComplete } from '../../src/validation/render/codes.js';
import { CATALOGUES } from '../../src/validation/render/messages/index.js';
import { vietnamTime } from '../../src/validation/render/time.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import { appendRawUpdate, fillField, formDocument } from '../fixtures/pdf-updates.js';
import { createTsaIdentity, startTsaServer, type TsaServer } from '../fixtures/tsa-server.js';
import { PdfReader } from '../../src/pdf/reader.js';

// every code list names every member of its report type (a compile error otherwise)
const complete: CodeListsComplete = [true, true, true, true, true, true, true];

const trust = () => [pkiFile('root.cert.pem')];
let person: Signer;
let seal: Signer;
let twice: Uint8Array;
let tsa: TsaServer;

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
  tsa = await startTsaServer({ identity: createTsaIdentity() });
});
afterAll(() => tsa?.stop());

describe('message catalogues', () => {
  it('have a text for every code in every language, in NFC', () => {
    expect(complete.every(Boolean)).toBe(true);
    for (const [locale, catalogue] of Object.entries(CATALOGUES)) {
      for (const [section, codes] of Object.entries(MESSAGE_CODES)) {
        const texts = catalogue[section as keyof typeof MESSAGE_CODES] as Record<string, string>;
        for (const code of codes) {
          const text = texts[code];
          expect(typeof text === 'string' && text.trim().length > 0, `${locale}: ${section}.${code} has no text`).toBe(
            true,
          );
          expect(text!.normalize('NFC'), `${locale}: ${section}.${code}`).toBe(text);
        }
        expect(Object.keys(texts).sort(), `${locale}: ${section} has texts for codes that do not exist`).toEqual(
          [...codes].sort(),
        );
      }
    }
  });
  it('Vietnamese texts are Vietnamese: the verdicts the issue names, and no sub-indication left in English', () => {
    expect(CATALOGUES.vi.verdict).toEqual({
      TOTAL_PASSED: 'Chữ ký hợp lệ',
      INDETERMINATE: 'Không xác định',
      TOTAL_FAILED: 'Chữ ký không hợp lệ',
    });
    for (const code of MESSAGE_CODES.subIndication)
      expect(CATALOGUES.vi.subIndication[code]).not.toBe(CATALOGUES.en.subIndication[code]);
    for (const code of MESSAGE_CODES.change)
      expect(CATALOGUES.vi.change[code]).toMatch(/[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]/);
  });
});

describe('times in Vietnam', () => {
  it('are read on Asia/Ho_Chi_Minh clocks (UTC+7), across a day boundary', () => {
    expect(vietnamTime(new Date('2026-12-05T17:30:05Z'))).toEqual({
      year: '2026',
      month: '12',
      day: '06',
      hour: '00',
      minute: '30',
      second: '05',
    });
    expect(CATALOGUES.vi.text.time(new Date('2026-12-05T17:30:05Z'))).toBe('00:30:05 ngày 06/12/2026 (giờ Việt Nam)');
    expect(CATALOGUES.en.text.time(new Date('2026-12-05T17:30:05Z'))).toBe('2026-12-06 00:30:05 (Vietnam time)');
  });
});

describe('renderReport', () => {
  it('in Vietnamese: the verdict, signer with CCCD/MST, the time in Vietnam, the PAdES level and what changed', async () => {
    const report = await verifyPdf(twice, { trust: trust() });
    const text = renderReport(report, { locale: 'vi', file: 'quyết-định.pdf' });
    expect(text.split('\n')[0]).toBe('quyết-định.pdf: Chữ ký hợp lệ — 2 chữ ký, 3 phiên bản');
    expect(text).toContain('Chữ ký chứng nhận #1 “Signature1”: Chữ ký hợp lệ');
    expect(text).toContain('Người ký:     Nguyễn Văn An (CCCD 001089012345)');
    expect(text).toContain('Người ký:     Ủy ban nhân dân tỉnh Thử Nghiệm (MST 0101234567)');
    expect(text).toMatch(/Thời điểm ký: \d\d:\d\d:\d\d ngày \d\d\/\d\d\/\d{4} \(giờ Việt Nam\)/);
    expect(text).toContain('Lý do ký:     Phê duyệt');
    expect(text).toContain('Mức chữ ký:   PAdES B-B (chữ ký cơ bản)');
    expect(text).toContain('Chứng nhận:   DocMDP P=2 (cho phép điền biểu mẫu và ký tiếp)');
    expect(text).toContain('Sau khi ký:   có bổ sung, tất cả đều được phép (chữ ký áp dụng cho phiên bản 2)');
    expect(text).toContain('Sau khi ký:   không có sửa đổi nào (chữ ký áp dụng cho phiên bản 3)');
    expect(text).not.toMatch(/PASSED|FAILED|INDETERMINATE/);
    expect(text.normalize('NFC')).toBe(text);
    // the claimed time, shown in Vietnam's time: the same instant as the report's
    const claimed = new Date(report.signatures[0]!.claimedSigningTime!);
    expect(text).toContain(CATALOGUES.vi.text.time(claimed));
  });
  it('in Vietnamese: a changed document is "Chữ ký không hợp lệ", with the change in words and the field by name', async () => {
    const deleted = await verifyPdf(appendRawUpdate(twice, [], { free: [PdfReader.open(twice).pages()[0]!.ref.num] }), {
      trust: trust(),
    });
    const text = renderReport(deleted, { locale: 'vi' });
    expect(text.split('\n')[0]).toBe('Chữ ký không hợp lệ — 2 chữ ký, 4 phiên bản');
    expect(text).toContain('Giải thích:   Tài liệu đã bị sửa đổi sau khi ký theo cách mà chữ ký không cho phép.');
    expect(text).toContain('- KHÔNG được phép: xóa một phần nội dung đã ký');
    const filled = await verifyPdf(fillField(await signPdf(await formDocument(), { signer: person }), 'amount', '9'), {
      trust: trust(),
    });
    expect(renderReport(filled, { locale: 'vi' })).toContain(
      '- KHÔNG được phép: điền hoặc sửa ô nhập liệu của biểu mẫu (ô “amount”)',
    );
  });
  it('in Vietnamese: without trust anchors "Không xác định", and why in plain words', async () => {
    const text = renderReport(await verifyPdf(twice), { locale: 'vi' });
    expect(text.split('\n')[0]).toBe('Không xác định — 2 chữ ký, 3 phiên bản');
    expect(text).toContain(`Giải thích:   ${CATALOGUES.vi.subIndication.NO_CERTIFICATE_CHAIN_FOUND}`);
    // each finding in Vietnamese by its code, the verifier's English message only as the technical detail
    expect(text).toContain(
      `  ! ${CATALOGUES.vi.finding['no-trust-anchors']} (chi tiết kỹ thuật: no trust anchors were given`,
    );
    expect(renderReport(await verifyPdf(twice), { locale: 'en' })).not.toContain(
      CATALOGUES.en.finding['no-trust-anchors'],
    );
  });
  it('in English by default, as renderPdfReport always wrote it, plus the reason in plain words', async () => {
    const text = renderReport(await verifyPdf(twice));
    expect(text.split('\n')[0]).toBe('INDETERMINATE (NO_CERTIFICATE_CHAIN_FOUND) — 2 signatures, 3 revisions');
    expect(text).toContain(`  Why:         ${CATALOGUES.en.subIndication.NO_CERTIFICATE_CHAIN_FOUND}`);
    expect(text).toContain('Signer:      Nguyễn Văn An (CCCD 001089012345)');
  });
  it('an XML e-invoice, a .p7s and a .tsr, in both languages, valid and tampered', async () => {
    const xml = readFileSync(new URL('../../examples/xml/einvoice-tt78.xml', import.meta.url), 'utf8');
    const signedXml = await signXml(xml, { signer: seal, profile: 'einvoice' });
    const okXml = renderReport(
      await verifyXml(signedXml, { trust: trust(), certificates: [pkiFile('intermediate.cert.pem')] }),
      { locale: 'vi', file: 'hoa-don.xml' },
    );
    expect(okXml.split('\n')[0]).toBe('hoa-don.xml: Chữ ký hợp lệ — 1 chữ ký XML, hóa đơn điện tử');
    expect(okXml).toContain('Người ký:     Ủy ban nhân dân tỉnh Thử Nghiệm (MST 0101234567)');
    expect(okXml).toContain('Toàn vẹn:     mọi phần đã ký và giá trị chữ ký đều đúng');
    const badXml = renderReport(
      await verifyXml(new TextDecoder().decode(signedXml).replace('<THTTLTSuat>', '<THTTLTSuat> '), {
        trust: trust(),
        certificates: [pkiFile('intermediate.cert.pem')],
      }),
      { locale: 'vi' },
    );
    expect(badXml.split('\n')[0]).toMatch(/^Chữ ký không hợp lệ/);
    expect(badXml).toContain(CATALOGUES.vi.subIndication.HASH_FAILURE);

    const data = new TextEncoder().encode('Hợp đồng số 12/2026');
    const p7s = await signDetached(data, { signer: person });
    const okP7s = renderReport(await verifyDetached(data, p7s, { trust: trust() }), {
      locale: 'vi',
      file: 'hop-dong.txt',
    });
    expect(okP7s.split('\n')[0]).toBe('hop-dong.txt: chữ ký tách rời: Chữ ký hợp lệ — người ký: Nguyễn Văn An');
    const badP7s = renderReport(
      await verifyDetached(new TextEncoder().encode('Hợp đồng số 13/2026'), p7s, { trust: trust() }),
      { locale: 'en' },
    );
    expect(badP7s.split('\n')[0]).toBe('detached signature: TOTAL_FAILED (HASH_FAILURE) — signed by Nguyễn Văn An');

    const { response } = await timestamp(data, { tsa: new HttpTimestampSource({ url: tsa.url }) });
    const okTsr = renderReport(await verifyTimestamp(data, response, { trust: trust() }), { locale: 'vi' });
    expect(okTsr.split('\n')[0]).toMatch(
      /^dấu thời gian: Dấu thời gian hợp lệ — \d\d:\d\d:\d\d ngày .* \(giờ Việt Nam\)$/,
    );
    const badTsr = renderReport(await verifyTimestamp(new Uint8Array([1]), response, { trust: trust() }), {
      locale: 'vi',
    });
    expect(badTsr).toContain('Dấu thời gian không hợp lệ');
    expect(badTsr).toContain('dấu thời gian áp dụng cho dữ liệu khác, không phải tệp này');
  });
});

describe('localeFromEnvironment', () => {
  it('is Vietnamese for vi_VN locales (LC_ALL over LANG), English otherwise', () => {
    expect(localeFromEnvironment({ LANG: 'vi_VN.UTF-8' })).toBe('vi');
    expect(localeFromEnvironment({ LANG: 'vi' })).toBe('vi');
    expect(localeFromEnvironment({ LC_ALL: 'en_US.UTF-8', LANG: 'vi_VN.UTF-8' })).toBe('en');
    expect(localeFromEnvironment({ LANG: 'C.UTF-8' })).toBe('en');
    expect(localeFromEnvironment({ LANG: 'vietnamese' })).toBe('en');
    expect(localeFromEnvironment({})).toBe('en');
  });
});
