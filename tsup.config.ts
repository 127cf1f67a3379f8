import { defineConfig } from 'tsup';

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
    ...node,
  },
  {
    entry: { index: 'src/index.ts' },
    format: ['cjs'],
    dts: true,
    treeshake: true,
    // import.meta.url in the CommonJS build (the shipped fonts are found relative to the module)
    shims: true,
    ...node,
  },
  {
    // the browser bundle: one ES module with its dependencies, no Node built-in
    entry: { browser: 'src/browser.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    dts: true,
    noExternal: [/.*/],
    // pdf.js (placement by the page's content) is the page's own import, resolved by its bundler
    external: ['node:fs/promises', 'node:module', 'node:path', 'pdfjs-dist', '@napi-rs/canvas'],
    minify: true,
    esbuildOptions(options) {
      options.alias = { crypto: './src/xml/browser-crypto-shim.ts' };
      // what loads on demand (fontkit for visible signatures, node-forge for legacy .p12 files) in a folder of its own
      options.chunkNames = 'browser-chunks/[name]-[hash]';
    },
  },
]);
