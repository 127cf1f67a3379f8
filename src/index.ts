/**
 * kyso — sign, verify and timestamp e-government documents with X.509 certificates.
 *
 * The public API is a handful of verbs and their types; everything else is internal.
 * @packageDocumentation
 */
export { KysoError, isKysoError, type KysoErrorCode } from './core/errors.js';
export type { BinaryInput } from './core/bytes.js';
export type { DigestAlgorithm, SignatureAlgorithm, SignatureScheme } from './core/algorithms.js';
export type { Clock } from './core/clock.js';

// who signs
export {
  createCryptoKeySigner,
  createExternalSigner,
  createKeySigner,
  loadPkcs12Signer,
  openPkcs11Signer,
  listTokens,
  TOKEN_DRIVER_HINTS,
  findTokenDrivers,
  type TokenDriverHint,
  type FoundTokenDriver,
  type PinStatus,
  type Pkcs11Signer,
  type Pkcs11SignerOptions,
  type TokenListing,
  type AlgorithmPreference,
  type CryptoKeySignerOptions,
  type ExternalSignerOptions,
  type KeySignerOptions,
  type Pkcs12SignerOptions,
  type Signer,
} from './signers/index.js';
export {
  parseCertificate,
  splitCertificates,
  type Certificate,
  type CertificateInfo,
  type NameInfo,
  type KeyUsage,
} from './pki/certificate.js';
export { createSelfSignedCertificate, type SelfSignedOptions } from './pki/self-signed.js';

// PDF
export { signPdf, type SignPdfOptions, type PadesLevel } from './pades/sign-pades.js';
export { signPdfs, type SignPdfsOptions } from './pades/sign-pdfs.js';
export {
  preparePdfSigning,
  finishPdfSigning,
  type PdfSignatureFields,
  type PdfSignatureSubFilter,
  type PreparePdfSigningOptions,
  type PreparedPdfSigning,
  type PdfSigningState,
} from './pades/sign-pdf.js';

export { addSignatureField, type AddFieldOptions } from './pdf/signature-field.js';

// large files by path (Node)
export { signPdfFile, timestampPdfFile } from './pades/sign-pdf-file.js';
export type { SignPdfFileOptions } from './pdf/pdf-file.js';
export { verifyPdfFile } from './pades/verify-pdf-file.js';
export { addLtvFile } from './pades/add-ltv-file.js';

// visible signatures (Decree 30/2020)
export {
  type AppearanceOptions,
  type AppearancePreset,
  type AppearancePlacement,
} from './pdf/appearance/appearance.js';
export {
  previewPdfSignature,
  type PreviewPdfSignatureOptions,
  type PdfSignaturePreview,
} from './pades/preview-signature.js';

// verification
export { verifyPdf, type VerifyPdfOptions, type SignerFacts } from './pades/verify-pdf.js';
export { inspectPdf, type PdfInspection } from './pades/inspect-pdf.js';
export { renderPdfReport } from './validation/render-text.js';
export {
  renderReport,
  renderUnreadable,
  reportMessages,
  type RenderReportOptions,
  type VerificationReport,
} from './validation/render/render-report.js';
export { localeFromEnvironment, type Catalogue, type Locale } from './validation/render/messages/index.js';
export type { ValidationPolicy, ConstraintLevel, RequiredSigner, BaselineLevel } from './validation/policy.js';
export {
  createValidationContext,
  type ValidationContext,
  type ValidationOptions,
  type RevocationMode,
} from './validation/context.js';
export { FINDING_CODES, type Finding, type FindingCode } from './validation/findings.js';
export type { TrustInput } from './pki/trust-input.js';
export type { ModificationReport, PdfChange, ChangeStatus, FieldLock } from './pdf/modification-analysis.js';
export type { Indication, SubIndication } from './core/indication.js';
export { createTrustStore, mergeTrustStores, type TrustStore, type IssuerSource } from './pki/trust-store.js';
export { vnTrustStore, vnTrustBundle, isVnTrustName, VN_TRUST_NAMES, type VnTrustName } from './pki/vn-trust.js';
export { TrustPinError, type BundledCertificate } from './pki/trust-bundle.js';
export { withIssuerFetching, fetchCaIssuers, type IssuerFetchOptions } from './pki/issuer-fetch.js';
export { loadTrustFolder, userTrustFolder, trustFolderFiles, type TrustFolderFile } from './pki/trust-folder.js';
export { diagnoseNoChain, type MissingIssuer, type NoChainDiagnosis } from './pki/missing-issuer.js';
export { CERTIFICATE_SIGNATURE_CUTOFFS } from './pki/algorithm-dates.js';
export {
  validateCertificatePath,
  type PathValidationResult,
  type PathValidationOptions,
  type CertificatePurpose,
} from './pki/chain.js';

