import type { DigestAlgorithm, SignatureAlgorithm } from '../core/algorithms.js';
import { fromBase64, toBase64, toBytes, type BinaryInput } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { systemClock, type Clock } from '../core/clock.js';

import { createHasher, digestData } from '../crypto/digest.js';
import {
  assembleSignedData,
  buildSignedAttributes,
  parseSignedData,
  signDetachedDigest,
  type ParsedSignedData,
  type ParsedSignerInfo,
} from '../cms/index.js';
import { parseCertificate, splitCertificates } from '../pki/certificate.js';
import { chooseAlgorithm, type Signer } from '../signers/signer.js';
import type { TimestampSource } from '../tsa/index.js';
import { addSignatureTimestamp } from '../tsa/signature-timestamp.js';

import {
  chainFinding,
  checkRevocationEstablished,
  createValidationContext,
  validatePathInContext,
  type ValidationContext,
  type ValidationOptions,
} from '../validation/context.js';
import { VerdictBuilder, verdictOf, type Finding } from '../validation/findings.js';
import { checkSigner, signerFactsOf } from '../validation/signer-check.js';
import { checkSignatureTimestamp } from '../validation/timestamp-check.js';
import { addPolicyFindings, documentPolicyFindings } from '../validation/document-policy.js';
import type { DetachedSignerReport, DetachedVerificationReport } from '../validation/reports.js';

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
  o: {
    certificate: BinaryInput | string;
    chain?: readonly (BinaryInput | string)[];
    algorithm: SignatureAlgorithm;
    signingTime?: Date;
  },
): Promise<{ toBeSigned: Uint8Array; digest: Uint8Array; state: DetachedSigningState }> {
  const [certificate, ...rest] = splitCertificates(o.certificate);
  const chain = [...rest, ...(o.chain ?? []).flatMap((c) => splitCertificates(c))];
  const signedAttributes = await buildSignedAttributes({
    contentDigest: await digestData(o.algorithm.hash, data),
    hash: o.algorithm.hash,
    signerCertificate: certificate!,
    signingTime: o.signingTime ?? new Date(),
  });
  return {
    toBeSigned: signedAttributes,
    digest: await digestData(o.algorithm.hash, signedAttributes),
    state: {
      kind: 'kyso.cades-signing',
      version: 1,
      signedAttributes: toBase64(signedAttributes),
      certificate: toBase64(certificate!),
      chain: chain.map(toBase64),
      algorithm: o.algorithm,
    },
  };
}

/** Stage two: the `.p7s` with the signature value (RSA, or ECDSA as r||s or DER) over the prepared attributes. */
export function finishDetachedSigning(state: DetachedSigningState, signature: BinaryInput): Uint8Array {
  if (state?.kind !== 'kyso.cades-signing' || state.version !== 1)
    throw new KysoError('ERR_SIGNING_STATE', 'not a kyso CAdES signing state (version 1)');
  return assembleSignedData({
    signedAttributes: fromBase64(state.signedAttributes),
    signature: toBytes(signature, 'signature'),
    algorithm: state.algorithm,
    certificate: fromBase64(state.certificate),
    chain: state.chain.map(fromBase64),
  });
}

/**
 * Verifies a detached CAdES/CMS signature over `data`, every SignerInfo of it: message digest, signature
 * value, content type, signing-certificate attribute and algorithm policy (one signer check, as for PDFs),
 * signature timestamps, and each signer's path to the trust anchors (at a valid timestamp's time when the
 * certificate has since expired). The verdict is the worst signer's.
 *
 * @example
 * ```ts
 * const r = await verifyDetached(createReadStream('hop-dong.pdf'), await readFile('hop-dong.pdf.p7s'), { trust: 'vn' });
 * for (const s of r.signers) console.log(s.signer?.subject.commonName, s.indication);
 * ```
 */
export async function verifyDetached(
  data: DetachedData,
  p7s: BinaryInput,
  options: ValidationOptions = {},
): Promise<DetachedVerificationReport> {
  const context = await createValidationContext(options);
  let cms: ParsedSignedData;
  try {
    cms = parseSignedData(toBytes(p7s, 'signature'));
  } catch (e) {
    return wholeReport([], [formatFinding((e as Error).message)]);
  }
  if (cms.signerInfos.length === 0) return wholeReport([], [formatFinding('the signature has no SignerInfo')]);
  if (cms.signerInfos.length > MAX_SIGNERS)
    return wholeReport(
      [],
      [formatFinding(`the signature has ${cms.signerInfos.length} SignerInfos; at most ${MAX_SIGNERS} are verified`)],
    );
  const digests = await digestsOf(
    data,
    cms.signerInfos.map((si) => si.digestAlgorithm).filter((h): h is DigestAlgorithm => !!h),
  );
  const signers: DetachedSignerReport[] = [];
  for (const si of cms.signerInfos) signers.push(await verifyOneSigner(cms, si, digests, context));
  const report = wholeReport(signers, []);
  addPolicyFindings(
    report,
    documentPolicyFindings(
      context.policy,
      context.time,
      signers.map((s, i) => ({
        label: `#${i + 1}`,
        signer: s.signer,
        level: s.level,
        signedAt: s.timestamps.find((t) => t.valid)?.genTime ?? s.signingTime,
      })),
      true,
    ),
  );
  return report;
}

