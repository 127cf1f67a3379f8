/**
 * What the fuzzer mutates: documents kyso signed itself with the test PKI — PDFs (an approval signature, a
 * P=1 certification, a file with object streams, two signatures), XML declarations of each profile, and a
 * detached CMS signature with its data. Made once per run; saved to a directory for the worker processes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { loadPkcs12Signer, signDetached, signPdf } from '../../src/index.js';
import { signXml } from '../../src/xades/sign-xml.js';
import { formDocument } from '../fixtures/pdf-updates.js';
import { P12_PASSWORD, generateTestPki, pkiFile } from '../fixtures/pki.js';
import { fixture, testSigner } from '../xml/helpers.js';
import { Random } from './rng.js';

export interface PdfBase {
  name: string;
  bytes: Uint8Array;
}

export interface XmlBase {
  name: string;
  text: string;
  /** Local name of the element the signature covers, or `document` for an enveloped whole-document signature. */
  signed: string;
  /** Where the signature sits, and another place of the same profile it can be moved to (`[from, to]`). */
  place?: [string, string];
}

export interface Bases {
  pdfs: PdfBase[];
  xmls: XmlBase[];
  cms: { data: Uint8Array; p7s: Uint8Array };
  /** The trust anchor (PEM). */
  root: Uint8Array;
}

const TIME = new Date('2024-04-15T03:00:00Z');

/** Signs the base documents (the test PKI is made when missing). */
export async function makeBases(): Promise<Bases> {
  await generateTestPki();
  const signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  const second = await loadPkcs12Signer(pkiFile('p256.p12'), { password: P12_PASSWORD });
  const form = await formDocument();
  const withObjectStreams = await (await PDFDocument.load(form)).save({ useObjectStreams: true });
  const approval = await signPdf(form, { signer });
  const pdfs: PdfBase[] = [
    { name: 'approval', bytes: approval },
    { name: 'certified-p1', bytes: await signPdf(form, { signer, certify: 1 }) },
    { name: 'object-streams', bytes: await signPdf(withObjectStreams, { signer }) },
    { name: 'two-signatures', bytes: await signPdf(approval, { signer: second }) },
  ];
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  const xmls: XmlBase[] = [
    {
      name: 'einvoice-seller',
      text: text(
        await signXml(fixture('einvoice-tt78.xml'), {
          signer: testSigner('rsa4096'),
          profile: 'einvoice',
          signingTime: TIME,
          includeChain: true,
        }),
      ),
      signed: 'DLHDon',
      place: ['NBan', 'NMua'],
    },
    {
      name: 'tax',
      text: text(
        await signXml(fixture('tax-01gtgt.xml'), {
          signer: testSigner('rsa2048'),
          profile: 'tax',
          signingTime: TIME,
          includeChain: true,
        }),
      ),
      signed: 'HSoKhaiThue',
    },
    {
      name: 'bhxh',
      text: text(
        await signXml(fixture('bhxh-d02-ts.xml'), {
          signer: testSigner('rsa2048'),
          profile: 'bhxh',
          signingTime: TIME,
          includeChain: true,
        }),
      ),
      signed: 'document',
    },
  ];
  const data = new Uint8Array(4096);
  const r = new Random(7);
  for (let i = 0; i < data.length; i++) data[i] = r.int(0, 256);
  const p7s = await signDetached(data, { signer, signingTime: TIME });
  return { pdfs, xmls, cms: { data, p7s }, root: pkiFile('root.cert.pem') };
}

/** Writes `bases` under `dir`. */
export function saveBases(bases: Bases, dir: string): void {
  mkdirSync(dir, { recursive: true });
  const meta = {
    pdfs: bases.pdfs.map((p) => p.name),
    xmls: bases.xmls.map(({ text: _t, ...rest }) => rest),
  };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
  for (const p of bases.pdfs) writeFileSync(join(dir, `${p.name}.pdf`), p.bytes);
  for (const x of bases.xmls) writeFileSync(join(dir, `${x.name}.xml`), x.text);
  writeFileSync(join(dir, 'data.bin'), bases.cms.data);
  writeFileSync(join(dir, 'data.p7s'), bases.cms.p7s);
  writeFileSync(join(dir, 'root.pem'), bases.root);
}

/** Reads what {@link saveBases} wrote. */
export function loadBases(dir: string): Bases {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
    pdfs: string[];
    xmls: Omit<XmlBase, 'text'>[];
  };
  const read = (f: string) => new Uint8Array(readFileSync(join(dir, f)));
  return {
    pdfs: meta.pdfs.map((name) => ({ name, bytes: read(`${name}.pdf`) })),
    xmls: meta.xmls.map((x) => ({ ...x, text: readFileSync(join(dir, `${x.name}.xml`), 'utf8') })),
    cms: { data: read('data.bin'), p7s: read('data.p7s') },
    root: read('root.pem'),
  };
}
