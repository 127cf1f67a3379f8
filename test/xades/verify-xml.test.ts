import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLSerializer } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/core/bytes.js';
import type { Signer } from '../../src/signers/signer.js';
import { signatureFromUri } from '../../src/xml/algorithms.js';
import { c14nFromUri, canonicalize } from '../../src/xml/c14n.js';
import { DSIG_NS, dsigChildren, parseXml, utf8 } from '../../src/xml/dom.js';
import { signXml, type SignXmlOptions } from '../../src/xades/sign-xml.js';
import { parseSignedContent, verifyXml } from '../../src/xades/verify-xml.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';
import { describeWithTools, run, scratchDir } from '../fixtures/tools.js';
import { fixture, fixtureText, testSigner, XMLSEC_ID_ATTRS, xmlsecVerify } from '../xml/helpers.js';
import type { XmlVerificationReport } from '../../src/validation/reports.js';

const TIME = new Date('2024-04-15T03:00:00Z');
const rsa = testSigner('rsa2048');
const stranger = testSigner('stranger');
const trust = [pkiFile('root.cert.der')];
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function signed(file: string, opts: Partial<SignXmlOptions> = {}): Promise<string> {
  return text(await signXml(fixture(file), { signer: rsa, profile: 'einvoice', signingTime: TIME, ...opts }));
}

/** Lets a test edit a signed document, then signs SignedInfo again with `signer` (a forger's key). */
async function resign(
  xml: string,
  signer: Signer,
  edit: (doc: Document, sig: Element) => void,
  index = 0,
): Promise<string> {
  const { doc } = parseXml(xml);
  const sig = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[index]!;
  edit(doc, sig);
  const si = dsigChildren(sig, 'SignedInfo')[0]!;
  const method = c14nFromUri(dsigChildren(si, 'CanonicalizationMethod')[0]!.getAttribute('Algorithm')!)!;
  const alg = signatureFromUri(dsigChildren(si, 'SignatureMethod')[0]!.getAttribute('Algorithm')!)!;
  const value = await signer.sign(utf8(canonicalize(si, method)), alg);
  dsigChildren(sig, 'SignatureValue')[0]!.textContent = toBase64(value);
  return new XMLSerializer().serializeToString(doc);
}

const setText = (el: Element, value: string) => {
  el.textContent = value;
};
const sha256b64 = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64');
const first = (r: XmlVerificationReport) => r.signatures[0]!;

