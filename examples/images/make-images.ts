/**
 * Draws the example signature (blue ink) and seal (red) images as transparent PNGs. They are drawn for the
 * examples, not taken from any real person or organisation.
 *
 * Run: `npx tsx examples/images/make-images.ts`
 */
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Uint8Array) => {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

function png(width: number, height: number, rgba: Uint8Array): Buffer {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    Buffer.from(data).copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++)
    Buffer.from(rgba.subarray(y * width * 4, (y + 1) * width * 4)).copy(raw, y * (width * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** A canvas of RGBA pixels with a round pen. */
function canvas(w: number, h: number) {
  const px = new Uint8Array(w * h * 4);
  const dot = (x: number, y: number, r: number, [cr, cg, cb]: number[]) => {
    for (let dy = -r; dy <= r; dy++)
      for (let dx = -r; dx <= r; dx++) {
        const d = Math.hypot(dx, dy);
        if (d > r) continue;
        const X = Math.round(x + dx),
          Y = Math.round(y + dy);
        if (X < 0 || Y < 0 || X >= w || Y >= h) continue;
        const i = (Y * w + X) * 4;
        const a = Math.round(255 * Math.min(1, r - d + 0.5));
        if (a > px[i + 3]!) [px[i], px[i + 1], px[i + 2], px[i + 3]] = [cr!, cg!, cb!, a];
      }
  };
  return { px, dot };
}

export function signatureImage(): Buffer {
  const w = 360,
    h = 140;
  const { px, dot } = canvas(w, h);
  const blue = [20, 40, 160];
  for (let t = 0; t <= 1; t += 0.0005) {
    // a flowing signature: loops along a rising baseline, then an underline stroke
    const x = 20 + t * 300;
    const y = 85 - 30 * Math.sin(t * Math.PI * 7) * Math.exp(-t) - t * 25 + 12 * Math.sin(t * 31);
    dot(x, y, 2.2, blue);
  }
  for (let t = 0; t <= 1; t += 0.002) dot(40 + t * 280, 115 - t * 12, 1.6, blue);
  return png(w, h, px);
}

export function sealImage(): Buffer {
  const s = 400;
  const { px, dot } = canvas(s, s);
  const red = [210, 20, 30];
  const c = s / 2;
  for (let a = 0; a < Math.PI * 2; a += 0.002) {
    dot(c + 190 * Math.cos(a), c + 190 * Math.sin(a), 5, red);
    dot(c + 150 * Math.cos(a), c + 150 * Math.sin(a), 3, red);
  }
  // a five-pointed star in the middle
  const pts = Array.from({ length: 10 }, (_, i) => {
    const r = i % 2 ? 28 : 70;
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    return [c + r * Math.cos(a), c + r * Math.sin(a)] as const;
  });
  for (let y = c - 75; y <= c + 75; y++)
    for (let x = c - 75; x <= c + 75; x++) {
      let inside = false;
      for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        const [xi, yi] = pts[i]!,
          [xj, yj] = pts[j]!;
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
      if (inside) dot(x, y, 0.6, red);
    }
  return png(s, s, px);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
  writeFileSync(here('./chu-ky-mau.png'), signatureImage());
  writeFileSync(here('./con-dau-mau.png'), sealImage());
  console.log('wrote chu-ky-mau.png and con-dau-mau.png');
}
