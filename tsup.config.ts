import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    treeshake: true,
    // import.meta.url in the CommonJS build (the shipped fonts are found relative to the module)
    shims: true,
    // pdf.js and its canvas load on demand (placement by the page's content, previews), from node_modules
    external: ['pkcs11js', 'pdfjs-dist', '@napi-rs/canvas'],
  },
  {
    // the browser bundle: one ES module with its dependencies, no Node built-in
    entry: { browser: 'src/browser.ts' },
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    dts: true,
    sourcemap: true,
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
  {
    entry: { 'cli/main': 'src/cli/main.ts', 'cli/sign-worker': 'src/cli/batch/sign-worker.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    external: ['pkcs11js', 'pdfjs-dist', '@napi-rs/canvas'],
    banner: { js: '#!/usr/bin/env node' },
  },
]);
