import { digestLength, type SignatureAlgorithm } from '../core/algorithms.js';
import { bytesEqual, isPem, toHex, type BinaryInput } from '../core/bytes.js';
import { isKysoError } from '../core/errors.js';
import { digest } from '../crypto/digest.js';
import { certificateFacts, type CertificateFacts, type PublicKeyFacts } from '../pki/certificate-facts.js';
import { inputBytes } from '../core/der.js';
import { formatName } from '../pki/name.js';
import { parseCertificate } from '../pki/certificate.js';
import type { EssCertId, ParsedSignedData, ParsedSignerInfo, SignerIdentifier } from './parse-signed-data.js';
import type { Problem as CmsProblem } from '../core/problem.js';
import { verifyWithCertificate } from '../pki/public-key.js';

/** Options of {@link verifySignerInfo}. */
export interface VerifySignerInfoOptions {
  /** Digest of the detached content, made by the caller with `signerInfo.digestAlgorithm`. */
  contentDigest?: BinaryInput;
  /**
   * The detached content itself. Needed only when the SignerInfo has no signed attributes (the signature
   * then covers the content directly); otherwise `contentDigest` is enough. Default: the eContent, if any.
   */
  content?: BinaryInput;
  /** Further certificates in which to look for the signer's (e.g. from a PDF's DSS). Default: none. */
  extraCertificates?: readonly BinaryInput[];
}

/** Outcome of {@link verifySignerInfo}: facts, not a verdict — the validation layer weighs them. */
export interface SignerInfoVerification {
  /** DER of the certificate the SignerInfo identifies, when found. */
  signerCertificate?: Uint8Array;
  /** That certificate's public key (type and size), for the algorithm policy. */
  signerKey?: PublicKeyFacts;
  /** Whether the message-digest attribute equals the content's digest; undefined when no content or digest was given. */
  messageDigestValid: boolean | undefined;
  /** Whether the signature value verifies with the signer certificate's key. */
  signatureValid: boolean;
  /** The signature algorithm verified with. */
  algorithm?: SignatureAlgorithm;
  /** Whether signing-certificate(-v2) pins the signer certificate; undefined when the attribute or certificate is absent. */
  signingCertificateAttributeMatches?: boolean;
  /** Everything found wrong or unverifiable, including the SignerInfo's own reading problems. */
  problems: CmsProblem[];
}

/**
 * Checks one SignerInfo of a parsed SignedData: finds its certificate, checks the message digest against
 * the content and the signature with WebCrypto, and checks the signing-certificate attribute. Never throws
 * for bad input: every failure is a `problems` entry.
 *
 * @example
 * ```ts
 * const cms = parseSignedData(der);
 * const signer = cms.signerInfos[0];
 * const r = await verifySignerInfo(cms, signer, { contentDigest: await digest(signer.digestAlgorithm, data) });
 * if (r.signatureValid && r.messageDigestValid) console.log('intact');
 * ```
 */
