// CRL scope, RFC 5280 §4.2.1.13 / §5.2.5 / §6.3.3 (b): the certificate's distribution points and a CRL's
// issuingDistributionPoint, with names relative to the CRL issuer made whole.
import { concatBytes } from '../../core/bytes.js';
import { encodeLength, readChildren, readTlv, type Tlv } from '../../core/der.js';
import { OID } from '../../core/oids.js';
import type { Certificate } from '../certificate.js';
import { readGeneralNames, type GeneralName } from './general-names.js';
import { namesEqual } from './names.js';

/** All reason codes of ReasonFlags but `unused` (bits 1–8). */
export const ALL_REASONS = 0x1fe;

/** One DistributionPoint of a certificate. */
export interface DistributionPoint {
  /** fullName, or nameRelativeToCRLIssuer made whole; undefined when absent. */
  names?: GeneralName[];
  /** ReasonFlags as a bit mask (bit k = reason k). */
  reasons: number;
  /** cRLIssuer. */
  crlIssuer?: GeneralName[];
}

/** A CRL's issuingDistributionPoint. */
export interface IssuingDistributionPoint {
  names?: GeneralName[];
  onlyUserCerts: boolean;
  onlyCaCerts: boolean;
  onlySomeReasons: number;
  indirect: boolean;
  onlyAttributeCerts: boolean;
}

function reasonMask(der: Uint8Array, el: Tlv): number {
  let mask = 0;
  for (let k = 0; k <= 8; k++) {
    const at = el.contentStart + 1 + (k >> 3); // after the unused-bits octet
    if (at < el.contentEnd && der[at]! & (0x80 >> (k & 7))) mask |= 1 << k;
  }
  return mask;
}

function boolean(der: Uint8Array, el: Tlv): boolean {
  return der[el.contentStart] !== 0;
}

/** A DistributionPointName: `[0]` fullName or `[1]` nameRelativeToCRLIssuer (appended to `issuer`). */
function distributionPointName(der: Uint8Array, el: Tlv, issuer: Uint8Array): GeneralName[] {
  const inner = readTlv(der, el.contentStart, el.contentEnd);
  if (inner.tag === 0xa0) return readGeneralNames(der, inner);
  // nameRelativeToCRLIssuer: the issuer's RDNs followed by this one, re-encoded as a SET.
  const name = readTlv(issuer, 0);
  const rdn = concatBytes([
    Uint8Array.of(0x31),
    encodeLength(inner.contentEnd - inner.contentStart),
    der.subarray(inner.contentStart, inner.contentEnd),
  ]);
  const content = concatBytes([issuer.subarray(name.contentStart, name.contentEnd), rdn]);
  return [{ kind: 'directoryName', value: concatBytes([Uint8Array.of(0x30), encodeLength(content.length), content]) }];
}

/** The certificate's cRLDistributionPoints, or undefined when it has none. */
export function distributionPoints(cert: Certificate): DistributionPoint[] | undefined {
  const v = cert.facts.extensions.find((e) => e.oid === OID.crlDistributionPoints)?.value;
  if (!v) return undefined;
  return readChildren(v, readTlv(v, 0)).map((dp) => {
    const parts = readChildren(v, dp);
    const crlIssuerEl = parts.find((p) => p.tag === 0xa2);
    const crlIssuer = crlIssuerEl ? readGeneralNames(v, crlIssuerEl) : undefined;
    const relativeTo = crlIssuer?.find((n) => n.kind === 'directoryName')?.value ?? cert.issuerDer;
    const nameEl = parts.find((p) => p.tag === 0xa0);
    const reasonsEl = parts.find((p) => p.tag === 0x81);
    return {
      ...(nameEl && { names: distributionPointName(v, nameEl, relativeTo as Uint8Array) }),
      reasons: reasonsEl ? reasonMask(v, reasonsEl) : ALL_REASONS,
      ...(crlIssuer && { crlIssuer }),
    };
  });
}

/** Decodes an issuingDistributionPoint extension value of a CRL issued by `crlIssuer`. */
export function issuingDistributionPoint(value: Uint8Array, crlIssuer: Uint8Array): IssuingDistributionPoint {
  const idp: IssuingDistributionPoint = {
    onlyUserCerts: false,
    onlyCaCerts: false,
    onlySomeReasons: ALL_REASONS,
    indirect: false,
    onlyAttributeCerts: false,
  };
  for (const el of readChildren(value, readTlv(value, 0))) {
    if (el.tag === 0xa0) idp.names = distributionPointName(value, el, crlIssuer);
    else if (el.tag === 0x81) idp.onlyUserCerts = boolean(value, el);
    else if (el.tag === 0x82) idp.onlyCaCerts = boolean(value, el);
    else if (el.tag === 0x83) idp.onlySomeReasons = reasonMask(value, el);
    else if (el.tag === 0x84) idp.indirect = boolean(value, el);
    else if (el.tag === 0x85) idp.onlyAttributeCerts = boolean(value, el);
  }
  return idp;
}

/** True when some name of `a` is a name of `b`. */
export function someNameShared(a: readonly GeneralName[], b: readonly GeneralName[]): boolean {
  return a.some((x) =>
    b.some((y) => {
      if (x.kind === 'directoryName' && y.kind === 'directoryName') return namesEqual(x.value, y.value);
      if (x.kind === 'iPAddress' || y.kind === 'iPAddress' || x.kind === 'directoryName' || y.kind === 'directoryName')
        return false;
      return x.kind === y.kind && x.value === y.value;
    }),
  );
}
