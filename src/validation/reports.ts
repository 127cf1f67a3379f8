import type { SignatureAlgorithm } from '../core/algorithms.js';
import type { KysoErrorCode } from '../core/errors.js';
import type { Indication, SubIndication } from '../core/indication.js';
import type { FieldLock, ModificationReport } from '../pdf/modification-analysis.js';
import type { PathValidationResult } from '../pki/chain.js';
import type { XmlCertificateFacts, XmlChainReport } from '../xml/certificates.js';
import type { EnvelopedRule } from '../xml/references.js';
import type { Finding } from './findings.js';
import type { SignerFacts } from './signer-check.js';

/** The reports of the verifiers, data first (JSON-serialisable): the renderers and policies read them. */

/** A timestamp found with a signature, checked. */
export interface TimestampReport {
  kind: 'signature-timestamp' | 'document-timestamp';
  genTime?: string;
  tsa?: string;
  valid: boolean;
  problems: string[];
}

/** Verification of one signature (or document timestamp) of a PDF. */
export interface PdfSignatureReport {
  /** 1-based, in the order of the revisions they sign (hidden signatures are numbered on their own). */
  index: number;
  /** Fully qualified name of the signature field; empty for a hidden signature. */
  fieldName: string;
  /**
   * Set when no signature field of the form shows this signature: `not-in-form` (a signature dictionary nothing
   * in the form refers to) or `superseded` (an older version of an object a later revision redefined).
   */
  hidden?: 'not-in-form' | 'superseded';
  kind: 'signature' | 'document-timestamp';
  subFilter?: string;
  /** 0-based index of the revision the signature covers. */
  revision?: number;
  byteRange?: number[];
  /** The claimed signing time, ISO 8601: `/M`, else the CMS signing-time attribute. Claimed, not proven. */
  claimedSigningTime?: string;
  /** Where the claimed signing time was read. */
  claimedSigningTimeSource?: '/M' | 'signing-time';
  /** Whether the signer's certificate was within its validity period at the claimed signing time. */
  certificateValidAtClaimedTime?: boolean;
  reason?: string;
  location?: string;
  contactInfo?: string;
  name?: string;
  /** DocMDP level when this is a certification signature. */
  certification?: { permissions: 1 | 2 | 3 };
  /** Fields this signature locks against later change (FieldMDP in its /Reference, or its field's /Lock). */
  fieldLocks?: FieldLock[];
  /** Its role in the workflow, when the signing tool recorded it (kyso: `approved`, `issued`, `appendix`, `copy`). */
  role?: string;
  /** The PAdES baseline level the signature reaches: B-B, B-T (trusted time), B-LT (validation data in the document), B-LTA (time-stamped validation data). */
  level?: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
  integrity: {
    /** /ByteRange is well formed, covers a whole revision but the /Contents gap, and the gap is this dictionary's /Contents. */
    byteRange: boolean;
    /** /Contents holds what the SubFilter requires: one SignerInfo, detached content (or an RFC 3161 token), a known digest. */
    format: boolean;
    /** The message digest (or timestamp imprint) equals the digest of the signed bytes. */
    digest: boolean | null;
    signatureValue: boolean | null;
    /** signing-certificate(-v2) names the signer: `match`, `mismatch` or `absent`. */
    signingCertificate: 'match' | 'mismatch' | 'absent';
  };
  digestAlgorithm?: string;
  signatureAlgorithm?: string;
  signer?: SignerFacts;
  chain?: PathValidationResult;
  timestamps: TimestampReport[];
  modifications?: ModificationReport;
  indication: Indication;
  subIndication?: SubIndication;
  /** Why not TOTAL_PASSED, most important first. */
  errors: string[];
  warnings: string[];
  /** Everything found, as data: the errors and warnings above with their stable codes. */
  findings: Finding[];
}

/**
 * Verification of a whole PDF. JSON-serialisable; its JSON form is documented by
 * docs/pdf-verification-report.schema.json, which changes only by addition within a `schemaVersion`.
 */
export interface PdfVerificationReport {
  /** The version of this report's shape (docs/pdf-verification-report.schema.json). */
  schemaVersion: 1;
  /** The worst indication over all signatures (INDETERMINATE when the document has none). */
  indication: Indication;
  subIndication?: SubIndication;
  /** The validation time used, ISO 8601. */
  validationTime: string;
  revisions: number;
  signatures: PdfSignatureReport[];
  /**
   * Signature dictionaries found in the bytes that no signature field shows, each verified like the others.
   * They do not count towards the document's indication (a viewer does not show them); a warning says they exist.
   */
  hiddenSignatures: PdfSignatureReport[];
  /** Empty signature fields, by name. */
  emptySignatureFields: string[];
  /** Problems of the document as a whole. */
  errors: string[];
  warnings: string[];
  /** The document's own findings (its errors and warnings with their stable codes). */
  findings: Finding[];
}

/** One Reference of a signature, as verified. */
export interface XmlReferenceReport {
  /** `Reference/@URI` (`""` is the whole document). */
  uri: string;
  /** `Reference/@Type`, e.g. XAdES SignedProperties. */
  type?: string;
  /** Path of the element the URI resolved to (`/HDon[1]/DLHDon[1]`); the root's path for `""`. */
  resolvedPath?: string;
  /** Transform algorithm URIs, in order. */
  transforms: string[];
  /** `DigestMethod/@Algorithm`. */
  digestMethod: string;
  /** True when the recomputed digest equals DigestValue. */
  digestValid: boolean;
  /**
   * Which enveloped-signature reading matched: `spec` (XMLDSig) or `dotnet` (.NET SignedXml, which
   * digests an in-signature Object as it stands). Absent when no digest matched.
   */
  rule?: EnvelopedRule;
  /** Why the reference could not be processed. */
  error?: string;
  /**
   * What was signed: the canonical octets this reference digested, as UTF-8 text (under the rule that
   * matched). Parse it with {@link parseSignedContent} for a fresh DOM; never read the input tree.
   */
  signedXml?: string;
  /** What was signed when the transforms end in binary data (Base64 transform), base64. */
  signedData?: string;
}

