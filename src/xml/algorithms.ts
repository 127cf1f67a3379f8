import type { DigestAlgorithm, SignatureAlgorithm } from '../core/algorithms.js';
import { NODE_NAMES } from '../crypto/digest.js';

// Algorithm identifiers of XMLDSig 1.1 and RFC 6931 ("Additional XML Security URIs").

const DIGEST_URIS: Record<DigestAlgorithm, string> = {
  'SHA-1': 'http://www.w3.org/2000/09/xmldsig#sha1',
  'SHA-256': 'http://www.w3.org/2001/04/xmlenc#sha256',
  'SHA-384': 'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'SHA-512': 'http://www.w3.org/2001/04/xmlenc#sha512',
  'SHA3-256': 'http://www.w3.org/2007/05/xmldsig-more#sha3-256',
  'SHA3-384': 'http://www.w3.org/2007/05/xmldsig-more#sha3-384',
  'SHA3-512': 'http://www.w3.org/2007/05/xmldsig-more#sha3-512',
};

/** The `DigestMethod/@Algorithm` URI of a digest. */
export function digestUri(hash: DigestAlgorithm): string {
  return DIGEST_URIS[hash];
}

/** The digest named by a `DigestMethod/@Algorithm` URI, or `undefined`. */
export function digestFromUri(uri: string): DigestAlgorithm | undefined {
  return (Object.keys(DIGEST_URIS) as DigestAlgorithm[]).find((h) => DIGEST_URIS[h] === uri);
}

/** The `SignatureMethod/@Algorithm` URI of a signature algorithm. */
export function signatureUri(alg: SignatureAlgorithm): string {
  const h = NODE_NAMES[alg.hash];
  switch (alg.scheme) {
    case 'RSASSA-PKCS1-v1_5':
      return alg.hash === 'SHA-1'
        ? 'http://www.w3.org/2000/09/xmldsig#rsa-sha1'
        : `http://www.w3.org/2001/04/xmldsig-more#rsa-${h}`;
    case 'ECDSA':
      return `http://www.w3.org/2001/04/xmldsig-more#ecdsa-${h}`;
    case 'RSA-PSS':
      return `http://www.w3.org/2007/05/xmldsig-more#${h}-rsa-MGF1`;
  }
}

const SIGNATURE_URIS = new Map<string, SignatureAlgorithm>();
for (const hash of Object.keys(NODE_NAMES) as DigestAlgorithm[]) {
  for (const scheme of ['RSASSA-PKCS1-v1_5', 'ECDSA', 'RSA-PSS'] as const)
    SIGNATURE_URIS.set(signatureUri({ scheme, hash }), { scheme, hash });
}

/** The signature algorithm named by a `SignatureMethod/@Algorithm` URI, or `undefined`. */
export function signatureFromUri(uri: string): SignatureAlgorithm | undefined {
  const alg = SIGNATURE_URIS.get(uri);
  return alg && { ...alg };
}

/** The enveloped-signature transform. */
export const ENVELOPED_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
/** `Reference/@Type` of XAdES signed properties. */
export const XADES_SIGNED_PROPERTIES_TYPE = 'http://uri.etsi.org/01903#SignedProperties';
