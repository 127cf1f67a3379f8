import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual, concatBytes } from '../../src/core/bytes.js';
import { OID } from '../../src/core/oids.js';
import { digest } from '../../src/crypto/digest.js';
import { readChildren, readTlv, spliceInside, tlv } from '../../src/core/der.js';
import { parseSignedData } from '../../src/cms/parse-signed-data.js';
import { signDetachedDigest } from '../../src/cms/signed-data.js';
import { verifySignerInfo } from '../../src/cms/verify-signer-info.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';
import { describeWithTools, run, scratchDir } from '../fixtures/tools.js';
import { testSigner } from './test-signer.js';

const CONTENT = new TextEncoder().encode('Công văn thử nghiệm\n');

function expectMalformed(bytes: Uint8Array): void {
  expect(() => parseSignedData(bytes)).toThrow(expect.objectContaining({ code: 'ERR_CMS_MALFORMED' }));
}

describe('parseSignedData on malformed input', () => {
  let good: Uint8Array;
  beforeAll(async () => {
    const signer = testSigner('p256', [{ scheme: 'ECDSA', hash: 'SHA-256' }]);
    good = await signDetachedDigest({ contentDigest: await digest('SHA-256', CONTENT), signer });
  });

  it('refuses empty, random and non-DER bytes', () => {
    expectMalformed(new Uint8Array(0));
    expectMalformed(new TextEncoder().encode('%PDF-1.7 not a signature'));
    const random = new Uint8Array(4096);
    globalThis.crypto.getRandomValues(random);
    random[0] = 0x30;
    expectMalformed(random);
  });

  it('refuses every truncation of a good structure', () => {
    for (let cut = 1; cut < good.length; cut += 7) expectMalformed(good.subarray(0, good.length - cut));
  });

  it('accepts zero padding after the ContentInfo (a PDF /Contents), refuses other trailing data', () => {
    expect(parseSignedData(concatBytes([good, new Uint8Array(100)])).signerInfos).toHaveLength(1);
    expectMalformed(concatBytes([good, Uint8Array.of(0, 0, 1)]));
  });

  it('refuses a ContentInfo that holds something else', () => {
    // ContentInfo { id-data, [0] OCTET STRING "x" }
    expectMalformed(
      Uint8Array.of(
        0x30,
        0x10,
        0x06,
        0x09,
        0x2a,
        0x86,
        0x48,
        0x86,
        0xf7,
        0x0d,
        0x01,
        0x07,
        0x01,
        0xa0,
        0x03,
        0x04,
        0x01,
        0x78,
      ),
    );
  });

  it('refuses lengths past the end, deep nesting and oversize input without crashing', () => {
    expectMalformed(Uint8Array.of(0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x06));
    expectMalformed(new Uint8Array(200_000).map((_, i) => (i % 2 === 0 ? 0x30 : 0x80)));
    expectMalformed(new Uint8Array(64 * 1024 * 1024 + 1));
  });

  it('flips of single bytes never crash: each gives a structure or ERR_CMS_MALFORMED', async () => {
    for (let at = 0; at < good.length; at += 3) {
      const copy = good.slice();
      copy[at] = copy[at]! ^ 0xff;
      let parsed;
      try {
        parsed = parseSignedData(copy);
      } catch (e) {
        expect(e).toMatchObject({ code: 'ERR_CMS_MALFORMED' });
        continue;
      }
      for (const si of parsed.signerInfos) {
        const r = await verifySignerInfo(parsed, si, { content: CONTENT });
        expect(typeof r.signatureValid).toBe('boolean');
      }
    }
  });

  it('reads a digestAlgorithm holding a signature OID as its digest, and flags it', async () => {
    const sha256 = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
    const sha256WithRsa = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
    const signer = testSigner('rsa2048', [{ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }]);
    const cms = await signDetachedDigest({ contentDigest: await digest('SHA-256', CONTENT), signer });
    const buf = Buffer.from(cms);
    buf.set(sha256WithRsa, buf.lastIndexOf(Buffer.from(sha256))); // the SignerInfo's digestAlgorithm
    const parsed = parseSignedData(buf);
    const si = parsed.signerInfos[0]!;
    expect(si.digestAlgorithmOid).toBe(OID.sha256WithRSAEncryption);
    expect(si.digestAlgorithm).toBe('SHA-256');
    expect(si.problems.map((p) => p.code)).toContain('nonstandard-algorithm-identifier');
    const r = await verifySignerInfo(parsed, si, { content: CONTENT });
    expect(r).toMatchObject({ signatureValid: true, messageDigestValid: true });
  });
});

