/** The documents the verification page's browser test drops on the page: made with the test PKI, each run. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpTimestampSource, loadPkcs12Signer, signDetached, signPdf, signXml, timestamp } from '../../src/index.js';
import { latin1 } from '../../src/core/bytes.js';
import { PdfDict, PdfStream } from '../../src/pdf/objects.js';
import { appendUpdate } from '../fixtures/pdf-updates.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';

export interface VerifyPageDocuments {
  /** Signed visibly by Nguyễn Văn An (CCCD) and then by the province's seal (MST): both pass. */
  valid: Uint8Array;
  /** Signed visibly, then a red box drawn over page 1 in a later revision: not permitted. */
  modified: Uint8Array;
  /** An e-invoice signed by the seller (MST). */
  einvoice: Uint8Array;
  /** A contract and its detached CAdES signature. */
  contract: Uint8Array;
  contractP7s: Uint8Array;
  /** An RFC 3161 time-stamp response over the contract, from `tsaUrl`. */
  contractTsr: Uint8Array;
}

export async function makeVerifyPageDocuments(root: string, tsaUrl: string): Promise<VerifyPageDocuments> {
  const person = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  const seal = await loadPkcs12Signer(pkiFile('rsa4096.p12'), { password: P12_PASSWORD });
  const font = await readFile(join(root, 'assets/fonts/LiberationSerif-Regular.ttf'));
  const sample = await readFile(join(root, 'examples/documents/quyet-dinh-mau.pdf'));
  const first = await signPdf(sample, {
    signer: person,
    reason: 'Phê duyệt',
    location: 'Hà Nội',
    appearance: { preset: 'approved', pageIndex: 0, rect: [330, 120, 200, 80], font },
  });
  const valid = await signPdf(first, {
    signer: seal,
    reason: 'Đóng dấu',
    appearance: {
      preset: 'issued',
      pageIndex: 0,
      rect: [60, 120, 200, 80],
      font,
      seal: await readFile(join(root, 'examples/images/con-dau-mau.png')),
    },
  });
  const modified = appendUpdate(first, (w, r) => {
    const page = r.pages()[0]!;
    const box = w.allocate();
    w.set(box, new PdfStream(new PdfDict(), latin1('q 0.85 0.1 0.1 rg 72 430 300 60 re f Q')));
    const old = page.dict.get('Contents');
    w.set(page.ref, page.dict.clone().set('Contents', [...(Array.isArray(old) ? old : [old!]), box]));
  });
  const xml = await readFile(join(root, 'examples/xml/einvoice-tt78.xml'));
  const einvoice = await signXml(xml, { signer: seal, profile: 'einvoice', includeChain: true });
  const contract = new TextEncoder().encode('HỢP ĐỒNG số 12/2026/HĐ — bản điện tử\n');
  const { response: contractTsr } = await timestamp(contract, { tsa: new HttpTimestampSource({ url: tsaUrl }) });
  return {
    valid,
    modified,
    einvoice,
    contract,
    contractP7s: await signDetached(contract, { signer: person }),
    contractTsr,
  };
}
