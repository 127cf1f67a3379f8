import { isKysoError, type KysoErrorCode } from '../core/errors.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from './usage-error.js';
import { didYouMean } from './suggest.js';

type CommandModule = { run: (argv: string[]) => Promise<number>; help: string };
type Command = { summary: string; load: () => Promise<CommandModule> };

// Each command's module (and the part of the library it needs) is loaded only when that command runs: start-up
// is most of a one-file run, and `kyso --help` needs none of them.
const COMMANDS: Record<string, Command> = {
  sign: {
    summary: 'sign a PDF (PAdES)',
    load: () => import('./commands/sign.js').then((m) => ({ run: m.signCommand, help: m.SIGN_HELP })),
  },
  verify: {
    summary: 'verify the signatures of PDFs (exit 0 passed, 1 failed, 2 indeterminate)',
    load: () => import('./commands/verify.js').then((m) => ({ run: m.verifyCommand, help: m.VERIFY_HELP })),
  },
  timestamp: {
    summary: 'time-stamp any file (RFC 3161) into FILE.tsr',
    load: () => import('./commands/timestamp.js').then((m) => ({ run: m.timestampCommand, help: m.TIMESTAMP_HELP })),
  },
  ltv: {
    summary: 'add long-term validation data (PAdES B-LT; B-LTA with --tsa)',
    load: () => import('./commands/ltv.js').then((m) => ({ run: m.ltvCommand, help: m.LTV_HELP })),
  },
  tokens: {
    summary: 'list USB tokens / HSM slots and their certificates (PKCS#11)',
    load: () => import('./commands/tokens.js').then((m) => ({ run: m.tokensCommand, help: m.TOKENS_HELP })),
  },
  inspect: {
    summary: "list a PDF's revisions, signature fields and certificates",
    load: () => import('./commands/inspect.js').then((m) => ({ run: m.inspectCommand, help: m.INSPECT_HELP })),
  },
  'serve-verify': {
    summary: 'serve the in-browser verification page on 127.0.0.1 (files stay in the browser)',
    load: () =>
      import('./commands/serve-verify.js').then((m) => ({ run: m.serveVerifyCommand, help: m.SERVE_VERIFY_HELP })),
  },
  trust: {
    summary: 'list the trust anchors and intermediates (kyso trust list vn), or show where a certificate chains to',
    load: () => import('./commands/trust.js').then((m) => ({ run: m.trustCommand, help: m.TRUST_HELP })),
  },
  cert: {
    summary: 'make a self-signed TEST certificate in a .p12 (cert create --self-signed)',
    load: () => import('./commands/cert.js').then((m) => ({ run: m.certCommand, help: m.CERT_HELP })),
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

/** The command of that name (not a property every object has, such as "constructor"). */
const commandNamed = (name: string): Command | undefined =>
  Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;

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
    const command = topic === undefined ? undefined : commandNamed(topic);
    console.log(command ? (await command.load()).help : mainHelp());
    return EXIT.OK;
  }
  if (name === '--version' || name === '-V') {
    console.log(VERSION);
    return EXIT.OK;
  }
  const command = commandNamed(name);
  try {
    if (!command)
      throw new UsageError(`unknown command "${name}".${didYouMean(name, Object.keys(COMMANDS))}`.replace(/\.$/, ''));
    return await (await command.load()).run(rest);
  } catch (e) {
    return report(e, name);
  }
}

/** Errors the user fixes in the environment (a file, the disk, a package to install): exit 3, as usage errors. */
const ENVIRONMENT_ERRORS = new Set<KysoErrorCode>(['ERR_IO', 'ERR_DISK_FULL', 'ERR_DEPENDENCY_MISSING']);

function report(e: unknown, command: string): number {
  const known = commandNamed(command) !== undefined;
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
    return ENVIRONMENT_ERRORS.has(e.code) ? EXIT.USAGE : EXIT.FAILED;
  }
  console.error(`${prefix}unexpected error: ${(e as Error)?.stack ?? String(e)}`);
  return EXIT.FAILED;
}
