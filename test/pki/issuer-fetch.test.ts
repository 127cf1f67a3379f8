import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateCertificatePath } from '../../src/pki/chain.js';
import { createTrustStore, type TrustStore } from '../../src/pki/trust-store.js';
import { readCaIssuersAnswer, withIssuerFetching } from '../../src/pki/issuer-fetch.js';
import { toBytes } from '../../src/core/bytes.js';
import { miniCert, type MiniCert } from './mini-pki.js';
import { readFileSync } from 'node:fs';
import { createCryptoKeySigner, signPdf, verifyPdf } from '../../src/index.js';

const at = new Date('2026-06-01T00:00:00Z');
let server: Server;
let base: string;
const hits = new Map<string, number>();
let root: MiniCert;
let ca: MiniCert;
let stranger: MiniCert;
let pkcs7: Uint8Array;
const leaves = new Map<string, MiniCert>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/ca.cer') res.end(ca.der);
    else if (path === '/ca.p7c') res.end(pkcs7);
    else if (path === '/ca.pem') res.end(ca.cert.toString('pem'));
    else if (path === '/slow') setTimeout(() => res.end(ca.der), 3000);
    else if (path === '/huge') {
      res.writeHead(200);
      const chunk = new Uint8Array(64 * 1024);
      let sent = 0;
      const more = () => {
        while (sent < 200 && res.write(chunk)) sent++;
        if (sent < 200) res.once('drain', more);
        else res.end();
      };
      more();
    } else if (path === '/html') res.end('<html>not found</html>');
    else if (path === '/other') res.end(stranger.der);
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  root = await miniCert({ cn: 'AIA Root' });
  ca = await miniCert({ cn: 'AIA Issuing CA', issuer: root });
  stranger = await miniCert({ cn: 'Some Other CA', issuer: root });
  const dir = mkdtempSync(join(tmpdir(), 'kyso-aia-'));
  writeFileSync(join(dir, 'ca.pem'), ca.cert.toString('pem'));
  pkcs7 = new Uint8Array(
    execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', join(dir, 'ca.pem'), '-outform', 'DER']),
  );
  rmSync(dir, { recursive: true });
  for (const p of ['/ca.cer', '/ca.p7c', '/ca.pem', '/slow', '/huge', '/html', '/other', '/missing']) {
    leaves.set(p, await miniCert({ cn: `Signer ${p}`, issuer: ca, ca: false, caIssuers: `${base}${p}` }));
  }
}, 120_000);

afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function online(timeoutMs = 2500): Promise<TrustStore> {
  return withIssuerFetching(await createTrustStore([root.der]), { timeoutMs, retries: 0, maxBytes: 64 * 1024 });
}

