import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { extname, resolve } from 'node:path';
import { HttpTimestampSource, signPdf, type DigestAlgorithm } from '../../index.js';
import { headerOptions } from './timestamp.js';
import { writeFileAtomic } from '../atomic-write.js';
import { loadSigner, SIGNER_HELP } from '../load-signer.js';
import { UsageError } from '../usage-error.js';
import { EXIT } from '../exit-codes.js';

export const SIGN_HELP = `Usage: kyso sign IN.pdf -o OUT.pdf [key options] [signature options]

Signs a PDF (PAdES baseline B-B) in an incremental update: OUT begins with the exact bytes of IN,
and earlier signatures stay valid. OUT is written atomically; IN is never modified.

${SIGNER_HELP}

Signature:
  -o, --output FILE        where to write the signed PDF (default: IN-signed.pdf)
  --reason TEXT            reason for signing (/Reason)
  --location TEXT          place of signing (/Location)
  --contact TEXT           contact information (/ContactInfo)
  --name TEXT              signer name shown by viewers (default: the certificate's CN)
  --field NAME             signature field name (an existing empty field of that name is signed)
  --hash sha256|sha384|sha512   digest algorithm (default: the key's natural one)
  --pss                    RSA-PSS instead of PKCS#1 v1.5 with an RSA key
  --legacy-subfilter       adbe.pkcs7.detached instead of ETSI.CAdES.detached, for old validators
  --tsa URL                add a signature timestamp from this RFC 3161 TSA (PAdES B-T)
  --tsa-header "K: V"      an extra HTTP header for the TSA (repeatable)
  --level B-B|B-T          PAdES level (B-T needs --tsa; default: B-T with --tsa, else B-B)
  --force                  replace OUT if it exists
  -h, --help               this help`;

const HASHES: Record<string, DigestAlgorithm> = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

/** `kyso sign`. */
export async function signCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      p12: { type: 'string' },
      key: { type: 'string' },
      cert: { type: 'string' },
      chain: { type: 'string' },
      'password-env': { type: 'string' },
      'password-file': { type: 'string' },
      reason: { type: 'string' },
      location: { type: 'string' },
      contact: { type: 'string' },
      name: { type: 'string' },
      field: { type: 'string' },
      hash: { type: 'string' },
      pss: { type: 'boolean' },
      'legacy-subfilter': { type: 'boolean' },
      tsa: { type: 'string' },
      'tsa-header': { type: 'string', multiple: true },
      level: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(SIGN_HELP);
    return EXIT.OK;
  }
  if (positionals.length !== 1) throw new UsageError('kyso sign takes exactly one input file');
  const input = positionals[0]!;
  const output = values.output ?? defaultOutput(input);
  if (resolve(output) === resolve(input) && !values.force) {
    throw new UsageError('the output would overwrite the input; choose another -o, or add --force');
  }
  let hash: DigestAlgorithm | undefined;
  if (values.hash !== undefined) {
    hash = HASHES[values.hash.toLowerCase().replace('-', '')];
    if (!hash) throw new UsageError(`--hash must be sha256, sha384 or sha512, not ${values.hash}`);
  }
  const level = (values.level ?? (values.tsa ? 'B-T' : 'B-B')).toUpperCase();
  if (level !== 'B-B' && level !== 'B-T') throw new UsageError(`--level ${values.level} is not supported here; use B-B or B-T (B-LT and B-LTA need revocation data, not yet available)`);
  if (level === 'B-T' && !values.tsa) throw new UsageError('--level B-T needs --tsa URL');
  const tsa = level === 'B-T' ? new HttpTimestampSource({ url: values.tsa!, headers: headerOptions(values['tsa-header']) }) : undefined;
  const signer = await loadSigner(values);
  const pdf = await readFile(input).catch((e: Error) => {
    throw new UsageError(`cannot read ${input}: ${e.message}`);
  });
  const signed = await signPdf(pdf, {
    signer,
    reason: values.reason,
    location: values.location,
    contactInfo: values.contact,
    name: values.name,
    fieldName: values.field,
    hash,
    pss: values.pss,
    subFilter: values['legacy-subfilter'] ? 'adbe.pkcs7.detached' : 'ETSI.CAdES.detached',
    ...(tsa && { tsa }),
  });
  await writeFileAtomic(output, signed, { overwrite: values.force });
  console.error(`signed ${input} -> ${output}`);
  return EXIT.OK;
}

function defaultOutput(input: string): string {
  const ext = extname(input);
  return `${input.slice(0, input.length - ext.length)}-signed${ext || '.pdf'}`;
}
