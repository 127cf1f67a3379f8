import { describe, expect, it } from 'vitest';
import { isKysoError } from '../../src/core/errors.js';
import { createKeySigner } from '../../src/signers/key-signer.js';
import { DSIG_NS, parseXml } from '../../src/xml/dom.js';
import { signXml, type SignXmlOptions } from '../../src/xades/sign-xml.js';
import { pkiFile } from '../fixtures/pki.js';
import { describeWithTools } from '../fixtures/tools.js';
import { fixture, fixtureText, testSigner, xmlsecVerify } from '../xml/helpers.js';

const TIME = new Date('2024-04-15T03:00:00Z');
const rsa = testSigner('rsa2048');
const text = (b: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);

async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return isKysoError(e) ? e.code : `not a KysoError: ${String(e)}`;
  }
  return undefined;
}

/** The signed document with the Signature (and what was created for it) cut out again. */
function withoutSignature(signed: string, created: string[] = []): string {
  let out = signed.replace(/<Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#"[\s\S]*?<\/Signature>/, '');
  for (const c of created) out = out.replace(`<${c}></${c}>`, '');
  return out;
}

describe('signXml placement', () => {
  it('einvoice seller: signs DLHDon into DSCKS/NBan with a SigningTime object, input text untouched', async () => {
    const input = fixtureText('einvoice-tt78.xml');
    const signed = text(
      await signXml(fixture('einvoice-tt78.xml'), { signer: rsa, profile: 'einvoice', signingTime: TIME }),
    );
    expect(withoutSignature(signed)).toBe(input);
    const doc = parseXml(signed).doc;
    const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0]!;
    expect((sig.parentNode as Element).tagName).toBe('NBan');
    expect((sig.parentNode!.parentNode as Element).tagName).toBe('DSCKS');
    const uris = Array.from(sig.getElementsByTagNameNS(DSIG_NS, 'Reference')).map((r) => r.getAttribute('URI'));
    expect(uris).toEqual(['#DLHDon-C24TAA-0000123', `#${sig.getAttribute('Id')}-SigningTime`]);
    expect(signed).toContain('<SigningTime xmlns="">2024-04-15T10:00:00+07:00</SigningTime>');
  });

  it('einvoice buyer and tax authority go to NMua and CQT; the tax authority also covers MCCQT', async () => {
    const seller = await signXml(fixture('einvoice-tt78-mccqt.xml'), {
      signer: rsa,
      profile: 'einvoice',
      signingTime: TIME,
    });
    const buyer = text(
      await signXml(seller, { signer: testSigner('p256'), profile: 'einvoice', role: 'buyer', signingTime: TIME }),
    );
    const cqt = text(
      await signXml(buyer, { signer: rsa, profile: 'einvoice', role: 'tax-authority', signingTime: TIME }),
    );
    const doc = parseXml(cqt).doc;
    const sigs = Array.from(doc.getElementsByTagNameNS(DSIG_NS, 'Signature'));
    expect(sigs.map((s) => (s.parentNode as Element).tagName)).toEqual(['NBan', 'NMua', 'CQT']);
    const cqtUris = Array.from(sigs[2]!.getElementsByTagNameNS(DSIG_NS, 'Reference')).map((r) => r.getAttribute('URI'));
    expect(cqtUris.slice(0, 2)).toEqual(['#DLHDon-C24TAA-0000123', '#MCCQT-0000123']);
    expect(await errorCode(signXml(cqt, { signer: rsa, profile: 'einvoice', role: 'buyer' }))).toBe('ERR_XML_PROFILE');
  });

  it('tax: creates CKyDTu right after HSoKhaiThue and references #ID_1', async () => {
    const input = fixtureText('tax-01gtgt.xml');
    const signed = text(await signXml(input, { signer: rsa, profile: 'tax', signingTime: TIME }));
    expect(withoutSignature(signed, ['CKyDTu'])).toBe(input);
    expect(signed).toMatch(/<\/HSoKhaiThue><CKyDTu><Signature xmlns="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#"/);
    expect(signed).toContain('<Reference URI="#ID_1">');
  });

  it('tax registration: fills an empty <CKyDTu/> and references the older _NODE_TO_SIGN id', async () => {
    const signed = text(await signXml(fixture('tax-registration.xml'), { signer: rsa, profile: 'tax' }));
    expect(signed).toMatch(/<CKyDTu><Signature [\s\S]*<\/Signature><\/CKyDTu>/);
    expect(signed).toContain('<Reference URI="#_NODE_TO_SIGN">');
  });

  it('tax: adds id="ID_1" when the declaration has none', async () => {
    const input = fixtureText('tax-01gtgt.xml').replace('<HSoKhaiThue id="ID_1">', '<HSoKhaiThue>');
    const signed = text(await signXml(input, { signer: rsa, profile: 'tax' }));
    expect(signed).toContain('<HSoKhaiThue id="ID_1">');
  });

  it('bhxh: a form is signed whole into <Form>/Cky; the package into Hoso/CKy_Dvi with a SigningTime', async () => {
    const form = text(await signXml(fixture('bhxh-d02-ts.xml'), { signer: rsa, profile: 'bhxh' }));
    expect(form).toMatch(
      /<Cky><Signature [\s\S]*<Reference URI=""><Transforms><Transform Algorithm="http:\/\/www\.w3\.org\/2000\/09\/xmldsig#enveloped-signature"\/>/,
    );
    const pkg = text(await signXml(fixture('bhxh-package.xml'), { signer: rsa, profile: 'bhxh', signingTime: TIME }));
    expect(pkg).toMatch(
      /<CKy_Dvi><Signature [\s\S]*<SigningTime xmlns="">2024-04-15T10:00:00\+07:00<\/SigningTime>[\s\S]*<\/CKy_Dvi>/,
    );
  });

  it('without a profile: URI="" and the Signature appended to the root; location and reference override', async () => {
    const plain = text(await signXml('<r><a Id="x">1</a><b/></r>', { signer: rsa }));
    expect(plain).toMatch(/^<r><a Id="x">1<\/a><b\/><Signature [\s\S]*<Reference URI="">[\s\S]*<\/Signature><\/r>$/);
    const placed = text(
      await signXml('<r><a Id="x">1</a><b/></r>', {
        signer: rsa,
        reference: { uri: '#x' },
        location: { path: '/r/b' },
      }),
    );
    expect(placed).toMatch(
      /^<r><a Id="x">1<\/a><b><Signature [\s\S]*<Reference URI="#x">[\s\S]*<\/Signature><\/b><\/r>$/,
    );
    const created = text(await signXml('<r/>', { signer: rsa, location: { path: 'x/y' } }));
    expect(created).toMatch(/^<r><x><y><Signature [\s\S]*<\/Signature><\/y><\/x><\/r>$/);
  });

  it('keeps a byte-order mark and CRLF line ends', async () => {
    const input = '\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<r>\r\n  <a>x</a>\r\n</r>\r\n';
    const signed = text(await signXml(new TextEncoder().encode(input), { signer: rsa }));
    expect(signed.startsWith('\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<r>\r\n  <a>x</a>\r\n<Signature')).toBe(
      true,
    );
  });

  it('writes the chain on request, and XAdES SignedProperties with SigningCertificateV2', async () => {
    const signed = text(
      await signXml(fixture('einvoice-tt78.xml'), {
        signer: rsa,
        profile: 'einvoice',
        includeChain: true,
        xades: true,
      }),
    );
    expect(signed.match(/<X509Certificate>/g)).toHaveLength(3);
    expect(signed).toContain('Type="http://uri.etsi.org/01903#SignedProperties"');
    expect(signed).toMatch(
      /<xades:SignedSignatureProperties><xades:SigningTime>[^<]+\+07:00<\/xades:SigningTime><xades:SigningCertificateV2>/,
    );
  });
});

