import { digestFromOid, digestLength, type DigestAlgorithm } from '../core/algorithms.js';
import { bytesEqual, toHex, type BinaryInput } from '../core/bytes.js';
import { KysoError, isKysoError } from '../core/errors.js';
import { OID } from '../core/oids.js';
import { digest as digestOf } from '../crypto/digest.js';
import { readAlgorithmOid } from '../cms/algorithm-identifiers.js';
import { certificateFacts } from '../pki/certificate-facts.js';
import { inputBytes, readChildren, readOctets, readOid, readSmallInteger, readTlv, type Tlv } from '../core/der.js';
import { formatName } from '../pki/name.js';
import { parseSignedData, type ParsedSignedData } from '../cms/parse-signed-data.js';
import { readDerTime } from '../core/der.js';
import type { Problem as CmsProblem } from '../core/problem.js';
import { matchSignerCertificate, verifySignerInfo, type SignerInfoVerification } from '../cms/verify-signer-info.js';

/** An RFC 3161 time-stamp token, read: the TSTInfo's fields and the certificates around them. */
export interface TimestampToken {
  /** DER of the token (a CMS ContentInfo). */
  der: Uint8Array;
  /** DER of the TSTInfo (the eContent). */
  tstInfo: Uint8Array;
  version: number;
  /** The TSA policy under which the token was issued. */
  policy: string;
  messageImprint: {
    hashAlgorithmOid: string;
    /** Undefined when not a digest kyso knows. */
    hash?: DigestAlgorithm;
    /** The hashedMessage. */
    digest: Uint8Array;
  };
  /** serialNumber, lower-case hexadecimal. */
  serialNumber: string;
  genTime: Date;
  accuracy?: { seconds: number; millis: number; micros: number };
  ordering: boolean;
  /** nonce, lower-case hexadecimal without leading zero octets. */
  nonce?: string;
  /** The tsa GeneralName, readable (a directoryName as RFC 4514, other forms as `[tag]hex`). */
  tsaName?: string;
  /** DER of the certificates in the token. */
  certificates: Uint8Array[];
  /** DER of the certificate the SignerInfo names, when the token holds it. */
  signerCertificate?: Uint8Array;
  /** The token's SignedData. */
  signedData: ParsedSignedData;
}

/**
 * Reads an RFC 3161 time-stamp token (the DER ContentInfo, e.g. a signature-time-stamp attribute value or
 * a PDF document time-stamp's /Contents). Throws `ERR_CMS_MALFORMED` when it is not one. Nothing is
 * verified here: see {@link verifyTimestampToken}.
 *
 * @example
 * ```ts
 * const { genTime, policy, tsaName } = parseTimestampToken(tokenDer);
 * ```
 */
export function parseTimestampToken(der: BinaryInput): TimestampToken {
  const bytes = inputBytes(der, 'token');
  const signedData = parseSignedData(bytes);
  if (signedData.encapContentType !== OID.tstInfo || !signedData.eContent) {
    throw new KysoError(
      'ERR_CMS_MALFORMED',
      `not a time-stamp token: the SignedData holds ${signedData.eContent ? signedData.encapContentType : 'no content'}, not a TSTInfo`,
    );
  }
  const tstInfo = signedData.eContent;
  let fields: Omit<TimestampToken, 'der' | 'tstInfo' | 'certificates' | 'signedData' | 'signerCertificate'>;
  try {
    fields = readTstInfo(tstInfo);
  } catch (cause) {
    if (!isKysoError(cause)) throw new KysoError('ERR_CMS_MALFORMED', 'the TSTInfo cannot be decoded', { cause });
    throw new KysoError('ERR_CMS_MALFORMED', `the TSTInfo cannot be decoded: ${cause.message}`, { cause });
  }
  const si = signedData.signerInfos[0];
  const signer = si ? matchSignerCertificate(si.sid, signedData.certificates) : undefined;
  const end = readTlv(bytes, 0).end;
  return {
    der: bytes.slice(0, end),
    tstInfo,
    ...fields,
    certificates: signedData.certificates,
    ...(signer && { signerCertificate: signer.der }),
    signedData,
  };
}

function fail(message: string): never {
  throw new KysoError('ERR_CMS_MALFORMED', message);
}

