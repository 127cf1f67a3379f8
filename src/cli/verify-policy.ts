import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { isVnTrustName } from '../pki/vn-trust.js';
import type { ConstraintLevel, ValidationPolicy } from '../validation/policy.js';
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
 * weakKey: warn                     # also sha1, minEcBits: every ValidationPolicy setting, one name each
 * ```
 */
export interface VerifyPolicy extends ValidationPolicy {
  /** Trust anchors: files, folders or `vn`. */
  trust?: string[];
  /** Fetch OCSP/CRL when the document lacks them. */
  online?: boolean;
}

/** Every key a policy file may have: the library's {@link ValidationPolicy} settings, plus trust and online. */
const KEYS = [
  'trust',
  'online',
  'minLevel',
  'allowSha1',
  'sha1',
  'minRsaBits',
  'minEcBits',
  'weakKey',
  'requiredSigner',
  'wholeDocument',
  'maxAgeDays',
];
const CONSTRAINT_LEVELS = ['fail', 'warn', 'ignore'];
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
    throw new UsageError(
      `policy ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
    );
  }
  const bad = (msg: string): never => {
    throw new UsageError(`policy ${path}: ${msg}`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) bad('must be an object');
  const p = raw as Record<string, unknown>;
  for (const k of Object.keys(p)) if (!KEYS.includes(k)) bad(`unknown key "${k}" (known: ${KEYS.join(', ')})`);
  const policy: VerifyPolicy = {};
  if (p.trust !== undefined) {
    if (!Array.isArray(p.trust) || p.trust.some((t) => typeof t !== 'string'))
      bad('"trust" must be a list of files, folders, "vn", "vn-gov" or "vn-public"');
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
  for (const k of ['sha1', 'weakKey'] as const) {
    if (p[k] !== undefined) {
      if (!CONSTRAINT_LEVELS.includes(p[k] as string)) bad(`"${k}" must be one of ${CONSTRAINT_LEVELS.join(', ')}`);
      policy[k] = p[k] as ConstraintLevel;
    }
  }
  for (const k of ['minRsaBits', 'minEcBits', 'maxAgeDays'] as const) {
    if (p[k] !== undefined) {
      if (typeof p[k] !== 'number' || !Number.isFinite(p[k]) || (p[k] as number) < 0)
        bad(`"${k}" must be a non-negative number`);
      policy[k] = p[k] as number;
    }
  }
  if (p.requiredSigner !== undefined) {
    const r = p.requiredSigner as Record<string, unknown>;
    if (!r || typeof r !== 'object' || Array.isArray(r)) bad('"requiredSigner" must be an object');
    for (const k of Object.keys(r)) {
      if (!SIGNER_KEYS.includes(k)) bad(`unknown key "requiredSigner.${k}" (known: ${SIGNER_KEYS.join(', ')})`);
      const v = r[k];
      if (typeof v !== 'string' && !(Array.isArray(v) && v.every((x) => typeof x === 'string')))
        bad(`"requiredSigner.${k}" must be a string or a list of strings`);
    }
    policy.requiredSigner = r as VerifyPolicy['requiredSigner'];
  }
  return policy;
}
