import { describePublicKey } from '../pki/certificate.js';
import type { XmlVerificationReport } from '../xml/verify-xml.js';
import type { PdfSignatureReport, PdfVerificationReport } from './verify-pdf.js';

const MARK: Record<string, string> = { TOTAL_PASSED: 'PASSED', INDETERMINATE: 'INDETERMINATE', TOTAL_FAILED: 'FAILED' };

/** `PASSED`, or `FAILED (HASH_FAILURE)`: an indication and its sub-indication. */
const verdict = (r: { indication: string; subIndication?: string }) => `${MARK[r.indication]}${r.subIndication ? ` (${r.subIndication})` : ''}`;

/** The signer's Vietnamese identifiers, e.g. `MST 0101234567, CCCD 001…`. */
const vnIds = (taxCode?: string, citizenId?: string) => [taxCode && `MST ${taxCode}`, citizenId && `CCCD ${citizenId}`].filter(Boolean).join(', ');

const yesNo = (v: boolean | null, yes: string, no: string, unknown = 'not checked') => (v === null ? unknown : v ? yes : no);

const COVERAGE: Record<string, string> = {
  'whole-document': 'covers the whole document',
  'permitted-changes': 'later changes, all permitted',
  'changes-reported': 'later changes, permitted but worth reading',
  'not-permitted-changes': 'later changes, NOT permitted',
};

const DOCMDP: Record<number, string> = { 1: 'no changes allowed', 2: 'form filling and signing allowed', 3: 'form filling, signing and annotations allowed' };

const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10);

/** A person's view of one signature: one block, Vietnamese names as they are. */
function renderSignature(s: PdfSignatureReport): string {
  const lines: string[] = [];
  const title = s.hidden ? 'Hidden signature' : s.kind === 'document-timestamp' ? 'Document timestamp' : s.certification ? 'Certification signature' : 'Signature';
  const where = s.hidden ? (s.hidden === 'superseded' ? ' (an earlier version of a redefined signature dictionary)' : ' (in no signature field of the form)') : ` "${s.fieldName}"`;
  lines.push(`${title} #${s.index}${where}${s.role ? ` [${s.role}]` : ''}: ${verdict(s)}`);
  if (s.signer) {
    const id = vnIds(s.signer.subject.taxCode, s.signer.subject.citizenId);
    lines.push(`  Signer:      ${s.signer.subject.commonName ?? s.signer.subject.display}${id ? ` (${id})` : ''}`);
    if (s.signer.subject.organization) lines.push(`  Organisation: ${s.signer.subject.organization}`);
    lines.push(`  Issuer:      ${s.signer.issuer.commonName ?? s.signer.issuer.display}`);
    lines.push(`  Certificate: ${day(s.signer.notBefore)} – ${day(s.signer.notAfter)}, ${describePublicKey(s.signer.publicKey)}${s.signer.keyUsage ? `, ${s.signer.keyUsage.join(' ')}` : ''}, serial ${s.signer.serialNumber}`);
  }
  if (s.claimedSigningTime) {
    const validity = s.certificateValidAtClaimedTime === undefined ? '' : s.certificateValidAtClaimedTime ? ', certificate valid then' : ', certificate NOT valid then';
    lines.push(`  Signed at:   ${s.claimedSigningTime} (claimed, ${s.claimedSigningTimeSource === 'signing-time' ? 'CMS signing-time' : '/M'}${validity})`);
  }
  for (const t of s.timestamps) lines.push(`  Timestamp:   ${t.genTime ?? '?'}${t.tsa ? ` by ${t.tsa}` : ''}: ${t.valid ? 'valid' : 'INVALID'}`);
  if (s.reason) lines.push(`  Reason:      ${s.reason}`);
  if (s.location) lines.push(`  Location:    ${s.location}`);
  const i = s.integrity;
  lines.push(`  Integrity:   ByteRange ${i.byteRange ? 'ok' : 'BROKEN'}, format ${i.format ? 'ok' : 'BROKEN'}, digest ${yesNo(i.digest, 'matches', 'MISMATCH')}, signature ${yesNo(i.signatureValue, 'valid', 'INVALID')}, signing certificate attribute ${i.signingCertificate === 'mismatch' ? 'MISMATCH' : i.signingCertificate}`);
  if (s.digestAlgorithm || s.signatureAlgorithm) lines.push(`  Algorithms:  ${[s.subFilter, s.signatureAlgorithm, s.digestAlgorithm && `digest ${s.digestAlgorithm}`].filter(Boolean).join(', ')}`);
  if (s.chain) lines.push(`  Trust:       ${s.chain.status === 'valid' ? `chain to "${s.chain.chain[s.chain.chain.length - 1]?.subject.commonName ?? '?'}"` : s.chain.status}`);
  if (s.level) lines.push(`  Level:       PAdES ${s.level}`);
  if (s.certification) lines.push(`  Certifies:   DocMDP P=${s.certification.permissions} (${DOCMDP[s.certification.permissions]})`);
  for (const l of s.fieldLocks ?? []) lines.push(`  Locks:       ${l.action === 'All' ? 'every field' : `${l.action === 'Include' ? '' : 'all fields but '}${l.fields.join(', ')}`}`);
  if (s.modifications) lines.push(`  Coverage:    ${COVERAGE[s.modifications.verdict]}${s.revision !== undefined ? ` (signs revision ${s.revision + 1})` : ''}`);
  for (const c of s.modifications?.changes.filter((c) => c.status !== 'permitted') ?? []) lines.push(`    - ${c.status === 'not-permitted' ? 'NOT PERMITTED' : 'reported'}: ${c.detail}`);
  for (const e of s.errors) lines.push(`  ! ${e}`);
  for (const w of s.warnings) lines.push(`  · ${w}`);
  return lines.join('\n');
}

