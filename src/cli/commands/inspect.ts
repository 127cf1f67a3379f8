import { parseArgs } from '../parse-args.js';
import { inspectPdf } from '../../pades/inspect-pdf.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import { readInput } from '../read-input.js';

export const INSPECT_HELP = `Usage: kyso inspect FILE [--json]

Lists a PDF's revisions, signature fields (signed and empty, with the revision each signature covers),
signatures hidden from the form, and the certificates of each signature, without judging them (use
kyso verify for that).`;

/** `kyso inspect`. */
export async function inspectCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(INSPECT_HELP);
    return EXIT.OK;
  }
  if (positionals.length !== 1) throw new UsageError('takes exactly one file');
  const file = positionals[0]!;
  const bytes = await readInput(file);
  const info = await inspectPdf(bytes);
  if (values.json) {
    console.log(JSON.stringify(info, null, 2));
    return EXIT.OK;
  }
  console.log(
    `${file}: PDF ${info.version}, ${info.pages} page${info.pages === 1 ? '' : 's'}, ${info.revisions.length} revision${info.revisions.length === 1 ? '' : 's'}${info.encrypted ? ', encrypted' : ''}${info.repaired ? ', cross-reference repaired' : ''}`,
  );
  info.revisions.forEach((r, i) =>
    console.log(`  revision ${i + 1}: ends at byte ${r.end}, ${r.objects} object${r.objects === 1 ? '' : 's'}`),
  );
  for (const s of info.signatures) {
    const covers = s.revision !== undefined ? `, signs revision ${s.revision + 1}` : ', signs no whole revision';
    console.log(
      `  ${s.kind === 'document-timestamp' ? 'document timestamp' : 'signature'} field "${s.fieldName}": ${s.subFilter ?? '?'}${covers}${s.signingTime ? `, /M ${s.signingTime}` : ''}${s.pageIndex !== undefined ? `, page ${s.pageIndex + 1}` : ''}`,
    );
    for (const c of s.certificates)
      console.log(
        `    certificate: ${c.subject.display} (issuer ${c.issuer.commonName ?? c.issuer.display}, ${c.notBefore.toISOString().slice(0, 10)} – ${c.notAfter.toISOString().slice(0, 10)})`,
      );
  }
  for (const e of info.emptySignatureFields) console.log(`  empty signature field "${e}"`);
  for (const h of info.hiddenSignatures)
    console.log(
      `  hidden signature: object ${h.object} (${h.reason === 'superseded' ? 'an earlier version, redefined later' : 'in no field of the form'})`,
    );
  return EXIT.OK;
}
