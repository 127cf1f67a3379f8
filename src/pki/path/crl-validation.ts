// RFC 5280 §6.3 CRL processing at the validation time: scope (distribution point, issuingDistributionPoint,
// indirect CRLs), the CRL issuer's key and cRLSign, freshness, critical CRL and entry extensions, reason
// codes and removeFromCRL, and delta CRLs applied to the complete CRL they name as their base.
import { toHex } from '../../core/bytes.js';
import { readChildren, readTlv } from '../../core/der.js';
import { OID } from '../../core/oids.js';
import type { Certificate } from '../certificate.js';
import type { Crl, CrlEntry } from '../crl.js';
import { formatName } from '../name.js';
import {
  ALL_REASONS,
  distributionPoints,
  issuingDistributionPoint,
  someNameShared,
  type DistributionPoint,
  type IssuingDistributionPoint,
} from './distribution-points.js';
import { readGeneralNames, type GeneralName } from './general-names.js';
import { namesEqual } from './names.js';
import {
  revocationSignatureOf,
  revocationSignatureRefusal,
  type RevocationSignatureCheck,
} from '../revocation-signature.js';

const CRL_OID = {
  crlNumber: '2.5.29.20',
  reasonCode: '2.5.29.21',
  holdInstructionCode: '2.5.29.23',
  invalidityDate: '2.5.29.24',
  deltaCrlIndicator: '2.5.29.27',
  issuingDistributionPoint: '2.5.29.28',
  certificateIssuer: '2.5.29.29',
  issuerAltName: '2.5.29.18',
  freshestCrl: '2.5.29.46',
} as const;

const UNDERSTOOD_CRL_EXTENSIONS = new Set<string>([
  OID.authorityKeyIdentifier,
  OID.authorityInfoAccess,
  CRL_OID.crlNumber,
  CRL_OID.deltaCrlIndicator,
  CRL_OID.issuingDistributionPoint,
  CRL_OID.issuerAltName,
  CRL_OID.freshestCrl,
]);
const UNDERSTOOD_ENTRY_EXTENSIONS = new Set<string>([
  CRL_OID.reasonCode,
  CRL_OID.holdInstructionCode,
  CRL_OID.invalidityDate,
  CRL_OID.certificateIssuer,
]);

const CERTIFICATE_HOLD = 6;
const REMOVE_FROM_CRL = 8;
const SKEW_MS = 5 * 60_000;

/** What the CRLs at hand say about one certificate. */
export interface CrlVerdict {
  status: 'good' | 'revoked' | 'unknown';
  revocationTime?: Date;
  /** CRLReason of a revoked certificate. */
  reason?: number;
  /** The complete CRL that decided it (thisUpdate, DER). */
  crl?: Crl;
  /** True when CRLs were found but none was current at the validation time. */
  stale: boolean;
  problems: string[];
  /** CRLs the caller's algorithm policy refused, and why (also in `problems`). */
  refused: string[];
}

/** Options of {@link crlStatus}. */
export interface CrlStatusOptions {
  certificate: Certificate;
  /** The certificate's issuer in the path being validated. */
  issuer: Certificate;
  crls: readonly Crl[];
  /** The validation time the CRLs must speak for. Default: freshness not checked. */
  time?: Date;
  /**
   * Certificates that may have signed a CRL issued under `name` (the issuer first), each already known to
   * chain to the path's trust anchor, or a promise of that check: true when usable.
   */
  signers: (
    name: Uint8Array,
    authorityKeyId: string | undefined,
  ) => Promise<{ certificate: Certificate; usable: () => Promise<true | string> }[]>;
  verify: (crl: Crl, signer: Certificate) => Promise<boolean>;
  /** The caller's algorithm policy over the CRLs' signatures: a refused CRL is not used. Default: none. */
  signatureAcceptable?: RevocationSignatureCheck;
}

interface ReadCrl {
  crl: Crl;
  idp?: IssuingDistributionPoint;
  idpDer?: string;
  number?: bigint;
  deltaBase?: bigint;
  authorityKeyId?: string;
}

function integer(value: Uint8Array): bigint {
  const el = readTlv(value, 0);
  let n = 0n;
  for (let k = el.contentStart; k < el.contentEnd; k++) n = n * 256n + BigInt(value[k]!);
  return n;
}

function read(crl: Crl): ReadCrl {
  const ext = (oid: string) => crl.extensions.find((e) => e.oid === oid)?.value;
  const idp = ext(CRL_OID.issuingDistributionPoint);
  const number = ext(CRL_OID.crlNumber);
  const base = ext(CRL_OID.deltaCrlIndicator);
  const aki = ext(OID.authorityKeyIdentifier);
  const keyId = aki && readChildren(aki, readTlv(aki, 0)).find((p) => p.tag === 0x80);
  return {
    crl,
    ...(idp && { idp: issuingDistributionPoint(idp, crl.issuerDer), idpDer: toHex(idp) }),
    ...(number && { number: integer(number) }),
    ...(base && { deltaBase: integer(base) }),
    ...(keyId && { authorityKeyId: toHex(aki.subarray(keyId.contentStart, keyId.contentEnd)) }),
  };
}

