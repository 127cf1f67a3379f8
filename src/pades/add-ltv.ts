import { bytesEqual, concatBytes, toBytes, toHex, type BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { digest } from '../crypto/digest.js';
import { parseSignedData } from '../cms/index.js';
import { parseCertificate, splitCertificates } from '../pki/certificate.js';
import { checkRevocation, type RevocationCheck } from '../pki/revocation.js';
import { IncrementalWriter } from '../pdf/incremental-writer.js';
import { PdfDict, PdfRef, PdfStream, PdfString, name, type PdfObject } from '../pdf/objects.js';
import { PdfReader } from '../pdf/reader.js';
import { findSignatureFields } from '../pdf/signature-scan.js';
import { parseTimestampToken } from '../tsa/index.js';

/** Options of {@link addLtv}. */
export interface AddLtvOptions {
  /** Extra certificates to complete chains (intermediates, roots). */
  certificates?: readonly (BinaryInput | string)[];
  /** Revocation data the caller already holds (DER OCSP responses and CRLs). */
  ocsps?: readonly Uint8Array[];
  crls?: readonly Uint8Array[];
  /** Fetch missing OCSP responses / CRLs from the URLs in the certificates. Default: true (LTV needs them). */
  online?: boolean;
  fetch?: typeof globalThis.fetch;
}

/** What {@link addLtv} did. */
export interface AddLtvResult {
  pdf: Uint8Array;
  /**
   * Per certificate: where its revocation status came from, or why it is missing; `usedBy` says whether the
   * certificate is on a signature's side (its certificates and the chain-completing ones, what PAdES B-LT
   * requires) or only in a timestamp token.
   */
  revocation: {
    subject: string;
    status: RevocationCheck['status'];
    source?: string;
    problems: string[];
    usedBy: 'signature' | 'timestamp';
  }[];
}

/**
 * PAdES B-LT: adds a Document Security Store (/DSS with /Certs, /OCSPs, /CRLs and a /VRI entry per signature)
 * in an incremental update, with the certificates and revocation data needed to validate every signature and
 * timestamp offline, years later. Earlier signatures stay valid; an existing DSS is extended.
 *
 * @example
 * ```ts
 * const lt = await addLtv(signed);                       // OCSP/CRL fetched from the certificates' URLs
 * const lta = await timestampPdf(lt.pdf, { tsa });        // PAdES B-LTA
 * ```
 */
export async function addLtv(pdf: BinaryInput, options: AddLtvOptions = {}): Promise<AddLtvResult> {
  const bytes = toBytes(pdf, 'pdf');
  const { update, revocation } = await addLtvToUpdate(bytes, options);
  return { pdf: concatBytes([bytes, update]), revocation };
}

/**
 * Like {@link addLtv}, but returns only the incremental update (the output is `pdf` followed by it): for large
 * files, whose bytes are copied on disk rather than in memory.
 */
export async function addLtvToUpdate(
  pdf: BinaryInput,
  options: AddLtvOptions = {},
): Promise<{ update: Uint8Array; revocation: AddLtvResult['revocation'] }> {
  const bytes = toBytes(pdf, 'pdf');
  const reader = PdfReader.open(bytes);
  if (reader.isEncrypted) throw new KysoError('ERR_PDF_ENCRYPTED', 'the PDF is encrypted');
  const { signed } = findSignatureFields(reader, { pageIndexes: false });
  if (signed.length === 0)
    throw new KysoError('ERR_INVALID_ARGUMENT', 'the PDF has no signature to add validation data for');
  const extra = (options.certificates ?? []).flatMap((c) => splitCertificates(c));

  const certs = new Store();
  const ocsps = new Store();
  const crls = new Store();
  const vri = new PdfDict();
  const revocationReport: AddLtvResult['revocation'] = [];
  const seen = new Map<string, RevocationCheck>();
  const embedded = { ocsps: [...(options.ocsps ?? [])], crls: [...(options.crls ?? [])] };

  for (const found of signed) {
    const contents = found.signature.get('Contents');
    if (!(contents instanceof PdfString)) continue;
    let signatureDer: Uint8Array[];
    let timestampDer: Uint8Array[] = [];
    try {
      const cms = parseSignedData(contents.bytes);
      signatureDer = cms.certificates;
      for (const t of cms.signerInfos.flatMap((si) => si.signatureTimeStampTokens))
        timestampDer = [...timestampDer, ...parseTimestampToken(t).certificates];
    } catch {
      continue; // a broken signature gets no validation data; verifyPdf says why
    }
    const onSignatureSide = [...signatureDer, ...extra];
    const pool = await Promise.all([...onSignatureSide, ...timestampDer].map((d) => parseCertificate(d)));
    const usedBy = (der: Uint8Array) => (onSignatureSide.some((d) => bytesEqual(d, der)) ? 'signature' : 'timestamp');
    const vriCerts: PdfRef[] = [];
    const vriOcsps: PdfRef[] = [];
    const vriCrls: PdfRef[] = [];
    for (const cert of pool) {
      vriCerts.push(certs.add(cert.der));
      if (cert.selfIssued) continue;
      const issuer = pool.find((c) => bytesEqual(c.subjectDer, cert.issuerDer));
      if (!issuer) {
        revocationReport.push({
          subject: cert.subject.display,
          status: 'unavailable',
          problems: ['its issuer certificate is not at hand; pass it in options.certificates'],
          usedBy: usedBy(cert.der),
        });
        continue;
      }
      const key = cert.fingerprintSha256;
      let check = seen.get(key);
      if (!check) {
        check = await checkRevocation(cert, issuer, {
          embedded,
          online: options.online ?? true,
          ...(options.fetch && { fetch: options.fetch }),
        });
        seen.set(key, check);
        revocationReport.push({
          subject: cert.subject.display,
          status: check.status,
          ...(check.source && { source: `${check.source} (${check.origin})` }),
          problems: check.problems,
          usedBy: usedBy(cert.der),
        });
      }
      if (check.der)
        (check.source === 'ocsp' ? vriOcsps : vriCrls).push((check.source === 'ocsp' ? ocsps : crls).add(check.der));
      if (check.responderCertificate) vriCerts.push(certs.add(check.responderCertificate));
    }
    const key = toHex(await digest('SHA-1', contents.bytes)).toUpperCase();
    const entry = new PdfDict();
    if (vriCerts.length) entry.set('Cert', unique(vriCerts));
    if (vriOcsps.length) entry.set('OCSP', unique(vriOcsps));
    if (vriCrls.length) entry.set('CRL', unique(vriCrls));
    vri.set(key, entry);
  }
  return { update: writeDss(reader, certs, ocsps, crls, vri), revocation: revocationReport };
}

/**
 * DER blobs to write as streams, each once. Object numbers are allocated when the update is written; until
 * then each blob is named by a stand-in reference, replaced then.
 */
class Store {
  readonly items: { der: Uint8Array; ref: PdfRef }[] = [];
  add(der: Uint8Array): PdfRef {
    let item = this.items.find((i) => bytesEqual(i.der, der));
    if (!item) {
      item = { der, ref: new PdfRef(-(this.items.length + 1), 0) };
      this.items.push(item);
    }
    return item.ref;
  }
}

function unique(refs: PdfRef[]): PdfRef[] {
  return refs.filter((r, i) => refs.indexOf(r) === i);
}

function writeDss(reader: PdfReader, certs: Store, ocsps: Store, crls: Store, vri: PdfDict): Uint8Array {
  const writer = new IncrementalWriter(reader);
  const real = new Map<PdfRef, PdfRef>();
  for (const store of [certs, ocsps, crls]) {
    for (const item of store.items) {
      const ref = writer.allocate();
      writer.set(ref, new PdfStream(new PdfDict(), item.der));
      real.set(item.ref, ref);
    }
  }
  const mapRefs = (o: PdfObject): PdfObject =>
    o instanceof PdfRef ? (real.get(o) ?? o) : Array.isArray(o) ? o.map(mapRefs) : o;
  const catalogRef = reader.trailer.get('Root') as PdfRef;
  const catalog = reader.catalog().clone();
  const old = reader.resolveDict(catalog.get('DSS'));
  const list = (key: string, store: Store) => {
    const before = reader.resolve(old?.get(key));
    return [...(Array.isArray(before) ? before : []), ...store.items.map((i) => real.get(i.ref)!)];
  };
  const vriOut = reader.resolveDict(old?.get('VRI'))?.clone() ?? new PdfDict();
  for (const [k, v] of vri.map) {
    const entry = new PdfDict();
    for (const [ek, ev] of (v as PdfDict).map) entry.set(ek, mapRefs(ev));
    vriOut.set(k, entry);
  }
  const dss = new PdfDict()
    .set('Type', name('DSS'))
    .set('Certs', list('Certs', certs))
    .set('OCSPs', list('OCSPs', ocsps))
    .set('CRLs', list('CRLs', crls))
    .set('VRI', vriOut);
  const dssRef = writer.allocate();
  writer.set(dssRef, dss);
  catalog.set('DSS', dssRef);
  writer.set(catalogRef, catalog);
  return writer.build().update;
}
