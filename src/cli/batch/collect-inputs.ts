import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../usage-error.js';

/** One input file and the path of its output relative to the output folder. */
export interface BatchInput {
  path: string;
  relative: string;
}

const MAX_FILES = 1_000_000;

/**
 * Expands the command's inputs: files as they are, folders recursively (files whose name `accept` approves),
 * and glob patterns (`*`, `?`, `**`) relative to their fixed leading folder. Each input keeps the path it will
 * have under an output folder, so that the output tree mirrors the input tree.
 */
export async function collectInputs(args: string[], accept: (name: string) => boolean): Promise<BatchInput[]> {
  const out: BatchInput[] = [];
  const seen = new Set<string>();
  const add = (path: string, rel: string) => {
    const abs = resolve(path);
    if (seen.has(abs)) return;
    if (out.length >= MAX_FILES) throw new UsageError(`more than ${MAX_FILES} input files`);
    seen.add(abs);
    out.push({ path, relative: rel });
  };
  for (const arg of args) {
    if (/[*?[]/.test(arg)) {
      const parts = arg.split(/[\\/]/);
      const fixed =
        parts
          .slice(
            0,
            parts.findIndex((p) => /[*?[]/.test(p)),
          )
          .join(sep) || '.';
      const pattern = globToRegExp(relative(fixed, arg).split(sep).join('/'));
      for (const file of await walk(fixed)) {
        const rel = relative(fixed, file).split(sep).join('/');
        if (pattern.test(rel)) add(file, rel);
      }
      continue;
    }
    const s = await stat(arg).catch(() => {
      throw new UsageError(`cannot read ${arg}`);
    });
    if (s.isDirectory()) {
      for (const file of await walk(arg))
        if (accept(basename(file))) add(file, relative(arg, file).split(sep).join('/'));
    } else add(arg, basename(arg));
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const files: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new UsageError(`cannot read folder ${dir}`);
  });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await walk(p)));
    else if (e.isFile()) files.push(p);
  }
  return files;
}

/** A regular expression for a glob: `**` any folders, `*` and `?` within one name, `[...]` a class. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob.slice(i + 1, end).replace(/^!/, '^')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
