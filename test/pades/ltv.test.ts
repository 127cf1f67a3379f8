import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import {
  HttpTimestampSource,
  addLtv,
  createKeySigner,
  signPdf,
  timestampPdf,
  verifyPdf,
  type Signer,
} from '../../src/index.js';
import { pkiFile } from '../fixtures/pki.js';
import { startRevocationBed, type RevocationBed } from '../fixtures/revocation-pki.js';
import { createTsaIdentity, startTsaServer, type TsaServer } from '../fixtures/tsa-server.js';
import { describeWithTools, pdfsig, qpdfCheck, scratchDir } from '../fixtures/tools.js';

const sample = new Uint8Array(
  readFileSync(fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url))),
);
let bed: RevocationBed;
let tsaServer: TsaServer;
let tsa: HttpTimestampSource;
const dir = scratchDir('kyso-ltv-');
const trust = () => [pkiFile('root.cert.pem')];
const signerFor = (name: keyof RevocationBed['leaves']): Promise<Signer> =>
  createKeySigner({
    key: bed.leaves[name].keyPem,
    certificate: bed.leaves[name].certPem,
    chain: [pkiFile('intermediate.cert.pem')],
  });

describeWithTools(
  ['openssl', 'pdfsig', 'qpdf', 'certutil'],
  'PAdES B-LT / B-LTA and proof of existence against real OCSP, CRL and TSA servers',
  () => {
    beforeAll(async () => {
      bed = await startRevocationBed();
      tsaServer = await startTsaServer({ identity: createTsaIdentity() });
      tsa = new HttpTimestampSource({ url: tsaServer.url });
    });
    afterAll(async () => {
      await bed?.stop();
      await tsaServer?.stop();
    });

    it('B-T → addLtv (OCSP fetched, root CRL given) → offline B-LT → document timestamp → B-LTA; pdfsig and qpdf accept each', async () => {
      const bt = await signPdf(sample, { signer: await signerFor('good'), tsa });
      const { pdf: lt, revocation } = await addLtv(bt, {
        crls: [bed.rootCrl],
        certificates: [pkiFile('root.cert.pem')],
      });
      expect(revocation.find((r) => r.subject.includes('Revocation good'))).toMatchObject({
        status: 'good',
        usedBy: 'signature',
      });
      expect(revocation.find((r) => r.subject.includes('TSA'))?.usedBy).toBe('timestamp');
      const ltReport = await verifyPdf(lt, { trust: trust() });
      expect(ltReport.indication, JSON.stringify(ltReport.signatures[0]?.errors)).toBe('TOTAL_PASSED');
      expect(ltReport.signatures[0]!.level).toBe('B-LT');
      expect(
        ltReport.signatures[0]!.chain?.revocation?.every((r) => r.origin === 'embedded' && r.status === 'good'),
      ).toBe(true);
      const lta = await timestampPdf(lt, { tsa });
      const ltaReport = await verifyPdf(lta, { trust: trust() });
      expect(ltaReport.indication).toBe('TOTAL_PASSED');
      expect(ltaReport.signatures[0]!.level).toBe('B-LTA');
      for (const [name, bytes] of [
        ['lt', lt],
        ['lta', lta],
      ] as const) {
        const file = join(dir, `${name}.pdf`);
        writeFileSync(file, bytes);
        expect(qpdfCheck(file).status).toBe(0);
        expect(pdfsig(file).signatures[0]?.signatureValidation).toBe('Signature is Valid.');
      }
    });
    it('signPdf({ level }) runs the whole pipeline in one call: B-LTA that pdfsig accepts; a changed byte fails it', async () => {
      const signer = await createKeySigner({
        key: bed.leaves.good.keyPem,
        certificate: bed.leaves.good.certPem,
        chain: [pkiFile('intermediate.cert.pem'), pkiFile('root.cert.pem')],
      });
      const lta = await signPdf(sample, { signer, tsa, level: 'B-LTA', crls: [bed.rootCrl], reason: 'Phê duyệt' });
      expect(lta.subarray(0, sample.length)).toEqual(sample);
      const report = await verifyPdf(lta, { trust: trust() });
      expect(report.indication, JSON.stringify(report.signatures.map((s) => s.errors))).toBe('TOTAL_PASSED');
      expect(report.signatures.map((s) => [s.kind, s.level])).toEqual([
        ['signature', 'B-LTA'],
        ['document-timestamp', undefined],
      ]);
      const file = join(dir, 'one-call-lta.pdf');
      writeFileSync(file, lta);
      expect(pdfsig(file).signatures[0]?.signatureValidation).toBe('Signature is Valid.');
      const at = report.signatures[0]!.byteRange![1]! - 200;
      expect(
        (
          await verifyPdf(
            lta.map((x, i) => (i === at ? x ^ 1 : x)),
            { trust: trust() },
          )
        ).indication,
      ).toBe('TOTAL_FAILED');
      // the level is the caller's promise: B-LT without the root's CRL (no URL serves it) is refused, not downgraded
      await expect(signPdf(sample, { signer, tsa, level: 'B-LT' })).rejects.toMatchObject({
        code: 'ERR_REVOCATION_UNAVAILABLE',
      });
      await expect(signPdf(sample, { signer, level: 'B-T' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
      expect(
        (
          await verifyPdf(await signPdf(sample, { signer, tsa, level: 'B-LT', crls: [bed.rootCrl] }), {
            trust: trust(),
          })
        ).signatures[0]!.level,
      ).toBe('B-LT');
    });

    it("revocationMode 'require': no revocation data is INDETERMINATE / TRY_LATER; the data a B-LT document carries satisfies it", async () => {
      const signer = await signerFor('good');
      const bb = await verifyPdf(await signPdf(sample, { signer }), { trust: trust(), revocationMode: 'require' });
      expect(bb).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
      expect(bb.signatures[0]!.findings).toContainEqual(expect.objectContaining({ code: 'revocation-required' }));
      const lt = await signPdf(sample, {
        signer: await createKeySigner({
          key: bed.leaves.good.keyPem,
          certificate: bed.leaves.good.certPem,
          chain: [pkiFile('intermediate.cert.pem'), pkiFile('root.cert.pem')],
        }),
        tsa,
        level: 'B-LT',
        crls: [bed.rootCrl],
      });
      expect((await verifyPdf(lt, { trust: trust(), revocationMode: 'require' })).indication).toBe('TOTAL_PASSED');
      // off: not even the warning
      const off = await verifyPdf(await signPdf(sample, { signer }), { trust: trust(), revocationMode: 'off' });
      expect(off.indication).toBe('TOTAL_PASSED');
      expect(off.signatures[0]!.warnings.join(' ')).not.toMatch(/revocation/);
    });

    it('revoked before signing (2025): TOTAL_FAILED REVOKED, online or from the DSS', async () => {
      const bt = await signPdf(sample, { signer: await signerFor('revokedEarly'), tsa });
      const online = await verifyPdf(bt, { trust: trust(), online: true });
      expect(online.indication).toBe('TOTAL_FAILED');
      expect(online.subIndication).toBe('REVOKED');
      const { pdf } = await addLtv(bt, { crls: [bed.rootCrl] });
      expect((await verifyPdf(pdf, { trust: trust() })).subIndication).toBe('REVOKED');
    });
    it('revoked after signing (2030): with a timestamp it still passes in 2031; without one it is REVOKED_NO_POE', async () => {
      const signer = await signerFor('revokedLate');
      const at2031 = new Date('2031-01-01T00:00:00Z');
      const bt = await signPdf(sample, { signer, tsa });
      const withPoe = await verifyPdf(bt, { trust: trust(), online: true, time: at2031 });
      expect(withPoe.indication, JSON.stringify(withPoe.signatures[0]?.errors)).toBe('TOTAL_PASSED');
      const bb = await signPdf(sample, { signer });
      const noPoe = await verifyPdf(bb, { trust: trust(), online: true, time: at2031 });
      expect(noPoe.indication).toBe('INDETERMINATE');
      expect(noPoe.subIndication).toBe('REVOKED_NO_POE');
    });
    it('a certificate with only a CRL distribution point is checked through the CRL', async () => {
      const r = await verifyPdf(await signPdf(sample, { signer: await signerFor('crlOnly'), tsa }), {
        trust: trust(),
        online: true,
      });
      expect(r.subIndication).toBe('REVOKED');
      expect(r.signatures[0]!.chain?.revocation?.[0]?.source).toBe('crl');
    });
    it('offline by default: no revocation data means a warning, never a network call', async () => {
      const r = await verifyPdf(await signPdf(sample, { signer: await signerFor('revokedEarly') }), { trust: trust() });
      expect(r.indication).toBe('TOTAL_PASSED');
      expect(r.signatures[0]!.warnings.join(' ')).toMatch(/revocation status not established/);
    });
  },
);
