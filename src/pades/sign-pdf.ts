import type { DigestAlgorithm, SignatureAlgorithm } from '../core/algorithms.js';
import { bytesEqual, fromBase64, toBase64, toBytes, type BinaryInput } from '../core/bytes.js';
import { systemClock, type Clock } from '../core/clock.js';
import { KysoError } from '../core/errors.js';
import { digest } from '../crypto/digest.js';
import { cmsSigningPlan, estimateSignedDataSize, type CmsSigningPlan } from '../cms/index.js';
import { addSignatureTimestamp } from '../tsa/signature-timestamp.js';
import type { TimestampSource } from '../tsa/index.js';
import { parseCertificate, splitCertificates } from '../pki/certificate.js';
import { chooseAlgorithm, type Signer } from '../signers/signer.js';
import {
  digestPrepared,
  embedSignature,
  preparePdfSignature,
  signedUpdate,
  type PrepareSignatureOptions,
  type PreparedSignature,
  type SignatureWidget,
} from '../pdf/signature-field.js';
import type { AppearanceOptions, AppearancePlacement } from '../pdf/appearance/appearance.js';
import { openLayout, type LayoutSource } from '../pdf/layout/page-layout.js';
import { ensureRange } from '../pdf/lazy-bytes.js';
import { PdfReader, type PdfPage } from '../pdf/reader.js';
import { findSignatureFields } from '../pdf/signature-scan.js';

/** SubFilters kyso writes for approval signatures. */
export type PdfSignatureSubFilter = 'ETSI.CAdES.detached' | 'adbe.pkcs7.detached';

/** What goes into the signature dictionary and field, shared by the one-shot and staged forms. */
export interface PdfSignatureFields {
  /** `/Reason`, e.g. "Phê duyệt". */
  reason?: string;
  /** `/Location`, e.g. "Hà Nội". */
  location?: string;
  /** `/ContactInfo`. */
  contactInfo?: string;
  /** `/Name`. Default: the signing certificate's common name. */
  name?: string;
  /** Signature field name. An existing empty signature field of that name is signed; default: a new unique name. */
  fieldName?: string;
  /** Claimed signing time, written as `/M` in Vietnam time (+07'00'). Default: now, from `clock`. */
  signingTime?: Date;
  /** Clock for the default signing time. Default: the system clock. */
  clock?: Clock;
  /**
   * `ETSI.CAdES.detached` (PAdES, default) or `adbe.pkcs7.detached` for old validators. Both carry the same
   * CAdES signed attributes (content-type, message-digest, signing-certificate-v2, no signing-time).
   */
  subFilter?: PdfSignatureSubFilter;
  /** Bytes to reserve for the CMS beyond its computed size (e.g. for a timestamp token added later). Default: 0. */
  extraReservedBytes?: number;
  /** A visible signature as Decree 30/2020 prescribes (`approved`, `issued`, `appendix`, `copy`, `custom`). Default: invisible. */
  appearance?: AppearanceOptions;
  /** Told where the visible signature went: page, rectangle, and the lines of the page it was placed by. */
  onPlacement?: (placement: AppearancePlacement) => void;
  /**
   * A certification signature (DocMDP): what later revisions may do — 1 nothing, 2 fill in forms and sign,
   * 3 also annotate. Only the document's first signature can certify. Default: an approval signature.
   */
  certify?: 1 | 2 | 3;
}

/** Options of {@link signPdf}. */
export interface SignPdfOptions extends PdfSignatureFields {
  /** Who signs. */
  signer: Signer;
  /** Digest algorithm. Default: the signer's preferred one (SHA-256 for RSA and P-256). */
  hash?: DigestAlgorithm;
  /** RSA-PSS rather than PKCS#1 v1.5 with an RSA key. Default: false. */
  pss?: boolean;
  /**
   * A time-stamping authority: the signature gets a signature-time-stamp (PAdES B-T), proof that it existed
   * at the TSA's time. Default: none (B-B).
   */
  tsa?: TimestampSource;
}

/** Bytes reserved for a signature timestamp token (a token with its TSA's certificate chain is 3–8 KiB). */
const TIMESTAMP_RESERVE = 16 * 1024;

