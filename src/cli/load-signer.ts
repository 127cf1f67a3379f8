import { createKeySigner } from '../signers/key-signer.js';
import { openPkcs11Signer } from '../signers/pkcs11-signer.js';
import type { Signer } from '../signers/signer.js';
import { readPkcs12Key } from '../signers/pkcs12-signer.js';
import { readSecret } from './secrets.js';
import { UsageError } from './usage-error.js';
import { checkReadable, readInput } from './read-input.js';

const text = { type: 'string' } as const;

/** The key options every signing command shares, as `parseArgs` options. */
export const SIGNER_OPTIONS = {
  p12: text,
  key: text,
  cert: text,
  chain: text,
  'password-env': text,
  'password-file': text,
  pkcs11: text,
  'token-label': text,
  slot: text,
  'key-label': text,
  'key-id': text,
  'pin-env': text,
  'pin-file': text,
};

/** The values of {@link SIGNER_OPTIONS}. */
export type SignerArgs = { [K in keyof typeof SIGNER_OPTIONS]?: string };

/** The {@link SignerArgs} among a command's parsed values. */
export function signerArgsOf(values: Record<string, unknown>): SignerArgs {
  return Object.fromEntries(Object.keys(SIGNER_OPTIONS).map((k) => [k, values[k]])) as SignerArgs;
}

/** Help text of {@link SignerArgs}. */
export const SIGNER_HELP = `Key (one of):
  --p12 FILE               PKCS#12 (.p12/.pfx) file with the key and certificate(s)
  --key FILE --cert FILE   private key (PEM/DER: PKCS#8, PKCS#1, SEC1) and certificate(s) (PEM/DER)
  --chain FILE             extra certificates (PEM) to embed, e.g. the issuing CA
  --pkcs11 MODULE          a USB token or HSM through its PKCS#11 driver (see kyso tokens)
    [--token-label L | --slot N] [--key-label K] [--key-id HEX] with --pin-env VAR or --pin-file FILE (or a prompt)
Password (never on the command line):
  --password-env VAR       read it from environment variable VAR
  --password-file FILE     read it from the first line of FILE
                           (otherwise asked on the terminal, hidden)`;

/** The password the options point at (asked once, e.g. before worker threads start), or undefined for a key file. */
export async function signerPassword(args: SignerArgs): Promise<string | undefined> {
  if (args.pkcs11) return readSecret({ env: args['pin-env'], file: args['pin-file'], prompt: 'Token PIN: ' });
  const secret = { env: args['password-env'], file: args['password-file'] };
  if (args.p12) {
    await checkReadable(args.p12); // a missing file is said before the password is typed
    return readSecret({ ...secret, prompt: `Password for ${args.p12}: ` });
  }
  return secret.env || secret.file ? readSecret({ ...secret, prompt: '' }) : undefined;
}

/** A key held in this process, as bytes a worker thread can build the same signer from (no password needed). */
export interface PortableKey {
  key: Uint8Array;
  certificate: Uint8Array;
  chain: Uint8Array[];
}

/**
 * Builds the {@link Signer} the options describe. `password`, when given, was already read (by
 * {@link signerPassword}); otherwise it is read here.
 */
export async function loadSigner(args: SignerArgs, password?: string): Promise<Signer> {
  return (await loadSignerAndKey(args, password)).signer;
}

/**
 * {@link loadSigner}, with the key in portable form when the process holds it (a key file or PKCS#12 file;
 * not a USB token, whose key never leaves it).
 */
export async function loadSignerAndKey(
  args: SignerArgs,
  password?: string,
): Promise<{ signer: Signer; key?: PortableKey }> {
  const secret = { env: args['password-env'], file: args['password-file'] };
  if (args.pkcs11) {
    if (args.p12 || args.key) throw new UsageError('give one key source: --pkcs11, --p12 or --key/--cert');
    const pin = password ?? (await readSecret({ env: args['pin-env'], file: args['pin-file'], prompt: 'Token PIN: ' }));
    const signer = await openPkcs11Signer({
      module: args.pkcs11,
      pin,
      ...(args.chain && { chain: [await readInput(args.chain)] }),
      ...(args['token-label'] && { tokenLabel: args['token-label'] }),
      ...(args.slot !== undefined && { slot: slotIndex(args.slot) }),
      ...(args['key-label'] && { keyLabel: args['key-label'] }),
      ...(args['key-id'] && { keyId: args['key-id'] }),
    });
    return { signer };
  }
  if (args.p12) {
    if (args.key || args.cert) throw new UsageError('give either --p12 or --key/--cert, not both');
    const bytes = await readInput(args.p12);
    password ??= await readSecret({ ...secret, prompt: `Password for ${args.p12}: ` });
    const chain = args.chain ? [await readInput(args.chain)] : [];
    const k = await readPkcs12Key(bytes, { password, extraCertificates: chain });
    return withKey({ key: k.privateKeyPkcs8, certificate: k.certificate, chain: k.chain });
  }
  if (args.key || args.cert) {
    if (!args.key || !args.cert) throw new UsageError('--key and --cert go together');
    const key = await readInput(args.key);
    const certificate = await readInput(args.cert);
    const chain = args.chain ? [await readInput(args.chain)] : [];
    return withKey({ key, certificate, chain });
  }
  throw new UsageError('no key given: use --p12 FILE, or --key FILE --cert FILE');
}

async function withKey(key: PortableKey): Promise<{ signer: Signer; key: PortableKey }> {
  return { signer: await createKeySigner(key), key };
}

function slotIndex(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new UsageError(`--slot must be a slot number from 0 (as kyso tokens lists them), not ${value}`);
  return n;
}
