import type { Indication, SubIndication } from '../core/indication.js';
import type { ValidationContext } from './context.js';
import type { Finding } from './findings.js';
import { BASELINE_LEVELS, type BaselineLevel, type RequiredSigner, type ResolvedPolicy } from './policy.js';
import type { SignerFacts } from './signer-check.js';
import type { PdfVerificationReport } from './reports.js';

/** One signature as the document rules of a policy see it, whatever its format. */
export interface PolicySignature {
  /** How the report names it (`"Signature1"`, `/HDon[1]/DSCKS[1]/NBan[1]/Signature[1]`). */
  label: string;
  signer?: SignerFacts | undefined;
  /** The baseline level it reaches; undefined for a format without levels. */
  level?: BaselineLevel | undefined;
  /** When it was made: a valid time-stamp's time, else the claimed signing time (ISO 8601). */
  signedAt?: string | undefined;
}

/**
 * The document rules of a policy (`requiredSigner`, `minLevel`, `maxAgeDays`, `wholeDocument`) over the
 * signatures of any format, as findings: an unmet rule is TOTAL_FAILED / SIG_CONSTRAINTS_FAILURE (CI must not
 * pass what the policy refuses); a rule the format cannot answer is refused the same way, never skipped.
 */
export function documentPolicyFindings(
  policy: ResolvedPolicy,
  time: Date,
  signatures: readonly PolicySignature[],
  /** Whether the last signature covers the whole document; `not-applicable` when the format cannot say. */
  wholeDocument: boolean | 'not-applicable',
): Finding[] {
  const out: Finding[] = [];
  const unmet = (message: string) =>
    out.push({
      code: 'policy-not-met',
      severity: 'error',
      indication: 'TOTAL_FAILED',
      subIndication: 'SIG_CONSTRAINTS_FAILURE',
      message: `policy: ${message}`,
    });
  if (policy.minLevel) {
    const need = BASELINE_LEVELS.indexOf(policy.minLevel);
    for (const s of signatures) {
      if (s.level === undefined) {
        out.push({
          code: 'policy-not-applicable',
          severity: 'error',
          indication: 'TOTAL_FAILED',
          subIndication: 'SIG_CONSTRAINTS_FAILURE',
          message: `policy: minLevel cannot be established for signature ${s.label}`,
        });
      } else if (BASELINE_LEVELS.indexOf(s.level) < need)
        unmet(`signature ${s.label} is ${s.level}, the policy requires ${policy.minLevel}`);
    }
  }
  if (policy.requiredSigner && !signatures.some((s) => signerMatches(policy.requiredSigner!, s.signer)))
    unmet(`no signature by the required signer (${JSON.stringify(policy.requiredSigner)})`);
  if (policy.wholeDocument) {
    if (wholeDocument === 'not-applicable') {
      out.push({
        code: 'policy-not-applicable',
        severity: 'error',
        indication: 'TOTAL_FAILED',
        subIndication: 'SIG_CONSTRAINTS_FAILURE',
        message: 'policy: wholeDocument cannot be established for this format',
      });
    } else if (!wholeDocument) unmet('the last signature does not cover the whole document');
  }
  if (policy.maxAgeDays !== undefined) {
    for (const s of signatures) {
      if (s.signedAt && time.getTime() - new Date(s.signedAt).getTime() > policy.maxAgeDays * 86_400_000)
        unmet(`signature ${s.label} is older than ${policy.maxAgeDays} days`);
    }
  }
  return out;
}

/** Whether a signer's certificate meets every key of `required` (a list: any of its values). */
export function signerMatches(required: RequiredSigner, signer: SignerFacts | undefined): boolean {
  if (!signer) return false;
  const s = signer.subject;
  const anyOf = (want: string | string[] | undefined, have: string | undefined) =>
    want === undefined || (have !== undefined && (Array.isArray(want) ? want : [want]).includes(have));
  return (
    anyOf(required.taxCode, s.taxCode) &&
    anyOf(required.organization, s.organization) &&
    anyOf(required.commonName, s.commonName) &&
    anyOf(required.citizenId, s.citizenId)
  );
}

/** Adds policy findings to a report (its findings, errors, and indication). */
export function addPolicyFindings(
  report: { indication: Indication; subIndication?: SubIndication; errors: string[]; findings: Finding[] },
  findings: readonly Finding[],
): void {
  if (!findings.length) return;
  report.findings.push(...findings);
  report.errors.push(...findings.map((f) => f.message));
  if (report.indication !== 'TOTAL_FAILED') {
    report.indication = 'TOTAL_FAILED';
    report.subIndication = 'SIG_CONSTRAINTS_FAILURE';
  }
}

/** The policy's document rules applied to a PDF report. */
export function applyDocumentPolicy(report: PdfVerificationReport, context: ValidationContext): void {
  const sigs = report.signatures.filter((s) => s.kind === 'signature');
  const findings = documentPolicyFindings(
    context.policy,
    context.time,
    sigs.map((s) => ({
      label: `"${s.fieldName}"`,
      signer: s.signer,
      level: s.level ?? 'B-B',
      signedAt: s.timestamps.find((x) => x.valid)?.genTime ?? s.claimedSigningTime,
    })),
    report.signatures.length === 0 || report.signatures.at(-1)!.modifications?.verdict === 'whole-document',
  );
  addPolicyFindings(report, findings);
}