/**
 * Signs a PDF: PAdES baseline B-B (`ETSI.CAdES.detached`) in an incremental update. The result begins with
 * the exact bytes of `pdf`, so earlier signatures stay valid; `pdf` itself is not modified.
 *
 * @example
 * ```ts
 * const signer = await loadPkcs12Signer(await readFile('me.p12'), { password });
 * const signed = await signPdf(await readFile('in.pdf'), { signer, reason: 'Phê duyệt', location: 'Hà Nội' });
 * ```
 * @throws KysoError `ERR_PDF_MALFORMED`, `ERR_PDF_ENCRYPTED`, `ERR_PDF_FIELD`, `ERR_SIGNER_FAILED`, …
 */
export async function signPdf(pdf: BinaryInput, options: SignPdfOptions): Promise<Uint8Array> {
  return (await pdfSigner(options))(toBytes(pdf, 'pdf'));
}

/**
 * Like {@link signPdf}, but returns only the signed incremental update (the output is `pdf` followed by it):
 * for large files, whose bytes are copied on disk rather than in memory.
 */
export async function signPdfToUpdate(pdf: BinaryInput, options: SignPdfOptions): Promise<{ update: Uint8Array }> {
  const plan = await planForSigner(options);
  const { session, cms } = await signSession(toBytes(pdf, 'pdf'), plan, options);
  return { update: signedUpdate(session.prepared, cms) };
}

/**
 * {@link signPdf} with what repeats per document worked out once (the algorithm, the reservation, the
 * signer's name, the CMS around the signature): {@link signPdfs} signs every document of a batch with one.
 */
export async function pdfSigner(options: SignPdfOptions): Promise<(pdf: Uint8Array) => Promise<Uint8Array>> {
  const plan = await planForSigner(options);
  return async (pdf) => {
    const { session, cms } = await signSession(pdf, plan, options);
    return embedSignature(session.prepared, cms);
  };
}

/** The plan for a {@link Signer} in the options: its algorithm and reservation chosen, then {@link planForCertificate}. */
async function planForSigner(options: SignPdfOptions): Promise<SigningPlan> {
  const { signer } = options;
  if (!signer || typeof signer.sign !== 'function')
    throw new KysoError('ERR_INVALID_ARGUMENT', 'options.signer is required');
  const algorithm = chooseAlgorithm(signer, { hash: options.hash, pss: options.pss });
  const extraReservedBytes = (options.extraReservedBytes ?? 0) + (options.tsa ? TIMESTAMP_RESERVE : 0);
  return planForCertificate({ ...options, extraReservedBytes }, signer.certificate, signer.chain, algorithm);
}

/** The prepared update and the CMS signed for it. */
async function signSession(
  input: Uint8Array,
  plan: SigningPlan,
  options: SignPdfOptions,
): Promise<{ session: Session; cms: Uint8Array }> {
  const session = await startSession(input, plan, options);
  const signature = await options.signer.sign(session.signedAttributes, plan.cms.algorithm);
  return { session, cms: await finishCms(plan.cms, session.signedAttributes, signature, options.tsa) };
}

/** Options of {@link preparePdfSigning}: the certificate side of a signer whose key is elsewhere. */
export interface PreparePdfSigningOptions extends PdfSignatureFields {
  /** DER or PEM of the signing certificate. */
  certificate: BinaryInput | string;
  /** DER or PEM of the chain certificates to embed. */
  chain?: readonly (BinaryInput | string)[];
  /** The algorithm the key will sign with. */
  algorithm: SignatureAlgorithm;
}

/** What {@link preparePdfSigning} returns. */
export interface PreparedPdfSigning {
  /** The exact bytes the key must sign (the DER of the CMS signed attributes). */
  toBeSigned: Uint8Array;
  /** `toBeSigned` hashed with `algorithm.hash`, for services that sign a hash. */
  digest: Uint8Array;
  algorithm: SignatureAlgorithm;
  /** JSON-serialisable state for {@link finishPdfSigning}; it survives a process restart. */
  state: PdfSigningState;
}

