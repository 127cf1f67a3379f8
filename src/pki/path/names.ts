// RFC 5280 §7.1 name comparison: a Name matches another when its RDNs match in order, each RDN as a set of
// attributes, string values compared after RFC 4518 preparation (case folded, insignificant spaces removed),
// so a PrintableString and a UTF8String of the same text are the same name.
import { toHex } from '../../core/bytes.js';
import { readChildren, readOid, readTlv } from '../../core/der.js';
import type { Certificate } from '../certificate.js';
import { decodeString } from '../name.js';

/** One RDN of a Name in comparable form: its attributes, prepared and sorted. */
export type ComparableRdn = string;

/** The RDNs of a DER Name (least specific first), each prepared for comparison. */
export function comparableRdns(der: Uint8Array): ComparableRdn[] {
  return readChildren(der, readTlv(der, 0)).map((rdn) =>
    readChildren(der, rdn)
      .map((atv) => {
        const [type, value] = readChildren(der, atv);
        const oid = readOid(der, type!);
        const text = value ? decodeString(der, value) : '';
        return `${oid}=${text === undefined ? `#${toHex(der.subarray(value!.start, value!.end))}` : prepareString(text)}`;
      })
      .sort()
      .join('+'),
  );
}

/** A Name as one string that is equal for names RFC 5280 §7.1 calls equal. */
export function comparableName(der: Uint8Array): string {
  try {
    return comparableRdns(der).join('/');
  } catch {
    return `#${toHex(der)}`; // undecodable: only byte-identical names match
  }
}

const subjects = new WeakMap<Certificate, string>();

/** {@link comparableName} of a certificate's subject, remembered per certificate (anchors meet every path). */
export function comparableSubject(cert: Certificate): string {
  let key = subjects.get(cert);
  if (key === undefined) subjects.set(cert, (key = comparableName(cert.subjectDer)));
  return key;
}

/** True when the two DER Names are the same name (RFC 5280 §7.1). */
export function namesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return comparableName(a) === comparableName(b);
}

/** True when the DER Name has no RDN. */
export function isEmptyName(der: Uint8Array): boolean {
  const name = readTlv(der, 0);
  return name.contentEnd === name.contentStart;
}

/** RFC 4518 string preparation, as far as names in practice need it: case folded, spaces collapsed. */
function prepareString(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/\\/g, '\\\\').replace(/[=+/]/g, '\\$&');
}
