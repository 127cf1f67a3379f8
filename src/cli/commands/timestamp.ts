import { createReadStream } from 'node:fs';
import { parseArgs } from '../parse-args.js';
import { HttpTimestampSource } from '../../tsa/http-timestamp-source.js';
import { timestamp } from '../../tsa/timestamp-data.js';
import { writeFileAtomic } from '../atomic-write.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import { hashOption } from '../hash-option.js';
import { refuseInputAsOutput } from '../output-path.js';

export const TIMESTAMP_HELP = `Usage: kyso timestamp FILE --tsa URL [-o FILE.tsr] [--hash sha256|sha384|sha512]

Asks an RFC 3161 time-stamping authority for a token over FILE (hashed as a stream) and writes the
response to FILE.tsr (or -o). Check it with: kyso verify FILE --tsr FILE.tsr --trust ROOT, or
openssl ts -verify -data FILE -in FILE.tsr -CAfile ROOT.

  --tsa URL                the TSA's address (HTTP POST application/timestamp-query)
  --tsa-header "K: V"      an extra HTTP header, e.g. an Authorization (repeatable)
  -o, --output FILE        where to write the response (default: FILE.tsr)
  --force                  replace the output if it exists`;

/** Parses repeated `--tsa-header "Name: value"` options. */
export function headerOptions(list: string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of list ?? []) {
    const i = h.indexOf(':');
    if (i <= 0) throw new UsageError(`--tsa-header must look like "Name: value", not ${h}`);
    headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  return headers;
}

/** `kyso timestamp`. */
export async function timestampCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tsa: { type: 'string' },
      'tsa-header': { type: 'string', multiple: true },
      output: { type: 'string', short: 'o' },
      hash: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(TIMESTAMP_HELP);
    return EXIT.OK;
  }
  if (positionals.length !== 1) throw new UsageError('takes exactly one file');
  if (!values.tsa) throw new UsageError('--tsa URL is required');
  const hash = hashOption(values.hash) ?? 'SHA-256';
  const file = positionals[0]!;
  const output = values.output ?? `${file}.tsr`;
  await refuseInputAsOutput(file, output);
  const tsa = new HttpTimestampSource({ url: values.tsa, headers: headerOptions(values['tsa-header']) });
  const stream = createReadStream(file);
  stream.on('error', () => {});
  const { response, token } = await timestamp(stream, { tsa, hash }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR')
      throw new UsageError(`cannot read ${file}: ${e.message}`);
    throw e;
  });
  await writeFileAtomic(output, response, { overwrite: values.force });
  console.error(`time-stamped ${file} at ${token.genTime.toISOString()} -> ${output}`);
  return EXIT.OK;
}