/** The serialisable state between {@link preparePdfSigning} and {@link finishPdfSigning}. */
export interface PdfSigningState {
  kind: 'kyso.pdf-signing';
  version: 1;
  /** The prepared incremental update, base64. */
  update: string;
  byteRange: [number, number, number, number];
  contentsHexOffset: number;
  contentsHexLength: number;
  inputLength: number;
  signedAttributes: string;
  algorithm: SignatureAlgorithm;
  certificate: string;
  chain: string[];
}

/**
 * Stage one of signing with a key that signs elsewhere (USB token, HSM, remote signing service): prepares the
 * incremental update and returns the bytes (and digest) to sign with a serialisable state.
 *
 * @example
 * ```ts
 * const { digest, state } = await preparePdfSigning(pdf, { certificate, algorithm: { scheme: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } });
 * const signature = await remoteService.signHash(digest);       // maybe in another process, later
 * const signed = await finishPdfSigning(pdf, state, signature);
 * ```
 */
export async function preparePdfSigning(
  pdf: BinaryInput,
  options: PreparePdfSigningOptions,
): Promise<PreparedPdfSigning> {
  const certificate = splitCertificates(options.certificate)[0]!;
  const chain = (options.chain ?? []).flatMap((c) => splitCertificates(c));
  const session = await startSession(
    toBytes(pdf, 'pdf'),
    await planForCertificate(options, certificate, chain, options.algorithm),
    options,
  );
  return {
    toBeSigned: session.signedAttributes,
    digest: await digest(options.algorithm.hash, session.signedAttributes),
    algorithm: options.algorithm,
    state: {
      kind: 'kyso.pdf-signing',
      version: 1,
      update: toBase64(session.prepared.update),
      byteRange: session.prepared.byteRange,
      contentsHexOffset: session.prepared.contentsHexOffset,
      contentsHexLength: session.prepared.contentsHexLength,
      inputLength: session.prepared.input.length,
      signedAttributes: toBase64(session.signedAttributes),
      algorithm: options.algorithm,
      certificate: toBase64(certificate),
      chain: chain.map(toBase64),
    },
  };
}

/**
 * Stage two: embeds the signature value (RSA value, or ECDSA as r||s or DER) computed over
 * `prepared.toBeSigned`. `pdf` must be the same input given to {@link preparePdfSigning}: the document digest
 * is recomputed and must equal the one that was signed.
 *
 * @throws KysoError `ERR_SIGNING_STATE` when the state is not usable or `pdf` is not the prepared input.
 */
export async function finishPdfSigning(
  pdf: BinaryInput,
  state: PdfSigningState,
  signature: BinaryInput,
  options: { tsa?: TimestampSource } = {},
): Promise<Uint8Array> {
  if (state?.kind !== 'kyso.pdf-signing' || state.version !== 1)
    throw new KysoError('ERR_SIGNING_STATE', 'not a kyso PDF signing state (version 1)');
  const input = toBytes(pdf, 'pdf');
  if (input.length !== state.inputLength)
    throw new KysoError('ERR_SIGNING_STATE', 'the PDF is not the one the signature was prepared for (length differs)');
  const prepared: PreparedSignature = {
    input,
    update: fromBase64(state.update),
    byteRange: state.byteRange,
    contentsHexOffset: state.contentsHexOffset,
    contentsHexLength: state.contentsHexLength,
  };
  const signedAttributes = fromBase64(state.signedAttributes);
  const cms = await cmsSigningPlan(fromBase64(state.certificate), state.chain.map(fromBase64), state.algorithm);
  // The signed attributes are built deterministically from the document digest: rebuilding them from the
  // digest of this input gives the same bytes only if it is the prepared input.
  const rebuilt = cms.signedAttributes(await digestPrepared(prepared, state.algorithm.hash));
  if (!bytesEqual(rebuilt, signedAttributes)) {
    throw new KysoError(
      'ERR_SIGNING_STATE',
      'the PDF is not the one the signature was prepared for (its digest differs)',
    );
  }
  return embedSignature(prepared, await finishCms(cms, signedAttributes, toBytes(signature, 'signature'), options.tsa));
}

