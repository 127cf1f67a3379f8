/**
 * The validation context's algorithm policy reaches past the signer: the time-stamp tokens inside signatures
 * (PAdES, CAdES, XAdES), PDF document time-stamps, `.tsr` files, and the OCSP responses and CRLs a path's
 * revocation is checked with — embedded, given, or fetched. Tokens, responses and CRLs are made by openssl
 * (`openssl ts -reply`, `openssl ocsp`, `openssl ca -gencrl`) with SHA-1 or a 1024-bit RSA key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HttpTimestampSource,
  addLtv,
  createKeySigner,
  createTrustStore,
  loadPkcs12Signer,
  parseCertificate,
  signDetached,
  signPdf,
  signXml,
  timestampPdf,
  validateCertificatePath,
  verifyDetached,
  verifyPdf,
  verifyTimestamp,
  verifyXml,
  type Finding,
  type Signer,
  type ValidationPolicy,
} from '../../src/index.js';
import { readChildren, readTlv } from '../../src/core/der.js';
import { P12_PASSWORD, pkiFile, pkiPath } from '../fixtures/pki.js';
import { startRevocationBed, type RevocationBed, type WeakSigning } from '../fixtures/revocation-pki.js';
import {
  createTsaIdentity,
  opensslTsReply,
  startTsaServer,
  type TsaIdentity,
  type TsaServer,
} from '../fixtures/tsa-server.js';
import { describeWithTools, run, scratchDir } from '../fixtures/tools.js';
import { fixture, testSigner } from '../xml/helpers.js';

const sample = new Uint8Array(
  readFileSync(fileURLToPath(new URL('../../examples/documents/quyet-dinh-mau.pdf', import.meta.url))),
);
const trust = () => [pkiFile('root.cert.pem')];
const dir = scratchDir('kyso-embedded-policy-');
/** The test leaf expires on 2036-01-01; the CAs and the TSAs live on. */
const afterExpiry = new Date('2036-06-01T00:00:00Z');
const codes = (findings: readonly Finding[]) => findings.map((f) => `${f.code}:${f.severity}`);

let sha1Tsa: TsaIdentity;
let smallTsa: TsaIdentity;
const servers: TsaServer[] = [];
let sha1Source: HttpTimestampSource;
let smallSource: HttpTimestampSource;
let signer: Signer;
let bed: RevocationBed;

/** Flips one hex digit of the last /Contents (where the time-stamp token sits, near the end of the CMS). */
function damageLastToken(pdf: Uint8Array, fromEnd = 20): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const start = text.lastIndexOf('/Contents <') + 11;
  const hex = text.slice(start, text.indexOf('>', start)).replace(/0+$/, '');
  const at = start + hex.length - fromEnd;
  const out = pdf.slice();
  out[at] = out[at] === 0x30 ? 0x31 : 0x30;
  return out;
}

/** Where the BasicOCSPResponse's signature value ends inside an OCSPResponse. */
function ocspSignatureEnd(response: Uint8Array): number {
  const [, bytes] = readChildren(response, readTlv(response, 0));
  const [, octets] = readChildren(response, readChildren(response, bytes!)[0]!);
  const [, , signature] = readChildren(response, readTlv(response, octets!.contentStart));
  return signature!.contentEnd;
}

