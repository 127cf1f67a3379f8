/**
 * Builds kyso for the browser example (a page without a bundler) into examples/browser/kyso/: src/browser.ts
 * with every dependency inside; fontkit and node-forge in browser-chunks/, loaded on demand.
 * `npm run build:browser-example` runs it; then serve the repository's folder and open examples/browser/.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { selfContainedBrowserBuild } from '../../tsup.config.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Builds the bundle into `out` (emptied first); returns `out`. */
export async function buildBrowserExample(out = join(HERE, 'kyso')): Promise<string> {
  await build(selfContainedBrowserBuild({ browser: join(HERE, '..', '..', 'src', 'browser.ts') }, out));
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(`kyso for the browser example: ${await buildBrowserExample()}`);
}