/** Lays out a visible appearance on the document as it is. */
export async function widgetFor(
  reader: PdfReader,
  appearance: AppearanceOptions,
  certificate: Uint8Array,
  signingTime: Date,
  fieldName?: string,
): Promise<SignatureWidget & { stamp?: PrepareSignatureOptions['stamp']; placement: AppearancePlacement }> {
  // only the pages the placement asks for are read: a page given by number costs the pages up to it, not the tree
  const pages = pagesOnDemand(reader);
  // signing a prepared empty field: the appearance fills the field's own rectangle
  const target = fieldName
    ? findSignatureFields(reader).empty.find((f) => f.fieldName === fieldName && f.rect)
    : undefined;
  if (target) {
    const [x1, y1, x2, y2] = target.rect as [number, number, number, number];
    const page = pages.page(target.pageIndex ?? 0)!;
    const box = page.cropBox ?? page.mediaBox ?? [0, 0, 0, 0];
    appearance = {
      ...appearance,
      pageIndex: target.pageIndex ?? 0,
      rect: [x1 - Math.min(box[0]!, box[2]!), y1 - Math.min(box[1]!, box[3]!), x2 - x1, y2 - y1],
    };
  }
  const leader = findSignatureFields(reader)
    .signed.filter(
      (s) => s.rect && s.pageIndex !== undefined && Math.abs((s.rect[2]! - s.rect[0]!) * (s.rect[3]! - s.rect[1]!)) > 0,
    )
    .at(-1);
  const cert = await parseCertificate(certificate);
  // the fonts, images and their compression load with the first visible signature, not with every signing
  const { buildAppearance } = await import('../pdf/appearance/appearance.js');
  // pdf.js reads the page content only when the placement asks for it
  let source: Promise<LayoutSource> | undefined;
  try {
    const built = await buildAppearance(
      appearance,
      {
        signingTime,
        ...(cert.subject.commonName && { name: cert.subject.commonName }),
        ...(cert.subject.email && { email: cert.subject.email }),
        ...(cert.subject.organization && { organization: cert.subject.organization }),
        ...(cert.subject.taxCode && { taxCode: cert.subject.taxCode }),
      },
      {
        get count() {
          return pages.count();
        },
        has: (i) => pages.page(i) !== undefined,
        box: (i) => {
          const p = pages.page(i)!;
          const b = p.cropBox ?? p.mediaBox ?? [0, 0, 595, 842];
          return {
            x1: Math.min(b[0]!, b[2]!),
            y1: Math.min(b[1]!, b[3]!),
            x2: Math.max(b[0]!, b[2]!),
            y2: Math.max(b[1]!, b[3]!),
            rotate: p.rotate,
          };
        },
        ...(leader && { leaderWidget: { pageIndex: leader.pageIndex!, rect: leader.rect! } }),
        layout: async (i) => {
          // pdf.js reads the whole file: a large one read lazily is loaded for it (only placements by content ask)
          if (!source) {
            ensureRange(reader.bytes, 0, reader.bytes.length);
            source = openLayout(reader.bytes);
          }
          return (await source).layout(i);
        },
      },
    );
    return {
      pageIndex: built.pageIndex,
      rect: built.rect,
      appearance: built.write,
      placement: built.placement,
      ...(built.stamp && { stamp: built.stamp }),
    };
  } finally {
    if (source) await (await source.catch(() => undefined))?.close();
  }
}

/** The reader's pages, each read when first asked for; all of them only when their number is. */
function pagesOnDemand(reader: PdfReader): { page(i: number): PdfPage | undefined; count(): number } {
  let all: PdfPage[] | undefined;
  const some = new Map<number, PdfPage | undefined>();
  const page = (i: number) => {
    if (all) return all[i];
    if (!some.has(i)) some.set(i, reader.page(i));
    return some.get(i);
  };
  return { page, count: () => (all ??= reader.pages()).length };
}

const commonNames = new WeakMap<Uint8Array, Promise<string | undefined>>();

