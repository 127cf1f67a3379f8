import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { HttpTimestampSource } from '../tsa/http-timestamp-source.js';
import { KysoError } from '../core/errors.js';
import { parseCertificate } from '../pki/certificate.js';
import type { AppearanceOptions, AppearancePlacement, AppearancePreset } from '../pdf/appearance/appearance.js';
import type { DigestAlgorithm } from '../core/algorithms.js';
import type { ProfileName } from '../xml/profiles.js';
import type { Signer } from '../signers/signer.js';
import { concatBytes, toHex } from '../core/bytes.js';
import { extendPdfFile, type PdfFileStep } from '../pdf/pdf-file.js';
import { padesSteps } from '../pades/sign-pades.js';
import { writeFileAtomic } from './atomic-write.js';
import { UsageError } from './usage-error.js';
import { hashOption } from './hash-option.js';
import { LARGE_FILE, looksLikeXml, readCrls, readInput, readSource } from './read-input.js';
import { headerOptions } from './commands/timestamp.js';

/** How every file of a `kyso sign` run is signed: checked once, plain data (it crosses to worker threads). */
export interface SignSettings {
  detached: boolean;
  /** Sign even when the certificate is expired or not yet valid now. */
  allowExpired: boolean;
  profile?: ProfileName;
  role?: string;
  xades: boolean;
  hash?: DigestAlgorithm;
  pss: boolean;
  legacySubfilter: boolean;
  level: 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
  tsa?: string;
  tsaHeaders: Record<string, string>;
  /** CRL files to embed for B-LT and B-LTA. */
  crls: string[];
  reason?: string;
  location?: string;
  contact?: string;
  name?: string;
  field?: string;
  certify?: 1 | 2 | 3;
  appearance?: {
    preset: AppearancePreset;
    image?: string;
    seal?: string;
    sealSizeMm?: number;
    pageIndex?: number;
    rect?: [number, number, number, number];
    anchor?: { text: string; position?: 'below' | 'above' };
    text?: boolean | string;
    documentNumber?: string;
    copyType?: 'SAO Y' | 'SAO LỤC' | 'TRÍCH SAO';
    copyOrganization?: string;
  };
}

/** Checks the signing options of the command line; usage errors are thrown here, before any file is touched. */
export function signSettings(v: Record<string, string | boolean | string[] | undefined>): SignSettings {
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const hash = hashOption(str('hash'));
  const level = (str('level') ?? (str('tsa') ? 'B-T' : 'B-B')).toUpperCase() as SignSettings['level'];
  if (!['B-B', 'B-T', 'B-LT', 'B-LTA'].includes(level))
    throw new UsageError(`--level must be B-B, B-T, B-LT or B-LTA, not ${str('level')}`);
  if (level !== 'B-B' && !str('tsa')) throw new UsageError(`--level ${level} needs --tsa URL`);
  const crls = (v.crl as string[] | undefined) ?? [];
  if (crls.length && level !== 'B-LT' && level !== 'B-LTA')
    throw new UsageError('--crl goes with --level B-LT or B-LTA');
  const profile = str('profile');
  if (profile && !['tax', 'bhxh', 'einvoice'].includes(profile))
    throw new UsageError(`--profile must be tax, bhxh or einvoice, not ${profile}`);
  const optional = <K extends keyof SignSettings>(k: K, value: SignSettings[K] | undefined) =>
    value === undefined ? {} : { [k]: value };
  const appearance = appearanceSettings(v);
  return {
    detached: v.detached === true,
    allowExpired: v['allow-expired'] === true,
    xades: v.xades === true,
    pss: v.pss === true,
    legacySubfilter: v['legacy-subfilter'] === true,
    level,
    tsaHeaders: headerOptions(v['tsa-header'] as string[] | undefined),
    crls,
    ...optional('profile', profile as ProfileName | undefined),
    ...optional('role', str('role')),
    ...optional('hash', hash),
    ...optional('tsa', level === 'B-B' ? undefined : str('tsa')),
    ...optional('reason', str('reason')),
    ...optional('location', str('location')),
    ...optional('contact', str('contact')),
    ...optional('name', str('name')),
    ...optional('field', str('field')),
    ...optional('appearance', appearance),
    ...optional('certify', certifyLevel(str('certify'))),
  };
}

