import { bytesEqual, toHex } from '../core/bytes.js';
import {
  DER_NULL,
  derOid,
  readChildren,
  readDerTime,
  readOctets,
  readOid,
  readTlv,
  tlv,
  type Tlv,
} from '../core/der.js';
import { KysoError } from '../core/errors.js';
import { httpFetchBytes, type HttpTransportOptions } from '../core/http.js';
import { OID } from '../core/oids.js';
import { digest } from '../crypto/digest.js';
import { randomBytes } from '../crypto/webcrypto.js';
import { parseCertificate, type Certificate } from './certificate.js';
import { verifySignedStructure } from './chain.js';
import { revocationSignatureOf, type RevocationSignature } from './revocation-signature.js';

const OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2';
const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1';
const STATUS_NAMES = [
  'successful',
  'malformedRequest',
  'internalError',
  'tryLater',
  '(4)',
  'sigRequired',
  'unauthorized',
];

/** What an OCSP response says about one certificate, once checked. */
export interface OcspStatus {
  status: 'good' | 'revoked' | 'unknown';
  revocationTime?: Date;
  /** CRLReason code, when given. */
  revocationReason?: number;
  producedAt: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Who signed it: the issuing CA itself, or a responder the CA delegated (id-kp-OCSPSigning). */
  responder: 'issuer' | 'delegated';
  /** The responder's certificate, when delegated (to embed for long-term validation). */
  responderCertificate?: Uint8Array;
  /** DER of the whole OCSPResponse (what a DSS /OCSPs stream holds). */
  der: Uint8Array;
  /** Its signature: algorithm and the responder's key, for an algorithm policy to judge. */
  signature: RevocationSignature;
}

/** An OCSP request for `certificate` issued by `issuer`, with a nonce. */
export async function createOcspRequest(
  certificate: Certificate,
  issuer: Certificate,
  nonce: Uint8Array = randomBytes(16),
): Promise<Uint8Array> {
  const certId = await certIdFor(certificate, issuer);
  const nonceExt = tlv(0x30, derOid(OCSP_NONCE), tlv(0x04, tlv(0x04, nonce)));
  const tbs = tlv(0x30, tlv(0x30, tlv(0x30, certId)), tlv(0xa2, tlv(0x30, nonceExt)));
  return tlv(0x30, tbs);
}

async function certIdFor(certificate: Certificate, issuer: Certificate): Promise<Uint8Array> {
  return tlv(
    0x30,
    tlv(0x30, derOid(OID.sha1), DER_NULL),
    tlv(0x04, await digest('SHA-1', issuer.subjectDer)),
    tlv(0x04, await digest('SHA-1', issuer.facts.publicKeyBits)),
    tlv(0x02, certificate.facts.serialNumber),
  );
}

const invalid = (message: string): KysoError => new KysoError('ERR_REVOCATION_INVALID', message);

/**
 * Checks an OCSP response (RFC 6960) about `certificate`: successful status, a BasicOCSPResponse signed by the
 * issuing CA or by a responder certificate the CA issued with id-kp-OCSPSigning, a SingleResponse for this very
 * certificate, the nonce when one was sent, and — when `time` (the validation time) is given — that the
 * response speaks for it: `time` is not after its nextUpdate (without one, its thisUpdate), 5 minutes of skew allowed.
 *
 * @throws KysoError `ERR_REVOCATION_INVALID`
 */