/** Most SignerInfos verified in one detached signature. */
const MAX_SIGNERS = 64;

function formatFinding(message: string): Finding {
  return {
    code: 'format-invalid',
    severity: 'error',
    indication: 'TOTAL_FAILED',
    subIndication: 'FORMAT_FAILURE',
    message,
  };
}

/** The file's report: the first signer's facts, every signer's findings (numbered when there are several). */
function wholeReport(signers: DetachedSignerReport[], own: Finding[]): DetachedVerificationReport {
  const numbered = signers.length > 1;
  const findings = [
    ...own,
    ...signers.flatMap((s, i) =>
      s.findings.map((f) => (numbered ? { ...f, message: `signer ${i + 1}: ${f.message}` } : f)),
    ),
  ];
  const first = signers[0] ?? { digest: null, signatureValue: false, timestamps: [] };
  return { ...first, ...verdictOf(findings), signers };
}

async function verifyOneSigner(
  cms: ParsedSignedData,
  si: ParsedSignerInfo,
  digests: Map<DigestAlgorithm, Uint8Array>,
  context: ValidationContext,
): Promise<DetachedSignerReport> {
  const v = new VerdictBuilder();
  const report: DetachedSignerReport = {
    indication: 'TOTAL_PASSED',
    digest: null,
    signatureValue: false,
    timestamps: [],
    errors: [],
    warnings: [],
    findings: [],
  };
  const done = () => Object.assign(report, v.verdict());
  if (si.signingTime) report.signingTime = si.signingTime.toISOString();
  const contentDigest = si.digestAlgorithm && digests.get(si.digestAlgorithm);
  if (!contentDigest) {
    v.doubt(
      'algorithm-unsupported',
      'CRYPTO_CONSTRAINTS_FAILURE',
      `unsupported digest algorithm ${si.digestAlgorithmOid}`,
    );
    return done();
  }
  const { verification, findings } = await checkSigner(cms, si, {
    contentDigest,
    extraCertificates: context.intermediates,
    policy: context.policy,
  });
  v.add(
    ...findings.map((f) =>
      f.code === 'digest-mismatch' ? { ...f, message: 'the data does not match the signature' } : f,
    ),
  );
  report.digest = verification.messageDigestValid ?? null;
  report.signatureValue = verification.signatureValid;
  let poe: Date | undefined;
  for (const der of si.signatureTimeStampTokens) {
    const {
      check,
      findings: said,
      ...t
    } = await checkSignatureTimestamp(der, {
      imprint: { data: si.signature },
      extraCertificates: context.intermediates,
      policy: context.policy,
    });
    report.timestamps.push({ kind: 'signature-timestamp', ...t });
    v.add(...said);
    const genTime = check?.token.genTime;
    if (t.valid && genTime && (!poe || genTime < poe)) poe = genTime;
  }
  report.level = poe ? 'B-T' : 'B-B';
  if (!verification.signerCertificate) return done();
  const cert = await parseCertificate(verification.signerCertificate);
  report.signer = signerFactsOf(cert);
  const trust = context.trust;
  if (!trust) {
    v.doubt(
      'no-trust-anchors',
      'NO_CERTIFICATE_CHAIN_FOUND',
      'no trust anchors were given, so the signer cannot be trusted',
    );
    return done();
  }
  const intermediates = [...cms.certificates, ...context.intermediates];
  const embedded = { ocsps: cms.otherRevocation.map((o) => o.value), crls: cms.crls };
  const path = (time: Date) =>
    validatePathInContext(context, { certificate: cert.der, intermediates, time, embedded, revocation: 'if-asked' });
  let chain = await path(context.time);
  if (chain.status === 'expired' && poe) {
    const atPoe = await path(poe);
    if (atPoe.status === 'valid') {
      v.warn(
        'expired-poe',
        `the certificate has expired; a signature timestamp proves the signature existed at ${poe.toISOString()}, while it was valid`,
      );
      chain = atPoe;
    }
  }
  report.chain = chain;
  for (const note of chain.notes ?? []) v.warn('algorithm-accepted-by-date', note);
  if (chain.status !== 'valid')
    v.doubt(chainFinding(chain), chain.subIndication ?? 'CERTIFICATE_CHAIN_GENERAL_FAILURE', chain.problems.join('; '));
  checkRevocationEstablished(chain, v);
  return done();
}

/** The data's digest under each algorithm the signers use, the data read once (a stream is not held). */
async function digestsOf(data: DetachedData, algorithms: DigestAlgorithm[]): Promise<Map<DigestAlgorithm, Uint8Array>> {
  const unique = [...new Set(algorithms)];
  const out = new Map<DigestAlgorithm, Uint8Array>();
  if (unique.length === 1) out.set(unique[0]!, await digestData(unique[0]!, data));
  else if (unique.length > 1) {
    const hashers = unique.map((h) => [h, createHasher(h)] as const);
    const chunks =
      typeof data === 'object' && data !== null && Symbol.asyncIterator in data
        ? (data as AsyncIterable<Uint8Array>)
        : [toBytes(data as BinaryInput, 'data')];
    for await (const chunk of chunks) for (const [, hasher] of hashers) hasher.update(chunk);
    for (const [h, hasher] of hashers) out.set(h, await hasher.digest());
  }
  return out;
}
