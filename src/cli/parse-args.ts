import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';
import { didYouMean } from './suggest.js';

/** Secrets that must not be typed on the command line, and the options that take them instead. */
const SECRET_OPTIONS = ['password', 'pin', 'pass', 'passphrase'];

/**
 * `node:util` parseArgs for the CLI's commands: the same call and result, but a mistake is a {@link UsageError}
 * in our words, with "did you mean" drawn from the command's own options table (so every option a command
 * declares is suggested without a list kept by hand), and `--password VALUE` pointed to the safe options.
 */
export function parseArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof nodeParseArgs<T>> {
  try {
    return nodeParseArgs(config);
  } catch (e) {
    throw usageErrorOf(e, config.options ?? {});
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

function usageErrorOf(e: unknown, options: Options): unknown {
  const code = (e as { code?: string })?.code;
  const message = (e as Error)?.message ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /option '([^']+)'/.exec(message)?.[1] ?? '';
    return new UsageError(unknownOption(option, options));
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /Option '(?:-\w, )?(--[^' ]+)/.exec(message)?.[1];
    const takesValue = option && options[option.slice(2)]?.type === 'string';
    return new UsageError(option ? (takesValue ? `${option} needs a value` : `${option} takes no value`) : message);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /argument '([^']*)'/i.exec(message)?.[1];
    return new UsageError(
      arg === undefined
        ? 'this command takes no file arguments'
        : `unexpected argument "${arg}": this command takes no file arguments`,
    );
  }
  return e;
}

function unknownOption(option: string, options: Options): string {
  const long = option.startsWith('--');
  const name = long ? option.slice(2).split('=')[0]! : option.replace(/^-/, '');
  const safe = Object.keys(options).filter(
    (o) => /-(env|file)$/.test(o) && SECRET_OPTIONS.some((s) => o.startsWith(`${s}-`)),
  );
  if (long && SECRET_OPTIONS.includes(name)) {
    const forThis = safe.filter((o) => o.startsWith(`${name}-`));
    const offer = (forThis.length ? forThis : safe).map((o) => `--${o} ${o.endsWith('-env') ? 'VAR' : 'FILE'}`);
    const where = offer.length ? `use ${offer.join(' or ')}` : 'this command takes none';
    return `secrets are not taken on the command line (they would show in the process list and the shell history): ${where}`;
  }
  const known = Object.entries(options).flatMap(([n, o]) => [`--${n}`, ...(o.short ? [`-${o.short}`] : [])]);
  const asked = long ? `--${name}` : option;
  const hint = didYouMean(asked, known);
  return `unknown option ${asked}${hint ? `.${hint}` : ''}`;
}
