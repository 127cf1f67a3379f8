import { beforeAll, describe, expect, it } from 'vitest';
import { validateCertificatePath } from '../../src/pki/chain.js';
import { createTrustStore } from '../../src/pki/trust-store.js';
import { miniCert, type MiniCert } from './mini-pki.js';
import { signDetached, verifyDetached } from '../../src/cades/detached.js';
import { createCryptoKeySigner } from '../../src/signers/crypto-key-signer.js';

// SHA-1 certificate signatures are acceptable when made before the cutoff (2025-01-01), whenever validated
const at = new Date('2026-06-01T00:00:00Z');
let root: MiniCert;
let oldSha1: MiniCert;
let newSha1: MiniCert;
let leafOld: MiniCert;
let leafNew: MiniCert;

beforeAll(async () => {
  root = await miniCert({ cn: 'Dated Root', notBefore: '2010-01-01T00:00:00Z' });
  oldSha1 = await miniCert({ cn: 'SHA-1 CA of 2012', issuer: root, hash: 'SHA-1', notBefore: '2012-01-01T00:00:00Z' });
  newSha1 = await miniCert({ cn: 'SHA-1 CA of 2025', issuer: root, hash: 'SHA-1', notBefore: '2025-03-01T00:00:00Z' });
  leafOld = await miniCert({
    cn: 'Signer under the old CA',
    issuer: oldSha1,
    ca: false,
    notBefore: '2024-01-01T00:00:00Z',
  });
  leafNew = await miniCert({
    cn: 'Signer under the new CA',
    issuer: newSha1,
    ca: false,
    notBefore: '2025-04-01T00:00:00Z',
  });
}, 60_000);

describe('certificate signature algorithms judged by date', () => {
  it('accepts a SHA-1 certificate signature made before the cutoff, and says so', async () => {
    const trust = await createTrustStore([root.der]);
    const r = await validateCertificatePath({
      certificate: leafOld.der,
      intermediates: [oldSha1.der],
      trust,
      time: at,
    });
    expect(r.status).toBe('valid');
    expect(r.notes).toEqual([
      expect.stringMatching(
        /"SHA-1 CA of 2012" has a SHA-1 signature, accepted because it was made on 2012-01-01, before SHA-1 certificate signatures expired \(2025-01-01\)/,
      ),
    ]);
  });

  it('refuses a SHA-1 certificate signature made after the cutoff', async () => {
    const trust = await createTrustStore([root.der]);
    const r = await validateCertificatePath({
      certificate: leafNew.der,
      intermediates: [newSha1.der],
      trust,
      time: at,
    });
    expect(r.status).toBe('algorithm');
    expect(r.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
    expect(r.problems[0]).toMatch(
      /the SHA-1 signature on "SHA-1 CA of 2025" was made on 2025-03-01, after SHA-1 certificate signatures expired/,
    );
  });

  it('trusts an anchor by its fingerprint whatever its own signature algorithm', async () => {
    const sha1Root = await miniCert({ cn: 'SHA-1 root of 2026', hash: 'SHA-1', notBefore: '2026-01-01T00:00:00Z' });
    const leaf = await miniCert({
      cn: 'Signer under a SHA-1 root',
      issuer: sha1Root,
      ca: false,
      notBefore: '2026-02-01T00:00:00Z',
    });
    const r = await validateCertificatePath({
      certificate: leaf.der,
      trust: await createTrustStore([sha1Root.der]),
      time: at,
    });
    expect(r.status).toBe('valid');
    expect(r.notes).toBeUndefined();
  });

  it('lets the caller replace the rule', async () => {
    const trust = await createTrustStore([root.der]);
    const noSha1 = (a: { hash?: string }) => a.hash !== 'SHA-1';
    const r = await validateCertificatePath({
      certificate: leafOld.der,
      intermediates: [oldSha1.der],
      trust,
      time: at,
      signatureAlgorithmAcceptable: noSha1,
    });
    expect(r.status).toBe('algorithm');
  });
});

describe('the report says when the date rule was used', () => {
  const data = new TextEncoder().encode('Quyết định số 01/QĐ-UBND');
  const sign = async (leaf: MiniCert, ca: MiniCert) =>
    signDetached(data, {
      signer: await createCryptoKeySigner({ privateKey: leaf.keys.privateKey, certificate: leaf.der, chain: [ca.der] }),
      signingTime: at,
    });

  it('a CAdES signature under a SHA-1 CA of 2012 passes, with the rule in its warnings', async () => {
    const report = await verifyDetached(data, await sign(leafOld, oldSha1), { trust: [root.der], time: at });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.warnings.join(' ')).toMatch(
      /"SHA-1 CA of 2012" has a SHA-1 signature, accepted because it was made on 2012-01-01/,
    );
  });

  it('under a SHA-1 CA of 2025 it is indeterminate for its cryptographic constraints', async () => {
    const report = await verifyDetached(data, await sign(leafNew, newSha1), { trust: [root.der], time: at });
    expect(report.indication).toBe('INDETERMINATE');
    expect(report.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
  });
});