/** True when the CRL speaks for `time`: current then, or issued after it (RFC 5280 §6.3.3 (a)). */
function current(crl: Crl, time: Date | undefined): boolean {
  return !time || time.getTime() <= (crl.nextUpdate ?? crl.thisUpdate).getTime() + SKEW_MS;
}

/** §6.3.3 (b): the CRL's scope covers this certificate under distribution point `dp`. */
function inScope(r: ReadCrl, dp: DistributionPoint, cert: Certificate): boolean {
  if (dp.crlIssuer) {
    if (!r.idp?.indirect) return false;
    if (!dp.crlIssuer.some((n) => n.kind === 'directoryName' && namesEqual(n.value, r.crl.issuerDer))) return false;
  } else if (!namesEqual(r.crl.issuerDer, cert.issuerDer)) return false;
  if (r.idp) {
    if (r.idp.names) {
      const ours = dp.names ?? dp.crlIssuer;
      if (!ours || !someNameShared(r.idp.names, ours)) return false;
    }
    const isCa = cert.basicConstraints?.ca === true;
    if (r.idp.onlyUserCerts && isCa) return false;
    if (r.idp.onlyCaCerts && !isCa) return false;
    if (r.idp.onlyAttributeCerts) return false;
  }
  return true;
}

function entryFor(r: ReadCrl, cert: Certificate): CrlEntry | undefined {
  const serial = toHex(cert.facts.serialNumber);
  let issuer: GeneralName[] | undefined; // certificateIssuer carries over to the entries that follow (§5.3.3)
  for (const entry of r.crl.entries) {
    const ci = entry.extensions.find((e) => e.oid === CRL_OID.certificateIssuer)?.value;
    if (ci) issuer = readGeneralNames(ci, readTlv(ci, 0));
    if (entry.serial !== serial) continue;
    const issuedBy =
      issuer && r.idp?.indirect
        ? issuer.some((n) => n.kind === 'directoryName' && namesEqual(n.value, cert.issuerDer))
        : namesEqual(r.crl.issuerDer, cert.issuerDer);
    if (issuedBy) return entry;
  }
  return undefined;
}

function reasonOf(entry: CrlEntry): number | undefined {
  const v = entry.extensions.find((e) => e.oid === CRL_OID.reasonCode)?.value;
  return v ? v[readTlv(v, 0).contentStart] : undefined;
}

function unknownCritical(crl: Crl): string | undefined {
  const ext = crl.extensions.find((e) => e.critical && !UNDERSTOOD_CRL_EXTENSIONS.has(e.oid));
  if (ext) return `the CRL has a critical extension kyso does not understand (${ext.oid})`;
  for (const entry of crl.entries) {
    const e = entry.extensions.find((x) => x.critical && !UNDERSTOOD_ENTRY_EXTENSIONS.has(x.oid));
    if (e) return `a CRL entry has a critical extension kyso does not understand (${e.oid})`;
  }
  return undefined;
}

/** Why the caller's algorithm policy refuses `crl`'s signature by `signer`, noted in `refused`; undefined if not. */
function refusal(crl: Crl, signer: Certificate, o: CrlStatusOptions, refused: string[]): string | undefined {
  const why = revocationSignatureRefusal(o.signatureAcceptable, revocationSignatureOf('CRL', crl.der, signer));
  if (why && !refused.includes(why)) refused.push(why); // a CRL is looked at once per scope
  return why;
}

/**
 * §6.3.3 (f), (g): a certificate whose key signed the CRL, with cRLSign, on a path to the same anchor — and
 * whose signature on it the caller's algorithm policy accepts.
 */
async function findSigner(
  r: ReadCrl,
  o: CrlStatusOptions,
  problems: string[],
  refused: string[],
): Promise<Certificate | undefined> {
  for (const { certificate, usable } of await o.signers(r.crl.issuerDer, r.authorityKeyId)) {
    if (certificate.keyUsage && !certificate.keyUsage.includes('cRLSign')) {
      problems.push(`"${certificate.subject.display}" may not sign CRLs (no cRLSign)`);
      continue;
    }
    if (!(await o.verify(r.crl, certificate))) continue;
    const weak = refusal(r.crl, certificate, o, refused);
    if (weak) {
      problems.push(weak);
      continue;
    }
    const ok = await usable();
    if (ok === true) return certificate;
    problems.push(`the CRL signer "${certificate.subject.display}" cannot be trusted: ${ok}`);
  }
  if (problems.length === 0) problems.push('no certificate at hand verifies the CRL signature');
  return undefined;
}

/**
 * The revocation status of `o.certificate` from the CRLs at hand, per RFC 5280 §6.3. Never throws: what
 * cannot be decided is `unknown`, with the reasons.
 */
