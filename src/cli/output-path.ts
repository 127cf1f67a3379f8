import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from './usage-error.js';

/**
 * Refuses an output that is the input itself (the same path, or another name of the same file: a hard or
 * symbolic link), whatever `--force` says: the README promises an input is never modified. `--in-place`,
 * where a command offers it, is the one way to replace an input.
 */
export async function refuseInputAsOutput(input: string, output: string, inPlaceHint = false): Promise<void> {
  if (!(await sameFile(input, output))) return;
  const how = inPlaceHint
    ? ', or pass --in-place (without -o) to replace the input: written beside it, then renamed over it'
    : '';
  throw new UsageError(`the output ${output} is the input; an input is never modified: choose another -o${how}`);
}

async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const [sa, sb] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

/** The output of a command that offers `--in-place`: the input with it, else `-o` or the default. */
export function inPlaceOutput(
  input: string,
  values: { output?: string; 'in-place'?: boolean },
  fallback: string,
): string {
  if (!values['in-place']) return values.output ?? fallback;
  if (values.output !== undefined) throw new UsageError('--in-place replaces the input: it takes no -o');
  return input;
}
