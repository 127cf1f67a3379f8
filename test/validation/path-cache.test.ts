import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { verifyPdf } from '../../src/index.js';
import { splitCertificates } from '../../src/pki/certificate.js';
import { validateCertificatePath } from '../../src/pki/chain.js';
import { createTrustStore } from '../../src/pki/trust-store.js';
import { createValidationContext, validatePathInContext, PATH_CACHE_SIZE } from '../../src/validation/context.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';
import { signedOnePage } from '../fixtures/signed-pdf.js';
import { AT, crl, issue, simpleDn, type Party } from '../fixtures/path-pki.js';
import * as x509 from '@peculiar/x509';

// Path results are kept across verifications (validation/context.ts): each must be reused only for the very
// same inputs. Every test first fills the cache with a valid path, then changes one input.
const at = new Date('2026-11-24T00:00:00Z');
const root = pkiFile('root.cert.pem');
const otherRoot = pkiFile('other-root.cert.pem');
const der = (f: string) => splitCertificates(readFileSync(pkiPath(f)))[0]!;
let signed: Uint8Array;

beforeAll(async () => {
  signed = await signedOnePage();
});

describe('path results kept across verifications', () => {
  it('another trust store is not served the path found under the first', async () => {
    expect((await verifyPdf(signed, { trust: [root], time: at })).indication).toBe('TOTAL_PASSED');
    const other = await verifyPdf(signed, { trust: [otherRoot], time: at });
    expect(other.indication).toBe('INDETERMINATE');
    expect(other.signatures[0]!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect((await verifyPdf(signed, { trust: [root], time: at })).indication).toBe('TOTAL_PASSED');
  });
  it('another validation time is not served the path valid at the first', async () => {
    expect((await verifyPdf(signed, { trust: [root], time: at })).indication).toBe('TOTAL_PASSED');
    const later = await verifyPdf(signed, { trust: [root], time: new Date('2037-01-01T00:00:00Z') });
    expect(later.indication).toBe('INDETERMINATE');
    expect(later.signatures[0]!.chain?.status).toBe('expired');
  });
  it('another revocation mode is not served the path checked under the first', async () => {
    expect((await verifyPdf(signed, { trust: [root], time: at })).indication).toBe('TOTAL_PASSED');
    const required = await verifyPdf(signed, { trust: [root], time: at, revocationMode: 'require' });
    expect(required.indication).toBe('INDETERMINATE');
    expect(required.signatures[0]!.subIndication).toBe('TRY_LATER');
  });
  it('gives the verdict the path validation gives, shared and frozen on a repeat', async () => {
    const context = await createValidationContext({ trust: [root], time: at, revocationMode: 'off' });
    const request = {
      certificate: der('rsa2048.cert.pem'),
      intermediates: [der('intermediate.cert.pem')],
      time: at,
      revocation: 'always' as const,
    };
    const first = await validatePathInContext(context, request);
    const direct = await validateCertificatePath({
      certificate: request.certificate,
      intermediates: request.intermediates,
      trust: await createTrustStore([root]),
      time: at,
      revocationMode: 'off',
    });
    expect(first).toEqual(direct);
    expect(first.status).toBe('valid');
    expect(await validatePathInContext(context, { ...request, certificate: request.certificate.slice() })).toBe(first);
    expect(Object.isFrozen(first.chain)).toBe(true);
    // without the intermediate there is no path: a different request, not the kept one
    expect((await validatePathInContext(context, { ...request, intermediates: [] })).status).toBe('no-chain');
  });
  it('is bounded: past its size the oldest results are validated again', async () => {
    // revocation required: the result speaks of the very instant, which is then part of its key
    const context = await createValidationContext({ trust: [root], revocationMode: 'require' });
    const request = (time: Date) => ({
      certificate: der('rsa2048.cert.pem'),
      intermediates: [der('intermediate.cert.pem')],
      time,
      revocation: 'always' as const,
    });
    const first = await validatePathInContext(context, request(at));
    expect(first.status).toBe('revocation-unknown');
    for (let i = 1; i <= PATH_CACHE_SIZE; i++)
      await validatePathInContext(context, request(new Date(at.getTime() + i)));
    const again = await validatePathInContext(context, request(at));
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});

describe('the validation time of a kept path', () => {
  // the leaf rsa2048 is valid 2024-01-01 to 2036-01-01, its CA and root 2020 to 2045; no revocation data
  const request = (time: Date) => ({
    certificate: der('rsa2048.cert.pem'),
    intermediates: [der('intermediate.cert.pem')],
    time,
    revocation: 'always' as const,
  });

  it('instants alike against every validity share one result; one past a validity is validated again', async () => {
    const context = await createValidationContext({ trust: [root] });
    const first = await validatePathInContext(context, request(at));
    expect(first.status).toBe('valid');
    // a batch validated "now": later instants inside every validity are the same time to a path
    expect(await validatePathInContext(context, request(new Date(at.getTime() + 1)))).toBe(first);
    expect(await validatePathInContext(context, request(new Date('2030-06-01T00:00:00Z')))).toBe(first);
    // the last instant of the leaf's validity still is; the next one is not
    expect(await validatePathInContext(context, request(new Date('2036-01-01T00:00:00Z')))).toBe(first);
    const after = await validatePathInContext(context, request(new Date('2036-01-01T00:00:00.001Z')));
    expect(after.status).toBe('expired');
    expect(after.problems.join()).toMatch(/expired on 2036-01-01/);
    const before = await validatePathInContext(context, request(new Date('2023-12-31T23:59:59.999Z')));
    expect(before.status).toBe('not-yet-valid');
    expect(await validatePathInContext(context, request(at))).toBe(first);
  });

  it("through verifyPdf: a document verified at its signer's expiry is not served the pass of the day before", async () => {
    expect((await verifyPdf(signed, { trust: [root], time: new Date('2035-12-31T00:00:00Z') })).indication).toBe(
      'TOTAL_PASSED',
    );
    const expired = await verifyPdf(signed, { trust: [root], time: new Date('2036-01-01T00:00:01Z') });
    expect(expired.indication).toBe('INDETERMINATE');
    expect(expired.signatures[0]!.chain?.status).toBe('expired');
  });
});

describe('revocation data makes the very instant part of the key', () => {
  let rootCa: Party;
  let ca: Party;
  let leaf: Party;
  let crls: { revoking: Uint8Array[]; clean: Uint8Array[] };
  beforeAll(async () => {
    rootCa = await issue({ subject: simpleDn('Cache Root'), ca: true });
    ca = await issue({ subject: simpleDn('Cache CA'), issuer: rootCa, ca: true });
    leaf = await issue({ subject: simpleDn('Cache Leaf'), issuer: ca });
    // the CA's CRL revokes the leaf as of 2025-06-01; both CRLs are current 2025-12-31 to 2026-01-07
    const revoked = [{ cert: leaf, reason: x509.X509CrlReason.keyCompromise }];
    crls = {
      revoking: [await crl(rootCa), await crl(ca, { revoked })],
      clean: [await crl(rootCa), await crl(ca)],
    };
  });
  const path = async (time: Date, crlList?: Uint8Array[]) => {
    const context = await createValidationContext({
      trust: [rootCa.der],
      ...(crlList && { revocationData: { crls: crlList, ocsps: [] } }),
    });
    return validatePathInContext(context, {
      certificate: leaf.der,
      intermediates: [ca.der],
      time,
      revocation: 'always',
    });
  };

  it('a revoked certificate is caught whatever was kept without the data, and only from its revocation on', async () => {
    const hour = new Date(AT.getTime() + 3_600_000);
    expect((await path(AT)).status).toBe('valid');
    const revoked = await path(AT, crls.revoking);
    expect(revoked.status).toBe('revoked');
    expect(revoked.revokedAt?.toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect((await path(hour)).status).toBe('valid');
    expect((await path(hour, crls.revoking)).status).toBe('revoked');
    // the same validity class, before the revocation: the kept "revoked" is not served
    const earlier = await path(new Date('2025-05-01T00:00:00Z'), crls.revoking);
    expect(earlier.status).toBe('valid');
    expect(earlier.revocation?.[0]?.status).toBe('revoked');
    expect((await path(AT, crls.revoking)).status).toBe('revoked');
  });

  it('data that speaks for one instant is not taken for another: a CRL past its nextUpdate is stale', async () => {
    const current = await path(AT, crls.clean);
    expect(current.revocation?.map((r) => r.status)).toEqual(['good', 'good']);
    const later = await path(new Date('2026-02-01T00:00:00Z'), crls.clean);
    expect(later).not.toBe(current);
    expect(later.revocation?.map((r) => r.status)).not.toEqual(['good', 'good']);
    expect(later.revocation?.[0]?.problems.join()).toMatch(/stale|nextUpdate/);
  });
});
