import { digestFromOid, type DigestAlgorithm } from '../core/algorithms.js';
import { bytesEqual, toArrayBuffer, toBytes, type BinaryInput } from '../core/bytes.js';
import { readChildren, readOctets, readOid, readSmallInteger, readTlv, type Tlv } from '../core/der.js';
import { KysoError } from '../core/errors.js';
import { OID } from '../core/oids.js';
import { bmpPassword, pkcs12Kdf, pkcs12KdfSupports } from './pkcs12-kdf.js';
import { decodeLegacyPkcs12 } from './pkcs12-forge.js';

export { encodePkcs12, type EncodePkcs12Options } from './pkcs12-forge.js';
import { subtle } from './webcrypto.js';

/** What a PKCS#12 file holds, as DER. */
export interface Pkcs12Contents {
  /** The private key as PKCS#8 DER. */
  privateKeyPkcs8: Uint8Array;
  /** Every certificate in the file, DER, in file order. */
  certificates: Uint8Array[];
  /** The key's friendly name, when the file gives one. */
  friendlyName?: string;
}

/**
 * Decodes a PKCS#12 (.p12/.pfx) file. OpenSSL 3's default (PBES2: PBKDF2 and AES-CBC; HMAC integrity) is read
 * here with WebCrypto; a file using the legacy PKCS#12 PBE schemes (3DES, RC2-40), which WebCrypto lacks, is
 * handed whole to node-forge (loaded only then).
 *
 * @throws KysoError `ERR_WRONG_PASSWORD` when the MAC does not verify or the key does not decrypt;
 * `ERR_KEY_DECODE` when the file is not a PKCS#12 file or holds no private key.
 */
export async function decodePkcs12(input: BinaryInput, password: string): Promise<Pkcs12Contents> {
  const bytes = toBytes(input, 'PKCS#12 file');
  let pfx: Pfx;
  try {
    pfx = readPfx(bytes);
  } catch (cause) {
    throw new KysoError('ERR_KEY_DECODE', 'not a readable PKCS#12 (.p12/.pfx) file', { cause });
  }
  if (pfx.legacy) return decodeLegacyPkcs12(bytes, password);
  if (pfx.mac) await verifyMac(pfx, password);
  const utf8Password = new TextEncoder().encode(password);
  const bags: Bag[] = [];
  for (const safe of pfx.safes) {
    const contents = safe.encrypted ? await decrypt(safe.encrypted, utf8Password) : safe.plain!;
    readSafeContents(contents, bags);
  }
  const keyBag = bags.find((b) => b.type === 'key');
  if (!keyBag) throw new KysoError('ERR_KEY_DECODE', 'the PKCS#12 file holds no private key');
  const privateKeyPkcs8 = keyBag.encrypted ? await decrypt(keyBag.encrypted, utf8Password) : keyBag.value;
  return {
    privateKeyPkcs8,
    certificates: bags.filter((b) => b.type === 'cert').map((b) => b.value),
    ...(keyBag.friendlyName !== undefined && { friendlyName: keyBag.friendlyName }),
  };
}

interface Encrypted {
  /** The buffer `algorithm` and `data` point into. */
  source: Uint8Array;
  algorithm: Tlv;
  data: Uint8Array;
}

interface Pfx {
  /** Some part uses a PKCS#12 PBE scheme (or a MAC) that only the legacy reader knows. */
  legacy: boolean;
  /** The AuthenticatedSafe's octets, over which the MAC runs. */
  authSafe: Uint8Array;
  mac?: { hash: DigestAlgorithm; value: Uint8Array; salt: Uint8Array; iterations: number };
  safes: { plain?: Uint8Array; encrypted?: Encrypted }[];
}

interface Bag {
  type: 'key' | 'cert';
  /** PKCS#8 DER of a plain key bag, DER of a certificate. */
  value: Uint8Array;
  encrypted?: Encrypted;
  friendlyName?: string;
}

function fail(what: string): never {
  throw new KysoError('ERR_KEY_DECODE', `not a readable PKCS#12 file: ${what}`);
}

function children(bytes: Uint8Array, el: Tlv, tag = 0x30): Tlv[] {
  if (el.tag !== tag) fail('unexpected structure');
  return readChildren(bytes, el);
}

