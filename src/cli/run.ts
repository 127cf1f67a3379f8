import { isKysoError } from '../index.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';
import { didYouMean } from './suggest.js';
import { signCommand, SIGN_HELP } from './commands/sign.js';
import { verifyCommand, VERIFY_HELP } from './commands/verify.js';
import { inspectCommand, INSPECT_HELP } from './commands/inspect.js';
import { timestampCommand, TIMESTAMP_HELP } from './commands/timestamp.js';
import { ltvCommand, LTV_HELP } from './commands/ltv.js';
import { tokensCommand, TOKENS_HELP } from './commands/tokens.js';
import { serveVerifyCommand, SERVE_VERIFY_HELP } from './commands/serve-verify.js';
import { trustCommand, TRUST_HELP } from './commands/trust.js';
import { certCommand, CERT_HELP } from './commands/cert.js';

type Command = { run: (argv: string[]) => Promise<number>; help: string; summary: string };

const COMMANDS: Record<string, Command> = {
  sign: { run: signCommand, help: SIGN_HELP, summary: 'sign a PDF (PAdES)' },
  verify: {
    run: verifyCommand,
    help: VERIFY_HELP,
    summary: 'verify the signatures of PDFs (exit 0 passed, 1 failed, 2 indeterminate)',
  },
  timestamp: { run: timestampCommand, help: TIMESTAMP_HELP, summary: 'time-stamp any file (RFC 3161) into FILE.tsr' },
  ltv: { run: ltvCommand, help: LTV_HELP, summary: 'add long-term validation data (PAdES B-LT; B-LTA with --tsa)' },
  tokens: {
    run: tokensCommand,
    help: TOKENS_HELP,
    summary: 'list USB tokens / HSM slots and their certificates (PKCS#11)',
  },
  inspect: {
    run: inspectCommand,
    help: INSPECT_HELP,
    summary: "list a PDF's revisions, signature fields and certificates",
  },
  'serve-verify': {
    run: serveVerifyCommand,
    help: SERVE_VERIFY_HELP,
    summary: 'serve the in-browser verification page on 127.0.0.1 (files stay in the browser)',
  },
  trust: {
    run: trustCommand,
    help: TRUST_HELP,
    summary: 'list the trust anchors and intermediates (kyso trust list vn), or show where a certificate chains to',
  },
  cert: {
    run: certCommand,
    help: CERT_HELP,
    summary: 'make a self-signed TEST certificate in a .p12 (cert create --self-signed)',
  },
};

const VERSION = '0.1.0';

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const list = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
    .join('\n');
  return `kyso ${VERSION} — sign, verify and timestamp e-government documents

Usage: kyso COMMAND [options]

Commands:
${list}

Run "kyso COMMAND --help" for a command's options.
Exit codes: 0 success (verify: all passed), 1 failure, 2 indeterminate (verify), 3 usage or I/O error.`;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    // nothing asked: the help, but as a usage error, so that a script that lost its arguments does not pass
    console.error(mainHelp());
    return EXIT.USAGE;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    console.log(topic && COMMANDS[topic] ? COMMANDS[topic].help : mainHelp());
    return EXIT.OK;
  }
  if (name === '--version' || name === '-V') {
    console.log(VERSION);
    return EXIT.OK;
  }
  const command = COMMANDS[name];
  try {
    if (!command)
      throw new UsageError(`unknown command "${name}".${didYouMean(name, Object.keys(COMMANDS))}`.replace(/\.$/, ''));
    return await command.run(rest);
  } catch (e) {
    return report(e, name);
  }
}

function report(e: unknown, command: string): number {
  const known = COMMANDS[command] !== undefined;
  const prefix = known ? `kyso ${command}: ` : 'kyso: ';
  // one prefix per message, whoever wrote the message
  const message = (m: string) => {
    const doubled = [`kyso ${command}: `, `kyso ${command} `, 'kyso: '].find((p) => m.startsWith(p));
    return prefix + (doubled ? m.slice(doubled.length) : m);
  };
  if (e instanceof UsageError || (e as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`${message((e as Error).message)}\nRun "kyso ${known ? command + ' ' : ''}--help" for usage.`);
    return EXIT.USAGE;
  }
  if (isKysoError(e)) {
    console.error(`${message(e.message)} [${e.code}]`);
    return e.code === 'ERR_IO' || e.code === 'ERR_DISK_FULL' ? EXIT.USAGE : EXIT.FAILED;
  }
  console.error(`${prefix}unexpected error: ${(e as Error)?.stack ?? String(e)}`);
  return EXIT.FAILED;
}