export async function verifySignerInfo(
  signed: ParsedSignedData,
  signerInfo: ParsedSignerInfo,
  options: VerifySignerInfoOptions = {},
): Promise<SignerInfoVerification> {
  const problems: CmsProblem[] = [...signerInfo.problems];
  const algorithm = signerInfo.signatureAlgorithm;
  const candidates = [
    ...signed.certificates,
    ...(options.extraCertificates ?? []).map((c) => inputBytes(c, 'extraCertificates')),
  ];
  const cert = await findSignerCertificate(signerInfo.sid, candidates);
  const content = options.content !== undefined ? inputBytes(options.content, 'content') : signed.eContent;
  const contentDigest =
    options.contentDigest !== undefined ? inputBytes(options.contentDigest, 'contentDigest') : undefined;

  let messageDigestValid: boolean | undefined;
  let data: Uint8Array | undefined;
  if (signerInfo.signedAttributes) {
    data = signerInfo.signedAttributes;
    messageDigestValid = await checkMessageDigest(signerInfo, contentDigest, content, problems);
    if (!signerInfo.contentType)
      problems.push({ code: 'content-type-missing', message: 'the signed attributes have no content-type' });
    else if (signerInfo.contentType !== signed.encapContentType) {
      problems.push({
        code: 'content-type-mismatch',
        message: `content-type ${signerInfo.contentType} differs from eContentType ${signed.encapContentType}`,
      });
    }
  } else {
    data = content;
    if (!data)
      problems.push({
        code: 'content-required',
        message: 'without signed attributes the signature covers the content itself; pass `content`',
      });
  }

  let signatureValid = false;
  if (!cert) {
    problems.push({
      code: 'signer-certificate-not-found',
      message: `no certificate matches the signer identifier ${describeSid(signerInfo.sid)}`,
    });
  } else if (!algorithm) {
    if (!problems.some((p) => p.code === 'unsupported-algorithm')) {
      problems.push({
        code: 'unsupported-algorithm',
        message: `signature algorithm ${signerInfo.signatureAlgorithmOid} is not supported`,
      });
    }
  } else if (data) {
    const check = await verifyWithCertificate(cert, algorithm, signerInfo.signature, data, {
      saltLength: signerInfo.pss?.saltLength,
    });
    signatureValid = check.valid;
    problems.push(...check.problems);
    if (!check.valid && check.problems.length === 0)
      problems.push({ code: 'signature-invalid', message: 'the signature value does not verify' });
  }

  const signingCertificateAttributeMatches = cert
    ? await checkSigningCertificate(signerInfo, cert, problems)
    : undefined;
  return {
    ...(cert && { signerCertificate: cert.der, signerKey: cert.key }),
    messageDigestValid,
    signatureValid,
    ...(algorithm && { algorithm }),
    ...(signingCertificateAttributeMatches !== undefined && { signingCertificateAttributeMatches }),
    problems,
  };
}

async function checkMessageDigest(
  signerInfo: ParsedSignerInfo,
  contentDigest: Uint8Array | undefined,
  content: Uint8Array | undefined,
  problems: CmsProblem[],
): Promise<boolean | undefined> {
  const hash = signerInfo.digestAlgorithm;
  if (!signerInfo.messageDigest) {
    problems.push({ code: 'message-digest-missing', message: 'the signed attributes have no (single) message-digest' });
    return false;
  }
  if (contentDigest === undefined && content === undefined) return undefined;
  if (!hash) {
    problems.push({
      code: 'unsupported-algorithm',
      message: `digest algorithm ${signerInfo.digestAlgorithmOid} is not supported`,
    });
    return undefined;
  }
  const expected = contentDigest ?? (await digest(hash, content!));
  if (expected.length !== digestLength(hash)) {
    problems.push({
      code: 'message-digest-mismatch',
      message: `the given content digest has ${expected.length} bytes; ${hash} has ${digestLength(hash)}`,
    });
    return false;
  }
  const ok = bytesEqual(expected, signerInfo.messageDigest);
  if (!ok)
    problems.push({
      code: 'message-digest-mismatch',
      message: 'the message-digest attribute does not match the content',
    });
  return ok;
}

async function checkSigningCertificate(
  signerInfo: ParsedSignerInfo,
  cert: CertificateFacts,
  problems: CmsProblem[],
): Promise<boolean | undefined> {
  const id = signerInfo.signingCertificateV2 ?? signerInfo.signingCertificate;
  if (!id) return undefined;
  const ok = await essCertIdMatches(id, cert);
  if (ok === undefined) {
    problems.push({
      code: 'unsupported-algorithm',
      message: `signing-certificate hash algorithm ${id.hashAlgorithmOid} is not supported`,
    });
  } else if (!ok) {
    problems.push({
      code: 'signing-certificate-mismatch',
      message: 'the signing-certificate attribute does not identify the signer certificate',
    });
  }
  return ok;
}

