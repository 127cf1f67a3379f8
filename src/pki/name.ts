import { fromLatin1, toHex } from '../core/bytes.js';
import { OID } from '../core/oids.js';
import { readChildren, readOid, readTlv, type Tlv } from '../core/der.js';

const SHORT_NAMES: Record<string, string> = {
  [OID.commonName]: 'CN',
  [OID.surname]: 'SN',
  [OID.serialNumber]: 'SERIALNUMBER',
  [OID.countryName]: 'C',
  [OID.localityName]: 'L',
  [OID.stateOrProvinceName]: 'ST',
  [OID.organizationName]: 'O',
  [OID.organizationalUnitName]: 'OU',
  [OID.title]: 'T',
  [OID.givenName]: 'GN',
  [OID.emailAddress]: 'E',
  [OID.userId]: 'UID',
};

/**
 * A readable string of a DER X.500 Name, in RFC 4514 order (most specific first) with RFC 4514
 * escaping, e.g. `CN=Nguyễn Văn An,O=…,C=VN`. For display only: compare names by their DER.
 */
export function formatName(der: Uint8Array): string {
  const name = readTlv(der, 0);
  return readChildren(der, name)
    .map((rdn) =>
      readChildren(der, rdn)
        .map((atv) => {
          const [type, value] = readChildren(der, atv);
          const oid = readOid(der, type!);
          return `${SHORT_NAMES[oid] ?? oid}=${value ? escapeOrHex(der, value) : ''}`;
        })
        .join('+'),
    )
    .reverse()
    .join(',');
}

/** One attribute of a Name, its value decoded to text. */
export interface NameAttribute {
  oid: string;
  /** `CN`, `O`, `UID`, … when the type is a common one. */
  shortName?: string;
  value: string;
}

/** The attributes of a DER X.500 Name in certificate order (least specific first), values as text. */
export function readNameAttributes(der: Uint8Array): NameAttribute[] {
  const name = readTlv(der, 0);
  return readChildren(der, name).flatMap((rdn) =>
    readChildren(der, rdn).map((atv) => {
      const [type, value] = readChildren(der, atv);
      const oid = readOid(der, type!);
      const short = SHORT_NAMES[oid];
      return {
        oid,
        ...(short && { shortName: short }),
        value: value ? (decodeString(der, value) ?? `#${toHex(der.subarray(value.start, value.end))}`) : '',
      };
    }),
  );
}

function escapeOrHex(der: Uint8Array, el: Tlv): string {
  const text = decodeString(der, el);
  return text === undefined ? `#${toHex(der.subarray(el.start, el.end))}` : escape(text);
}

export function decodeString(der: Uint8Array, el: Tlv): string | undefined {
  const content = der.subarray(el.contentStart, el.contentEnd);
  switch (el.tag) {
    case 0x0c: // UTF8String
      return new TextDecoder().decode(content);
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x14: // TeletexString (read as Latin-1, as most software does)
    case 0x16: // IA5String
    case 0x1a: // VisibleString
      return fromLatin1(content);
    case 0x1e: // BMPString
      return decodeWide(content, 2);
    case 0x1c: // UniversalString
      return decodeWide(content, 4);
    default:
      return undefined;
  }
}

function decodeWide(bytes: Uint8Array, width: 2 | 4): string {
  let s = '';
  for (let i = 0; i + width <= bytes.length; i += width) {
    let cp = 0;
    for (let k = 0; k < width; k++) cp = cp * 256 + bytes[i + k]!;
    s += width === 2 ? String.fromCharCode(cp) : String.fromCodePoint(cp <= 0x10ffff ? cp : 0xfffd);
  }
  return s;
}

function escape(value: string): string {
  return value
    .replace(/[,+"\\<>;]/g, '\\$&')
    .replace(/^[ #]/, '\\$&')
    .replace(/ $/, '\\ ');
}
