import type { NamedCurve } from '../core/algorithms.js';
import { toArrayBuffer } from '../core/bytes.js';
import { derOid, derSmallInteger, derTime, derUnsignedInteger, DER_NULL, tlv } from '../core/der.js';
import { KysoError } from '../core/errors.js';
import { OID } from '../core/oids.js';
import { p1363ToDer } from '../crypto/ecdsa-signature.js';
import { randomBytes, subtle } from '../crypto/webcrypto.js';

/** Options of {@link createSelfSignedCertificate}. */
export interface SelfSignedOptions {
  /** The key pair (the private key may be non-extractable; the public key must be exportable). */
  keys: CryptoKeyPair;
  commonName: string;
  organization?: string;
  /** Default: VN. */
  country?: string;
  /** A UID such as `CCCD:001089012345` or `MST:0101234567`. */
  uid?: string;
  /** Validity in days from `notBefore`. Default: 365. */
  days?: number;
  notBefore?: Date;
}

const utf8 = (s: string) => tlv(0x0c, new TextEncoder().encode(s));
const printable = (s: string) => tlv(0x13, new TextEncoder().encode(s));

/**
 * A self-signed signing certificate for a WebCrypto key pair (RSA or ECDSA P-256/P-384/P-521): for trying kyso
 * in a browser or a demo, never for documents that matter — nobody trusts it but whoever is told to.
 *
 * @example
 * ```ts
 * const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
 * const certificate = await createSelfSignedCertificate({ keys, commonName: 'Nguyễn Văn An' });
 * ```
 */
export async function createSelfSignedCertificate(o: SelfSignedOptions): Promise<Uint8Array> {
  const alg = o.keys.privateKey.algorithm as RsaHashedKeyAlgorithm & EcKeyAlgorithm;
  const ec = alg.name === 'ECDSA';
  if (!ec && alg.name !== 'RSASSA-PKCS1-v1_5')
    throw new KysoError(
      'ERR_UNSUPPORTED_KEY',
      `self-signed certificates take ECDSA or RSASSA-PKCS1-v1_5 keys, not ${alg.name}`,
    );
  const hash = ec
    ? ({ 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' } as const)[alg.namedCurve as NamedCurve]
    : ((typeof alg.hash === 'string' ? alg.hash : alg.hash.name) as 'SHA-256');
  if (!hash) throw new KysoError('ERR_UNSUPPORTED_KEY', `unsupported curve ${alg.namedCurve}`);
  const sigOid = ec
    ? ({ 'SHA-256': OID.ecdsaWithSHA256, 'SHA-384': OID.ecdsaWithSHA384, 'SHA-512': OID.ecdsaWithSHA512 } as const)[
        hash
      ]
    : (
        {
          'SHA-256': OID.sha256WithRSAEncryption,
          'SHA-384': OID.sha384WithRSAEncryption,
          'SHA-512': OID.sha512WithRSAEncryption,
        } as const
      )[hash];
  const algId = ec ? tlv(0x30, derOid(sigOid)) : tlv(0x30, derOid(sigOid), DER_NULL);
  const rdn = (oid: string, value: Uint8Array) => tlv(0x31, tlv(0x30, derOid(oid), value));
  const name = tlv(
    0x30,
    rdn(OID.countryName, printable(o.country ?? 'VN')),
    ...(o.organization ? [rdn(OID.organizationName, utf8(o.organization))] : []),
    rdn(OID.commonName, utf8(o.commonName)),
    ...(o.uid ? [rdn(OID.userId, utf8(o.uid))] : []),
  );
  const from = o.notBefore ?? new Date(Date.now() - 60_000);
  const to = new Date(from.getTime() + (o.days ?? 365) * 86_400_000);
  const spki = new Uint8Array(await subtle().exportKey('spki', o.keys.publicKey));
  const extensions = tlv(
    0xa3,
    tlv(
      0x30,

      tlv(0x30, derOid(OID.basicConstraints), tlv(0x01, Uint8Array.of(0xff)), tlv(0x04, tlv(0x30))),
      tlv(0x30, derOid(OID.keyUsage), tlv(0x01, Uint8Array.of(0xff)), tlv(0x04, tlv(0x03, Uint8Array.of(0x06, 0xc0)))),
    ),
  );
  const tbs = tlv(
    0x30,
    tlv(0xa0, derSmallInteger(2)),
    derUnsignedInteger(randomBytes(16)),
    algId,
    name,
    tlv(0x30, derTime(from), derTime(to)),
    name,
    spki,
    extensions,
  );
  const params = ec ? { name: 'ECDSA', hash } : { name: 'RSASSA-PKCS1-v1_5' };
  let signature: Uint8Array = new Uint8Array(await subtle().sign(params, o.keys.privateKey, toArrayBuffer(tbs)));
  if (ec) signature = p1363ToDer(signature);

  return tlv(0x30, tbs, algId, tlv(0x03, Uint8Array.of(0), signature));
}