describe('missing intermediates fetched from caIssuers (--online)', () => {
  it.each(['/ca.cer', '/ca.p7c', '/ca.pem'])(
    'completes the path from a %s answer (DER, PKCS#7 certs-only, PEM)',
    async (p) => {
      const r = await validateCertificatePath({ certificate: leaves.get(p)!.der, trust: await online(), time: at });
      expect(r.status).toBe('valid');
      expect(r.chain.map((c) => c.subject.commonName)).toEqual([`Signer ${p}`, 'AIA Issuing CA', 'AIA Root']);
    },
  );

  it('fetches the issuer even when a CA of the same name with another key is known (a renewed CA)', async () => {
    const renewed = await miniCert({ cn: 'AIA Issuing CA', issuer: root });
    const trust = withIssuerFetching(await createTrustStore([root.der], { intermediates: [renewed.der] }), {
      timeoutMs: 2500,
      retries: 0,
    });
    const r = await validateCertificatePath({ certificate: leaves.get('/ca.cer')!.der, trust, time: at });
    expect(r.status).toBe('valid');
    expect(r.chain[1]!.fingerprintSha256).toBe(createHash('sha256').update(ca.der).digest('hex').toUpperCase());
  });

  it('fetches each URL once per run (the store is the cache)', async () => {
    const trust = await online();
    const before = hits.get('/ca.cer') ?? 0;
    for (let i = 0; i < 3; i++)
      expect((await validateCertificatePath({ certificate: leaves.get('/ca.cer')!.der, trust, time: at })).status).toBe(
        'valid',
      );
    expect(hits.get('/ca.cer')! - before).toBe(1);
  });

  it('gives up on a slow server within the time limit, and says why', async () => {
    const started = Date.now();
    const r = await validateCertificatePath({
      certificate: leaves.get('/slow')!.der,
      trust: await online(500),
      time: at,
    });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(r.status).toBe('no-chain');
    expect(r.problems[0]).toMatch(
      /"C=VN,CN=AIA Issuing CA".*is missing: fetching it from .*\/slow did not help \(.*no answer within 500 ms/,
    );
  });

  it('refuses a huge answer without reading it all', async () => {
    const r = await validateCertificatePath({ certificate: leaves.get('/huge')!.der, trust: await online(), time: at });
    expect(r.status).toBe('no-chain');
    expect(r.problems[0]).toMatch(/exceeds 65536 bytes/);
  });

  it('ignores a wrong answer: not a certificate, another CA, an HTTP error', async () => {
    const html = await validateCertificatePath({
      certificate: leaves.get('/html')!.der,
      trust: await online(),
      time: at,
    });
    expect(html.status).toBe('no-chain');
    expect(html.problems[0]).toMatch(/did not answer with a certificate/);
    const other = await validateCertificatePath({
      certificate: leaves.get('/other')!.der,
      trust: await online(),
      time: at,
    });
    expect(other.status).toBe('no-chain');
    expect(other.problems[0]).toMatch(/did not answer with the certificate of "C=VN,CN=AIA Issuing CA"/);
    const missing = await validateCertificatePath({
      certificate: leaves.get('/missing')!.der,
      trust: await online(),
      time: at,
    });
    expect(missing.problems[0]).toMatch(/HTTP 404/);
  });

  it('reads a PKCS#7 certs-only bundle', () => {
    expect(readCaIssuersAnswer(pkcs7)).toEqual([ca.der]);
    expect(readCaIssuersAnswer(toBytes(new TextEncoder().encode(ca.cert.toString('pem'))))).toEqual([ca.der]);
  });
});

describe('verifyPdf({ online: true })', () => {
  it('completes a signer path from its caIssuers URL; offline it names the missing issuer', async () => {
    const leaf = leaves.get('/ca.p7c')!;
    const pdf = readFileSync(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url));
    const signed = await signPdf(pdf, {
      signer: await createCryptoKeySigner({ privateKey: leaf.keys.privateKey, certificate: leaf.der }),
    });
    const offline = (await verifyPdf(signed, { trust: [root.der], time: at })).signatures[0]!;
    expect(offline.chain?.status).toBe('no-chain');
    expect(offline.chain?.missingIssuer?.caIssuerUrls).toEqual([`${base}/ca.p7c`]);
    const online = (await verifyPdf(signed, { trust: [root.der], time: at, online: true })).signatures[0]!;
    expect(online.chain?.status).toBe('valid');
  });
});

describe('the missing intermediate, offline', () => {
  it('names the missing issuer, its key identifier, and how to supply it', async () => {
    const r = await validateCertificatePath({
      certificate: leaves.get('/ca.cer')!.der,
      trust: await createTrustStore([root.der]),
      time: at,
    });
    expect(r.status).toBe('no-chain');
    expect(r.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    const keyId = Buffer.from(await crypto.subtle.digest('SHA-1', ca.cert.publicKey.rawData)).toString('hex');
    expect(r.missingIssuer).toEqual({
      name: 'C=VN,CN=AIA Issuing CA',
      keyIdentifier: expect.any(String),
      neededBy: 'C=VN,CN=Signer /ca.cer',
      caIssuerUrls: [`${base}/ca.cer`],
    });
    expect(r.missingIssuer!.keyIdentifier).toHaveLength(40);
    expect(keyId).toHaveLength(40);
    expect(r.problems[0]).toBe(
      `the intermediate certificate "C=VN,CN=AIA Issuing CA" (key identifier ${r.missingIssuer!.keyIdentifier}) that issued "Signer /ca.cer" is missing: supply it with --intermediate FILE (the intermediates option), or put it in the intermediates folder of your trust folder, or let kyso fetch it from ${base}/ca.cer with --online`,
    );
  });

  it('a path through supplied intermediates still passes, and an untrusted root is named as such', async () => {
    const trust = await createTrustStore([root.der]);
    expect(
      (
        await validateCertificatePath({
          certificate: leaves.get('/ca.cer')!.der,
          intermediates: [ca.der],
          trust,
          time: at,
        })
      ).status,
    ).toBe('valid');
    const otherRoot = await miniCert({ cn: 'Unrelated Root' });
    const r = await validateCertificatePath({
      certificate: leaves.get('/ca.cer')!.der,
      intermediates: [ca.der, root.der],
      trust: await createTrustStore([otherRoot.der]),
      time: at,
    });
    expect(r.problems[0]).toMatch(/chains to "C=VN,CN=AIA Root", which is not among the trust anchors/);
    expect(r.missingIssuer).toBeUndefined();
  });
});
