import { toBytes, type BinaryInput } from '../core/bytes.js';
import { parseSignedData } from '../cms/index.js';
import { parseCertificate, type CertificateInfo } from '../pki/certificate.js';
import { summary } from '../pki/chain.js';
import { signedRangeEnd, revisionEndingAt } from '../pdf/byte-range.js';
import { PdfString, nameOf } from '../pdf/objects.js';
import { PdfReader } from '../pdf/reader.js';
import { findHiddenSignatures, findSignatureFields } from '../pdf/signature-scan.js';
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
    kind: 'signature' | 'document-timestamp';
    subFilter?: string;
    /** 0-based index of the revision the /ByteRange ends, when it ends one. */
    revision?: number;
    signingTime?: string;
    pageIndex?: number;
    certificates: Pick<
      CertificateInfo,
      'subject' | 'issuer' | 'serialNumber' | 'notBefore' | 'notAfter' | 'fingerprintSha256'
    >[];
  }[];
  emptySignatureFields: string[];
  /** Signature dictionaries no field of the form shows (object number and why). */
  hiddenSignatures: { object: number; reason: 'not-in-form' | 'superseded' }[];
}

/**
 * Lists a PDF's revisions, signature fields (and the revision each signature covers), hidden signatures and
 * the certificates each signature carries, judging nothing (verifyPdf judges).
 *
 * @example
 * ```ts
 * const { revisions, signatures } = await inspectPdf(await readFile('signed.pdf'));
 * ```
 */
export async function inspectPdf(pdf: BinaryInput): Promise<PdfInspection> {
  const reader = PdfReader.open(toBytes(pdf, 'pdf'));
  const { signed, empty } = findSignatureFields(reader);
  const revisions = reader.revisions();
  const signatures: PdfInspection['signatures'] = [];
  for (const s of signed) {
    const contents = s.signature.get('Contents');
    const certificates: PdfInspection['signatures'][number]['certificates'] = [];
    if (contents instanceof PdfString) {
      try {
        for (const der of parseSignedData(contents.bytes).certificates) {
          certificates.push(summary(await parseCertificate(der)));
        }
      } catch {
        // inspect lists what it can read; verify says why the rest is broken
      }
    }
    const m = reader.resolve(s.signature.get('M'));
    const when = m instanceof PdfString ? parsePdfDate(decodeTextString(m)) : undefined;
    const subFilter = nameOf(s.signature.get('SubFilter'));
    const end = signedRangeEnd(s.signature);
    const revision = end === undefined ? -1 : revisionEndingAt(reader.bytes, revisions, end);
    signatures.push({
      fieldName: s.fieldName,
      kind:
        nameOf(s.signature.get('Type')) === 'DocTimeStamp' || subFilter === 'ETSI.RFC3161'
          ? 'document-timestamp'
          : 'signature',
      ...(subFilter && { subFilter }),
      ...(revision >= 0 && { revision }),
      ...(when && { signingTime: when.toISOString() }),
      ...(s.pageIndex !== undefined && { pageIndex: s.pageIndex }),
      certificates,
    });
  }
  return {
    version: reader.version,
    pages: pageCount(reader),
    encrypted: reader.isEncrypted,
    repaired: reader.repaired,
    revisions: revisions.map((r) => ({ end: r.end, objects: r.objects.length })),
    signatures,
    emptySignatureFields: empty.map((e) => e.fieldName),
    hiddenSignatures: findHiddenSignatures(reader, signed).map((h) => ({
      object: h.signatureRef.num,
      reason: h.reason,
    })),
  };
}

function pageCount(reader: PdfReader): number {
  try {
    return reader.pages().length;
  } catch {
    return 0; // a broken page tree: inspect still lists the signatures
  }
}
