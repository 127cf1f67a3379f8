import type { PdfSignatureReport, PdfVerificationReport } from './verify-pdf.js';

const MARK: Record<string, string> = { TOTAL_PASSED: 'PASSED', INDETERMINATE: 'INDETERMINATE', TOTAL_FAILED: 'FAILED' };

const yesNo = (v: boolean | null, yes: string, no: string, unknown = 'not checked') => (v === null ? unknown : v ? yes : no);

const COVERAGE: Record<string, string> = {
  'whole-document': 'covers the whole document',
  'permitted-changes': 'later changes, all permitted',
  'changes-reported': 'later changes, permitted but worth reading',
  'not-permitted-changes': 'later changes, NOT permitted',
};

/** A person's view of one signature: one block, Vietnamese names as they are. */
function renderSignature(s: PdfSignatureReport): string {
  const lines: string[] = [];
  const title = s.kind === 'document-timestamp' ? 'Document timestamp' : s.certification ? 'Certification signature' : 'Signature';
  lines.push(`${title} #${s.index} "${s.fieldName}": ${MARK[s.indication]}${s.subIndication ? ` (${s.subIndication})` : ''}`);
  if (s.signer) {
    const id = [s.signer.subject.taxCode && `MST ${s.signer.subject.taxCode}`, s.signer.subject.citizenId && `CCCD ${s.signer.subject.citizenId}`].filter(Boolean).join(', ');
    lines.push(`  Signer:      ${s.signer.subject.commonName ?? s.signer.subject.display}${id ? ` (${id})` : ''}`);
    if (s.signer.subject.organization) lines.push(`  Organisation: ${s.signer.subject.organization}`);
    lines.push(`  Issuer:      ${s.signer.issuer.commonName ?? s.signer.issuer.display}`);
  }
  if (s.claimedSigningTime) lines.push(`  Signed at:   ${s.claimedSigningTime} (claimed by the signer)`);
  for (const t of s.timestamps) lines.push(`  Timestamp:   ${t.genTime ?? '?'}${t.tsa ? ` by ${t.tsa}` : ''}: ${t.valid ? 'valid' : 'INVALID'}`);
  if (s.reason) lines.push(`  Reason:      ${s.reason}`);
  if (s.location) lines.push(`  Location:    ${s.location}`);
  lines.push(`  Integrity:   ByteRange ${s.integrity.byteRange ? 'ok' : 'BROKEN'}, digest ${yesNo(s.integrity.digest, 'matches', 'MISMATCH')}, signature ${yesNo(s.integrity.signatureValue, 'valid', 'INVALID')}`);
  if (s.digestAlgorithm || s.signatureAlgorithm) lines.push(`  Algorithms:  ${[s.signatureAlgorithm, s.digestAlgorithm && `digest ${s.digestAlgorithm}`].filter(Boolean).join(', ')}`);
  if (s.chain) lines.push(`  Trust:       ${s.chain.status === 'valid' ? `chain to "${s.chain.chain[s.chain.chain.length - 1]?.subject.commonName ?? '?'}"` : s.chain.status}`);
  if (s.modifications) lines.push(`  Coverage:    ${COVERAGE[s.modifications.verdict]}${s.revision !== undefined ? ` (signs revision ${s.revision + 1})` : ''}`);
  for (const c of s.modifications?.changes.filter((c) => c.status !== 'permitted') ?? []) lines.push(`    - ${c.status === 'not-permitted' ? 'NOT PERMITTED' : 'reported'}: ${c.detail}`);
  for (const e of s.errors) lines.push(`  ! ${e}`);
  for (const w of s.warnings) lines.push(`  · ${w}`);
  return lines.join('\n');
}

/** The report as text for people, e.g. `kyso verify`'s default output. */
export function renderPdfReport(report: PdfVerificationReport, file?: string): string {
  const head = `${file ? `${file}: ` : ''}${MARK[report.indication]}${report.subIndication ? ` (${report.subIndication})` : ''} — ${report.signatures.length} signature${report.signatures.length === 1 ? '' : 's'}, ${report.revisions} revision${report.revisions === 1 ? '' : 's'}`;
  const blocks = report.signatures.map(renderSignature);
  const doc = [...report.errors.map((e) => `! ${e}`), ...report.warnings.map((w) => `· ${w}`)];
  if (report.emptySignatureFields.length) doc.push(`· empty signature fields: ${report.emptySignatureFields.join(', ')}`);
  return [head, ...blocks, ...doc].join('\n');
}
