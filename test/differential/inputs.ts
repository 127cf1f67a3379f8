/**
 * The inputs of the differential tests: every certificate, CMS, CRL, OCSP response and time-stamp token the
 * suite makes or reads — the test PKI, signatures we make with it, and the signatures of the corpus fixtures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromHex, fromLatin1 } from '../../src/core/bytes.js';
import { readTlv } from '../../src/core/der.js';
import { splitCertificates } from '../../src/pki/certificate.js';
import { PKI_DIR } from '../fixtures/pki.js';

const CORPUS = fileURLToPath(new URL('../fixtures/pdf-corpus/', import.meta.url));

/** Every certificate of the test PKI (DER), without repeats. */
export function pkiCertificates(): Uint8Array[] {
  const ders = readdirSync(PKI_DIR)
    .filter((f) => f.endsWith('.pem') && (f.includes('.cert.') || f.includes('.chain.')))
    .flatMap((f) => splitCertificates(readFileSync(`${PKI_DIR}/${f}`, 'utf8')));
  return unique(ders);
}

/** The CMS of every signature (hex /Contents) in a PDF, without the zero padding. */
export function pdfSignatureContents(pdf: Uint8Array): Uint8Array[] {
  const text = fromLatin1(pdf);
  const found: Uint8Array[] = [];
  for (const m of text.matchAll(/\/Contents\s*<([0-9A-Fa-f\s]{200,})>/g)) {
    const bytes = fromHex(m[1]!.replace(/\s/g, ''));
    if (bytes[0] !== 0x30) continue;
    try {
      found.push(bytes.slice(0, readTlv(bytes, 0).end));
    } catch {
      // not DER/BER: a malformed fixture, left to the corpus tests
    }
  }
  return found;
}

/** name → CMS of each signature in each corpus fixture PDF. */
export function corpusSignatures(): { name: string; cms: Uint8Array }[] {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .flatMap((f) =>
      pdfSignatureContents(new Uint8Array(readFileSync(CORPUS + f))).map((cms, i) => ({ name: `${f}#${i + 1}`, cms })),
    );
}

export function unique(list: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  return list.filter((b) => {
    const k = Buffer.from(b).toString('base64');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
