import { inflateSync } from 'node:zlib';
import { cannotInflate, inflatesPast } from './inflate-errors.js';

// Node's zlib, native and already part of Node: loading pako cost every verify and sign ~13 ms of start-up.
// The browser builds put inflate-pako.ts in this module's place (tsup.config.ts).

/**
 * Inflates zlib `data`, refusing (`ERR_PDF_LIMIT`) as soon as the output passes `max` bytes: zlib stops there,
 * so a decompression bomb costs at most that much memory. Damaged or truncated data → `ERR_PDF_MALFORMED`.
 */
export function inflateAtMost(data: Uint8Array, max: number): Uint8Array {
  let out: Buffer;
  try {
    out = inflateSync(data, { maxOutputLength: Math.max(1, max) });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw inflatesPast(max);
    throw cannotInflate((e as Error).message, e);
  }
  if (out.length > max) throw inflatesPast(max);
  // a plain Uint8Array: a Buffer's slice() is a view where the parsers expect a copy
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
