/**
 * The fuzz cases: case `i` of seed `s` is always the same mutation of the same base document, so a finding can
 * be replayed by its id alone. Each case says what it changed: when it touched signed bytes or what a reader
 * is shown, the verdict must not be TOTAL_PASSED.
 */
import { concatBytes, fromLatin1, latin1 } from '../../src/core/bytes.js';
import { PdfDict, PdfRaw, PdfRef, PdfStream, PdfString, name, type PdfObject } from '../../src/pdf/objects.js';
import { PdfReader } from '../../src/pdf/reader.js';
import {
  addToFirstPage,
  annotation,
  appendRawUpdate,
  appendUpdate,
  contentStream,
  firstPage,
} from '../fixtures/pdf-updates.js';
import type { Bases, PdfBase, XmlBase } from './bases.js';
import { withDssBomb, withObjectStreamBomb, withXrefStreamBomb } from './bombs.js';
import { Random } from './rng.js';

export interface FuzzCase {
  /** `seed:index`, what replays it. */
  id: string;
  technique: string;
  base: string;
  input:
    | { kind: 'pdf'; bytes: Uint8Array }
    | { kind: 'xml'; text: string }
    | { kind: 'cms'; data: Uint8Array; p7s: Uint8Array };
  /** Signed bytes or what a reader shows changed: TOTAL_PASSED would be a finding. */
  mustNotPass: boolean;
  /** A warning the report must carry. */
  mustWarn?: RegExp;
}

type Technique<B> = (
  base: B,
  r: Random,
) => { input: FuzzCase['input']; mustNotPass: boolean; mustWarn?: RegExp; variant?: string } | undefined;

// ---------------------------------------------------------------- PDF

/** The first signature's ByteRange (the one every later revision builds on). */
function firstByteRange(bytes: Uint8Array): [number, number, number, number] {
  const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(
    fromLatin1(bytes, 0, Math.min(bytes.length, 1 << 22)),
  )!;
  return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
}

/** A position in the bytes the first signature covers. */
function signedOffset(bytes: Uint8Array, r: Random): number {
  const [, a, b, c] = firstByteRange(bytes);
  const at = r.int(0, a + c);
  return at < a ? at : b + (at - a);
}

const pdf = (bytes: Uint8Array) => ({ kind: 'pdf' as const, bytes });

const flip = (bytes: Uint8Array, at: number, r: Random) => {
  const out = bytes.slice();
  out[at] = (out[at]! + r.int(1, 256)) & 0xff;
  return out;
};

const TOKENS = [
  '<<',
  '>>',
  '[',
  ']',
  ' R ',
  ' obj ',
  'endobj',
  'stream\n',
  '/Kids [1 0 R]',
  '/Length 999999999',
  'xref\n0 99999999\n',
  'trailer',
  '%%EOF\n',
  '(',
  '\\',
  '%',
  '0 0 obj',
];

