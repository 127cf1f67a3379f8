/** Small certificate hierarchies made on the spot (SHA-1 links, AIA URLs) for the trust tests. */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export interface MiniCert {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  der: Uint8Array;
}

let serial = 0x5000;

/** A certificate: a self-signed root when `issuer` is absent; `hash` is the digest of the issuer's signature. */
export async function miniCert(o: {
  cn: string;
  issuer?: MiniCert;
  ca?: boolean;
  hash?: 'SHA-1' | 'SHA-256';
  notBefore?: string;
  notAfter?: string;
  caIssuers?: string;
}): Promise<MiniCert> {
  const alg = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
  };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as unknown as CryptoKeyPair;
  const ca = o.ca ?? true;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(ca, undefined, true),
    new x509.KeyUsagesExtension(
      ca
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign
        : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(o.issuer ? o.issuer.keys.publicKey : keys.publicKey),
  ];
  if (o.caIssuers)
    extensions.push(new x509.AuthorityInfoAccessExtension({ caIssuers: new x509.GeneralName('url', o.caIssuers) }));
  serial += 1;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial.toString(16),
    subject: `CN=${o.cn}, C=VN`,
    issuer: o.issuer ? o.issuer.cert.subject : `CN=${o.cn}, C=VN`,
    notBefore: new Date(o.notBefore ?? '2015-01-01T00:00:00Z'),
    notAfter: new Date(o.notAfter ?? '2040-01-01T00:00:00Z'),
    publicKey: keys.publicKey,
    signingKey: await keyFor((o.issuer ?? { keys }).keys.privateKey, o.hash ?? 'SHA-256'),
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: o.hash ?? 'SHA-256' } as Algorithm,
    extensions,
  });
  return { cert, keys, der: new Uint8Array(cert.rawData) };
}

/** The private key bound to `hash` (a WebCrypto RSA key signs with the hash it was made or imported for). */
async function keyFor(key: CryptoKey, hash: string): Promise<CryptoKey> {
  if (hash === 'SHA-256') return key;
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key as never);
  return (await webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash }, false, [
    'sign',
  ])) as unknown as CryptoKey;
}
