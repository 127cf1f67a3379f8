import { bytesEqual, isPem } from '../core/bytes.js';
import { readChildren, readOid, readTlv } from '../core/der.js';
import { KysoError } from '../core/errors.js';
import { httpFetchBytes, type HttpTransportOptions } from '../core/http.js';
import { OID } from '../core/oids.js';
import { parseCertificate, splitCertificates, type Certificate } from './certificate.js';
import type { IssuerSource, TrustStore } from './trust-store.js';

/** Options of {@link withIssuerFetching}. */
export interface IssuerFetchOptions extends HttpTransportOptions {
  /** Largest answer accepted, bytes. Default 64 KiB (a CA certificate, or a few in PKCS#7). */
  maxBytes?: number;
  /** At most this many certificates fetched for one path. Default 4. */
  maxFetches?: number;
}

/**
 * A copy of `store` that, before each path is built, fetches the issuers nobody supplied from the caIssuers
 * (AIA) URLs of the certificates (`--online`). Answers may be a DER or PEM certificate or a PKCS#7
 * "certs-only" bundle; each URL is fetched once for the life of the store (one run), with a time limit and a
 * size cap (defaults: 5 s, one retry, 64 KiB). A fetched certificate is only path-building material: the path
 * still has to verify, link by link, up to an anchor.
 *
 * @example
 * ```ts
 * const trust = withIssuerFetching(await vnTrustStore());
 * const report = await verifyPdf(pdf, { trust });
 * ```
 */
export function withIssuerFetching(store: TrustStore, options: IssuerFetchOptions = {}): TrustStore {
  return { ...store, issuerSource: createIssuerSource(store, options) };
}

function createIssuerSource(store: TrustStore, o: IssuerFetchOptions): IssuerSource {
  const answers = new Map<string, Promise<Certificate[]>>();
  const failures = new Map<string, string>();
  const fetchUrl = (url: string): Promise<Certificate[]> => {
    let answer = answers.get(url);
    if (!answer) {
      answer = fetchCaIssuers(url, o).catch((e: unknown) => {
        failures.set(url, e instanceof Error ? e.message : String(e));
        return [];
      });
      answers.set(url, answer);
    }
    return answer;
  };
  return {
    failure: (url) => failures.get(url),
    async complete(certificate, known) {
      const pool = [...store.anchors, ...known];
      const found: Certificate[] = [];
      let current = certificate;
      for (let i = 0; i < (o.maxFetches ?? 4) && !current.selfIssued; i++) {
        // by name and key identifier: a CA renewed under the same name with a new key is another issuer
        const issuedBy = (c: Certificate) =>
          bytesEqual(c.subjectDer, current.issuerDer) &&
          (!current.authorityKeyIdentifier ||
            !c.subjectKeyIdentifier ||
            c.subjectKeyIdentifier === current.authorityKeyIdentifier);
        const have = pool.find(issuedBy) ?? found.find(issuedBy);
        if (have) {
          if (store.anchors.includes(have)) break;
          current = have;
          continue;
        }
        const urls = current.caIssuerUrls.filter((u) => /^https?:\/\//i.test(u));
        let next: Certificate | undefined;
        for (const url of urls) {
          next = (await fetchUrl(url)).find(issuedBy);
          if (next) break;
          if (!failures.has(url))
            failures.set(url, `${url} did not answer with the certificate of "${current.issuer.display}"`);
        }
        if (!next) break;
        found.push(next);
        current = next;
      }
      return found;
    },
  };
}

/** Downloads one caIssuers URL and reads the certificates of its answer. */
export async function fetchCaIssuers(url: string, o: IssuerFetchOptions = {}): Promise<Certificate[]> {
  const bytes = await httpFetchBytes({
    url,
    accept: 'application/pkix-cert, application/pkcs7-mime, application/x-x509-ca-cert, */*',
    timeoutMs: o.timeoutMs ?? 5000,
    retries: o.retries ?? 1,
    ...(o.backoffMs !== undefined && { backoffMs: o.backoffMs }),
    ...(o.fetch && { fetch: o.fetch }),
    maxBytes: o.maxBytes ?? 64 * 1024,
    what: 'the CA issuers URL',
    unavailableCode: 'ERR_ISSUER_FETCH',
    invalidCode: 'ERR_ISSUER_FETCH',
  });
  try {
    return await Promise.all(readCaIssuersAnswer(bytes).map((der) => parseCertificate(der)));
  } catch (cause) {
    throw new KysoError(
      'ERR_ISSUER_FETCH',
      `${url} did not answer with a certificate (DER, PEM or PKCS#7 certs-only)`,
      { cause },
    );
  }
}

/**
 * The certificates of a caIssuers answer (RFC 5280 §4.2.2.1): a DER certificate, PEM text, or a PKCS#7
 * SignedData "certs-only" (its `certificates` field; BER lengths accepted).
 */
export function readCaIssuersAnswer(bytes: Uint8Array): Uint8Array[] {
  if (isPem(bytes)) return splitCertificates(bytes);
  const outer = readTlv(bytes, 0);
  const children = readChildren(bytes, outer);
  if (children[0]?.tag !== 0x06 || readOid(bytes, children[0]) !== OID.signedData)
    return [bytes.subarray(outer.start, outer.end)];
  const explicit = children[1];
  if (explicit?.tag !== 0xa0) throw new KysoError('ERR_ISSUER_FETCH', 'a PKCS#7 answer without content');
  const signedData = readChildren(bytes, explicit)[0]!;
  const certificates = readChildren(bytes, signedData).find((c) => c.tag === 0xa0);
  if (!certificates) throw new KysoError('ERR_ISSUER_FETCH', 'a PKCS#7 answer without certificates');
  return readChildren(bytes, certificates)
    .filter((c) => c.tag === 0x30)
    .map((c) => bytes.subarray(c.start, c.end));
}
