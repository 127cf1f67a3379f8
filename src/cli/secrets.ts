import { readFile } from 'node:fs/promises';
import { UsageError } from './usage-error.js';

/** Where a secret (password, PIN) comes from: never the command line itself, so it stays out of `ps` and shell history. */
export interface SecretSource {
  /** Name of an environment variable holding the secret. */
  env?: string;
  /** A file whose first line is the secret. */
  file?: string;
  /** Prompt text for an interactive terminal. */
  prompt: string;
}

/** Reads a secret from the environment, a file, or a hidden prompt on a terminal, in that order. */
export async function readSecret(source: SecretSource): Promise<string> {
  if (source.env) {
    const v = process.env[source.env];
    if (v === undefined) throw new UsageError(`environment variable ${source.env} is not set`);
    return v;
  }
  if (source.file) {
    const text = await readFile(source.file, 'utf8').catch((e: Error) => {
      throw new UsageError(`cannot read ${source.file}: ${e.message}`);
    });
    return text.split(/\r?\n/)[0] ?? '';
  }
  if (!process.stdin.isTTY) {
    throw new UsageError(
      `${source.prompt.replace(/:\s*$/, '')} needed: use --password-env VAR or --password-file FILE`,
    );
  }
  return promptHidden(source.prompt);
}

function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