function readTstInfo(
  b: Uint8Array,
): Omit<TimestampToken, 'der' | 'tstInfo' | 'certificates' | 'signedData' | 'signerCertificate'> {
  const seq = readTlv(b, 0);
  if (seq.tag !== 0x30 || seq.end !== b.length) fail('TSTInfo is not a SEQUENCE');
  const f = readChildren(b, seq);
  let i = 0;
  const next = (tag: number, what: string): Tlv => {
    const el = f[i++];
    if (el?.tag !== tag) fail(`${what} is missing`);
    return el;
  };
  const version = readSmallInteger(b, next(0x02, 'version'));
  const policy = readOid(b, next(0x06, 'policy'));
  const [algId, hashed] = readChildren(b, next(0x30, 'messageImprint'));
  if (algId?.tag !== 0x30 || hashed?.tag !== 0x04) fail('bad messageImprint');
  const hashAlgorithmOid = readAlgorithmOid(b, algId);
  const hash = digestFromOid(hashAlgorithmOid);
  const serial = next(0x02, 'serialNumber');
  const genTime = readDerTime(b, next(0x18, 'genTime'));
  const out: ReturnType<typeof readTstInfo> = {
    version,
    policy,
    messageImprint: { hashAlgorithmOid, ...(hash && { hash }), digest: readOctets(b, hashed) },
    serialNumber: toHex(b.subarray(serial.contentStart, serial.contentEnd)),
    genTime,
    ordering: false,
  };
  for (; i < f.length; i++) {
    const el = f[i]!;
    if (el.tag === 0x30) out.accuracy = readAccuracy(b, el);
    else if (el.tag === 0x01) out.ordering = b[el.contentStart] !== 0;
    else if (el.tag === 0x02) out.nonce = toHex(b.subarray(el.contentStart, el.contentEnd)).replace(/^(00)+(?=..)/, '');
    else if (el.tag === 0xa0) out.tsaName = readGeneralName(b, readTlv(b, el.contentStart, el.contentEnd));
  }
  return out;
}

function readAccuracy(b: Uint8Array, el: Tlv): { seconds: number; millis: number; micros: number } {
  const acc = { seconds: 0, millis: 0, micros: 0 };
  for (const part of readChildren(b, el)) {
    // millis [0] and micros [1] are IMPLICIT INTEGERs: read them as INTEGERs.
    const asInteger = { ...part, tag: 0x02 };
    if (part.tag === 0x02) acc.seconds = readSmallInteger(b, part);
    else if (part.tag === 0x80) acc.millis = readSmallInteger(b, asInteger);
    else if (part.tag === 0x81) acc.micros = readSmallInteger(b, asInteger);
  }
  return acc;
}

function readGeneralName(b: Uint8Array, el: Tlv): string {
  if (el.tag === 0xa4) {
    const name = readTlv(b, el.contentStart, el.contentEnd);
    return formatName(b.subarray(name.start, name.end));
  }
  return `[${el.tag & 0x1f}]${toHex(b.subarray(el.contentStart, el.contentEnd))}`;
}

/** Options of {@link verifyTimestampToken}. */
export interface VerifyTimestampTokenOptions {
  /** The time-stamped data; its digest (with the imprint's algorithm) must equal the messageImprint. */
  data?: BinaryInput;
  /** Or the digest of the time-stamped data directly. */
  digest?: BinaryInput;
  /** Further certificates in which to look for the TSA's (when the token was requested without certReq). */
  extraCertificates?: readonly BinaryInput[];
}

/** Outcome of {@link verifyTimestampToken}. */
export interface TimestampVerification {
  /**
   * True when the token's signature and message digest verify, the ESS signing-certificate attribute pins
   * the TSA certificate, that certificate is for time-stamping only (critical extendedKeyUsage), and the
   * messageImprint matches the data when data or a digest was given. The TSA certificate's chain and
   * revocation are not checked here (that is path validation's job).
   */
  valid: boolean;
  /** Whether the messageImprint matches `data`/`digest`; undefined when neither was given. */
  messageImprintMatches?: boolean;
  /** DER of the TSA certificate, when found. */
  signerCertificate?: Uint8Array;
  /** The CMS-level facts. */
  signature: SignerInfoVerification;
  problems: CmsProblem[];
}

/**
 * Checks an RFC 3161 token: its CMS signature, the ESS signing-certificate binding, the TSA certificate's
 * purpose, and the messageImprint against the data. Never throws for a bad token (only for one that
 * cannot be read at all: `ERR_CMS_MALFORMED`).
 *
 * @example
 * ```ts
 * const { valid, problems } = await verifyTimestampToken(tokenDer, { data: signatureValue });
 * ```
 */
