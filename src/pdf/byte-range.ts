import { bytesEqual, hexDigit, hexDigitsToBytes, latin1 } from '../core/bytes.js';
import { ensureRange } from './lazy-bytes.js';
import { PdfDict, PdfString, numberOf } from './objects.js';
import { lastIndexOfBytes, objectHeaderBefore } from './parser.js';

/** Result of checking a signature's /ByteRange and /Contents against the file's bytes. */
export interface ByteRangeCheck {
  ok: boolean;
  /** `[0, a, b, c]` as found (absent when not four integers). */
  byteRange?: number[];
  /** Where the covered bytes end (`b + c`). */
  coveredEnd?: number;
  /** The /Contents value (the CMS or timestamp token, trailing zero padding included). */
  contents?: Uint8Array;
  /** Why not ok. */
  problems: string[];
}

const CONTENTS_KEY = latin1('/Contents');

/**
 * Checks a signature dictionary's /ByteRange against the bytes: four non-negative integers starting at 0,
 * two ranges inside the file in order, and the gap between them exactly the hexadecimal `<…>` string that
 * follows this dictionary's `/Contents` key with the same value — so the signed bytes cannot be moved or
 * the /Contents swapped (Universal Signature Forgery, Signature Wrapping).
 * `signatureNumber` is the object number of the signature dictionary, when it is indirect: the `/Contents`
 * in the gap must lie inside that object.
 */
export function checkByteRange(bytes: Uint8Array, sig: PdfDict, signatureNumber: number | undefined): ByteRangeCheck {
  const problems: string[] = [];
  const raw = sig.get('ByteRange');
  const contentsObj = sig.get('Contents');
  const contents = contentsObj instanceof PdfString ? contentsObj.bytes : undefined;
  if (!contents || contents.length === 0) problems.push('/Contents is missing or empty');
  if (
    !Array.isArray(raw) ||
    raw.length !== 4 ||
    raw.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 0)
  ) {
    return {
      ok: false,
      problems: [...problems, '/ByteRange is not four non-negative integers'],
      ...(contents && { contents }),
    };
  }
  const br = raw.map((x) => numberOf(x)!);
  const [start, a, b, c] = br as [number, number, number, number];
  const result = (extra: string[]) => {
    const all = [...problems, ...extra];
    return { ok: all.length === 0, byteRange: br, coveredEnd: b + c, problems: all, ...(contents && { contents }) };
  };
  if (start !== 0) return result(['/ByteRange does not start at byte 0']);
  if (a <= 0 || b <= a || c <= 0) return result(['/ByteRange ranges are empty, overlap or are out of order']);
  if (b + c > bytes.length)
    return result([`/ByteRange ends at byte ${b + c}, beyond the end of the file (${bytes.length})`]);
  ensureRange(bytes, a - 256 * 1024, b - a + 256 * 1024 + 16);
  if (bytes[a] !== 0x3c || bytes[b - 1] !== 0x3e)
    return result(['the gap between the signed ranges is not a hexadecimal string']);
  const gap = hexDigitsToBytes(bytes, a + 1, b - 1);
  // only a gap that does not decode is searched for the byte to name
  for (let i = a + 1; !gap && i < b - 1; i++) {
    if (hexDigit(bytes[i]!) < 0)
      return result([`the gap between the signed ranges holds a non-hexadecimal byte at ${i}`]);
  }
  // The gap must be this dictionary's /Contents: the key right before it, and the same value.
  let k = a - 1;
  while (k > 0 && (bytes[k] === 0x20 || bytes[k] === 0x0a || bytes[k] === 0x0d || bytes[k] === 0x09)) k--;
  const keyAt = lastIndexOfBytes(bytes, CONTENTS_KEY, k + 1, Math.max(0, k + 1 - CONTENTS_KEY.length));
  if (keyAt < 0) return result(['the gap between the signed ranges is not preceded by /Contents']);
  if (signatureNumber !== undefined && enclosingObject(bytes, keyAt)?.num !== signatureNumber) {
    return result(['the /Contents in the gap belongs to another object than the signature dictionary']);
  }
  if (contents && !(gap && bytesEqual(gap, contents)))
    return result(['the /Contents value differs from the bytes in the gap (a second /Contents?)']);
  return result([]);
}

/**
 * The indirect object whose `N G obj` header precedes byte `at` with no `endobj` between: its number and the
 * header's offset. Looked for within 256 KiB (a signature dictionary with a large /Contents fits).
 */
export function enclosingObject(bytes: Uint8Array, at: number): { num: number; offset: number } | undefined {
  const from = Math.max(0, at - 256 * 1024);
  ensureRange(bytes, from, at - from);
  const objAt = lastIndexOfBytes(bytes, latin1(' obj'), at, from);
  if (objAt < 0 || lastIndexOfBytes(bytes, latin1('endobj'), at, objAt) >= 0) return undefined;
  const header = objectHeaderBefore(bytes, objAt);
  return header && { num: header.num, offset: header.start };
}

/** Where a signature dictionary's /ByteRange says the signed bytes end (`b + c`), when it is four numbers. */
export function signedRangeEnd(sig: PdfDict): number | undefined {
  const br = sig.get('ByteRange');
  if (!Array.isArray(br) || br.length !== 4) return undefined;
  const [b, c] = [numberOf(br[2]), numberOf(br[3])];
  return b === undefined || c === undefined ? undefined : b + c;
}

/**
 * The index of the revision that ends where the signed bytes end, or -1: a signature must cover a whole
 * revision. A signer may stop before the end-of-line that follows `%%EOF`, which is allowed.
 */
export function revisionEndingAt(bytes: Uint8Array, revisions: readonly { end: number }[], end: number): number {
  return revisions.findIndex((r) => {
    if (r.end < end || r.end - end > 2) return false;
    for (let i = end; i < r.end; i++) if (bytes[i] !== 0x0a && bytes[i] !== 0x0d) return false;
    return true;
  });
}
