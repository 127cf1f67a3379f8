// PAdES signing at a baseline level: the pipeline the CLI ran on its own (signature, then validation data,
// then a document timestamp), as a library call. It sits above pdf/ (mechanics) and validation/ (LTV data).
import { concatBytes, toBytes, type BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { pdfSigner, signPdfToUpdate, type SignPdfOptions as PdfSignOptions } from './sign-pdf.js';
import type { PdfFileStep } from '../pdf/pdf-file.js';
import { timestampPdfToUpdate } from './timestamp-pdf.js';
import { addLtvToUpdate } from './add-ltv.js';

/** PAdES baseline levels a signature can be made at. */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

/** Options of {@link signPdf}. */
export interface SignPdfOptions extends PdfSignOptions {
  /**
   * The PAdES baseline level: `B-B` (the signature), `B-T` (with a signature time-stamp from `tsa`), `B-LT`
   * (then a DSS with the revocation data of the signer's certificates), `B-LTA` (then a document time-stamp
   * over it). Default: `B-T` with a `tsa`, else `B-B`.
   */
  level?: PadesLevel;
  /** B-LT/B-LTA: CRLs (DER) to embed besides those fetched, e.g. the root's. Default: none. */
  crls?: readonly Uint8Array[];
  /** B-LT/B-LTA: OCSP responses (DER) to embed besides those fetched. Default: none. */
  ocsps?: readonly Uint8Array[];
  /** B-LT/B-LTA: fetch OCSP responses / CRLs named in the certificates. Default: true. */
  online?: boolean;
  /** fetch for those requests. Default: globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
}

/**
 * Signs a PDF at a PAdES baseline level, each stage an incremental update computed from the document as the
 * one before left it: the signature (B-B, B-T with `tsa`), then for B-LT the validation data, then for B-LTA a
 * document time-stamp. The result begins with the exact bytes of `pdf`; `pdf` itself is not modified.
 *
 * @example
 * ```ts
 * const tsa = new HttpTimestampSource({ url: 'http://tsa.example.vn' });
 * const lta = await signPdf(await readFile('in.pdf'), { signer, tsa, level: 'B-LTA', reason: 'Phê duyệt' });
 * ```
 * @throws KysoError `ERR_INVALID_ARGUMENT` (a level above B-B without `tsa`), `ERR_REVOCATION_UNAVAILABLE` (B-LT
 * or B-LTA without revocation data for every certificate of the signer: the output would carry a lower level
 * than asked, silently), and those of signing.
 */
export async function signPdf(pdf: BinaryInput, options: SignPdfOptions): Promise<Uint8Array> {
  return (await padesSigner(options))(toBytes(pdf, 'pdf'));
}

/**
 * {@link signPdf} with what repeats per document worked out once (the stages, the signature's algorithm,
 * reservation and CMS): {@link signPdfs} signs every document of a batch with one.
 */
export async function padesSigner(options: SignPdfOptions): Promise<(pdf: Uint8Array) => Promise<Uint8Array>> {
  const [, ...later] = padesSteps(options);
  const signOnce = await pdfSigner(signingOptions(options));
  return async (pdf) => {
    // the signature is written straight into the output: one copy of the document, not two
    let document = await signOnce(pdf);
    for (const step of later) document = concatBytes([document, await step(document)]);
    return document;
  };
}

/** The options of the signature itself, without those of the later stages. */
function signingOptions(options: SignPdfOptions): PdfSignOptions {
  const { level: _level, crls: _crls, ocsps: _ocsps, online: _online, fetch: _fetch, ...signing } = options;
  return signing;
}

/**
 * The stages of {@link signPdf} as incremental-update steps, for callers that append them elsewhere (a large
 * file on disk, with `extendPdfFile`).
 */
export function padesSteps(options: SignPdfOptions): PdfFileStep[] {
  const level = options.level ?? (options.tsa ? 'B-T' : 'B-B');
  if (!['B-B', 'B-T', 'B-LT', 'B-LTA'].includes(level))
    throw new KysoError('ERR_INVALID_ARGUMENT', `level must be B-B, B-T, B-LT or B-LTA, not ${level}`);
  if (level !== 'B-B' && !options.tsa)
    throw new KysoError('ERR_INVALID_ARGUMENT', `PAdES ${level} needs a time-stamping authority (options.tsa)`);
  const { crls, ocsps, online, fetch } = options;
  const steps: PdfFileStep[] = [async (pdf) => (await signPdfToUpdate(pdf, signingOptions(options))).update];
  if (level === 'B-LT' || level === 'B-LTA') {
    steps.push(async (pdf) => {
      const { update, revocation } = await addLtvToUpdate(pdf, {
        certificates: options.signer.chain,
        ...(crls && { crls }),
        ...(ocsps && { ocsps }),
        ...(online !== undefined && { online }),
        ...(fetch && { fetch }),
      });
      const missing = revocation.filter((r) => r.status === 'unavailable' && r.usedBy === 'signature');
      if (missing.length) {
        const why = missing.map((r) => `${r.subject}: ${r.problems.join('; ') || 'no OCSP or CRL found'}`).join('; ');
        throw new KysoError(
          'ERR_REVOCATION_UNAVAILABLE',
          `PAdES ${level} needs revocation data for the signer's certificates, and there is none for ${why}; give a CRL (option crls, kyso sign --crl FILE) or the issuer in the signer's chain (--chain)`,
        );
      }
      return update;
    });
  }
  if (level === 'B-LTA') steps.push(async (pdf) => (await timestampPdfToUpdate(pdf, { tsa: options.tsa! })).update);
  return steps;
}
