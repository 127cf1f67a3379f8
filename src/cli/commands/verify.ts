import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from '../parse-args.js';
import { createValidationContext, type ValidationOptions } from '../../validation/context.js';
import { renderReport, renderUnreadable } from '../../validation/render/render-report.js';
import { localeFromEnvironment } from '../../validation/render/messages/index.js';
import { isKysoError } from '../../core/errors.js';
import type { Locale } from '../../validation/render/messages/catalogue.js';
import { parseCertificate } from '../../pki/certificate.js';
import type {
  DetachedVerificationReport,
  PdfVerificationReport,
  XmlVerificationReport,
} from '../../validation/reports.js';
import { collectInputs } from '../batch/collect-inputs.js';
import { loadVerifyPolicy } from '../verify-policy.js';
import { renderJunit, type JunitCase } from '../junit.js';
import { inFlight } from '../in-flight.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';
import { LARGE_FILE, looksLikeXml, readInput, readSource } from '../read-input.js';
import { trustFromArgs } from '../trust-args.js';

export const VERIFY_HELP = `Usage: kyso verify FILE... [--trust FILE|DIR|vn|vn-gov|vn-public]... [--json] [--time ISO-8601]
       kyso verify FILE --tsr FILE.tsr | --p7s FILE.p7s   (a time-stamp or detached signature of any file)

Verifies every signature of each PDF (integrity, ByteRange, the signer's certificate path to the
trust anchors, the algorithm policy, and every change made after each signature) or XML document
(every XMLDSig signature, per reference, and whether its profile's business element is what was
signed). A FILE.p7s given alone is checked against FILE. Offline: no network access.

  --trust FILE|DIR|vn      trust anchors: a PEM/DER certificate file, a folder of them (its intermediates/
                           subfolder: intermediates only), or "vn" for the bundled Vietnamese roots and
                           intermediates ("vn-gov", "vn-public": subsets; repeatable; see kyso trust list).
                           Your trust folder (~/.config/kyso/trust, $KYSO_TRUST_DIR) is added to it.
                           Without --trust nothing can pass.
  --intermediate FILE      extra intermediate certificates (repeatable)
  --time ISO-8601          validation time (default: now)
  --allow-sha1             accept SHA-1 (old documents)
  --tsr FILE.tsr           verify an RFC 3161 time-stamp response over FILE instead (any file type)
  --p7s FILE.p7s           verify a detached CAdES signature over FILE instead (any file type)
  --online                 fetch OCSP responses / CRLs the documents lack, and missing intermediates
                           from the certificates' caIssuers URLs (default: offline)
  --policy FILE            a JSON or YAML policy: trust, online and the library's ValidationPolicy (minLevel,
                           allowSha1, sha1, minRsaBits, minEcBits, weakKey, requiredSigner (taxCode,
                           organization, commonName, citizenId), wholeDocument, maxAgeDays), applied to PDF,
                           XML and .p7s alike
  --format text|json|junit the output (default text); --json is --format json
  --lang vi|en             the language of the text report (default: vi when LC_ALL/LANG is vi_VN…, else en)
  --json                   print the reports as JSON (one array; schema: PdfVerificationReport)
FILE may also be a folder or a glob ("issued/**/*.pdf"): every PDF, XML and .p7s file in it is verified.
  --allow-empty            exit 0 when the folders and globs hold no file (default: exit 3, "no files to verify")
  -h, --help               this help

Exit codes: 0 every signature passed, 1 any failed, 2 any indeterminate (none failed), 3 usage or I/O error.`;

/** Reads the certificates named by --intermediate: files, or folders of files; anything else is a usage error. */
async function certificateInputs(paths: string[], option: string): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const p of paths) {
    const s = await stat(p).catch(() => {
      throw new UsageError(`cannot read ${p}`);
    });
    const files = s.isDirectory()
      ? (await readdir(p)).filter((f) => /\.(pem|crt|cer|der)$/i.test(f)).map((f) => join(p, f))
      : [p];
    if (files.length === 0)
      throw new UsageError(`${option} ${p}: the folder holds no certificate (.pem, .crt, .cer, .der)`);
    for (const f of files) {
      const bytes = new Uint8Array(await readFile(f));
      // a wrong file here would otherwise surface as a FAILED document, blaming the document for the command line
      if (
        !(await parseCertificate(bytes).then(
          () => true,
          () => false,
        ))
      )
        throw new UsageError(`${option} ${f} is not a certificate (PEM or DER)`);
      out.push(bytes);
    }
  }
  return out;
}

