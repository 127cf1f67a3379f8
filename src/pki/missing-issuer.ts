import { bytesEqual } from '../core/bytes.js';
import type { Certificate } from './certificate.js';
import { isAnchor, type TrustStore } from './trust-store.js';

/** The certificate a path needs and nobody supplied: the issuer named by the last certificate reached. */
export interface MissingIssuer {
  /** The issuer's distinguished name, as the certificate names it. */
  name: string;
  /** Its key identifier (the authorityKeyIdentifier of the certificate it issued), lower-case hex. */
  keyIdentifier?: string;
  /** The certificate that names it. */
  neededBy: string;
  /** Where it may be downloaded (the caIssuers URLs of `neededBy`). */
  caIssuerUrls: string[];
}

/** Why no path reached an anchor, for a report: the missing issuer, or the untrusted root reached. */
export interface NoChainDiagnosis {
  problem: string;
  missingIssuer?: MissingIssuer;
}

/**
 * Walks from `leaf` up through the certificates available (by issuer name and key identifier, as a path is
 * built) and says where the path stops: at an issuer nobody supplied (named, with its key identifier and
 * how to supply it), or at a self-issued certificate that is not a trust anchor.
 */
export function diagnoseNoChain(
  leaf: Certificate,
  available: readonly Certificate[],
  trust: TrustStore,
): NoChainDiagnosis {
  const seen: Certificate[] = [leaf];
  let current = leaf;
  for (;;) {
    if (current.selfIssued && current !== leaf) {
      return {
        problem: `"${leaf.subject.display}" chains to "${current.subject.display}", which is not among the trust anchors (add it with --trust, after checking its fingerprint ${current.fingerprintSha256})`,
      };
    }
    const next = available.find(
      (c) =>
        !seen.includes(c) &&
        bytesEqual(c.subjectDer, current.issuerDer) &&
        (!current.authorityKeyIdentifier ||
          !c.subjectKeyIdentifier ||
          current.authorityKeyIdentifier === c.subjectKeyIdentifier),
    );
    if (!next || isAnchor(trust, next)) break;
    seen.push(next);
    current = next;
  }
  if (current.selfIssued)
    return {
      problem: `no path from "${leaf.subject.display}" to a trust anchor: it is self-issued and not a trust anchor`,
    };
  const missingIssuer: MissingIssuer = {
    name: current.issuer.display,
    ...(current.authorityKeyIdentifier && { keyIdentifier: current.authorityKeyIdentifier }),
    neededBy: current.subject.display,
    caIssuerUrls: current.caIssuerUrls,
  };
  return {
    problem: missingIssuerProblem(missingIssuer, current.subject.commonName ?? current.subject.display, trust),
    missingIssuer,
  };
}

function missingIssuerProblem(m: MissingIssuer, neededBy: string, trust: TrustStore): string {
  const id = m.keyIdentifier ? ` (key identifier ${m.keyIdentifier})` : '';
  const head = `the intermediate certificate "${m.name}"${id} that issued "${neededBy}" is missing`;
  const supply =
    'supply it with --intermediate FILE (the intermediates option), or put it in the intermediates folder of your trust folder';
  if (!m.caIssuerUrls.length) return `${head}: ${supply}; the certificate names no URL to fetch it from`;
  const failures = trust.issuerSource
    ? m.caIssuerUrls.map((u) => trust.issuerSource!.failure(u)).filter((f): f is string => !!f)
    : [];
  if (trust.issuerSource)
    return `${head}: fetching it from ${m.caIssuerUrls.join(', ')} did not help${failures.length ? ` (${failures.join('; ')})` : ''}; ${supply}`;
  return `${head}: ${supply}, or let kyso fetch it from ${m.caIssuerUrls.join(', ')} with --online`;
}
