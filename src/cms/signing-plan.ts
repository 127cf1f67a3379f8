import { assertSigningDigest, type SignatureAlgorithm } from '../core/algorithms.js';
import { signedAttributesEncoder } from './signed-attributes.js';
import { signedDataAssembler } from './signed-data.js';
import { signerCertificate } from './signer-certificate.js';

/**
 * What one signing certificate, its chain and an algorithm give every signature made with them, worked out
 * once: a batch signs document after document and only the content digest and the signature value change.
 */
export interface CmsSigningPlan {
  algorithm: SignatureAlgorithm;
  /** DER of the signing certificate, as it was when the plan was made. */
  certificate: Uint8Array;
  /** The DER signed attributes (content-type, message-digest, signing-certificate-v2) for a content digest. */
  signedAttributes(contentDigest: Uint8Array): Uint8Array;
  /** The DER ContentInfo of the detached SignedData around the signed attributes and their signature. */
  assemble(signedAttributes: Uint8Array, signature: Uint8Array): Uint8Array;
}

/**
 * A {@link CmsSigningPlan}: {@link buildSignedAttributes} and {@link assembleSignedData} (with their
 * defaults) for one signer. It keeps copies of the certificates: a caller that refills its buffers later
 * does not change what the plan signs.
 */
export async function cmsSigningPlan(
  certificate: Uint8Array,
  chain: readonly Uint8Array[],
  algorithm: SignatureAlgorithm,
): Promise<CmsSigningPlan> {
  assertSigningDigest(algorithm.hash);
  const cert = certificate.slice();
  const signer = signerCertificate(cert);
  const certHash = await signer.hash(algorithm.hash);
  return {
    algorithm,
    certificate: cert,
    signedAttributes: signedAttributesEncoder({ hash: algorithm.hash }, signer.facts, certHash),
    assemble: signedDataAssembler({ certificate: cert, chain: chain.map((c) => c.slice()), algorithm }),
  };
}