export async function verifyTimestampToken(
  token: TimestampToken | BinaryInput,
  options: VerifyTimestampTokenOptions = {},
): Promise<TimestampVerification> {
  const t = isParsedToken(token) ? token : parseTimestampToken(token);
  const problems: CmsProblem[] = [];
  const signers = t.signedData.signerInfos;
  if (signers.length !== 1)
    problems.push({
      code: 'tsa-signer-count',
      message: `a time-stamp token has exactly one SignerInfo; this one has ${signers.length}`,
    });
  const si = signers[0];
  const extra = options.extraCertificates ? { extraCertificates: options.extraCertificates } : {};
  const signature: SignerInfoVerification = si
    ? await verifySignerInfo(t.signedData, si, extra)
    : { messageDigestValid: undefined, signatureValid: false, problems: [] };
  problems.push(...signature.problems);
  if (si && !si.signingCertificate && !si.signingCertificateV2) {
    problems.push({
      code: 'signing-certificate-missing',
      message: 'the token has no ESS signing-certificate(-v2) attribute (RFC 3161 §2.4.2)',
    });
  }
  const purposeOk = signature.signerCertificate ? checkTsaPurpose(signature.signerCertificate, problems) : false;
  const messageImprintMatches = await checkImprint(t, options, problems);
  const valid =
    signature.signatureValid &&
    signature.messageDigestValid === true &&
    signature.signingCertificateAttributeMatches === true &&
    purposeOk &&
    messageImprintMatches !== false &&
    signers.length === 1;
  return {
    valid,
    ...(messageImprintMatches !== undefined && { messageImprintMatches }),
    ...(signature.signerCertificate && { signerCertificate: signature.signerCertificate }),
    signature,
    problems,
  };
}

function isParsedToken(token: TimestampToken | BinaryInput): token is TimestampToken {
  return typeof token === 'object' && token !== null && 'tstInfo' in token && 'signedData' in token;
}

async function checkImprint(
  t: TimestampToken,
  options: VerifyTimestampTokenOptions,
  problems: CmsProblem[],
): Promise<boolean | undefined> {
  if (options.data === undefined && options.digest === undefined) return undefined;
  const { hash, digest, hashAlgorithmOid } = t.messageImprint;
  if (!hash) {
    problems.push({
      code: 'unsupported-algorithm',
      message: `messageImprint digest ${hashAlgorithmOid} is not supported`,
    });
    return false;
  }
  const expected =
    options.digest !== undefined
      ? inputBytes(options.digest, 'digest')
      : await digestOf(hash, inputBytes(options.data!, 'data'));
  const ok = expected.length === digestLength(hash) && bytesEqual(expected, digest);
  if (!ok)
    problems.push({
      code: 'message-imprint-mismatch',
      message: 'the token time-stamps other data (messageImprint differs)',
    });
  return ok;
}

/**
 * RFC 3161 §2.3: the TSA certificate has one extendedKeyUsage extension, critical, with id-kp-timeStamping
 * as its only purpose.
 */
export function checkTsaPurpose(certificate: Uint8Array, problems: CmsProblem[]): boolean {
  let cert;
  try {
    cert = certificateFacts(certificate);
  } catch {
    problems.push({ code: 'tsa-certificate-purpose', message: 'the TSA certificate cannot be read' });
    return false;
  }
  const ekus = cert.extensions.filter((e) => e.oid === OID.extKeyUsage);
  const purposes = ekus.length === 1 ? readPurposes(ekus[0]!.value) : undefined;
  if (
    ekus.length !== 1 ||
    !ekus[0]!.critical ||
    !purposes ||
    purposes.length !== 1 ||
    purposes[0] !== OID.kpTimeStamping
  ) {
    problems.push({
      code: 'tsa-certificate-purpose',
      message:
        'the TSA certificate lacks a critical extendedKeyUsage with id-kp-timeStamping as its only purpose (RFC 3161 §2.3)',
    });
    return false;
  }
  return true;
}

function readPurposes(value: Uint8Array): string[] | undefined {
  try {
    return readChildren(value, readTlv(value, 0)).map((p) => readOid(value, p));
  } catch {
    return undefined;
  }
}
