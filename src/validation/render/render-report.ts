import { describePublicKey } from '../../pki/certificate.js';
import type { Indication, SubIndication } from '../../core/indication.js';
import type { PathValidationResult } from '../../pki/chain.js';

import type { Finding } from '../findings.js';

import type { TimestampVerificationReport } from '../verify-timestamp.js';
import type { SignerFacts } from '../signer-check.js';
import { CATALOGUES, type Catalogue, type Locale } from './messages/index.js';
import type {
  DetachedSignerReport,
  DetachedVerificationReport,
  PdfSignatureReport,
  PdfVerificationReport,
  XmlVerificationReport,
} from '../reports.js';

/** Any report kyso's verifiers return. */
export type VerificationReport =
  PdfVerificationReport | XmlVerificationReport | DetachedVerificationReport | TimestampVerificationReport;

/** Options of {@link renderReport}. */
export interface RenderReportOptions {
  /** The language. Default `en`. */
  locale?: Locale;
  /** The file's name, to head the report with. */
  file?: string;
}

/** Which verifier made `r`. */
function reportKind(r: VerificationReport): 'pdf' | 'xml' | 'cades' | 'timestamp' {
  if ('revisions' in r) return 'pdf';
  if ('imprintMatches' in r) return 'timestamp';
  if ('signatureValue' in r) return 'cades';
  return 'xml';
}

/**
 * A verification report as text for people, in Vietnamese or English: a head line with the verdict, one block
 * per signature (signer with MST/CCCD, signing time in Vietnam's time, PAdES level, changes after signing), and
 * what is wrong, in plain words. Works for the reports of `verifyPdf`, `verifyXml`, `verifyDetached` and
 * `verifyTimestamp`.
 *
 * @example
 * ```ts
 * console.log(renderReport(await verifyPdf(bytes, { trust: 'vn' }), { locale: 'vi', file: 'quyet-dinh.pdf' }));
 * ```
 */
export function renderReport(report: VerificationReport, options: RenderReportOptions = {}): string {
  const r = new Renderer(CATALOGUES[options.locale ?? 'en'], options.file);
  switch (reportKind(report)) {
    case 'pdf':
      return r.pdf(report as PdfVerificationReport);
    case 'xml':
      return r.xml(report as XmlVerificationReport);
    case 'cades':
      return r.cades(report as DetachedVerificationReport);
    default:
      return r.timestamp(report as TimestampVerificationReport);
  }
}

/** The texts reports are written with, in one language: for an interface that lays a report out itself. */
export function reportMessages(locale: Locale): Catalogue {
  return CATALOGUES[locale];
}

/** The line for a file that could not be verified at all: the error's message and stable code. */
export function renderUnreadable(error: { code: string; message: string }, options: RenderReportOptions = {}): string {
  return `${options.file ? `${options.file}: ` : ''}${CATALOGUES[options.locale ?? 'en'].text.unreadable(error)}`;
}

/** The signer's Vietnamese identifiers, e.g. `MST 0101234567, CCCD 001…`: written the same in both languages. */
const vnIds = (taxCode?: string, citizenId?: string) =>
  [taxCode && `MST ${taxCode}`, citizenId && `CCCD ${citizenId}`].filter(Boolean).join(', ');

/** The CN of an RFC 4514 subject (`UID=MST:…,CN=Nguyễn Văn An,O=…`), or the whole subject when it has none. */
const commonNameOf = (subject: string) =>
  /(?:^|,)CN=((?:\\.|[^,\\])*)/.exec(subject)?.[1]?.replace(/\\(.)/g, '$1') ?? subject;

/** The quoted field name a change's detail names, if any. */
const fieldOf = (detail: string) => /"([^"]+)"/.exec(detail)?.[1];

class Renderer {
  constructor(
    private readonly m: Catalogue,
    private readonly file?: string,
  ) {}

