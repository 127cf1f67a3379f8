import { describe, expect, it } from 'vitest';
import { isBase64 } from '../../src/core/bytes.js';
import { signXml } from '../../src/xml/sign-xml.js';
import { verifyXml } from '../../src/xml/verify-xml.js';
import { pkiFile } from '../fixtures/pki.js';
import { fixture, testSigner } from './helpers.js';

const TIME = new Date('2024-04-15T03:00:00Z');
const rsa = testSigner('rsa2048');
const trust = [pkiFile('root.cert.der')];
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const signed = async () => text(await signXml(fixture('einvoice-tt78.xml'), { signer: rsa, profile: 'einvoice', signingTime: TIME, includeChain: true }));
const HUGE = 'QUFB'.repeat(2 * 1024 * 1024 + 1); // 8 MiB + 4 of base64

describe('isBase64 (one pass, no regular expression)', () => {
  it('accepts canonical base64 and refuses the rest', () => {
    for (const ok of ['QQ==', 'QUE=', 'QUFB', 'ab+/09AZ']) expect(isBase64(ok), ok).toBe(true);
    for (const bad of ['', 'Q', 'QQ=', 'Q===', 'QU=B', 'QUF!', 'QUFB=', '====', 'QUFB\n']) expect(isBase64(bad), bad).toBe(false);
  });
  it('checks 8 MiB without overflowing the stack', () => {
    expect(isBase64(HUGE)).toBe(true);
  });
});

describe('base64 values of 8 MiB and more', () => {
  for (const [what, re] of [
    ['SignatureValue', /(<(?:ds:)?SignatureValue[^>]*>)[^<]*/],
    ['DigestValue', /(<(?:ds:)?DigestValue[^>]*>)[^<]*/],
  ] as const) {
    it(`a ${what} of 8 MiB: a typed limit in the report, never an internal error`, async () => {
      const xml = (await signed()).replace(re, `$1${HUGE}`);
      const report = await verifyXml(xml, { trust, time: TIME });
      expect(report.indication).toBe('TOTAL_FAILED');
      const errors = JSON.stringify(report);
      expect(errors).toMatch(new RegExp(`${what} is larger than \\d+ bytes \\(ERR_XML_LIMIT\\)`));
      expect(errors).not.toMatch(/RangeError|call stack/);
    });
  }
  it('a valid signature with one extra 8 MiB KeyInfo certificate still passes; the certificate is left out and said', async () => {
    const xml = (await signed()).replace(/(<(?:ds:)?X509Certificate>)/, `$1${HUGE}</X509Certificate><X509Certificate>`);
    expect(xml).toContain(HUGE);
    const report = await verifyXml(xml, { trust, time: TIME });
    const s = report.signatures[0]!;
    expect(s.errors, JSON.stringify(s.errors)).toEqual([]);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(s.warnings.join()).toMatch(/a KeyInfo certificate was left out: X509Certificate is larger than 262144 bytes/);
  });
  it('the only certificate of 8 MiB: no signing certificate found, never an internal error', async () => {
    const xml = (await signed()).replace(/(<(?:ds:)?X509Certificate>)[^<]*/g, `$1${HUGE}`);
    const report = await verifyXml(xml, { trust, time: TIME });
    expect(report.indication).toBe('INDETERMINATE');
    expect(report.subIndication).toBe('NO_SIGNING_CERTIFICATE_FOUND');
    expect(JSON.stringify(report)).not.toMatch(/RangeError|call stack/);
  });
});
