import { KysoError } from '../../core/errors.js';

/** The serif faces kyso ships: Liberation Serif, metric-compatible with Times New Roman (SIL OFL 1.1). */
export type ShippedFace = 'Regular' | 'Bold' | 'Italic';

const cache = new Map<ShippedFace, Promise<Uint8Array>>();

/**
 * Reads a shipped font file from the package's `assets/fonts/` (Node only: in a browser, pass your own font
 * bytes). The folder is found by walking up from this module, which sits at different depths in `src/` and in
 * the built `dist/`.
 */
export function shippedFont(face: ShippedFace): Promise<Uint8Array> {
  let p = cache.get(face);
  if (!p) {
    p = (async () => {
      const { readFile } = await import('node:fs/promises');
      for (let up = 1; up <= 5; up++) {
        const url = new URL(`${'../'.repeat(up)}assets/fonts/LiberationSerif-${face}.ttf`, import.meta.url);
        try {
          return new Uint8Array(await readFile(url));
        } catch {
          // not at this depth
        }
      }
      throw new KysoError(
        'ERR_IO',
        `the shipped font LiberationSerif-${face}.ttf was not found; pass font bytes instead`,
      );
    })();
    p.catch(() => cache.delete(face));
    cache.set(face, p);
  }
  return p;
}
