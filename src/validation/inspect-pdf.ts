import { toBytes, type BinaryInput } from '../core/bytes.js';
import { parseSignedData } from '../cms/index.js';
import { parseCertificate, type CertificateInfo } from '../pki/certificate.js';
import { PdfString, nameOf } from '../pdf/objects.js';
import { PdfReader } from '../pdf/reader.js';
import { findSignatureFields } from '../pdf/signature-scan.js';
import { decodeTextString, parsePdfDate } from '../pdf/text-string.js';

/** What {@link inspectPdf} lists. */
export interface PdfInspection {
  version: string;
  pages: number;
  encrypted: boolean;
  repaired: boolean;
  revisions: { end: number; objects: number }[];
  signatures: {
    fieldName: string;
    subFilter?: string;
    signingTime?: string;
    pageIndex?: number;
    certificates: Pick<CertificateInfo, 'subject' | 'issuer' | 'serialNumber' | 'notBefore' | 'notAfter' | 'fingerprintSha256'>[];
  }[];
  emptySignatureFields: string[];
}

/** Lists a PDF's revisions, signature fields and certificates, judging nothing. */
export async function inspectPdf(pdf: BinaryInput): Promise<PdfInspection> {
  const reader = PdfReader.open(toBytes(pdf, 'pdf'));
  const { signed, empty } = findSignatureFields(reader);
  const signatures: PdfInspection['signatures'] = [];
  for (const s of signed) {
    const contents = s.signature.get('Contents');
    const certificates: PdfInspection['signatures'][number]['certificates'] = [];
    if (contents instanceof PdfString) {
      try {
        for (const der of parseSignedData(contents.bytes).certificates) {
          const c = await parseCertificate(der);
          certificates.push({ subject: c.subject, issuer: c.issuer, serialNumber: c.serialNumber, notBefore: c.notBefore, notAfter: c.notAfter, fingerprintSha256: c.fingerprintSha256 });
        }
      } catch {
        // inspect lists what it can read; verify says why the rest is broken
      }
    }
    const m = reader.resolve(s.signature.get('M'));
    const when = m instanceof PdfString ? parsePdfDate(decodeTextString(m)) : undefined;
    const subFilter = nameOf(s.signature.get('SubFilter'));
    signatures.push({
      fieldName: s.fieldName,
      ...(subFilter && { subFilter }),
      ...(when && { signingTime: when.toISOString() }),
      ...(s.pageIndex !== undefined && { pageIndex: s.pageIndex }),
      certificates,
    });
  }
  return {
    version: reader.version,
    pages: reader.pages().length,
    encrypted: reader.isEncrypted,
    repaired: reader.repaired,
    revisions: reader.revisions().map((r) => ({ end: r.end, objects: r.objects.length })),
    signatures,
    emptySignatureFields: empty.map((e) => e.fieldName),
  };
}
