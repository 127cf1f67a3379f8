import { parseArgs } from 'node:util';
import { listTokens, TOKEN_DRIVER_HINTS } from '../../index.js';
import { readSecret } from '../secrets.js';
import { EXIT } from '../exit-codes.js';

export const TOKENS_HELP = `Usage: kyso tokens --pkcs11 MODULE [--pin-env VAR | --pin-file FILE] [--json]

Lists the slots of a PKCS#11 module (a USB token or HSM driver), their tokens and, with a PIN, the
certificates on each. Without --pkcs11 it prints where the usual token drivers live.`;

/** `kyso tokens`. */
export async function tokensCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { pkcs11: { type: 'string' }, 'pin-env': { type: 'string' }, 'pin-file': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || !values.pkcs11) {
    console.log(TOKENS_HELP);
    console.log('\nCommon PKCS#11 drivers (check your CA\'s installer for the exact one):');
    for (const h of TOKEN_DRIVER_HINTS) console.log(`  ${h.vendor}: ${h.linux} (Linux), ${h.windows} (Windows)`);
    return values.help ? EXIT.OK : EXIT.USAGE;
  }
  const pin = values['pin-env'] || values['pin-file'] ? await readSecret({ env: values['pin-env'], file: values['pin-file'], prompt: '' }) : undefined;
  const tokens = await listTokens(values.pkcs11, pin);
  if (values.json) console.log(JSON.stringify(tokens, null, 2));
  else {
    if (tokens.length === 0) console.log('no token present');
    for (const t of tokens) {
      console.log(`slot ${t.slot}: "${t.label}" — ${t.manufacturer} ${t.model}, serial ${t.serialNumber}`);
      for (const c of t.certificates ?? []) console.log(`  certificate: ${c.subject.display} (issuer ${c.issuer.commonName ?? c.issuer.display}, until ${c.notAfter.toISOString().slice(0, 10)})`);
    }
  }
  return EXIT.OK;
}