/** Incremental updates that change what a reader shows (or runs). */
const VISIBLE_EDITS: [string, (b: Uint8Array) => Uint8Array][] = [
  [
    'page content replaced',
    (b) =>
      appendUpdate(b, (w, r) => {
        const ref = w.allocate();
        w.set(ref, contentStream('So tien: 9.000.000 dong'));
        w.set(firstPage(r), r.pages()[0]!.dict.clone().set('Contents', ref));
      }),
  ],
  [
    'page content appended',
    (b) =>
      appendUpdate(b, (w, r) => {
        const ref = w.allocate();
        w.set(ref, contentStream('DA HUY'));
        const page = r.pages()[0]!.dict;
        const old = page.get('Contents');
        w.set(firstPage(r), page.clone().set('Contents', [...(Array.isArray(old) ? old : old ? [old] : []), ref]));
      }),
  ],
  [
    'field value changed (shadow)',
    (b) =>
      appendUpdate(b, (w, r) => {
        const fields = r.resolve(r.resolveDict(r.catalog().get('AcroForm'))!.get('Fields')) as PdfObject[];
        const text = fields.find((f) => r.resolveDict(f)?.get('FT') === name('Tx')) as PdfRef;
        w.set(
          text,
          r
            .resolveDict(text)!
            .clone()
            .set('V', new PdfString(latin1('9.000.000'))),
        );
      }),
  ],
  ['page rotated', (b) => appendUpdate(b, (w, r) => w.set(firstPage(r), r.pages()[0]!.dict.clone().set('Rotate', 90)))],
  [
    'media box shrunk',
    (b) => appendUpdate(b, (w, r) => w.set(firstPage(r), r.pages()[0]!.dict.clone().set('MediaBox', [0, 0, 200, 200]))),
  ],
  [
    'open action JavaScript',
    (b) =>
      appendUpdate(b, (w, r) =>
        w.set(
          r.trailer.get('Root') as PdfRef,
          r
            .catalog()
            .clone()
            .set(
              'OpenAction',
              new PdfDict().set('S', name('JavaScript')).set('JS', new PdfString(latin1('app.alert(1)'))),
            ),
        ),
      ),
  ],
  [
    'names JavaScript',
    (b) =>
      appendUpdate(b, (w, r) => {
        const js = w.allocate();
        w.set(js, new PdfDict().set('S', name('JavaScript')).set('JS', new PdfString(latin1('app.alert(1)'))));
        w.set(
          r.trailer.get('Root') as PdfRef,
          r
            .catalog()
            .clone()
            .set(
              'Names',
              new PdfDict().set('JavaScript', new PdfDict().set('Names', [new PdfString(latin1('x')), js])),
            ),
        );
      }),
  ],
  [
    'page added',
    (b) =>
      appendUpdate(b, (w, r) => {
        const pagesRef = r.catalog().get('Pages') as PdfRef;
        const pages = r.resolveDict(pagesRef)!;
        const page = w.allocate();
        const content = w.allocate();
        w.set(content, contentStream('Trang them'));
        w.set(
          page,
          new PdfDict()
            .set('Type', name('Page'))
            .set('Parent', pagesRef)
            .set('MediaBox', [0, 0, 595, 842])
            .set('Contents', content),
        );
        w.set(
          pagesRef,
          pages
            .clone()
            .set('Kids', [...(r.resolve(pages.get('Kids')) as PdfObject[]), page])
            .set('Count', (pages.get('Count') as number) + 1),
        );
      }),
  ],
  [
    'new catalog with another page tree',
    (b) => {
      const r = PdfReader.open(b);
      const n = r.size;
      const content = new PdfStream(new PdfDict(), latin1('BT /F1 24 Tf 72 700 Td (Khac) Tj ET'));
      return appendRawUpdate(
        b,
        [
          [
            n,
            r
              .catalog()
              .clone()
              .set('Pages', new PdfRef(n + 1, 0)),
          ],
          [
            n + 1,
            new PdfDict()
              .set('Type', name('Pages'))
              .set('Kids', [new PdfRef(n + 2, 0)])
              .set('Count', 1),
          ],
          [
            n + 2,
            new PdfDict()
              .set('Type', name('Page'))
              .set('Parent', new PdfRef(n + 1, 0))
              .set('MediaBox', [0, 0, 595, 842])
              .set('Contents', new PdfRef(n + 3, 0)),
          ],
          [n + 3, content],
        ],
        { trailer: { Root: new PdfRef(n, 0) } },
      );
    },
  ],
  [
    'object freed',
    (b) => {
      const r = PdfReader.open(b);
      const contents = r.pages()[0]!.dict.get('Contents');
      return appendRawUpdate(b, [], { free: [contents instanceof PdfRef ? contents.num : firstPage(r).num] });
    },
  ],
  [
    'bytes appended without a cross-reference section',
    (b) => {
      const r = PdfReader.open(b);
      const page = firstPage(r);
      return concatBytes([
        b,
        latin1(
          `\n${page.num} 0 obj\n<</Type/Page/Parent ${(r.pages()[0]!.dict.get('Parent') as PdfRef).num} 0 R/MediaBox[0 0 595 842]>>\nendobj\n`,
        ),
      ]);
    },
  ],
];

