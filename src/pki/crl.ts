import { fromLatin1, isPem, parsePem, toBytes, toHex, type BinaryInput } from '../core/bytes.js';
import { readChildren, readDerTime, readTlv } from '../core/der.js';
import { readExtensionSequence, type ExtensionFacts } from './certificate-facts.js';
import { KysoError } from '../core/errors.js';
import { httpFetchBytes, type HttpTransportOptions } from '../core/http.js';
import type { Certificate } from './certificate.js';
import { verifySignedStructure } from './chain.js';
import { crlStatus } from './path/crl-validation.js';
import { revocationSignatureOf, type RevocationSignature } from './revocation-signature.js';

/** A decoded certificate revocation list. */
export interface Crl {
  der: Uint8Array;
  /** DER of the issuer Name. */
  issuerDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Revoked serial numbers (lower-case hex of the INTEGER contents) and when they were revoked. */
  revoked: Map<string, Date>;
  /** The revokedCertificates entries in order, with their extensions. */
  entries: CrlEntry[];
  /** The crlExtensions. */
  extensions: CrlExtension[];
}

/** One extension of a CRL or of a CRL entry. */
export type CrlExtension = ExtensionFacts;

/** One revokedCertificates entry. */
export interface CrlEntry {
  /** Serial number, lower-case hex of the INTEGER contents. */
  serial: string;
  revocationDate: Date;
  extensions: CrlExtension[];
}

/** What a CRL says about one certificate, once checked. */
export interface CrlStatus {
  status: 'good' | 'revoked';
  revocationTime?: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
  der: Uint8Array;
  /** Its signature: algorithm and the issuer's key, for an algorithm policy to judge. */
  signature: RevocationSignature;
}

const MAX_CRL_BYTES = 64 * 1024 * 1024;

/** Decodes a CRL (DER or PEM). @throws KysoError `ERR_REVOCATION_INVALID` */
export function parseCrl(input: BinaryInput): Crl {
  let der = toBytes(input, 'CRL');
  if (isPem(der)) der = parsePem(fromLatin1(der)).find((b) => b.label === 'X509 CRL')?.der ?? der;
  if (der.length > MAX_CRL_BYTES) throw new KysoError('ERR_REVOCATION_INVALID', 'the CRL is too large');
  try {
    const top = readTlv(der, 0);
    const tbs = readChildren(der, readChildren(der, top)[0]!);
    let i = tbs[0]?.tag === 0x02 ? 1 : 0; // version
    i++; // signature
    const issuer = tbs[i++]!;
    const thisUpdate = readDerTime(der, tbs[i++]!);
    const maybeNext = tbs[i];
    const nextUpdate =
      maybeNext && (maybeNext.tag === 0x17 || maybeNext.tag === 0x18) ? readDerTime(der, tbs[i++]!) : undefined;
    const revoked = new Map<string, Date>();
    const entries: CrlEntry[] = [];
    const list = tbs[i];
    if (list?.tag === 0x30) {
      i++;
      for (const entry of readChildren(der, list)) {
        const [serial, date, exts] = readChildren(der, entry);
        const e = {
          serial: toHex(der.subarray(serial!.contentStart, serial!.contentEnd)),
          revocationDate: readDerTime(der, date!),
          extensions: exts ? readExtensionSequence(der, exts) : [],
        };
        entries.push(e);
        revoked.set(e.serial, e.revocationDate);
      }
    }
    const exts = tbs[i]?.tag === 0xa0 ? readExtensionSequence(der, readChildren(der, tbs[i]!)[0]!) : [];
    return {
      der: der.slice(0, top.end),
      issuerDer: der.slice(issuer.start, issuer.end),
      thisUpdate,
      ...(nextUpdate && { nextUpdate }),
      revoked,
      entries,
      extensions: exts,
    };
  } catch (cause) {
    throw new KysoError('ERR_REVOCATION_INVALID', 'the CRL cannot be decoded', { cause });
  }
}

/**
 * Checks `certificate` against a CRL of its issuer as RFC 5280 §6.3 does (scope and issuingDistributionPoint,
 * the issuer's signature and cRLSign, critical extensions, reason codes) and — when `time`, the validation
 * time, is given — that the CRL speaks for it (`time` not after its nextUpdate).
 *
 * @throws KysoError `ERR_REVOCATION_INVALID`
 */
export async function checkCrl(
  crl: Crl,
  o: { certificate: Certificate; issuer: Certificate; time?: Date },
): Promise<CrlStatus> {
  const v = await crlStatus({
    certificate: o.certificate,
    issuer: o.issuer,
    crls: [crl],
    ...(o.time && { time: o.time }),
    signers: async () => [{ certificate: o.issuer, usable: async () => true }],
    verify: (c, signer) => verifySignedStructure(c.der, signer),
  });
  if (v.status === 'unknown')
    throw new KysoError(
      'ERR_REVOCATION_INVALID',
      v.problems.join('; ') || 'the CRL does not cover this certificate (another issuer or scope)',
    );
  return {
    status: v.status,
    ...(v.revocationTime && { revocationTime: v.revocationTime }),
    thisUpdate: crl.thisUpdate,
    ...(crl.nextUpdate && { nextUpdate: crl.nextUpdate }),
    der: crl.der,
    signature: revocationSignatureOf('CRL', crl.der, o.issuer),
  };
}

/** Downloads a CRL over HTTP. @throws KysoError `ERR_REVOCATION_UNAVAILABLE`, `ERR_REVOCATION_INVALID` */
export async function fetchCrl(url: string, options: HttpTransportOptions = {}): Promise<Crl> {
  const body = await httpFetchBytes({
    url,
    method: 'GET',
    what: 'the CRL distribution point',
    unavailableCode: 'ERR_REVOCATION_UNAVAILABLE',
    invalidCode: 'ERR_REVOCATION_INVALID',
    maxBytes: MAX_CRL_BYTES,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    retries: options.retries ?? 1,
    backoffMs: options.backoffMs,
  });
  return parseCrl(body);
}
