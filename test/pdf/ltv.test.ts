import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { HttpTimestampSource, addLtv, createKeySigner, signPdf, timestampPdf, verifyPdf, type Signer } from '../../src/index.js';
import { pkiFile } from '../fixtures/pki.js';
import { startRevocationBed, type RevocationBed } from '../fixtures/revocation-pki.js';
import { createTsaIdentity, startTsaServer, type TsaServer } from '../fixtures/tsa-server.js';
import { describeWithTools, pdfsig, qpdfCheck, scratchDir } from '../fixtures/tools.js';

const sample = new Uint8Array(readFileSync(fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url))));
let bed: RevocationBed;
let tsaServer: TsaServer;
let tsa: HttpTimestampSource;
const dir = scratchDir('kyso-ltv-');
const trust = () => [pkiFile('root.cert.pem')];
const signerFor = (name: keyof RevocationBed['leaves']): Promise<Signer> =>
  createKeySigner({ key: bed.leaves[name].keyPem, certificate: bed.leaves[name].certPem, chain: [pkiFile('intermediate.cert.pem')] });

describeWithTools(['openssl', 'pdfsig', 'qpdf', 'certutil'], 'PAdES B-LT / B-LTA and proof of existence against real OCSP, CRL and TSA servers', () => {
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
    const { pdf: lt, revocation } = await addLtv(bt, { crls: [bed.rootCrl], certificates: [pkiFile('root.cert.pem')] });
    expect(revocation.find((r) => r.subject.includes('Revocation good'))).toMatchObject({ status: 'good', usedBy: 'signature' });
    expect(revocation.find((r) => r.subject.includes('TSA'))?.usedBy).toBe('timestamp');
    const ltReport = await verifyPdf(lt, { trust: trust() });
    expect(ltReport.indication, JSON.stringify(ltReport.signatures[0]?.errors)).toBe('TOTAL_PASSED');
    expect(ltReport.signatures[0]!.level).toBe('B-LT');
    expect(ltReport.signatures[0]!.chain?.revocation?.every((r) => r.origin === 'embedded' && r.status === 'good')).toBe(true);
    const lta = await timestampPdf(lt, { tsa });
    const ltaReport = await verifyPdf(lta, { trust: trust() });
    expect(ltaReport.indication).toBe('TOTAL_PASSED');
    expect(ltaReport.signatures[0]!.level).toBe('B-LTA');
    for (const [name, bytes] of [['lt', lt], ['lta', lta]] as const) {
      const file = join(dir, `${name}.pdf`);
      writeFileSync(file, bytes);
      expect(qpdfCheck(file).status).toBe(0);
      expect(pdfsig(file).signatures[0]?.signatureValidation).toBe('Signature is Valid.');
    }
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
    const r = await verifyPdf(await signPdf(sample, { signer: await signerFor('crlOnly'), tsa }), { trust: trust(), online: true });
    expect(r.subIndication).toBe('REVOKED');
    expect(r.signatures[0]!.chain?.revocation?.[0]?.source).toBe('crl');
  });
  it('offline by default: no revocation data means a warning, never a network call', async () => {
    const r = await verifyPdf(await signPdf(sample, { signer: await signerFor('revokedEarly') }), { trust: trust() });
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.warnings.join(' ')).toMatch(/revocation status not established/);
  });
});
