#!/usr/bin/env node
import module from 'node:module';
import { main } from './run.js';

// Node 22+ keeps V8's compiled code of the modules a command loads between runs (start-up is most of a one-file
// run); Node 20 has no such cache and skips this
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
