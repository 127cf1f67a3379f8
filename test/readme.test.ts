/**
 * The README's examples run as written: its TypeScript blocks type-check in an ES module project against the
 * built package (dist/, through package.json's exports), and its shell examples call the CLI as `npx kyso`.
 * The project assumed is the one the README states: "type": "module", @types/node, module nodenext, strict.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, scratchDir } from './fixtures/tools.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = (lang: string) =>
  [...readme.matchAll(new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```', 'gm'))].map((m) => m[1]!);

/** A fresh ESM project whose `kyso` is this checkout's build; returns a function type-checking files in it. */
function esmProject(): (files: Record<string, string>) => { status: number; output: string } {
  const dir = scratchDir('kyso-readme-');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'kyso'), 'dir');
  symlinkSync(join(root, 'node_modules', '@types'), join(dir, 'node_modules', '@types'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-sample', type: 'module', private: true }));
  const compilerOptions = {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    strict: true,
    noEmit: true,
    types: ['node'],
  };
  return (files) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: Object.keys(files) }));
    const r = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
      timeoutMs: 120_000,
    });
    return { status: r.status, output: r.stdout + r.stderr };
  };
}

describe('README', () => {
  it(
    'has TypeScript samples that type-check in an ES module project against the built package',
    { timeout: 300_000 },
    () => {
      const samples = blocks('ts');
      expect(samples.length).toBeGreaterThan(0);
      const check = esmProject();
      const r = check(Object.fromEntries(samples.map((text, i) => [`sample${i}.ts`, `${text}\nexport {};\n`])));
      expect(r.output).toBe('');
      expect(r.status).toBe(0);
      // the check can fail: a misspelt option is an error
      const broken = check({ 'broken.ts': samples[0]!.replace('reason:', 'reasonn:') + '\nexport {};\n' });
      expect(broken.status).not.toBe(0);
      expect(broken.output).toContain('reasonn');
    },
  );

  it('calls the CLI as npx kyso in every shell example', () => {
    const lines = blocks('sh').flatMap((b) => b.split('\n'));
    expect(lines.filter((l) => /^kyso\b/.test(l.trim()))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('npx kyso ')).length).toBeGreaterThan(20);
  });
});
