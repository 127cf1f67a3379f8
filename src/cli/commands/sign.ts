import { stat } from 'node:fs/promises';
import { parseArgs } from '../parse-args.js';
import { extname, join, resolve } from 'node:path';
import { loadSigner, signerArgsOf, signerPassword, SIGNER_HELP, SIGNER_OPTIONS } from '../load-signer.js';
import {
  describePlacement,
  previewOneFile,
  signModeOf,
  signOneFile,
  signSettings,
  type SignSettings,
} from '../sign-file.js';
import { collectInputs } from '../batch/collect-inputs.js';
import { runBatch } from '../batch/run-batch.js';
import { UsageError } from '../usage-error.js';
import { EXIT } from '../exit-codes.js';
import { inPlaceOutput, refuseInputAsOutput } from '../output-path.js';

export const SIGN_HELP = `Usage: kyso sign IN.pdf -o OUT.pdf [key options] [signature options]
       kyso sign decl.xml --profile tax|bhxh|einvoice [--role ROLE] [-o OUT.xml]
       kyso sign FILE --detached [-o FILE.p7s]
       kyso sign FILES|FOLDERS|GLOBS... -o OUT-FOLDER [--jobs N] [--resume] [--json]   (batch)

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
  --certify 1|2|3          a certification signature (DocMDP): after it 1 no changes, 2 forms and
                           signatures, 3 also annotations; only the first signature can certify
  --hash sha256|sha384|sha512   digest algorithm (default: the key's natural one)
  --pss                    RSA-PSS instead of PKCS#1 v1.5 with an RSA key
  --legacy-subfilter       adbe.pkcs7.detached instead of ETSI.CAdES.detached, for old validators
  --tsa URL                add a signature timestamp from this RFC 3161 TSA (PAdES B-T)
  --tsa-header "K: V"      an extra HTTP header for the TSA (repeatable)
  --level B-B|B-T|B-LT|B-LTA  PAdES level (B-T and up need --tsa; B-LT adds OCSP/CRL data fetched from
                           the certificates' URLs; B-LTA a document timestamp over it; default: B-T with --tsa, else B-B).
                           A file whose revocation data cannot all be found fails (ERR_REVOCATION_UNAVAILABLE)
                           rather than come out at a lower level than asked
  --crl FILE               B-LT/B-LTA: a CRL (DER or PEM) to embed when it cannot be fetched, e.g. the root's (repeatable)
  --profile NAME           XML profile: tax (HTKK/eTax), bhxh (social insurance), einvoice (Decree 123);
                           default: the one whose documents have the file's root element, as verify picks it
  --role ROLE              XML signer role, e.g. seller, buyer, tax-authority (default: the profile's first)
  --xades                  XML: add XAdES-BES signed properties (XAdES-T with --tsa)
  --detached               write a detached CAdES signature (.p7s) of any file instead
  --allow-expired          sign even with a certificate expired or not yet valid (refused by default)
Visible signature (Decree 30/2020; coordinates in points, origin at the lower-left of the page's crop box):
  --appearance approved|issued|appendix|copy|custom
  --image sig.png          the signer's handwritten signature (transparent PNG), for approved/custom
  --seal seal.png          the organisation's red seal (transparent PNG), for issued
  --seal-size-mm N         the seal's real diameter (default 36)
  --page N                 page number (default: the last page; the first for appendix/copy)
  --rect x,y,w,h           where (default: approved between the signer's title and name in the page's
                           signature block, TM./KT./… CHỦ TỊCH … name; appendix/copy in free space at the top
                           right; issued over the left third of the leader's signature)
  --anchor "TEXT"          or relative to text on the page, e.g. --anchor "CHỦ TỊCH" (below it; with
                           --anchor-position above, above it — e.g. above the signer's name)
  --preview page.png       render the page with the signature where it would go, and sign nothing
  --text "TEMPLATE"        text lines ("\\n" between lines) with {name} {email} {organization} {time} {iso}
                           {documentNumber} {copyType} {copyOrganization}; --no-text for none
  --document-number TEXT   appendix: the document number and symbol
  --copy-type TYPE         copy: "SAO Y", "SAO LỤC" or "TRÍCH SAO";  --copy-org TEXT the copying organisation
  --force                  replace OUT if it exists (never the input: OUT equal to IN is refused)
  --in-place               replace IN itself (signed into a file beside it, then renamed over it); no -o
Batch (several inputs, a folder or a glob such as "in/**/*.pdf"; the output folder mirrors the input tree):
  --jobs N                 signing threads, the key loaded once in each (default: one per 1.5 cores, the fastest:
                           one thread already keeps 1.5 cores busy; the batch says how many it runs)
  --resume                 skip outputs already present and signed by this signer
  --fail-fast              stop at the first failure (default: record it and go on)
  --json                   a JSON line per file and a summary on standard output
  --manifest FILE          the JSON manifest (default: OUT-FOLDER/kyso-manifest.json)
  Ctrl-C finishes the files in flight and writes no partial output; exit 1 when any file failed.
  -h, --help               this help`;

