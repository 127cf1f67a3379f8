import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadPkcs12Signer, signPdf, verifyPdf } from '../../src/index.js';
import { withDefaults } from '../../src/validation/policy.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import { formDocument } from '../fixtures/pdf-updates.js';

const trust = () => [pkiFile('root.cert.pem')];
/** SHA-1 with RSA (iText 2, DSS test PKI): see test/fixtures/pdf-corpus/ATTRIBUTION.md. */
const sha1Pdf = readFileSync(
  new URL('../fixtures/pdf-corpus/dss-itext2-sha1-netlock-no-signing-cert-attr.pdf', import.meta.url),
);
const SHA1 = 'SHA-1 is used, which the validation policy does not accept';

describe('the algorithm policy is data: fail, warn or ignore', () => {
  it('defaults: SHA-1 and RSA below 2048 bits fail', () => {
    expect(withDefaults()).toEqual({
      sha1: 'fail',
      minRsaBits: 2048,
      minEcBits: 256,
      weakKey: 'fail',
      wholeDocument: false,
    });
    expect(withDefaults({ allowSha1: true }).sha1).toBe('ignore');
    expect(withDefaults({ allowSha1: true, sha1: 'warn' }).sha1).toBe('warn');
  });
  it('SHA-1: INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE by default, a warning with warn, nothing with ignore', async () => {
    const strict = (await verifyPdf(sha1Pdf)).signatures[0]!;
    expect(strict.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
    expect(strict.errors).toContain(SHA1);
    const warned = (await verifyPdf(sha1Pdf, { policy: { sha1: 'warn' } })).signatures[0]!;
    expect(warned.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(warned.errors).not.toContain(SHA1);
    expect(warned.warnings).toContain(SHA1);
    const ignored = (await verifyPdf(sha1Pdf, { policy: { allowSha1: true } })).signatures[0]!;
    expect([...ignored.errors, ...ignored.warnings]).not.toContain(SHA1);
  });
  describe('RSA key size', () => {
    let signed: Uint8Array;
    beforeAll(async () => {
      signed = await signPdf(await formDocument(), {
        signer: await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD }),
      });
    });
    it('a 2048-bit key passes the default policy', async () =>
      expect((await verifyPdf(signed, { trust: trust() })).indication).toBe('TOTAL_PASSED'));
    it('below minRsaBits it fails (INDETERMINATE), or only warns with weakKey: warn', async () => {
      const strict = await verifyPdf(signed, { trust: trust(), policy: { minRsaBits: 3072 } });
      expect(strict.indication).toBe('INDETERMINATE');
      expect(strict.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
      const warned = await verifyPdf(signed, { trust: trust(), policy: { minRsaBits: 3072, weakKey: 'warn' } });
      expect(warned.indication).toBe('TOTAL_PASSED');
      expect(warned.signatures[0]!.warnings.join()).toMatch(/2048 bits is below the policy's 3072/);
    });
  });
});
