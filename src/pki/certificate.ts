import { bytesEqual, toHex, fromLatin1, isPem, parsePem, toBytes, type BinaryInput } from '../core/bytes.js';
import { readChildren, readOid, readTlv, type Tlv } from '../core/der.js';
import { KysoError } from '../core/errors.js';
import { deepFreeze } from '../core/frozen.js';
import { LruCache } from '../core/lru.js';
import { digest } from '../crypto/digest.js';
import { OID } from '../core/oids.js';
import { certificateFacts, type CertificateFacts } from './certificate-facts.js';
import { formatName, readNameAttributes, type NameAttribute } from './name.js';

/** Key usage bits, named as RFC 5280 names them. */
export type KeyUsage =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const KEY_USAGE_BITS: KeyUsage[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

/** A distinguished name, read for people and for matching Vietnamese identifiers. */
export interface NameInfo {
  /** RFC 4514 string, most specific first, e.g. `CN=Nguyễn Văn An,O=…,C=VN`. */
  display: string;
  /** Every attribute, in certificate order. */
  attributes: NameAttribute[];
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  country?: string;
  email?: string;
  /** Every `UID` value, e.g. `MST:0101234567`, `CCCD:001089012345`. */
  uids: string[];
  /** Tax code from a `UID` of the form `MST:…` (organisations; branches as `0105987432-999`). */
  taxCode?: string;
  /** Citizen identity number from `CCCD:…` (or the older `CMND:…`). */
  citizenId?: string;
}

/** A certificate's facts as kyso reports them: JSON-serialisable, UTF-8 correct. */
export interface CertificateInfo {
  subject: NameInfo;
  issuer: NameInfo;
  /** Serial number, lower-case hex. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  keyUsage?: KeyUsage[];
  extendedKeyUsage?: string[];
  basicConstraints?: { ca: boolean; pathLength?: number };
  subjectKeyIdentifier?: string;
  authorityKeyIdentifier?: string;
  crlDistributionPoints: string[];
  ocspUrls: string[];
  caIssuerUrls: string[];
  publicKey: { type: 'RSA'; bits: number } | { type: 'EC'; curve: string } | { type: 'other'; oid: string };
  /** SHA-256 of the DER, upper-case hex (as fingerprints are usually printed). */
  fingerprintSha256: string;
  selfIssued: boolean;
}

/** A parsed certificate: the facts, plus the DER pieces verification needs. */
export interface Certificate extends CertificateInfo {
  der: Uint8Array;
  /** DER of the subject and issuer Names, for exact comparison. */
  subjectDer: Uint8Array;
  issuerDer: Uint8Array;
  facts: CertificateFacts;
}

/** A public key in a few words: `RSA 2048`, `EC P-256`, or the algorithm's OID. */
export function describePublicKey(k: CertificateInfo['publicKey']): string {
  return k.type === 'RSA' ? `RSA ${k.bits}` : k.type === 'EC' ? `EC ${k.curve}` : k.oid;
}

/**
 * Certificates decoded, by SHA-256 of their DER: a verifier meets the same CA and signer certificates in
 * document after document and in every trust store it is given.
 */
const decoded = new LruCache<string, Promise<Certificate>>(2048);

/**
 * Decodes one certificate from DER or PEM (the first `CERTIFICATE` block). A certificate is decoded once and
 * the result shared (a bounded cache keyed by the DER's SHA-256), so it is frozen: copy what you want to change.
 */
export async function parseCertificate(input: BinaryInput | string): Promise<Certificate> {
  const known = input instanceof Uint8Array ? lastDecoded.get(input) : undefined;
  if (known && bytesEqual(known.der, input as Uint8Array)) return known;
  const der = certificateDer(input);
  const fingerprint = await digest('SHA-256', der);
  const cert = await decodedOnce(toHex(fingerprint), der, fingerprint);
  if (input instanceof Uint8Array && input === der) lastDecoded.set(input, cert);
  return cert;
}

/**
 * What each DER array was last decoded to: one verification hands the same arrays (the signature's
 * certificates, the cache's own copies) to several checks, and comparing bytes costs less than hashing them.
 * A hit is taken only while the array still holds those bytes.
 */
const lastDecoded = new WeakMap<Uint8Array, Certificate>();

function decodedOnce(key: string, der: Uint8Array, fingerprint: Uint8Array): Promise<Certificate> {
  return decoded.getOrSet(key, async () => {
    // the cache keeps its own copy: the caller may reuse its buffer
    const own = der.slice();
    const facts = certificateFacts(own);
    try {
      return deepFreeze(describe(own, facts, fingerprint));
    } catch (cause) {
      if (cause instanceof KysoError && cause.code === 'ERR_KEY_DECODE') throw cause;
      throw new KysoError('ERR_KEY_DECODE', 'the certificate cannot be decoded', { cause });
    }
  });
}

/** Every certificate in `input`: PEM with one or more blocks, or a single DER certificate. */
export function splitCertificates(input: BinaryInput | string): Uint8Array[] {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : toBytes(input, 'certificate');
  if (isPem(bytes)) {
    const blocks = parsePem(fromLatin1(bytes)).filter(
      (b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE',
    );
    if (blocks.length === 0) throw new KysoError('ERR_NO_CERTIFICATE', 'no CERTIFICATE block in the PEM text');
    return blocks.map((b) => b.der);
  }
  return [bytes];
}

function certificateDer(input: BinaryInput | string): Uint8Array {
  return splitCertificates(input)[0]!;
}

function describe(der: Uint8Array, facts: CertificateFacts, fingerprint: Uint8Array): Certificate {
  const { issuer: issuerDer, subject: subjectDer } = facts;
  const ext = (oid: string) => facts.extensions.find((e) => e.oid === oid)?.value;
  const aia = readAccessDescriptions(ext(OID.authorityInfoAccess));
  const ku = ext(OID.keyUsage);
  const eku = ext(OID.extKeyUsage);
  const bc = ext(OID.basicConstraints);
  const aki = ext(OID.authorityKeyIdentifier);
  const key = facts.key;
  return {
    der,
    subjectDer,
    issuerDer,
    facts,
    subject: nameInfo(subjectDer),
    issuer: nameInfo(issuerDer),
    serialNumber: toHex(facts.serialNumber),
    notBefore: facts.notBefore,
    notAfter: facts.notAfter,
    ...(ku && { keyUsage: readKeyUsage(ku) }),
    ...(eku && { extendedKeyUsage: readSequenceOfOids(eku) }),
    ...(bc && { basicConstraints: readBasicConstraints(bc) }),
    ...(facts.subjectKeyIdentifier && { subjectKeyIdentifier: toHex(facts.subjectKeyIdentifier) }),
    ...(aki && readAuthorityKeyId(aki)),
    crlDistributionPoints: readCrlDistributionPoints(ext(OID.crlDistributionPoints)),
    ocspUrls: aia.filter((a) => a.method === '1.3.6.1.5.5.7.48.1').map((a) => a.url),
    caIssuerUrls: aia.filter((a) => a.method === '1.3.6.1.5.5.7.48.2').map((a) => a.url),
    publicKey:
      key.type === 'RSA'
        ? { type: 'RSA', bits: key.modulusBytes * 8 }
        : key.type === 'EC'
          ? { type: 'EC', curve: key.curve ?? key.curveOid ?? 'unknown' }
          : { type: 'other', oid: key.oid },
    fingerprintSha256: toHex(fingerprint).toUpperCase(),
    selfIssued: subjectDer.length === issuerDer.length && subjectDer.every((b, k) => b === issuerDer[k]),
  };
}

function nameInfo(der: Uint8Array): NameInfo {
  const attributes = readNameAttributes(der);
  const first = (short: string) => attributes.find((a) => a.shortName === short)?.value;
  const uids = attributes.filter((a) => a.shortName === 'UID').map((a) => a.value);
  const uidValue = (...prefixes: string[]) => {
    for (const u of uids) {
      const m = u.match(/^\s*([A-Za-z]+)\s*[:-]\s*(.+?)\s*$/);
      if (m && prefixes.includes(m[1]!.toUpperCase())) return m[2];
    }
    return undefined;
  };
  const info: NameInfo = { display: formatName(der), attributes, uids };
  const set = <K extends keyof NameInfo>(k: K, v: NameInfo[K] | undefined) => {
    if (v !== undefined) info[k] = v;
  };
  set('commonName', first('CN'));
  set('organization', first('O'));
  set('organizationalUnit', first('OU'));
  set('country', first('C'));
  set('email', first('E'));
  set('taxCode', uidValue('MST'));
  set('citizenId', uidValue('CCCD', 'CMND'));
  return info;
}

function readKeyUsage(value: Uint8Array): KeyUsage[] {
  const el = readTlv(value, 0);
  const out: KeyUsage[] = [];
  const bytes = value.subarray(el.contentStart + 1, el.contentEnd);
  KEY_USAGE_BITS.forEach((name, bit) => {
    if ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) out.push(name);
  });
  return out;
}

function readSequenceOfOids(value: Uint8Array): string[] {
  return readChildren(value, readTlv(value, 0)).map((el) => readOid(value, el));
}

function readBasicConstraints(value: Uint8Array): { ca: boolean; pathLength?: number } {
  const parts = readChildren(value, readTlv(value, 0));
  const ca = parts[0]?.tag === 0x01 && value[parts[0].contentStart] !== 0;
  const len = parts.find((p) => p.tag === 0x02);
  if (!len) return { ca };
  let n = 0;
  for (let k = len.contentStart; k < len.contentEnd; k++) n = n * 256 + value[k]!;
  return { ca, pathLength: n };
}

function readAuthorityKeyId(value: Uint8Array): { authorityKeyIdentifier?: string } {
  const keyId = readChildren(value, readTlv(value, 0)).find((p) => p.tag === 0x80);
  return keyId ? { authorityKeyIdentifier: toHex(value.subarray(keyId.contentStart, keyId.contentEnd)) } : {};
}

/** URIs among GeneralNames ([6] uniformResourceIdentifier), searched through nested structures. */
function collectUris(bytes: Uint8Array, el: Tlv, out: string[], depth = 0): void {
  if (depth > 8) return;
  if (el.tag === 0x86) {
    out.push(fromLatin1(bytes, el.contentStart, el.contentEnd));
    return;
  }
  if (el.tag & 0x20) for (const c of readChildren(bytes, el)) collectUris(bytes, c, out, depth + 1);
}

function readCrlDistributionPoints(value: Uint8Array | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  collectUris(value, readTlv(value, 0), out);
  return out;
}

function readAccessDescriptions(value: Uint8Array | undefined): { method: string; url: string }[] {
  if (!value) return [];
  return readChildren(value, readTlv(value, 0)).flatMap((ad) => {
    const [method, location] = readChildren(value, ad);
    if (method?.tag !== 0x06 || location?.tag !== 0x86) return [];
    return [{ method: readOid(value, method), url: fromLatin1(value, location.contentStart, location.contentEnd) }];
  });
}
