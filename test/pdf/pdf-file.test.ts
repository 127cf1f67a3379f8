import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import { loadPkcs12Signer, signPdf, signPdfFile, verifyPdf, verifyPdfFile, type Signer } from '../../src/index.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';

const dir = scratchDir('kyso-large-');
const at = new Date('2026-11-24T08:30:00Z');
let signer: Signer;
let input: string;

beforeAll(async () => {
  signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  const scan = new Uint8Array(24 * 1024 * 1024);
  for (let i = 0; i < scan.length; i += 65536) globalThis.crypto.getRandomValues(scan.subarray(i, i + 65536));
  doc.attach(scan, 'scan.bin', { mimeType: 'application/octet-stream' });
  input = join(dir, 'scan.pdf');
  writeFileSync(input, await doc.save({ useObjectStreams: false }));
});

describe('large files by path', () => {
  it('signPdfFile gives byte-identical output to signPdf on the same input, and both verify', async () => {
    const inMemory = await signPdf(readFileSync(input), { signer, signingTime: at });
    const out = join(dir, 'scan-signed.pdf');
    await signPdfFile(input, out, { signer, signingTime: at });
    const onDisk = readFileSync(out);
    expect(createHash('sha256').update(onDisk).digest('hex')).toBe(createHash('sha256').update(inMemory).digest('hex'));
    expect((await verifyPdfFile(out, { trust: [pkiFile('root.cert.pem')] })).indication).toBe('TOTAL_PASSED');
    expect((await verifyPdf(onDisk, { trust: [pkiFile('root.cert.pem')] })).indication).toBe('TOTAL_PASSED');
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
  it('verifyPdfFile finds tampering in the middle of a large file, and signPdfFile refuses to overwrite', async () => {
    const out = join(dir, 'scan-signed.pdf');
    const bytes = readFileSync(out);
    bytes[12 * 1024 * 1024] = bytes[12 * 1024 * 1024]! ^ 1;
    const bad = join(dir, 'tampered.pdf');
    writeFileSync(bad, bytes);
    const r = await verifyPdfFile(bad, { trust: [pkiFile('root.cert.pem')] });
    expect(r.signatures[0]!.subIndication).toBe('HASH_FAILURE');
    await expect(signPdfFile(input, out, { signer })).rejects.toMatchObject({ code: 'ERR_IO' });
    expect(existsSync(out)).toBe(true);
  });
});
