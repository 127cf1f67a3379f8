// GeneralName (RFC 5280 §4.2.1.6) as path validation needs it: the kinds name constraints and CRL
// distribution points compare, with every other kind kept by tag so that it can still be noticed.
import { fromLatin1, toHex } from '../../core/bytes.js';
import { readChildren, readTlv, type Tlv } from '../../core/der.js';

/** One GeneralName. `value` is text for rfc822Name, dNSName and URI, the DER Name for directoryName, raw octets else. */
export type GeneralName =
  | { kind: 'rfc822Name' | 'dNSName' | 'uniformResourceIdentifier'; value: string }
  | { kind: 'directoryName'; value: Uint8Array }
  | { kind: 'iPAddress'; value: Uint8Array }
  | { kind: 'other'; tag: number; value: string };

/** Reads one GeneralName element. */
export function readGeneralName(der: Uint8Array, el: Tlv): GeneralName {
  const content = der.subarray(el.contentStart, el.contentEnd);
  switch (el.tag) {
    case 0x81:
      return { kind: 'rfc822Name', value: fromLatin1(content) };
    case 0x82:
      return { kind: 'dNSName', value: fromLatin1(content) };
    case 0x86:
      return { kind: 'uniformResourceIdentifier', value: fromLatin1(content) };
    case 0xa4: {
      const inner = readTlv(der, el.contentStart, el.contentEnd);
      return { kind: 'directoryName', value: der.slice(inner.start, inner.end) };
    }
    case 0x87:
      return { kind: 'iPAddress', value: content.slice() };
    default:
      return { kind: 'other', tag: el.tag & 0x1f, value: toHex(content) };
  }
}

/** Reads `GeneralNames` (a SEQUENCE, or the content of an implicitly tagged one) whose element is `el`. */
export function readGeneralNames(der: Uint8Array, el: Tlv): GeneralName[] {
  return readChildren(der, el).map((c) => readGeneralName(der, c));
}

/** The GeneralNames of a subjectAltName (or issuerAltName) extension value. */
export function readAltNames(value: Uint8Array): GeneralName[] {
  return readGeneralNames(value, readTlv(value, 0));
}