// time-stamps
export { timestampPdf, type TimestampPdfOptions } from './pades/timestamp-pdf.js';
export { timestamp, type TimestampDataOptions, type TimestampResult } from './tsa/timestamp-data.js';
export {
  HttpTimestampSource,
  type HttpTimestampSourceOptions,
  type TimestampSource,
  type TimestampOptions,
  type TimestampToken,
} from './tsa/index.js';
export { verifyTimestamp, type TimestampVerificationReport } from './validation/verify-timestamp.js';

// XML declarations and e-invoices
export { signXml, type SignXmlOptions } from './xades/sign-xml.js';
export { verifyXml, parseSignedContent, type VerifyXmlOptions } from './xades/verify-xml.js';
export {
  PROFILES,
  type ProfileName,
  type ProfileDefinition,
  type ProfileDocument,
  type ProfileRole,
} from './xml/profiles.js';
export { renderXmlReport } from './validation/render-text.js';

// CAdES for any file
export {
  signDetached,
  verifyDetached,
  prepareDetachedSigning,
  finishDetachedSigning,
  type SignDetachedOptions,
  type DetachedData,
  type DetachedSigningState,
} from './cades/detached.js';
export {
  prepareXmlSigning,
  finishXmlSigning,
  type XmlSigningState,
  type PrepareXmlSigningOptions,
} from './xades/staged-xml.js';

// long-term validation
export { addLtv, type AddLtvOptions, type AddLtvResult } from './pades/add-ltv.js';
export {
  checkRevocation,
  type RevocationCheck,
  type RevocationData,
  type RevocationOptions,
} from './pki/revocation.js';
export { fetchOcsp, checkOcspResponse, type OcspStatus, type FetchOcspOptions } from './pki/ocsp.js';
export { fetchCrl, checkCrl, type Crl, type CrlStatus } from './pki/crl.js';
export type { RevocationSignature, RevocationSignatureCheck } from './pki/revocation-signature.js';

// remote (hash) signing services
export {
  CscClient,
  signHashesRemotely,
  type RemoteSigningService,
  type SignHashAnswer,
  type TransactionState,
  type CscClientOptions,
  type RemoteSignOptions,
} from './signers/remote-signing.js';
export { signPdfsRemotely, type RemotePdfSigningOptions } from './pades/remote-batch.js';

// types that appear in the signatures and reports above, exported so that a caller can name them
export type { CertificateFacts, ExtensionFacts, PublicKeyFacts } from './pki/certificate-facts.js';
export type { HttpTransportOptions } from './core/http.js';
export type { NameAttribute } from './pki/name.js';
export type { PathRevocation } from './pki/chain.js';
export type { C14nMethod } from './xml/c14n.js';
export type { XmlLimits } from './xml/scan.js';
export type { ParsedSignedData } from './cms/parse-signed-data.js';
export type { XmlTrust, XmlCertificateFacts, XmlChainReport } from './xml/certificates.js';
export type { EnvelopedRule } from './xml/references.js';

export type {
  DetachedSignerReport,
  DetachedVerificationReport,
  PdfSignatureReport,
  PdfVerificationReport,
  TimestampReport,
  XmlBusinessElementReport,
  XmlReferenceReport,
  XmlSignatureReport,
  XmlSigningTime,
  XmlTimestampReport,
  XmlVerificationReport,
} from './validation/reports.js';