/** The octets of a ContentInfo of type `data` (`[0] EXPLICIT OCTET STRING`). */
function dataContent(bytes: Uint8Array, contentInfo: Tlv): Uint8Array {
  const [type, explicit] = children(bytes, contentInfo);
  if (!type || readOid(bytes, type) !== OID.data || !explicit) fail('expected a data ContentInfo');
  const [octets] = children(bytes, explicit, 0xa0);
  if (!octets) fail('empty data ContentInfo');
  return readOctets(bytes, octets);
}

function readPfx(bytes: Uint8Array): Pfx {
  const top = readTlv(bytes, 0);
  const [version, authSafeInfo, macData] = children(bytes, top);
  if (!version || readSmallInteger(bytes, version) !== 3 || !authSafeInfo) fail('not a version 3 PFX');
  const authSafe = dataContent(bytes, authSafeInfo);
  let legacy = false;
  let mac: Pfx['mac'];
  if (macData) {
    const [digestInfo, salt, iterations] = children(bytes, macData);
    const [algorithm, value] = children(bytes, digestInfo!);
    const hash = digestFromOid(readOid(bytes, children(bytes, algorithm!)[0]!));
    if (hash && pkcs12KdfSupports(hash))
      mac = {
        hash,
        value: readOctets(bytes, value!),
        salt: readOctets(bytes, salt!),
        iterations: iterations ? readSmallInteger(bytes, iterations) : 1,
      };
    else legacy = true;
  }
  const safes: Pfx['safes'] = [];
  const root = readTlv(authSafe, 0);
  for (const info of children(authSafe, root)) {
    const [type] = children(authSafe, info);
    const oid = readOid(authSafe, type!);
    if (oid === OID.data) safes.push({ plain: dataContent(authSafe, info) });
    else if (oid === OID.encryptedData) {
      const encrypted = readEncryptedData(authSafe, info);
      if (!isPbes2(authSafe, encrypted.algorithm)) legacy = true;
      safes.push({ encrypted });
    } else fail(`unsupported AuthenticatedSafe content ${oid}`);
  }
  return { legacy, authSafe, ...(mac && { mac }), safes };
}

/** ContentInfo(encryptedData) → its EncryptedContentInfo's algorithm and ciphertext. */
function readEncryptedData(bytes: Uint8Array, info: Tlv): Encrypted {
  const [, explicit] = children(bytes, info);
  const [encryptedData] = children(bytes, explicit!, 0xa0);
  const [, encryptedContentInfo] = children(bytes, encryptedData!);
  const [, algorithm, content] = children(bytes, encryptedContentInfo!);
  if (!algorithm || !content || (content.tag & 0xdf) !== 0x80) fail('EncryptedData without content');
  return { source: bytes, algorithm, data: readOctets(bytes, content) };
}

function isPbes2(bytes: Uint8Array, algorithm: Tlv): boolean {
  return readOid(bytes, children(bytes, algorithm)[0]!) === OID.pbes2;
}

async function verifyMac(pfx: Pfx, password: string): Promise<void> {
  const { hash, value, salt, iterations } = pfx.mac!;
  const length = value.length;
  const key = await pkcs12Kdf(hash, bmpPassword(password), salt, 3, iterations, length);
  const hmacKey = await subtle().importKey('raw', toArrayBuffer(key), { name: 'HMAC', hash }, false, ['sign']);
  const mac = new Uint8Array(await subtle().sign('HMAC', hmacKey, toArrayBuffer(pfx.authSafe)));
  if (!bytesEqual(mac, value)) throw new KysoError('ERR_WRONG_PASSWORD', 'wrong password for the PKCS#12 file');
}

const PRF: Record<string, DigestAlgorithm> = {
  [OID.hmacWithSHA1]: 'SHA-1',
  [OID.hmacWithSHA256]: 'SHA-256',
  [OID.hmacWithSHA384]: 'SHA-384',
  [OID.hmacWithSHA512]: 'SHA-512',
};
const AES_KEY_BITS: Record<string, number> = { [OID.aes128Cbc]: 128, [OID.aes192Cbc]: 192, [OID.aes256Cbc]: 256 };

