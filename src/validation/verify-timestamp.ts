import type { BinaryInput } from '../core/bytes.js';
import type { Indication, SubIndication } from '../core/indication.js';
import { digestData } from '../crypto/digest.js';
import { validateCertificatePath, type PathValidationResult } from '../pki/chain.js';
import { parseTimestampToken } from '../tsa/index.js';
import { tokenFromResponseOrToken } from '../tsa/timestamp-data.js';
import { createValidationContext, type ValidationOptions } from './context.js';
import { VerdictBuilder, type Finding } from './findings.js';
import { checkTimestampToken } from './timestamp-check.js';

/** Verification of an RFC 3161 time-stamp over some data. */
export interface TimestampVerificationReport {
  indication: Indication;
  subIndication?: SubIndication;
  genTime?: string;
  tsa?: string;
  serialNumber?: string;
  policy?: string;
  /** The token's messageImprint equals the digest of the data. */
  imprintMatches: boolean;
  /** The token's own signature, ESS certificate link and the TSA certificate's purpose check out. */
  tokenValid: boolean;
  chain?: PathValidationResult;
  errors: string[];
  /** The errors as data, with their stable codes. */
  findings: Finding[];
}

/**
 * Verifies a `.tsr` (TimeStampResp) or bare token against the data it time-stamps: imprint, token signature,
 * the TSA certificate's timeStamping purpose, the algorithm policy (digests, TSA key size — the same rules as
 * for signers), and its path to the trust anchors at the token's time.
 *
 * @example
 * ```ts
 * const r = await verifyTimestamp(await readFile('a.pdf'), await readFile('a.pdf.tsr'), { trust: [root] });
 * ```
 */
export async function verifyTimestamp(
  data: BinaryInput | AsyncIterable<Uint8Array>,
  tsr: BinaryInput,
  options: ValidationOptions = {},
): Promise<TimestampVerificationReport> {
  const context = await createValidationContext(options);
  const v = new VerdictBuilder();
  const finish = (
    report: Omit<TimestampVerificationReport, 'indication' | 'errors' | 'findings'>,
  ): TimestampVerificationReport => {
    const { indication, subIndication, errors, findings } = v.verdict();
    return { indication, ...(subIndication && { subIndication }), ...report, errors, findings };
  };
  let token;
  try {
    token = parseTimestampToken(tokenFromResponseOrToken(tsr));
  } catch (e) {
    v.fail('format-invalid', 'FORMAT_FAILURE', (e as Error).message);
    return finish({ imprintMatches: false, tokenValid: false });
  }
  const hash = token.messageImprint.hash;
  if (!hash) {
    v.doubt(
      'algorithm-unsupported',
      'CRYPTO_CONSTRAINTS_FAILURE',
      `the token uses an unsupported digest algorithm ${token.messageImprint.hashAlgorithmOid}`,
    );
    return finish({ imprintMatches: false, tokenValid: false });
  }
  const { verification: check, policyFindings } = await checkTimestampToken(token, {
    imprint: { digest: await digestData(hash, data) },
    extraCertificates: context.intermediates,
    policy: context.policy,
  });
  const base = {
    genTime: token.genTime.toISOString(),
    ...(token.tsaName && { tsa: token.tsaName }),
    serialNumber: token.serialNumber,
    policy: token.policy,
    imprintMatches: check.messageImprintMatches === true,
    tokenValid: check.valid,
  };
  if (!base.imprintMatches) v.fail('digest-mismatch', 'HASH_FAILURE', 'the time-stamp is over other data');
  else if (!check.valid) {
    const unsupported = check.problems.find(
      (p) => p.code === 'unsupported-algorithm' || p.code === 'public-key-unusable',
    );
    if (unsupported && !check.signature.signatureValid)
      v.doubt('algorithm-unsupported', 'CRYPTO_CONSTRAINTS_FAILURE', unsupported.message);
    else for (const p of check.problems) v.fail('signature-invalid', 'SIG_CRYPTO_FAILURE', p.message);
  }
  v.add(...policyFindings);
  if (v.indication !== 'TOTAL_PASSED') return finish(base);
  const trust = context.trust;
  if (!trust || !check.signerCertificate) {
    v.doubt(
      'no-trust-anchors',
      'NO_CERTIFICATE_CHAIN_FOUND',
      'no trust anchors were given, so the time-stamping authority cannot be trusted',
    );
    return finish(base);
  }
  const chain = await validateCertificatePath({
    certificate: check.signerCertificate,
    intermediates: [...token.certificates, ...context.intermediates],
    trust,
    time: token.genTime,
    purpose: 'timestamping',
  });
  if (chain.status !== 'valid')
    for (const p of chain.problems.length ? chain.problems : [`certificate path: ${chain.status}`])
      v.doubt('chain-invalid', chain.subIndication ?? 'CERTIFICATE_CHAIN_GENERAL_FAILURE', p);
  return finish({ ...base, chain });
}