  /** `TOTAL_PASSED` / `TOTAL_FAILED (HASH_FAILURE)` in English, the words of the JSON and JUnit reports; the verdict in words in Vietnamese (the why comes in its own line). */
  private verdict(r: { indication: Indication; subIndication?: SubIndication }, words = this.m.verdict): string {
    return `${words[r.indication]}${r.subIndication && this.m.locale === 'en' ? ` (${r.subIndication})` : ''}`;
  }

  private head(verdict: string, rest?: string): string {
    return `${this.file ? `${this.file}: ` : ''}${verdict}${rest ? ` — ${rest}` : ''}`;
  }

  private line(label: keyof Catalogue['label'], value: string, indent = '  '): string {
    return `${indent}${`${this.m.label[label]}:`.padEnd(this.m.labelWidth)} ${value}`;
  }

  private time(iso: string | Date): string {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : this.m.text.time(d);
  }

  /** The plain-words reason of a verdict other than passed. */
  private why(r: { indication: Indication; subIndication?: SubIndication }, changed = false): string[] {
    if (r.indication === 'TOTAL_PASSED') return [];
    if (changed) return [this.line('why', this.m.changedAfterSigning)];
    return r.subIndication ? [this.line('why', this.m.subIndication[r.subIndication])] : [];
  }

  /**
   * The `!` error and `·` warning lines. In English the verifier's own messages say it; in another language each
   * finding is said in that language by its code, the verifier's message following as the technical detail.
   */
  private problems(
    errors: readonly string[],
    warnings: readonly string[],
    indent = '  ',
    findings?: readonly Finding[],
  ): string[] {
    const t = this.m.text.technicalDetail;
    if (this.m.locale !== 'en' && findings?.length) {
      const said = (f: Finding) => `${this.m.finding[f.code]} (${t}${f.message})`;
      const errs = findings.filter((f) => f.severity === 'error');
      const warns = findings.filter((f) => f.severity !== 'error');
      return [...errs.map((f) => `${indent}! ${said(f)}`), ...warns.map((f) => `${indent}· ${said(f)}`)];
    }
    return [...errors.map((e) => `${indent}! ${t}${e}`), ...warnings.map((w) => `${indent}· ${t}${w}`)];
  }

  private signer(s: SignerFacts): string[] {
    const id = vnIds(s.subject.taxCode, s.subject.citizenId);
    const lines = [this.line('signer', `${s.subject.commonName ?? s.subject.display}${id ? ` (${id})` : ''}`)];
    if (s.subject.organization) lines.push(this.line('organisation', s.subject.organization));
    lines.push(this.line('issuer', s.issuer.commonName ?? s.issuer.display));
    const t = this.m.text;
    lines.push(
      this.line(
        'certificate',
        t.certificate({
          from: t.day(new Date(s.notBefore)),
          to: t.day(new Date(s.notAfter)),
          key: describePublicKey(s.publicKey),
          ...(s.keyUsage && { keyUsage: s.keyUsage.join(' ') }),
          serial: s.serialNumber,
        }),
      ),
    );
    return lines;
  }

  /** The trust line: the anchor the signer's path reached, or why it reached none. */
  private trust(chain: PathValidationResult): string {
    return this.line(
      'trust',
      chain.status === 'valid'
        ? this.m.text.trustChain(chain.chain.at(-1)?.subject.commonName ?? '?')
        : this.m.chainStatus[chain.status],
    );
  }

  private timestamps(list: readonly { genTime?: string; tsa?: string; valid: boolean }[]): string[] {
    return list.map((ts) =>
      this.line(
        'timestamp',
        this.m.text.timestampLine({
          ...(ts.genTime && { time: this.time(ts.genTime) }),
          ...(ts.tsa && { tsa: ts.tsa }),
          valid: ts.valid,
        }),
      ),
    );
  }

