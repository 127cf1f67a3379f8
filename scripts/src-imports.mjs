#!/usr/bin/env node
// Lists the packages src/ imports at run time (static and dynamic imports, re-exports; not `import type`),
// each with the files that import it. `node scripts/src-imports.mjs` prints them; test/package/dependencies.test.ts
// holds package.json's runtime dependencies to exactly this list.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Package name of a module specifier (`@scope/name/sub` → `@scope/name`), or undefined for relative and built-in ones. */
export function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Map of package name → files of src/ that import it at run time. */
export function srcImports(dir = join(root, 'src')) {
  const found = new Map();
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|js)$/.test(entry.name)) {
        const source = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        const statics = /^\s*(import|export)\s+(?!type\b)(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
        const dynamics = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
        const specifiers = [
          ...[...source.matchAll(statics)].map((m) => m[2]),
          ...[...source.matchAll(dynamics)].map((m) => m[1]),
        ];
        for (const s of specifiers) {
          const name = packageOf(s);
          if (!name) continue;
          if (!found.has(name)) found.set(name, []);
          found.get(name).push(relative(root, path));
        }
      }
    }
  };
  walk(dir);
  return found;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, files] of [...srcImports()].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${name}\t${[...new Set(files)].join(' ')}`);
  }
}
