import { parseArgs } from '../parse-args.js';
import { findTokenDrivers, TOKEN_DRIVER_HINTS, type FoundTokenDriver } from '../../signers/token-drivers.js';
import { listTokens, type TokenListing } from '../../signers/pkcs11-signer.js';
import { readSecret } from '../secrets.js';
import { EXIT } from '../exit-codes.js';

export const TOKENS_HELP = `Usage: kyso tokens [--pkcs11 MODULE] [--pin-env VAR | --pin-file FILE] [--json] [--drivers]

Lists the slots of a PKCS#11 module (a USB token or HSM driver), their tokens, each token's PIN state
(ok, count-low, final-try, locked) and, with a PIN, the certificates on each.
Without --pkcs11 it looks for the drivers Vietnamese CAs' token installers put on this machine and lists
the tokens of each one found. --drivers prints the known driver names per CA.`;

const PIN_NOTE: Record<TokenListing['pin'], string> = {
  ok: '',
  'count-low': ' — few PIN tries left',
  'final-try': ' — one more wrong PIN locks it',
  locked: ' — LOCKED (unlock it with the SO PIN)',
};

/** `kyso tokens`. */
export async function tokensCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      pkcs11: { type: 'string' },
      'pin-env': { type: 'string' },
      'pin-file': { type: 'string' },
      json: { type: 'boolean' },
      drivers: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(TOKENS_HELP);
    return EXIT.OK;
  }
  if (values.drivers) {
    if (values.json) console.log(JSON.stringify(TOKEN_DRIVER_HINTS, null, 2));
    else for (const h of TOKEN_DRIVER_HINTS) console.log(`${h.vendor}: ${[...h.windows, ...h.unix].join(', ')}`);
    return EXIT.OK;
  }
  const pin =
    values['pin-env'] || values['pin-file']
      ? await readSecret({ env: values['pin-env'], file: values['pin-file'], prompt: '' })
      : undefined;
  if (values.pkcs11) {
    const tokens = await listTokens(values.pkcs11, pin);
    if (values.json) console.log(JSON.stringify(tokens, null, 2));
    else printTokens(tokens);
    return EXIT.OK;
  }
  // no module named: every known driver installed here, each with its tokens (a driver that fails is reported, not fatal)
  const found: (FoundTokenDriver & { tokens?: TokenListing[]; error?: { code: string; message: string } })[] =
    await findTokenDrivers();
  for (const d of found) {
    try {
      d.tokens = await listTokens(d.path, pin);
    } catch (e) {
      d.error = { code: (e as { code?: string }).code ?? 'ERR_TOKEN', message: (e as Error).message };
    }
  }
  if (values.json) {
    console.log(JSON.stringify(found, null, 2));
    return EXIT.OK;
  }
  if (found.length === 0) {
    console.log(
      "No known token driver found on this machine. Install your CA's token software, or name its driver with --pkcs11 MODULE.",
    );
    console.log('Known drivers: kyso tokens --drivers');
  }
  for (const d of found) {
    console.log(`${d.vendor}: ${d.path}`);
    if (d.error) console.log(`  cannot be used: ${d.error.message} [${d.error.code}]`);
    else if (d.tokens?.length === 0) console.log('  no token present');
    else printTokens(d.tokens ?? [], '  ');
    console.log(`  sign with: kyso sign FILE --pkcs11 ${d.path} --pin-env VAR`);
  }
  return EXIT.OK;
}

function printTokens(tokens: TokenListing[], indent = ''): void {
  if (tokens.length === 0) console.log(`${indent}no token present`);
  for (const t of tokens) {
    console.log(
      `${indent}slot ${t.slot}: "${t.label}" — ${t.manufacturer} ${t.model}, serial ${t.serialNumber}${PIN_NOTE[t.pin]}`,
    );
    for (const c of t.certificates ?? [])
      console.log(
        `${indent}  certificate: ${c.subject.display} (issuer ${c.issuer.commonName ?? c.issuer.display}, until ${c.notAfter.toISOString().slice(0, 10)})`,
      );
  }
}
