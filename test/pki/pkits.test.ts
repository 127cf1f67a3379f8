/**
 * NIST PKITS (the RFC 5280 path-validation test suite, 247 cases) run through `validateCertificatePath`.
 *
 * The data is not in the repository: it is read from the directory named by KYSO_PKITS_DIR, else from
 * ../shared/pkits/ beside the checkout, laid out as pyhanko-certvalidator keeps it
 * (github.com/MatthiasValvekens/certvalidator, tests/fixtures/nist_pkits/: certs/, crls/, pkits.json).
 * Without it the suite is skipped, never counted as passed.
 *
 * Each case is run as pyhanko-certvalidator runs it: the PKITS trust anchor, the case's certificates as
 * intermediates, its CRLs (and the anchor's) as the revocation data, revocation required unless the case
 * says `"revocation": false`, and the case's initial policy inputs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateCertificatePath, type PathValidationOptions } from '../../src/pki/chain.js';
import { createTrustStore } from '../../src/pki/trust-store.js';

interface PkitsCase {
  id: string;
  name: string;
  cert: string;
  other_certs?: string[];
  crls?: string[];
  revocation?: boolean;
  error?: { class: string; msg_regex: string };
  params?: {
    user_initial_policy_set?: string[];
    initial_explicit_policy?: boolean;
    initial_policy_mapping_inhibit?: boolean;
    initial_any_policy_inhibit?: boolean;
  };
}

const here = fileURLToPath(new URL('.', import.meta.url));
const candidates = [process.env.KYSO_PKITS_DIR, resolve(here, '..', '..', '..', 'shared', 'pkits')].filter(
  (d): d is string => !!d,
);
const dir = candidates.find((d) => existsSync(join(d, 'pkits.json')));

/**
 * Cases whose verdict still differs from PKITS, with the reason. Each of them rejects a path PKITS accepts
 * (never the other way round: a false accept is a test failure, whatever this list says).
 */
const KNOWN_DIFFERENCES: Record<string, string> = {};

/** The PKITS data's validity (2010–2030) holds at this time; pyhanko-certvalidator freezes the same date. */
const TIME = new Date('2022-05-01T00:00:00Z');

if (!dir) {
  describe.skip('NIST PKITS (skipped: set KYSO_PKITS_DIR or put the data under ../shared/pkits/)', () => {
    it('needs the PKITS data', () => undefined);
  });
  console.warn('NIST PKITS skipped: no data (set KYSO_PKITS_DIR or put it under ../shared/pkits/)');
} else {
  const cases = JSON.parse(readFileSync(join(dir, 'pkits.json'), 'utf8')) as PkitsCase[];
  const cert = (f: string) => new Uint8Array(readFileSync(join(dir, 'certs', f)));
  const crl = (f: string) => new Uint8Array(readFileSync(join(dir, 'crls', f)));

  describe('NIST PKITS', () => {
    it('has all 247 cases', () => expect(cases).toHaveLength(247));
    const agreed: string[] = [];
    for (const c of cases) {
      const expectValid = !c.error;
      it(`${c.id} ${c.name} → ${expectValid ? 'valid' : 'rejected'}`, async () => {
        const trust = await createTrustStore([cert('TrustAnchorRootCertificate.crt')]);
        const p = c.params ?? {};
        const options: PathValidationOptions = {
          certificate: cert(c.cert),
          intermediates: (c.other_certs ?? []).map(cert),
          trust,
          time: TIME,
          purpose: 'any',
          revocationData: { crls: ['TrustAnchorRootCRL.crl', ...(c.crls ?? [])].map(crl), ocsps: [] },
          revocationMode: c.revocation === false ? 'check-if-available' : 'require',
          ...(p.user_initial_policy_set && { initialPolicySet: p.user_initial_policy_set }),
          ...(p.initial_explicit_policy && { explicitPolicy: true }),
          ...(p.initial_policy_mapping_inhibit && { inhibitPolicyMapping: true }),
          ...(p.initial_any_policy_inhibit && { inhibitAnyPolicy: true }),
        };
        const r = await validateCertificatePath(options);
        const accepted = r.status === 'valid';
        if (!expectValid) {
          expect(accepted, `false accept: ${r.problems.join('; ')}`).toBe(false);
          // and refused for the reason PKITS gives (revoked / revocation not established / the path itself)
          const kind =
            r.status === 'revoked'
              ? 'RevokedError'
              : r.status === 'revocation-unknown'
                ? 'revinfo'
                : 'PathValidationError';
          expect(kind, r.problems.join('; ')).toBe(
            c.error!.class === 'RevokedError' || c.error!.class === 'PathValidationError' ? c.error!.class : 'revinfo',
          );
          if (c.error!.class === 'StaleRevinfoError') expect(r.subIndication).toBe('REVOCATION_OUT_OF_BOUNDS_NO_POE');
          agreed.push(c.id);
          return;
        }
        if (KNOWN_DIFFERENCES[c.id]) {
          expect(accepted, `${c.id} now passes: take it off KNOWN_DIFFERENCES`).toBe(false);
          return;
        }
        expect(r.problems, r.status).toEqual([]);
        expect(accepted).toBe(true);
        agreed.push(c.id);
      });
    }
    it('reports the figure', () => {
      console.info(`NIST PKITS: ${agreed.length}/${cases.length} agree`);
    });
  });
}
