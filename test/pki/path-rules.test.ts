// RFC 5280 §6 rules of validateCertificatePath on paths generated here, one rule class per test, each with
// the accepted case beside the refused one (so that no test passes by refusing everything). The NIST PKITS
// suite (test/pki/pkits.test.ts) covers the same rules in depth when its data is at hand.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateCertificatePath, type PathValidationOptions } from '../../src/pki/chain.js';
import { createTrustStore, type TrustStore } from '../../src/pki/trust-store.js';
import { AT, crl, der, dn, ext, issue, simpleDn, type Party } from '../fixtures/path-pki.js';
import { tlv } from '../../src/core/der.js';
import { parseCertificate } from '../../src/pki/certificate.js';
import { checkRevocation } from '../../src/pki/revocation.js';

const P1 = '1.3.6.1.4.1.99999.1.1';
const P2 = '1.3.6.1.4.1.99999.1.2';
const ANY_POLICY = '2.5.29.32.0';
const OIDS = {
  nameConstraints: '2.5.29.30',
  policies: '2.5.29.32',
  mappings: '2.5.29.33',
  policyConstraints: '2.5.29.36',
  inhibitAny: '2.5.29.54',
  san: '2.5.29.17',
};

let root: Party;
let trust: TrustStore;

beforeAll(async () => {
  root = await issue({ subject: simpleDn('Root'), ca: true });
  trust = await createTrustStore([root.der]);
});

const validate = (leaf: Party, intermediates: Party[], more: Partial<PathValidationOptions> = {}) =>
  validateCertificatePath({
    certificate: leaf.der,
    intermediates: intermediates.map((p) => p.der),
    trust,
    time: AT,
    purpose: 'any',
    ...more,
  });

describe('critical extensions', () => {
  it('refuses a path with a critical extension it does not understand, accepts it non-critical', async () => {
    const ca = await issue({ subject: simpleDn('CA'), issuer: root, ca: true });
    const unknown = (critical: boolean) => ext('1.3.6.1.4.1.99999.7', critical, Uint8Array.of(0x05, 0x00));
    const refused = await validate(
      await issue({ subject: simpleDn('Leaf'), issuer: ca, extensions: [unknown(true)] }),
      [ca],
    );
    expect(refused.status).toBe('constraints');
    expect(refused.subIndication).toBe('CHAIN_CONSTRAINTS_FAILURE');
    expect(refused.problems[0]).toMatch(/critical extension .*1\.3\.6\.1\.4\.1\.99999\.7/);
    expect(
      (await validate(await issue({ subject: simpleDn('Leaf'), issuer: ca, extensions: [unknown(false)] }), [ca]))
        .status,
    ).toBe('valid');
    const caCritical = await issue({
      subject: simpleDn('CA crit'),
      issuer: root,
      ca: true,
      extensions: [unknown(true)],
    });
    expect((await validate(await issue({ subject: simpleDn('Leaf'), issuer: caCritical }), [caCritical])).status).toBe(
      'constraints',
    );
  });
});

describe('basic constraints and path length', () => {
  it('does not count a self-issued certificate (key rollover) against pathLenConstraint, but counts another CA', async () => {
    const ca = await issue({ subject: simpleDn('CA'), issuer: root, ca: true, pathLength: 0 });
    const rollover = await issue({ subject: simpleDn('CA'), issuer: ca, ca: true }); // same name, new key, signed by the old
    expect((await validate(await issue({ subject: simpleDn('Leaf'), issuer: rollover }), [ca, rollover])).status).toBe(
      'valid',
    );
    const sub = await issue({ subject: simpleDn('Sub CA'), issuer: ca, ca: true });
    const r = await validate(await issue({ subject: simpleDn('Leaf'), issuer: sub }), [ca, sub]);
    expect(r.status).toBe('not-ca');
    expect(r.problems[0]).toMatch(/pathLenConstraint/);
  });
  it('refuses an intermediate that is not a CA', async () => {
    const notCa = await issue({
      subject: simpleDn('Not a CA'),
      issuer: root,
      ca: false,
      keyUsage: x509.KeyUsageFlags.keyCertSign,
    });
    expect((await validate(await issue({ subject: simpleDn('Leaf'), issuer: notCa }), [notCa])).status).toBe('not-ca');
  });
});