/** The signer's common name, read once per certificate object (batch signing reuses one signer). */
function commonNameOf(certificate: Uint8Array): Promise<string | undefined> {
  let cn = commonNames.get(certificate);
  if (!cn) {
    cn = parseCertificate(certificate).then((c) => c.subject.commonName);
    commonNames.set(certificate, cn);
  }
  return cn;
}

const cmsSizes = new WeakMap<Uint8Array, Map<string, number>>();

/**
 * {@link estimateSignedDataSize}, remembered per certificate object (batch signing reuses one signer). The size
 * depends on the chain only through its certificates' lengths, which the key holds.
 */
function cmsSizeOf(certificate: Uint8Array, chain: readonly Uint8Array[], algorithm: SignatureAlgorithm): number {
  let sizes = cmsSizes.get(certificate);
  if (!sizes) cmsSizes.set(certificate, (sizes = new Map()));
  const key = `${algorithm.scheme}/${algorithm.hash}/${chain.map((c) => c.length).join(',')}`;
  let size = sizes.get(key);
  if (size === undefined) sizes.set(key, (size = estimateSignedDataSize({ certificate, chain, algorithm })));
  return size;
}

/** What signing documents with one signer and one set of options works out once. */
interface SigningPlan {
  cms: CmsSigningPlan;
  /** The options of {@link preparePdfSignature} but the signing time. */
  fields: Omit<PrepareSignatureOptions, 'signingTime'>;
}

/** The plan for a certificate whose key may be elsewhere (remote signing prepares with it, too). */
async function planForCertificate(
  o: PdfSignatureFields,
  certificate: Uint8Array,
  chain: readonly Uint8Array[],
  algorithm: SignatureAlgorithm,
): Promise<SigningPlan> {
  const cms = await cmsSigningPlan(certificate, chain, algorithm);
  const name = o.name ?? (await commonNameOf(certificate));
  return {
    cms,
    fields: {
      subFilter: o.subFilter ?? 'ETSI.CAdES.detached',
      type: 'Sig',
      contentsSize: cmsSizeOf(certificate, chain, algorithm) + (o.extraReservedBytes ?? 0),
      ...(o.fieldName !== undefined && { fieldName: o.fieldName }),
      ...(name !== undefined && { name }),
      ...(o.reason !== undefined && { reason: o.reason }),
      ...(o.location !== undefined && { location: o.location }),
      ...(o.contactInfo !== undefined && { contactInfo: o.contactInfo }),
      ...(o.certify && { docMdp: o.certify }),
      ...(o.appearance && o.appearance.preset !== 'custom' && { role: o.appearance.preset }),
    },
  };
}

interface Session {
  prepared: PreparedSignature;
  signedAttributes: Uint8Array;
}

async function startSession(input: Uint8Array, plan: SigningPlan, o: PdfSignatureFields): Promise<Session> {
  const signingTime = o.signingTime ?? (o.clock ?? systemClock)();
  const reader = PdfReader.open(input); // once, for the appearance's layout and the update
  const widget = o.appearance
    ? await widgetFor(reader, o.appearance, plan.cms.certificate, signingTime, o.fieldName)
    : undefined;
  if (widget) o.onPlacement?.(widget.placement);
  // Object.assign, not a spread: Node 20 spreads an object of this size by a slow path (a microsecond a document)
  const fields: PrepareSignatureOptions = Object.assign({ signingTime }, plan.fields);
  if (widget) fields.widget = { pageIndex: widget.pageIndex, rect: widget.rect, appearance: widget.appearance };
  if (widget?.stamp) fields.stamp = widget.stamp;
  const prepared = preparePdfSignature(input, fields, reader);
  return {
    prepared,
    signedAttributes: plan.cms.signedAttributes(await digestPrepared(prepared, plan.cms.algorithm.hash)),
  };
}

async function finishCms(
  cms: CmsSigningPlan,
  signedAttributes: Uint8Array,
  signature: Uint8Array,
  tsa?: TimestampSource,
): Promise<Uint8Array> {
  const signed = cms.assemble(signedAttributes, signature);
  return tsa ? addSignatureTimestamp(signed, tsa, cms.algorithm.hash) : signed;
}
