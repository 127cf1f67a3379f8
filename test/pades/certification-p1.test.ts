import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import {
  HttpTimestampSource,
  loadPkcs12Signer,
  signPdf,
  timestampPdf,
  verifyPdf,
  type Signer,
} from '../../src/index.js';
import { PdfDict, PdfRef, PdfString } from '../../src/pdf/objects.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { latin1 } from '../../src/core/bytes.js';
import { appendRawUpdate, appendUpdate } from '../fixtures/pdf-updates.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import { createTsaIdentity, startTsaServer, type TsaServer } from '../fixtures/tsa-server.js';
import { describeWithTools } from '../fixtures/tools.js';

let signer: Signer;
let plain: Uint8Array;
const trust = () => [pkiFile('root.cert.pem')];

beforeAll(async () => {
  signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  doc.getForm().createTextField('ten').addToPage(doc.getPage(0), { x: 50, y: 50, width: 200, height: 20 });
  plain = await doc.save({ useObjectStreams: false });
});

/** Later updates that the rules permit after an approval signature or P=2, but not after P=1. */
const edits: [string, (b: Uint8Array) => Uint8Array][] = [
  [
    'a new /Info',
    (b) => {
      const n = PdfReader.open(b).size;
      return appendRawUpdate(b, [[n, new PdfDict().set('Title', new PdfString(latin1('khác')))]], {
        trailer: { Info: new PdfRef(n, 0) },
      });
    },
  ],
  [
    '/NeedAppearances true',
    (b) =>
      appendUpdate(b, (w, r) => {
        const ref = r.catalog().get('AcroForm');
        const form = r.resolveDict(ref)!.clone().set('NeedAppearances', true);
        if (ref instanceof PdfRef) w.set(ref, form);
        else w.set(r.trailer.get('Root') as PdfRef, r.catalog().clone().set('AcroForm', form));
      }),
  ],
  [
    '/Lang',
    (b) =>
      appendUpdate(b, (w, r) =>
        w.set(
          r.trailer.get('Root') as PdfRef,
          r
            .catalog()
            .clone()
            .set('Lang', new PdfString(latin1('en-US'))),
        ),
      ),
  ],
];

describe('DocMDP P=1: only DSS and document timestamps may follow', () => {
  for (const [what, edit] of edits) {
    it(`${what} after P=1 is not permitted; after P=2 it is`, async () => {
      const p1 = await verifyPdf(edit(await signPdf(plain, { signer, certify: 1 })), { trust: trust() });
      expect(p1.indication).toBe('TOTAL_FAILED');
      const changes = p1.signatures[0]!.modifications!.changes;
      expect(
        changes.some((c) => c.status === 'not-permitted' && /DocMDP P=1/.test(c.detail)),
        JSON.stringify(changes),
      ).toBe(true);
      const p2 = await verifyPdf(edit(await signPdf(plain, { signer, certify: 2 })), { trust: trust() });
      expect(p2.indication, JSON.stringify(p2.signatures[0]!.modifications)).toBe('TOTAL_PASSED');
    });
  }
});

describeWithTools(['openssl'], 'DocMDP P=1 and a document timestamp (openssl ts on 127.0.0.1)', () => {
  let server: TsaServer;
  beforeAll(async () => {
    server = await startTsaServer({ identity: createTsaIdentity() });
  });
  afterAll(() => server?.stop());
  it('a document timestamp after P=1 is permitted; an approval signature is not', async () => {
    const certified = await signPdf(plain, { signer, certify: 1 });
    const stamped = await verifyPdf(
      await timestampPdf(certified, { tsa: new HttpTimestampSource({ url: server.url }) }),
      { trust: trust() },
    );
    expect(stamped.signatures[0]!.indication, JSON.stringify(stamped.signatures[0]!.modifications)).toBe(
      'TOTAL_PASSED',
    );
    expect(stamped.signatures[0]!.modifications!.changes.every((c) => c.status === 'permitted')).toBe(true);
    const approved = await verifyPdf(await signPdf(certified, { signer }), { trust: trust() });
    expect(approved.signatures[0]!.indication).toBe('TOTAL_FAILED');
  });
});
