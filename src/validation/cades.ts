import type { DigestAlgorithm, SignatureAlgorithm } from '../core/algorithms.js';
import { fromBase64, toBase64, toBytes, type BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Indication, SubIndication } from '../core/indication.js';
import { digestData } from '../crypto/digest.js';
import { assembleSignedData, buildSignedAttributes, parseSignedData, signDetachedDigest, verifySignerInfo } from '../cms/index.js';
import { parseCertificate, splitCertificates } from '../pki/certificate.js';
import { validateCertificatePath, type PathValidationResult } from '../pki/chain.js';
import { resolveTrust, type TrustInput } from '../pki/trust-input.js';
import { chooseAlgorithm, type Signer } from '../signers/signer.js';
import { parseTimestampToken, verifyTimestampToken, type TimestampSource } from '../tsa/index.js';
import { addSignatureTimestamp } from '../tsa/signature-timestamp.js';
import type { SignerFacts, TimestampReport } from './verify-pdf.js';

/** Data to sign or verify: bytes, or a stream of chunks (a large file is hashed without being held). */
export type DetachedData = BinaryInput | AsyncIterable<Uint8Array>;

/** Options of {@link signDetached}. */
export interface SignDetachedOptions {
  signer: Signer;
  /** Default: the signer's preferred digest. */
  hash?: DigestAlgorithm;
  pss?: boolean;
  /** Adds a signature-time-stamp: CAdES-T. Default: none (CAdES-BES). */
  tsa?: TimestampSource;
  /** Signing time written as the signing-time attribute. Default: now. */
  signingTime?: Date;
  clock?: Clock;
}

/**
 * A detached CAdES signature (`.p7s`, DER) over any data: CAdES-BES, or CAdES-T with `tsa`. Streams are hashed
 * chunk by chunk, so files of any size are signed in constant memory.
 *
 * @example
 * ```ts
 * const p7s = await signDetached(createReadStream('hop-dong.pdf'), { signer });
 * ```
 */
export async function signDetached(data: DetachedData, options: SignDetachedOptions): Promise<Uint8Array> {
  const algorithm: SignatureAlgorithm = chooseAlgorithm(options.signer, { hash: options.hash, pss: options.pss });
  const contentDigest = await digestData(algorithm.hash, data);
  const signingTime = options.signingTime ?? (options.clock ?? systemClock)();
  const cms = await signDetachedDigest({ contentDigest, signer: options.signer, algorithm, signingTime });
  return options.tsa ? addSignatureTimestamp(cms, options.tsa, algorithm.hash) : cms;
}

/** The serialisable state between {@link prepareDetachedSigning} and {@link finishDetachedSigning}. */
export interface DetachedSigningState {
  kind: 'kyso.cades-signing';
  version: 1;
  signedAttributes: string;
  certificate: string;
  chain: string[];
  algorithm: SignatureAlgorithm;
}

/**
 * Stage one of a detached CAdES signature with a key elsewhere: hashes the data (streamed) and builds the
 * signed attributes; returns them (to be signed), their digest, and a JSON-serialisable state.
 */
export async function prepareDetachedSigning(
  data: DetachedData,
  o: { certificate: BinaryInput | string; chain?: readonly (BinaryInput | string)[]; algorithm: SignatureAlgorithm; signingTime?: Date },
): Promise<{ toBeSigned: Uint8Array; digest: Uint8Array; state: DetachedSigningState }> {
  const [certificate, ...rest] = splitCertificates(o.certificate);
  const chain = [...rest, ...(o.chain ?? []).flatMap((c) => splitCertificates(c))];
  const signedAttributes = await buildSignedAttributes({ contentDigest: await digestData(o.algorithm.hash, data), hash: o.algorithm.hash, signerCertificate: certificate!, signingTime: o.signingTime ?? new Date() });
  return {
    toBeSigned: signedAttributes,
    digest: await digestData(o.algorithm.hash, signedAttributes),
    state: { kind: 'kyso.cades-signing', version: 1, signedAttributes: toBase64(signedAttributes), certificate: toBase64(certificate!), chain: chain.map(toBase64), algorithm: o.algorithm },
  };
}

/** Stage two: the `.p7s` with the signature value (RSA, or ECDSA as r||s or DER) over the prepared attributes. */
export function finishDetachedSigning(state: DetachedSigningState, signature: BinaryInput): Uint8Array {
  if (state?.kind !== 'kyso.cades-signing' || state.version !== 1) throw new KysoError('ERR_SIGNING_STATE', 'not a kyso CAdES signing state (version 1)');
  return assembleSignedData({
    signedAttributes: fromBase64(state.signedAttributes),
    signature: toBytes(signature, 'signature'),
    algorithm: state.algorithm,
    certificate: fromBase64(state.certificate),
    chain: state.chain.map(fromBase64),
  });
}

