import { expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyPdf, signPdf, loadPkcs12Signer } from '../../src/index.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { describeWithTools, nssDbWithKey, pdfsig, run, scratchDir } from '../fixtures/tools.js';

const sample = fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));

describeWithTools(
  ['pdfsig', 'certutil', 'pk12util'],
  'kyso verifies what poppler signs, and poppler what kyso signs on top',
  () => {
    it('pdfsig -add-signature → TOTAL_PASSED; a later kyso signature keeps both valid for both verifiers', async () => {
      const dir = scratchDir();
      const nss = nssDbWithKey(pkiPath('rsa2048.p12'), P12_PASSWORD);
      const out = join(dir, 'poppler.pdf');
      const r = run('pdfsig', [
        '-nssdir',
        `sql:${nss}`,
        '-add-signature',
        '-nick',
        'rsa2048',
        '-reason',
        'Test',
        sample,
        out,
      ]);
      expect(r.status, r.stderr).toBe(0);
      const bytes = readFileSync(out);
      const report = await verifyPdf(bytes, { trust: [pkiFile('root.cert.pem')] });
      expect(report.indication, JSON.stringify(report.signatures.map((s) => s.errors))).toBe('TOTAL_PASSED');
      expect(report.signatures[0]!.subFilter).toBe('adbe.pkcs7.detached');

      const signer = await loadPkcs12Signer(pkiFile('p256.p12'), { password: P12_PASSWORD });
      const both = await signPdf(bytes, { signer });
      const again = await verifyPdf(both, { trust: [pkiFile('root.cert.pem')] });
      expect(again.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
      const file = join(dir, 'both.pdf');
      writeFileSync(file, both);
      const p = pdfsig(file);
      expect(p.signatures.map((s) => s.signatureValidation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    });
    // (poppler 22.12 cannot sign with an EC key once the NSS database trusts its chain, so ECDSA interop is
    // covered the other way round above: pdfsig verifying kyso's P-256 signature)
    it('poppler-signed PDFs with an organisation seal (RSA 4096, MST) pass; tampered or without trust they do not', async () => {
      const dir = scratchDir();
      const nss = nssDbWithKey(pkiPath('rsa4096.p12'), P12_PASSWORD);
      const out = join(dir, 'poppler-seal.pdf');
      const r = run('pdfsig', [
        '-nssdir',
        `sql:${nss}`,
        '-add-signature',
        '-nick',
        'rsa4096',
        '-reason',
        'Approved',
        sample,
        out,
      ]);
      expect(r.status, r.stderr).toBe(0);
      const bytes = new Uint8Array(readFileSync(out));
      const trust = [pkiFile('root.cert.pem')];
      const ok = await verifyPdf(bytes, { trust });
      expect(ok.indication, JSON.stringify(ok.signatures.map((s) => s.errors))).toBe('TOTAL_PASSED');
      expect(ok.signatures[0]!.signer?.subject.taxCode).toBe('0101234567');
      expect((await verifyPdf(bytes)).subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
      const tampered = bytes.slice();
      tampered[300] = tampered[300]! ^ 1;
      const bad = await verifyPdf(tampered, { trust });
      expect(bad.indication).toBe('TOTAL_FAILED');
      expect(bad.signatures[0]!.subIndication).toBe('HASH_FAILURE');
    });
  },
);
