import { beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { latin1 } from '../../src/core/bytes.js';
import { loadPkcs12Signer, signPdf, verifyPdf } from '../../src/index.js';
import { PdfDict, PdfRef, PdfString, name, type PdfObject } from '../../src/pdf/objects.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { appendRawUpdate } from '../fixtures/pdf-updates.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';

let signed: Uint8Array;
const trust = () => [pkiFile('root.cert.pem')];

beforeAll(async () => {
  const signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  doc.addPage([595, 842]);
  doc.getForm().createTextField('ten').addToPage(doc.getPage(0), { x: 50, y: 50, width: 200, height: 20 });
  signed = await signPdf(await doc.save({ useObjectStreams: false }), { signer });
});

/**
 * `signed` with an update whose trailer names a new catalog object: a copy of the old one changed by `edit`
 * (which may add objects numbered from `next`).
 */
function newCatalog(edit: (catalog: PdfDict, r: PdfReader, extra: (value: PdfObject) => PdfRef) => void): Uint8Array {
  const r = PdfReader.open(signed);
  let next = r.size + 1;
  const objects: [number, PdfObject][] = [];
  const extra = (value: PdfObject) => {
    objects.push([next, value]);
    return new PdfRef(next++, 0);
  };
  const catalog = r.catalog().clone();
  edit(catalog, r, extra);
  return appendRawUpdate(signed, [[r.size, catalog], ...objects], { trailer: { Root: new PdfRef(r.size, 0) } });
}

describe('a new catalog through the trailer is compared by content with the old one', () => {
  it('the same content: permitted', async () => {
    const r = await verifyPdf(
      newCatalog(() => {}),
      { trust: trust() },
    );
    expect(r.indication, JSON.stringify(r.signatures[0]!.modifications)).toBe('TOTAL_PASSED');
  });
  const readerVisible: [string, Parameters<typeof newCatalog>[0]][] = [
    [
      'pages (the page order)',
      (c, r, extra) => {
        const pages = r.resolveDict(c.get('Pages'))!.clone();
        pages.set('Kids', [...(r.resolve(pages.get('Kids')) as PdfObject[])].reverse());
        c.set('Pages', extra(pages));
      },
    ],
    [
      'names (a document-level JavaScript)',
      (c, _r, extra) => {
        const js = extra(new PdfDict().set('S', name('JavaScript')).set('JS', new PdfString(latin1('app.alert(1)'))));
        c.set('Names', new PdfDict().set('JavaScript', new PdfDict().set('Names', [new PdfString(latin1('a')), js])));
      },
    ],
    [
      'outlines',
      (c, _r, extra) => {
        const outlines = extra(new PdfDict().set('Type', name('Outlines')).set('Count', 0));
        c.set('Outlines', outlines);
      },
    ],
    ['an open action', (c, r) => c.set('OpenAction', [r.pages()[1]!.ref, name('Fit')])],
    [
      'the AcroForm (an XFA form added)',
      (c, r, extra) => c.set('AcroForm', r.resolveDict(c.get('AcroForm'))!.clone().set('XFA', extra(new PdfDict()))),
    ],
    [
      'page labels',
      (c) =>
        c.set('PageLabels', new PdfDict().set('Nums', [0, new PdfDict().set('P', new PdfString(latin1('Phụ lục ')))])),
    ],
  ];
  for (const [what, edit] of readerVisible) {
    it(`${what} changed: not permitted`, async () => {
      const r = await verifyPdf(newCatalog(edit), { trust: trust() });
      expect(r.indication).toBe('TOTAL_FAILED');
      expect(r.signatures[0]!.modifications!.verdict).toBe('not-permitted-changes');
    });
  }
  it('the AcroForm without the signed field: the signature is no longer in the form, never TOTAL_PASSED', async () => {
    const r = await verifyPdf(
      newCatalog((c, r) => c.set('AcroForm', r.resolveDict(c.get('AcroForm'))!.clone().set('Fields', []))),
      { trust: trust() },
    );
    expect(r.indication).not.toBe('TOTAL_PASSED');
  });
});
