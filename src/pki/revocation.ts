import { isKysoError } from '../core/errors.js';
import type { Certificate } from './certificate.js';
import { checkCrl, fetchCrl, parseCrl } from './crl.js';
import { checkOcspResponse, fetchOcsp } from './ocsp.js';
import { namesEqual } from './path/names.js';
import {
  revocationSignatureRefusal,
  type RevocationSignature,
  type RevocationSignatureCheck,
} from './revocation-signature.js';

/** Revocation data at hand: embedded in the document (DSS, CMS) or gathered by the caller. */
export interface RevocationData {
  /** DER OCSPResponses. */
  ocsps: readonly Uint8Array[];
  /** DER CRLs. */
  crls: readonly Uint8Array[];
}

/** The revocation status of one certificate and where it came from. */
export interface RevocationCheck {
  status: 'good' | 'revoked' | 'unknown' | 'unavailable';
  revocationTime?: Date;
  source?: 'ocsp' | 'crl';
  origin?: 'embedded' | 'online';
  /** When the status was asserted (OCSP producedAt or CRL thisUpdate). */
  issuedAt?: Date;
  /** DER of the OCSP response or CRL used (to embed for long-term validation). */
  der?: Uint8Array;
  /** A delegated OCSP responder's certificate, to embed too. */
  responderCertificate?: Uint8Array;
  problems: string[];
  /**
   * OCSP responses and CRLs about the certificate that the caller's algorithm policy refused, and why (each
   * also in `problems`): the status they would have given is not established by them.
   */
  refused?: string[];
}

/** Options of {@link checkRevocation}. */
export interface RevocationOptions {
  /** Data to look in first. */
  embedded?: RevocationData;
  /** Ask the OCSP responder / CRL distribution point named in the certificate. Default: false (offline). */
  online?: boolean;
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  /**
   * The validation time: an OCSP response or CRL counts only when it speaks for it (not past its
   * nextUpdate). Default: not checked. `validateCertificatePath` hands its time to its `revocation` callback.
   */
  time?: Date;
  /** The caller's algorithm policy over the responses' and CRLs' signatures. Default: none. */
  signatureAcceptable?: RevocationSignatureCheck;
}

/** What the search for a status noted: reasons for people, and the algorithm policy's refusals among them. */
export interface RevocationNotes {
  problems: string[];
  refused: string[];
}

/** Notes a refusal of `signature` by `check` and says whether it was refused. */
export function refusedSignature(
  check: RevocationSignatureCheck | undefined,
  signature: RevocationSignature,
  notes: RevocationNotes,
): boolean {
  const refusal = revocationSignatureRefusal(check, signature);
  if (!refusal) return false;
  notes.problems.push(refusal);
  notes.refused.push(refusal);
  return true;
}

/** The problems and refusals of {@link RevocationNotes} as a {@link RevocationCheck} carries them. */
function noted(notes: RevocationNotes): Pick<RevocationCheck, 'problems' | 'refused'> {
  return { problems: notes.problems, ...(notes.refused.length && { refused: notes.refused }) };
}

/**
 * The first embedded OCSP response about `certificate` that knows its status (`good` or `revoked`; an `unknown`
 * answer lets CRLs speak), checked at `time`. Responses about other certificates are passed over; a stale one,
 * or one whose signature `signatureAcceptable` refuses, is noted.
 */
export async function embeddedOcspStatus(
  ocsps: readonly Uint8Array[],
  certificate: Certificate,
  issuer: Certificate,
  time: Date | undefined,
  notes: RevocationNotes,
  signatureAcceptable?: RevocationSignatureCheck,
): Promise<RevocationCheck | undefined> {
  for (const der of ocsps) {
    try {
      const r = await checkOcspResponse(der, { certificate, issuer, ...(time && { time }) });
      if (r.status === 'unknown' || refusedSignature(signatureAcceptable, r.signature, notes)) continue;
      return {
        status: r.status,
        ...(r.revocationTime && { revocationTime: r.revocationTime }),
        source: 'ocsp',
        origin: 'embedded',
        issuedAt: r.producedAt,
        der: r.der,
        ...noted(notes),
      };
    } catch (e) {
      // a response about another certificate: keep looking; one too old is worth saying
      if (isKysoError(e) && /stale/.test(e.message)) notes.problems.push(e.message);
    }
  }
  return undefined;
}

/**
 * The revocation status of `certificate`: from embedded OCSP responses, then embedded CRLs, then — only
 * when `online` — its OCSP responder, then its CRL distribution points. Never throws: what cannot be known
 * is `unavailable`, with the reasons.
 */
export async function checkRevocation(
  certificate: Certificate,
  issuer: Certificate,
  options: RevocationOptions = {},
): Promise<RevocationCheck> {
  const notes: RevocationNotes = { problems: [], refused: [] };
  const { problems } = notes;
  const note = (e: unknown) => problems.push(isKysoError(e) ? e.message : String(e));
  const refused = (signature: RevocationSignature) => refusedSignature(options.signatureAcceptable, signature, notes);
  const fromOcsp = await embeddedOcspStatus(
    options.embedded?.ocsps ?? [],
    certificate,
    issuer,
    options.time,
    notes,
    options.signatureAcceptable,
  );
  if (fromOcsp) return fromOcsp;
  for (const der of options.embedded?.crls ?? []) {
    try {
      const crl = parseCrl(der);
      if (!namesEqual(crl.issuerDer, issuer.subjectDer)) continue;
      const r = await checkCrl(crl, { certificate, issuer, ...(options.time && { time: options.time }) });
      if (refused(r.signature)) continue;
      return {
        status: r.status,
        ...(r.revocationTime && { revocationTime: r.revocationTime }),
        source: 'crl',
        origin: 'embedded',
        issuedAt: r.thisUpdate,
        der: r.der,
        ...noted(notes),
      };
    } catch (e) {
      note(e);
    }
  }
  if (options.online) {
    const net = {
      ...(options.fetch && { fetch: options.fetch }),
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    };
    if (certificate.ocspUrls.length) {
      try {
        const r = await fetchOcsp(certificate, issuer, { ...net, ...(options.time && { time: options.time }) });
        if (!refused(r.signature))
          return {
            status: r.status,
            ...(r.revocationTime && { revocationTime: r.revocationTime }),
            source: 'ocsp',
            origin: 'online',
            issuedAt: r.producedAt,
            der: r.der,
            ...(r.responderCertificate && { responderCertificate: r.responderCertificate }),
            ...noted(notes),
          };
      } catch (e) {
        note(e);
      }
    }
    for (const url of certificate.crlDistributionPoints.filter((u) => /^https?:/i.test(u))) {
      try {
        const r = await checkCrl(await fetchCrl(url, net), {
          certificate,
          issuer,
          ...(options.time && { time: options.time }),
        });
        if (refused(r.signature)) continue;
        return {
          status: r.status,
          ...(r.revocationTime && { revocationTime: r.revocationTime }),
          source: 'crl',
          origin: 'online',
          issuedAt: r.thisUpdate,
          der: r.der,
          ...noted(notes),
        };
      } catch (e) {
        note(e);
      }
    }
  }
  if (problems.length === 0)
    problems.push(
      options.online
        ? 'the certificate names no OCSP responder or CRL distribution point'
        : 'no revocation data in the document, and online checks are off',
    );
  return { status: 'unavailable', ...noted(notes) };
}
