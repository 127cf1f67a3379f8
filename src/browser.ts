/**
 * kyso for browsers: signing and verification of PDFs and CMS, time-stamps and revocation through `fetch`,
 * keys as WebCrypto CryptoKeys (non-extractable ones too), PKCS#12 files or external signers. No Node built-in
 * is needed.
 * @packageDocumentation
 */
export { KysoError, isKysoError, type KysoErrorCode } from './core/errors.js';
export type { BinaryInput } from './core/bytes.js';
export type { DigestAlgorithm, SignatureAlgorithm, SignatureScheme } from './core/algorithms.js';
export type { Indication, SubIndication } from './core/indication.js';
export type { Signer } from './signers/signer.js';
export { createCryptoKeySigner, type CryptoKeySignerOptions } from './signers/crypto-key-signer.js';
export { createKeySigner, type KeySignerOptions } from './signers/key-signer.js';
export { loadPkcs12Signer, type Pkcs12SignerOptions } from './signers/pkcs12-signer.js';
export { createExternalSigner, type ExternalSignerOptions } from './signers/external-signer.js';
export { CscClient, signHashesRemotely, type RemoteSigningService } from './signers/remote-signing.js';
export { parseCertificate, type Certificate, type CertificateInfo } from './pki/certificate.js';
export { createSelfSignedCertificate, type SelfSignedOptions } from './pki/self-signed.js';
export { createTrustStore, mergeTrustStores, type TrustStore, type IssuerSource } from './pki/trust-store.js';
export { vnTrustStore, vnTrustBundle, isVnTrustName, VN_TRUST_NAMES, type VnTrustName } from './pki/vn-trust.js';
export { TrustPinError, type BundledCertificate } from './pki/trust-bundle.js';
export { withIssuerFetching, fetchCaIssuers, type IssuerFetchOptions } from './pki/issuer-fetch.js';
export { type MissingIssuer } from './pki/missing-issuer.js';
export { signPdf, type SignPdfOptions, type PadesLevel } from './pades/sign-pades.js';
export { preparePdfSigning, finishPdfSigning, type PdfSigningState } from './pades/sign-pdf.js';
export { timestampPdf } from './pades/timestamp-pdf.js';
export { addSignatureField } from './pdf/signature-field.js';
export { signPdfsRemotely } from './pades/remote-batch.js';
export { verifyPdf, type VerifyPdfOptions } from './pades/verify-pdf.js';
export { inspectPdf } from './pades/inspect-pdf.js';
export { renderPdfReport } from './validation/render-text.js';
export {
  renderReport,
  renderUnreadable,
  reportMessages,
  type RenderReportOptions,
  type VerificationReport,
} from './validation/render/render-report.js';
export type { Catalogue, Locale } from './validation/render/messages/index.js';
export { verifyTimestamp, type TimestampVerificationReport } from './validation/verify-timestamp.js';
export { addLtv } from './pades/add-ltv.js';
export { signDetached, verifyDetached } from './cades/detached.js';
export { HttpTimestampSource, type TimestampSource } from './tsa/index.js';
export { timestamp } from './tsa/timestamp-data.js';
export { signXml, type SignXmlOptions } from './xades/sign-xml.js';
export { verifyXml } from './xades/verify-xml.js';
export type { PdfVerificationReport, XmlVerificationReport } from './validation/reports.js';