describeWithTools(['openssl'], 'the algorithm policy over time-stamps, OCSP responses and CRLs', () => {
  beforeAll(async () => {
    sha1Tsa = createTsaIdentity({ signerDigest: 'sha1' });
    smallTsa = createTsaIdentity({ keyBits: 1024 });
    servers.push(await startTsaServer({ identity: sha1Tsa }), await startTsaServer({ identity: smallTsa }));
    sha1Source = new HttpTimestampSource({ url: servers[0]!.url });
    smallSource = new HttpTimestampSource({ url: servers[1]!.url });
    signer = await loadPkcs12Signer(pkiFile('rsa2048.p12'), { password: P12_PASSWORD });
    bed = await startRevocationBed();
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await bed?.stop();
  });

  it('PDF: a SHA-1 signature time-stamp proves no time — B-B with timestamp-algorithm-refused; needed as proof of existence it leaves INDETERMINATE, never FAILED; allowed by the policy it is B-T', async () => {
    const signed = await signPdf(sample, { signer, tsa: sha1Source });
    const now = await verifyPdf(signed, { trust: trust() });
    expect(now.indication, now.errors.join('; ')).toBe('TOTAL_PASSED');
    const s = now.signatures[0]!;
    expect(s.level).toBe('B-B');
    expect(s.timestamps[0]).toMatchObject({ kind: 'signature-timestamp', valid: false });
    expect(s.timestamps[0]!.problems.join()).toMatch(/SHA-1/);
    expect(codes(s.findings)).toContain('timestamp-algorithm-refused:warning');
    expect(codes(s.findings)).not.toContain('timestamp-invalid:warning');

    // the certificate has expired: the refused token cannot stand in for it
    const late = await verifyPdf(signed, { trust: trust(), time: afterExpiry });
    expect(late).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'OUT_OF_BOUNDS_NO_POE' });

    // an archive policy that lets SHA-1 through with a warning: the same token is proof of existence
    const archive = await verifyPdf(signed, { trust: trust(), time: afterExpiry, policy: { sha1: 'warn' } });
    expect(archive.indication, archive.errors.join('; ')).toBe('TOTAL_PASSED');
    expect(archive.signatures[0]!.level).toBe('B-T');
    expect(archive.signatures[0]!.findings).toContainEqual(
      expect.objectContaining({ code: 'hash-weak', severity: 'warning', message: expect.stringMatching(/time-stamp/) }),
    );

    // beside it: a damaged token proves nothing whatever the policy
    const damaged = await verifyPdf(damageLastToken(signed), {
      trust: trust(),
      time: afterExpiry,
      policy: { sha1: 'ignore' },
    });
    expect(damaged.indication).toBe('INDETERMINATE');
    expect(damaged.signatures[0]!.timestamps[0]!.valid).toBe(false);
    expect(codes(damaged.signatures[0]!.findings)).toContain('timestamp-invalid:warning');
  });

  it('PDF: a document time-stamp by a 1024-bit TSA is INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE (key-weak) and lends the signature under it no time; weakKey warn accepts it', async () => {
    const stamped = await timestampPdf(await signPdf(sample, { signer }), { tsa: smallSource });
    const r = await verifyPdf(stamped, { trust: trust() });
    expect(r.signatures.map((s) => [s.kind, s.indication, s.level])).toEqual([
      ['signature', 'TOTAL_PASSED', 'B-B'],
      ['document-timestamp', 'INDETERMINATE', undefined],
    ]);
    const ts = r.signatures[1]!;
    expect(ts.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
    expect(ts.findings).toContainEqual(
      expect.objectContaining({
        code: 'key-weak',
        indication: 'INDETERMINATE',
        message: expect.stringMatching(/1024/),
      }),
    );
    expect(r.indication).toBe('INDETERMINATE');

    const lenient = await verifyPdf(stamped, { trust: trust(), policy: { weakKey: 'warn' } });
    expect(lenient.indication, lenient.errors.join('; ')).toBe('TOTAL_PASSED');
    expect(lenient.signatures[0]!.level).toBe('B-T');

    // beside it: a byte of the time-stamped revision changed fails, whatever the policy
    const at = lenient.signatures[1]!.byteRange![1]! - 100;
    const changed = await verifyPdf(
      stamped.map((x, i) => (i === at ? x ^ 1 : x)),
      { trust: trust(), policy: { weakKey: 'ignore' } },
    );
    expect(changed.signatures[1]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('.tsr: openssl ts -verify accepts the SHA-1 and RSA-1024 tokens; verifyTimestamp refuses them per policy (INDETERMINATE), accepts them when allowed', async () => {
    const data = join(dir, 'data.txt');
    writeFileSync(data, 'Công văn số 7/2026\n');
    for (const [identity, code, allow] of [
      [sha1Tsa, 'hash-weak', { sha1: 'warn' }],
      [smallTsa, 'key-weak', { weakKey: 'warn' }],
    ] as const) {
      const q = run('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert', '-out', join(dir, 'q.tsq')]);
      expect(q.status, q.stderr).toBe(0);
      const tsr = await opensslTsReply(identity, readFileSync(join(dir, 'q.tsq')));
      writeFileSync(join(dir, 'r.tsr'), tsr);
      const peer = run('openssl', [
        'ts',
        '-verify',
        '-in',
        join(dir, 'r.tsr'),
        '-data',
        data,
        '-CAfile',
        pkiPath('root.cert.pem'),
        '-untrusted',
        identity.chain,
      ]);
      expect(peer.status, peer.stderr).toBe(0); // intact: only the policy speaks against it
      const strict = await verifyTimestamp(readFileSync(data), tsr, { trust: trust() });
      expect(strict).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'CRYPTO_CONSTRAINTS_FAILURE' });
      expect(codes(strict.findings)).toContain(`${code}:error`);
      const allowed = await verifyTimestamp(readFileSync(data), tsr, { trust: trust(), policy: allow });
      expect(allowed.indication, allowed.errors.join('; ')).toBe('TOTAL_PASSED');
      const other = await verifyTimestamp(new TextEncoder().encode('khác'), tsr, { trust: trust(), policy: allow });
      expect(other).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'HASH_FAILURE' });
    }
  });

  it('CAdES-T and XAdES-T: a SHA-1 signature time-stamp leaves B-B with timestamp-algorithm-refused; allowed, B-T', async () => {
    const data = new TextEncoder().encode('Hợp đồng số 9/2026\n');
    const p7s = await signDetached(data, { signer, tsa: sha1Source });
    const cades = (await verifyDetached(data, p7s, { trust: trust() })).signers[0]!;
    expect(cades.indication).toBe('TOTAL_PASSED');
    expect(cades.level).toBe('B-B');
    expect(codes(cades.findings)).toContain('timestamp-algorithm-refused:warning');
    expect((await verifyDetached(data, p7s, { trust: trust(), policy: { sha1: 'warn' } })).signers[0]!.level).toBe(
      'B-T',
    );

    const xml = await signXml(fixture('einvoice-tt78.xml'), {
      signer: testSigner('rsa2048'),
      profile: 'einvoice',
      tsa: sha1Source,
    });
    const xades = (await verifyXml(xml)).signatures[0]!;
    expect(xades.level).toBe('B-B');
    expect(xades.timestamps![0]!.valid).toBe(false);
    expect(codes(xades.findings)).toContain('timestamp-algorithm-refused:warning');
    expect((await verifyXml(xml, { policy: { sha1: 'warn' } })).signatures[0]!.level).toBe('B-T');
  });

  describe('revocation data', () => {
    let pdf: Uint8Array;
    let leafSigner: Signer;
    beforeAll(async () => {
      leafSigner = await createKeySigner({
        key: bed.leaves.good.keyPem,
        certificate: bed.leaves.good.certPem,
        chain: [pkiFile('intermediate.cert.pem')],
      });
      pdf = await signPdf(sample, { signer: leafSigner });
    });
    const verify = (ocsps: Uint8Array[], crls: Uint8Array[], more: Parameters<typeof verifyPdf>[1] = {}) =>
      verifyPdf(pdf, { trust: trust(), revocationData: { ocsps, crls: [...crls, bed.rootCrl] }, ...more });

    it('OCSP signed with SHA-1, or by a 1024-bit responder: no status (a warning; require → INDETERMINATE / TRY_LATER), accepted when the policy allows; a damaged response never', async () => {
      // the control: the same responder with SHA-256 and the issuer's key satisfies 'require'
      const sound = await verify([bed.ocspResponse('good')], [], { revocationMode: 'require' });
      expect(sound.indication, sound.errors.join('; ')).toBe('TOTAL_PASSED');
      const cases: [WeakSigning, RegExp, ValidationPolicy][] = [
        [{ md: 'sha1' }, /SHA-1/, { sha1: 'warn' }],
        [{ signer: 'rsa1024-responder' }, /1024 bits/, { weakKey: 'warn' }],
      ];
      for (const [weak, why, allow] of cases) {
        const ocsp = bed.ocspResponse('good', weak);
        const r = await verify([ocsp], []);
        expect(r.indication, r.errors.join('; ')).toBe('TOTAL_PASSED');
        const s = r.signatures[0]!;
        expect(s.chain!.revocation![0]).toMatchObject({ status: 'unavailable', refused: [expect.stringMatching(why)] });
        expect(codes(s.findings)).toEqual(
          expect.arrayContaining(['revocation-algorithm-refused:warning', 'revocation-unknown:warning']),
        );

        const required = await verify([ocsp], [], { revocationMode: 'require' });
        expect(required).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
        expect(required.signatures[0]!.findings).toContainEqual(
          expect.objectContaining({ code: 'revocation-required', message: expect.stringMatching(why) }),
        );
        expect(codes(required.signatures[0]!.findings)).toContain('revocation-algorithm-refused:warning');

        const allowed = await verify([ocsp], [], { revocationMode: 'require', policy: allow });
        expect(allowed.indication, allowed.errors.join('; ')).toBe('TOTAL_PASSED');
        expect(allowed.signatures[0]!.chain!.revocation![0]).toMatchObject({ status: 'good', source: 'ocsp' });

        const damaged = ocsp.slice();
        damaged[ocspSignatureEnd(ocsp) - 1]! ^= 1;
        expect(
          await verify([damaged], [], { revocationMode: 'require', policy: { sha1: 'ignore', weakKey: 'ignore' } }),
        ).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
      }
    });

    it('in the DSS (addLtv): a SHA-1 OCSP response does not make B-LT', async () => {
      const bt = await signPdf(sample, { signer: leafSigner, tsa: smallSource });
      const sound = await signPdf(sample, { signer: leafSigner, tsa: smallSource });
      const lt = (
        await addLtv(bt, {
          ocsps: [bed.ocspResponse('good', { md: 'sha1' })],
          crls: [bed.rootCrl],
          certificates: trust(),
          online: false,
        })
      ).pdf;
      const policy = { weakKey: 'warn' } as const; // the 1024-bit TSA is not what this test is about
      const r = await verifyPdf(lt, { trust: trust(), policy });
      expect(r.signatures[0]!.level).toBe('B-T');
      expect(codes(r.signatures[0]!.findings)).toContain('revocation-algorithm-refused:warning');
      expect((await verifyPdf(lt, { trust: trust(), policy: { ...policy, sha1: 'warn' } })).signatures[0]!.level).toBe(
        'B-LT',
      );
      // beside it: the SHA-256 response makes B-LT under the default algorithm rules
      const ltSound = (
        await addLtv(sound, {
          ocsps: [bed.ocspResponse('good')],
          crls: [bed.rootCrl],
          certificates: trust(),
          online: false,
        })
      ).pdf;
      expect((await verifyPdf(ltSound, { trust: trust(), policy })).signatures[0]!.level).toBe('B-LT');
    });

    it('fetched online: a SHA-1 OCSP answer is refused and the CRL distribution point speaks instead; a SHA-1 CRL there too → TRY_LATER', async () => {
      const weakUrl = await bed.weakResponder({ md: 'sha1' });
      const sha1Crl = bed.intermediateCrlWith('sha1');
      const via =
        (crl?: Uint8Array): typeof fetch =>
        (input, init) => {
          const url = String(input instanceof Request ? input.url : input);
          if (crl && url === bed.crlUrl) return Promise.resolve(new Response(Buffer.from(crl)));
          return fetch(url.startsWith(bed.ocspUrl) ? url.replace(bed.ocspUrl, weakUrl) : url, init);
        };
      const r = await verify([], [], { online: true, fetch: via(), revocationMode: 'require' });
      expect(r.indication, r.errors.join('; ')).toBe('TOTAL_PASSED');
      expect(r.signatures[0]!.chain!.revocation![0]).toMatchObject({
        status: 'good',
        source: 'crl',
        origin: 'online',
        refused: [expect.stringMatching(/OCSP response .*SHA-1/)],
      });
      expect(codes(r.signatures[0]!.findings)).toContain('revocation-algorithm-refused:warning');
      const none = await verify([], [], { online: true, fetch: via(sha1Crl), revocationMode: 'require' });
      expect(none).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
      expect(none.signatures[0]!.chain!.revocation![0]!.refused).toHaveLength(2);
    });

    it('a CRL signed with SHA-1: no status (require → TRY_LATER), accepted when allowed; validateCertificatePath takes the same check as revocationSignatureAcceptable', async () => {
      const sha1Crl = bed.intermediateCrlWith('sha1');
      expect((await verify([], [bed.intermediateCrlWith('sha256')], { revocationMode: 'require' })).indication).toBe(
        'TOTAL_PASSED',
      );
      const refused = await verify([], [sha1Crl], { revocationMode: 'require' });
      expect(refused).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'TRY_LATER' });
      expect(refused.signatures[0]!.findings).toContainEqual(
        expect.objectContaining({
          code: 'revocation-algorithm-refused',
          message: expect.stringMatching(/CRL .*SHA-1/),
        }),
      );
      const allowed = await verify([], [sha1Crl], { revocationMode: 'require', policy: { allowSha1: true } });
      expect(allowed.indication, allowed.errors.join('; ')).toBe('TOTAL_PASSED');
      expect(allowed.signatures[0]!.chain!.revocation![0]).toMatchObject({ status: 'good', source: 'crl' });

      // pki/ alone: the RFC 5280 CRL processing with the caller's check
      const store = await createTrustStore(trust());
      const certificate = (await parseCertificate(bed.leaves.good.certPem)).der;
      const path = (check?: (s: { algorithm: { hash?: string } }) => true | string) =>
        validateCertificatePath({
          certificate,
          intermediates: [pkiFile('intermediate.cert.pem')],
          trust: store,
          time: new Date(),
          revocationData: { ocsps: [], crls: [sha1Crl, bed.rootCrl] },
          revocationMode: 'require',
          ...(check && { revocationSignatureAcceptable: check }),
        });
      expect((await path()).status).toBe('valid');
      const strict = await path((s) => (s.algorithm.hash === 'SHA-1' ? 'no SHA-1 here' : true));
      expect(strict).toMatchObject({ status: 'revocation-unknown', subIndication: 'TRY_LATER' });
      expect(strict.revocation![0]!.refused).toEqual([expect.stringMatching(/CRL .*no SHA-1 here/)]);
    });
  });
});