/**
 * The report as text for people, e.g. `kyso verify`'s default output: a head line with the document's
 * verdict, one block per signature (then per hidden signature), then the document's own errors and warnings.
 *
 * @example
 * ```ts
 * console.log(renderPdfReport(await verifyPdf(bytes, { trust: 'vn' }), 'quyet-dinh.pdf'));
 * ```
 */
export function renderPdfReport(report: PdfVerificationReport, file?: string): string {
  const head = `${file ? `${file}: ` : ''}${verdict(report)} — ${report.signatures.length} signature${report.signatures.length === 1 ? '' : 's'}, ${report.revisions} revision${report.revisions === 1 ? '' : 's'}`;
  const blocks = [...report.signatures, ...report.hiddenSignatures].map(renderSignature);
  const doc = [...report.errors.map((e) => `! ${e}`), ...report.warnings.map((w) => `· ${w}`)];
  if (report.emptySignatureFields.length) doc.push(`· empty signature fields: ${report.emptySignatureFields.join(', ')}`);
  return [head, ...blocks, ...doc].join('\n');
}

/** An XML verification report as text for people. */
export function renderXmlReport(report: XmlVerificationReport, file?: string): string {
  const lines = [`${file ? `${file}: ` : ''}${verdict(report)} — ${report.signatures.length} XML signature${report.signatures.length === 1 ? '' : 's'}${report.profile ? `, profile ${report.profile}` : ''}`];
  report.signatures.forEach((s, i) => {
    lines.push(`Signature #${i + 1} at ${s.path}${s.role ? ` (${s.role})` : ''}: ${verdict(s)}`);
    if (s.certificate) {
      const id = vnIds(s.certificate.mst, s.certificate.cccd);
      lines.push(`  Signer:      ${s.certificate.subject}${id ? ` (${id})` : ''}`);
    }
    if (s.signingTime) lines.push(`  Signed at:   ${s.signingTime.time ?? s.signingTime.value}${s.signingTime.signed ? '' : ' (not covered by the signature)'}`);
    lines.push(`  Integrity:   ${s.integrity ? 'every reference and the signature value check out' : 'BROKEN'}; references: ${s.references.map((r) => `${r.uri || '""'} ${r.digestValid ? 'ok' : 'MISMATCH'}`).join(', ')}`);
    if (s.businessElement) lines.push(`  Signed data: ${s.businessElement.signed ? `exactly ${s.businessElement.path ?? s.businessElement.rule}` : `NOT the ${s.businessElement.rule} an application reads`}`);
    else lines.push(`  Signed data: ${s.references.filter((r) => r.digestValid && r.resolvedPath).map((r) => r.resolvedPath).join(', ') || 'none'} (no profile says which element an application reads)`);
    for (const e of s.errors) lines.push(`  ! ${e}`);
    for (const w of s.warnings) lines.push(`  · ${w}`);
  });
  for (const e of report.errors) lines.push(`! ${e}`);
  return lines.join('\n');
}
