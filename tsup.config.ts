import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

// No source maps: they were two thirds of the package (npm pack). The Node builds drop white space and keep
// their names (stack traces stay legible); the browser bundle is minified.
const node = {
  target: 'node20' as const,
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  // pdf.js and its canvas load on demand (placement by the page's content, previews), from node_modules
  external: ['pkcs11js', 'pdfjs-dist', '@napi-rs/canvas'],
};

/**
 * Stands in for the modules `filter` matches with one that throws when loaded. Only guarded dynamic imports reach
 * them (the shipped fonts' file and pdf.js's data folders under Node; pdf.js, canvas and tokens where a bundle
 * leaves them out), so the import() rejects with the reason and the caller's typed error follows; a static import
 * fails the build (no such export).
 */
function unavailable(filter: RegExp, where: string): EsbuildPlugin {
  return {
    name: 'kyso-unavailable',
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'kyso-unavailable' }));
      build.onLoad({ filter: /.*/, namespace: 'kyso-unavailable' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not available in ${where}`)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * Under Node, PDF streams inflate with Node's zlib (src/pdf/inflate.ts); a browser has none, so the browser builds
 * take src/pdf/inflate-pako.ts in its place.
 */
const pakoInflate: EsbuildPlugin = {
  name: 'kyso-pako-inflate',
  setup(build) {
    build.onResolve({ filter: /^\.\/inflate\.js$/ }, (args) =>
      /[\\/]src[\\/]pdf$/.test(args.resolveDir) ? { path: join(args.resolveDir, 'inflate-pako.ts') } : undefined,
    );
  },
};

/** What both browser builds share: one minified ES module, on-demand parts in browser-chunks/, no Node built-in. */
const browser = {
  format: ['esm'],
  platform: 'browser',
  target: 'es2022',
  minify: true,
  // the `node:` prefix stays, for the plugin above to find
  removeNodeProtocol: false,
  esbuildOptions(options) {
    // xml-crypto's utilities require Node's crypto; the parts kyso uses never call it (the shim says so if they do)
    options.alias = { crypto: './src/xml/browser-crypto-shim.ts' };
    options.chunkNames = 'browser-chunks/[name]-[hash]';
  },
} satisfies Options;

/**
 * A browser bundle with every dependency inside, for a page without a bundler that signs (examples/browser):
 * `entry` maps output names to modules. pdf.js, the canvas and tokens are left out (a placement by the page's
 * content or a preview fails with kyso's typed error there).
 */
export function selfContainedBrowserBuild(entry: Record<string, string>, outDir: string): Options {
  const packages = ['pdfjs-dist', '@napi-rs/canvas', 'pkcs11js'].map((p) => p.replace(/[/.-]/g, '\\$&'));
  return {
    ...browser,
    entry,
    outDir,
    config: false,
    clean: true,
    silent: true,
    treeshake: true,
    noExternal: [/.*/],
    esbuildPlugins: [
      pakoInflate,
      unavailable(new RegExp(`^(node:|(${packages.join('|')})(/|$))`), 'this browser bundle'),
    ],
  };
}

/** dist/index.cjs, the CommonJS entry: the ES module through require(esm). */
async function writeCommonJsEntry(): Promise<void> {
  await writeFile(
    'dist/index.cjs',
    "'use strict';\n// kyso is an ES module; require() loads it through require(esm) (Node >= 20.19 or 22.12)\n" +
      "module.exports = require('./index.js');\n",
  );
}

export default defineConfig([
  {
    // the library and the CLI in one build: the CLI's modules share the library's chunks instead of a copy of it
    // (the CLI entries begin with their own #! line). Each command is a chunk of its own, loaded when it runs.
    // A batch's worker thread is started by its URL relative to the chunk that starts it: it sits beside the chunks.
    entry: { index: 'src/index.ts', 'cli/main': 'src/cli/main.ts', 'sign-worker': 'src/cli/batch/sign-worker.ts' },
    format: ['esm'],
    dts: { entry: { index: 'src/index.ts' } },
    clean: true,
    treeshake: true,
    splitting: true,
    onSuccess: writeCommonJsEntry,
    ...node,
  },
  {
    // CommonJS callers get the ES module itself through Node's require(esm) (Node >= 20.19): a second, CommonJS
    // copy of the library was half a megabyte of the package, and two copies are two KysoError classes
    entry: { index: 'src/index.ts' },
    format: ['cjs'],
    // declarations only: dist/index.cjs is written by writeCommonJsEntry
    dts: { only: true },
  },
  {
    // the browser build, for an application's bundler, which resolves the large dependencies kyso loads on demand
    // (fontkit, pdf.js and node-forge, 1.8 MB: a copy here would ship twice). What verification imports comes
    // inside, so that the file loads as it is in a page without a bundler (the one `kyso serve-verify` serves):
    // xml-crypto (its utilities require Node's `crypto`, mapped to a shim), xmldom and pako (together ~0.1 MB).
    // Pages that also sign without a bundler use selfContainedBrowserBuild.
    ...browser,
    entry: { browser: 'src/browser.ts' },
    dts: true,
    noExternal: ['xml-crypto', 'xpath', '@xmldom/is-dom-node', '@xmldom/xmldom', 'pako'],
    esbuildPlugins: [pakoInflate, unavailable(/^node:/, "kyso's browser build")],
  },
]);