describe('signXml refusals', () => {
  const base: SignXmlOptions = { signer: rsa };
  it.each<[string, string | Uint8Array, Partial<SignXmlOptions>, string]>([
    ['a document the profile does not describe', '<r/>', { profile: 'einvoice' }, 'ERR_XML_PROFILE'],
    [
      'an unknown role',
      fixtureText('einvoice-tt78.xml'),
      { profile: 'einvoice', role: 'notary' },
      'ERR_INVALID_ARGUMENT',
    ],
    ['an unknown profile', '<r/>', { profile: 'nope' as 'tax' }, 'ERR_INVALID_ARGUMENT'],
    [
      'a DLHDon without Id',
      fixtureText('einvoice-tt78.xml').replace(' Id="DLHDon-C24TAA-0000123"', ''),
      { profile: 'einvoice' },
      'ERR_XML_PROFILE',
    ],
    [
      'two DLHDon',
      fixtureText('einvoice-tt78.xml').replace('<DSCKS>', '<DLHDon Id="other"/><DSCKS>'),
      { profile: 'einvoice' },
      'ERR_XML_PROFILE',
    ],
    ['a duplicate Id', '<r><a Id="x"/><b Id="x"/></r>', { reference: { uri: '#x' } }, 'ERR_XML_MALFORMED'],
    ['a missing Id', '<r/>', { reference: { uri: '#x' } }, 'ERR_XML_PROFILE'],
    ['an external URI', '<r/>', { reference: { uri: 'http://example.com/x' } }, 'ERR_XML_MALFORMED'],
    ['SHA-1 without allowSha1', '<r/>', { hash: 'SHA-1' }, 'ERR_UNSUPPORTED_ALGORITHM'],
    ['a DOCTYPE', '<!DOCTYPE r><r/>', {}, 'ERR_XML_DOCTYPE'],
    ['malformed XML', '<r><a></r>', {}, 'ERR_XML_MALFORMED'],
    ['a processing instruction in signed content', '<r><?php echo 1 ?></r>', {}, 'ERR_XML_MALFORMED'],
  ])('refuses %s', async (_, xml, opts, code) => {
    expect(await errorCode(signXml(xml, { ...base, ...opts }))).toBe(code);
  });

  it('refuses a missing signer and wraps a failing one', async () => {
    expect(await errorCode(signXml('<r/>', {} as SignXmlOptions))).toBe('ERR_INVALID_ARGUMENT');
    const broken = { ...rsa, sign: async () => Promise.reject(new Error('token removed')) };
    expect(await errorCode(signXml('<r/>', { signer: broken }))).toBe('ERR_SIGNER_FAILED');
    const empty = { ...rsa, sign: async () => new Uint8Array(0) };
    expect(await errorCode(signXml('<r/>', { signer: empty }))).toBe('ERR_SIGNER_FAILED');
  });

  it('uses RSA-SHA1 only when asked to', async () => {
    const signed = text(await signXml('<r/>', { signer: rsa, hash: 'SHA-1', allowSha1: true }));
    expect(signed).toContain('Algorithm="http://www.w3.org/2000/09/xmldsig#rsa-sha1"');
    expect(signed).toContain('Algorithm="http://www.w3.org/2000/09/xmldsig#sha1"');
  });
});