  private pdfSignature(s: PdfSignatureReport): string {
    const { m } = this;
    const t = m.text;
    const kind = s.hidden
      ? 'hidden'
      : s.kind === 'document-timestamp'
        ? 'document-timestamp'
        : s.certification
          ? 'certification'
          : 'signature';
    const changed = s.modifications?.verdict === 'not-permitted-changes';
    const lines = [
      `${t.signatureTitle({ kind, index: s.index, field: s.fieldName, ...(s.hidden && { hidden: s.hidden }), ...(s.role && { role: s.role }) })}: ${this.verdict(s)}`,
    ];
    lines.push(...this.why(s, changed));
    if (s.signer) lines.push(...this.signer(s.signer));
    if (s.claimedSigningTime) {
      const claim = t.claimedTime({
        source: s.claimedSigningTimeSource ?? '/M',
        ...(s.certificateValidAtClaimedTime !== undefined && { validThen: s.certificateValidAtClaimedTime }),
      });
      lines.push(this.line('signedAt', `${this.time(s.claimedSigningTime)} (${claim})`));
    }
    lines.push(...this.timestamps(s.timestamps));
    if (s.reason) lines.push(this.line('reason', s.reason));
    if (s.location) lines.push(this.line('location', s.location));
    lines.push(this.line('integrity', t.pdfIntegrity(s.integrity)));
    if (s.digestAlgorithm || s.signatureAlgorithm)
      lines.push(
        this.line(
          'algorithms',
          [s.subFilter, s.signatureAlgorithm, s.digestAlgorithm && t.digestAlgorithm(s.digestAlgorithm)]
            .filter(Boolean)
            .join(', '),
        ),
      );
    if (s.chain) lines.push(this.trust(s.chain));
    if (s.level) lines.push(this.line('level', m.level[s.level]));
    if (s.certification) lines.push(this.line('certifies', t.certifies(s.certification.permissions)));
    for (const l of s.fieldLocks ?? []) lines.push(this.line('locks', t.locks(l)));
    if (s.modifications)
      lines.push(
        this.line(
          'coverage',
          `${m.coverage[s.modifications.verdict]}${s.revision !== undefined ? t.signsRevision(s.revision + 1) : ''}`,
        ),
      );
    for (const c of s.modifications?.changes.filter((c) => c.status !== 'permitted') ?? []) {
      const field = fieldOf(c.detail);
      lines.push(`    - ${t.change({ status: c.status, kind: c.kind, detail: c.detail, ...(field && { field }) })}`);
    }
    lines.push(...this.problems(s.errors, s.warnings, '  ', s.findings));
    return lines.join('\n');
  }

  pdf(report: PdfVerificationReport): string {
    const orphans = report.hiddenSignatures.filter((s) => s.hidden === 'not-in-form').length;
    const head = this.head(
      this.verdict(report),
      this.m.text.pdfHead({ signatures: report.signatures.length, revisions: report.revisions, orphans }),
    );
    const blocks = [...report.signatures, ...report.hiddenSignatures].map((s) => this.pdfSignature(s));
    const doc = this.problems(report.errors, report.warnings, '', report.findings);
    if (report.emptySignatureFields.length) doc.push(`· ${this.m.text.emptyFields(report.emptySignatureFields)}`);
    return [head, ...blocks, ...doc].join('\n');
  }

