import type { DigestAlgorithm, SignatureAlgorithm } from '../core/algorithms.js';
import type { Certificate } from './certificate.js';
import { signedStructureAlgorithm } from './revocation-signature.js';

/**
 * The last day on which a certificate signature with each digest is still accepted, as DSS's cryptographic
 * constraints give an expiry date per algorithm. A certificate signature is judged at the time it was made
 * (the certificate's notBefore, which the issuer signed), not at the validation time: a SHA-1 certificate
 * issued while SHA-1 was current stays a sound link in a path.
 *
 * SHA-1's date is the end of 2024: the last Vietnamese SHA-1 issuance known (the first government hierarchy,
 * whose sub-CAs issued until about 2024; the public CAs' SHA-1 sub-CAs of 2019 under MIC National Root CA).
 * A SHA-1 certificate signed later is refused (a chosen-prefix collision needs a CA still signing SHA-1).
 */
export const CERTIFICATE_SIGNATURE_CUTOFFS: Readonly<Partial<Record<DigestAlgorithm, Date>>> = {
  'SHA-1': new Date('2025-01-01T00:00:00Z'),
};

/** What {@link judgeCertificateSignatures} found: a refusal, or notes saying where the date rule was used. */
export interface AlgorithmJudgement {
  /** Why a certificate's signature algorithm is not acceptable. */
  refused?: string;
  /** One line per certificate accepted only because its signature predates its algorithm's cutoff. */
  notes: string[];
}

/** The algorithm of a certificate's own signature (the one its issuer made), when it names a digest. */
export function certificateSignatureAlgorithm(cert: Certificate): SignatureAlgorithm | undefined {
  try {
    const { scheme, hash } = signedStructureAlgorithm(cert.der);
    return scheme && hash ? { scheme, hash } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Judges the signature algorithm of each certificate of a path but its anchor (an anchor is trusted by its
 * fingerprint, so the algorithm of its own signature does not matter): a digest with a cutoff is acceptable
 * when the certificate was issued before it.
 */
export function judgeCertificateSignatures(
  certificates: readonly Certificate[],
  cutoffs = CERTIFICATE_SIGNATURE_CUTOFFS,
): AlgorithmJudgement {
  const notes: string[] = [];
  for (const cert of certificates) {
    const digest = certificateSignatureAlgorithm(cert)?.hash;
    const cutoff = digest && cutoffs[digest];
    if (!cutoff) continue;
    const name = cert.subject.commonName ?? cert.subject.display;
    const issued = cert.notBefore.toISOString().slice(0, 10);
    const until = cutoff.toISOString().slice(0, 10);
    if (cert.notBefore.getTime() >= cutoff.getTime()) {
      return {
        refused: `the ${digest} signature on "${name}" was made on ${issued}, after ${digest} certificate signatures expired (${until})`,
        notes,
      };
    }
    notes.push(
      `"${name}" has a ${digest} signature, accepted because it was made on ${issued}, before ${digest} certificate signatures expired (${until})`,
    );
  }
  return { notes };
}

/** One certificate's signature judged by date ({@link judgeCertificateSignatures}): `true`, or why not. */
export function signatureAcceptableByDate(cert: Certificate, cutoffs = CERTIFICATE_SIGNATURE_CUTOFFS): true | string {
  return judgeCertificateSignatures([cert], cutoffs).refused ?? true;
}
