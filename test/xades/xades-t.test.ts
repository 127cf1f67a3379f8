import { afterAll, beforeAll, expect, it } from 'vitest';
import { HttpTimestampSource } from '../../src/tsa/http-timestamp-source.js';
import { signXml } from '../../src/xades/sign-xml.js';
import { verifyXml } from '../../src/xades/verify-xml.js';
import { describeWithTools } from '../fixtures/tools.js';
import { createTsaIdentity, startTsaServer, type TsaServer } from '../fixtures/tsa-server.js';
import { fixture, testSigner, xmlsecVerify } from '../xml/helpers.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const token = (xml: string) => /<xades:EncapsulatedTimeStamp>([^<]+)</.exec(xml)![1]!;

describeWithTools(['openssl', 'xmlsec1'], 'XAdES-T: a signature time-stamp from an RFC 3161 TSA (openssl ts)', () => {
  let server: TsaServer;
  let tsa: HttpTimestampSource;
  beforeAll(async () => {
    server = await startTsaServer({ identity: createTsaIdentity() });
    tsa = new HttpTimestampSource({ url: server.url });
  });
  afterAll(async () => server?.stop());

  it('time-stamps the canonical SignatureValue; kyso checks the token, xmlsec1 still accepts the signature', async () => {
    const before = Date.now();
    const xml = text(
      await signXml(fixture('bhxh-package.xml'), {
        signer: testSigner('p256'),
        profile: 'bhxh',
        tsa,
        includeChain: true,
      }),
    );
    expect(xml).toMatch(
      /<\/xades:SignedProperties><xades:UnsignedProperties><xades:UnsignedSignatureProperties><xades:SignatureTimeStamp /,
    );
    const s = (await verifyXml(xml)).signatures[0]!;
    expect(s.integrity).toBe(true);
    expect(s.xades).toEqual({ signedPropertiesSigned: true, signingCertificate: 'match' });
    expect(s.timestamps).toHaveLength(1);
    expect(s.timestamps![0]!.valid, s.timestamps![0]!.problems.join('; ')).toBe(true);
    expect(Date.parse(s.timestamps![0]!.genTime!)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(xmlsecVerify(xml).ok).toBe(true);
  });

  it('a token over another SignatureValue, or a damaged token, is reported invalid (the unsigned property does not touch integrity)', async () => {
    const a = text(
      await signXml(fixture('einvoice-tt78.xml'), { signer: testSigner('rsa2048'), profile: 'einvoice', tsa }),
    );
    const b = text(
      await signXml(fixture('einvoice-tt78.xml'), { signer: testSigner('rsa2048'), profile: 'einvoice', tsa }),
    );
    const swapped = (await verifyXml(a.replace(token(a), token(b)))).signatures[0]!;
    expect(swapped.integrity).toBe(true);
    expect(swapped.timestamps![0]!.valid).toBe(false);
    expect(swapped.timestamps![0]!.problems.join()).toMatch(/messageImprint/);
    expect(swapped.warnings.join()).toMatch(/time-stamp does not verify/);
    const t = token(a);
    const damaged = (await verifyXml(a.replace(t, t.slice(0, 100) + (t[100] === 'A' ? 'B' : 'A') + t.slice(101))))
      .signatures[0]!;
    expect(damaged.timestamps![0]!.valid).toBe(false);
  });
});
