import { describe, expect, it } from 'vitest';
import { isBase64 } from '../../src/core/bytes.js';
import { signXml } from '../../src/xades/sign-xml.js';
import { verifyXml } from '../../src/xades/verify-xml.js';
import { pkiFile } from '../fixtures/pki.js';
import { fixture, testSigner } from './helpers.js';

const TIME = new Date('2024-04-15T03:00:00Z');
const rsa = testSigner('rsa2048');
const trust = [pkiFile('root.cert.der')];
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const signed = async () =>
  text(
    await signXml(fixture('einvoice-tt78.xml'), {
      signer: rsa,
      profile: 'einvoice',
      signingTime: TIME,
      includeChain: true,
    }),
  );
const HUGE = 'QUFB'.repeat(2 * 1024 * 1024 + 1); // 8 MiB + 4 of base64

describe('isBase64 (one pass, no regular expression)', () => {
  it('accepts canonical base64 and refuses the rest', () => {
    for (const ok of ['QQ==', 'QUE=', 'QUFB', 'ab+/09AZ']) expect(isBase64(ok), ok).toBe(true);
    for (const bad of ['', 'Q', 'QQ=', 'Q===', 'QU=B', 'QUF!', 'QUFB=', '====', 'QUFB\n'])
      expect(isBase64(bad), bad).toBe(false);
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
    expect(s.warnings.join()).toMatch(
      /a KeyInfo certificate was left out: X509Certificate is larger than 262144 bytes/,
    );
  });
  it('the only certificate of 8 MiB: no signing certificate found, never an internal error', async () => {
    const xml = (await signed()).replace(/(<(?:ds:)?X509Certificate>)[^<]*/g, `$1${HUGE}`);
    const report = await verifyXml(xml, { trust, time: TIME });
    expect(report.indication).toBe('INDETERMINATE');
    expect(report.subIndication).toBe('NO_SIGNING_CERTIFICATE_FOUND');
    expect(JSON.stringify(report)).not.toMatch(/RangeError|call stack/);
  });
});

describe('XML read in the wrong place', () => {
  const seller = testSigner('rsa4096'); // MST:0101234567, the invoice's NBan/MST
  const sign = async (file: string, signer = seller, role?: string) =>
    text(
      await signXml(fixture(file), {
        signer,
        profile: 'einvoice',
        signingTime: TIME,
        includeChain: true,
        ...(role && { role }),
      }),
    );
  /** Moves the (only) Signature from `from` into `to` (an empty element there, or created). */
  const move = (xml: string, from: string, to: string) => {
    const at = xml.indexOf('<DSCKS>');
    const [head, tail] = [xml.slice(0, at), xml.slice(at)];
    const sig = new RegExp(`<${from}>([\\s\\S]*?)</${from}>`).exec(tail)![1]!;
    const without = tail.replace(`<${from}>${sig}</${from}>`, `<${from}></${from}>`);
    return (
      head +
      (without.includes(`<${to}></${to}>`)
        ? without.replace(`<${to}></${to}>`, `<${to}>${sig}</${to}>`)
        : without.replace(`<${from}></${from}>`, `<${from}></${from}><${to}>${sig}</${to}>`))
    );
  };

  it('the seller signature in its place passes as the seller', async () => {
    const report = await verifyXml(await sign('einvoice-tt78.xml'), { trust, time: TIME });
    expect(report.signatures[0]!.role).toBe('seller');
    expect(report.indication, JSON.stringify(report.signatures[0]!.errors)).toBe('TOTAL_PASSED');
  });
  it("a seller signature moved into DSCKS/NMua is not the buyer's: SIG_CONSTRAINTS_FAILURE", async () => {
    const moved = move(await sign('einvoice-tt78.xml'), 'NBan', 'NMua');
    expect(moved).toMatch(/<NMua><(ds:)?Signature/);
    const report = await verifyXml(moved, { trust, time: TIME });
    const s = report.signatures[0]!;
    expect(s.integrity).toBe(true);
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(s.subIndication).toBe('SIG_CONSTRAINTS_FAILURE');
    expect(s.errors.join()).toMatch(
      /in the buyer's place \(DSCKS\/NMua\) but its certificate is the seller's \(MST 0101234567/,
    );
  });
  it("a tax-authority signature (it signs MCCQT) moved into the seller's place is refused", async () => {
    const moved = move(await sign('einvoice-tt78-mccqt.xml', rsa, 'tax-authority'), 'CQT', 'NBan');
    const report = await verifyXml(moved, { trust, time: TIME });
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.signatures[0]!.errors.join()).toMatch(
      /in the seller's place signs MCCQT@Id, which only the tax-authority signs/,
    );
  });
  it('no profile applies: the report names the signed element and warns of an unsigned namesake before it', async () => {
    const xml = (await sign('einvoice-tt78.xml')).replace(/<(\/?)HDon>/g, '<$1HoaDon>');
    const plain = await verifyXml(xml, { trust, time: TIME });
    expect(plain.profile).toBeUndefined();
    expect(plain.signatures[0]!.warnings.join()).not.toMatch(/namesake/);
    const altered = /<DLHDon [\s\S]*?<\/DLHDon>/
      .exec(xml)![0]
      .replace(/ Id="[^"]*"/, '')
      .replace('<SLuong>10</SLuong>', '<SLuong>1000</SLuong>');
    const twin = xml.replace('<DLHDon ', `${altered}<DLHDon `);
    const report = await verifyXml(twin, { trust, time: TIME });
    const s = report.signatures[0]!;
    expect(s.references.find((r) => r.digestValid && /DLHDon/.test(r.resolvedPath ?? ''))!.resolvedPath).toBe(
      '/HoaDon[1]/DLHDon[2]',
    );
    expect(s.warnings.join()).toMatch(
      /the signed \/HoaDon\[1\]\/DLHDon\[2\] has 1 unsigned namesake \(\/HoaDon\[1\]\/DLHDon\[1\]\)/,
    );
    const { renderXmlReport } = await import('../../src/validation/render-text.js');
    expect(renderXmlReport(report)).toMatch(/Signed data: \/HoaDon\[1\]\/DLHDon\[2\]/);
  });
});

describe('comments in signed content', () => {
  it('a comment inserted into a signed text node is outside C14N: the signature holds, and the report says a reader may read less', async () => {
    const xml = (await signed()).replace('<MST>0101234567</MST>', '<MST>0101<!---->234567</MST>');
    const report = await verifyXml(xml, { trust, time: TIME });
    const s = report.signatures[0]!;
    expect(s.integrity).toBe(true);
    expect(s.warnings.join()).toMatch(
      /the signed \/HDon\[1\]\/DLHDon\[1\] holds 1 comment the signature does not cover/,
    );
    const clean = await verifyXml(await signed(), { trust, time: TIME });
    expect(clean.signatures[0]!.warnings.join()).not.toMatch(/comment/);
  });
});
