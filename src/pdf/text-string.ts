import { latin1 } from '../core/bytes.js';
import { PdfString } from './objects.js';

/**
 * A PDF text string for `text`: printable ASCII stays a literal string; anything else (Vietnamese) is
 * UTF-16BE with a byte order mark, which every reader decodes.
 */
export function textString(text: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(latin1(text));
  const out = new Uint8Array(2 + text.length * 2);
  out[0] = 0xfe;
  out[1] = 0xff;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 + i * 2] = c >> 8;
    out[3 + i * 2] = c & 0xff;
  }
  return new PdfString(out, true);
}

/** Decodes a PDF text string: UTF-16BE (with BOM), UTF-8 (with BOM, PDF 2.0) or PDFDocEncoding read as Latin-1. */
export function decodeTextString(s: PdfString): string {
  const b = s.bytes;
  if (b[0] === 0xfe && b[1] === 0xff) {
    let out = '';
    for (let i = 2; i + 1 < b.length; i += 2) out += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
    return out;
  }
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder().decode(b.subarray(3));
  let out = '';
  for (const c of b) out += String.fromCharCode(c);
  return out;
}

const VN_OFFSET_MINUTES = 7 * 60;

/**
 * A PDF date string for `date` in Vietnam time, e.g. `D:20261124184000+07'00'`: Decree 30 shows signing times
 * with +07:00, whatever the machine's time zone.
 */
export function pdfDate(date: Date, offsetMinutes = VN_OFFSET_MINUTES): PdfString {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const off = Math.abs(offsetMinutes);
  const text =
    `D:${p(local.getUTCFullYear(), 4)}${p(local.getUTCMonth() + 1)}${p(local.getUTCDate())}` +
    `${p(local.getUTCHours())}${p(local.getUTCMinutes())}${p(local.getUTCSeconds())}${sign}${p(Math.floor(off / 60))}'${p(off % 60)}'`;
  return new PdfString(latin1(text));
}

/** `n` in `width` digits, zeros in front. */
function p(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Parses a PDF date string (`D:YYYYMMDDHHmmSSOHH'mm'`, later parts optional); `undefined` when malformed. */
export function parsePdfDate(text: string): Date | undefined {
  const m = text.match(
    /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(?:(\d{2})'?(?:(\d{2})'?)?)?)?/,
  );
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(+y!, +mo - 1, +d, +h, +mi, +s);
  if (Number.isNaN(utc)) return undefined;
  const offset = sign === '+' || sign === '-' ? (sign === '+' ? 1 : -1) * (+oh * 60 + +om) : 0;
  return new Date(utc - offset * 60_000);
}