/** `kyso sign`. */
export async function signCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      ...SIGNER_OPTIONS,
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
      crl: { type: 'string', multiple: true },
      level: { type: 'string' },
      force: { type: 'boolean' },
      'in-place': { type: 'boolean' },
      profile: { type: 'string' },
      role: { type: 'string' },
      xades: { type: 'boolean' },
      detached: { type: 'boolean' },
      'allow-expired': { type: 'boolean' },
      appearance: { type: 'string' },
      certify: { type: 'string' },
      image: { type: 'string' },
      seal: { type: 'string' },
      'seal-size-mm': { type: 'string' },
      page: { type: 'string' },
      rect: { type: 'string' },
      anchor: { type: 'string' },
      'anchor-position': { type: 'string' },
      preview: { type: 'string' },
      text: { type: 'string' },
      'no-text': { type: 'boolean' },
      'document-number': { type: 'string' },
      'copy-type': { type: 'string' },
      'copy-org': { type: 'string' },
      jobs: { type: 'string' },
      resume: { type: 'boolean' },
      'fail-fast': { type: 'boolean' },
      json: { type: 'boolean' },
      manifest: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(SIGN_HELP);
    return EXIT.OK;
  }
  if (positionals.length === 0) throw new UsageError('an input file is needed');
  const settings = signSettings(values);
  const batch =
    positionals.length > 1 ||
    (await isBatchInput(positionals[0]!)) ||
    (values.output !== undefined && (await isDirectory(values.output)));
  if (batch && values.preview !== undefined) throw new UsageError('--preview shows one file: give one input');
  if (batch) return signBatch(positionals, values, settings);

  const input = positionals[0]!;
  const mode = await signModeOf(input, settings);
  const output = inPlaceOutput(
    input,
    values,
    mode === 'detached' ? `${input}.p7s` : defaultOutput(input, mode === 'xml' ? '.xml' : '.pdf'),
  );
  if (!values['in-place']) await refuseInputAsOutput(input, output, mode !== 'detached');
  // the password first (it may be asked for on the terminal); the key is then decrypted while signOneFile
  // already copies and hashes a large file
  const signer = loadSigner(values, await signerPassword(signerArgsOf(values)));
  signer.catch(() => undefined); // awaited below, which throws its failure
  if (values.preview !== undefined) {
    if (mode !== 'pdf') throw new UsageError('--preview shows a visible signature on a PDF');
    const placement = await previewOneFile(input, values.preview, await signer, settings, values.force ?? false);
    if (values.json) console.log(JSON.stringify({ input, preview: values.preview, placement }));
    console.error(`${describePlacement(placement)}; preview written to ${values.preview}, nothing signed`);
    return EXIT.OK;
  }
  const signed = await signOneFile(input, output, signer, settings, (values.force || values['in-place']) ?? false);
  if (values.json)
    console.log(JSON.stringify({ input, output, ...(signed.placement && { placement: signed.placement }) }));
  if (signed.placement) console.error(describePlacement(signed.placement));
  console.error(`signed ${input} -> ${output}`);
  return EXIT.OK;
}

async function signBatch(
  positionals: string[],
  values: Record<string, string | boolean | string[] | undefined>,
  settings: SignSettings,
): Promise<number> {
  const outDir = values.output as string | undefined;
  if (!outDir) throw new UsageError('several inputs need -o OUT-FOLDER (the output tree mirrors the input tree)');
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && (!Number.isInteger(jobs) || jobs < 1 || jobs > 256))
    throw new UsageError(`--jobs must be a whole number from 1 to 256, not ${values.jobs}`);
  const accept = (name: string) => settings.detached || /\.(pdf|xml)$/i.test(name);
  const inputs = await collectInputs(positionals, accept);
  if (inputs.length === 0) throw new UsageError('no input files found');
  for (const i of inputs) {
    if (resolve(join(outDir, i.relative)) === resolve(i.path))
      throw new UsageError(`the output folder would overwrite ${i.path}; choose another -o`);
  }
  const signerArgs = signerArgsOf(values);
  const password = await signerPassword(signerArgs);
  const { entries, manifestWritten } = await runBatch({
    inputs,
    outDir,
    settings,
    signerArgs,
    ...(password !== undefined && { password }),
    ...(jobs !== undefined && { jobs }),
    json: values.json === true,
    failFast: values['fail-fast'] === true,
    resume: values.resume === true,
    overwrite: values.force === true,
    ...(typeof values.manifest === 'string' && { manifest: values.manifest }),
  });
  return !manifestWritten || entries.some((e) => e.status === 'failed' || e.status === 'not-started')
    ? EXIT.FAILED
    : EXIT.OK;
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function isBatchInput(arg: string): Promise<boolean> {
  return /[*?[]/.test(arg) || (await isDirectory(arg));
}

function defaultOutput(input: string, fallbackExt: string): string {
  const ext = extname(input);
  return `${input.slice(0, input.length - ext.length)}-signed${ext || fallbackExt}`;
}
