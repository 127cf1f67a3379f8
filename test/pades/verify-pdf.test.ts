import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { concatBytes, latin1 } from '../../src/core/bytes.js';
import { PdfDict, PdfRef, PdfStream, PdfString, name } from '../../src/pdf/objects.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { loadPkcs12Signer, signPdf, verifyPdf, type Signer } from '../../src/index.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import {
  addToFirstPage,
  annotation,
  appendRawUpdate,
  appendUpdate,
  contentStream,
  firstPage,
} from '../fixtures/pdf-updates.js';

let signer: Signer;
let plain: Uint8Array;
let signed: Uint8Array;
const trust = () => [pkiFile('root.cert.pem')];

const pageRef = firstPage;

beforeAll(async () => {
  signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  doc.addPage([595, 842]).drawText('So tien: 1.000.000 dong', { x: 72, y: 770, size: 14, font });
  const form = doc.getForm();
  form.createTextField('amount').addToPage(doc.getPage(0), { x: 72, y: 600, width: 200, height: 20 });
  plain = await doc.save({ useObjectStreams: false });
  signed = await signPdf(plain, { signer, reason: 'Phê duyệt' });
});

describe('verifyPdf on our own signatures', () => {
  it('passes with the test root as trust anchor, and reports the signer in Vietnamese', async () => {
    const r = await verifyPdf(signed, { trust: trust() });
    expect(r.indication).toBe('TOTAL_PASSED');
    const s = r.signatures[0]!;
    expect(s.integrity).toEqual({
      byteRange: true,
      format: true,
      digest: true,
      signatureValue: true,
      signingCertificate: 'match',
    });
    expect(s.signer?.subject.commonName).toBe('Nguyễn Văn An');
    expect(s.signer?.subject.citizenId).toBe('001089012345');
    expect(s.reason).toBe('Phê duyệt');
    expect(s.modifications?.verdict).toBe('whole-document');
    expect(JSON.parse(JSON.stringify(r)).signatures[0].indication).toBe('TOTAL_PASSED');
  });
  it('is INDETERMINATE without trust anchors and with the wrong one — never passed', async () => {
    expect((await verifyPdf(signed)).subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    const other = await verifyPdf(signed, { trust: [pkiFile('other-root.cert.pem')] });
    expect(other.indication).toBe('INDETERMINATE');
    expect(other.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });
  it('an expired signer certificate without a timestamp is OUT_OF_BOUNDS_NO_POE', async () => {
    const expired = await loadPkcs12Signer(pkiFile('expired.p12'), { password: P12_PASSWORD });
    const r = await verifyPdf(await signPdf(plain, { signer: expired }), { trust: trust() });
    expect(r.indication).toBe('INDETERMINATE');
    expect(r.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
  });
  it('a signer under another root: NO_CERTIFICATE_CHAIN_FOUND with our root, passed with its own', async () => {
    const stranger = await signPdf(plain, {
      signer: await loadPkcs12Signer(pkiFile('stranger.p12'), { password: P12_PASSWORD }),
    });
    const r = await verifyPdf(stranger, { trust: trust() });
    expect([r.indication, r.subIndication]).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
    expect((await verifyPdf(stranger, { trust: [pkiFile('other-root.cert.pem')] })).indication).toBe('TOTAL_PASSED');
  });
  it('a certificate whose key usage does not allow signing is INDETERMINATE (CHAIN_CONSTRAINTS_FAILURE)', async () => {
    const r = await verifyPdf(
      await signPdf(plain, { signer: await loadPkcs12Signer(pkiFile('nosign.p12'), { password: P12_PASSWORD }) }),
      { trust: trust() },
    );
    expect([r.indication, r.subIndication]).toEqual(['INDETERMINATE', 'CHAIN_CONSTRAINTS_FAILURE']);
    expect(r.signatures[0]!.chain?.status).toBe('key-usage');
  });
  it('reports whether the certificate was valid at the claimed signing time (/M)', async () => {
    const expired = await loadPkcs12Signer(pkiFile('expired.p12'), { password: P12_PASSWORD });
    const then = await signPdf(plain, { signer: expired, signingTime: new Date('2020-06-01T00:00:00Z') });
    const s = (await verifyPdf(then, { trust: trust() })).signatures[0]!;
    expect(s).toMatchObject({
      claimedSigningTime: '2020-06-01T00:00:00.000Z',
      claimedSigningTimeSource: '/M',
      certificateValidAtClaimedTime: true,
    });
    const late = (
      await verifyPdf(await signPdf(plain, { signer: expired, signingTime: new Date('2022-06-01T00:00:00Z') }), {
        trust: trust(),
      })
    ).signatures[0]!;
    expect(late.certificateValidAtClaimedTime).toBe(false);
    expect(late.warnings.join()).toMatch(/outside the certificate's validity/);
    // the claimed time is not proof: at the validation time the certificate has expired, whatever /M says
    expect(late.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
    expect((await verifyPdf(then, { trust: trust(), time: new Date('2020-06-02T00:00:00Z') })).indication).toBe(
      'TOTAL_PASSED',
    );
  });
  it('a later signature keeps the earlier one passed, with its changes permitted', async () => {
    const p256 = await loadPkcs12Signer(pkiFile('p256.p12'), { password: P12_PASSWORD });
    const twice = await signPdf(signed, { signer: p256 });
    const r = await verifyPdf(twice, { trust: trust() });
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(r.signatures.map((s) => s.modifications?.verdict)).toEqual(['permitted-changes', 'whole-document']);
  });
});

describe('tampering', () => {
  it('a changed byte inside the signed range is HASH_FAILURE', async () => {
    const t = signed.slice();
    t[60] = t[60]! ^ 1;
    const r = await verifyPdf(t, { trust: trust() });
    expect(r.indication).toBe('TOTAL_FAILED');
    expect(r.signatures[0]!.subIndication).toBe('HASH_FAILURE');
  });
  it('a changed byte of the signature value is SIG_CRYPTO_FAILURE or a format failure', async () => {
    const text = Buffer.from(signed).toString('latin1');
    const at = text.lastIndexOf('/Contents <') + 11 + 600;
    const t = signed.slice();
    t[at] = t[at] === 0x30 ? 0x31 : 0x30;
    const r = await verifyPdf(t, { trust: trust() });
    expect(r.indication).toBe('TOTAL_FAILED');
  });
  it('a ByteRange that does not cover the document is refused', async () => {
    const text = Buffer.from(signed).toString('latin1');
    const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(text)!;
    const replaced = `/ByteRange [0 ${Number(m[1]) - 10} ${m[2]} ${m[3]}]`.padEnd(m[0].length, ' ');
    const t = concatBytes([signed.subarray(0, m.index), latin1(replaced), signed.subarray(m.index + m[0].length)]);
    const r = await verifyPdf(t, { trust: trust() });
    expect(r.indication).toBe('TOTAL_FAILED');
    expect(r.signatures[0]!.subIndication).toBe('FORMAT_FAILURE');
  });
});

describe('attacks on PDF signatures (PDF Insecurity 2019, Shadow attacks 2021)', () => {
  const notPassed = async (bytes: Uint8Array) => {
    const r = await verifyPdf(bytes, { trust: trust() });
    expect(r.indication).not.toBe('TOTAL_PASSED');
    const s = r.signatures[0];
    expect(
      s === undefined || s.indication === 'TOTAL_FAILED' || s.modifications?.verdict === 'not-permitted-changes',
    ).toBe(true);
    return r;
  };
  const rewriteSig = (edit: (sig: PdfDict) => void) =>
    appendUpdate(signed, (w, r) => {
      const field = r.resolveDict((r.resolveDict(r.catalog().get('AcroForm'))!.get('Fields') as PdfRef[]).at(-1));
      const ref = field!.get('V') as PdfRef;
      const sig = r.resolveDict(ref)!.clone();
      edit(sig);
      w.set(ref, sig);
    });

  it('USF: /Contents removed', () => notPassed(rewriteSig((s) => s.delete('Contents'))));
  it('USF: /Contents empty', () =>
    notPassed(rewriteSig((s) => s.set('Contents', new PdfString(new Uint8Array(0), true)))));
  it('USF: /Contents null', () => notPassed(rewriteSig((s) => s.set('Contents', null))));
  it('USF: /Contents a zero-filled placeholder', () =>
    notPassed(rewriteSig((s) => s.set('Contents', new PdfString(new Uint8Array(8192), true)))));
  it('USF: /ByteRange null', () => notPassed(rewriteSig((s) => s.set('ByteRange', null))));
  it('USF: /ByteRange [0 0 0 0] and a /ByteRange covering nothing after the gap', async () => {
    await notPassed(rewriteSig((s) => s.set('ByteRange', [0, 0, 0, 0])));
    await notPassed(rewriteSig((s) => s.set('ByteRange', [0, 10, 20, 0])));
  });
  it('USF: /ByteRange removed', () => notPassed(rewriteSig((s) => s.delete('ByteRange'))));
  it('USF: /ByteRange malformed', () => notPassed(rewriteSig((s) => s.set('ByteRange', [0, -5, name('x'), 2]))));
  it('ISA: a new revision replaces the page content (with xref and trailer)', () =>
    notPassed(
      appendUpdate(signed, (w, r) => {
        const c = w.allocate();
        w.set(c, contentStream('So tien: 9.000.000 dong'));
        w.set(pageRef(r), r.pages()[0]!.dict.clone().set('Contents', c));
      }),
    ));
  it('ISA: objects appended without a new xref or trailer', async () => {
    const reader = PdfReader.open(signed);
    const page = reader.pages()[0]!;
    const body = `\n${page.ref.num} 0 obj\n<</Type/Page/Parent ${(page.dict.get('Parent') as PdfRef).num} 0 R/MediaBox[0 0 595 842]/Contents 999 0 R>>\nendobj\n999 0 obj\n<</Length 10>>stream\nBT ET 1234\nendstream\nendobj\n`;
    const tampered = concatBytes([signed, latin1(body)]);
    const r = await notPassed(tampered);
    expect(
      r.signatures[0]!.modifications?.changes.some(
        (c) => c.kind === 'trailing-bytes' || c.kind === 'appended-without-xref',
      ),
    ).toBe(true);
  });
  it('ISA: a new revision overwrites the font', () =>
    notPassed(
      appendUpdate(signed, (w, r) => {
        const res = r.resolveDict(r.pages()[0]!.dict.get('Resources'))!;
        const fonts = r.resolveDict(res.get('Font'))!;
        const fontRef = [...fonts.map.values()].find((v) => v instanceof PdfRef) as PdfRef;
        w.set(
          fontRef,
          new PdfDict().set('Type', name('Font')).set('Subtype', name('Type1')).set('BaseFont', name('Courier')),
        );
      }),
    ));
  it('ISA: pages added after signing', () =>
    notPassed(
      appendUpdate(signed, (w, r) => {
        const pagesRef = r.catalog().get('Pages') as PdfRef;
        const pages = r.resolveDict(pagesRef)!.clone();
        const newPage = w.allocate();
        w.set(
          newPage,
          new PdfDict().set('Type', name('Page')).set('Parent', pagesRef).set('MediaBox', [0, 0, 595, 842]),
        );
        pages.set('Kids', [...(pages.get('Kids') as PdfRef[]), newPage]).set('Count', 2);
        w.set(pagesRef, pages);
      }),
    ));
  it('ISA: catalog changed (an OpenAction added)', () =>
    notPassed(
      appendUpdate(signed, (w, r) => {
        w.set(
          r.trailer.get('Root') as PdfRef,
          r
            .catalog()
            .clone()
            .set('OpenAction', [pageRef(r), name('Fit')]),
        );
      }),
    ));
  it('SWA: the ByteRange points at moved content (signature dictionary copied into a later revision)', async () => {
    // the attacker's signature dictionary claims the old ByteRange but is a different object than the one in the gap
    const moved = appendUpdate(signed, (w, r) => {
      const field = r.resolveDict((r.resolveDict(r.catalog().get('AcroForm'))!.get('Fields') as PdfRef[]).at(-1))!;
      const sig = r.resolveDict(field.get('V'))!.clone();
      const copy = w.allocate();
      w.set(copy, sig);
      const fieldRef = (r.resolveDict(r.catalog().get('AcroForm'))!.get('Fields') as PdfRef[]).at(-1)!;
      w.set(fieldRef, field.clone().set('V', copy));
      const c = w.allocate();
      w.set(c, contentStream('forged'));
      w.set(pageRef(r), r.pages()[0]!.dict.clone().set('Contents', c));
    });
    const r = await notPassed(moved);
    expect(r.signatures[0]!.errors.join(' ')).toMatch(/another object|not permitted/);
  });
  it('SWA: a second /Contents inside the signature dictionary', async () => {
    const text = Buffer.from(signed).toString('latin1');
    const at = text.lastIndexOf('/Type /Sig');
    const t = concatBytes([
      signed.subarray(0, at),
      latin1('/Contents <00>'),
      signed.subarray(at + '/Type /Sig'.length),
    ]);
    await notPassed(t);
  });
  it('Shadow replace: a form field value replaced after an approval signature', () =>
    notPassed(
      appendUpdate(signed, (w, r) => {
        const fields = r.resolve(r.resolveDict(r.catalog().get('AcroForm'))!.get('Fields')) as PdfRef[];
        const text = fields.find((f) => r.resolveDict(f)?.get('FT') === name('Tx'))!;
        w.set(
          text,
          r
            .resolveDict(text)!
            .clone()
            .set('V', new PdfString(latin1('9.000.000'))),
        );
      }),
    ));
  it('Shadow replace: a content stream replaced by a new version of the same object', () =>
    notPassed(
      appendUpdate(signed, (w, r) => {
        const contents = r.pages()[0]!.dict.get('Contents');
        const ref = Array.isArray(contents) ? (contents[0] as PdfRef) : (contents as PdfRef);
        w.set(ref, contentStream('replaced'));
      }),
    ));
});

/**
 * Shadow attacks proper: the attacker prepares the document the victim signs, with content hidden in it, and
 * reveals it in an update afterwards (Mainka, Mladenov, Rohlmann, Schwenk 2021).
 */
describe('Shadow hide and hide-and-replace, with the hidden content prepared before signing', () => {
  let coverRef: PdfRef;
  let hiddenPage: PdfRef;
  let prepared: Uint8Array;
  beforeAll(async () => {
    // signed page: "1.000.000" shown; underneath, "9.000.000" covered by a white annotation; a second page
    // saying "9.000.000" is in the file but not in the page tree
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    const page = doc.addPage([595, 842]);
    page.drawText('So tien: 9.000.000 dong', { x: 72, y: 700, size: 14, font });
    page.drawText('So tien: 1.000.000 dong', { x: 72, y: 770, size: 14, font });
    doc.addPage([595, 842]).drawText('So tien: 9.000.000 dong', { x: 72, y: 770, size: 14, font });
    const hidden = doc.getPage(1).ref;
    doc.removePage(1);
    const bytes = appendUpdate(await doc.save({ useObjectStreams: false }), (w, r) => {
      const ap = w.allocate();
      w.set(
        ap,
        new PdfStream(
          new PdfDict().set('Type', name('XObject')).set('Subtype', name('Form')).set('BBox', [0, 0, 300, 40]),
          latin1('1 1 1 rg 0 0 300 40 re f'),
        ),
      );
      coverRef = addToFirstPage(w, r, annotation('Square', [60, 690, 360, 730]).set('AP', new PdfDict().set('N', ap)));
    });
    hiddenPage = new PdfRef(hidden.objectNumber, 0);
    prepared = await signPdf(bytes, { signer });
    expect((await verifyPdf(prepared, { trust: trust() })).indication).toBe('TOTAL_PASSED');
  });
  const notPassed = async (bytes: Uint8Array) => {
    const r = await verifyPdf(bytes, { trust: trust() });
    expect(r.indication).toBe('TOTAL_FAILED');
    expect(r.signatures[0]!.modifications?.verdict).toBe('not-permitted-changes');
  };
  it('hide: the covering annotation removed from the page', () =>
    notPassed(
      appendUpdate(prepared, (w, r) => {
        const page = r.pages()[0]!;
        const annots = (r.resolve(page.dict.get('Annots')) as PdfRef[]).filter((a) => a.num !== coverRef.num);
        const ref = page.dict.get('Annots');
        if (ref instanceof PdfRef) w.set(ref, annots);
        else w.set(page.ref, page.dict.clone().set('Annots', annots));
      }),
    ));
  it("hide: the covering annotation's appearance emptied (same object, new version)", () =>
    notPassed(
      appendUpdate(prepared, (w, r) => {
        const ap = r.resolveDict(r.resolveDict(coverRef)!.get('AP'))!.get('N') as PdfRef;
        w.set(
          ap,
          new PdfStream(
            new PdfDict().set('Type', name('XObject')).set('Subtype', name('Form')).set('BBox', [0, 0, 300, 40]),
            new Uint8Array(0),
          ),
        );
      }),
    ));
  it('hide: the covering annotation flagged hidden', () =>
    notPassed(appendUpdate(prepared, (w, r) => w.set(coverRef, r.resolveDict(coverRef)!.clone().set('F', 2)))));
  it('hide-and-replace: the page tree pointed at the prepared page', () =>
    notPassed(
      appendUpdate(prepared, (w, r) => {
        const pagesRef = r.catalog().get('Pages') as PdfRef;
        w.set(pagesRef, r.resolveDict(pagesRef)!.clone().set('Kids', [hiddenPage]));
      }),
    ));
  it('hide-and-replace: the trailer pointed at a prepared catalog', () => {
    const r = PdfReader.open(prepared);
    const pages = r.size;
    const update = appendRawUpdate(
      prepared,
      [
        [pages, new PdfDict().set('Type', name('Pages')).set('Kids', [hiddenPage]).set('Count', 1)],
        [pages + 1, r.catalog().clone().set('Pages', new PdfRef(pages, 0))],
      ],
      { trailer: { Root: new PdfRef(pages + 1, 0) } },
    );
    return notPassed(update);
  });
});

describe('malformed input ends in bounded time with a typed error or a failed verdict', () => {
  const bounded = async (bytes: Uint8Array) => {
    const start = Date.now();
    try {
      const r = await verifyPdf(bytes, { trust: trust() });
      expect(r.indication).not.toBe('TOTAL_PASSED');
    } catch (e) {
      expect((e as { code?: string }).code).toMatch(/^ERR_/);
    }
    expect(Date.now() - start).toBeLessThan(5000);
  };
  it('not a PDF, truncated, garbage xref', async () => {
    await bounded(latin1('hello'));
    await bounded(signed.subarray(0, signed.length / 2));
    const t = signed.slice();
    const s = Buffer.from(t).toString('latin1');
    t.set(latin1('xxxxxxxxx'), s.lastIndexOf('startxref') + 10);
    await bounded(t);
  });
  it('cyclic /Prev and page tree, deep nesting, absurd lengths', async () => {
    const cyc = latin1(
      '%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[2 0 R]/Count 1>>endobj\nxref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \ntrailer<</Size 3/Root 1 0 R/Prev 97>>\nstartxref\n97\n%%EOF\n',
    );
    await bounded(cyc);
    await bounded(latin1(`%PDF-1.7\n1 0 obj${'['.repeat(100000)}\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF`));
    await bounded(
      latin1('%PDF-1.7\n1 0 obj<</Length 99999999999>>stream\nabc\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF'),
    );
  });
  it('the sample document verifies as unsigned (INDETERMINATE, no signature)', async () => {
    const r = await verifyPdf(readFileSync(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url)));
    expect(r.indication).toBe('INDETERMINATE');
    expect(r.subIndication).toBe('SIGNED_DATA_NOT_FOUND');
  });
});

describe('certification signatures (DocMDP) and what may follow them', () => {
  const overlay = (bytes: Uint8Array) =>
    appendUpdate(bytes, (w, r) => addToFirstPage(w, r, annotation('FreeText', [50, 700, 300, 760], 'Evil annotation')));

  it('P=2: a later approval signature is permitted, an added annotation (Evil Annotation) is not', async () => {
    const certified = await signPdf(plain, { signer, certify: 2 });
    const p256 = await loadPkcs12Signer(pkiFile('p256.p12'), { password: P12_PASSWORD });
    const approved = await verifyPdf(await signPdf(certified, { signer: p256 }), { trust: trust() });
    expect(approved.indication).toBe('TOTAL_PASSED');
    expect(approved.signatures[0]!.certification).toEqual({ permissions: 2 });
    const evil = await verifyPdf(overlay(certified), { trust: trust() });
    expect(evil.indication).toBe('TOTAL_FAILED');
    expect(
      evil.signatures[0]!.modifications?.changes.some((c) => c.kind === 'annotation' && c.status === 'not-permitted'),
    ).toBe(true);
  });
  it('P=1: even a new signature is not permitted; P=3: annotations are', async () => {
    const p256 = await loadPkcs12Signer(pkiFile('p256.p12'), { password: P12_PASSWORD });
    const locked = await verifyPdf(await signPdf(await signPdf(plain, { signer, certify: 1 }), { signer: p256 }), {
      trust: trust(),
    });
    expect(locked.signatures[0]!.indication).toBe('TOTAL_FAILED');
    const open = await verifyPdf(overlay(await signPdf(plain, { signer, certify: 3 })), { trust: trust() });
    expect(open.indication).toBe('TOTAL_PASSED');
  });
  it('only the first signature can certify', async () => {
    await expect(signPdf(signed, { signer, certify: 2 })).rejects.toMatchObject({ code: 'ERR_PDF_FIELD' });
  });
});
