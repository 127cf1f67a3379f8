import { worstIndication, type Indication, type SubIndication } from '../core/indication.js';

/**
 * Every finding code a report can carry, in one place: stable strings for machines (CI rules, translated
 * message catalogues); a code is never renamed, only added. The message beside it is for people.
 */
export const FINDING_CODES = [
  // structure of the signature container
  'format-invalid',
  'byte-range-invalid',
  'signer-count',
  'content-type-mismatch',
  'attribute-duplicate',
  'algorithm-identifier-nonstandard',
  'subfilter-unusual',
  'contents-trailing-bytes',
  // integrity
  'digest-mismatch',
  'signature-invalid',
  'signing-certificate-mismatch',
  'signing-certificate-absent',
  'signer-certificate-not-found',
  'signed-data-not-found',
  // algorithm policy
  'algorithm-unsupported',
  'hash-weak',
  'key-weak',
  // time and trust
  'no-trust-anchors',
  'chain-invalid',
  'revoked',
  'revoked-no-poe',
  'revocation-unknown',
  'revocation-required',
  'revocation-algorithm-refused',
  'expired-poe',
  'algorithm-accepted-by-date',
  'revoked-after-poe',
  'claimed-time-outside-validity',
  'timestamp-invalid',
  'timestamp-algorithm-refused',
  'timestamp-later-than-signing-time',
  // document changes and placement
  'changes-not-permitted',
  'changes-reported',
  'signature-misplaced',
  'signing-time-unsigned',
  'reference-dotnet-rule',
  'unsigned-namesake',
  'unsigned-comments',
  // the validation policy of the caller (requiredSigner, minLevel, …)
  'policy-not-met',
  'policy-not-applicable',
  // anything else said about a document
  'document-repaired',
  'hidden-signatures',
  'signatures-outside-form',
  'too-many-signatures',
  'no-signature',
  'note',
] as const;

/** A stable finding code; see {@link FINDING_CODES}. */
export type FindingCode = (typeof FINDING_CODES)[number];

/**
 * One thing a verifier found: data first (`code`, and for one that lowers the verdict its `indication` and
 * EN 319 102-1 `subIndication`), text second (`message`). Reports carry them as `findings`; their `errors` and
 * `warnings` are the same messages as plain text.
 */
export interface Finding {
  code: FindingCode;
  /** `error` lowers the indication (to `indication`), `warning` does not, `info` is a note. */
  severity: 'error' | 'warning' | 'info';
  /** For an error: the indication it leads to. */
  indication?: Exclude<Indication, 'TOTAL_PASSED'>;
  subIndication?: SubIndication;
  message: string;
}

/** What the verdict builder leaves in a report. */
export interface Verdict {
  indication: Indication;
  subIndication?: SubIndication;
  findings: Finding[];
  errors: string[];
  warnings: string[];
}

/**
 * The one verdict builder: findings go in, the indication is the worst of the errors' (TOTAL_FAILED over
 * INDETERMINATE), its sub-indication that of the first error of that indication, and `errors` lists the
 * messages most important first (by indication, then in the order found).
 *
 * @example
 * ```ts
 * const v = new VerdictBuilder();
 * v.fail('digest-mismatch', 'HASH_FAILURE', 'the signed bytes were altered');
 * v.warn('subfilter-unusual', 'unusual SubFilter');
 * Object.assign(report, v.verdict());
 * ```
 */
export class VerdictBuilder {
  readonly findings: Finding[] = [];

  /** A finding that makes the result TOTAL_FAILED. */
  fail(code: FindingCode, subIndication: SubIndication, message: string): void {
    this.findings.push({ code, severity: 'error', indication: 'TOTAL_FAILED', subIndication, message });
  }

  /** A finding that keeps the result from passing: INDETERMINATE, unless something failed. */
  doubt(code: FindingCode, subIndication: SubIndication, message: string): void {
    this.findings.push({ code, severity: 'error', indication: 'INDETERMINATE', subIndication, message });
  }

  warn(code: FindingCode, message: string): void {
    this.findings.push({ code, severity: 'warning', message });
  }

  /** Adds findings made elsewhere (another check's, a nested token's). */
  add(...findings: Finding[]): void {
    this.findings.push(...findings);
  }

  /** The indication so far. */
  get indication(): Indication {
    let worst: Indication = 'TOTAL_PASSED';
    for (const f of this.findings) if (f.indication) worst = worstIndication(worst, f.indication);
    return worst;
  }

  /** The verdict of the findings so far. */
  verdict(): Verdict {
    return verdictOf(this.findings);
  }
}

/** The verdict of a list of findings (see {@link VerdictBuilder}). */
export function verdictOf(findings: readonly Finding[]): Verdict {
  const errors = findings.filter((f) => f.severity === 'error');
  const failed = errors.filter((f) => f.indication === 'TOTAL_FAILED');
  const ordered = [...failed, ...errors.filter((f) => f.indication !== 'TOTAL_FAILED')];
  const first = ordered[0];
  return {
    indication: first?.indication ?? 'TOTAL_PASSED',
    ...(first?.subIndication && { subIndication: first.subIndication }),
    findings: [...findings],
    errors: ordered.map((f) => f.message),
    warnings: findings.filter((f) => f.severity === 'warning').map((f) => f.message),
  };
}