export async function checkOcspResponse(
  response: Uint8Array,
  o: { certificate: Certificate; issuer: Certificate; nonce?: Uint8Array; time?: Date },
): Promise<OcspStatus> {
  let top: Tlv[];
  try {
    top = readChildren(response, readTlv(response, 0));
  } catch {
    throw invalid('the OCSP response is not DER');
  }
  const statusEl = top[0];
  if (statusEl?.tag !== 0x0a) throw invalid('the OCSP response has no responseStatus');
  const status = response[statusEl.contentEnd - 1]!;
  if (status !== 0) throw invalid(`the OCSP responder answered ${STATUS_NAMES[status] ?? status}`);
  const bytesEl = top[1];
  if (bytesEl?.tag !== 0xa0) throw invalid('the OCSP response has no responseBytes');
  const [typeEl, valueEl] = readChildren(response, readChildren(response, bytesEl)[0]!);
  if (!typeEl || readOid(response, typeEl) !== OCSP_BASIC || valueEl?.tag !== 0x04)
    throw invalid('not a basic OCSP response');
  const basic = readOctets(response, valueEl);
  const [tbsEl, , , certsEl] = readChildren(basic, readTlv(basic, 0));
  const tbs = readChildren(basic, tbsEl!);
  let i = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const responderId = tbs[i++]!;
  const producedAt = readDerTime(basic, tbs[i++]!);
  const responses = readChildren(basic, tbs[i++]!);
  const extensions = tbs[i]?.tag === 0xa1 ? readChildren(basic, readChildren(basic, tbs[i]!)[0]!) : [];

  // who signed it
  const certs = certsEl
    ? readChildren(basic, readChildren(basic, certsEl)[0]!).map((c) => basic.slice(c.start, c.end))
    : [];
  const responder = await findResponder(basic, responderId, o.issuer, certs);
  if (!(await verifySignedStructure(basic, responder.cert)))
    throw invalid('the OCSP response signature does not verify');

  // about this certificate
  const wanted = await certIdFor(o.certificate, o.issuer);
  const single = responses.find((r) => {
    const id = readChildren(basic, r)[0]!;
    return sameCertId(basic.subarray(id.start, id.end), wanted);
  });
  if (!single) throw invalid(`the OCSP response is not about certificate ${toHex(o.certificate.facts.serialNumber)}`);
  const parts = readChildren(basic, single);
  const statusChoice = parts[1]!;
  const thisUpdate = readDerTime(basic, parts[2]!);
  const nextEl = parts.slice(3).find((p) => p.tag === 0xa0);
  const nextUpdate = nextEl ? readDerTime(basic, readChildren(basic, nextEl)[0]!) : undefined;
  const result: OcspStatus = {
    status: statusChoice.tag === 0x80 ? 'good' : statusChoice.tag === 0xa1 ? 'revoked' : 'unknown',
    producedAt,
    thisUpdate,
    ...(nextUpdate && { nextUpdate }),
    responder: responder.kind,
    ...(responder.kind === 'delegated' && { responderCertificate: responder.cert.der }),
    der: response.slice(0, readTlv(response, 0).end),
    signature: revocationSignatureOf('OCSP response', basic, responder.cert),
  };
  if (statusChoice.tag === 0xa1) {
    const info = readChildren(basic, statusChoice);
    result.revocationTime = readDerTime(basic, info[0]!);
    const reason = info.find((x) => x.tag === 0xa0);
    if (reason) result.revocationReason = basic[readChildren(basic, reason)[0]!.contentEnd - 1];
  }
  if (o.nonce) {
    const ext = extensions.find((e) => readOid(basic, readChildren(basic, e)[0]!) === OCSP_NONCE);
    const value = ext ? readOctets(basic, readChildren(basic, ext).at(-1)!) : undefined;
    const inner = value && value[0] === 0x04 ? readOctets(value, readTlv(value, 0)) : value;
    if (!inner || !bytesEqual(inner, o.nonce))
      throw invalid('the OCSP response does not carry the request nonce (a replayed answer?)');
  }
  if (o.time) {
    // It speaks for any time up to its nextUpdate (or, without one, its thisUpdate): a response issued after
    // the validation time still tells whether the certificate was revoked by then. A revocation it shows
    // stays true however old the response (certificateHold aside).
    const until = nextUpdate ?? thisUpdate;
    const lastingRevocation = result.status === 'revoked' && result.revocationReason !== CERTIFICATE_HOLD;
    if (!lastingRevocation && until.getTime() + 5 * 60_000 < o.time.getTime()) {
      throw invalid(
        `the OCSP response is stale at ${o.time.toISOString()} (${nextUpdate ? `nextUpdate ${nextUpdate.toISOString()}` : `thisUpdate ${thisUpdate.toISOString()}, no nextUpdate`})`,
      );
    }
  }
  return result;
}

