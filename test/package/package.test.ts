import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// @ts-expect-error a plain script without declarations
import { srcImports } from '../../scripts/src-imports.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('package.json', () => {
  it('lists as runtime dependencies exactly the packages src/ imports (scripts/src-imports.mjs)', () => {
    const imported = [...(srcImports() as Map<string, string[]>).keys()].sort();
    const declared = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})].sort();
    expect(declared).toEqual(imported);
    for (const name of Object.keys(pkg.dependencies))
      expect(pkg.devDependencies[name], `${name} twice`).toBeUndefined();
  });
});

describe('npm pack', () => {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
  ) as [{ name: string; version: string; size: number; unpackedSize: number; files: { path: string; size: number }[] }];

  it('ships no source maps, no sources, no tests, and a LICENSE', () => {
    const paths = packed!.files.map((f) => f.path);
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths.filter((p) => /^(src|test|bench|scripts)\//.test(p))).toEqual([]);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('assets/fonts/LICENSE-OFL.txt');
  });

  it('stays within its size budget (fonts apart)', () => {
    const fonts = packed!.files.filter((f) => f.path.startsWith('assets/fonts/')).reduce((n, f) => n + f.size, 0);
    // 2.7 MB today, most of it the self-contained browser bundle (fontkit 0.98 MB, node-forge 0.3 MB);
    // the budget catches a regression such as source maps (12.5 MB) coming back; 3.9 MB today, of which the
    // browser's on-demand chunks (fontkit 0.98 MB, pdf.js 0.47 MB, node-forge 0.30 MB) are the most
    expect(packed!.unpackedSize - fonts).toBeLessThan(4_000_000);
  });
});
