import { parseArgs } from '../parse-args.js';
import { extname } from 'node:path';
import { HttpTimestampSource } from '../../tsa/http-timestamp-source.js';
import { KysoError } from '../../core/errors.js';
import { extendPdfFile, type PdfFileStep } from '../../pdf/pdf-file.js';
import { timestampPdfToUpdate } from '../../pades/timestamp-pdf.js';
import { addLtvToUpdate } from '../../pades/add-ltv.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import { readCrls, readInput } from '../read-input.js';
import { headerOptions } from './timestamp.js';
import { inPlaceOutput, refuseInputAsOutput } from '../output-path.js';

export const LTV_HELP = `Usage: kyso ltv IN.pdf [-o OUT.pdf] [--cert FILE]... [--crl FILE]... [--tsa URL]

PAdES B-LT: adds a Document Security Store with every certificate, OCSP response and CRL needed to
validate the document's signatures offline, fetched from the URLs in the certificates. With --tsa a
document timestamp is added over it (B-LTA); running it again on a B-LTA file renews the archive.
When revocation data cannot be found for every certificate, nothing is written and the exit code is 1.

  -o, --output FILE        default: IN-ltv.pdf
  --cert FILE              extra certificates to complete chains (PEM/DER, repeatable)
  --crl FILE               a CRL (DER or PEM) to embed when it cannot be fetched, e.g. the root's (repeatable)
  --tsa URL                add a document timestamp (B-LTA)
  --tsa-header "K: V"      an extra HTTP header for the TSA (repeatable)
  --force                  replace OUT if it exists (never the input: OUT equal to IN is refused)
  --in-place               replace IN itself (written beside it, then renamed over it); no -o`;

/** `kyso ltv`. */
export async function ltvCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o' },
      cert: { type: 'string', multiple: true },
      crl: { type: 'string', multiple: true },
      tsa: { type: 'string' },
      'tsa-header': { type: 'string', multiple: true },
      force: { type: 'boolean' },
      'in-place': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(LTV_HELP);
    return EXIT.OK;
  }
  if (positionals.length !== 1) throw new UsageError('takes exactly one file');
  const input = positionals[0]!;
  const certificates = await Promise.all((values.cert ?? []).map(readInput));
  const crls = (await Promise.all((values.crl ?? []).map(readCrls))).flat();
  const tsa = values.tsa
    ? new HttpTimestampSource({ url: values.tsa, headers: headerOptions(values['tsa-header']) })
    : undefined;
  const output = inPlaceOutput(
    input,
    values,
    `${input.slice(0, input.length - extname(input).length)}-ltv${extname(input) || '.pdf'}`,
  );
  if (!values['in-place']) await refuseInputAsOutput(input, output, true);
  let revocation: Awaited<ReturnType<typeof addLtvToUpdate>>['revocation'] = [];
  // by path: archives of any size are read lazily and copied once on disk, the updates appended
  const steps: PdfFileStep[] = [
    async (pdf) => {
      const added = await addLtvToUpdate(pdf, { certificates, crls });
      revocation = added.revocation;
      // a file short of the level asked for is not written: it would carry a lower level and say nothing of it
      const missing = revocation.filter((r) => r.status === 'unavailable');
      if (missing.length) {
        const why = missing.map((r) => `${r.subject}: ${r.problems.join('; ') || 'no OCSP or CRL found'}`).join('; ');
        throw new KysoError(
          'ERR_REVOCATION_UNAVAILABLE',
          `${tsa ? 'B-LTA' : 'B-LT'} needs revocation data for every certificate, and there is none for ${why}; give a CRL with --crl FILE or the issuer with --cert FILE. ${output} was not written`,
        );
      }
      return added.update;
    },
  ];
  if (tsa) steps.push(async (pdf) => (await timestampPdfToUpdate(pdf, { tsa })).update);
  await extendPdfFile(input, output, steps, { overwrite: (values.force || values['in-place']) ?? false });
  for (const r of revocation)
    console.error(
      `  ${r.subject}: ${r.status}${r.source ? ` from ${r.source}` : ''}${r.status === 'unavailable' ? ` — ${r.problems.join('; ')}` : ''}`,
    );
  console.error(`${tsa ? 'B-LTA' : 'B-LT'}: ${input} -> ${output}`);
  return EXIT.OK;
}
