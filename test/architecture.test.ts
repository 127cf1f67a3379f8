import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layers of src/ (design.md): a module imports only from its own folder or a lower layer. pdf/ and xml/
// are format mechanics side by side; pades/, cades/ and xades/ are the standards on top of them and of the
// validation core; the CLI, on top, calls the public API's functions from the modules that define them (not
// through src/index.ts, which would load the whole library for every command). The key interface (signers/)
// sits under cms/, which asks a Signer for the signature value.
const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['crypto'],
  ['pki'],
  ['signers'],
  ['cms'],
  ['tsa'],
  ['pdf', 'xml'],
  ['validation'],
  ['pades', 'cades', 'xades'],
  ['cli'],
];
const layerOf = (folder: string): number => LAYERS.findIndex((l) => l.includes(folder));

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');
function* modules(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* modules(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}
const folderOf = (path: string): string => relative(src, path).split('/')[0]!;

describe('the layers of src/', () => {
  const files = [...modules(src)].filter((f) => relative(src, f).includes('/'));

  it('knows every folder of src/', () => {
    const unknown = [...new Set(files.map(folderOf))].filter((f) => layerOf(f) < 0);
    expect(unknown).toEqual([]);
  });

  it('imports only downwards (a type-only import too)', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = resolve(dirname(file), spec!);
        if (!target.startsWith(src + '/')) continue; // assets/ (the trust bundle)
        if (!relative(src, target).includes('/')) {
          if (from !== 'cli') upward.push(`${relative(src, file)} → ${spec} (the public API)`);
          continue;
        }
        const to = folderOf(target);
        if (to !== from && layerOf(to) >= layerOf(from)) upward.push(`${relative(src, file)} → ${spec}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
