import type { Indication, SubIndication } from '../../core/indication.js';
import type { PathValidationResult } from '../../pki/chain.js';
import type { ChangeStatus, ModificationReport, PdfChange } from '../../pdf/modification-analysis.js';
import type { PdfSignatureReport } from '../reports.js';
import { FINDING_CODES } from '../findings.js';

/*
 * Every code a verification report carries that a person reads: the message catalogues are keyed by these lists,
 * and the completeness test walks them, so a code added here without a text in each language fails the tests.
 * The `satisfies` clauses keep each list inside its type; `Exhaustive` below keeps it complete.
 */

export const INDICATIONS = ['TOTAL_PASSED', 'INDETERMINATE', 'TOTAL_FAILED'] as const satisfies readonly Indication[];

export const SUB_INDICATIONS = [
  'FORMAT_FAILURE',
  'HASH_FAILURE',
  'SIG_CRYPTO_FAILURE',
  'SIGNED_DATA_NOT_FOUND',
  'NO_SIGNING_CERTIFICATE_FOUND',
  'NO_CERTIFICATE_CHAIN_FOUND',
  'CHAIN_CONSTRAINTS_FAILURE',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE',
  'SIG_CONSTRAINTS_FAILURE',
  'OUT_OF_BOUNDS_NO_POE',
  'OUT_OF_BOUNDS_NOT_REVOKED',
  'REVOKED',
  'REVOKED_NO_POE',
  'TRY_LATER',
  'EXPIRED',
  'NOT_YET_VALID',
  'REVOCATION_OUT_OF_BOUNDS_NO_POE',
] as const satisfies readonly SubIndication[];

export type ChangeKind = PdfChange['kind'];
export const CHANGE_KINDS = [
  'signature',
  'document-timestamp',
  'form-field',
  'dss',
  'annotation',
  'metadata',
  'page-content',
  'pages',
  'catalog',
  'trailer',
  'object-overwritten',
  'object-defined-late',
  'object-deleted',
  'appended-without-xref',
  'trailing-bytes',
  'unreadable-revision',
] as const satisfies readonly ChangeKind[];

export const CHANGE_STATUSES = ['permitted', 'reported', 'not-permitted'] as const satisfies readonly ChangeStatus[];

export type CoverageVerdict = ModificationReport['verdict'];
export const COVERAGE_VERDICTS = [
  'whole-document',
  'permitted-changes',
  'changes-reported',
  'not-permitted-changes',
] as const satisfies readonly CoverageVerdict[];

export type ChainStatus = PathValidationResult['status'];
export const CHAIN_STATUSES = [
  'valid',
  'no-chain',
  'expired',
  'not-yet-valid',
  'signature-invalid',
  'not-ca',
  'key-usage',
  'revoked',
  'constraints',
  'algorithm',
  'revocation-unknown',
] as const satisfies readonly ChainStatus[];

export type PadesLevel = NonNullable<PdfSignatureReport['level']>;
export const PADES_LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'] as const satisfies readonly PadesLevel[];

/** The code lists by catalogue section: what the completeness test enumerates. */
export const MESSAGE_CODES = {
  verdict: INDICATIONS,
  subIndication: SUB_INDICATIONS,
  change: CHANGE_KINDS,
  changeStatus: CHANGE_STATUSES,
  coverage: COVERAGE_VERDICTS,
  chainStatus: CHAIN_STATUSES,
  level: PADES_LEVELS,
  finding: FINDING_CODES,
} as const;

/** `true` when `List` names every member of `Union`: a new member of a report's type without a list entry does not compile. */
type Exhaustive<Union, List extends readonly unknown[]> = [Exclude<Union, List[number]>] extends [never] ? true : false;
export type CodeListsComplete = [
  Exhaustive<Indication, typeof INDICATIONS>,
  Exhaustive<SubIndication, typeof SUB_INDICATIONS>,
  Exhaustive<ChangeKind, typeof CHANGE_KINDS>,
  Exhaustive<ChangeStatus, typeof CHANGE_STATUSES>,
  Exhaustive<CoverageVerdict, typeof COVERAGE_VERDICTS>,
  Exhaustive<ChainStatus, typeof CHAIN_STATUSES>,
  Exhaustive<PadesLevel, typeof PADES_LEVELS>,
];