/** The time a signature claims it was made. */
export interface XmlSigningTime {
  /** The value as written. */
  value: string;
  /** ISO 8601 UTC instant; a value without a zone is read as Vietnam time (UTC+07:00). */
  time?: string;
  /** Where it was found. */
  source: 'SignatureProperty' | 'XAdES';
  /** True when a valid reference of the signature covers it; an unsigned time is only a claim. */
  signed: boolean;
}

/** A XAdES SignatureTimeStamp, checked. */
export interface XmlTimestampReport {
  /** The token's genTime, ISO 8601. */
  genTime?: string;
  /** The TSA name the token gives. */
  tsa?: string;
  /** Token signature, TSA certificate purpose and messageImprint over the SignatureValue all check out. */
  valid: boolean;
  problems: string[];
}

/** The profile's business element (the one an application reads) and whether exactly it was signed. */
export interface XmlBusinessElementReport {
  /** The profile path (`DLHDon`), or `document`. */
  rule: string;
  /** Path of the element found at that place, when exactly one was found. */
  path?: string;
  /** True when a valid reference resolved to exactly that element (or the whole document). */
  signed: boolean;
  /** Why not. */
  detail?: string;
  /** The signature references this very element, but its digest no longer matches: it changed after signing. */
  altered?: boolean;
}

/** Verification of one `Signature` element. */
export interface XmlSignatureReport {
  /** Path of the Signature element. */
  path: string;
  /** `Signature/@Id`. */
  id?: string;
  /** The profile role its place means (`seller`, `buyer`, `tax-authority`…). */
  role?: string;
  indication: Indication;
  subIndication?: SubIndication;
  /** Why the indication is not TOTAL_PASSED, most important first. */
  errors: string[];
  /** Things worth knowing that did not change the indication. */
  warnings: string[];
  /** True when structure, every reference digest and the SignatureValue check out (trust aside). */
  integrity: boolean;
  /** `CanonicalizationMethod/@Algorithm`. */
  canonicalizationMethod?: string;
  /** `SignatureMethod/@Algorithm`. */
  signatureMethod?: string;
  signatureAlgorithm?: SignatureAlgorithm;
  references: XmlReferenceReport[];
  /** Result of the SignatureValue check. */
  signatureValue: 'valid' | 'invalid' | 'not-checked';
  /** The certificate whose key verifies the SignatureValue. */
  certificate?: XmlCertificateFacts;
  /** The same certificate in the signer model every report uses (PDF, XML, CMS): names, MST/CCCD, key. */
  signer?: SignerFacts;
  /** The XAdES baseline level: B-T with a valid signature time-stamp, else B-B. */
  level?: 'B-B' | 'B-T';
  /** Everything found, as data: the errors and warnings with their stable codes. */
  findings: Finding[];
  /** Number of certificates in KeyInfo/X509Data. */
  keyInfoCertificates: number;
  chain: XmlChainReport;
  signingTime?: XmlSigningTime;
  /** Whether the signing certificate's validity period contains the (signed) signing time. */
  validAtSigningTime?: boolean;
  /** XAdES-T signature time-stamps (RFC 3161 tokens over the canonical SignatureValue). */
  timestamps?: XmlTimestampReport[];
  /** XAdES signed properties: whether covered, and whether SigningCertificate(V2) names the signer. */
  xades?: { signedPropertiesSigned: boolean; signingCertificate: 'match' | 'mismatch' | 'absent' };
  /** Algorithm policy: SHA-1 anywhere is flagged, and accepted only when `allowSha1` was set. */
  algorithms: { sha1: boolean; accepted: boolean };
  businessElement?: XmlBusinessElementReport;
}

/** Verification of a document. */
export interface XmlVerificationReport {
  /** The worst indication over all signatures. */
  indication: Indication;
  subIndication?: SubIndication;
  /** The profile applied, when one was. */
  profile?: string;
  signatures: XmlSignatureReport[];
  /** Document-level problems (unreadable XML, no signature). */
  errors: string[];
  /** The KysoError code when the document could not be read at all. */
  errorCode?: KysoErrorCode;
  /** The document's own findings (its errors with their stable codes; policy findings among them). */
  findings?: Finding[];
}

/** Verification of one SignerInfo of a detached CAdES signature. */
export interface DetachedSignerReport {
  indication: Indication;
  subIndication?: SubIndication;
  digest: boolean | null;
  signatureValue: boolean;
  signingTime?: string;
  /** The PAdES/CAdES baseline level: B-T with a valid signature time-stamp, else B-B. */
  level?: 'B-B' | 'B-T';
  signer?: SignerFacts;
  chain?: PathValidationResult;
  timestamps: TimestampReport[];
  errors: string[];
  warnings: string[];
  findings: Finding[];
}

/**
 * Verification of a detached CAdES signature: every SignerInfo in `signers`, the file passing only if all do.
 * The top-level fields but `indication`, `subIndication`, `errors`, `warnings` and `findings` are the first
 * signer's (kept for readers of one-signer reports).
 */
export interface DetachedVerificationReport extends DetachedSignerReport {
  /** Every SignerInfo, in the file's order. */
  signers: DetachedSignerReport[];
}
