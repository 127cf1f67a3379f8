/**
 * CMS SignedData (CAdES / PAdES): build in stages (signed attributes → signature → assembly), add
 * unsigned attributes after signing, estimate sizes, parse and verify. pkijs/asn1js never leave this
 * folder and tsa/: callers see bytes and plain objects.
 */
export {
  buildSignedAttributes,
  encodeAttribute,
  type CmsAttribute,
  type SignedAttributesOptions,
} from './signed-attributes.js';
export {
  addUnsignedAttribute,
  assembleSignedData,
  estimateSignedDataSize,
  signDetachedDigest,
  type AddUnsignedAttributeOptions,
  type AssembleSignedDataOptions,
  type SignDetachedDigestOptions,
  type SignedDataSizeOptions,
} from './signed-data.js';
export { cmsSigningPlan, type CmsSigningPlan } from './signing-plan.js';
export {
  MAX_SIGNED_DATA_SIZE,
  parseSignedData,
  type EssCertId,
  type OtherRevocationInfo,
  type ParsedSignedData,
  type ParsedSignerInfo,
  type RevocationInfoArchival,
  type SignerIdentifier,
} from './parse-signed-data.js';
export { verifySignerInfo, type SignerInfoVerification, type VerifySignerInfoOptions } from './verify-signer-info.js';
export type { PssParameters } from './algorithm-identifiers.js';
export type { Problem as CmsProblem } from '../core/problem.js';
