import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// @ts-expect-error a plain script without declarations
import { srcImports } from '../../scripts/src-imports.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
};

describe('package.json', () => {
  it('lists as runtime dependencies exactly the packages src/ imports (scripts/src-imports.mjs)', () => {
    const imported = [...(srcImports() as Map<string, string[]>).keys()].sort();
    const declared = [
      ...Object.keys(pkg.dependencies),
      ...Object.keys(pkg.optionalDependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
    ].sort();
    expect(declared).toEqual(imported);
    for (const name of Object.keys(pkg.dependencies))
      expect(pkg.devDependencies[name], `${name} twice`).toBeUndefined();
  });

  it('asks for pdf.js and the canvas only as optional peers (placement by content and previews), tested here', () => {
    for (const name of Object.keys(pkg.peerDependencies ?? {})) {
      expect(pkg.peerDependenciesMeta?.[name]?.optional, name).toBe(true);
      expect(pkg.devDependencies[name], `${name} for the tests`).toBeDefined();
    }
  });
});

describe('the builds', () => {
  const dist = (f: string) => new URL(`../../dist/${f}`, import.meta.url);
  const bare = (code: string) =>
    // the minified output's import specifiers that name a package or a built-in (not ./chunks)
    [
      ...code.matchAll(
        /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)["']((?:@|node:)?[a-z0-9][\w.-]*(?:\/[\w.-]+)*)["']/g,
      ),
    ].map((m) => m[1]!);

  it("the browser build leaves the dependencies to the application's bundler and names no Node built-in", () => {
    const files = ['browser.js', ...readdirSync(dist('browser-chunks')).map((f) => `browser-chunks/${f}`)];
    const imported = new Set(
      files.flatMap((f) => bare(readFileSync(dist(f), 'utf8'))).map((s) => s.replace(/^((@[^/]+\/)?[^/]+).*$/, '$1')),
    );
    const runtime = new Set([
      ...Object.keys(pkg.dependencies),
      ...Object.keys(pkg.optionalDependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
    ]);
    expect([...imported].filter((name) => !runtime.has(name))).toEqual([]);
    expect([...imported]).toEqual(expect.arrayContaining(['@pdf-lib/fontkit', 'node-forge', 'pdfjs-dist']));
    // xml-crypto comes inside (it requires Node's crypto), so no bundler has to resolve it
    expect(imported.has('xml-crypto')).toBe(false);
  });

  it('require() gets the ES module itself: one KysoError for import and require, no warning', () => {
    const script = `const r = require('./dist/index.cjs');
      import('./dist/index.js').then((m) => console.log(JSON.stringify({
        same: m.KysoError === r.KysoError, keys: Object.keys(r).length === Object.keys(m).length, n: Object.keys(r).length })));`;
    const out = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({ same: true, keys: true, n: expect.any(Number) });
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

  it('stays within its size budget (fonts and the verification page apart)', () => {
    const size = (p: (path: string) => boolean) =>
      packed!.files.filter((f) => p(f.path)).reduce((n, f) => n + f.size, 0);
    // the verification page (dist/verify, made by prepack; test/browser/verify-page.test.ts holds its budget)
    const apart = size((p) => p.startsWith('assets/fonts/') || p.startsWith('dist/verify/'));
    // 1.53 MB (was 3.9 MB with the browser build's copies of fontkit, pdf.js and node-forge and a CommonJS
    // copy of the library); the fonts are 1.15 MB
    expect(packed!.unpackedSize - apart).toBeLessThan(1_650_000);
  });
});