/** Whether an ESSCertID(v2) pins `cert` (hash, and issuer/serial when given); undefined for an unknown hash. */
export async function essCertIdMatches(id: EssCertId, cert: CertificateFacts): Promise<boolean | undefined> {
  if (!id.hashAlgorithm) return undefined;
  if (!bytesEqual(await digest(id.hashAlgorithm, cert.der), id.certHash)) return false;
  if (!id.issuerSerial) return true;
  return (
    serialEquals(id.issuerSerial.serialNumber, toHex(cert.serialNumber)) &&
    id.issuerSerial.issuer.some((name) => namesEqual(name, cert.issuer))
  );
}

/**
 * The certificate among `candidates` that a SignerIdentifier names: by issuer and serial number, or by
 * subjectKeyIdentifier (the extension, or else the SHA-1 of the public key as RFC 5280 §4.2.1.2 derives it).
 */
export async function findSignerCertificate(
  sid: SignerIdentifier,
  candidates: readonly Uint8Array[],
): Promise<CertificateFacts | undefined> {
  const certs = await decodeCertificates(candidates);
  const found = certs.find((c) => matchesSignerIdentifier(sid, c));
  if (found || 'issuer' in sid) return found;
  for (const cert of certs) {
    if (!cert.subjectKeyIdentifier && toHex(await digest('SHA-1', cert.publicKeyBits)) === sid.subjectKeyIdentifier)
      return cert;
  }
  return undefined;
}

/**
 * Synchronous {@link findSignerCertificate} without the derived key identifier: enough for reading,
 * where a certificate without the extension is merely not pointed at.
 */
export function matchSignerCertificate(
  sid: SignerIdentifier,
  candidates: readonly Uint8Array[],
): CertificateFacts | undefined {
  return readCertificates(candidates).find((c) => matchesSignerIdentifier(sid, c));
}

/**
 * {@link readCertificates}, through the cache of decoded certificates: the signer's certificate and its CA
 * come with every signature of a batch.
 */
async function decodeCertificates(candidates: readonly Uint8Array[]): Promise<CertificateFacts[]> {
  const out: CertificateFacts[] = [];
  for (const der of candidates) {
    // PEM text is no CMS certificate, and a certificate the cache refuses is read as before
    const decoded = isPem(der) ? undefined : await parseCertificate(der).catch(() => undefined);
    if (decoded) out.push(decoded.facts);
    else out.push(...readCertificates([der]));
  }
  return out;
}

function readCertificates(candidates: readonly Uint8Array[]): CertificateFacts[] {
  const out: CertificateFacts[] = [];
  for (const der of candidates) {
    try {
      out.push(certificateFacts(der));
    } catch (e) {
      if (!isKysoError(e)) throw e;
    }
  }
  return out;
}

function matchesSignerIdentifier(sid: SignerIdentifier, cert: CertificateFacts): boolean {
  if ('issuer' in sid)
    return serialEquals(sid.serialNumber, toHex(cert.serialNumber)) && namesEqual(sid.issuer, cert.issuer);
  return cert.subjectKeyIdentifier !== undefined && toHex(cert.subjectKeyIdentifier) === sid.subjectKeyIdentifier;
}

/** True when two hexadecimal INTEGER contents denote the same number (leading zero octets ignored). */
export function serialEquals(a: string, b: string): boolean {
  const strip = (s: string) => s.replace(/^(00)+(?=..)/, '');
  return strip(a) === strip(b);
}

/** Byte equality, else equality of the readable forms (the same text under another string type). */
function namesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (bytesEqual(a, b)) return true;
  try {
    return formatName(a).toLowerCase() === formatName(b).toLowerCase();
  } catch {
    return false;
  }
}

function describeSid(sid: SignerIdentifier): string {
  return 'issuer' in sid
    ? `issuer "${sid.issuerName}", serial ${sid.serialNumber}`
    : `subjectKeyIdentifier ${sid.subjectKeyIdentifier}`;
}
