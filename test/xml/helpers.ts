/**
 * Helpers of the XML tests: a Signer over the test PKI's keys (WebCrypto, the key as PKCS#8, never as
 * PEM inside kyso), fixture reading and xmlsec1 runs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestLength, type SignatureAlgorithm } from '../../src/core/algorithms.js';
import { parsePem, toArrayBuffer } from '../../src/core/bytes.js';
import type { Signer } from '../../src/signers/signer.js';
import { pkiFile, pkiPath } from '../fixtures/pki.js';
import { run, scratchDir } from '../fixtures/tools.js';

export const FIXTURES = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'xml');

/** A fixture file's bytes. */
export function fixture(name: string): Uint8Array {
  return readFileSync(join(FIXTURES, name));
}

/** A fixture file's text. */
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

const CURVES: Record<string, string> = { p256: 'P-256', p384: 'P-384' };

/**
 * A Signer over test PKI leaf `name` (rsa2048, rsa4096, p256, p384, expired, stranger…), offering
 * SHA-1 too so that the allowSha1 path can be tested.
 */
export function testSigner(name: string): Signer {
  const pkcs8 = pkiFile(`${name}.key.der`);
  const chainPem = readFileSync(pkiPath(`${name}.chain.pem`), 'utf8');
  const curve = CURVES[name];
  const hashes = ['SHA-256', 'SHA-384', 'SHA-512', 'SHA-1'] as const;
  const algorithms: SignatureAlgorithm[] = curve
    ? hashes.map((hash) => ({ scheme: 'ECDSA', hash }))
    : [
        ...hashes.map((hash) => ({ scheme: 'RSASSA-PKCS1-v1_5' as const, hash })),
        ...hashes.map((hash) => ({ scheme: 'RSA-PSS' as const, hash })),
      ];
  return {
    certificate: pkiFile(`${name}.cert.der`),
    chain: parsePem(chainPem)
      .slice(1)
      .map((b) => b.der),
    algorithms,
    async sign(data, alg) {
      const importAlg =
        alg.scheme === 'ECDSA' ? { name: 'ECDSA', namedCurve: curve! } : { name: alg.scheme, hash: alg.hash };
      const key = await crypto.subtle.importKey('pkcs8', toArrayBuffer(pkcs8), importAlg, false, ['sign']);
      const params =
        alg.scheme === 'ECDSA'
          ? { name: 'ECDSA', hash: alg.hash }
          : alg.scheme === 'RSA-PSS'
            ? { name: 'RSA-PSS', saltLength: digestLength(alg.hash) }
            : { name: alg.scheme };
      return new Uint8Array(await crypto.subtle.sign(params, key, toArrayBuffer(data)));
    },
  };
}

/** Id attributes to declare to xmlsec1 for our profiles, XAdES and the corpus. */
export const XMLSEC_ID_ATTRS = [
  '--id-attr:Id',
  'DLHDon',
  '--id-attr:Id',
  'MCCQT',
  '--id-attr:Id',
  'Object',
  '--id-attr:Id',
  'http://uri.etsi.org/01903/v1.3.2#:SignedProperties',
  '--id-attr:id',
  'http://kekhaithue.gdt.gov.vn/TKhaiThue:HSoKhaiThue',
  '--id-attr:id',
  'http://kekhaithue.gdt.gov.vn/TKhaiThue:DKyThue',
];

/**
 * `xmlsec1 --verify` of `xml`, trusting the test root (or `--insecure` when `trusted` is false).
 * `node` selects which Signature (xmlsec1 checks one: the first, or the one given by --node-id).
 */
export function xmlsecVerify(
  xml: Uint8Array | string,
  opts: { trusted?: boolean; nodeId?: string } = {},
): { ok: boolean; output: string } {
  const dir = scratchDir('kyso-xmlsec-');
  const file = join(dir, 'in.xml');
  writeFileSync(file, xml);
  const trust =
    opts.trusted === false
      ? ['--insecure']
      : ['--trusted-pem', pkiPath('root.cert.pem'), '--untrusted-pem', pkiPath('intermediate.cert.pem')];
  const node = opts.nodeId ? ['--node-id', opts.nodeId] : [];
  const r = run('xmlsec1', [
    '--verify',
    ...trust,
    ...XMLSEC_ID_ATTRS,
    ...node,
    '--verification-time',
    '2025-06-01+00:00:00',
    file,
  ]);
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}
