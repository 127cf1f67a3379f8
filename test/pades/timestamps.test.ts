import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HttpTimestampSource,
  loadPkcs12Signer,
  signPdf,
  timestamp,
  timestampPdf,
  verifyPdf,
  verifyTimestamp,
  type Signer,
} from '../../src/index.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { createTsaIdentity, startTsaServer, type TsaIdentity, type TsaServer } from '../fixtures/tsa-server.js';
import { describeWithTools, pdfsig, qpdfCheck, run, scratchDir } from '../fixtures/tools.js';
import { kyso, kysoAsync } from '../cli/cli-helpers.js';

const samplePath = fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
let identity: TsaIdentity;
let server: TsaServer;
let tsa: HttpTimestampSource;
let signer: Signer;
let sample: Uint8Array;
const dir = scratchDir('kyso-ts-');
const trust = () => [pkiFile('root.cert.pem')];

describeWithTools(
  ['openssl', 'pdfsig', 'qpdf', 'certutil'],
  'PAdES B-T and document timestamps against a real TSA (openssl ts on 127.0.0.1)',
  () => {
    beforeAll(async () => {
      identity = createTsaIdentity();
      server = await startTsaServer({ identity });
      tsa = new HttpTimestampSource({ url: server.url });
      signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
      sample = new Uint8Array(readFileSync(samplePath));
    });
    afterAll(() => server?.stop());

    it('B-T: the signature carries a valid signature timestamp; pdfsig and qpdf accept the file', async () => {
      const signed = await signPdf(sample, { signer, tsa });
      const file = join(dir, 'bt.pdf');
      writeFileSync(file, signed);
      expect(qpdfCheck(file).status).toBe(0);
      const p = pdfsig(file);
      expect(p.signatures[0]?.signatureValidation, p.output).toBe('Signature is Valid.');
      const r = await verifyPdf(signed, { trust: trust() });
      expect(r.indication).toBe('TOTAL_PASSED');
      expect(r.signatures[0]!.timestamps).toHaveLength(1);
      expect(r.signatures[0]!.timestamps[0]!.valid).toBe(true);
      expect(server.queries.length).toBeGreaterThan(0);
    });
    it('the timestamp is proof of existence: after the signer certificate expires, B-T passes and B-B does not', async () => {
      const later = new Date('2036-06-01T00:00:00Z'); // the leaf expired on 2036-01-01; the CAs live until 2045
      const bt = await verifyPdf(await signPdf(sample, { signer, tsa }), { trust: trust(), time: later });
      expect(bt.indication).toBe('TOTAL_PASSED');
      const bb = await verifyPdf(await signPdf(sample, { signer }), { trust: trust(), time: later });
      expect(bb.indication).toBe('INDETERMINATE');
      expect(bb.subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
    });
    it('a tampered token is reported and gives no proof of existence', async () => {
      const signed = await signPdf(sample, { signer, tsa });
      const later = new Date('2036-06-01T00:00:00Z');
      // flip a byte of the TSA's signature inside the token: the token sits at the end of the CMS hex
      const text = Buffer.from(signed).toString('latin1');
      const hexStart = text.lastIndexOf('/Contents <') + 11;
      const end = text.indexOf('>', hexStart);
      const hex = text.slice(hexStart, end).replace(/0+$/, '');
      const at = hexStart + hex.length - 20;
      const t = new Uint8Array(signed);
      t[at] = t[at] === 0x30 ? 0x31 : 0x30;
      const r = await verifyPdf(t, { trust: trust(), time: later });
      expect(r.indication).not.toBe('TOTAL_PASSED');
    });
    it('document timestamp (ETSI.RFC3161): verifyPdf passes it, an earlier signature stays valid, qpdf accepts', async () => {
      const stamped = await timestampPdf(await signPdf(sample, { signer }), { tsa });
      const file = join(dir, 'doc-ts.pdf');
      writeFileSync(file, stamped);
      expect(qpdfCheck(file).status).toBe(0);
      const r = await verifyPdf(stamped, { trust: trust() });
      expect(r.signatures.map((s) => s.kind)).toEqual(['signature', 'document-timestamp']);
      expect(r.indication).toBe('TOTAL_PASSED');
      expect(r.signatures[0]!.modifications?.verdict).toBe('permitted-changes');
      const p = pdfsig(file);
      expect(p.signatures[0]?.signatureValidation).toBe('Signature is Valid.');
    });
    it('timestamp(data) → .tsr that openssl ts -verify accepts, and verifyTimestamp agrees; tampered data fails both', async () => {
      const data = join(dir, 'data.bin');
      writeFileSync(data, 'Tờ khai thuế tháng 11/2026');
      const { response } = await timestamp(readFileSync(data), { tsa });
      const tsr = join(dir, 'data.bin.tsr');
      writeFileSync(tsr, response);
      const ok = run('openssl', [
        'ts',
        '-verify',
        '-data',
        data,
        '-in',
        tsr,
        '-CAfile',
        pkiPath('root.cert.pem'),
        '-untrusted',
        identity.chain,
      ]);
      expect(ok.stdout + ok.stderr).toContain('Verification: OK');
      expect((await verifyTimestamp(readFileSync(data), response, { trust: trust() })).indication).toBe('TOTAL_PASSED');
      expect((await verifyTimestamp(readFileSync(data), response)).subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
      writeFileSync(data, 'Tờ khai thuế tháng 12/2026');
      const bad = run('openssl', [
        'ts',
        '-verify',
        '-data',
        data,
        '-in',
        tsr,
        '-CAfile',
        pkiPath('root.cert.pem'),
        '-untrusted',
        identity.chain,
      ]);
      expect(bad.status).not.toBe(0);
      expect((await verifyTimestamp(readFileSync(data), response, { trust: trust() })).subIndication).toBe(
        'HASH_FAILURE',
      );
    });
    it('kyso timestamp FILE --tsa URL writes FILE.tsr; kyso sign --tsa makes B-T; kyso verify --tsr checks it', async () => {
      const data = join(dir, 'cli.txt');
      writeFileSync(data, 'văn bản');
      const r = await kysoAsync(['timestamp', data, '--tsa', server.url]);
      expect(r.status, r.stderr).toBe(0);
      expect(
        (await kysoAsync(['verify', data, '--tsr', `${data}.tsr`, '--trust', pkiPath('root.cert.pem')])).status,
      ).toBe(0);
      writeFileSync(data, 'văn bản khác');
      expect(
        (await kysoAsync(['verify', data, '--tsr', `${data}.tsr`, '--trust', pkiPath('root.cert.pem')])).status,
      ).toBe(1);
      const out = join(dir, 'cli-bt.pdf');
      const s = await kysoAsync(
        ['sign', samplePath, '-o', out, '--p12', pkiPath('rsa2048.p12'), '--password-env', 'PW', '--tsa', server.url],
        { PW: P12_PASSWORD },
      );
      expect(s.status, s.stderr).toBe(0);
      const v = await kysoAsync(['verify', out, '--trust', pkiPath('root.cert.pem'), '--json']);
      expect(v.status).toBe(0);
      expect(JSON.parse(v.stdout)[0].report.signatures[0].timestamps[0].valid).toBe(true);
    });
    it('TSA down: signing fails with a typed error and writes nothing', async () => {
      const down = new HttpTimestampSource({
        url: 'http://127.0.0.1:9/tsa',
        retries: 1,
        backoffMs: 10,
        timeoutMs: 2000,
      });
      await expect(signPdf(sample, { signer, tsa: down })).rejects.toMatchObject({ code: 'ERR_TSA_UNAVAILABLE' });
      const out = join(dir, 'never.pdf');
      const r = kyso(
        [
          'sign',
          samplePath,
          '-o',
          out,
          '--p12',
          pkiPath('rsa2048.p12'),
          '--password-env',
          'PW',
          '--tsa',
          'http://127.0.0.1:9/tsa',
        ],
        { PW: P12_PASSWORD },
      );
      expect(r.status).toBe(1);
      expect(() => readFileSync(out)).toThrow();
    });
  },
);
