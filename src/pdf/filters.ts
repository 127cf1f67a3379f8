import { KysoError } from '../core/errors.js';
import { inflateAtMost } from './inflate.js';
import { dictOf, nameOf, numberOf, type PdfObject, type PdfStream } from './objects.js';

/** Largest decoded stream kyso inflates when the caller knows no tighter bound (never page content rendering). */
export const MAX_DECODED_STREAM = 64 * 1024 * 1024;

/** How much a caller lets a stream inflate to. */
export interface DecodeOptions {
  /**
   * Most bytes any filter stage may produce: what the structure can need (an xref stream's entries × entry
   * width, an object stream's objects). Past it → `ERR_PDF_LIMIT`. Capped at {@link MAX_DECODED_STREAM}.
   */
  maxBytes?: number;
}

/**
 * Decoded data of a stream with no filter or FlateDecode (with PNG/TIFF predictors): what cross-reference
 * and object streams use. Inflation streams in chunks and stops at `maxBytes`, so a decompression bomb costs
 * at most that much memory. Other filters → `ERR_PDF_MALFORMED`.
 */
export function decodeStream(stream: PdfStream, options: DecodeOptions = {}): Uint8Array {
  const max = Math.min(MAX_DECODED_STREAM, Math.max(0, Math.floor(options.maxBytes ?? MAX_DECODED_STREAM)));
  const filter = stream.dict.get('Filter');
  const filters = Array.isArray(filter) ? filter.map(nameOf) : filter === undefined ? [] : [nameOf(filter)];
  const parmsRaw = stream.dict.get('DecodeParms');
  const parms = Array.isArray(parmsRaw) ? parmsRaw : [parmsRaw];
  let data = stream.data;
  filters.forEach((f, i) => {
    if (f !== 'FlateDecode' && f !== 'Fl')
      throw new KysoError('ERR_PDF_MALFORMED', `unsupported stream filter ${f ?? '(not a name)'}`);
    data = unpredict(inflateAtMost(data, max), parms[i] ?? null);
  });
  return data;
}

function unpredict(data: Uint8Array, parmsObj: PdfObject): Uint8Array {
  const parms = dictOf(parmsObj);
  const predictor = numberOf(parms?.get('Predictor')) ?? 1;
  if (predictor < 10) {
    if (predictor === 1) return data;
    throw new KysoError('ERR_PDF_MALFORMED', `unsupported predictor ${predictor}`);
  }
  const colors = numberOf(parms?.get('Colors')) ?? 1;
  const bpc = numberOf(parms?.get('BitsPerComponent')) ?? 8;
  const columns = numberOf(parms?.get('Columns')) ?? 1;
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  if (rowLen <= 0 || rowLen > 1 << 20) throw new KysoError('ERR_PDF_MALFORMED', 'bad predictor parameters');
  return undoPngFilters(data, rowLen, bpp, Math.floor(data.length / (rowLen + 1)));
}

/**
 * Undoes PNG row filters (None, Sub, Up, Average, Paeth): each of `rows` rows is a filter-type byte then
 * `rowLen` bytes; `bpp` is the bytes per pixel. Used by xref/object streams and by PNG images alike.
 */
export function undoPngFilters(data: Uint8Array, rowLen: number, bpp: number, rows: number): Uint8Array {
  const out = new Uint8Array(rows * rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)]!;
    const src = r * (rowLen + 1) + 1;
    const dst = r * rowLen;
    for (let i = 0; i < rowLen; i++) {
      const raw = data[src + i]!;
      const left = i >= bpp ? out[dst + i - bpp]! : 0;
      const up = r > 0 ? out[dst - rowLen + i]! : 0;
      const upLeft = r > 0 && i >= bpp ? out[dst - rowLen + i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0:
          v = raw;
          break;
        case 1:
          v = raw + left;
          break;
        case 2:
          v = raw + up;
          break;
        case 3:
          v = raw + ((left + up) >> 1);
          break;
        case 4: {
          const p = left + up - upLeft;
          const pa = Math.abs(p - left),
            pb = Math.abs(p - up),
            pc = Math.abs(p - upLeft);
          v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          throw new KysoError('ERR_PDF_MALFORMED', `bad PNG predictor row type ${type}`);
      }
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}
