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
  chooseAlgorithm,
  createCryptoKeySigner,
  createExternalSigner,
  createKeySigner,
  loadPkcs12Signer,
  type AlgorithmPreference,
  type CryptoKeySignerOptions,
  type ExternalSignerOptions,
  type KeySignerOptions,
  type Pkcs12SignerOptions,
  type Signer,
} from './signers/index.js';
export { parseCertificate, type Certificate, type CertificateInfo, type NameInfo, type KeyUsage } from './pki/certificate.js';

// PDF
export {
  signPdf,
  preparePdfSigning,
  finishPdfSigning,
  type SignPdfOptions,
  type PdfSignatureFields,
  type PdfSignatureSubFilter,
  type PreparePdfSigningOptions,
  type PreparedPdfSigning,
  type PdfSigningState,
} from './pdf/sign-pdf.js';
