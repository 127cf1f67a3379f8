import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DigestAlgorithm, SignatureAlgorithm } from '../../src/core/algorithms.js';
import { bytesEqual } from '../../src/core/bytes.js';
import { OID } from '../../src/core/oids.js';
import { digest } from '../../src/crypto/digest.js';
import { readChildren, readTlv } from '../../src/core/der.js';
import { parseSignedData } from '../../src/cms/parse-signed-data.js';
import { buildSignedAttributes } from '../../src/cms/signed-attributes.js';
import {
  addUnsignedAttribute,
  assembleSignedData,
  estimateSignedDataSize,
  signDetachedDigest,
} from '../../src/cms/signed-data.js';
import { verifySignerInfo } from '../../src/cms/verify-signer-info.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';
import { describeWithTools, opensslCmsVerify, run, scratchDir } from '../fixtures/tools.js';
import { testSigner, type LeafName } from './test-signer.js';

const CASES: { name: string; leaf: LeafName; alg: SignatureAlgorithm }[] = [
  { name: 'RSA 2048 PKCS#1 v1.5 SHA-256', leaf: 'rsa2048', alg: { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } },
  { name: 'RSA 4096 PKCS#1 v1.5 SHA-512', leaf: 'rsa4096', alg: { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-512' } },
  { name: 'RSA 2048 PSS SHA-256', leaf: 'rsa2048', alg: { scheme: 'RSA-PSS', hash: 'SHA-256' } },
  { name: 'RSA 4096 PSS SHA-384', leaf: 'rsa4096', alg: { scheme: 'RSA-PSS', hash: 'SHA-384' } },
  { name: 'ECDSA P-256 SHA-256', leaf: 'p256', alg: { scheme: 'ECDSA', hash: 'SHA-256' } },
  { name: 'ECDSA P-384 SHA-384', leaf: 'p384', alg: { scheme: 'ECDSA', hash: 'SHA-384' } },
];

const CONTENT = new TextEncoder().encode('Quyết định số 30/2020/NĐ-CP — văn bản thử nghiệm\n'.repeat(50));

async function signContent(
  leaf: LeafName,
  alg: SignatureAlgorithm,
  content = CONTENT,
  extra: { signingTime?: Date } = {},
) {
  const signer = testSigner(leaf, [alg]);
  const cms = await signDetachedDigest({
    contentDigest: await digest(alg.hash, content),
    signer,
    algorithm: alg,
    ...extra,
  });
  return { signer, cms };
}

function opensslVerify(dir: string, cms: Uint8Array, content: Uint8Array) {
  writeFileSync(join(dir, 'sig.der'), cms);
  writeFileSync(join(dir, 'content.bin'), content);
  return opensslCmsVerify(join(dir, 'sig.der'), join(dir, 'content.bin'), join(dir, 'out.bin'));
}

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('signDetachedDigest → parseSignedData → verifySignerInfo', () => {
  for (const c of CASES) {
    it(`round trip: ${c.name}`, async () => {
      const { signer, cms } = await signContent(c.leaf, c.alg);
      const parsed = parseSignedData(cms);
      expect(parsed.contentType).toBe(OID.signedData);
      expect(parsed.version).toBe(1);
      expect(parsed.eContent).toBeUndefined();
      expect(parsed.encapContentType).toBe(OID.data);
      expect(parsed.certificates).toHaveLength(3); // leaf, intermediate, root
      expect(bytesEqual(parsed.certificates[0]!, signer.certificate)).toBe(true);
      const si = parsed.signerInfos[0]!;
      expect(si.version).toBe(1);
      expect(si.signatureAlgorithm).toEqual(c.alg);
      expect(si.digestAlgorithm).toBe(c.alg.hash);
      expect('issuer' in si.sid && si.sid.issuerName).toContain('CN=kyso Test Issuing CA');
      if (c.alg.scheme === 'RSA-PSS') {
        expect(si.pss).toMatchObject({
          hash: c.alg.hash,
          saltLength: { 'SHA-256': 32, 'SHA-384': 48 }[c.alg.hash as 'SHA-256'],
        });
      }
      expect(si.signingTime).toBeUndefined();
      const r = await verifySignerInfo(parsed, si, { contentDigest: await digest(c.alg.hash, CONTENT) });
      expect(r.problems).toEqual([]);
      expect(r).toMatchObject({
        signatureValid: true,
        messageDigestValid: true,
        signingCertificateAttributeMatches: true,
        algorithm: c.alg,
      });
      expect(bytesEqual(r.signerCertificate!, signer.certificate)).toBe(true);
      // the same with the content instead of its digest
      const byContent = await verifySignerInfo(parsed, si, { content: CONTENT });
      expect(byContent.messageDigestValid).toBe(true);
    });

    it(`tamper: ${c.name}`, async () => {
      const { cms } = await signContent(c.leaf, c.alg);
      const parsed = parseSignedData(cms);
      const si = parsed.signerInfos[0]!;
      const badContent = await verifySignerInfo(parsed, si, { content: flip(CONTENT, 100) });
      expect(badContent.messageDigestValid).toBe(false);
      expect(badContent.problems.map((p) => p.code)).toContain('message-digest-mismatch');

      const badSig = { ...si, signature: flip(si.signature, si.signature.length - 5) };
      const r = await verifySignerInfo(parsed, badSig, { content: CONTENT });
      expect(r.signatureValid).toBe(false);
      expect(r.messageDigestValid).toBe(true);

      const badAttrs = { ...si, signedAttributes: flip(si.signedAttributes!, si.signedAttributes!.length - 1) };
      expect((await verifySignerInfo(parsed, badAttrs, { content: CONTENT })).signatureValid).toBe(false);
    });
  }

  it('Node Buffers that are views into a larger pool are read as their own bytes', async () => {
    const alg: SignatureAlgorithm = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const { cms } = await signContent('rsa2048', alg);
    const view = Buffer.concat([Buffer.alloc(17, 0xee), Buffer.from(cms), Buffer.alloc(5)]).subarray(
      17,
      17 + cms.length,
    );
    const parsed = parseSignedData(view);
    const r = await verifySignerInfo(parsed, parsed.signerInfos[0]!, {
      content: Buffer.concat([Buffer.alloc(3), Buffer.from(CONTENT)]).subarray(3),
    });
    expect(r).toMatchObject({
      signatureValid: true,
      messageDigestValid: true,
      signingCertificateAttributeMatches: true,
    });
    const withAttr = addUnsignedAttribute(view, { oid: '1.2.3.4', values: [Uint8Array.of(5, 0)] });
    expect(parseSignedData(withAttr).signerInfos[0]!.unsignedAttributes).toHaveLength(1);
  });

  it('signing-time, when asked for, is a signed attribute', async () => {
    const when = new Date('2025-03-04T05:06:07Z');
    const { cms } = await signContent('p256', { scheme: 'ECDSA', hash: 'SHA-256' }, CONTENT, { signingTime: when });
    expect(parseSignedData(cms).signerInfos[0]!.signingTime).toEqual(when);
  });

  it('a certificate swapped for another: the signature and signing-certificate fail', async () => {
    const alg: SignatureAlgorithm = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const signer = testSigner('rsa2048', [alg]);
    const contentDigest = await digest('SHA-256', CONTENT);
    const signedAttributes = await buildSignedAttributes({
      contentDigest,
      hash: 'SHA-256',
      signerCertificate: signer.certificate,
    });
    const signature = await signer.sign(signedAttributes, alg);
    const other = pkiFile('expired.cert.der'); // also RSA 2048
    const cms = assembleSignedData({ signedAttributes, signature, algorithm: alg, certificate: other });
    const parsed = parseSignedData(cms);
    const r = await verifySignerInfo(parsed, parsed.signerInfos[0]!, { contentDigest });
    expect(bytesEqual(r.signerCertificate!, other)).toBe(true);
    expect(r.signatureValid).toBe(false);
    expect(r.signingCertificateAttributeMatches).toBe(false);
    expect(r.problems.map((p) => p.code)).toEqual(
      expect.arrayContaining(['signature-invalid', 'signing-certificate-mismatch']),
    );
  });

  it('signing-certificate-v2 pinning another certificate is reported even when the signature verifies', async () => {
    const alg: SignatureAlgorithm = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const signer = testSigner('rsa2048', [alg]);
    const contentDigest = await digest('SHA-256', CONTENT);
    const signedAttributes = await buildSignedAttributes({
      contentDigest,
      hash: 'SHA-256',
      signerCertificate: pkiFile('expired.cert.der'),
    });
    const cms = assembleSignedData({
      signedAttributes,
      signature: await signer.sign(signedAttributes, alg),
      algorithm: alg,
      certificate: signer.certificate,
    });
    const parsed = parseSignedData(cms);
    const r = await verifySignerInfo(parsed, parsed.signerInfos[0]!, { contentDigest });
    expect(r.signatureValid).toBe(true);
    expect(r.signingCertificateAttributeMatches).toBe(false);
  });

  it('a signer certificate missing from the SignedData is reported, or found among extra certificates', async () => {
    const alg: SignatureAlgorithm = { scheme: 'ECDSA', hash: 'SHA-256' };
    const { signer, cms } = await signContent('p256', alg);
    const parsed = parseSignedData(cms);
    const without = { ...parsed, certificates: parsed.certificates.slice(1) };
    const r = await verifySignerInfo(without, parsed.signerInfos[0]!, { content: CONTENT });
    expect(r.signatureValid).toBe(false);
    expect(r.signerCertificate).toBeUndefined();
    expect(r.problems.map((p) => p.code)).toContain('signer-certificate-not-found');
    const found = await verifySignerInfo(without, parsed.signerInfos[0]!, {
      content: CONTENT,
      extraCertificates: [signer.certificate],
    });
    expect(found.signatureValid).toBe(true);
  });

  it('unsorted signed attributes verify over their exact bytes', async () => {
    const alg: SignatureAlgorithm = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const signer = testSigner('rsa2048', [alg]);
    const contentDigest = await digest('SHA-256', CONTENT);
    const sorted = await buildSignedAttributes({
      contentDigest,
      hash: 'SHA-256',
      signerCertificate: signer.certificate,
    });
    const set = readTlv(sorted, 0);
    const attrs = readChildren(sorted, set)
      .map((a) => sorted.slice(a.start, a.end))
      .reverse();
    const unsorted = Uint8Array.from([...sorted.subarray(0, set.contentStart), ...attrs.flatMap((a) => [...a])]);
    expect(bytesEqual(unsorted, sorted)).toBe(false);
    const cms = assembleSignedData({
      signedAttributes: unsorted,
      signature: await signer.sign(unsorted, alg),
      algorithm: alg,
      certificate: signer.certificate,
    });
    const parsed = parseSignedData(cms);
    expect(bytesEqual(parsed.signerInfos[0]!.signedAttributes!, unsorted)).toBe(true);
    const r = await verifySignerInfo(parsed, parsed.signerInfos[0]!, { contentDigest });
    expect(r).toMatchObject({ signatureValid: true, messageDigestValid: true });
  });
});

describe('buildSignedAttributes', () => {
  const cert = () => pkiFile('rsa2048.cert.der');

  async function essCertIdFields(hash: DigestAlgorithm): Promise<number[]> {
    const attrs = await buildSignedAttributes({
      contentDigest: await digest(hash, CONTENT),
      hash,
      signerCertificate: cert(),
    });
    const parsed = parseSignedData(
      assembleSignedData({
        signedAttributes: attrs,
        signature: new Uint8Array(256),
        algorithm: { scheme: 'RSASSA-PKCS1-v1_5', hash },
        certificate: cert(),
      }),
    );
    const v = parsed.signerInfos[0]!.signedAttributeList.find((a) => a.oid === OID.signingCertificateV2)!.values[0]!;
    const certs = readChildren(v, readTlv(v, 0))[0]!;
    const essCertId = readChildren(v, certs)[0]!;
    return readChildren(v, essCertId).map((f) => f.tag);
  }

  it('ESSCertIDv2 omits the DEFAULT SHA-256 hashAlgorithm and carries IssuerSerial', async () => {
    expect(await essCertIdFields('SHA-256')).toEqual([0x04, 0x30]);
    expect(await essCertIdFields('SHA-384')).toEqual([0x30, 0x04, 0x30]);
  });

  it('is a DER-sorted SET and pins the certificate', async () => {
    const attrs = await buildSignedAttributes({
      contentDigest: await digest('SHA-256', CONTENT),
      hash: 'SHA-256',
      signerCertificate: cert(),
    });
    expect(attrs[0]).toBe(0x31);
    const children = readChildren(attrs, readTlv(attrs, 0)).map((a) => attrs.subarray(a.start, a.end));
    for (let i = 1; i < children.length; i++) expect(Buffer.compare(children[i - 1]!, children[i]!)).toBeLessThan(0);
  });

  it('refuses a digest of the wrong length, SHA-1, and a non-certificate', async () => {
    await expect(
      buildSignedAttributes({ contentDigest: new Uint8Array(20), hash: 'SHA-256', signerCertificate: cert() }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(
      buildSignedAttributes({ contentDigest: new Uint8Array(20), hash: 'SHA-1', signerCertificate: cert() }),
    ).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED_ALGORITHM' });
    await expect(
      buildSignedAttributes({
        contentDigest: new Uint8Array(32),
        hash: 'SHA-256',
        signerCertificate: new Uint8Array([1, 2, 3]),
      }),
    ).rejects.toMatchObject({ code: 'ERR_KEY_DECODE' });
  });
});

describe('assembleSignedData input checks', () => {
  const alg: SignatureAlgorithm = { scheme: 'ECDSA', hash: 'SHA-256' };
  it('refuses a signature that does not fit the key, and attributes that are not a SET', async () => {
    const signer = testSigner('p256', [alg]);
    const signedAttributes = await buildSignedAttributes({
      contentDigest: new Uint8Array(32),
      hash: 'SHA-256',
      signerCertificate: signer.certificate,
    });
    expect(() =>
      assembleSignedData({
        signedAttributes,
        signature: new Uint8Array(63),
        algorithm: alg,
        certificate: signer.certificate,
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_SIGNER_FAILED' }));
    expect(() =>
      assembleSignedData({
        signedAttributes,
        signature: new Uint8Array(256),
        algorithm: { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        certificate: signer.certificate,
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_KEY_CERT_MISMATCH' }));
    const asTagged = Uint8Array.from([0xa0, ...signedAttributes.subarray(1)]);
    expect(() =>
      assembleSignedData({
        signedAttributes: asTagged,
        signature: new Uint8Array(64),
        algorithm: alg,
        certificate: signer.certificate,
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('drops duplicate chain certificates', async () => {
    const signer = testSigner('p256', [alg]);
    const cms = await signDetachedDigest({
      contentDigest: new Uint8Array(32),
      signer: { ...signer, chain: [...signer.chain, signer.certificate, ...signer.chain] },
    });
    expect(parseSignedData(cms).certificates).toHaveLength(3);
  });
});

describe('estimateSignedDataSize', () => {
  for (const c of CASES) {
    it(`is an upper bound, tight to the byte range of a signature's variation: ${c.name}`, async () => {
      const signer = testSigner(c.leaf, [c.alg]);
      const estimate = estimateSignedDataSize({
        certificate: signer.certificate,
        chain: signer.chain,
        algorithm: c.alg,
      });
      for (let i = 0; i < 4; i++) {
        const cms = await signDetachedDigest({
          contentDigest: await digest(c.alg.hash, Uint8Array.of(i)),
          signer,
          algorithm: c.alg,
        });
        expect(cms.length).toBeLessThanOrEqual(estimate);
        expect(estimate - cms.length).toBeLessThanOrEqual(c.alg.scheme === 'ECDSA' ? 4 : 0);
      }
    });
  }

  it('covers an unsigned attribute added later within extraBytes', async () => {
    const alg: SignatureAlgorithm = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const signer = testSigner('rsa4096', [alg]);
    const token = new Uint8Array(5000).fill(0x30);
    token.set([0x30, 0x82, 0x13, 0x84]); // a SEQUENCE of 4996 bytes
    const estimate = estimateSignedDataSize({
      certificate: signer.certificate,
      chain: signer.chain,
      algorithm: alg,
      extraBytes: token.length,
    });
    const cms = addUnsignedAttribute(await signDetachedDigest({ contentDigest: new Uint8Array(32), signer }), {
      oid: OID.signatureTimeStampToken,
      values: [token],
    });
    expect(cms.length).toBeLessThanOrEqual(estimate);
    expect(estimate - cms.length).toBeLessThan(80);
  });
});

describe('addUnsignedAttribute', () => {
  it('keeps every signed byte and appends to an existing unsignedAttrs', async () => {
    const alg: SignatureAlgorithm = { scheme: 'ECDSA', hash: 'SHA-384' };
    const { cms } = await signContent('p384', alg);
    const v1 = Uint8Array.of(0x04, 0x02, 0xca, 0xfe);
    const v2 = Uint8Array.of(0x04, 0x01, 0x42);
    const once = addUnsignedAttribute(cms, { oid: OID.signatureTimeStampToken, values: [v1] });
    const twice = addUnsignedAttribute(once, { oid: '1.2.3.4', values: [v2] });
    const before = parseSignedData(cms).signerInfos[0]!;
    const after = parseSignedData(twice);
    const si = after.signerInfos[0]!;
    expect(bytesEqual(si.signedAttributes!, before.signedAttributes!)).toBe(true);
    expect(bytesEqual(si.signature, before.signature)).toBe(true);
    expect(si.unsignedAttributes).toEqual([
      { oid: OID.signatureTimeStampToken, values: [v1] },
      { oid: '1.2.3.4', values: [v2] },
    ]);
    expect(si.signatureTimeStampTokens).toEqual([v1]);
    const r = await verifySignerInfo(after, si, { content: CONTENT });
    expect(r).toMatchObject({ signatureValid: true, messageDigestValid: true });
  });

  it('refuses what is not a SignedData, or a missing signer', async () => {
    const { cms } = await signContent('p256', { scheme: 'ECDSA', hash: 'SHA-256' });
    expect(() =>
      addUnsignedAttribute(cms, { oid: '1.2.3', values: [Uint8Array.of(5, 0)] }, { signerIndex: 1 }),
    ).toThrow(expect.objectContaining({ code: 'ERR_CMS_MALFORMED' }));
    expect(() =>
      addUnsignedAttribute(Uint8Array.of(0x30, 0x03, 0x06, 0x01, 0x00), {
        oid: '1.2.3',
        values: [Uint8Array.of(5, 0)],
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_CMS_MALFORMED' }));
  });
});

describeWithTools(['openssl'], 'openssl cms -verify accepts what kyso signs', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const dir = scratchDir();
      const { cms } = await signContent(c.leaf, c.alg);
      const ok = opensslVerify(dir, cms, CONTENT);
      expect(ok.stderr).toContain('Verification successful');
      expect(ok.status).toBe(0);
      // tamper beside it: content and signature
      expect(opensslVerify(dir, cms, flip(CONTENT, 7)).status).not.toBe(0);
      const parsed = parseSignedData(cms);
      const sig = parsed.signerInfos[0]!.signature;
      const at = indexOfBytes(cms, sig) + sig.length - 3;
      expect(opensslVerify(dir, flip(cms, at), CONTENT).status).not.toBe(0);
    });
  }

  it('after addUnsignedAttribute, on a DER and on an indefinite-length BER SignedData', async () => {
    const dir = scratchDir();
    const token = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x07);
    const { cms } = await signContent('rsa2048', { scheme: 'RSA-PSS', hash: 'SHA-256' });
    const withAttr = addUnsignedAttribute(cms, { oid: OID.signatureTimeStampToken, values: [token] });
    expect(opensslVerify(dir, withAttr, CONTENT).status).toBe(0);

    // openssl -stream writes BER with indefinite lengths
    writeFileSync(join(dir, 'content.bin'), CONTENT);
    const made = run('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-stream',
      '-in',
      join(dir, 'content.bin'),
      '-signer',
      pkiPath('p256.cert.pem'),
      '-inkey',
      pkiPath('p256.key.pem'),
      '-certfile',
      pkiPath('intermediate.cert.pem'),
      '-outform',
      'DER',
      '-out',
      join(dir, 'ber.der'),
    ]);
    expect(made.status).toBe(0);
    const ber = new Uint8Array(readFileSync(join(dir, 'ber.der')));
    expect(ber[1]).toBe(0x80);
    expect(opensslVerify(dir, ber, CONTENT).status).toBe(0);
    const berWithAttr = addUnsignedAttribute(ber, { oid: OID.signatureTimeStampToken, values: [token] });
    expect(opensslVerify(dir, berWithAttr, CONTENT).status).toBe(0);
    const parsed = parseSignedData(berWithAttr);
    expect(parsed.signerInfos[0]!.signatureTimeStampTokens).toEqual([token]);
    expect((await verifySignerInfo(parsed, parsed.signerInfos[0]!, { content: CONTENT })).signatureValid).toBe(true);
  });
});

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(hay).indexOf(Buffer.from(needle));
}
