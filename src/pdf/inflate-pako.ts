import { Inflate } from 'pako';
import { concatBytes } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { cannotInflate, inflatesPast } from './inflate-errors.js';

// The browser builds' inflate.ts (tsup.config.ts swaps it in): there is no zlib in a browser.

/** As inflate.ts: inflates chunk by chunk, refusing (`ERR_PDF_LIMIT`) as soon as the output passes `max` bytes. */
export function inflateAtMost(data: Uint8Array, max: number): Uint8Array {
  const inflater = new Inflate({ chunkSize: 64 * 1024 });
  const chunks: Uint8Array[] = [];
  let total = 0;
  inflater.onData = (data) => {
    const chunk = data as Uint8Array; // binary output: pako gives strings only with { to: 'string' }
    total += chunk.length;
    if (total > max) throw inflatesPast(max);
    chunks.push(chunk);
  };
  try {
    inflater.push(data, true);
  } catch (e) {
    if (e instanceof KysoError) throw e;
    throw cannotInflate('', e);
  }
  if (inflater.err) throw cannotInflate(inflater.msg);
  return chunks.length === 1 ? chunks[0]! : concatBytes(chunks);
}