describe('name chaining (RFC 5280 §7.1)', () => {
  it('matches an issuer name that differs in case, spaces and string type; not a different name', async () => {
    const caName = dn(['2.5.4.6', 0x13, 'VN'], ['2.5.4.10', 0x13, 'Kyso  Path Test'], ['2.5.4.3', 0x13, 'Name CA']);
    const ca = await issue({ subject: caName, issuer: root, ca: true });
    const sameName = dn(
      ['2.5.4.6', 0x13, 'vn'],
      ['2.5.4.10', 0x0c, ' kyso path   TEST '],
      ['2.5.4.3', 0x0c, 'NAME ca'],
    );
    expect(
      (await validate(await issue({ subject: simpleDn('Leaf'), issuer: ca, issuerName: sameName }), [ca])).status,
    ).toBe('valid');
    const otherName = dn(['2.5.4.6', 0x13, 'VN'], ['2.5.4.10', 0x0c, 'kyso path test'], ['2.5.4.3', 0x0c, 'Name CB']);
    const r = await validate(await issue({ subject: simpleDn('Leaf'), issuer: ca, issuerName: otherName }), [ca]);
    expect(r.status).toBe('no-chain');
    expect(r.missingIssuer?.name).toBe('CN=Name CB,O=kyso path test,C=VN');
    expect(r.missingIssuer?.keyIdentifier).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('name constraints', () => {
  const subtrees = (tag: number, ...bases: Uint8Array[]) => tlv(tag, ...bases.map((b) => der.seq(b)));
  const san = (...names: Uint8Array[]) => ext(OIDS.san, false, der.seq(...names));

  it('keeps names inside the permitted subtrees and out of the excluded ones (dNSName, rfc822Name, URI, directoryName)', async () => {
    const value = der.seq(
      subtrees(0xa0, der.ia5(0x82, 'example.vn'), der.ia5(0x81, 'example.vn'), der.ia5(0x86, '.example.vn')),
      subtrees(0xa1, tlv(0xa4, simpleDn('Banned')), der.ia5(0x82, 'bad.example.vn')),
    );
    const ca = await issue({
      subject: simpleDn('NC CA'),
      issuer: root,
      ca: true,
      extensions: [ext(OIDS.nameConstraints, true, value)],
    });
    const leaf = (cn: string, ...names: Uint8Array[]) =>
      issue({ subject: simpleDn(cn), issuer: ca, extensions: names.length ? [san(...names)] : [] });
    const ok = await validate(
      await leaf(
        'Good',
        der.ia5(0x82, 'www.example.vn'),
        der.ia5(0x81, 'an@example.vn'),
        der.ia5(0x86, 'https://sign.example.vn/x'),
      ),
      [ca],
    );
    expect(ok.status, ok.problems.join()).toBe('valid');
    for (const [cn, name, why] of [
      ['Bad DNS', der.ia5(0x82, 'www.example.com'), /outside/],
      ['Excluded DNS', der.ia5(0x82, 'x.bad.example.vn'), /excludes/],
      ['Bad mail', der.ia5(0x81, 'an@example.com'), /outside/],
      ['Bad URI', der.ia5(0x86, 'https://example.com/'), /outside/],
    ] as const) {
      const r = await validate(await leaf(cn, name), [ca]);
      expect(r.status, cn).toBe('constraints');
      expect(r.problems[0], cn).toMatch(why);
    }
    expect((await validate(await leaf('Banned'), [ca])).problems[0]).toMatch(/subject name .* excludes/);
  });
  it('permits only the directory subtree named', async () => {
    const permitted = dn(['2.5.4.6', 0x13, 'VN'], ['2.5.4.10', 0x13, 'kyso path test'], ['2.5.4.11', 0x0c, 'Inside']);
    const ca = await issue({
      subject: simpleDn('DN CA'),
      issuer: root,
      ca: true,
      extensions: [ext(OIDS.nameConstraints, true, der.seq(subtrees(0xa0, tlv(0xa4, permitted))))],
    });
    expect(
      (await validate(await issue({ subject: simpleDn('In', ['2.5.4.11', 0x0c, 'inside']), issuer: ca }), [ca])).status,
    ).toBe('valid');
    expect(
      (await validate(await issue({ subject: simpleDn('Out', ['2.5.4.11', 0x0c, 'Outside']), issuer: ca }), [ca]))
        .status,
    ).toBe('constraints');
  });
});

describe('certificate policies', () => {
  const policies = (...oids: string[]) => ext(OIDS.policies, false, der.policies(...oids));

  it('gives the valid policy set, and requires an explicit policy when asked', async () => {
    const ca = await issue({ subject: simpleDn('Policy CA'), issuer: root, ca: true, extensions: [policies(P1)] });
    const withP1 = await issue({ subject: simpleDn('Leaf P1'), issuer: ca, extensions: [policies(P1)] });
    const ok = await validate(withP1, [ca], { explicitPolicy: true, initialPolicySet: [P1] });
    expect(ok.status).toBe('valid');
    expect(ok.validPolicies).toEqual([P1]);
    expect((await validate(withP1, [ca], { explicitPolicy: true, initialPolicySet: [P2] })).status).toBe('constraints');
    const none = await issue({ subject: simpleDn('Leaf none'), issuer: ca });
    expect((await validate(none, [ca])).status).toBe('valid'); // no policy required: none needed
    expect((await validate(none, [ca], { explicitPolicy: true })).status).toBe('constraints');
  });
  it('a requireExplicitPolicy constraint of a CA applies without the caller asking', async () => {
    const ca = await issue({
      subject: simpleDn('Req CA'),
      issuer: root,
      ca: true,
      extensions: [policies(P1), ext(OIDS.policyConstraints, true, der.seq(tlv(0x80, Uint8Array.of(0))))],
    });
    expect(
      (await validate(await issue({ subject: simpleDn('Leaf P1'), issuer: ca, extensions: [policies(P1)] }), [ca]))
        .status,
    ).toBe('valid');
    expect(
      (await validate(await issue({ subject: simpleDn('Leaf P2'), issuer: ca, extensions: [policies(P2)] }), [ca]))
        .status,
    ).toBe('constraints');
  });
  it('maps policies, unless policy mapping is inhibited', async () => {
    const ca = await issue({
      subject: simpleDn('Map CA'),
      issuer: root,
      ca: true,
      extensions: [policies(P1), ext(OIDS.mappings, false, der.seq(der.seq(der.oid(P1), der.oid(P2))))],
    });
    const leaf = await issue({ subject: simpleDn('Leaf P2'), issuer: ca, extensions: [policies(P2)] });
    const mapped = await validate(leaf, [ca], { explicitPolicy: true, initialPolicySet: [P1] });
    expect(mapped.status, mapped.problems.join()).toBe('valid');
    expect(mapped.validPolicies).toEqual([P2]); // in the end entity's policy domain
    expect(
      (await validate(leaf, [ca], { explicitPolicy: true, initialPolicySet: [P1], inhibitPolicyMapping: true })).status,
    ).toBe('constraints');
  });
  it('anyPolicy stops counting where it is inhibited', async () => {
    const inhibiting = await issue({
      subject: simpleDn('Inhibit CA'),
      issuer: root,
      ca: true,
      extensions: [policies(ANY_POLICY), ext(OIDS.inhibitAny, true, der.int(0))],
    });
    const anyLeaf = await issue({
      subject: simpleDn('Leaf any'),
      issuer: inhibiting,
      extensions: [policies(ANY_POLICY)],
    });
    expect((await validate(anyLeaf, [inhibiting], { explicitPolicy: true })).status).toBe('constraints');
    const open = await issue({
      subject: simpleDn('Open CA'),
      issuer: root,
      ca: true,
      extensions: [policies(ANY_POLICY)],
    });
    const anyLeaf2 = await issue({ subject: simpleDn('Leaf any'), issuer: open, extensions: [policies(ANY_POLICY)] });
    expect((await validate(anyLeaf2, [open], { explicitPolicy: true })).status).toBe('valid');
    expect((await validate(anyLeaf2, [open], { explicitPolicy: true, inhibitAnyPolicy: true })).status).toBe(
      'constraints',
    );
  });
});

describe('CRLs at the validation time', () => {
  let ca: Party;
  let leaf: Party;
  beforeAll(async () => {
    ca = await issue({ subject: simpleDn('CRL CA'), issuer: root, ca: true });
    leaf = await issue({ subject: simpleDn('Leaf'), issuer: ca });
  });
  const withCrls = async (crls: Uint8Array[], revocationMode: PathValidationOptions['revocationMode'] = 'require') =>
    validate(leaf, [ca], { revocationData: { crls: [await crl(root), ...crls], ocsps: [] }, revocationMode });

  it('a current CRL: good, or revoked', async () => {
    const good = await withCrls([await crl(ca)]);
    expect(good.status, good.problems.join()).toBe('valid');
    expect(good.revocation?.map((r) => r.status)).toEqual(['good', 'good']);
    const revoked = await withCrls([
      await crl(ca, { revoked: [{ cert: leaf, reason: x509.X509CrlReason.keyCompromise }] }),
    ]);
    expect(revoked.status).toBe('revoked');
    expect(revoked.revokedAt?.toISOString()).toBe('2025-06-01T00:00:00.000Z');
  });
  it('revocation required: no data is TRY_LATER; checked when available: a warning; off: not looked at', async () => {
    const none = await validate(leaf, [ca], { revocationMode: 'require' });
    expect(none.status).toBe('revocation-unknown');
    expect(none.subIndication).toBe('TRY_LATER');
    const lenient = await withCrls([], 'check-if-available');
    expect(lenient.status).toBe('valid');
    expect(lenient.revocation?.[0]?.status).toBe('unavailable');
    const revokedButOff = await withCrls([await crl(ca, { revoked: [{ cert: leaf }] })], 'off');
    expect(revokedButOff.status).toBe('valid');
    expect(revokedButOff.revocation).toBeUndefined();
  });
  it('a CRL whose nextUpdate is before the validation time is stale (REVOCATION_OUT_OF_BOUNDS_NO_POE), yet still proves a revocation', async () => {
    const old = { thisUpdate: new Date('2025-01-01T00:00:00Z'), nextUpdate: new Date('2025-01-08T00:00:00Z') };
    const stale = await withCrls([await crl(ca, old)]);
    expect(stale.status).toBe('revocation-unknown');
    expect(stale.subIndication).toBe('REVOCATION_OUT_OF_BOUNDS_NO_POE');
    expect(stale.problems[0]).toMatch(/stale/);
    const fine = await validate(leaf, [ca], {
      time: new Date('2025-01-05T00:00:00Z'),
      revocationData: { crls: [await crl(root, old), await crl(ca, old)], ocsps: [] },
      revocationMode: 'require',
    });
    expect(fine.status, fine.problems.join()).toBe('valid');
    const revoked = await withCrls([
      await crl(ca, { ...old, revoked: [{ cert: leaf, reason: x509.X509CrlReason.keyCompromise }] }),
    ]);
    expect(revoked.status).toBe('revoked');
  });
  it('a CRL with an unknown critical extension is not used', async () => {
    const r = await withCrls([
      await crl(ca, {
        extensions: [ext('1.3.6.1.4.1.99999.8', true, Uint8Array.of(0x05, 0x00))],
        revoked: [{ cert: leaf }],
      }),
    ]);
    expect(r.status).toBe('revocation-unknown');
    expect(r.problems[0]).toMatch(/critical extension/);
  });
  it('a CRL signed by an issuer without cRLSign is not used', async () => {
    const noCrlSign = await issue({
      subject: simpleDn('No cRLSign CA'),
      issuer: root,
      ca: true,
      keyUsage: x509.KeyUsageFlags.keyCertSign,
    });
    const l = await issue({ subject: simpleDn('Leaf'), issuer: noCrlSign });
    const r = await validate(l, [noCrlSign], {
      revocationData: { crls: [await crl(root), await crl(noCrlSign)], ocsps: [] },
      revocationMode: 'require',
    });
    expect(r.status).toBe('revocation-unknown');
    expect(r.problems[0]).toMatch(/cRLSign/);
  });
  it('a CRL whose signature does not verify is not used', async () => {
    const tampered = await crl(ca, { revoked: [{ cert: leaf }] });
    tampered[tampered.length - 3]! ^= 0xff;
    expect((await withCrls([tampered])).status).toBe('revocation-unknown');
  });
});

describe('signature algorithms', () => {
  it('asks the caller about each certificate signature of the path but the anchor', async () => {
    const ca = await issue({ subject: simpleDn('Alg CA'), issuer: root, ca: true });
    const leaf = await issue({ subject: simpleDn('Leaf'), issuer: ca });
    const seen: string[] = [];
    const ok = await validate(leaf, [ca], {
      signatureAlgorithmAcceptable: (alg, cert) => (
        seen.push(`${cert.subject.commonName}:${alg.scheme}/${alg.hash}`),
        true
      ),
    });
    expect(ok.status).toBe('valid');
    expect(seen).toEqual(['Leaf:ECDSA/SHA-256', 'Alg CA:ECDSA/SHA-256']);
    const refused = await validate(leaf, [ca], {
      signatureAlgorithmAcceptable: (_alg, cert) => (cert.subject.commonName === 'Alg CA' ? 'not after 2025' : true),
    });
    expect(refused.status).toBe('algorithm');
    expect(refused.subIndication).toBe('CRYPTO_CONSTRAINTS_FAILURE');
    expect(refused.problems[0]).toMatch(/not after 2025/);
  });
});

describe('malformed extensions', () => {
  it('refuses a path whose policy or name-constraint extension cannot be decoded, without throwing', async () => {
    const garbage = Uint8Array.of(0x30, 0x03, 0x06, 0x01, 0xff);
    for (const oid of [OIDS.policies, OIDS.nameConstraints, OIDS.san]) {
      const ca = await issue({
        subject: simpleDn('Bad CA'),
        issuer: root,
        ca: true,
        extensions: [ext(oid, false, garbage)],
      });
      const r = await validate(
        await issue({
          subject: simpleDn('Leaf'),
          issuer: ca,
          extensions: [ext(OIDS.san, false, der.seq(der.ia5(0x82, 'a.vn')))],
        }),
        [ca],
        { explicitPolicy: true },
      );
      expect(r.status, oid).not.toBe('valid');
    }
  });
  it('a CRL with an undecodable issuingDistributionPoint says nothing', async () => {
    const ca = await issue({ subject: simpleDn('IDP CA'), issuer: root, ca: true });
    const leaf = await issue({ subject: simpleDn('Leaf'), issuer: ca });
    const bad = await crl(ca, { extensions: [ext('2.5.29.28', true, Uint8Array.of(0x30, 0x03, 0x81, 0x05, 0x00))] });
    const r = await validate(leaf, [ca], {
      revocationData: { crls: [await crl(root), bad], ocsps: [] },
      revocationMode: 'require',
    });
    expect(r.status).toBe('revocation-unknown');
  });
});

describe('checkRevocation at the validation time', () => {
  it('uses an embedded CRL only when it speaks for the time given; a revocation it shows holds regardless', async () => {
    const ca = await issue({ subject: simpleDn('Embedded CA'), issuer: root, ca: true });
    const leaf = await issue({ subject: simpleDn('Leaf'), issuer: ca });
    const [c, i] = await Promise.all([parseCertificate(leaf.der), parseCertificate(ca.der)]);
    const old = await crl(ca, {
      thisUpdate: new Date('2025-01-01T00:00:00Z'),
      nextUpdate: new Date('2025-01-08T00:00:00Z'),
    });
    expect(
      (await checkRevocation(c, i, { embedded: { crls: [old], ocsps: [] }, time: new Date('2025-01-05T00:00:00Z') }))
        .status,
    ).toBe('good');
    const stale = await checkRevocation(c, i, { embedded: { crls: [old], ocsps: [] }, time: AT });
    expect(stale.status).toBe('unavailable');
    expect(stale.problems.join()).toMatch(/stale/);
    const oldRevoked = await crl(ca, {
      thisUpdate: new Date('2025-07-01T00:00:00Z'),
      nextUpdate: new Date('2025-07-08T00:00:00Z'),
      revoked: [{ cert: leaf, reason: x509.X509CrlReason.keyCompromise }],
    });
    expect((await checkRevocation(c, i, { embedded: { crls: [oldRevoked], ocsps: [] }, time: AT })).status).toBe(
      'revoked',
    );
  });
});
