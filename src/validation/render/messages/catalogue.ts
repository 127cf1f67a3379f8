import type { Indication, SubIndication } from '../../../core/indication.js';
import type { FindingCode } from '../../findings.js';
import type { ChangeStatus } from '../../../pdf/modification-analysis.js';
import type { ChainStatus, ChangeKind, CoverageVerdict, PadesLevel } from '../codes.js';

/** The languages reports are written in. */
export type Locale = 'vi' | 'en';

/** Counts and names a sentence needs: messages with parameters are small functions, still one per language. */
type Text<P> = (p: P) => string;

/**
 * Everything a report says to a person, in one language: one map per code list of ./codes.ts (keyed by code),
 * the line labels, and the few sentences with parameters.
 */
export interface Catalogue {
  locale: Locale;
  /** Labels are padded to this width so that values line up. */
  labelWidth: number;
  /** The verdict of a signature or a document. */
  verdict: Record<Indication, string>;
  /** The verdict of a time-stamp (`.tsr`). */
  timestampVerdict: Record<Indication, string>;
  /** What a sub-indication means, in plain words. */
  subIndication: Record<SubIndication, string>;
  /** What a finding of a verifier means, in plain words (its message adds the technical detail). */
  finding: Record<FindingCode, string>;
  /** Why a signature failed when the cause is a change after signing that is not permitted. */
  changedAfterSigning: string;
  /** What a change after signing is, in a clerk's words. */
  change: Record<ChangeKind, string>;
  changeStatus: Record<ChangeStatus, string>;
  coverage: Record<CoverageVerdict, string>;
  chainStatus: Record<ChainStatus, string>;
  level: Record<PadesLevel, string>;
  docMdp: Record<1 | 2 | 3, string>;
  label: Record<
    | 'signer'
    | 'organisation'
    | 'issuer'
    | 'certificate'
    | 'signedAt'
    | 'timestamp'
    | 'reason'
    | 'location'
    | 'integrity'
    | 'algorithms'
    | 'trust'
    | 'level'
    | 'certifies'
    | 'locks'
    | 'coverage'
    | 'why'
    | 'signedData'
    | 'tsa'
    | 'serial',
    string
  >;
  text: {
    /** The signature block's title: `Signature #1 "Signature1"`. */
    signatureTitle: Text<{
      kind: 'signature' | 'certification' | 'document-timestamp' | 'hidden';
      index: number;
      field: string;
      hidden?: 'not-in-form' | 'superseded';
      role?: string;
    }>;
    /** A signer's role in a workflow or an XML profile (`approved`, `seller`…), as this language names it. */
    role: Text<string>;
    /** `orphans`: signatures found only outside the form (a merged or re-saved copy): they no longer cover the document. */
    pdfHead: Text<{ signatures: number; revisions: number; orphans: number }>;
    xmlHead: Text<{ signatures: number; profile?: string }>;
    xmlSignatureTitle: Text<{ index: number; path: string; role?: string }>;
    detachedHead: string;
    /** The head line's note when a detached signature holds several signers. */
    detachedSigners: Text<number>;
    detachedSignerTitle: Text<number>;
    timestampHead: string;
    /** A time, as this language writes it (in Vietnam's time zone). */
    time: Text<Date>;
    day: Text<Date>;
    claimedTime: Text<{ source: '/M' | 'signing-time'; validThen?: boolean }>;
    timestampLine: Text<{ time?: string; tsa?: string; valid: boolean }>;
    certificate: Text<{ from: string; to: string; key: string; keyUsage?: string; serial: string }>;
    pdfIntegrity: Text<{
      byteRange: boolean;
      format: boolean;
      digest: boolean | null;
      signatureValue: boolean | null;
      signingCertificate: 'match' | 'mismatch' | 'absent';
    }>;
    digestAlgorithm: Text<string>;
    trustChain: Text<string>;
    certifies: Text<1 | 2 | 3>;
    locks: Text<{ action: 'All' | 'Include' | 'Exclude'; fields: string[] }>;
    signsRevision: Text<number>;
    change: Text<{ status: ChangeStatus; kind: ChangeKind; detail: string; field?: string }>;
    emptyFields: Text<string[]>;
    xmlSigningTime: Text<{ time: string; signed: boolean }>;
    xmlIntegrity: Text<{ ok: boolean; references: { uri: string; ok: boolean }[] }>;
    xmlSignedData: Text<{ signed: boolean; altered?: boolean; what: string }>;
    /** Without a profile: the elements the valid references cover. */
    xmlSignedWithoutProfile: Text<string[]>;
    detachedSigner: Text<string>;
    timestampImprint: Text<boolean>;
    /** A file that could not be verified at all (not a PDF, broken beyond reading…). */
    unreadable: Text<{ message: string; code: string }>;
    /** How a technical detail (kyso's own English) is introduced; empty in English. */
    technicalDetail: string;
  };
}