/** CRLReason certificateHold: a suspension, which may be lifted. */
const CERTIFICATE_HOLD = 6;

function sameCertId(a: Uint8Array, b: Uint8Array): boolean {
  // hashAlgorithm may carry NULL parameters or none; compare the hashes and serial
  const pa = readChildren(a, readTlv(a, 0));
  const pb = readChildren(b, readTlv(b, 0));
  return [1, 2, 3].every((k) =>
    bytesEqual(a.subarray(pa[k]!.contentStart, pa[k]!.contentEnd), b.subarray(pb[k]!.contentStart, pb[k]!.contentEnd)),
  );
}

async function findResponder(
  basic: Uint8Array,
  responderId: Tlv,
  issuer: Certificate,
  certs: Uint8Array[],
): Promise<{ kind: 'issuer' | 'delegated'; cert: Certificate }> {
  const inner = readChildren(basic, responderId)[0]!;
  const matches = async (c: Certificate) =>
    responderId.tag === 0xa1
      ? bytesEqual(basic.subarray(inner.start, inner.end), c.subjectDer)
      : bytesEqual(readOctets(basic, inner), await digest('SHA-1', c.facts.publicKeyBits));
  if (await matches(issuer)) return { kind: 'issuer', cert: issuer };
  for (const der of certs) {
    const c = await parseCertificate(der);
    if (!(await matches(c))) continue;
    if (!bytesEqual(c.issuerDer, issuer.subjectDer) || !(await verifySignedStructure(c.der, issuer))) {
      throw invalid(`the OCSP responder "${c.subject.display}" was not certified by the certificate's issuer`);
    }
    if (!c.extendedKeyUsage?.includes(OID.kpOcspSigning))
      throw invalid(`the OCSP responder "${c.subject.display}" lacks id-kp-OCSPSigning`);
    return { kind: 'delegated', cert: c };
  }
  throw invalid('the OCSP response is signed by neither the issuer nor a responder it authorised');
}

/** Options of {@link fetchOcsp}. */
export interface FetchOcspOptions extends HttpTransportOptions {
  /** Default: the certificate's AIA OCSP URL. */
  url?: string;
  /** The validation time the answer must speak for. Default: none checked (the nonce already proves the answer is new). */
  time?: Date;
}

/**
 * Asks the certificate's OCSP responder (RFC 6960, HTTP POST) and checks the answer with {@link checkOcspResponse}.
 *
 * @throws KysoError `ERR_REVOCATION_UNAVAILABLE`, `ERR_REVOCATION_INVALID`
 */
export async function fetchOcsp(
  certificate: Certificate,
  issuer: Certificate,
  options: FetchOcspOptions = {},
): Promise<OcspStatus> {
  const url = options.url ?? certificate.ocspUrls[0];
  if (!url)
    throw new KysoError('ERR_REVOCATION_UNAVAILABLE', `"${certificate.subject.display}" names no OCSP responder`);
  const nonce = randomBytes(16);
  const body = await httpFetchBytes({
    url,
    body: await createOcspRequest(certificate, issuer, nonce),
    contentType: 'application/ocsp-request',
    accept: 'application/ocsp-response',
    what: 'the OCSP responder',
    unavailableCode: 'ERR_REVOCATION_UNAVAILABLE',
    invalidCode: 'ERR_REVOCATION_INVALID',
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    retries: options.retries ?? 1,
    backoffMs: options.backoffMs,
  });
  return checkOcspResponse(body, { certificate, issuer, nonce, ...(options.time && { time: options.time }) });
}
