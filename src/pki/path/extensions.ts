// The certificate extensions path validation reads, decoded from their DER. An extension marked critical
// that is not in UNDERSTOOD_EXTENSIONS rejects the path (RFC 5280 §6.1.4 (o), §6.1.5 (f)).
import { readChildren, readOid, readTlv } from '../../core/der.js';
import { OID } from '../../core/oids.js';
import type { Certificate } from '../certificate.js';
import { readAltNames, readGeneralName, type GeneralName } from './general-names.js';

/** Extension OIDs path validation reads beyond those of core/oids. */
export const PATH_OID = {
  subjectAltName: '2.5.29.17',
  issuerAltName: '2.5.29.18',
  nameConstraints: '2.5.29.30',
  certificatePolicies: '2.5.29.32',
  policyMappings: '2.5.29.33',
  policyConstraints: '2.5.29.36',
  inhibitAnyPolicy: '2.5.29.54',
  freshestCrl: '2.5.29.46',
  subjectInfoAccess: '1.3.6.1.5.5.7.1.11',
  anyPolicy: '2.5.29.32.0',
} as const;

/** Certificate extensions whose meaning kyso applies (or which carry no constraint), critical or not. */
export const UNDERSTOOD_EXTENSIONS: ReadonlySet<string> = new Set([
  OID.keyUsage,
  OID.extKeyUsage,
  OID.basicConstraints,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.crlDistributionPoints,
  OID.authorityInfoAccess,
  OID.ocspNoCheck,
  PATH_OID.subjectAltName,
  PATH_OID.issuerAltName,
  PATH_OID.nameConstraints,
  PATH_OID.certificatePolicies,
  PATH_OID.policyMappings,
  PATH_OID.policyConstraints,
  PATH_OID.inhibitAnyPolicy,
  PATH_OID.freshestCrl,
  PATH_OID.subjectInfoAccess,
]);

/** The OIDs of `cert`'s critical extensions that kyso does not understand. */
export function unknownCriticalExtensions(cert: Certificate): string[] {
  return cert.facts.extensions.filter((e) => e.critical && !UNDERSTOOD_EXTENSIONS.has(e.oid)).map((e) => e.oid);
}

function extension(cert: Certificate, oid: string): Uint8Array | undefined {
  return cert.facts.extensions.find((e) => e.oid === oid)?.value;
}

/** certificatePolicies: each policy OID with its qualifiers (DER, kept for the output). */
export function certificatePolicies(cert: Certificate): { policy: string; qualifiers: Uint8Array[] }[] | undefined {
  const v = extension(cert, PATH_OID.certificatePolicies);
  if (!v) return undefined;
  return readChildren(v, readTlv(v, 0)).map((info) => {
    const [id, quals] = readChildren(v, info);
    return {
      policy: readOid(v, id!),
      qualifiers: quals ? readChildren(v, quals).map((q) => v.slice(q.start, q.end)) : [],
    };
  });
}

/** policyMappings: issuerDomainPolicy → subjectDomainPolicy pairs. */
export function policyMappings(cert: Certificate): { issuer: string; subject: string }[] | undefined {
  const v = extension(cert, PATH_OID.policyMappings);
  if (!v) return undefined;
  return readChildren(v, readTlv(v, 0)).map((pair) => {
    const [a, b] = readChildren(v, pair);
    return { issuer: readOid(v, a!), subject: readOid(v, b!) };
  });
}

function smallUnsigned(v: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let k = start; k < end; k++) n = Math.min(n * 256 + v[k]!, 1 << 30);
  return n;
}

/** policyConstraints: requireExplicitPolicy [0] and inhibitPolicyMapping [1] skip counts. */
export function policyConstraints(
  cert: Certificate,
): { requireExplicitPolicy?: number; inhibitPolicyMapping?: number } | undefined {
  const v = extension(cert, PATH_OID.policyConstraints);
  if (!v) return undefined;
  const out: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number } = {};
  for (const el of readChildren(v, readTlv(v, 0))) {
    if (el.tag === 0x80) out.requireExplicitPolicy = smallUnsigned(v, el.contentStart, el.contentEnd);
    if (el.tag === 0x81) out.inhibitPolicyMapping = smallUnsigned(v, el.contentStart, el.contentEnd);
  }
  return out;
}

/** inhibitAnyPolicy: the skip count. */
export function inhibitAnyPolicy(cert: Certificate): number | undefined {
  const v = extension(cert, PATH_OID.inhibitAnyPolicy);
  if (!v) return undefined;
  const el = readTlv(v, 0);
  return smallUnsigned(v, el.contentStart, el.contentEnd);
}

/** nameConstraints: the bases of the permitted and excluded subtrees (minimum/maximum are always 0/absent in PKIX). */
export function nameConstraints(
  cert: Certificate,
): { permitted?: GeneralName[]; excluded?: GeneralName[] } | undefined {
  const v = extension(cert, PATH_OID.nameConstraints);
  if (!v) return undefined;
  const out: { permitted?: GeneralName[]; excluded?: GeneralName[] } = {};
  for (const el of readChildren(v, readTlv(v, 0))) {
    const bases = readChildren(v, el).map((subtree) => readGeneralName(v, readChildren(v, subtree)[0]!));
    if (el.tag === 0xa0) out.permitted = bases;
    if (el.tag === 0xa1) out.excluded = bases;
  }
  return out;
}

/** subjectAltName entries. */
export function subjectAltNames(cert: Certificate): GeneralName[] {
  const v = extension(cert, PATH_OID.subjectAltName);
  return v ? readAltNames(v) : [];
}
