import { parseArgs } from '../parse-args.js';
import { createSelfSignedCertificate } from '../../pki/self-signed.js';
import { encodePkcs12 } from '../../crypto/pkcs12.js';
import { subtle } from '../../crypto/webcrypto.js';
import { toPem } from '../../core/bytes.js';
import { writeFileAtomic } from '../atomic-write.js';
import { readSecret } from '../secrets.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

export const CERT_HELP = `Usage: kyso cert create --self-signed --out me.p12 --password-env VAR [--cn NAME] [--org ORG] [--uid UID]

FOR TESTING ONLY. Makes an RSA-2048 key and a self-signed certificate for it (WebCrypto), and writes both
to a PKCS#12 file that kyso sign --p12, openssl and the usual viewers read. Nobody trusts such a
certificate but whoever is told to (kyso verify --trust me.pem); a real signature needs a certificate from
a licensed CA on a USB token or a remote signing service.

  --self-signed            required: says you know what this is
  --out FILE               the .p12 to write (atomically; an existing file only with --force)
  --password-env VAR       the .p12's password from environment variable VAR
  --password-file FILE     ... or from the first line of FILE (else a hidden prompt on a terminal)
  --cn NAME                the subject's common name (default: "kyso test certificate")
  --org ORG                the organisation (O)
  --uid UID                a Vietnamese identifier, e.g. CCCD:001089012345 or MST:0101234567
  --days N                 validity (default 365)
  --cert-out FILE          also write the certificate alone (PEM), to pass to kyso verify --trust
  --force                  replace existing outputs`;

/** `kyso cert`: test certificates. */
export async function certCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'self-signed': { type: 'boolean' },
      out: { type: 'string', short: 'o' },
      'password-env': { type: 'string' },
      'password-file': { type: 'string' },
      cn: { type: 'string' },
      org: { type: 'string' },
      uid: { type: 'string' },
      days: { type: 'string' },
      'cert-out': { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(CERT_HELP);
    return EXIT.OK;
  }
  if (positionals[0] !== 'create' || positionals.length !== 1)
    throw new UsageError(
      'the one subcommand is "create": kyso cert create --self-signed --out me.p12 --password-env VAR',
    );
  if (!values['self-signed'])
    throw new UsageError('kyso makes test certificates only: add --self-signed (a real one comes from a licensed CA)');
  if (!values.out) throw new UsageError('--out FILE.p12 is required');
  const days = values.days === undefined ? 365 : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    throw new UsageError(`--days must be a whole number from 1 to 3650, not ${values.days}`);
  const password = await readSecret({
    env: values['password-env'],
    file: values['password-file'],
    prompt: 'Password for the new .p12: ',
  });
  if (password === '') throw new UsageError('the password is empty');

  const keys = await subtle().generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  const commonName = values.cn ?? 'kyso test certificate';
  const certificate = await createSelfSignedCertificate({
    keys,
    commonName,
    days,
    ...(values.org !== undefined && { organization: values.org }),
    ...(values.uid !== undefined && { uid: values.uid }),
  });
  const pkcs8 = new Uint8Array(await subtle().exportKey('pkcs8', keys.privateKey));
  const p12 = await encodePkcs12(pkcs8, [certificate], password, { friendlyName: commonName });
  await writeFileAtomic(values.out, p12, { overwrite: values.force });
  if (values['cert-out'])
    await writeFileAtomic(values['cert-out'], new TextEncoder().encode(toPem('CERTIFICATE', certificate)), {
      overwrite: values.force,
    });
  console.error(
    `wrote ${values.out}${values['cert-out'] ? ` and ${values['cert-out']}` : ''}: a SELF-SIGNED TEST certificate for "${commonName}", valid ${days} days — for trying kyso, not for real documents`,
  );
  return EXIT.OK;
}
