/**
 * Where there is no Node crypto (a browser: WebCrypto has no SHA-3), a SHA-3 signature cannot be checked:
 * INDETERMINATE with the reason, never FAILED. The module lookup of Node's crypto is mocked away here.
 */
import { expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { parsePem } from '../../src/core/bytes.js';
import { loadPkcs12Signer, renderPdfReport, signPdf, verifyPdf } from '../../src/index.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { resignWithNode } from '../fixtures/pdf-verdicts.js';

vi.mock('../../src/crypto/webcrypto.js', async (original) => ({
  ...(await original<typeof import('../../src/crypto/webcrypto.js')>()),
  nodeCrypto: () => null,
}));

it('SHA3-256 without Node crypto: INDETERMINATE CRYPTO_CONSTRAINTS_FAILURE, saying why', async () => {
  const signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  const signed = await signPdf(readFileSync(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url)), {
    signer,
  });
  const pdf = resignWithNode(
    signed,
    { scheme: 'RSA-PSS', hash: 'SHA3-256' },
    readFileSync(pkiPath('rsa2048.key.pem'), 'utf8'),
    pkiFile('rsa2048.cert.der'),
    [parsePem(readFileSync(pkiPath('intermediate.cert.pem'), 'utf8'))[0]!.der],
  );
  const report = await verifyPdf(pdf, { trust: [pkiFile('root.cert.pem')] });
  expect(report.indication).toBe('INDETERMINATE');
  expect(report.signatures[0]!.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
  expect(renderPdfReport(report)).toContain(
    "SHA3-256 cannot be computed here: this environment's WebCrypto has no SHA-3",
  );
  // the SHA-256 original still verifies through WebCrypto alone
  expect((await verifyPdf(signed, { trust: [pkiFile('root.cert.pem')] })).indication).toBe('TOTAL_PASSED');
});