  xml(report: XmlVerificationReport): string {
    const t = this.m.text;
    const lines = [
      this.head(
        this.verdict(report),
        t.xmlHead({ signatures: report.signatures.length, ...(report.profile && { profile: report.profile }) }),
      ),
    ];
    report.signatures.forEach((s, i) => {
      lines.push(
        `${t.xmlSignatureTitle({ index: i + 1, path: s.path, ...(s.role && { role: s.role }) })}: ${this.verdict(s)}`,
      );
      lines.push(...this.why(s));
      if (s.certificate) {
        const id = vnIds(s.certificate.mst, s.certificate.cccd);
        lines.push(this.line('signer', `${commonNameOf(s.certificate.subject)}${id ? ` (${id})` : ''}`));
      }
      if (s.signingTime)
        lines.push(
          this.line(
            'signedAt',
            t.xmlSigningTime({
              time: s.signingTime.time ? this.time(s.signingTime.time) : s.signingTime.value,
              signed: s.signingTime.signed,
            }),
          ),
        );
      lines.push(...this.timestamps(s.timestamps ?? []));
      lines.push(
        this.line(
          'integrity',
          t.xmlIntegrity({ ok: s.integrity, references: s.references.map((r) => ({ uri: r.uri, ok: r.digestValid })) }),
        ),
      );
      if (s.businessElement)
        lines.push(
          this.line(
            'signedData',
            t.xmlSignedData({
              signed: s.businessElement.signed,
              ...(s.businessElement.altered && { altered: true }),
              what: s.businessElement.signed
                ? (s.businessElement.path ?? s.businessElement.rule)
                : s.businessElement.rule,
            }),
          ),
        );
      else
        lines.push(
          this.line(
            'signedData',
            t.xmlSignedWithoutProfile(
              s.references.filter((r) => r.digestValid && r.resolvedPath).map((r) => r.resolvedPath!),
            ),
          ),
        );
      lines.push(...this.problems(s.errors, s.warnings, '  ', s.findings));
    });
    lines.push(...this.problems(report.errors, [], '', report.findings));
    return lines.join('\n');
  }

  cades(report: DetachedVerificationReport): string {
    const t = this.m.text;
    const signers = report.signers ?? [];
    const name = (s: DetachedSignerReport) =>
      s.signer && t.detachedSigner(s.signer.subject.commonName ?? s.signer.subject.display);
    // one signer: its facts under the head line; several (every SignerInfo is verified): a block each
    const lines = [
      this.head(
        `${t.detachedHead}: ${this.verdict(report)}`,
        signers.length > 1 ? t.detachedSigners(signers.length) : name(report),
      ),
    ];
    lines.push(...this.why(report));
    if (signers.length > 1) {
      signers.forEach((s, i) => {
        lines.push(`  ${t.detachedSignerTitle(i + 1)}: ${this.verdict(s)}${s.signer ? ` — ${name(s)}` : ''}`);
        lines.push(...this.signerInfo(s, true));
        lines.push(...this.problems(s.errors, s.warnings, '    ', s.findings));
      });
      return lines.join('\n');
    }
    lines.push(...this.signerInfo(report));
    lines.push(...this.problems(report.errors, report.warnings, '  ', report.findings));
    return lines.join('\n');
  }

  /** What a detached signature says of one signer: certificate, claimed time, time-stamps, trust. */
  private signerInfo(s: DetachedSignerReport, nested = false): string[] {
    const lines: string[] = [];
    if (s.signer) lines.push(...this.signer(s.signer));
    if (s.signingTime)
      lines.push(
        this.line('signedAt', `${this.time(s.signingTime)} (${this.m.text.claimedTime({ source: 'signing-time' })})`),
      );
    lines.push(...this.timestamps(s.timestamps));
    if (s.chain) lines.push(this.trust(s.chain));
    return nested ? lines.map((l) => `  ${l}`) : lines;
  }

  timestamp(report: TimestampVerificationReport): string {
    const t = this.m.text;
    const lines = [
      this.head(
        `${t.timestampHead}: ${this.verdict(report, this.m.timestampVerdict)}`,
        report.genTime && this.time(report.genTime),
      ),
    ];
    lines.push(...this.why(report));
    if (report.tsa) lines.push(this.line('tsa', report.tsa));
    if (report.serialNumber) lines.push(this.line('serial', report.serialNumber));
    lines.push(this.line('integrity', t.timestampImprint(report.imprintMatches)));
    if (report.chain) lines.push(this.trust(report.chain));
    lines.push(...this.problems(report.errors, [], '  ', report.findings));
    return lines.join('\n');
  }
}