/** Verification of a detached CAdES signature. */
export interface DetachedVerificationReport {
  indication: Indication;
  subIndication?: SubIndication;
  digest: boolean | null;
  signatureValue: boolean;
  signingTime?: string;
  signer?: SignerFacts;
  chain?: PathValidationResult;
  timestamps: TimestampReport[];
  errors: string[];
  warnings: string[];
}

/**
 * Verifies a detached CAdES/CMS signature over `data`: message digest, signature value, signing-certificate
 * attribute, signature timestamps, and the signer's path to the trust anchors (at a valid timestamp's time
 * when the certificate has since expired).
 */
export async function verifyDetached(
  data: DetachedData,
  p7s: BinaryInput,
  options: { trust?: TrustInput; time?: Date; clock?: Clock } = {},
): Promise<DetachedVerificationReport> {
  const report: DetachedVerificationReport = { indication: 'TOTAL_PASSED', digest: null, signatureValue: false, timestamps: [], errors: [], warnings: [] };
  const fail = (indication: Indication, sub: SubIndication, message: string) => {
    if (report.indication === 'TOTAL_PASSED' || (indication === 'TOTAL_FAILED' && report.indication !== 'TOTAL_FAILED')) {
      report.indication = indication;
      report.subIndication = sub;
    }
    report.errors.push(message);
  };
  let cms;
  try {
    cms = parseSignedData(toBytes(p7s, 'signature'));
  } catch (e) {
    fail('TOTAL_FAILED', 'FORMAT_FAILURE', (e as Error).message);
    return report;
  }
  const si = cms.signerInfos[0];
  if (!si?.digestAlgorithm) {
    fail('TOTAL_FAILED', 'FORMAT_FAILURE', 'no SignerInfo with a known digest algorithm');
    return report;
  }
  const v = await verifySignerInfo(cms, si, { contentDigest: await digestData(si.digestAlgorithm, data) });
  report.digest = v.messageDigestValid ?? null;
  report.signatureValue = v.signatureValid;
  if (si.signingTime) report.signingTime = si.signingTime.toISOString();
  if (v.messageDigestValid === false) fail('TOTAL_FAILED', 'HASH_FAILURE', 'the data does not match the signature');
  if (!v.signatureValid) fail('TOTAL_FAILED', 'SIG_CRYPTO_FAILURE', v.problems.map((p) => p.message).join('; ') || 'the signature value does not verify');
  if (v.signingCertificateAttributeMatches === false) fail('TOTAL_FAILED', 'SIG_CONSTRAINTS_FAILURE', 'the signing-certificate attribute names another certificate');
  let poe: Date | undefined;
  for (const der of si.signatureTimeStampTokens) {
    try {
      const token = parseTimestampToken(der);
      const t = await verifyTimestampToken(token, { data: si.signature });
      report.timestamps.push({ kind: 'signature-timestamp', genTime: token.genTime.toISOString(), ...(token.tsaName && { tsa: token.tsaName }), valid: t.valid, problems: t.problems.map((p) => p.message) });
      if (t.valid && (!poe || token.genTime < poe)) poe = token.genTime;
    } catch (e) {
      report.timestamps.push({ kind: 'signature-timestamp', valid: false, problems: [(e as Error).message] });
    }
  }
  if (!v.signerCertificate) {
    fail('INDETERMINATE', 'NO_SIGNING_CERTIFICATE_FOUND', 'the signer certificate is not in the signature');
    return report;
  }
  const cert = await parseCertificate(v.signerCertificate);
  report.signer = { subject: cert.subject, issuer: cert.issuer, serialNumber: cert.serialNumber, notBefore: cert.notBefore, notAfter: cert.notAfter, publicKey: cert.publicKey, fingerprintSha256: cert.fingerprintSha256, ...(cert.keyUsage && { keyUsage: cert.keyUsage }) };
  const trust = await resolveTrust(options.trust);
  if (!trust) {
    fail('INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND', 'no trust anchors were given, so the signer cannot be trusted');
    return report;
  }
  const time = options.time ?? (options.clock ?? systemClock)();
  let chain = await validateCertificatePath({ certificate: cert.der, intermediates: cms.certificates, trust, time });
  if (chain.status === 'expired' && poe) {
    const atPoe = await validateCertificatePath({ certificate: cert.der, intermediates: cms.certificates, trust, time: poe });
    if (atPoe.status === 'valid') chain = atPoe;
  }
  report.chain = chain;
  report.warnings.push(...(chain.notes ?? []));
  if (chain.status !== 'valid') fail('INDETERMINATE', chain.subIndication ?? 'CERTIFICATE_CHAIN_GENERAL_FAILURE', chain.problems.join('; '));
  return report;
}