function certifyLevel(v: string | undefined): 1 | 2 | 3 | undefined {
  if (v === undefined) return undefined;
  if (!['1', '2', '3'].includes(v))
    throw new UsageError(
      `--certify must be 1 (no changes), 2 (forms and signatures) or 3 (also annotations), not ${v}`,
    );
  return Number(v) as 1 | 2 | 3;
}

const PRESETS: AppearancePreset[] = ['approved', 'issued', 'appendix', 'copy', 'custom'];
const COPY_TYPES = ['SAO Y', 'SAO LỤC', 'TRÍCH SAO'] as const;

function appearanceSettings(v: Record<string, string | boolean | string[] | undefined>): SignSettings['appearance'] {
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const preset = str('appearance');
  if (preset === undefined) {
    for (const k of ['image', 'seal', 'rect', 'page'])
      if (str(k) !== undefined) throw new UsageError(`--${k} goes with --appearance`);
    return undefined;
  }
  if (!PRESETS.includes(preset as AppearancePreset))
    throw new UsageError(`--appearance must be one of ${PRESETS.join(', ')}, not ${preset}`);
  let rect: [number, number, number, number] | undefined;
  if (str('rect') !== undefined) {
    const parts = str('rect')!.split(',').map(Number);
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)) || parts[2]! <= 0 || parts[3]! <= 0)
      throw new UsageError(`--rect must be x,y,width,height in points, not ${str('rect')}`);
    rect = parts as [number, number, number, number];
  }
  const page = str('page') === undefined ? undefined : Number(str('page'));
  if (page !== undefined && (!Number.isInteger(page) || page < 1))
    throw new UsageError(`--page must be a page number from 1, not ${str('page')}`);
  const sealSize = str('seal-size-mm') === undefined ? undefined : Number(str('seal-size-mm'));
  if (sealSize !== undefined && !(sealSize > 0 && sealSize < 200))
    throw new UsageError('--seal-size-mm must be a size in millimetres');
  const copyType = str('copy-type')?.toUpperCase();
  if (copyType !== undefined && !COPY_TYPES.includes(copyType as never))
    throw new UsageError(`--copy-type must be one of ${COPY_TYPES.join(', ')}`);
  const text = str('text');
  return {
    preset: preset as AppearancePreset,
    ...(str('image') && { image: str('image') }),
    ...(str('seal') && { seal: str('seal') }),
    ...(sealSize !== undefined && { sealSizeMm: sealSize }),
    ...(page !== undefined && { pageIndex: page - 1 }),
    ...(rect && { rect }),
    ...(str('anchor') && {
      anchor: { text: str('anchor')!, ...(str('anchor-position') === 'above' && { position: 'above' as const }) },
    }),
    ...(text !== undefined && v['no-text'] !== true && { text: text.replace(/\\n/g, '\n') }),
    ...(v['no-text'] === true && { text: false }),
    ...(str('document-number') && { documentNumber: str('document-number') }),
    ...(copyType && { copyType: copyType as (typeof COPY_TYPES)[number] }),
    ...(str('copy-org') && { copyOrganization: str('copy-org') }),
  };
}

/** What kind of signing a file gets. */
export type SignMode = 'pdf' | 'xml' | 'detached';

/** The mode for `path`: detached when asked, XML when a profile is given or the file starts with `<`, else PDF. */
export async function signModeOf(path: string, s: SignSettings): Promise<SignMode> {
  if (s.detached) return 'detached';
  if (s.profile) return 'xml';
  return modeOfHead((await readSource(path, 0)).head, s);
}

function modeOfHead(head: Uint8Array, s: SignSettings): SignMode {
  if (s.detached) return 'detached';
  return s.profile || looksLikeXml(head) ? 'xml' : 'pdf';
}

/** Result of signing one file. */
export interface SignedFile {
  mode: SignMode;
  sha256Before: string;
  sha256After: string;
  /** Where the visible signature went. */
  placement?: AppearancePlacement;
}

const tsaSources = new Map<string, HttpTimestampSource>();

