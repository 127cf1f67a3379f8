/**
 * RSASSA-PSS with SHA-3 (issue 13): WebCrypto has no SHA-3, Node's crypto has; kyso on Node verifies such
 * signatures (openssl cms agrees), and a tampered or forged one still fails. pdfsig's NSS knows no SHA-3
 * ("Unrecognized Hash ID"): it cannot check these files, which is not a disagreement.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPkcs12Signer, renderPdfReport, signPdf, verifyPdf } from '../../src/index.js';
import { parsePem } from '../../src/core/bytes.js';
import { readChildren, readTlv } from '../../src/core/der.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { editCms, resignWithNode } from '../fixtures/pdf-verdicts.js';
import { describeWithTools, opensslCmsVerify, scratchDir } from '../fixtures/tools.js';
import { PdfReader } from '../../src/pdf/reader.js';
import { findSignatureFields } from '../../src/pdf/signature-scan.js';
import { numberOf } from '../../src/pdf/objects.js';

const trust = () => [pkiFile('root.cert.pem')];
let signed: Uint8Array;
const files = new Map<string, Uint8Array>();

/** The signed PDF with its CMS made by Node with RSASSA-PSS and `hash`. */
const pss = (hash: 'SHA3-256' | 'SHA3-384' | 'SHA3-512') =>
  resignWithNode(
    signed,
    { scheme: 'RSA-PSS', hash },
    readFileSync(pkiPath('rsa2048.key.pem'), 'utf8'),
    pkiFile('rsa2048.cert.der'),
    [parsePem(readFileSync(pkiPath('intermediate.cert.pem'), 'utf8'))[0]!.der],
  );

beforeAll(async () => {
  const signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  signed = await signPdf(readFileSync(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url)), {
    signer,
  });
  for (const hash of ['SHA3-256', 'SHA3-384', 'SHA3-512'] as const) files.set(hash, pss(hash));
});

describe('RSASSA-PSS with SHA-3 on Node', () => {
  for (const hash of ['SHA3-256', 'SHA3-384', 'SHA3-512'] as const) {
    it(`${hash}: TOTAL_PASSED with the test root`, async () => {
      const report = await verifyPdf(files.get(hash)!, { trust: trust() });
      expect(report.indication, renderPdfReport(report)).toBe('TOTAL_PASSED');
      expect(report.signatures[0]).toMatchObject({ signatureAlgorithm: `RSA-PSS with ${hash}`, digestAlgorithm: hash });
      expect(renderPdfReport(report)).toContain(`RSA-PSS with ${hash}, digest ${hash}`);
    });
  }
  it('a changed byte of the document: HASH_FAILURE', async () => {
    const tampered = files.get('SHA3-256')!.slice();
    tampered[100] = tampered[100]! ^ 1;
    expect((await verifyPdf(tampered, { trust: trust() })).signatures[0]!.subIndication).toBe('HASH_FAILURE');
  });
  it('a changed byte of the signature value: SIG_CRYPTO_FAILURE', async () => {
    const forged = editCms(files.get('SHA3-256')!, (cms) => {
      const out = cms.slice();
      const signedData = readChildren(cms, readChildren(cms, readTlv(cms, 0))[1]!)[0]!;
      const signerInfos = readChildren(cms, signedData).at(-1)!;
      const value = readChildren(cms, readChildren(cms, signerInfos)[0]!).find((c) => c.tag === 0x04)!;
      out[value.contentStart + 10] = out[value.contentStart + 10]! ^ 1;
      return out;
    });
    const report = await verifyPdf(forged, { trust: trust() });
    expect(report.indication).toBe('TOTAL_FAILED');
    expect(report.signatures[0]!.subIndication).toBe('SIG_CRYPTO_FAILURE');
  });
});

describeWithTools(['openssl'], 'openssl cms agrees', () => {
  it('verifies the SHA3-256 CMS over the signed ranges, and rejects it over changed bytes', () => {
    const dir = scratchDir('kyso-sha3-');
    const pdf = files.get('SHA3-256')!;
    const reader = PdfReader.open(pdf);
    const sig = findSignatureFields(reader).signed[0]!.signature;
    const [a, b, c, d] = (reader.resolve(sig.get('ByteRange')) as unknown[]).map((n) => numberOf(n as never)!);
    const cms = Buffer.from(new TextDecoder().decode(pdf.subarray(a! + b! + 1, c! - 1)), 'hex');
    writeFileSync(join(dir, 'cms.der'), cms.subarray(0, readTlv(new Uint8Array(cms), 0).end));
    writeFileSync(join(dir, 'content.bin'), Buffer.concat([pdf.subarray(a!, a! + b!), pdf.subarray(c!, c! + d!)]));
    const verify = () => opensslCmsVerify(join(dir, 'cms.der'), join(dir, 'content.bin'));
    expect(verify().status, verify().stderr).toBe(0);
    writeFileSync(
      join(dir, 'content.bin'),
      Buffer.concat([pdf.subarray(a!, a! + b!), pdf.subarray(c!, c! + d!), Buffer.from('x')]),
    );
    expect(verify().status).not.toBe(0);
  });
});