/** `kyso verify`. */
export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true },
      intermediate: { type: 'string', multiple: true },
      time: { type: 'string' },
      'allow-sha1': { type: 'boolean' },
      json: { type: 'boolean' },
      tsr: { type: 'string' },
      p7s: { type: 'string' },
      online: { type: 'boolean' },
      policy: { type: 'string' },
      format: { type: 'string' },
      lang: { type: 'string' },
      'allow-empty': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(VERIFY_HELP);
    return EXIT.OK;
  }
  if (positionals.length === 0) throw new UsageError('at least one file is needed');
  const time = values.time ? new Date(values.time) : undefined;
  if (time && Number.isNaN(time.getTime())) throw new UsageError(`--time ${values.time} is not an ISO 8601 time`);
  const policy = values.policy ? await loadVerifyPolicy(values.policy) : {};
  const format = values.format ?? (values.json ? 'json' : 'text');
  if (!['text', 'json', 'junit'].includes(format))
    throw new UsageError(`--format must be text, json or junit, not ${format}`);
  const locale = (values.lang ?? localeFromEnvironment(process.env)) as Locale;
  if (locale !== 'vi' && locale !== 'en') throw new UsageError(`--lang must be vi or en, not ${values.lang}`);
  const trustPaths = [...(values.trust ?? []), ...(policy.trust ?? [])];
  const allowSha1 = values['allow-sha1'] ?? policy.allowSha1 ?? false;
  const online = values.online ?? policy.online ?? false;
  const trust = trustPaths.length ? await trustFromArgs(trustPaths, { online }) : undefined;
  const intermediates = values.intermediate
    ? await certificateInputs(values.intermediate, '--intermediate')
    : undefined;
  // one policy for every format: the file's settings, --allow-sha1 over its allowSha1
  const { trust: _anchors, online: _online, ...settings } = policy;
  // built once for the run: anchors and intermediates read once, one validation time for every file
  const context = await createValidationContext({
    ...(trust && { trust }),
    ...(time && { time }),
    ...(intermediates && { intermediates }),
    policy: { ...settings, allowSha1 },
    online,
  });
  const options = { context };
  if (values.tsr) return verifyTsr(positionals, values.tsr, options, format === 'json', locale);
  const files = values.p7s
    ? positionals
    : (await collectInputs(positionals, (n) => /\.(pdf|xml|p7s)$/i.test(n))).map((i) => i.path);
  // a CI job that checked nothing must not go green
  if (files.length === 0 && !values['allow-empty'])
    throw new UsageError(`no files to verify in ${positionals.join(' ')} (--allow-empty accepts that)`);
  // each report is reduced, once made, to what the output needs (its indication, and its text or JUnit case;
  // the JSON output needs all of it): a folder's reports are not all held until the end
  const verifyOne = async (
    file: string,
  ): Promise<{ indication: string; result?: Result; text?: string; junit?: JunitCase }> => {
    const started = performance.now();
    const detachedSignature = values.p7s ?? (file.toLowerCase().endsWith('.p7s') ? file : undefined);
    const dataFile = values.p7s || !detachedSignature ? file : file.slice(0, -4);
    // one read per file: a small one whole, a large one only its head (PDFs then go by path, data under a
    // detached signature as a stream); only an XML document is read whole at any size, as its DOM needs it
    const source = await readSource(dataFile, detachedSignature ? 0 : LARGE_FILE);
    let result: Result;
    try {
      if (detachedSignature) {
        const p7s = await readInput(detachedSignature);
        const { verifyDetached } = await verifiers.detached();
        result = {
          file: dataFile,
          kind: 'cades',
          report: await verifyDetached(createReadStream(dataFile, { highWaterMark: 1 << 20 }), p7s, options),
        };
      } else if (looksLikeXml(source.head)) {
        const bytes = source.bytes ?? (await readInput(dataFile));
        // each format's stack (XML: its DOM and canonicalisation packages) is loaded by the runs that meet it
        const { verifyXml } = await verifiers.xml();
        result = { file, kind: 'xml', report: await verifyXml(bytes, options) };
      } else {
        const report = source.bytes
          ? await (await verifiers.pdf()).verifyPdf(source.bytes, options)
          : await (await verifiers.pdfFile()).verifyPdfFile(file, options);
        result = { file, kind: 'pdf', report };
      }
    } catch (e) {
      if (!isKysoError(e)) throw e;
      result = { file, kind: 'error', error: { code: e.code, message: e.message } };
    }
    const indication = result.report?.indication ?? 'TOTAL_FAILED';
    if (format === 'junit') return { indication, junit: junitCase(result, (performance.now() - started) / 1000) };
    return format === 'json' ? { indication, result } : { indication, text: render(result, locale) };
  };
  // a few files in flight: each waits on WebCrypto's thread pool and the disk for about half its time;
  // reports keep the files' order
  const done = new Array<Awaited<ReturnType<typeof verifyOne>>>(files.length);
  let next = 0;
  await inFlight(
    VERIFY_IN_FLIGHT,
    () => (next < files.length ? next++ : undefined),
    async (i) => {
      done[i] = await verifyOne(files[i]!);
    },
  );
  let exit: number = EXIT.OK;
  for (const { indication } of done) {
    if (indication === 'TOTAL_FAILED') exit = EXIT.FAILED;
    else if (indication === 'INDETERMINATE' && exit === EXIT.OK) exit = EXIT.INDETERMINATE;
  }
  if (format === 'json')
    console.log(
      JSON.stringify(
        done.map((d) => d.result),
        null,
        2,
      ),
    );
  else if (format === 'junit') process.stdout.write(renderJunit(done.map((d) => d.junit!)));
  else writeInGroups(done.map((d) => `${d.text} \n\n`));
  return exit;
}