/**
 * Signs `input` into `output` (atomically) with the settings. Each input is opened once and read once. The
 * signer may still be loading: a large PDF's copy and digest start without it (the key is wanted at the end).
 */
export async function signOneFile(
  input: string,
  output: string,
  signerOrLoading: Signer | Promise<Signer>,
  s: SignSettings,
  overwrite: boolean,
): Promise<SignedFile> {
  const ready = Promise.resolve(signerOrLoading).then(async (signer) => {
    if (!s.allowExpired) await checkCertificateValidNow(signer);
    return signer;
  });
  ready.catch(() => undefined); // awaited where the signer is wanted, which throws its failure there
  let tsa: HttpTimestampSource | undefined;
  if (s.tsa) {
    tsa = tsaSources.get(s.tsa) ?? new HttpTimestampSource({ url: s.tsa, headers: s.tsaHeaders });
    tsaSources.set(s.tsa, tsa);
  }
  const common = { ...(s.hash && { hash: s.hash }), ...(s.pss && { pss: true }), ...(tsa && { tsa }) };
  if (s.detached) {
    const signer = await ready;
    // loaded before the stream flows (its 'data' listener starts it), so that no chunk passes unsigned
    const { signDetached } = await import('../cades/detached.js');
    const hasher = createHash('sha256');
    const stream = createReadStream(input);
    stream.on('data', (c) => hasher.update(c));
    const signed = await signDetached(stream, { signer, ...common });
    return written(output, signed, overwrite, 'detached', hasher.digest('hex'));
  }
  // a large PDF is never held in memory (parsed lazily, hashed as a stream, copied on disk); other files are read whole
  const source = await readSource(input, s.profile ? Infinity : LARGE_FILE);
  const mode = modeOfHead(source.head, s);
  if (mode === 'pdf') {
    let placement: AppearancePlacement | undefined;
    const stepsReady = ready.then((signer) => pdfSteps(signer, s, common, (p) => (placement = p)));
    const placed = <T extends SignedFile>(r: T): T => (placement ? { ...r, placement } : r);
    if (!source.bytes) {
      // the manifest's digests come from the pass the signature's digest makes anyway, which starts at once
      const sha256 = (await extendPdfFile(input, output, stepsReady, {
        overwrite,
        sha256: true,
        ...(s.hash && { hashes: [s.hash] }),
      }))!;
      return placed({ mode, sha256Before: toHex(sha256.input), sha256After: toHex(sha256.output) });
    }
    const steps = await stepsReady;
    const sha256Before = createHash('sha256').update(source.bytes).digest('hex');
    // the document grows by one update per step; it is joined in memory only when a later step must read it
    let document = source.bytes;
    let update = await steps[0]!(document);
    for (const step of steps.slice(1)) {
      document = concatBytes([document, update]);
      update = await step(document);
    }
    return placed(await written(output, [document, update], overwrite, mode, sha256Before));
  }
  const bytes = source.bytes ?? (await readInput(input)); // a large XML file: its DOM needs it whole anyway
  const sha256Before = createHash('sha256').update(bytes).digest('hex');
  // the XML stack (its DOM and canonicalisation libraries) is loaded by the runs that sign XML, not by every start
  const { signXml } = await import('../xades/sign-xml.js');
  const signed = await signXml(bytes, {
    signer: await ready,
    // Receivers rarely hold the signer's intermediate CA: ship the chain in KeyInfo.
    includeChain: true,
    // without --profile, the profile verify would apply (root element and namespace), or none
    profile: s.profile ?? 'auto',
    ...(s.role && { role: s.role }),
    ...(s.xades && { xades: true }),
    ...common,
  });
  return written(output, signed, overwrite, mode, sha256Before);
}

const validityChecked = new WeakMap<Signer, Promise<void>>();

/**
 * A signature made outside its certificate's validity is refused by every verifier: better no file than one
 * that fails verification (--allow-expired, for tests and re-signing old material, overrides).
 */