describe('verifyXml round trips', () => {
  for (const [what, file, opts] of [
    ['einvoice seller', 'einvoice-tt78.xml', { profile: 'einvoice' }],
    ['tax declaration', 'tax-01gtgt.xml', { profile: 'tax' }],
    ['bhxh form', 'bhxh-d02-ts.xml', { profile: 'bhxh' }],
    ['bhxh package, XAdES', 'bhxh-package.xml', { profile: 'bhxh', xades: true }],
  ] as const) {
    it(`${what}: integrity holds, the business element is what was signed, nothing is trusted without anchors`, async () => {
      const xml = await signed(file, opts);
      const report = await verifyXml(xml);
      expect(report.profile).toBe(opts.profile);
      const s = first(report);
      expect(s.integrity, s.errors.join('; ')).toBe(true);
      expect(s.businessElement?.signed).toBe(true);
      expect(s.signatureValue).toBe('valid');
      expect(s.references.every((r) => r.digestValid && r.rule === 'spec')).toBe(true);
      // no trust anchors: never TOTAL_PASSED
      expect(report.indication).toBe('INDETERMINATE');
      expect(report.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
      expect(s.chain.status).toBe('not-checked');
    });
  }

  it('reports role, references by path, certificate facts, signing time and algorithms', async () => {
    const report = await verifyXml(await signed('einvoice-tt78.xml'), { trust });
    const s = first(report);
    expect(s.role).toBe('seller');
    expect(s.path).toBe('/HDon[1]/DSCKS[1]/NBan[1]/Signature[1]');
    expect(s.references.map((r) => r.resolvedPath)).toEqual([
      '/HDon[1]/DLHDon[1]',
      '/HDon[1]/DSCKS[1]/NBan[1]/Signature[1]/Object[1]',
    ]);
    expect(s.businessElement).toEqual({ rule: 'DLHDon', path: '/HDon[1]/DLHDon[1]', signed: true });
    expect(s.certificate?.subject).toContain('CN=Nguyễn Văn An');
    expect(s.certificate?.cccd).toBe('001089012345');
    expect(s.certificate?.sha256).toBe(
      createHash('sha256').update(pkiFile('rsa2048.cert.der')).digest('hex').toUpperCase(),
    );
    expect(s.signingTime).toEqual({
      value: '2024-04-15T10:00:00+07:00',
      time: '2024-04-15T03:00:00.000Z',
      source: 'SignatureProperty',
      signed: true,
    });
    expect(s.signatureAlgorithm).toEqual({ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    expect(s.algorithms).toEqual({ sha1: false, accepted: true });
    // data: JSON carries it whole (the signer model's validity dates become ISO strings, as in PDF reports)
    expect(JSON.parse(JSON.stringify(report))).toEqual({
      ...report,
      signatures: report.signatures.map((x) => ({ ...x, signer: JSON.parse(JSON.stringify(x.signer)) })),
    });
  });

  it('says whether the certificate was valid at the signed signing time', async () => {
    const expired = testSigner('expired'); // valid 2020–2021
    const during = first(
      await verifyXml(
        await signed('einvoice-tt78.xml', { signer: expired, signingTime: new Date('2020-06-01T00:00:00Z') }),
      ),
    );
    expect(during.validAtSigningTime).toBe(true);
    const after = first(await verifyXml(await signed('einvoice-tt78.xml', { signer: expired, signingTime: TIME })));
    expect(after.validAtSigningTime).toBe(false);
    expect(after.warnings).toContain('the signing time lies outside the certificate validity period');
  });

  it('verifies every signature in DSCKS: seller, buyer (ECDSA) and tax authority with MCCQT', async () => {
    const seller = await signXml(fixture('einvoice-tt78-mccqt.xml'), { signer: rsa, profile: 'einvoice' });
    const buyer = await signXml(seller, {
      signer: testSigner('p384'),
      profile: 'einvoice',
      role: 'buyer',
      hash: 'SHA-384',
    });
    const cqt = await signXml(buyer, {
      signer: testSigner('rsa4096'),
      profile: 'einvoice',
      role: 'tax-authority',
      canonicalization: 'exc-c14n',
    });
    const report = await verifyXml(cqt);
    expect(report.signatures.map((s) => [s.role, s.integrity, s.businessElement?.signed])).toEqual([
      ['seller', true, true],
      ['buyer', true, true],
      ['tax-authority', true, true],
    ]);
    expect(report.signatures[2]!.certificate?.mst).toBe('0101234567');
  });

  it('hands back what was signed as canonical XML, parseable into a fresh DOM', async () => {
    const s = first(await verifyXml(await signed('einvoice-tt78.xml')));
    const dlhdon = parseSignedContent(s.references[0]!.signedXml!).documentElement;
    expect(dlhdon.localName).toBe('DLHDon');
    expect(dlhdon.getElementsByTagName('TgTTTBSo')[0]!.textContent).toBe('1265000');
  });

  it('RSA-PSS and SHA-1 round trips; SHA-1 only as a policy choice', async () => {
    const pss = first(await verifyXml(await signed('einvoice-tt78.xml', { pss: true, hash: 'SHA-384' })));
    expect(pss.integrity).toBe(true);
    expect(pss.signatureAlgorithm).toEqual({ scheme: 'RSA-PSS', hash: 'SHA-384' });
    const sha1xml = await signed('einvoice-tt78.xml', { hash: 'SHA-1', allowSha1: true });
    const strict = first(await verifyXml(sha1xml));
    expect(strict.integrity).toBe(true);
    expect(strict.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
    const lenient = first(await verifyXml(sha1xml, { allowSha1: true }));
    expect(lenient.algorithms).toEqual({ sha1: true, accepted: true });
    expect(lenient.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });
});

describe('verifyXml trust', () => {
  const time = new Date('2025-06-01T00:00:00Z');

  it('TOTAL_PASSED for every profile when the chain reaches a trust anchor', async () => {
    for (const [file, profile] of [
      ['einvoice-tt78.xml', 'einvoice'],
      ['tax-01gtgt.xml', 'tax'],
      ['bhxh-d02-ts.xml', 'bhxh'],
      ['bhxh-package.xml', 'bhxh'],
    ] as const) {
      const report = await verifyXml(await signed(file, { profile, includeChain: true }), { trust, time });
      expect(report.indication, `${file}: ${report.signatures.flatMap((x) => x.errors).join('; ')}`).toBe(
        'TOTAL_PASSED',
      );
      expect(first(report).chain).toMatchObject({ status: 'valid', time: time.toISOString() });
      expect(first(report).chain.path).toHaveLength(3);
    }
  });

  it('intermediates come from KeyInfo or from the caller; a PEM root works as trust too', async () => {
    const leafOnly = await signed('einvoice-tt78.xml');
    expect((await verifyXml(leafOnly, { trust, time })).subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    const withIntermediate = await verifyXml(leafOnly, {
      trust: [readFileSync(pkiPath('root.cert.pem'), 'utf8')],
      time,
      certificates: [readFileSync(pkiPath('intermediate.cert.pem'), 'utf8')],
    });
    expect(withIntermediate.indication).toBe('TOTAL_PASSED');
    // PEM read as bytes (a file read without an encoding) is PEM too, not mistaken for DER
    const pemBytes = await verifyXml(leafOnly, {
      trust,
      time,
      certificates: [readFileSync(pkiPath('intermediate.cert.pem'))],
    });
    expect(pemBytes.indication).toBe('TOTAL_PASSED');
  });

  it('a wrong trust anchor, or the Vietnamese bundle, does not vouch for the test PKI', async () => {
    const xml = await signed('einvoice-tt78.xml', { includeChain: true });
    const other = await verifyXml(xml, { trust: [readFileSync(pkiPath('other-root.cert.pem'), 'utf8')], time });
    expect(other).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(first(other).chain.status).toBe('invalid');
    expect((await verifyXml(xml, { trust: 'vn', time })).subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('an expired certificate, and one without a signing key usage, are not TOTAL_PASSED', async () => {
    const expired = await verifyXml(
      await signed('einvoice-tt78.xml', { signer: testSigner('expired'), includeChain: true }),
      { trust, time },
    );
    expect(first(expired).integrity).toBe(true);
    expect(expired.indication).toBe('INDETERMINATE');
    expect(first(expired).chain.status).toBe('invalid');
    const nosign = await verifyXml(
      await signed('einvoice-tt78.xml', { signer: testSigner('nosign'), includeChain: true }),
      { trust, time },
    );
    expect(nosign.indication).toBe('INDETERMINATE');
    expect(first(nosign).chain.status).toBe('invalid');
  });

  it('a certificate changed outside its key: the signature still verifies, the path does not', async () => {
    const xml = await signed('einvoice-tt78.xml', { includeChain: true });
    const cert = /<X509Certificate>([^<]+)</.exec(xml)![1]!;
    const der = Buffer.from(cert, 'base64');
    const cn = der.indexOf(Buffer.from('Nguy', 'utf8')); // in the subject
    der[cn]! ^= 0x01;
    const report = await verifyXml(xml.replace(cert, der.toString('base64')), { trust, time });
    expect(first(report).integrity).toBe(true);
    expect(report.indication).toBe('INDETERMINATE');
    expect(first(report).chain.status).toBe('invalid');
  });
});

describe('verifyXml tampering', () => {
  it('one character in the signed element: HASH_FAILURE', async () => {
    const xml = await signed('einvoice-tt78.xml');
    const report = await verifyXml(xml.replace('<SLuong>10</SLuong>', '<SLuong>11</SLuong>'));
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.subIndication).toBe('HASH_FAILURE');
    expect(first(report).references[0]!.digestValid).toBe(false);
    expect(first(report).references[1]!.digestValid).toBe(true);
  });

  it('the SigningTime: HASH_FAILURE', async () => {
    const xml = await signed('einvoice-tt78.xml');
    const report = await verifyXml(xml.replace('2024-04-15T10:00:00+07:00', '2024-04-14T10:00:00+07:00'));
    expect(report.subIndication).toBe('HASH_FAILURE');
    expect(first(report).references[1]!.digestValid).toBe(false);
  });

  it('the certificate: SIG_CRYPTO_FAILURE', async () => {
    const xml = await signed('einvoice-tt78.xml');
    const cert = /<X509Certificate>([^<]+)</.exec(xml)![1]!;
    const der = Buffer.from(cert, 'base64');
    const modulus = der.indexOf(Buffer.from([0x02, 0x82, 0x01, 0x01, 0x00])); // RSA-2048 modulus INTEGER
    expect(modulus).toBeGreaterThan(0);
    der[modulus + 40]! ^= 0x01;
    const bad = xml.replace(cert, der.toString('base64'));
    const report = await verifyXml(bad);
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.subIndication).toBe('SIG_CRYPTO_FAILURE');
    expect(first(report).integrity).toBe(false);
  });

  it('the SignatureValue: SIG_CRYPTO_FAILURE; a whole-document signature: any character', async () => {
    const xml = await signed('einvoice-tt78.xml');
    const v = /<SignatureValue>([^<]+)</.exec(xml)![1]!;
    expect(
      (await verifyXml(xml.replace(v, v.slice(0, 10) + (v[10] === 'A' ? 'B' : 'A') + v.slice(11)))).subIndication,
    ).toBe('SIG_CRYPTO_FAILURE');
    const form = await signed('bhxh-d02-ts.xml', { profile: 'bhxh' });
    expect((await verifyXml(form.replace('Kế toán viên', 'Kế toán trưởng'))).subIndication).toBe('HASH_FAILURE');
  });
});

describe('.NET SignedXml compatibility (enveloped-signature on an in-signature Object)', () => {
  const addEnveloped = (doc: Document, sig: Element) => {
    const ref = dsigChildren(dsigChildren(sig, 'SignedInfo')[0]!, 'Reference')[1]!;
    const transforms = dsigChildren(ref, 'Transforms')[0]!;
    const t = doc.createElementNS(DSIG_NS, 'Transform');
    t.setAttribute('Algorithm', 'http://www.w3.org/2000/09/xmldsig#enveloped-signature');
    transforms.insertBefore(t, transforms.firstChild);
    return ref;
  };

  it('a digest of the Object as it stands matches the .NET rule, and xmlsec1 (spec rule) rejects it', async () => {
    // .NET copies the referenced Object out before the enveloped transform, so nothing is removed and
    // the digest kyso made (C14N of the Object in place) is what .NET would make.
    const xml = await resign(await signed('einvoice-tt78.xml'), rsa, (doc, sig) => void addEnveloped(doc, sig));
    const s = first(await verifyXml(xml));
    expect(s.integrity).toBe(true);
    expect(s.references[1]!.rule).toBe('dotnet');
    expect(s.references[0]!.rule).toBe('spec');
    expect(s.warnings.join()).toContain('.NET SignedXml');
    expect(s.signingTime?.signed).toBe(true);
  });

  it('the real-world .NET form: exclusive C14N, dsig default namespace inherited, SignatureProperties xmlns=""', async () => {
    const id = 'SigningTime-net';
    const object = `<Object Id="${id}"><SignatureProperties xmlns=""><SignatureProperty Target="#sig-net"><SigningTime>2024-04-15T10:00:00</SigningTime></SignatureProperty></SignatureProperties></Object>`;
    // What .NET digests, written out by hand: exc-C14N of the Object copied out of its Signature.
    const canonical = `<Object xmlns="http://www.w3.org/2000/09/xmldsig#" Id="${id}"><SignatureProperties xmlns=""><SignatureProperty Target="#sig-net"><SigningTime>2024-04-15T10:00:00</SigningTime></SignatureProperty></SignatureProperties></Object>`;
    const base = (await signed('einvoice-tt78.xml', { signatureId: 'sig-net' }))
      .replace(/<Object Id="sig-net-SigningTime">.*?<\/Object>/, object)
      .replace('URI="#sig-net-SigningTime"', `URI="#${id}"`);
    const xml = await resign(base, rsa, (doc, sig) => {
      const ref = addEnveloped(doc, sig);
      dsigChildren(dsigChildren(ref, 'Transforms')[0]!, 'Transform')[1]!.setAttribute(
        'Algorithm',
        'http://www.w3.org/2001/10/xml-exc-c14n#',
      );
      setText(dsigChildren(ref, 'DigestValue')[0]!, sha256b64(canonical));
    });
    const s = first(await verifyXml(xml));
    expect(s.integrity, s.errors.join('; ')).toBe(true);
    expect(s.references[1]!.rule).toBe('dotnet');
    expect(s.references[1]!.signedXml).toBe(canonical);
    expect(s.signingTime).toMatchObject({
      value: '2024-04-15T10:00:00',
      time: '2024-04-15T03:00:00.000Z',
      signed: true,
    });
    if (process.env.CI || run('sh', ['-c', 'command -v xmlsec1']).status === 0)
      expect(xmlsecVerify(xml).ok).toBe(false);
  });

  it('a digest by the spec rule (empty node-set) matches the spec rule', async () => {
    const xml = await resign(await signed('einvoice-tt78.xml'), rsa, (doc, sig) => {
      setText(dsigChildren(addEnveloped(doc, sig), 'DigestValue')[0]!, sha256b64(''));
    });
    const s = first(await verifyXml(xml));
    expect(s.integrity).toBe(true);
    expect(s.references[1]!.rule).toBe('spec');
    // the spec rule digests an empty node-set: the SigningTime is not covered and is reported so
    expect(s.signingTime?.signed).toBe(false);
    expect(s.warnings).toContain('the SigningTime is not covered by the signature');
  });

  it('a digest that matches neither rule fails', async () => {
    const xml = await resign(await signed('einvoice-tt78.xml'), rsa, (doc, sig) => {
      setText(dsigChildren(addEnveloped(doc, sig), 'DigestValue')[0]!, sha256b64('something else'));
    });
    const report = await verifyXml(xml);
    expect(report.subIndication).toBe('HASH_FAILURE');
    expect(first(report).references[1]).toMatchObject({ digestValid: false });
    expect(first(report).references[1]!.rule).toBeUndefined();
  });
});

describe('verifyXml security', () => {
  it('DOCTYPE (entities, XXE) is refused before any parsing', async () => {
    const xml = await signed('einvoice-tt78.xml');
    const withDoctype = xml.replace('<HDon>', '<!DOCTYPE HDon [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<HDon>');
    const report = await verifyXml(withDoctype);
    expect(report).toMatchObject({
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
      errorCode: 'ERR_XML_DOCTYPE',
      signatures: [],
    });
  });

  it('caps: size, depth, references, transforms', async () => {
    const xml = await signed('einvoice-tt78.xml');
    expect((await verifyXml(xml, { limits: { maxBytes: 1000 } })).errorCode).toBe('ERR_XML_LIMIT');
    expect((await verifyXml(xml, { limits: { maxDepth: 3 } })).errorCode).toBe('ERR_XML_LIMIT');
    const ref = /<Reference URI="#DLHDon[\s\S]*?<\/Reference>/.exec(xml)![0];
    const manyRefs = xml.replace(ref, ref.repeat(40));
    expect(first(await verifyXml(manyRefs)).errors[0]).toMatch(/more than 32 references/);
    const t = '<Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>';
    const manyTransforms = xml.replace(t, t.repeat(5));
    expect(first(await verifyXml(manyTransforms)).errors[0]).toMatch(/more than 4 transforms/);
  });

  it('no XSLT, no XPath (other than the literal enveloped restatement), no XPath Filter 2.0', async () => {
    const xml = await signed('einvoice-tt78.xml');
    const c14n = '<Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/>';
    for (const transform of [
      '<Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"><xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="1.0"/></Transform>',
      '<Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><XPath>count(//*) &gt; 0</XPath></Transform>',
      '<Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><XPath xmlns:x="urn:not-dsig">not(ancestor-or-self::x:Signature)</XPath></Transform>',
      '<Transform Algorithm="http://www.w3.org/2002/06/xmldsig-filter2"><XPath xmlns="http://www.w3.org/2002/06/xmldsig-filter2" Filter="subtract">//Signature</XPath></Transform>',
    ]) {
      const s = first(await verifyXml(xml.replace(c14n, transform + c14n)));
      expect(s.subIndication, transform).toBe('FORMAT_FAILURE');
      expect(s.errors[0]).toMatch(/is not allowed/);
    }
  });

  it('duplicate Ids: the reference target is ambiguous', async () => {
    const xml = await signed('einvoice-tt78.xml');
    const report = await verifyXml(
      xml.replace('<DSCKS>', '<Extra><DLHDon Id="DLHDon-C24TAA-0000123"/></Extra><DSCKS>'),
    );
    expect(first(report).subIndication).toBe('FORMAT_FAILURE');
    expect(first(report).errors[0]).toMatch(/2 elements have the Id/);
  });

  it('signed element moved away and an evil clone where the application reads', async () => {
    const xml = await signed('einvoice-tt78.xml');
    const genuine = /<DLHDon Id="DLHDon-C24TAA-0000123">[\s\S]*?<\/DLHDon>/.exec(xml)![0];
    const evil = genuine
      .replace(' Id="DLHDon-C24TAA-0000123"', '')
      .replace('<TgTTTBSo>1265000</TgTTTBSo>', '<TgTTTBSo>9265000</TgTTTBSo>');
    const attacked = xml.replace(genuine, evil).replace('<CCKSKhac></CCKSKhac>', `<CCKSKhac>${genuine}</CCKSKhac>`);
    const report = await verifyXml(attacked);
    const s = first(report);
    expect(s.integrity).toBe(true); // the genuine element still verifies where it was moved to…
    expect(s.businessElement).toMatchObject({ path: '/HDon[1]/DLHDon[1]', signed: false }); // …but it is not what the app reads
    expect(report.indication).toBe('INDETERMINATE');
    expect(report.subIndication).toBe('SIGNED_DATA_NOT_FOUND');
    // and the content handed back is the signed one, never the clone
    expect(s.references[0]!.signedXml).toContain('<TgTTTBSo>1265000</TgTTTBSo>');
    expect(s.references[0]!.signedXml).not.toContain('9265000');
  });

  it('a second SignedInfo inside the Signature is a format failure', async () => {
    const xml = await signed('einvoice-tt78.xml');
    const si = /<SignedInfo>[\s\S]*?<\/SignedInfo>/.exec(xml)![0];
    expect(first(await verifyXml(xml.replace(si, si + si))).subIndication).toBe('FORMAT_FAILURE');
    expect(first(await verifyXml(xml.replace(si, `<Wrapper>${si}</Wrapper>${si}`))).subIndication).toBe(
      'FORMAT_FAILURE',
    );
  });

  it('a second Signature: a copy (duplicate Ids) fails, a valid one outside the profile places is flagged', async () => {
    const xml = await signed('einvoice-tt78.xml');
    const sig = /<Signature [\s\S]*<\/Signature>/.exec(xml)![0];
    const copied = await verifyXml(xml.replace('</HDon>', `<Ext>${sig}</Ext></HDon>`));
    expect(copied.signatures).toHaveLength(2);
    expect(copied.signatures.map((s) => s.subIndication)).toEqual(['FORMAT_FAILURE', 'FORMAT_FAILURE']);
    const extra = text(
      await signXml(xml, { signer: rsa, reference: { uri: '#DLHDon-C24TAA-0000123' }, location: { path: 'Ext' } }),
    );
    const outside = await verifyXml(extra);
    expect(outside.signatures[1]).toMatchObject({
      path: '/HDon[1]/Ext[1]/Signature[1]',
      subIndication: 'SIG_CONSTRAINTS_FAILURE',
      integrity: true,
    });
    expect(outside.indication).not.toBe('TOTAL_PASSED');
  });

  it('a reference that does not cover the business element', async () => {
    const input = fixtureText('einvoice-tt78.xml').replace('<TTChung>', '<TTChung Id="ttchung">');
    const xml = text(await signXml(input, { signer: rsa, profile: 'einvoice', reference: { uri: '#ttchung' } }));
    const report = await verifyXml(xml);
    expect(first(report).integrity).toBe(true);
    expect(first(report).businessElement).toMatchObject({ signed: false });
    expect(report.subIndication).toBe('SIGNED_DATA_NOT_FOUND');
  });

  it('comments inside DigestValue or SignatureValue are refused', async () => {
    const xml = await signed('einvoice-tt78.xml');
    const dv = /<DigestValue>([^<]+)</.exec(xml)![1]!;
    const commented = xml.replace(`<DigestValue>${dv}`, `<DigestValue>${dv.slice(0, 8)}<!-- x -->${dv.slice(8)}`);
    const s = first(await verifyXml(commented));
    expect(s.subIndication).toBe('FORMAT_FAILURE');
    expect(s.errors[0]).toMatch(/DigestValue contains markup or a comment/);
    const sv = /<SignatureValue>([^<]+)</.exec(xml)![1]!;
    expect(
      first(await verifyXml(xml.replace(`<SignatureValue>${sv}`, `<SignatureValue><!---->${sv}`))).subIndication,
    ).toBe('FORMAT_FAILURE');
  });

  it("an attacker's KeyInfo certificate without a chain to trust", async () => {
    const xml = await signed('einvoice-tt78.xml');
    // the attacker changes the amount, recomputes the digest and signs with their own key and certificate
    const forged = await resign(
      xml.replace('<TgTTTBSo>1265000</TgTTTBSo>', '<TgTTTBSo>9265000</TgTTTBSo>'),
      stranger,
      (doc, sig) => {
        const ref = dsigChildren(dsigChildren(sig, 'SignedInfo')[0]!, 'Reference')[0]!;
        const dlhdon = doc.getElementsByTagName('DLHDon')[0]!;
        setText(
          dsigChildren(ref, 'DigestValue')[0]!,
          createHash('sha256').update(canonicalize(dlhdon, 'c14n')).digest('base64'),
        );
        const certEl = sig.getElementsByTagNameNS(DSIG_NS, 'X509Certificate')[0]!;
        setText(certEl, toBase64(stranger.certificate));
      },
    );
    const report = await verifyXml(forged, { trust });
    const s = first(report);
    expect(s.integrity).toBe(true); // cryptographically consistent…
    expect(s.certificate?.issuer).toContain('Other'); // …under the stranger's certificate
    expect(report.indication).toBe('INDETERMINATE');
    expect(report.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('never throws on mutated documents (deterministic fuzz)', async () => {
    const xml = await signed('einvoice-tt78.xml', { xades: true });
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const alphabet = '<>/="\'&;!-?[]# aZ09\u00e1';
    for (let i = 0; i < 300; i++) {
      const at = rand(xml.length);
      const mutated = rand(2)
        ? xml.slice(0, at) + alphabet[rand(alphabet.length)] + xml.slice(at + 1)
        : xml.slice(0, at) + xml.slice(at + 1 + rand(20));
      const report = await verifyXml(mutated);
      expect(report.indication).not.toBe('TOTAL_PASSED');
    }
  });

  it('never throws on hostile or broken input', async () => {
    for (const junk of [
      '',
      'not xml',
      '<a>',
      '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>',
      new Uint8Array([0xff, 0xfe, 0]),
    ]) {
      const report = await verifyXml(junk);
      expect(report.indication).toBe('TOTAL_FAILED');
    }
    const xml = await signed('einvoice-tt78.xml');
    const piInSignedInfo = await verifyXml(xml.replace('<SignedInfo>', '<SignedInfo><?evil x?>'));
    expect(first(piInSignedInfo).subIndication).toBe('FORMAT_FAILURE');
    await expect(verifyXml(42 as unknown as string)).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});

// Interop the other way: xmlsec1 signs templates, kyso verifies.
describeWithTools(['xmlsec1'], 'verifyXml accepts what xmlsec1 --sign makes', () => {
  const template = (refUri: string, transforms: string[], c14n: string, sigAlg: string, digest: string) =>
    `<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="${c14n}"/>` +
    `<SignatureMethod Algorithm="${sigAlg}"/><Reference URI="${refUri}"><Transforms>${transforms.map((t) => `<Transform Algorithm="${t}"/>`).join('')}</Transforms>` +
    `<DigestMethod Algorithm="${digest}"/><DigestValue></DigestValue></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>`;
  const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
  const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
  const ENV = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';

  const xmlsecSign = (xml: string, key: string): string => {
    const dir = scratchDir('kyso-xmlsec-sign-');
    writeFileSync(join(dir, 'tmpl.xml'), xml);
    const r = run('xmlsec1', [
      '--sign',
      '--privkey-pem',
      `${pkiPath(`${key}.key.pem`)},${pkiPath(`${key}.cert.pem`)}`,
      ...XMLSEC_ID_ATTRS,
      '--output',
      join(dir, 'out.xml'),
      join(dir, 'tmpl.xml'),
    ]);
    expect(r.status, r.stderr).toBe(0);
    return readFileSync(join(dir, 'out.xml'), 'utf8');
  };

  it('einvoice seller signature (RSA-SHA256, C14N)', async () => {
    const tmpl = fixtureText('einvoice-tt78.xml').replace(
      '<NBan></NBan>',
      `<NBan>${template('#DLHDon-C24TAA-0000123', [C14N], C14N, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2001/04/xmlenc#sha256')}</NBan>`,
    );
    const report = await verifyXml(xmlsecSign(tmpl, 'rsa2048'));
    expect(first(report)).toMatchObject({ role: 'seller', integrity: true, businessElement: { signed: true } });
    expect(report.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('bhxh form, whole document (ECDSA P-256, enveloped + exclusive C14N)', async () => {
    const tmpl = fixtureText('bhxh-d02-ts.xml').replace(
      '<Cky></Cky>',
      `<Cky>${template('', [ENV, EXC], EXC, 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256', 'http://www.w3.org/2001/04/xmlenc#sha256')}</Cky>`,
    );
    const xml = xmlsecSign(tmpl, 'p256');
    expect(first(await verifyXml(xml))).toMatchObject({
      role: 'unit',
      integrity: true,
      businessElement: { signed: true },
    });
    expect(first(await verifyXml(xml.replace('Tăng mới', 'Tăng mơi'))).subIndication).toBe('HASH_FAILURE');
  });

  it('tax declaration (RSA-SHA512, P-384 not needed: rsa4096)', async () => {
    const tmpl = fixtureText('tax-01gtgt.xml').replace(
      '</HSoKhaiThue>',
      `</HSoKhaiThue><CKyDTu>${template('#ID_1', [C14N], C14N, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512', 'http://www.w3.org/2001/04/xmlenc#sha512')}</CKyDTu>`,
    );
    expect(first(await verifyXml(xmlsecSign(tmpl, 'rsa4096')))).toMatchObject({
      role: 'taxpayer',
      integrity: true,
      businessElement: { signed: true },
    });
  });
});
