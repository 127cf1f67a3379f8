import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { extname, resolve } from 'node:path';
import { HttpTimestampSource, addLtv, signDetached, signPdf, signXml, timestampPdf, type DigestAlgorithm, type ProfileName, type Signer } from '../../index.js';
import { headerOptions } from './timestamp.js';
import { writeFileAtomic } from '../atomic-write.js';
import { loadSigner, SIGNER_HELP } from '../load-signer.js';
import { UsageError } from '../usage-error.js';
import { EXIT } from '../exit-codes.js';

export const SIGN_HELP = `Usage: kyso sign IN.pdf -o OUT.pdf [key options] [signature options]
       kyso sign decl.xml --profile tax|bhxh|einvoice [--role ROLE] [-o OUT.xml]
       kyso sign FILE --detached [-o FILE.p7s]

Signs a PDF (PAdES B-B, or B-T with --tsa) in an incremental update: OUT begins with the exact bytes
of IN, and earlier signatures stay valid. An XML declaration or e-invoice gets an enveloped XMLDSig
signature where its profile puts it. --detached writes a CAdES signature of any file (streamed).
Outputs are written atomically; IN is never modified.

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
  --level B-B|B-T|B-LT|B-LTA  PAdES level (B-T and up need --tsa; B-LT adds OCSP/CRL data fetched from
                           the certificates' URLs; B-LTA a document timestamp over it; default: B-T with --tsa, else B-B)
  --profile NAME           XML profile: tax (HTKK/eTax), bhxh (social insurance), einvoice (Decree 123)
  --role ROLE              XML signer role, e.g. seller, buyer, tax-authority (default: the profile's first)
  --xades                  XML: add XAdES-BES signed properties (XAdES-T with --tsa)
  --detached               write a detached CAdES signature (.p7s) of any file instead
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
      profile: { type: 'string' },
      role: { type: 'string' },
      xades: { type: 'boolean' },
      detached: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(SIGN_HELP);
    return EXIT.OK;
  }
  if (positionals.length !== 1) throw new UsageError('kyso sign takes exactly one input file');
  const input = positionals[0]!;
  const head = await readHead(input);
  const mode = values.detached ? 'detached' : values.profile || looksLikeXml(head) ? 'xml' : 'pdf';
  const output = values.output ?? (mode === 'detached' ? `${input}.p7s` : defaultOutput(input, mode === 'xml' ? '.xml' : '.pdf'));
  if (resolve(output) === resolve(input) && !values.force) {
    throw new UsageError('the output would overwrite the input; choose another -o, or add --force');
  }
  let hash: DigestAlgorithm | undefined;
  if (values.hash !== undefined) {
    hash = HASHES[values.hash.toLowerCase().replace('-', '')];
    if (!hash) throw new UsageError(`--hash must be sha256, sha384 or sha512, not ${values.hash}`);
  }
  const level = (values.level ?? (values.tsa ? 'B-T' : 'B-B')).toUpperCase();
  if (!['B-B', 'B-T', 'B-LT', 'B-LTA'].includes(level)) throw new UsageError(`--level must be B-B, B-T, B-LT or B-LTA, not ${values.level}`);
  if (level !== 'B-B' && !values.tsa) throw new UsageError(`--level ${level} needs --tsa URL`);
  const tsa = level !== 'B-B' ? new HttpTimestampSource({ url: values.tsa!, headers: headerOptions(values['tsa-header']) }) : undefined;
  if (values.profile && !['tax', 'bhxh', 'einvoice'].includes(values.profile)) throw new UsageError(`--profile must be tax, bhxh or einvoice, not ${values.profile}`);
  const signer = await loadSigner(values);
  let signed: Uint8Array;
  if (mode === 'detached') {
    signed = await signDetached(createReadStream(input), { signer, ...(hash && { hash }), ...(values.pss && { pss: true }), ...(tsa && { tsa }) });
  } else if (mode === 'xml') {
    signed = await signXml(await readFile(input), {
      signer,
      // Receivers rarely hold the signer's intermediate CA: ship the chain in KeyInfo.
      includeChain: true,
      ...(values.profile && { profile: values.profile as ProfileName }),
      ...(values.role && { role: values.role }),
      ...(hash && { hash }),
      ...(values.xades && { xades: true }),
      ...(tsa && { tsa }),
    });
  } else {
    signed = await signPdfFile(input, values, signer, hash, tsa);
    if (level === 'B-LT' || level === 'B-LTA') signed = (await addLtv(signed, { certificates: signer.chain })).pdf;
    if (level === 'B-LTA') signed = await timestampPdf(signed, { tsa: tsa! });
  }
  await writeFileAtomic(output, signed, { overwrite: values.force });
  console.error(`signed ${input} -> ${output}`);
  return EXIT.OK;
}

async function signPdfFile(input: string, values: Record<string, string | boolean | string[] | undefined>, signer: Signer, hash: DigestAlgorithm | undefined, tsa: HttpTimestampSource | undefined): Promise<Uint8Array> {
  const pdf = await readFile(input);
  const text = (k: string) => values[k] as string | undefined;
  return signPdf(pdf, {
    signer,
    reason: text('reason'),
    location: text('location'),
    contactInfo: text('contact'),
    name: text('name'),
    fieldName: text('field'),
    hash,
    pss: values.pss === true,
    subFilter: values['legacy-subfilter'] ? 'adbe.pkcs7.detached' : 'ETSI.CAdES.detached',
    ...(tsa && { tsa }),
  });
}

async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r').catch((e: Error) => {
    throw new UsageError(`cannot read ${path}: ${e.message}`);
  });
  try {
    const buf = new Uint8Array(1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** True when the file starts (after a BOM and white space) with `<` and is not a PDF. */
export function looksLikeXml(head: Uint8Array): boolean {
  const text = new TextDecoder().decode(head).replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('<') && !text.startsWith('%PDF');
}

function defaultOutput(input: string, fallbackExt: string): string {
  const ext = extname(input);
  return `${input.slice(0, input.length - ext.length)}-signed${ext || fallbackExt}`;
}
