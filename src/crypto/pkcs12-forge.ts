import type forgeModule from 'node-forge';
import { fromLatin1, latin1, toBytes, type BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import type { Pkcs12Contents } from './pkcs12.js';

/**
 * Decodes a legacy PKCS#12 file (PBE-SHA1-3DES / RC2-40, SHA-1 MAC). This module is the one place node-forge is used:
 * WebCrypto has neither the PKCS#12 PBE schemes nor RC2, and decoding happens once per key load, never per
 * signature.
 *
 * @throws KysoError `ERR_WRONG_PASSWORD` when the MAC does not verify; `ERR_KEY_DECODE` when the file is not a
 * PKCS#12 file or holds no private key.
 */
export async function decodeLegacyPkcs12(input: BinaryInput, password: string): Promise<Pkcs12Contents> {
  const bytes = toBytes(input, 'PKCS#12 file');
  const forge = await loadForge();
  let p12: forgeModule.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(fromLatin1(bytes)), true);
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (cause) {
    if (/MAC could not be verified|Invalid password/i.test((cause as Error)?.message ?? '')) {
      throw new KysoError('ERR_WRONG_PASSWORD', 'wrong password for the PKCS#12 file', { cause });
    }
    throw new KysoError('ERR_KEY_DECODE', 'not a readable PKCS#12 (.p12/.pfx) file', { cause });
  }
  const bagsOf = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const keyBags = [...bagsOf(forge.pki.oids.pkcs8ShroudedKeyBag!), ...bagsOf(forge.pki.oids.keyBag!)];
  const keyBag = keyBags[0];
  if (!keyBag) throw new KysoError('ERR_KEY_DECODE', 'the PKCS#12 file holds no private key');
  // forge decodes RSA keys into its own objects and leaves other keys (EC) as ASN.1; both become PKCS#8 DER.
  const keyAsn1 = keyBag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key)) : keyBag.asn1;
  if (!keyAsn1) throw new KysoError('ERR_KEY_DECODE', 'the PKCS#12 key cannot be read');
  const certificates = bagsOf(forge.pki.oids.certBag!).map((bag) => {
    const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : (bag as { asn1?: forgeModule.asn1.Asn1 }).asn1;
    if (!asn1) throw new KysoError('ERR_KEY_DECODE', 'a PKCS#12 certificate cannot be read');
    // forge keeps the parsed TBSCertificate, so its re-encoding gives back the original DER (tested).
    return latin1(forge.asn1.toDer(asn1).getBytes());
  });
  const friendlyName = keyBag.attributes?.friendlyName?.[0];
  return {
    privateKeyPkcs8: latin1(forge.asn1.toDer(keyAsn1).getBytes()),
    certificates,
    ...(typeof friendlyName === 'string' && { friendlyName }),
  };
}

/** Options of {@link encodePkcs12}. */
export interface EncodePkcs12Options {
  /** The key's friendly name (what a key store shows). */
  friendlyName?: string;
}

/**
 * Writes a PKCS#12 file of an RSA private key (PKCS#8 DER) and its certificates (DER, the key's first): the key
 * PBES2-encrypted (PBKDF2 with HMAC-SHA-256, AES-256-CBC), the certificates in clear as OpenSSL's `-certpbe
 * NONE` writes them, a SHA-1 MAC; OpenSSL 3 reads it without `-legacy`. Used to hand out test certificates
 * (`kyso cert create`), never on a signing path.
 */
export async function encodePkcs12(
  privateKeyPkcs8: Uint8Array,
  certificates: readonly Uint8Array[],
  password: string,
  options: EncodePkcs12Options = {},
): Promise<Uint8Array> {
  const forge = await loadForge();
  const fromDer = (der: Uint8Array) => forge.asn1.fromDer(forge.util.createBuffer(fromLatin1(der)));
  let key: forgeModule.pki.rsa.PrivateKey;
  try {
    key = forge.pki.privateKeyFromAsn1(fromDer(privateKeyPkcs8));
  } catch (cause) {
    throw new KysoError('ERR_UNSUPPORTED_KEY', 'only RSA keys can be written to a PKCS#12 file here', { cause });
  }
  const certs = certificates.map((c) => forge.pki.certificateFromAsn1(fromDer(c)));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, {
    algorithm: 'aes256',
    generateLocalKeyId: true,
    count: 10_000,
    ...(options.friendlyName !== undefined && { friendlyName: options.friendlyName }),
    // forge's option type does not list it, but hands it to the PBES2 encryption of the key
    ...({ prfAlgorithm: 'sha256' } as object),
  });
  return latin1(forge.asn1.toDer(asn1).getBytes());
}

let forgeLoaded: Promise<typeof forgeModule> | undefined;

/** node-forge is loaded when a legacy PKCS#12 file is read or one is written: nothing else needs it. */
function loadForge(): Promise<typeof forgeModule> {
  forgeLoaded ??= import('node-forge').then(
    (m) => ((m as { default?: typeof forgeModule }).default ?? m) as typeof forgeModule,
  );
  return forgeLoaded;
}