const PDF_TECHNIQUES: Record<string, Technique<PdfBase>> = {
  'flip-signed': (b, r) => ({ input: pdf(flip(b.bytes, signedOffset(b.bytes, r), r)), mustNotPass: true }),
  'flip-unsigned': (b, r) => {
    const [, a, g] = firstByteRange(b.bytes);
    return { input: pdf(flip(b.bytes, r.int(a + 1, g - 1), r)), mustNotPass: false, variant: 'signature /Contents' };
  },
  'flip-many': (b, r) => {
    let out = b.bytes;
    const n = r.int(2, 40);
    for (let i = 0; i < n; i++) out = flip(out, signedOffset(b.bytes, r), r);
    return { input: pdf(out), mustNotPass: true };
  },
  truncate: (b, r) => {
    const [, , c, d] = firstByteRange(b.bytes);
    const at = r.int(0, b.bytes.length);
    return { input: pdf(b.bytes.subarray(0, at)), mustNotPass: at < c + d };
  },
  'insert-token': (b, r) => {
    const at = signedOffset(b.bytes, r);
    return {
      input: pdf(concatBytes([b.bytes.subarray(0, at), latin1(r.pick(TOKENS)), b.bytes.subarray(at)])),
      mustNotPass: true,
    };
  },
  'bomb-xref-stream': (b) => ({ input: pdf(withXrefStreamBomb(b.bytes, BOMB.value!)), mustNotPass: true }),
  'bomb-object-stream': (b) => ({ input: pdf(withObjectStreamBomb(b.bytes, BOMB.value!)), mustNotPass: true }),
  // validation data is permitted after a signature: the bomb inside it must cost little and pass nothing wrong
  'bomb-dss': (b) => ({ input: pdf(withDssBomb(b.bytes, BOMB.value!)), mustNotPass: false }),
  'visible-update': (b, r) => {
    const [what, edit] = r.pick(VISIBLE_EDITS);
    return { input: pdf(edit(b.bytes)), mustNotPass: true, variant: what };
  },
  'annotation-on-certified': (b, r) => {
    if (b.name !== 'certified-p1') return undefined;
    const subtype = r.pick(['FreeText', 'Square', 'Stamp', 'Link', 'Text']);
    return {
      input: pdf(
        appendUpdate(b.bytes, (w, rd) =>
          addToFirstPage(w, rd, annotation(subtype, [60, 760, 300, 790], 'Evil annotation')),
        ),
      ),
      mustNotPass: true,
      variant: subtype,
    };
  },
  'duplicate-object': (b, r) => {
    // the same objects written again: a new revision that changes nothing a reader uses
    const rd = PdfReader.open(b.bytes);
    const nums = [(rd.trailer.get('Root') as PdfRef).num, firstPage(rd).num];
    const num = r.pick(nums);
    return { input: pdf(appendRawUpdate(b.bytes, [[num, rd.getObject(num)]])), mustNotPass: false };
  },
  'field-flood': (b, r) => {
    const rd = PdfReader.open(b.bytes);
    const form = rd.catalog().get('AcroForm');
    const formDict = rd.resolveDict(form)!;
    const fields = rd.resolve(formDict.get('Fields')) as PdfObject[];
    const sigField = fields.find((f) => rd.resolveDict(f)?.get('FT') === name('Sig'));
    const v = rd.resolveDict(sigField)?.get('V');
    if (!(v instanceof PdfRef)) return undefined;
    const n = r.int(1000, 10_001);
    const start = rd.size;
    const objects: [number, PdfObject][] = Array.from({ length: n }, (_, i) => [
      start + i,
      new PdfDict()
        .set('FT', name('Sig'))
        .set('T', new PdfString(latin1(`flood${i}`)))
        .set('V', v),
    ]);
    const newForm = formDict.clone().set('Fields', [...fields, ...objects.map(([num]) => new PdfRef(num, 0))]);
    objects.push(
      form instanceof PdfRef
        ? [form.num, newForm]
        : [(rd.trailer.get('Root') as PdfRef).num, rd.catalog().clone().set('AcroForm', newForm)],
    );
    return { input: pdf(appendRawUpdate(b.bytes, objects)), mustNotPass: false, variant: `${n} fields` };
  },
  'huge-values': (b, r) => {
    const rd = PdfReader.open(b.bytes);
    const n = rd.size;
    const kind = r.pick(['array', 'string', 'dict', 'nesting']);
    const value: PdfObject =
      kind === 'array'
        ? Array.from({ length: 200_000 }, (_, i) => i)
        : kind === 'string'
          ? new PdfRaw(`(${'A'.repeat(8 * 1024 * 1024)})`)
          : kind === 'dict'
            ? new PdfDict(Array.from({ length: 50_000 }, (_, i) => [`K${i}`, i] as [string, PdfObject]))
            : new PdfRaw(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    // referred to from the page, so that whatever reads the page meets it
    return {
      input: pdf(
        appendRawUpdate(b.bytes, [
          [n, value],
          [firstPage(rd).num, rd.pages()[0]!.dict.clone().set('PieceInfo', new PdfRef(n, 0))],
        ]),
      ),
      mustNotPass: false,
      variant: kind,
    };
  },
};

/** The decompression bomb, made once per process (callers await {@link prepareBomb}). */
const BOMB: { value?: Uint8Array } = {};

/** Makes the bomb the PDF bomb techniques use. */
export async function prepareBomb(): Promise<void> {
  if (!BOMB.value) BOMB.value = await (await import('./bombs.js')).doubleFlateBomb(1024);
}

// ---------------------------------------------------------------- XML

const xml = (text: string) => ({ kind: 'xml' as const, text });

/** [start, end) of the signed element's text (the whole document but its Signatures, for `document`). */
function signedSpan(b: XmlBase): [number, number] {
  if (b.signed === 'document')
    return [
      b.text.indexOf('>', b.text.indexOf('<', b.text.indexOf('?>') + 2)) + 1,
      b.text.search(/<(\w+:)?Signature[\s>]/),
    ];
  const start = b.text.search(new RegExp(`<${b.signed}[\\s>]`));
  return [start, b.text.indexOf(`</${b.signed}>`, start) + b.signed.length + 3];
}

/** Offsets of letters and digits in text nodes (between `>` and `<`) of [from, to). */
function textPositions(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  let inText = false;
  for (let i = from; i < to; i++) {
    const c = text[i]!;
    if (c === '>') inText = true;
    else if (c === '<') inText = false;
    else if (inText && /[A-Za-z0-9]/.test(c)) out.push(i);
  }
  return out;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const HUGE_B64 = (): string => 'QUFB'.repeat(2 * 1024 * 1024 + 1);

const XML_TECHNIQUES: Record<string, Technique<XmlBase>> = {
  'flip-signed': (b, r) => {
    const [from, to] = signedSpan(b);
    const at = r.pick(textPositions(b.text, from, to));
    let c = r.pick([...ALNUM]);
    if (c === b.text[at]) c = c === 'A' ? 'B' : 'A';
    return { input: xml(b.text.slice(0, at) + c + b.text.slice(at + 1)), mustNotPass: true };
  },
  'flip-anywhere': (b, r) => {
    const at = r.int(0, b.text.length);
    const c = String.fromCharCode(r.int(0x20, 0x7f));
    return { input: xml(b.text.slice(0, at) + c + b.text.slice(at + 1)), mustNotPass: false };
  },
  'signature-value': (b, r) => {
    const which = r.pick(['SignatureValue', 'DigestValue']);
    const m = new RegExp(`(<(?:\\w+:)?${which}>)([^<]*)`).exec(b.text)!;
    const v = m[2]!;
    const at = r.int(0, v.length - 4);
    const changed = v.slice(0, at) + (v[at] === 'A' ? 'B' : 'A') + v.slice(at + 1);
    return { input: xml(b.text.replace(m[0], m[1] + changed)), mustNotPass: true, variant: which };
  },
  wrap: (b, r) => {
    if (b.signed === 'document') return undefined;
    const [from, to] = signedSpan(b);
    const original = b.text.slice(from, to);
    const positions = textPositions(b.text, from, to).map((p) => p - from);
    const at = r.pick(positions);
    const altered = original.slice(0, at) + (original[at] === '9' ? '8' : '9') + original.slice(at + 1);
    const keepId = r.float() < 0.5;
    const copy = keepId ? altered : altered.replace(/ (Id|id)="[^"]*"/, '');
    const wrapper = r.pick(['Extra', 'ds:Object', 'Wrapper']);
    // the altered copy where an application reads; the signed original moved into a wrapper at the end of the root
    const rootEnd = b.text.lastIndexOf('</');
    const moved = `<${wrapper}${wrapper === 'ds:Object' ? ' xmlns:ds="http://www.w3.org/2000/09/xmldsig#"' : ''}>${original}</${wrapper}>`;
    const text = b.text.slice(0, from) + copy + b.text.slice(to, rootEnd) + moved + b.text.slice(rootEnd);
    return { input: xml(text), mustNotPass: true, variant: `${wrapper}${keepId ? ', Id kept' : ', Id dropped'}` };
  },
  duplicate: (b) => {
    if (b.signed === 'document') return undefined;
    const [from, to] = signedSpan(b);
    return { input: xml(b.text.slice(0, to) + b.text.slice(from, to) + b.text.slice(to)), mustNotPass: true };
  },
  'move-signature': (b) => {
    const sigStart = b.text.search(/<(\w+:)?Signature[\s>]/);
    const prefix = /<(\w+:)?Signature/.exec(b.text.slice(sigStart))![1] ?? '';
    const sigEnd = b.text.indexOf(`</${prefix}Signature>`, sigStart) + `</${prefix}Signature>`.length;
    const sig = b.text.slice(sigStart, sigEnd);
    const without = b.text.slice(0, sigStart) + b.text.slice(sigEnd);
    if (b.place) {
      const [, to] = b.place;
      const dscks = without.indexOf('<DSCKS>');
      const slot = without.indexOf(`<${to}></${to}>`, dscks);
      if (slot < 0) return undefined;
      return {
        input: xml(without.slice(0, slot) + `<${to}>${sig}</${to}>` + without.slice(slot + `<${to}></${to}>`.length)),
        mustNotPass: true,
        variant: `into ${to}`,
      };
    }
    const rootEnd = without.lastIndexOf('</');
    return {
      input: xml(without.slice(0, rootEnd) + sig + without.slice(rootEnd)),
      mustNotPass: true,
      variant: 'to the root',
    };
  },
  'huge-value': (b, r) => {
    const which = r.pick(['SignatureValue', 'DigestValue', 'X509Certificate', 'extra X509Certificate']);
    if (which === 'extra X509Certificate') {
      const m = /<((?:\w+:)?)X509Certificate>/.exec(b.text)!;
      return {
        input: xml(b.text.replace(m[0], `${m[0]}${HUGE_B64()}</${m[1]}X509Certificate><${m[1]}X509Certificate>`)),
        mustNotPass: false,
        variant: which,
      };
    }
    const m = new RegExp(`(<(?:\\w+:)?${which}>)[^<]*`).exec(b.text)!;
    return {
      input: xml(b.text.replace(m[0], m[1] + HUGE_B64())),
      mustNotPass: which !== 'X509Certificate',
      variant: which,
    };
  },
  'unsigned-twin': (b) => {
    if (b.name !== 'einvoice-seller') return undefined;
    const renamed = b.text.replace(/<(\/?)HDon>/g, '<$1HoaDon>');
    const signed = /<DLHDon [\s\S]*?<\/DLHDon>/.exec(renamed)![0];
    const twin = signed.replace(/ Id="[^"]*"/, '').replace(/<SHDon>\d+<\/SHDon>/, '<SHDon>999</SHDon>');
    return {
      input: xml(renamed.replace('<DLHDon ', `${twin}<DLHDon `)),
      mustNotPass: false,
      mustWarn: /unsigned namesake/,
    };
  },
  'hostile-markup': (b, r) => {
    const inserts = [
      '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
      '<?pi data?>',
      '<!-- c -->',
      '<![CDATA[x]]>',
      '&amp;',
      '<a xmlns="urn:x"/>',
    ];
    const ins = r.pick(inserts);
    const at = ins.startsWith('<!DOCTYPE') ? b.text.indexOf('?>') + 2 : r.pick(textPositions(b.text, ...signedSpan(b)));
    const input = xml(b.text.slice(0, at) + ins + b.text.slice(at));
    // C14N without comments leaves a comment out of what is signed (so it may pass), but a reader that stops at
    // it reads less than was signed (the SAML comment attack): the report must say so
    if (ins === '<!-- c -->') return { input, mustNotPass: false, mustWarn: /comment/, variant: 'comment' };
    return { input, mustNotPass: true, variant: ins.slice(0, 12) };
  },
};

// ---------------------------------------------------------------- CMS

const MESSAGE_DIGEST_OID = latin1('\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04');

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const CMS_TECHNIQUES: Record<string, Technique<Bases['cms']>> = {
  'flip-data': (c, r) => ({
    input: { kind: 'cms', data: flip(c.data, r.int(0, c.data.length), r), p7s: c.p7s },
    mustNotPass: true,
  }),
  'flip-signed-attributes': (c, r) => {
    // the message digest value: the 32 bytes after its attribute's OID, SET and OCTET STRING headers
    const at = indexOf(c.p7s, MESSAGE_DIGEST_OID) + MESSAGE_DIGEST_OID.length + 4 + r.int(0, 32);
    return { input: { kind: 'cms', data: c.data, p7s: flip(c.p7s, at, r) }, mustNotPass: true };
  },
  'flip-signature-value': (c, r) => ({
    input: { kind: 'cms', data: c.data, p7s: flip(c.p7s, c.p7s.length - 1 - r.int(0, 200), r) },
    mustNotPass: true,
  }),
  'flip-anywhere': (c, r) => ({
    input: { kind: 'cms', data: c.data, p7s: flip(c.p7s, r.int(0, c.p7s.length), r) },
    mustNotPass: false,
  }),
  'truncate-p7s': (c, r) => ({
    input: { kind: 'cms', data: c.data, p7s: c.p7s.subarray(0, r.int(0, c.p7s.length)) },
    mustNotPass: true,
  }),
  'second-signer-corrupted': (c) => ({
    input: { kind: 'cms', data: c.data, p7s: withCorruptedSecondSigner(c.p7s) },
    mustNotPass: true,
  }),
};

/** The SignedData with its SignerInfo twice, the second's signature value corrupted (one SET grows). */
function withCorruptedSecondSigner(p7s: Uint8Array): Uint8Array {
  return CORRUPT_SECOND.fn!(p7s);
}
const CORRUPT_SECOND: { fn?: (p7s: Uint8Array) => Uint8Array } = {};

/** Loads what the CMS techniques need (pkijs, lazily). */
export async function prepareCms(): Promise<void> {
  if (CORRUPT_SECOND.fn) return;
  const pkijs = await import('pkijs');
  const asn1js = await import('asn1js');
  CORRUPT_SECOND.fn = (p7s) => {
    const ci = new pkijs.ContentInfo({ schema: asn1js.fromBER(p7s.slice().buffer).result });
    const sd = new pkijs.SignedData({ schema: ci.content });
    const copy = new pkijs.SignerInfo({ schema: sd.signerInfos[0]!.toSchema() });
    const sig = new Uint8Array(copy.signature.valueBlock.valueHexView);
    sig[sig.length - 1] = sig[sig.length - 1]! ^ 0xff;
    copy.signature = new asn1js.OctetString({ valueHex: sig });
    sd.signerInfos.push(copy);
    const out = new pkijs.ContentInfo({ contentType: ci.contentType, content: sd.toSchema(true) });
    return new Uint8Array(out.toSchema().toBER());
  };
}

// ---------------------------------------------------------------- the suite

const ALL: { target: 'pdf' | 'xml' | 'cms'; technique: string }[] = [
  ...Object.keys(PDF_TECHNIQUES).map((technique) => ({ target: 'pdf' as const, technique })),
  ...Object.keys(XML_TECHNIQUES).map((technique) => ({ target: 'xml' as const, technique })),
  ...Object.keys(CMS_TECHNIQUES).map((technique) => ({ target: 'cms' as const, technique })),
];

/** Number of techniques: case i uses technique i mod this, so any run of that many cases uses each once. */
export const TECHNIQUES = ALL.length;

/** Case `index` of `seed`, or undefined when its technique does not apply to the base it drew. */
export function caseAt(bases: Bases, seed: number, index: number): FuzzCase | undefined {
  const { target, technique } = ALL[index % ALL.length]!;
  const r = new Random((seed * 1_000_003 + index) | 0);
  const id = `${seed}:${index}`;
  let made: ReturnType<Technique<never>>;
  let base: string;
  if (target === 'pdf') {
    const b = r.pick(bases.pdfs);
    base = b.name;
    made = PDF_TECHNIQUES[technique]!(b, r);
  } else if (target === 'xml') {
    const b = r.pick(bases.xmls);
    base = b.name;
    made = XML_TECHNIQUES[technique]!(b, r);
  } else {
    base = 'p7s';
    made = CMS_TECHNIQUES[technique]!(bases.cms, r);
  }
  if (!made) return undefined;
  return {
    id,
    technique: `${target} ${technique}${made.variant ? ` (${made.variant})` : ''}`,
    base,
    input: made.input,
    mustNotPass: made.mustNotPass,
    ...(made.mustWarn && { mustWarn: made.mustWarn }),
  };
}
