import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CscClient,
  finishDetachedSigning,
  finishPdfSigning,
  finishXmlSigning,
  prepareDetachedSigning,
  preparePdfSigning,
  prepareXmlSigning,
  signHashesRemotely,
  signPdfsRemotely,
  verifyDetached,
  verifyPdf,
  verifyXml,
} from '../../src/index.js';
import { pkiFile } from '../fixtures/pki.js';
import { startCscServer, type CscServer } from '../fixtures/csc-server.js';
import { describeWithTools, pdfsig, run, scratchDir } from '../fixtures/tools.js';

const sample = new Uint8Array(
  readFileSync(fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url))),
);
let csc: CscServer;
const client = (s: CscServer) => new CscClient({ url: s.url, token: 'test-token' });

describeWithTools(
  ['pdfsig', 'certutil', 'xmlsec1'],
  'remote hash signing against a CSC-style service on 127.0.0.1',
  () => {
    beforeAll(async () => {
      csc = await startCscServer('rsa2048');
    });
    afterAll(async () => {
      await csc?.stop();
    });

    it('one approval signs a batch of documents; every signature is valid for kyso and pdfsig', async () => {
      csc.mode = 'approve-after';
      csc.approveAfterMs = 300;
      csc.requests.length = 0;
      const docs = [sample, sample, sample];
      const signed = await signPdfsRemotely(docs, {
        service: client(csc),
        credentialId: 'cred-1',
        pollMs: 50,
        reason: 'Ký từ xa',
      });
      expect(csc.requests.filter((r) => r.path === 'signatures/signHash')).toHaveLength(1);
      expect((csc.requests.find((r) => r.path === 'signatures/signHash')!.body.hash as string[]).length).toBe(3);
      expect(csc.requests.filter((r) => r.path === 'signatures/status').length).toBeGreaterThan(1);
      const dir = scratchDir();
      for (const [i, s] of signed.entries()) {
        expect((await verifyPdf(s, { trust: [pkiFile('root.cert.pem')] })).indication).toBe('TOTAL_PASSED');
        writeFileSync(join(dir, `${i}.pdf`), s);
        expect(pdfsig(join(dir, `${i}.pdf`)).signatures[0]?.signatureValidation).toBe('Signature is Valid.');
      }
    });
    it('across a process restart: prepare, persist the JSON state, sign later, finish', async () => {
      csc.mode = 'immediate';
      const service = client(csc);
      const { certificates } = await service.credentialInfo('cred-1');
      const prepared = await preparePdfSigning(sample, {
        certificate: certificates[0]!,
        chain: certificates.slice(1),
        algorithm: { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      });
      const saved = JSON.stringify({ state: prepared.state, digest: Buffer.from(prepared.digest).toString('base64') });
      // ... a new process reads it back
      const restored = JSON.parse(saved) as { state: typeof prepared.state; digest: string };
      const [signature] = await signHashesRemotely([new Uint8Array(Buffer.from(restored.digest, 'base64'))], {
        service,
        credentialId: 'cred-1',
        algorithm: restored.state.algorithm,
      });
      const signed = await finishPdfSigning(sample, restored.state, signature!);
      expect((await verifyPdf(signed, { trust: [pkiFile('root.cert.pem')] })).indication).toBe('TOTAL_PASSED');
    });
    it('XML declarations and detached CMS through the same service: prepare, one request for both digests, finish', async () => {
      csc.mode = 'approve-after';
      csc.approveAfterMs = 100;
      const service = client(csc);
      const { certificates } = await service.credentialInfo('cred-1');
      const algorithm = { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
      const xmlFile = fileURLToPath(new URL('../../examples/xml/tax-01gtgt.xml', import.meta.url));
      const xml = await prepareXmlSigning(readFileSync(xmlFile), {
        certificate: certificates[0]!,
        chain: certificates.slice(1),
        algorithm,
        profile: 'tax',
        includeChain: true,
      });
      const data = new TextEncoder().encode('Tờ khai 01/GTGT');
      const cms = await prepareDetachedSigning(data, {
        certificate: certificates[0]!,
        chain: certificates.slice(1),
        algorithm,
      });
      const states = JSON.parse(JSON.stringify({ xml: xml.state, cms: cms.state }));
      const [xs, cs] = await signHashesRemotely([xml.digest, cms.digest], {
        service,
        credentialId: 'cred-1',
        algorithm,
        pollMs: 30,
      });
      const signedXml = finishXmlSigning(states.xml, xs!);
      const xmlReport = await verifyXml(signedXml, { trust: [pkiFile('root.cert.pem')] });
      expect(xmlReport.indication).toBe('TOTAL_PASSED');
      const dir = scratchDir();
      writeFileSync(join(dir, 'signed.xml'), signedXml);
      expect(
        run('xmlsec1', ['--verify', '--insecure', '--id-attr:id', 'HSoKhaiThue', join(dir, 'signed.xml')]).status,
      ).toBe(0);
      const p7s = finishDetachedSigning(states.cms, cs!);
      expect((await verifyDetached(data, p7s, { trust: [pkiFile('root.cert.pem')] })).indication).toBe('TOTAL_PASSED');
      expect(() => finishXmlSigning(states.xml, new Uint8Array(10))).toThrow(/bytes/);
    });
    it('rejected, expired, deadline and cancellation are typed errors', async () => {
      const service = client(csc);
      csc.mode = 'reject';
      await expect(signPdfsRemotely([sample], { service, credentialId: 'cred-1', pollMs: 20 })).rejects.toMatchObject({
        code: 'ERR_REMOTE_REJECTED',
      });
      csc.mode = 'expire';
      await expect(
        signPdfsRemotely([sample], { service, credentialId: 'cred-1', pollMs: 20, deadlineMs: 300 }),
      ).rejects.toMatchObject({ code: 'ERR_REMOTE_EXPIRED' });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      await expect(
        signPdfsRemotely([sample], { service, credentialId: 'cred-1', pollMs: 20, signal: controller.signal }),
      ).rejects.toMatchObject({ code: 'ERR_ABORTED' });
      await expect(new CscClient({ url: csc.url, token: 'wrong' }).listCredentials()).rejects.toMatchObject({
        code: 'ERR_REMOTE_UNAVAILABLE',
      });
      expect(await service.listCredentials()).toEqual(['cred-1']);
    });
  },
);
