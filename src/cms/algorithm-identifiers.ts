import {
  digestFromOid,
  digestLength,
  digestOid,
  signatureFromOid,
  signatureOid,
  type DigestAlgorithm,
  type SignatureAlgorithm,
} from '../core/algorithms.js';
import { OID } from '../core/oids.js';
import {
  DER_NULL,
  derOid,
  derSmallInteger,
  readChildren,
  readOid,
  readSmallInteger,
  readTlv,
  tlv,
  type Tlv,
} from '../core/der.js';
import type { Problem as CmsProblem } from '../core/problem.js';

/** DER AlgorithmIdentifier of a digest, parameters absent (RFC 5754 §2). */
export function digestAlgorithmIdentifier(hash: DigestAlgorithm): Uint8Array {
  return tlv(0x30, derOid(digestOid(hash)));
}

/**
 * DER AlgorithmIdentifier of a signature algorithm: NULL parameters for RSA PKCS#1 v1.5 (RFC 4055),
 * none for ECDSA (RFC 5758), full RSASSA-PSS-params for RSA-PSS — digest, MGF1 with the same digest,
 * salt as long as the digest — written out even where they are the defaults' opposite, as verifiers expect.
 */
export function signatureAlgorithmIdentifier(alg: SignatureAlgorithm): Uint8Array {
  const oid = derOid(signatureOid(alg));
  if (alg.scheme === 'ECDSA') return tlv(0x30, oid);
  if (alg.scheme === 'RSASSA-PKCS1-v1_5') return tlv(0x30, oid, DER_NULL);
  const hashId = tlv(0x30, derOid(digestOid(alg.hash)), DER_NULL);
  const params = tlv(
    0x30,
    tlv(0xa0, hashId),
    tlv(0xa1, tlv(0x30, derOid(OID.mgf1), hashId)),
    tlv(0xa2, derSmallInteger(digestLength(alg.hash))),
  );
  return tlv(0x30, oid, params);
}

/** RSASSA-PSS-params as read from a signature AlgorithmIdentifier (RFC 4055 §3.1, defaults applied). */
export interface PssParameters {
  hashOid: string;
  hash?: DigestAlgorithm;
  maskGenOid: string;
  /** The digest of MGF1. */
  mgfHashOid?: string;
  saltLength: number;
  trailerField: number;
}

/** A SignerInfo's signature algorithm, resolved. */
export interface ResolvedSignatureAlgorithm {
  /** The digestAlgorithm, resolved (undefined when unknown). */
  digest?: DigestAlgorithm;
  /** Undefined when kyso cannot verify it (unknown OID, Ed25519, MD5, PSS with unusual parameters…). */
  algorithm?: SignatureAlgorithm;
  /** For RSA-PSS. */
  pss?: PssParameters;
  problems: CmsProblem[];
}

/** The OID inside an AlgorithmIdentifier element. */
export function readAlgorithmOid(bytes: Uint8Array, algId: Tlv): string {
  const first = readChildren(bytes, algId)[0];
  return readOid(bytes, first ?? algId);
}

/**
 * Resolves a SignerInfo's signatureAlgorithm against its digestAlgorithm: `rsaEncryption` takes the digest
 * from digestAlgorithm, `id-RSASSA-PSS` from its parameters; a digestAlgorithm holding a signature OID
 * (written by some signing tools) is read as that signature's digest and flagged.
 */
export function resolveSignatureAlgorithm(
  bytes: Uint8Array,
  sigAlgId: Tlv,
  digestAlgorithmOid: string,
): ResolvedSignatureAlgorithm {
  const problems: CmsProblem[] = [];
  const oid = readAlgorithmOid(bytes, sigAlgId);
  const digest = resolveDigestOid(digestAlgorithmOid, problems);
  const resolved = resolveScheme(bytes, sigAlgId, oid, digest, problems);
  return digest ? { ...resolved, digest } : resolved;
}

function resolveScheme(
  bytes: Uint8Array,
  sigAlgId: Tlv,
  oid: string,
  digest: DigestAlgorithm | undefined,
  problems: CmsProblem[],
): ResolvedSignatureAlgorithm {
  if (oid === OID.rsassaPss) {
    const params = readChildren(bytes, sigAlgId)[1];
    const pss = readPssParameters(bytes, params);
    if (!pss.hash || pss.maskGenOid !== OID.mgf1 || pss.mgfHashOid !== pss.hashOid || pss.trailerField !== 1) {
      problems.push({
        code: 'unsupported-algorithm',
        message: `RSASSA-PSS with hash ${pss.hashOid}, mask ${pss.maskGenOid}/${pss.mgfHashOid ?? '?'}, trailer ${pss.trailerField} cannot be verified`,
      });
      return { pss, problems };
    }
    return { algorithm: { scheme: 'RSA-PSS', hash: pss.hash }, pss, problems };
  }
  if (oid === OID.ecPublicKey) {
    // Some signers put the key's OID here; the digest then comes from digestAlgorithm.
    problems.push({
      code: 'nonstandard-algorithm-identifier',
      message: 'signatureAlgorithm is id-ecPublicKey rather than ecdsa-with-SHA*',
    });
    return digest ? { algorithm: { scheme: 'ECDSA', hash: digest }, problems } : unsupported(oid, problems);
  }
  const known = signatureFromOid(oid);
  if (!known) return unsupported(oid, problems);
  const hash = known.hash ?? digest;
  if (!hash) return unsupported(oid, problems);
  return { algorithm: { scheme: known.scheme, hash }, problems };
}

/** The digest of a digestAlgorithm OID, flagging a signature OID used in its place. */
function resolveDigestOid(oid: string, problems: CmsProblem[]): DigestAlgorithm | undefined {
  const digest = digestFromOid(oid);
  if (digest) return digest;
  const bySignature = signatureFromOid(oid)?.hash;
  if (bySignature) {
    problems.push({
      code: 'nonstandard-algorithm-identifier',
      message: `digestAlgorithm holds the signature algorithm ${oid}; read as ${bySignature}`,
    });
  }
  return bySignature;
}

function unsupported(oid: string, problems: CmsProblem[]): ResolvedSignatureAlgorithm {
  problems.push({ code: 'unsupported-algorithm', message: `signature algorithm ${oid} is not supported` });
  return { problems };
}

function readPssParameters(bytes: Uint8Array, params: Tlv | undefined): PssParameters {
  const out: PssParameters = {
    hashOid: OID.sha1,
    maskGenOid: OID.mgf1,
    mgfHashOid: OID.sha1,
    saltLength: 20,
    trailerField: 1,
  };
  if (params && params.tag === 0x30) {
    for (const field of readChildren(bytes, params)) {
      const inner = readTlv(bytes, field.contentStart, field.contentEnd);
      if (field.tag === 0xa0) out.hashOid = readAlgorithmOid(bytes, inner);
      else if (field.tag === 0xa1) {
        const [mgfOid, mgfParams] = readChildren(bytes, inner);
        out.maskGenOid = readOid(bytes, mgfOid ?? inner);
        if (mgfParams?.tag === 0x30) out.mgfHashOid = readAlgorithmOid(bytes, mgfParams);
        else delete out.mgfHashOid;
      } else if (field.tag === 0xa2) out.saltLength = readSmallInteger(bytes, inner);
      else if (field.tag === 0xa3) out.trailerField = readSmallInteger(bytes, inner);
    }
  }
  const hash = digestFromOid(out.hashOid);
  return hash ? { ...out, hash } : out;
}
