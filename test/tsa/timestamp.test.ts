import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesEqual } from '../../src/core/bytes.js';
import { OID } from '../../src/core/oids.js';
import { digest } from '../../src/crypto/digest.js';
import { derSmallInteger, readChildren, readTlv, tlv } from '../../src/core/der.js';
import { signDetachedDigest } from '../../src/cms/signed-data.js';
import { HttpTimestampSource } from '../../src/tsa/http-timestamp-source.js';
import { createTimestampRequest } from '../../src/tsa/timestamp-request.js';
import { TimestampRejectedError } from '../../src/tsa/timestamp-response.js';
import { parseTimestampToken, verifyTimestampToken } from '../../src/tsa/timestamp-token.js';
import { pkiPath } from '../fixtures/pki.js';
import { describeWithTools, run, scratchDir } from '../fixtures/tools.js';
import {
  TSA_OTHER_POLICY,
  TSA_POLICY,
  createTsaIdentity,
  opensslTsReply,
  startTsaServer,
  type TsaIdentity,
  type TsaServer,
} from '../fixtures/tsa-server.js';
import { testSigner } from '../cms/test-signer.js';

const DATA = new TextEncoder().encode('Chữ ký số của văn bản cần gắn dấu thời gian\n');

function flip(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

/** TimeStampResp { status granted, token }. */
function grantedResponse(token: Uint8Array): Uint8Array {
  return tlv(0x30, tlv(0x30, derSmallInteger(0)), token);
}

/** The token of a TimeStampResp. */
function tokenOf(response: Uint8Array): Uint8Array {
  const el = readChildren(response, readTlv(response, 0))[1]!;
  return response.slice(el.start, el.end);
}

async function rejects(p: Promise<unknown>): Promise<{ code?: string; message: string } & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error('expected a rejection');
}

describe('createTimestampRequest', () => {
  it('refuses a digest of the wrong length', () => {
    expect(() => createTimestampRequest({ digest: new Uint8Array(20), hash: 'SHA-256' })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }),
    );
  });

  it('draws a fresh 8-byte nonce by default, none when told', () => {
    const d = new Uint8Array(32);
    const a = createTimestampRequest({ digest: d, hash: 'SHA-256' });
    const b = createTimestampRequest({ digest: d, hash: 'SHA-256' });
    expect(bytesEqual(a, b)).toBe(false);
    const none = createTimestampRequest({ digest: d, hash: 'SHA-256', nonce: false, certReq: false });
    expect(readChildren(none, readTlv(none, 0)).map((f) => f.tag)).toEqual([0x02, 0x30]);
  });
});

