// Revocation of each certificate of a validated path (RFC 5280 §6.1.3 (a)(3)), at the validation time, with
// the revocation modes of EN 319 102-1: a revoked certificate fails the path; missing data is only reported
// when revocation is checked "when available", and makes the path INDETERMINATE when it is "required".
import type { SubIndication } from '../../core/indication.js';
import type { Certificate } from '../certificate.js';
import type { PathRevocation, PathValidationOptions, PathValidationResult } from '../chain.js';
import { parseCrl, type Crl } from '../crl.js';
import { embeddedOcspStatus, type RevocationCheck, type RevocationNotes } from '../revocation.js';
import { checkSignedStructure } from '../chain.js';
import { crlStatus } from './crl-validation.js';
import { comparableName, comparableSubject } from './names.js';

/** How revocation is checked: see {@link PathValidationOptions.revocationMode}. */
export type RevocationMode = 'check-if-available' | 'require' | 'off';

/** What {@link checkPathRevocation} needs besides the path. */
export interface PathRevocationContext extends PathValidationOptions {
  pool: readonly Certificate[];
  failure: (
    status: PathValidationResult['status'],
    subIndication: SubIndication,
    problem: string,
  ) => PathValidationResult;
  /** Certificates whose own path is being validated further up (as CRL signers). */
  visiting: ReadonlySet<string>;
  /** Validates the path of a CRL signer that is not part of the path. */
  validateSigner: (signer: Certificate) => Promise<true | string>;
}

/** Checks each certificate of `path` but the anchor; returns `valid` (with the statuses) or the failure. */
export async function checkPathRevocation(
  path: Certificate[],
  valid: PathValidationResult,
  o: PathRevocationContext,
): Promise<PathValidationResult> {
  const mode = o.revocationMode ?? 'check-if-available';
  if (mode === 'off' || path.length === 1) return valid;
  if (!o.revocation && !o.revocationData && mode !== 'require') return valid;
  const crls = parseAll(o.revocationData?.crls ?? []);
  const revocation: PathRevocation[] = [];
  let revoked: { cert: Certificate; at: Date } | undefined;
  let missing: { cert: Certificate; check: RevocationCheck } | undefined;
  for (let i = 0; i + 1 < path.length; i++) {
    const cert = path[i]!;
    const issuer = path[i + 1]!;
    const check = o.revocation
      ? await o.revocation(cert, issuer, { time: o.time })
      : await fromData(cert, issuer, path, crls, o);
    revocation.push({
      subject: cert.subject.commonName ?? cert.subject.display,
      status: check.status,
      ...(check.source && { source: check.source }),
      ...(check.origin && { origin: check.origin }),
      ...(check.revocationTime && { revocationTime: check.revocationTime }),
      problems: check.problems,
      ...(check.refused && { refused: check.refused }),
    });
    if (check.status === 'revoked' && check.revocationTime && check.revocationTime.getTime() <= o.time.getTime())
      revoked ??= { cert, at: check.revocationTime };
    if (check.status !== 'good' && check.status !== 'revoked') missing ??= { cert, check };
  }
  if (revoked) {
    return {
      ...o.failure(
        'revoked',
        'REVOKED',
        `"${revoked.cert.subject.display}" was revoked on ${revoked.at.toISOString()}`,
      ),
      revocation,
      revokedAt: revoked.at,
    };
  }
  if (missing && mode === 'require') {
    // Data that exists but does not speak for the validation time is out of bounds; no data at all may come later.
    const stale = missing.check.problems.some((p) => /stale/.test(p));
    const sub: SubIndication = stale ? 'REVOCATION_OUT_OF_BOUNDS_NO_POE' : 'TRY_LATER';
    const why = missing.check.problems.join('; ') || missing.check.status;
    return {
      ...o.failure(
        'revocation-unknown',
        sub,
        `the revocation status of "${missing.cert.subject.display}" at ${o.time.toISOString()} is not established: ${why}`,
      ),
      revocation,
    };
  }
  return { ...valid, revocation };
}

function parseAll(ders: readonly Uint8Array[]): Crl[] {
  const out: Crl[] = [];
  for (const der of ders) {
    try {
      out.push(parseCrl(der));
    } catch {
      // an undecodable CRL says nothing
    }
  }
  return out;
}

/** The status from the revocation data at hand: OCSP responses first, then CRLs (RFC 5280 §6.3). */
async function fromData(
  cert: Certificate,
  issuer: Certificate,
  path: Certificate[],
  crls: Crl[],
  o: PathRevocationContext,
): Promise<RevocationCheck> {
  const notes: RevocationNotes = { problems: [], refused: [] };
  const { problems, refused } = notes;
  const fromOcsp = await embeddedOcspStatus(
    o.revocationData?.ocsps ?? [],
    cert,
    issuer,
    o.time,
    notes,
    o.revocationSignatureAcceptable,
  );
  if (fromOcsp) return fromOcsp;
  // A signer above `cert` in this path, or one whose own path is being validated up the stack (a CRL issuer
  // whose certificate its own indirect CRL covers), needs no second validation.
  const trustedAlready = (c: Certificate) =>
    (path.includes(c) && path.indexOf(c) > path.indexOf(cert)) || o.visiting.has(c.fingerprintSha256);
  if (crls.length) {
    const verdict = await crlStatus({
      certificate: cert,
      issuer,
      crls,
      time: o.time,
      ...(o.revocationSignatureAcceptable && { signatureAcceptable: o.revocationSignatureAcceptable }),
      verify: async (crl, signer) => (await checkSignedStructure(crl.der, signer, path)) === 'valid',
      signers: async (name, keyId) => {
        const wanted = comparableName(name);
        const all = [issuer, ...o.trust.anchors, ...o.pool].filter((c, k, a) => a.indexOf(c) === k);
        return all
          .filter(
            (c) =>
              comparableSubject(c) === wanted &&
              (!keyId || !c.subjectKeyIdentifier || c.subjectKeyIdentifier === keyId),
          )
          .map((c) => ({ certificate: c, usable: async () => (trustedAlready(c) ? true : o.validateSigner(c)) }));
      },
    });
    problems.push(...verdict.problems);
    refused.push(...verdict.refused);
    if (verdict.status !== 'unknown') {
      return {
        status: verdict.status,
        ...(verdict.revocationTime && { revocationTime: verdict.revocationTime }),
        source: 'crl',
        origin: 'embedded',
        ...(verdict.crl && { issuedAt: verdict.crl.thisUpdate, der: verdict.crl.der }),
        problems,
        ...(refused.length && { refused }),
      };
    }
  }
  if (problems.length === 0) problems.push('no revocation data for it at hand');
  return { status: 'unavailable', problems, ...(refused.length && { refused }) };
}