// xmlsec1 is the independent verifier: it must accept every profile, role and algorithm family we sign.
describeWithTools(['xmlsec1'], 'xmlsec1 --verify accepts what signXml makes', () => {
  const cases: [string, string, Partial<SignXmlOptions>][] = [
    ['einvoice seller', 'einvoice-tt78.xml', { profile: 'einvoice' }],
    [
      'einvoice tax authority (exc-c14n)',
      'einvoice-tt78-mccqt.xml',
      { profile: 'einvoice', role: 'tax-authority', canonicalization: 'exc-c14n' },
    ],
    ['tax declaration', 'tax-01gtgt.xml', { profile: 'tax' }],
    ['tax registration', 'tax-registration.xml', { profile: 'tax' }],
    ['bhxh form', 'bhxh-d02-ts.xml', { profile: 'bhxh' }],
    ['bhxh package + XAdES', 'bhxh-package.xml', { profile: 'bhxh', xades: true }],
    ['c14n with comments', 'einvoice-tt78.xml', { profile: 'einvoice', canonicalization: 'c14n-with-comments' }],
  ];
  const signers: [string, Partial<SignXmlOptions>][] = [
    ['rsa2048', { hash: 'SHA-256' }],
    ['rsa4096', { hash: 'SHA-512' }],
    ['p256', { hash: 'SHA-256' }],
    ['p384', { hash: 'SHA-384' }],
  ];
  for (const [what, file, opts] of cases) {
    for (const [name, alg] of signers) {
      it(`${what}, ${name} ${alg.hash}`, async () => {
        const signed = await signXml(fixture(file), { signer: testSigner(name), includeChain: true, ...opts, ...alg });
        const r = xmlsecVerify(signed);
        expect(r.ok, r.output).toBe(true);
      });
    }
  }

  it('with the key-file signer (PKCS#1 and SEC1 keys, chain from the PEM)', async () => {
    for (const [name, key] of [
      ['rsa2048', 'rsa2048.pkcs1.pem'],
      ['p384', 'p384.sec1.pem'],
    ]) {
      const signer = await createKeySigner({ key: pkiFile(key!), certificate: pkiFile(`${name}.chain.pem`) });
      const r = xmlsecVerify(
        await signXml(fixture('einvoice-tt78.xml'), { signer, profile: 'einvoice', includeChain: true }),
      );
      expect(r.ok, r.output).toBe(true);
    }
  });

  it('an Id added to the declaration, a CKyDTu created for the signature', async () => {
    const input = fixtureText('tax-01gtgt.xml').replace('<HSoKhaiThue id="ID_1">', '<HSoKhaiThue>');
    const r = xmlsecVerify(await signXml(input, { signer: testSigner('p256'), profile: 'tax', includeChain: true }));
    expect(r.ok, r.output).toBe(true);
  });

  it('RSA-SHA1 when allowed (old receivers)', async () => {
    const signed = await signXml(fixture('einvoice-tt78.xml'), {
      signer: rsa,
      profile: 'einvoice',
      hash: 'SHA-1',
      allowSha1: true,
    });
    expect(xmlsecVerify(signed).ok).toBe(true);
  });

  it('a signer from another root is not trusted by xmlsec1 either', async () => {
    const signed = await signXml(fixture('einvoice-tt78.xml'), {
      signer: testSigner('stranger'),
      profile: 'einvoice',
      includeChain: true,
    });
    expect(xmlsecVerify(signed).ok).toBe(false);
    expect(xmlsecVerify(signed, { trusted: false }).ok).toBe(true);
  });

  it('tampering is caught by xmlsec1: a signed character, the SigningTime, the certificate', async () => {
    const signed = text(
      await signXml(fixture('einvoice-tt78.xml'), { signer: rsa, profile: 'einvoice', signingTime: TIME }),
    );
    expect(xmlsecVerify(signed).ok).toBe(true);
    expect(xmlsecVerify(signed.replace('<SLuong>10</SLuong>', '<SLuong>19</SLuong>')).ok).toBe(false);
    expect(xmlsecVerify(signed.replace('2024-04-15T10:00:00+07:00', '2024-04-15T10:00:01+07:00')).ok).toBe(false);
    const cert = /<X509Certificate>([^<]+)</.exec(signed)![1]!;
    const flipped = cert.slice(0, 200) + (cert[200] === 'A' ? 'B' : 'A') + cert.slice(201);
    expect(xmlsecVerify(signed.replace(cert, flipped)).ok).toBe(false);
  });
});
