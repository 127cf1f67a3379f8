import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { isVnTrustName, type PdfVerificationReport, type XmlVerificationReport } from '../index.js';
import { UsageError } from './usage-error.js';

/**
 * A CI verification policy, from a JSON or YAML file:
 *
 * ```yaml
 * trust: [vn, ./roots/our-ca.pem]   # anchors: files (relative to the policy file), folders, or vn
 * minLevel: B-T                     # B-B | B-T | B-LT | B-LTA
 * allowSha1: false
 * minRsaBits: 2048
 * requiredSigner: { taxCode: "0101234567" }   # also organization, commonName, citizenId; a list means any of them
 * wholeDocument: true               # the last signature must cover the whole file
 * maxAgeDays: 365                   # signed no longer ago than this
 * online: false                     # fetch OCSP/CRL when the document lacks them
 * ```
 */
export interface VerifyPolicy {
  trust?: string[];
  minLevel?: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
  allowSha1?: boolean;
  minRsaBits?: number;
  requiredSigner?: { taxCode?: string | string[]; organization?: string | string[]; commonName?: string | string[]; citizenId?: string | string[] };
  wholeDocument?: boolean;
  maxAgeDays?: number;
  online?: boolean;
}

const KEYS = ['trust', 'minLevel', 'allowSha1', 'minRsaBits', 'requiredSigner', 'wholeDocument', 'maxAgeDays', 'online'];
const SIGNER_KEYS = ['taxCode', 'organization', 'commonName', 'citizenId'];
const LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const;

/** Reads and checks a policy file; every mistake is a usage error that names the key. */
export async function loadVerifyPolicy(path: string): Promise<VerifyPolicy> {
  const text = await readFile(path, 'utf8').catch((e: Error) => {
    throw new UsageError(`cannot read policy ${path}: ${e.message}`);
  });
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? (await import('yaml')).parse(text) : JSON.parse(text);
  } catch (e) {
    throw new UsageError(`policy ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
  const bad = (msg: string): never => {
    throw new UsageError(`policy ${path}: ${msg}`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) bad('must be an object');
  const p = raw as Record<string, unknown>;
  for (const k of Object.keys(p)) if (!KEYS.includes(k)) bad(`unknown key "${k}" (known: ${KEYS.join(', ')})`);
  const policy: VerifyPolicy = {};
  if (p.trust !== undefined) {
    if (!Array.isArray(p.trust) || p.trust.some((t) => typeof t !== 'string')) bad('"trust" must be a list of files, folders, "vn", "vn-gov" or "vn-public"');
    policy.trust = (p.trust as string[]).map((t) => (isVnTrustName(t) || isAbsolute(t) ? t : join(dirname(path), t)));
  }
  if (p.minLevel !== undefined) {
    if (!LEVELS.includes(p.minLevel as never)) bad(`"minLevel" must be one of ${LEVELS.join(', ')}`);
    policy.minLevel = p.minLevel as VerifyPolicy['minLevel'];
  }
  for (const k of ['allowSha1', 'wholeDocument', 'online'] as const) {
    if (p[k] !== undefined) {
      if (typeof p[k] !== 'boolean') bad(`"${k}" must be true or false`);
      policy[k] = p[k] as boolean;
    }
  }
  for (const k of ['minRsaBits', 'maxAgeDays'] as const) {
    if (p[k] !== undefined) {
      if (typeof p[k] !== 'number' || !Number.isFinite(p[k]) || (p[k] as number) < 0) bad(`"${k}" must be a non-negative number`);
      policy[k] = p[k] as number;
    }
  }
  if (p.requiredSigner !== undefined) {
    const r = p.requiredSigner as Record<string, unknown>;
    if (!r || typeof r !== 'object' || Array.isArray(r)) bad('"requiredSigner" must be an object');
    for (const k of Object.keys(r)) {
      if (!SIGNER_KEYS.includes(k)) bad(`unknown key "requiredSigner.${k}" (known: ${SIGNER_KEYS.join(', ')})`);
      const v = r[k];
      if (typeof v !== 'string' && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) bad(`"requiredSigner.${k}" must be a string or a list of strings`);
    }
    policy.requiredSigner = r as VerifyPolicy['requiredSigner'];
  }
  return policy;
}

const anyOf = (want: string | string[] | undefined, have: string | undefined) => want === undefined || (have !== undefined && (Array.isArray(want) ? want : [want]).includes(have));

/**
 * The document-level requirements of a policy, applied to a report: each unmet one is an error on the document
 * and makes it TOTAL_FAILED (SIG_CONSTRAINTS_FAILURE) — CI must not pass what the policy refuses.
 */
export function applyPolicy(report: PdfVerificationReport | XmlVerificationReport, kind: 'pdf' | 'xml', policy: VerifyPolicy, now: Date): void {
  const problems: string[] = [];
  if (kind === 'pdf') {
    const r = report as PdfVerificationReport;
    const sigs = r.signatures.filter((s) => s.kind === 'signature');
    if (policy.minLevel) {
      const need = LEVELS.indexOf(policy.minLevel);
      for (const s of sigs) if (LEVELS.indexOf(s.level ?? 'B-B') < need) problems.push(`signature "${s.fieldName}" is ${s.level ?? 'B-B'}, the policy requires ${policy.minLevel}`);
    }
    if (policy.requiredSigner && !sigs.some((s) => matches(policy, s.signer?.subject))) problems.push(`no signature by the required signer (${JSON.stringify(policy.requiredSigner)})`);
    if (policy.wholeDocument && r.signatures.length && r.signatures.at(-1)!.modifications?.verdict !== 'whole-document') problems.push('the last signature does not cover the whole document');
    if (policy.maxAgeDays !== undefined) {
      for (const s of sigs) {
        const t = s.timestamps.find((x) => x.valid)?.genTime ?? s.claimedSigningTime;
        if (t && now.getTime() - new Date(t).getTime() > policy.maxAgeDays * 86_400_000) problems.push(`signature "${s.fieldName}" is older than ${policy.maxAgeDays} days`);
      }
    }
  } else {
    const r = report as XmlVerificationReport;
    if (policy.requiredSigner && !r.signatures.some((s) => s.certificate && anyOf(policy.requiredSigner!.taxCode, s.certificate.mst) && anyOf(policy.requiredSigner!.citizenId, s.certificate.cccd))) {
      problems.push(`no signature by the required signer (${JSON.stringify(policy.requiredSigner)})`);
    }
  }
  if (problems.length) {
    report.indication = 'TOTAL_FAILED';
    report.subIndication = 'SIG_CONSTRAINTS_FAILURE';
    report.errors.push(...problems.map((p) => `policy: ${p}`));
  }
}

function matches(policy: VerifyPolicy, subject: { taxCode?: string; organization?: string; commonName?: string; citizenId?: string } | undefined): boolean {
  const r = policy.requiredSigner!;
  return subject !== undefined && anyOf(r.taxCode, subject.taxCode) && anyOf(r.organization, subject.organization) && anyOf(r.commonName, subject.commonName) && anyOf(r.citizenId, subject.citizenId);
}
