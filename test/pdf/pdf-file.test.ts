import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import {
  HttpTimestampSource,
  addLtv,
  addLtvFile,
  loadPkcs12Signer,
  signPdf,
  signPdfFile,
  timestampPdf,
  timestampPdfFile,
  verifyPdf,
  verifyPdfFile,
  type Signer,
  type TimestampSource,
} from '../../src/index.js';
import { extendPdfFile, openLazyFile } from '../../src/pdf/pdf-file.js';
import { findAll, prefixHasher, readAhead } from '../../src/pdf/lazy-bytes.js';
import { signPdfToUpdate } from '../../src/pades/sign-pdf.js';
import { timestampPdfToUpdate } from '../../src/pades/timestamp-pdf.js';
import { addLtvToUpdate } from '../../src/pades/add-ltv.js';
import { createTsaIdentity, startTsaServer, type TsaServer } from '../fixtures/tsa-server.js';
import { P12_PASSWORD, pkiFile } from '../fixtures/pki.js';
import { scratchDir } from '../fixtures/tools.js';

const dir = scratchDir('kyso-large-');
const at = new Date('2026-11-24T08:30:00Z');
let signer: Signer;
let input: string;
let tsaServer: TsaServer;
let tsa: TimestampSource;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  const scan = new Uint8Array(24 * 1024 * 1024);
  for (let i = 0; i < scan.length; i += 65536) globalThis.crypto.getRandomValues(scan.subarray(i, i + 65536));
  doc.attach(scan, 'scan.bin', { mimeType: 'application/octet-stream' });
  input = join(dir, 'scan.pdf');
  writeFileSync(input, await doc.save({ useObjectStreams: false }));
  tsaServer = await startTsaServer({ identity: createTsaIdentity() });
  // one token per imprint, so that the in-memory and by-path runs can be compared byte for byte
  const http = new HttpTimestampSource({ url: tsaServer.url });
  const tokens = new Map<string, ReturnType<TimestampSource['timestamp']>>();
  tsa = {
    timestamp: (digest, hash) =>
      tokens.get(sha256(digest)) ?? tokens.set(sha256(digest), http.timestamp(digest, hash)).get(sha256(digest))!,
  };
});
afterAll(async () => {
  await tsaServer?.stop();
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
  it('addLtvFile and timestampPdfFile, one by one or chained on one copy, give the in-memory bytes; the result verifies', async () => {
    const ltv = { online: false, certificates: [pkiFile('root.cert.pem'), pkiFile('intermediate.cert.pem')] };
    const signed = await signPdf(readFileSync(input), { signer, signingTime: at });
    const lt = await addLtv(signed, ltv);
    const lta = await timestampPdf(lt.pdf, { tsa });

    const [s1, s2, s3] = ['s1.pdf', 's2.pdf', 's3.pdf'].map((f) => join(dir, f)) as [string, string, string];
    await signPdfFile(input, s1, { signer, signingTime: at });
    const { revocation } = await addLtvFile(s1, s2, ltv);
    expect(revocation.length).toBeGreaterThan(0);
    await timestampPdfFile(s2, s3, { tsa });
    expect(sha256(readFileSync(s3))).toBe(sha256(lta));

    const chained = join(dir, 'chained.pdf');
    await extendPdfFile(input, chained, [
      async (pdf) => (await signPdfToUpdate(pdf, { signer, signingTime: at })).update,
      async (pdf) => (await addLtvToUpdate(pdf, ltv)).update,
      async (pdf) => (await timestampPdfToUpdate(pdf, { tsa })).update,
    ]);
    expect(sha256(readFileSync(chained))).toBe(sha256(lta));
    const report = await verifyPdfFile(chained, { trust: [pkiFile('root.cert.pem')] });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((r) => r.kind)).toEqual(['signature', 'document-timestamp']);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });
  it('a failing step leaves neither output nor temporary file, and the input untouched', async () => {
    const before = sha256(readFileSync(input));
    const out = join(dir, 'never.pdf');
    const failing: TimestampSource = { timestamp: () => Promise.reject(new Error('TSA down')) };
    await expect(
      extendPdfFile(input, out, [
        async (pdf) => (await signPdfToUpdate(pdf, { signer })).update,
        async (pdf) => (await timestampPdfToUpdate(pdf, { tsa: failing })).update,
      ]),
    ).rejects.toThrow('TSA down');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
    expect(sha256(readFileSync(input))).toBe(before);
  });

  // Bytes this process read and wrote through system calls (Linux), the operating system's copy included.
  const io = () => {
    const text = readFileSync('/proc/self/io', 'utf8');
    return { read: Number(/rchar: (\d+)/.exec(text)![1]), written: Number(/wchar: (\d+)/.exec(text)![1]) };
  };
  it.skipIf(!existsSync('/proc/self/io'))(
    'a large file is read once per pass: signing (manifest digests included) hashes it once, verifying scans it once and hashes it once',
    async () => {
      const size = readFileSync(input).length;
      const out = join(dir, 'counted.pdf');
      let before = io();
      const digests = await extendPdfFile(
        input,
        out,
        [
          async (pdf) => (await signPdfToUpdate(pdf, { signer, signingTime: at })).update,
          async (pdf) => (await timestampPdfToUpdate(pdf, { tsa })).update,
        ],
        { sha256: true },
      );
      let used = io();
      // one read to hash (the signature's, the timestamp's and both manifest digests), one the copy
      expect((used.read - before.read) / size).toBeLessThan(2.05);
      expect((used.written - before.written) / size).toBeLessThan(1.05);
      const output = readFileSync(out);
      expect(Buffer.from(digests!.input).toString('hex')).toBe(sha256(readFileSync(input)));
      expect(Buffer.from(digests!.output).toString('hex')).toBe(sha256(output));

      before = io();
      const report = await verifyPdfFile(out, { trust: [pkiFile('root.cert.pem')] });
      used = io();
      expect(report.indication).toBe('TOTAL_PASSED');
      expect(report.signatures).toHaveLength(2);
      // one pass finds the signatures and revisions and hashes: each signature's digest goes on from a state it kept
      expect((used.read - before.read) / size).toBeLessThan(1.05);

      const tampered = Uint8Array.from(output);
      tampered[size >> 1] = tampered[size >> 1]! ^ 1;
      writeFileSync(join(dir, 'counted-tampered.pdf'), tampered);
      const bad = await verifyPdfFile(join(dir, 'counted-tampered.pdf'), { trust: [pkiFile('root.cert.pem')] });
      expect(bad.signatures.map((s) => s.subIndication)).toEqual(['HASH_FAILURE', 'HASH_FAILURE']);
    },
  );
  it.skipIf(!existsSync('/proc/self/io'))(
    'readAhead reads a lazy file once for its marks and digests: prefix digests then go on from a kept state',
    async () => {
      const mib = 1024 * 1024;
      const bytes = new Uint8Array(3 * mib + 17);
      globalThis.crypto.getRandomValues(bytes.subarray(0, 65536));
      for (let at = 65536; at < bytes.length; at += 65536) bytes.copyWithin(at, 0, 65536);
      bytes.set(Buffer.from('/ByteRange', 'latin1'), 2 * mib + 5);
      const path = join(dir, 'ahead.bin');
      writeFileSync(path, bytes);
      const digestOf = (h: string, n: number) => createHash(h).update(bytes.subarray(0, n)).digest('hex');
      const lengths = [1, mib - 1, 2 * mib + 300, bytes.length - 1, bytes.length];
      const lazy = openLazyFile(path);
      try {
        let before = io();
        await readAhead(lazy.bytes, { hashes: ['SHA-256', 'SHA-512'], marks: true });
        expect(io().read - before.read).toBeLessThan(bytes.length + 64 * 1024);
        before = io();
        expect(findAll(lazy.bytes, Buffer.from('/ByteRange'))).toEqual([2 * mib + 5]);
        // a state at the end, and one at the start of the chunk holding the mark: a few hundred bytes read
        expect(Buffer.from(await prefixHasher(lazy.bytes, 'SHA-256', bytes.length).digest()).toString('hex')).toBe(
          digestOf('sha256', bytes.length),
        );
        expect(Buffer.from(await prefixHasher(lazy.bytes, 'SHA-512', 2 * mib + 300).digest()).toString('hex')).toBe(
          digestOf('sha512', 2 * mib + 300),
        );
        expect(io().read - before.read).toBeLessThan(16 * 1024);
        for (const n of lengths)
          expect(Buffer.from(await prefixHasher(lazy.bytes, 'SHA-256', n).digest()).toString('hex')).toBe(
            digestOf('sha256', n),
          );
      } finally {
        lazy.close();
      }
      // without the pass the same digest reads its prefix
      const fresh = openLazyFile(path);
      try {
        const before = io();
        await prefixHasher(fresh.bytes, 'SHA-512', 2 * mib + 300).digest();
        expect(io().read - before.read).toBeGreaterThan(2 * mib);
      } finally {
        fresh.close();
      }
    },
  );
  it.skipIf(!existsSync('/proc/self/io'))(
    'readAhead stops with the reason when its signal is aborted, and its digests are not kept',
    async () => {
      const path = join(dir, 'ahead-aborted.bin');
      writeFileSync(path, new Uint8Array(3 * 1024 * 1024));
      const lazy = openLazyFile(path);
      try {
        const stop = new AbortController();
        stop.abort(new Error('the signer failed'));
        await expect(readAhead(lazy.bytes, { hashes: ['SHA-256'], signal: stop.signal })).rejects.toThrow(
          'the signer failed',
        );
        const before = io();
        await prefixHasher(lazy.bytes, 'SHA-256', lazy.bytes.length).digest();
        expect(io().read - before.read).toBeGreaterThan(lazy.bytes.length - 1);
      } finally {
        lazy.close();
      }
    },
  );
  it('a lazy file finds its marks in one pass, across the read chunks, as in memory', () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 17).fill(0x20);
    const put = (at: number, s: string) => bytes.set(Buffer.from(s, 'latin1'), at);
    const mib = 1024 * 1024;
    for (const at of [0, mib - 3, 2 * mib + 5, bytes.length - 10]) put(at, '/ByteRange');
    for (const at of [2 * mib - 2, bytes.length - 30, 3 * mib - 1]) put(at, '%%EOF');
    const path = join(dir, 'marks.bin');
    writeFileSync(path, bytes);
    const lazy = openLazyFile(path);
    try {
      for (const mark of ['/ByteRange', '%%EOF', '/Byte']) {
        const needle = Buffer.from(mark, 'latin1');
        expect(findAll(lazy.bytes, needle)).toEqual(findAll(bytes, needle));
      }
      expect(findAll(lazy.bytes, Buffer.from('%%EOF'))).toEqual([2 * mib - 2, bytes.length - 30, 3 * mib - 1]);
      expect(findAll(lazy.bytes, Buffer.from('/ByteRange'), 2)).toEqual([0, mib - 3]);
    } finally {
      lazy.close();
    }
  });
});