/** PBES2 (RFC 8018) with PBKDF2 and AES-CBC, all WebCrypto; the password as UTF-8, as OpenSSL writes it. */
async function decrypt({ source: bytes, algorithm, data }: Encrypted, password: Uint8Array): Promise<Uint8Array> {
  const [, params] = children(bytes, algorithm);
  const [kdf, scheme] = children(bytes, params!);
  const [kdfOid, kdfParams] = children(bytes, kdf!);
  if (readOid(bytes, kdfOid!) !== OID.pbkdf2) fail('PBES2 without PBKDF2');
  const [saltEl, iterationsEl, ...rest] = children(bytes, kdfParams!);
  const prfEl = rest.find((el) => el.tag === 0x30);
  const hash = prfEl ? PRF[readOid(bytes, children(bytes, prfEl)[0]!)] : 'SHA-1';
  const [schemeOid, ivEl] = children(bytes, scheme!);
  const bits = AES_KEY_BITS[readOid(bytes, schemeOid!)];
  if (!hash || !bits || !saltEl || !iterationsEl || !ivEl) fail('unsupported PBES2 parameters');
  const baseKey = await subtle().importKey('raw', toArrayBuffer(password), 'PBKDF2', false, ['deriveKey']);
  const key = await subtle().deriveKey(
    {
      name: 'PBKDF2',
      hash,
      salt: toArrayBuffer(readOctets(bytes, saltEl)),
      iterations: readSmallInteger(bytes, iterationsEl),
    },
    baseKey,
    { name: 'AES-CBC', length: bits },
    false,
    ['decrypt'],
  );
  try {
    return new Uint8Array(
      await subtle().decrypt({ name: 'AES-CBC', iv: toArrayBuffer(readOctets(bytes, ivEl)) }, key, toArrayBuffer(data)),
    );
  } catch (cause) {
    // Only a wrong password reaches here once the MAC has passed (or a file without a MAC).
    throw new KysoError('ERR_WRONG_PASSWORD', 'wrong password for the PKCS#12 file', { cause });
  }
}

function readSafeContents(bytes: Uint8Array, out: Bag[]): void {
  for (const bag of children(bytes, readTlv(bytes, 0))) {
    const [typeEl, valueEl, attributes] = children(bytes, bag);
    const type = readOid(bytes, typeEl!);
    const [value] = children(bytes, valueEl!, 0xa0);
    if (!value) fail('empty SafeBag');
    const friendlyName = attributes ? readFriendlyName(bytes, attributes) : undefined;
    const named = friendlyName !== undefined ? { friendlyName } : {};
    if (type === OID.keyBag) out.push({ type: 'key', value: bytes.slice(value.start, value.end), ...named });
    else if (type === OID.pkcs8ShroudedKeyBag) {
      const [algorithm, data] = children(bytes, value);
      if (!algorithm || !data) fail('EncryptedPrivateKeyInfo incomplete');
      if (!isPbes2(bytes, algorithm)) fail('a key encrypted with a legacy scheme inside a PBES2 file');
      out.push({
        type: 'key',
        value: new Uint8Array(0),
        encrypted: { source: bytes, algorithm, data: readOctets(bytes, data) },
        ...named,
      });
    } else if (type === OID.certBag) {
      const [certType, certValue] = children(bytes, value);
      if (readOid(bytes, certType!) !== OID.x509Certificate) continue;
      const [octets] = children(bytes, certValue!, 0xa0);
      out.push({ type: 'cert', value: readOctets(bytes, octets!) });
    }
  }
}

/** The friendlyName attribute (a BMPString), if the bag has one. */
function readFriendlyName(bytes: Uint8Array, attributes: Tlv): string | undefined {
  for (const attribute of children(bytes, attributes, 0x31)) {
    const [oid, values] = children(bytes, attribute);
    if (readOid(bytes, oid!) !== OID.friendlyName) continue;
    const [value] = children(bytes, values!, 0x31);
    if (!value || value.tag !== 0x1e) return undefined;
    let name = '';
    for (let i = value.contentStart; i + 1 < value.contentEnd; i += 2)
      name += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
    return name;
  }
  return undefined;
}