/** The CMS with SignerInfo #0's signatureAlgorithm replaced by `{ oid }` (Ed25519, Ed448, an unknown OID). */
function replaceSignatureAlgorithm(cms: Uint8Array, oid: Uint8Array): Uint8Array {
  const ci = readTlv(cms, 0);
  const explicit = readChildren(cms, ci)[1]!;
  const sd = readChildren(cms, explicit)[0]!;
  const sis = readChildren(cms, sd).at(-1)!;
  const si = readChildren(cms, sis)[0]!;
  const sigAlg = readChildren(cms, si).find((f, i, all) => f.tag === 0x30 && all[i + 1]?.tag === 0x04)!;
  return spliceInside(cms, [ci, explicit, sd, sis, si], sigAlg.start, sigAlg.end, tlv(0x30, oid));
}

describeWithTools(['openssl'], 'parseSignedData + verifySignerInfo on what openssl signs', () => {
  let dir: string;
  const sign = (name: string, args: string[], content = CONTENT, leaf = 'rsa2048') => {
    writeFileSync(join(dir, `${name}.in`), content);
    const r = run('openssl', [
      'cms',
      '-sign',
      '-binary',
      '-in',
      join(dir, `${name}.in`),
      '-signer',
      pkiPath(`${leaf}.cert.pem`),
      '-inkey',
      pkiPath(`${leaf}.key.pem`),
      '-certfile',
      pkiPath('intermediate.cert.pem'),
      '-outform',
      'DER',
      '-out',
      join(dir, `${name}.der`),
      ...args,
    ]);
    if (r.status !== 0) throw new Error(r.stderr);
    return new Uint8Array(readFileSync(join(dir, `${name}.der`)));
  };
  beforeAll(() => {
    dir = scratchDir('kyso-cms-');
  });

  it('default CMS: rsaEncryption, signing-time, leaf + intermediate', async () => {
    const parsed = parseSignedData(sign('default', []));
    expect(parsed.certificates).toHaveLength(2);
    const si = parsed.signerInfos[0]!;
    expect(si.signatureAlgorithmOid).toBe(OID.rsaEncryption);
    expect(si.signatureAlgorithm).toEqual({ scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    expect(si.signingTime).toBeInstanceOf(Date);
    expect(Math.abs(si.signingTime!.getTime() - Date.now())).toBeLessThan(10 * 60_000);
    const r = await verifySignerInfo(parsed, si, { contentDigest: await digest('SHA-256', CONTENT) });
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ signatureValid: true, messageDigestValid: true });
    expect(bytesEqual(r.signerCertificate!, pkiFile('rsa2048.cert.der'))).toBe(true);
    const tampered = await verifySignerInfo(parsed, si, {
      contentDigest: await digest('SHA-256', new TextEncoder().encode('other')),
    });
    expect(tampered.messageDigestValid).toBe(false);
  });

  it('attached content: eContent is the content and verification uses it', async () => {
    const parsed = parseSignedData(sign('attached', ['-nodetach']));
    expect(parsed.eContent).toEqual(CONTENT);
    const r = await verifySignerInfo(parsed, parsed.signerInfos[0]!);
    expect(r).toMatchObject({ signatureValid: true, messageDigestValid: true });
  });

  it('present-but-empty eContent is told apart from an absent one', () => {
    const empty = parseSignedData(sign('empty', ['-nodetach'], new Uint8Array(0)));
    expect(empty.eContent).toEqual(new Uint8Array(0));
    const detached = parseSignedData(sign('empty-detached', [], new Uint8Array(0)));
    expect(detached.eContent).toBeUndefined();
  });

  it('no signed attributes: the signature covers the content; a digest alone is not enough', async () => {
    const parsed = parseSignedData(sign('noattr', ['-noattr']));
    const si = parsed.signerInfos[0]!;
    expect(si.signedAttributes).toBeUndefined();
    const r = await verifySignerInfo(parsed, si, { content: CONTENT });
    expect(r).toMatchObject({ signatureValid: true, messageDigestValid: undefined });
    const bad = await verifySignerInfo(parsed, si, { content: new TextEncoder().encode('Công văn thử nghiệm?') });
    expect(bad.signatureValid).toBe(false);
    const digestOnly = await verifySignerInfo(parsed, si, { contentDigest: await digest('SHA-256', CONTENT) });
    expect(digestOnly.signatureValid).toBe(false);
    expect(digestOnly.problems.map((p) => p.code)).toContain('content-required');
  });

  it('SHA-1 (old documents) verifies', async () => {
    const parsed = parseSignedData(sign('sha1', ['-md', 'sha1']));
    const si = parsed.signerInfos[0]!;
    expect(si.digestAlgorithm).toBe('SHA-1');
    const r = await verifySignerInfo(parsed, si, { contentDigest: await digest('SHA-1', CONTENT) });
    expect(r).toMatchObject({ signatureValid: true, messageDigestValid: true });
  });

  it('subjectKeyIdentifier as SignerIdentifier finds the certificate', async () => {
    const parsed = parseSignedData(sign('keyid', ['-keyid'], CONTENT, 'p384'));
    const si = parsed.signerInfos[0]!;
    expect('subjectKeyIdentifier' in si.sid).toBe(true);
    expect(si.version).toBe(3);
    const r = await verifySignerInfo(parsed, si, { content: CONTENT });
    expect(r).toMatchObject({ signatureValid: true, messageDigestValid: true });
    expect(bytesEqual(r.signerCertificate!, pkiFile('p384.cert.der'))).toBe(true);
  });

  it("RSA-PSS with openssl's maximal salt", async () => {
    const parsed = parseSignedData(sign('pss', ['-keyopt', 'rsa_padding_mode:pss']));
    const si = parsed.signerInfos[0]!;
    expect(si.pss?.saltLength).toBe(222);
    const r = await verifySignerInfo(parsed, si, { content: CONTENT });
    expect(r).toMatchObject({ signatureValid: true, algorithm: { scheme: 'RSA-PSS', hash: 'SHA-256' } });
  });

  it('Ed25519 and unknown signature algorithms are reported as unsupported, not thrown', async () => {
    const signer = testSigner('p256', [{ scheme: 'ECDSA', hash: 'SHA-256' }]);
    const cms = await signDetachedDigest({ contentDigest: await digest('SHA-256', CONTENT), signer });
    for (const oid of [
      Uint8Array.of(0x06, 0x03, 0x2b, 0x65, 0x70),
      Uint8Array.of(0x06, 0x03, 0x2b, 0x65, 0x71),
      Uint8Array.of(0x06, 0x02, 0x2a, 0x03),
    ]) {
      const parsed = parseSignedData(replaceSignatureAlgorithm(cms, oid));
      const r = await verifySignerInfo(parsed, parsed.signerInfos[0]!, { content: CONTENT });
      expect(r.signatureValid).toBe(false);
      expect(r.messageDigestValid).toBe(true);
      expect(r.problems.map((p) => p.code)).toContain('unsupported-algorithm');
    }
  });
});