function checkCertificateValidNow(signer: Signer): Promise<void> {
  let check = validityChecked.get(signer);
  if (!check) {
    check = parseCertificate(signer.certificate).then((c) => {
      const now = new Date();
      const day = (d: Date) => d.toISOString().slice(0, 10);
      if (now > c.notAfter)
        throw new KysoError(
          'ERR_CERTIFICATE_EXPIRED',
          `the signing certificate "${c.subject.commonName ?? c.subject.display}" expired on ${day(c.notAfter)}: a signature made with it now does not verify; renew it, or pass --allow-expired to sign anyway`,
        );
      if (now < c.notBefore)
        throw new KysoError(
          'ERR_CERTIFICATE_EXPIRED',
          `the signing certificate "${c.subject.commonName ?? c.subject.display}" is not valid before ${day(c.notBefore)}: a signature made with it now does not verify; check the computer's clock, or pass --allow-expired to sign anyway`,
        );
    });
    validityChecked.set(signer, check);
  }
  return check;
}

/**
 * The incremental updates a PDF gets at the settings' level — the signature, then for B-LT the validation
 * data, then for B-LTA a document timestamp — each computed from the document as the one before left it, in
 * memory or (large files) by path.
 */
async function pdfSteps(
  signer: Signer,
  s: SignSettings,
  common: { hash?: DigestAlgorithm; pss?: boolean; tsa?: HttpTimestampSource },
  onPlacement: (p: AppearancePlacement) => void,
): Promise<PdfFileStep[]> {
  const appearance = s.appearance && (await appearanceOptions(s.appearance));
  const options = {
    signer,
    ...common,
    ...(appearance && { appearance, onPlacement }),
    ...(s.certify && { certify: s.certify }),
    reason: s.reason,
    location: s.location,
    contactInfo: s.contact,
    name: s.name,
    fieldName: s.field,
    subFilter: s.legacySubfilter ? ('adbe.pkcs7.detached' as const) : ('ETSI.CAdES.detached' as const),
  };
  const crls = s.level === 'B-LT' || s.level === 'B-LTA' ? (await Promise.all(s.crls.map(readCrls))).flat() : [];
  return padesSteps({ ...options, level: s.level, ...(crls.length && { crls }) });
}

/** The appearance settings with their image files read. */
async function appearanceOptions(a: NonNullable<SignSettings['appearance']>): Promise<AppearanceOptions> {
  return {
    ...a,
    ...(a.image && { image: await readInput(a.image) }),
    ...(a.seal && { seal: await readInput(a.seal) }),
  } as AppearanceOptions;
}

/**
 * `kyso sign … --preview page.png`: the page with the appearance where signing would put it, as a PNG, and
 * where that is. Nothing is signed: the key is only asked for its certificate.
 */
export async function previewOneFile(
  input: string,
  png: string,
  signer: Signer,
  s: SignSettings,
  overwrite: boolean,
): Promise<AppearancePlacement> {
  if (!s.appearance) throw new UsageError('--preview shows a visible signature: add --appearance');
  const { previewPdfSignature } = await import('../pades/preview-signature.js');
  const preview = await previewPdfSignature(await readInput(input), {
    certificate: signer.certificate,
    appearance: await appearanceOptions(s.appearance),
    ...(s.field !== undefined && { fieldName: s.field }),
  });
  await writeFileAtomic(png, [preview.png], { overwrite });
  return preview.placement;
}

/** A placement in words, for the terminal. */
export function describePlacement(p: AppearancePlacement): string {
  const rect = p.rect.map((v) => Math.round(v * 10) / 10).join(',');
  const lines = p.lines?.length ? ` by ${p.lines.map((l) => `"${l}"`).join(', ')}` : '';
  return `visible signature on page ${p.pageIndex + 1} at --rect ${rect} (${p.by}${lines}${p.fontSize ? `; text ${p.fontSize} pt` : ''})`;
}

async function written(
  output: string,
  signed: Uint8Array | Uint8Array[],
  overwrite: boolean,
  mode: SignMode,
  sha256Before: string,
): Promise<SignedFile> {
  const parts = signed instanceof Uint8Array ? [signed] : signed;
  await writeFileAtomic(output, parts, { overwrite });
  const after = createHash('sha256');
  for (const part of parts) after.update(part);
  return { mode, sha256Before, sha256After: after.digest('hex') };
}
