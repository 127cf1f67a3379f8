import { inflate, deflate } from 'pako';
import { concatBytes } from '../../core/bytes.js';
import { KysoError } from '../../core/errors.js';
import { undoPngFilters } from '../filters.js';
import type { IncrementalWriter } from '../incremental-writer.js';
import { PdfDict, PdfRef, PdfStream, name } from '../objects.js';

/** A decoded image: 8-bit RGB samples and, when the PNG had transparency, 8-bit alpha. */
export interface DecodedImage {
  width: number;
  height: number;
  rgb: Uint8Array;
  alpha?: Uint8Array;
}

const fail = (message: string): never => {
  throw new KysoError('ERR_INVALID_ARGUMENT', `unsupported image: ${message}`);
};

/**
 * Decodes a PNG (8-bit gray, gray+alpha, RGB, RGBA or palette; not interlaced) — what signature and seal
 * images are. Other PNGs are refused with a typed error.
 */
export function decodePng(png: Uint8Array): DecodedImage {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 33 || sig.some((b, i) => png[i] !== b)) fail('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let width = 0,
    height = 0,
    depth = 0,
    colorType = 0,
    interlace = 0;
  let palette: Uint8Array | undefined;
  let trns: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (at + 8 <= png.length) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    if (at + 12 + len > png.length) fail('truncated chunk');
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      depth = png[at + 16]!;
      colorType = png[at + 17]!;
      interlace = png[at + 20]!;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  if (!width || !height || width * height > 64e6) fail('bad or too large dimensions');
  if (depth !== 8) fail(`bit depth ${depth} (8 is supported)`);
  if (interlace) fail('interlaced PNG');
  const channels =
    ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType] ?? fail(`colour type ${colorType}`);
  let raw: Uint8Array;
  try {
    raw = inflate(concatBytes(idat));
  } catch {
    return fail('corrupt image data');
  }
  const stride = width * channels;
  if (raw.length < height * (stride + 1)) fail('truncated image data');
  let px: Uint8Array;
  try {
    px = undoPngFilters(raw, stride, channels, height);
  } catch {
    return fail('bad row filter');
  }
  const rgb = new Uint8Array(width * height * 3);
  const hasAlpha = colorType === 4 || colorType === 6 || (colorType === 3 && trns !== undefined);
  const alpha = hasAlpha ? new Uint8Array(width * height) : undefined;
  for (let i = 0; i < width * height; i++) {
    const p = i * channels;
    let r: number,
      g: number,
      b: number,
      a = 255;
    if (colorType === 3) {
      const idx = px[p]!;
      if (!palette || idx * 3 + 2 >= palette.length) fail('palette index out of range');
      r = palette![idx * 3]!;
      g = palette![idx * 3 + 1]!;
      b = palette![idx * 3 + 2]!;
      if (trns) a = trns[idx] ?? 255;
    } else if (colorType === 0 || colorType === 4) {
      r = g = b = px[p]!;
      if (colorType === 4) a = px[p + 1]!;
    } else {
      r = px[p]!;
      g = px[p + 1]!;
      b = px[p + 2]!;
      if (colorType === 6) a = px[p + 3]!;
    }
    rgb[i * 3] = r;
    rgb[i * 3 + 1] = g;
    rgb[i * 3 + 2] = b;
    if (alpha) alpha[i] = a;
  }
  return { width, height, rgb, ...(alpha && { alpha }) };
}

/** Writes `image` as an /Image XObject (RGB, Flate) with an /SMask for its alpha; returns the reference. */
export function writeImage(writer: IncrementalWriter, image: DecodedImage): PdfRef {
  const base = () =>
    new PdfDict()
      .set('Type', name('XObject'))
      .set('Subtype', name('Image'))
      .set('Width', image.width)
      .set('Height', image.height)
      .set('BitsPerComponent', 8)
      .set('Filter', name('FlateDecode'));
  const dict = base().set('ColorSpace', name('DeviceRGB'));
  if (image.alpha) {
    const mask = writer.allocate();
    writer.set(mask, new PdfStream(base().set('ColorSpace', name('DeviceGray')), deflate(image.alpha)));
    dict.set('SMask', mask);
  }
  const ref = writer.allocate();
  writer.set(ref, new PdfStream(dict, deflate(image.rgb)));
  return ref;
}