/**
 * The text reports, as `console.log(text, '\n')` printed them, in a few large writes: a folder's thousand
 * reports are a thousand console calls and stream writes otherwise.
 */
function writeInGroups(texts: string[]): void {
  for (let i = 0; i < texts.length; i += WRITE_GROUP) process.stdout.write(texts.slice(i, i + WRITE_GROUP).join(''));
}

const WRITE_GROUP = 256;

function junitCase(r: Result, seconds: number): JunitCase {
  const failures: JunitCase['failures'] = [];
  const add = (title: string, indication: string, reasons: string[]) =>
    failures.push({ title, type: indication, message: reasons.join('\n') || indication });
  if (r.kind === 'error') add(r.error.code, 'TOTAL_FAILED', [r.error.message]);
  else if (r.report.indication !== 'TOTAL_PASSED') {
    if (r.kind === 'pdf') {
      for (const s of r.report.signatures)
        if (s.indication !== 'TOTAL_PASSED')
          add(`${s.fieldName}: ${s.indication}${s.subIndication ? ` ${s.subIndication}` : ''}`, s.indication, s.errors);
      if (r.report.errors.length || !failures.length)
        add(`document: ${r.report.indication}`, r.report.indication, r.report.errors);
    } else if (r.kind === 'xml') {
      for (const s of r.report.signatures)
        if (s.indication !== 'TOTAL_PASSED')
          add(`${s.path}: ${s.indication}${s.subIndication ? ` ${s.subIndication}` : ''}`, s.indication, s.errors);
      if (r.report.errors.length || !failures.length)
        add(`document: ${r.report.indication}`, r.report.indication, r.report.errors);
    } else add(`detached signature: ${r.report.indication}`, r.report.indication, r.report.errors);
  }
  return { file: r.file, indication: r.error ? 'TOTAL_FAILED' : r.report!.indication, failures, seconds };
}

type Result =
  | { file: string; kind: 'pdf'; report: PdfVerificationReport; error?: undefined }
  | { file: string; kind: 'xml'; report: XmlVerificationReport; error?: undefined }
  | { file: string; kind: 'cades'; report: DetachedVerificationReport; error?: undefined }
  | { file: string; kind: 'error'; report?: undefined; error: { code: string; message: string } };

function render(r: Result, locale: Locale): string {
  if (r.kind === 'error') return renderUnreadable(r.error, { locale, file: r.file });
  return renderReport(r.report, { locale, file: r.file });
}

async function verifyTsr(
  files: string[],
  tsrPath: string,
  options: ValidationOptions,
  json: boolean,
  locale: Locale,
): Promise<number> {
  if (files.length !== 1) throw new UsageError('--tsr goes with exactly one data file');
  const [data, tsr] = [await readInput(files[0]!), await readInput(tsrPath)];
  const { verifyTimestamp } = await import('../../validation/verify-timestamp.js');
  const report = await verifyTimestamp(data, tsr, options);
  if (json) console.log(JSON.stringify(report, null, 2));
  else console.log(renderReport(report, { locale, file: files[0]! }));
  return report.indication === 'TOTAL_PASSED'
    ? EXIT.OK
    : report.indication === 'TOTAL_FAILED'
      ? EXIT.FAILED
      : EXIT.INDETERMINATE;
}

const VERIFY_IN_FLIGHT = 4;

/** `load`, called once: later calls share its promise. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

/**
 * Each format's verifier, loaded by the first file that needs it: an `import()` per file would resolve the module
 * again for every file (a resolution and a realpath each: 1,000 one-page PDFs spent 40–90 ms of CPU on them).
 */
const verifiers = {
  pdf: once(() => import('../../pades/verify-pdf.js')),
  pdfFile: once(() => import('../../pades/verify-pdf-file.js')),
  xml: once(() => import('../../xades/verify-xml.js')),
  detached: once(() => import('../../cades/detached.js')),
};
