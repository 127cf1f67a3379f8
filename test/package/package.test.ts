import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error a plain script without declarations
import { srcImports } from '../../scripts/src-imports.mjs';
import { scratchDir } from '../fixtures/tools.js';

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

  it("the browser build leaves the large on-demand dependencies to the application's bundler, no Node built-in", () => {
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
    // what verification imports comes inside (xml-crypto requires Node's crypto): the file loads in a page
    // without a bundler, as kyso serve-verify's page does
    expect([...imported].sort()).toEqual(['@pdf-lib/fontkit', 'node-forge', 'pdfjs-dist']);
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

/** The files `npm pack` would ship, with their sizes. */
type Packed = { size: number; unpackedSize: number; files: { path: string; size: number }[] };

/**
 * What `npm pack` ships after its prepack script: the script (package.json's, whatever it builds) runs in a
 * copy of the sources in a scratch folder, so that the tests' own dist/ is left alone.
 */
function packAfterPrepack(): Packed {
  const copy = scratchDir('kyso-pack-');
  for (const f of [
    'package.json',
    'tsconfig.json',
    'tsup.config.ts',
    'README.md',
    'LICENSE',
    'src',
    'assets',
    'examples',
  ])
    cpSync(join(root, f), join(copy, f), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
  execFileSync('npm', ['run', 'prepack'], { cwd: copy, stdio: 'ignore' });
  return (
    JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: copy, encoding: 'utf8' }),
    ) as [Packed]
  )[0];
}

describe('npm pack', () => {
  let packed: Packed;
  beforeAll(() => {
    packed = packAfterPrepack();
  }, 180_000);

  it('ships no source maps, no sources, no tests, and a LICENSE', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths.filter((p) => /^(src|test|bench|scripts)\//.test(p))).toEqual([]);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('dist/verify/index.html');
    expect(paths).toContain('assets/fonts/LICENSE-OFL.txt');
  });

  it('stays under 2 MB unpacked, the verification page included, the fonts apart', () => {
    const size = (p: (path: string) => boolean) =>
      packed.files.filter((f) => p(f.path)).reduce((n, f) => n + f.size, 0);
    // 1.77 MB (was 6.61 MB while the verification page carried pdf.js, 4.55 MB, and its own copy of kyso);
    // the fonts are 1.15 MB
    expect(packed.unpackedSize - size((p) => p.startsWith('assets/fonts/'))).toBeLessThan(2_000_000);
    // the page is its HTML, CSS and scripts: kyso and pdf.js are the server's (test/browser/verify-page.test.ts)
    expect(size((p) => p.startsWith('dist/verify/'))).toBeLessThan(64_000);
  });
});
