import { bytesEqual } from '../core/bytes.js';
import { parseCertificate, type Certificate } from './certificate.js';

/**
 * Orders `others` from the certificate that issued `leaf` up towards a root, following subject/issuer
 * names; certificates off that path keep their order after it. `leaf` and duplicates are dropped.
 */
export async function orderChain(leaf: Uint8Array, others: readonly Uint8Array[]): Promise<Uint8Array[]> {
  const leafCert = await parseCertificate(leaf);
  const pool: Certificate[] = [];
  for (const der of others) {
    if (bytesEqual(der, leaf) || pool.some((c) => bytesEqual(c.der, der))) continue;
    pool.push(await parseCertificate(der));
  }
  const ordered: Certificate[] = [];
  let current = leafCert;
  while (!current.selfIssued) {
    const issuer = pool.find((c) => !ordered.includes(c) && bytesEqual(c.subjectDer, current.issuerDer));
    if (!issuer) break;
    ordered.push(issuer);
    current = issuer;
  }
  return [...ordered, ...pool.filter((c) => !ordered.includes(c))].map((c) => c.der);
}