describeWithTools(['openssl'], 'RFC 3161 against openssl ts', () => {
  let tsa: TsaIdentity;
  let server: TsaServer;
  let dir: string;
  beforeAll(async () => {
    tsa = createTsaIdentity();
    server = await startTsaServer({ identity: tsa });
    dir = scratchDir('kyso-tsa-test-');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('openssl reads our request: nonce, policy, certReq', () => {
    const nonce = Uint8Array.of(0x00, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56);
    const req = createTimestampRequest({
      digest: new Uint8Array(48).fill(7),
      hash: 'SHA-384',
      nonce,
      policy: TSA_OTHER_POLICY,
    });
    writeFileSync(join(dir, 'req.tsq'), req);
    const r = run('openssl', ['ts', '-query', '-in', join(dir, 'req.tsq'), '-text']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Hash Algorithm: sha384/);
    expect(r.stdout).toMatch(new RegExp(`Policy OID: ${TSA_OTHER_POLICY.replace(/\./g, '\\.')}`));
    expect(r.stdout).toMatch(/Nonce: 0x9ABCDEF0123456/i);
    expect(r.stdout).toMatch(/Certificate required: yes/);
  });

  it('a good token, checked by kyso and by openssl ts -verify; tampering is caught by both', async () => {
    const source = new HttpTimestampSource({ url: server.url });
    const file = join(dir, 'data.bin');
    writeFileSync(file, DATA);
    const before = Date.now();
    const token = await source.timestamp(await digest('SHA-256', DATA), 'SHA-256');
    expect(Math.abs(token.genTime.getTime() - before)).toBeLessThan(60_000);
    expect(token.policy).toBe(TSA_POLICY);
    expect(token.messageImprint).toMatchObject({ hash: 'SHA-256', digest: await digest('SHA-256', DATA) });
    expect(token.nonce).toMatch(/^[0-9a-f]+$/);
    expect(token.tsaName).toContain('CN=kyso Test TSA');
    expect(token.accuracy).toEqual({ seconds: 1, millis: 500, micros: 0 });
    expect(bytesEqual(token.signerCertificate!, tsa.certDer)).toBe(true);
    expect(token.certificates.length).toBeGreaterThanOrEqual(1);

    const check = await verifyTimestampToken(token, { data: DATA });
    expect(check.problems).toEqual([]);
    expect(check).toMatchObject({ valid: true, messageImprintMatches: true });
    const other = await verifyTimestampToken(token.der, { data: flip(DATA, 3) });
    expect(other).toMatchObject({ valid: false, messageImprintMatches: false });

    writeFileSync(join(dir, 'token.der'), token.der);
    const verify = (tokenFile: string, dataFile = file) =>
      run('openssl', [
        'ts',
        '-verify',
        '-data',
        dataFile,
        '-token_in',
        '-in',
        tokenFile,
        '-CAfile',
        pkiPath('root.cert.pem'),
        '-untrusted',
        tsa.chain,
      ]);
    const ok = verify(join(dir, 'token.der'));
    expect(ok.stdout + ok.stderr).toContain('Verification: OK');
    writeFileSync(join(dir, 'other.bin'), flip(DATA, 3));
    expect(verify(join(dir, 'token.der'), join(dir, 'other.bin')).status).not.toBe(0);

    const sig = token.signedData.signerInfos[0]!.signature;
    const at = Buffer.from(token.der).indexOf(Buffer.from(sig)) + 10;
    const tampered = flip(token.der, at);
    writeFileSync(join(dir, 'tampered.der'), tampered);
    expect(verify(join(dir, 'tampered.der')).status).not.toBe(0);
    expect((await verifyTimestampToken(tampered, { data: DATA })).valid).toBe(false);

    // a changed TSTInfo (genTime) breaks the token's message digest
    const genTime = readChildren(token.tstInfo, readTlv(token.tstInfo, 0)).find((f) => f.tag === 0x18)!;
    const tstAt = Buffer.from(token.der).indexOf(Buffer.from(token.tstInfo)) + genTime.contentStart + 3; // a digit of the year
    const changed = await verifyTimestampToken(flip(token.der, tstAt), { data: DATA });
    expect(changed.valid).toBe(false);
    expect(changed.signature.messageDigestValid).toBe(false);
  });

  it('SHA-384 and SHA-512 imprints, another policy, and ESS signing-certificate v1', async () => {
    const source = new HttpTimestampSource({ url: server.url, policy: TSA_OTHER_POLICY });
    for (const hash of ['SHA-384', 'SHA-512'] as const) {
      const token = await source.timestamp(await digest(hash, DATA), hash);
      expect(token.messageImprint.hash).toBe(hash);
      expect(token.policy).toBe(TSA_OTHER_POLICY);
    }
    const v1 = createTsaIdentity({ essCertIdAlg: 'sha1' });
    const v1Server = await startTsaServer({ identity: v1 });
    try {
      const token = await new HttpTimestampSource({ url: v1Server.url }).timestamp(
        await digest('SHA-256', DATA),
        'SHA-256',
      );
      const si = token.signedData.signerInfos[0]!;
      expect(si.signingCertificate?.hashAlgorithm).toBe('SHA-1');
      expect(si.signingCertificateV2).toBeUndefined();
      expect((await verifyTimestampToken(token, { data: DATA })).valid).toBe(true);
    } finally {
      await v1Server.stop();
    }
  });

  it('without certReq the token holds no TSA certificate: refused unless the source is given it', async () => {
    const d = await digest('SHA-256', DATA);
    const e = await rejects(new HttpTimestampSource({ url: server.url, certReq: false }).timestamp(d, 'SHA-256'));
    expect(e.code).toBe('ERR_TSA_RESPONSE_INVALID');
    const token = await new HttpTimestampSource({
      url: server.url,
      certReq: false,
      tsaCertificates: [tsa.certDer],
    }).timestamp(d, 'SHA-256');
    expect(token.certificates).toEqual([]);
    expect(token.signerCertificate).toBeUndefined();
  });

  it('a token as signature-time-stamp of a CMS signature', async () => {
    const { addUnsignedAttribute } = await import('../../src/cms/signed-data.js');
    const { parseSignedData } = await import('../../src/cms/parse-signed-data.js');
    const signer = testSigner('p256', [{ scheme: 'ECDSA', hash: 'SHA-256' }]);
    const cms = await signDetachedDigest({ contentDigest: await digest('SHA-256', DATA), signer });
    const signature = parseSignedData(cms).signerInfos[0]!.signature;
    const token = await new HttpTimestampSource({ url: server.url }).timestamp(
      await digest('SHA-256', signature),
      'SHA-256',
    );
    const stamped = parseSignedData(
      addUnsignedAttribute(cms, { oid: OID.signatureTimeStampToken, values: [token.der] }),
    );
    const [tst] = stamped.signerInfos[0]!.signatureTimeStampTokens;
    expect((await verifyTimestampToken(tst!, { data: stamped.signerInfos[0]!.signature })).valid).toBe(true);
  });

  it('TSA down: retries with backoff, then ERR_TSA_UNAVAILABLE, in bounded time', async () => {
    const closed = await startTsaServer({ respond: () => new Uint8Array() });
    await closed.stop();
    let attempts = 0;
    const counting: typeof fetch = (input, init) => {
      attempts++;
      return fetch(input, init);
    };
    const started = Date.now();
    const e = await rejects(
      new HttpTimestampSource({ url: closed.url, fetch: counting, retries: 2, backoffMs: 50 }).timestamp(
        new Uint8Array(32),
        'SHA-256',
      ),
    );
    expect(e.code).toBe('ERR_TSA_UNAVAILABLE');
    expect(attempts).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150); // 50 + 100 of backoff
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a TSA that never answers times out', async () => {
    const silent = await startTsaServer({ respond: () => new Promise<Uint8Array>(() => undefined) });
    try {
      const started = Date.now();
      const e = await rejects(
        new HttpTimestampSource({ url: silent.url, timeoutMs: 200, retries: 1, backoffMs: 10 }).timestamp(
          new Uint8Array(32),
          'SHA-256',
        ),
      );
      expect(e.code).toBe('ERR_TSA_UNAVAILABLE');
      expect(e.message).toContain('200 ms');
      expect(silent.queries).toHaveLength(2);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await silent.stop();
    }
  });

  it('HTTP 503 is retried, HTTP 404 is not', async () => {
    let calls = 0;
    const flaky: typeof fetch = (input, init) =>
      ++calls === 1 ? Promise.resolve(new Response('busy', { status: 503 })) : fetch(input, init);
    const token = await new HttpTimestampSource({ url: server.url, fetch: flaky, backoffMs: 10 }).timestamp(
      await digest('SHA-256', DATA),
      'SHA-256',
    );
    expect(token.policy).toBe(TSA_POLICY);
    expect(calls).toBe(2);
    let notFound = 0;
    const missing: typeof fetch = () => {
      notFound++;
      return Promise.resolve(new Response('no', { status: 404, statusText: 'Not Found' }));
    };
    const e = await rejects(
      new HttpTimestampSource({ url: server.url, fetch: missing, backoffMs: 10 }).timestamp(
        new Uint8Array(32),
        'SHA-256',
      ),
    );
    expect(e.code).toBe('ERR_TSA_UNAVAILABLE');
    expect(e.message).toContain('404');
    expect(notFound).toBe(1);
  });

  it('a replayed answer (nonce of another request) is refused', async () => {
    let stored: Uint8Array | undefined;
    const replaying = await startTsaServer({
      respond: async (q) => {
        stored ??= await opensslTsReply(tsa, q);
        return stored;
      },
    });
    try {
      const source = new HttpTimestampSource({ url: replaying.url });
      const d = await digest('SHA-256', DATA);
      await source.timestamp(d, 'SHA-256');
      const e = await rejects(source.timestamp(d, 'SHA-256'));
      expect(e.code).toBe('ERR_TSA_RESPONSE_INVALID');
      expect(e.message).toContain('nonce');
    } finally {
      await replaying.stop();
    }
  });

  it('a token over another digest is refused', async () => {
    const lying = await startTsaServer({
      respond: (q) => {
        const other = q.slice();
        const imprint = readChildren(other, readTlv(other, 0))[1]!;
        other[imprint.end - 1] = other[imprint.end - 1]! ^ 0xff; // last byte of hashedMessage
        return opensslTsReply(tsa, other);
      },
    });
    try {
      const e = await rejects(
        new HttpTimestampSource({ url: lying.url }).timestamp(await digest('SHA-256', DATA), 'SHA-256'),
      );
      expect(e.code).toBe('ERR_TSA_RESPONSE_INVALID');
      expect(e.message).toContain('another digest');
    } finally {
      await lying.stop();
    }
  });

  it('rejections carry PKIStatus and failInfo', async () => {
    const source = new HttpTimestampSource({ url: server.url });
    const badAlg = await rejects(source.timestamp(await digest('SHA-1', DATA), 'SHA-1')); // the TSA accepts SHA-2 only
    expect(badAlg).toBeInstanceOf(TimestampRejectedError);
    expect(badAlg).toMatchObject({ code: 'ERR_TSA_REJECTED', status: 2, failInfo: ['badAlg'] });
    const badPolicy = await rejects(
      source.timestamp(await digest('SHA-256', DATA), 'SHA-256', { policy: '1.2.3.4.99' }),
    );
    expect(badPolicy).toMatchObject({ code: 'ERR_TSA_REJECTED', status: 2, failInfo: ['unacceptedPolicy'] });
  });

  it('a token signed with a certificate not for time-stamping is refused', async () => {
    for (const eku of ['none', 'noncritical'] as const) {
      const wrong = createTsaIdentity({ eku });
      const resigning = await startTsaServer({
        respond: async (q) => {
          // The genuine TSTInfo for this request, signed again with the wrong certificate.
          const genuine = parseTimestampToken(tokenOf(await opensslTsReply(tsa, q)));
          const tstFile = join(wrong.dir, 'tstinfo.der');
          writeFileSync(tstFile, genuine.tstInfo);
          execFileSync(
            'openssl',
            [
              'cms',
              '-sign',
              '-binary',
              '-nodetach',
              '-econtent_type',
              OID.tstInfo,
              '-in',
              tstFile,
              '-signer',
              wrong.cert,
              '-inkey',
              wrong.key,
              '-outform',
              'DER',
              '-out',
              join(wrong.dir, 'token.der'),
            ],
            { stdio: 'pipe' },
          );
          return grantedResponse(new Uint8Array(readFileSync(join(wrong.dir, 'token.der'))));
        },
      });
      try {
        const e = await rejects(
          new HttpTimestampSource({ url: resigning.url }).timestamp(await digest('SHA-256', DATA), 'SHA-256'),
        );
        expect(e.code).toBe('ERR_TSA_RESPONSE_INVALID');
        expect(e.message).toContain('id-kp-timeStamping');
        const token = new Uint8Array(readFileSync(join(wrong.dir, 'token.der')));
        const check = await verifyTimestampToken(token, { data: DATA });
        expect(check.valid).toBe(false);
        expect(check.signature.signatureValid).toBe(true); // the signature itself is fine…
        expect(check.problems.map((p) => p.code)).toContain('tsa-certificate-purpose'); // …the certificate is not
      } finally {
        await resigning.stop();
      }
    }
  });

  it('garbage, oversize and token-less answers are refused as invalid', async () => {
    const answers = [
      new TextEncoder().encode('<html>error</html>'),
      tlv(0x30, tlv(0x30, derSmallInteger(0))),
      new Uint8Array(2_000_000),
    ];
    const odd = await startTsaServer({ respond: (_q, i) => answers[i]! });
    try {
      const source = new HttpTimestampSource({ url: odd.url, retries: 0 });
      for (let i = 0; i < answers.length; i++) {
        const e = await rejects(source.timestamp(new Uint8Array(32), 'SHA-256'));
        expect(e.code).toBe('ERR_TSA_RESPONSE_INVALID');
      }
    } finally {
      await odd.stop();
    }
  });

  it('parseTimestampToken refuses a CMS signature that is not a token', async () => {
    const signer = testSigner('p256', [{ scheme: 'ECDSA', hash: 'SHA-256' }]);
    const cms = await signDetachedDigest({ contentDigest: new Uint8Array(32), signer });
    expect(() => parseTimestampToken(cms)).toThrow(expect.objectContaining({ code: 'ERR_CMS_MALFORMED' }));
    expect(() => parseTimestampToken(new Uint8Array([0x30, 0x00]))).toThrow(
      expect.objectContaining({ code: 'ERR_CMS_MALFORMED' }),
    );
  });
});