export async function crlStatus(o: CrlStatusOptions): Promise<CrlVerdict> {
  const refused: string[] = [];
  try {
    return { ...(await decide(o, refused)), refused };
  } catch (cause) {
    // a malformed extension of the certificate or of a CRL: nothing can be concluded from them
    return {
      status: 'unknown',
      stale: false,
      refused,
      problems: [
        `the CRL or the certificate's distribution points cannot be decoded: ${cause instanceof Error ? cause.message : String(cause)}`,
      ],
    };
  }
}

async function decide(o: CrlStatusOptions, refused: string[]): Promise<Omit<CrlVerdict, 'refused'>> {
  const problems: string[] = [];
  const all = o.crls.map(read);
  const complete = all.filter((r) => r.deltaBase === undefined);
  const deltas = all.filter((r) => r.deltaBase !== undefined);
  const points = distributionPoints(o.certificate) ?? [];
  // CRLs named by no distribution point but issued by the certificate's issuer count too (§6.3.3, last step).
  const scopes: DistributionPoint[] = [...points, { reasons: ALL_REASONS }];
  let reasons = 0;
  let stale = false;
  let decided: Crl | undefined;
  for (const dp of scopes) {
    for (const r of complete) {
      if (reasons === ALL_REASONS) break;
      if (!inScope(r, dp, o.certificate)) continue;
      const interim = (r.idp?.onlySomeReasons ?? ALL_REASONS) & dp.reasons & ALL_REASONS;
      if ((interim & ~reasons) === 0) continue;
      const critical = unknownCritical(r.crl);
      if (critical) {
        problems.push(critical);
        continue;
      }
      const signerProblems: string[] = [];
      const signer = await findSigner(r, o, signerProblems, refused);
      if (!signer) {
        problems.push(...signerProblems);
        continue;
      }
      if (!current(r.crl, o.time)) {
        // A stale CRL still proves a lasting revocation; it cannot prove the certificate was not revoked.
        const entry = entryFor(r, o.certificate);
        const reason = entry && reasonOf(entry);
        if (entry && reason !== REMOVE_FROM_CRL && reason !== CERTIFICATE_HOLD)
          return revokedBy(entry, r.crl, problems);
        stale = true;
        problems.push(
          `the CRL of "${formatName(r.crl.issuerDer)}" is stale at ${o.time!.toISOString()} (nextUpdate ${r.crl.nextUpdate?.toISOString() ?? 'absent'})`,
        );
        continue;
      }
      const delta = await freshestDelta(r, deltas, signer, o, problems, refused);
      if (delta === null) continue;
      const fromDelta = delta && entryFor(delta, o.certificate);
      const entry = fromDelta ?? entryFor(r, o.certificate);
      if (entry && reasonOf(entry) !== REMOVE_FROM_CRL) return revokedBy(entry, r.crl, problems);
      reasons |= interim;
      decided = r.crl;
    }
  }
  if (reasons === ALL_REASONS) return { status: 'good', crl: decided!, stale: false, problems: [] };
  if (decided) problems.push('the CRLs at hand do not cover every revocation reason');
  return { status: 'unknown', stale, problems };
}

function revokedBy(entry: CrlEntry, crl: Crl, problems: string[]): Omit<CrlVerdict, 'refused'> {
  const reason = reasonOf(entry);
  return {
    status: 'revoked',
    revocationTime: entry.revocationDate,
    ...(reason !== undefined && { reason }),
    crl,
    stale: false,
    problems,
  };
}

/**
 * The delta CRL to apply to complete CRL `base` (same issuer, key and scope, fresh, based on it or an
 * earlier one), undefined when there is none, null when a delta that should apply cannot be used (stale, or
 * refused by the algorithm policy).
 */
async function freshestDelta(
  base: ReadCrl,
  deltas: ReadCrl[],
  signer: Certificate,
  o: CrlStatusOptions,
  problems: string[],
  refused: string[],
): Promise<ReadCrl | undefined | null> {
  if (base.number === undefined) return undefined;
  let best: ReadCrl | undefined;
  let weak: string | undefined;
  for (const d of deltas) {
    if (!namesEqual(d.crl.issuerDer, base.crl.issuerDer) || d.idpDer !== base.idpDer) continue;
    if (d.deltaBase! > base.number || d.number === undefined || d.number <= base.number) continue;
    if (!current(d.crl, o.time)) continue;
    if (unknownCritical(d.crl)) continue;
    if (!(await o.verify(d.crl, signer))) continue;
    const why = refusal(d.crl, signer, o, refused);
    if (why) {
      weak ??= why;
      continue;
    }
    if (!best || d.number > best.number!) best = d;
  }
  if (!best && weak) {
    problems.push(weak);
    return null;
  }
  if (
    !best &&
    deltas.some(
      (d) => namesEqual(d.crl.issuerDer, base.crl.issuerDer) && d.idpDer === base.idpDer && !current(d.crl, o.time),
    )
  ) {
    problems.push('the delta CRL for the complete CRL is stale');
    return null;
  }
  return best;
}
