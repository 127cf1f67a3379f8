/**
 * A throw-away signing identity for the demo: a demo root CA and a leaf for "Nguyễn Văn An" with a
 * Vietnamese subject (UID CCCD), as RSA-2048 PKCS#8 key and PEM certificates. Never use it for real.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

export interface DemoIdentity {
  keyPem: string;
  certificatePem: string;
  rootPem: string;
}

/** The demo subject: a person (the leader) or the organisation (its seal). */
export type DemoSubject = 'leader' | 'organisation';

const SUBJECTS: Record<DemoSubject, x509.JsonName> = {
  leader: [
    { '2.5.4.6': ['VN'] },
    { '2.5.4.10': ['Ủy ban nhân dân tỉnh Thử Nghiệm'] },
    { '2.5.4.3': ['Nguyễn Văn An'] },
    { '0.9.2342.19200300.100.1.1': ['CCCD:001089012345'] },
  ],
  organisation: [
    { '2.5.4.6': ['VN'] },
    { '2.5.4.10': ['Ủy ban nhân dân tỉnh Thử Nghiệm'] },
    { '2.5.4.3': ['Ủy ban nhân dân tỉnh Thử Nghiệm'] },
    { '0.9.2342.19200300.100.1.1': ['MST:0101234567'] },
  ],
};

export async function makeDemoIdentity(now = new Date(), who: DemoSubject = 'leader'): Promise<DemoIdentity> {
  const rootKeys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const leafKeys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const from = new Date(now.getTime() - 86_400_000);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'C=VN, O=kyso demo, CN=kyso Demo Root CA',
    notBefore: from,
    notAfter: new Date(now.getTime() + 10 * 365 * 86_400_000),
    keys: rootKeys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: new x509.Name(SUBJECTS[who]).toString(),
    issuer: root.subject,
    notBefore: from,
    notAfter: new Date(now.getTime() + 2 * 365 * 86_400_000),
    publicKey: leafKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: RSA,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey);
  return {
    keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
    certificatePem: leaf.toString('pem'),
    rootPem: root.toString('pem'),
  };
}
