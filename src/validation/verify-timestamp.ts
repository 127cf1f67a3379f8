import type { BinaryInput } from '../core/bytes.js';
import type { Indication, SubIndication } from '../core/indication.js';
import { digestData } from '../crypto/digest.js';
import { parseCertificate } from '../pki/certificate.js';
import { validateCertificatePath, type PathValidationResult } from '../pki/chain.js';
import { parseTimestampToken, verifyTimestampToken } from '../tsa/index.js';
import { tokenFromResponseOrToken } from '../tsa/timestamp-data.js';
import { resolveTrust, type TrustInput } from '../pki/trust-input.js';

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
}

/**
 * Verifies a `.tsr` (TimeStampResp) or bare token against the data it time-stamps: imprint, token signature,
 * the TSA certificate's timeStamping purpose, and its path to the trust anchors at the token's time.
 *
 * @example
 * ```ts
 * const r = await verifyTimestamp(await readFile('a.pdf'), await readFile('a.pdf.tsr'), { trust: [root] });
 * ```
 */
export async function verifyTimestamp(
  data: BinaryInput | AsyncIterable<Uint8Array>,
  tsr: BinaryInput,
  options: { trust?: TrustInput } = {},
): Promise<TimestampVerificationReport> {
  const errors: string[] = [];
  let token;
  try {
    token = parseTimestampToken(tokenFromResponseOrToken(tsr));
  } catch (e) {
    return { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', imprintMatches: false, tokenValid: false, errors: [(e as Error).message] };
  }
  const hash = token.messageImprint.hash;
  if (!hash) return { indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE', imprintMatches: false, tokenValid: false, errors: ['the token uses an unknown digest algorithm'] };
  const check = await verifyTimestampToken(token, { digest: await digestData(hash, data) });
  const report: TimestampVerificationReport = {
    indication: 'TOTAL_PASSED',
    genTime: token.genTime.toISOString(),
    ...(token.tsaName && { tsa: token.tsaName }),
    serialNumber: token.serialNumber,
    policy: token.policy,
    imprintMatches: check.messageImprintMatches === true,
    tokenValid: check.valid,
    errors,
  };
  if (!report.imprintMatches) {
    report.indication = 'TOTAL_FAILED';
    report.subIndication = 'HASH_FAILURE';
    errors.push('the time-stamp is over other data');
  } else if (!check.valid) {
    report.indication = 'TOTAL_FAILED';
    report.subIndication = 'SIG_CRYPTO_FAILURE';
    errors.push(...check.problems.map((p) => p.message));
  }
  const trust = await resolveTrust(options.trust);
  if (report.indication === 'TOTAL_PASSED') {
    if (!trust || !check.signerCertificate) {
      report.indication = 'INDETERMINATE';
      report.subIndication = 'NO_CERTIFICATE_CHAIN_FOUND';
      errors.push('no trust anchors were given, so the time-stamping authority cannot be trusted');
    } else {
      const cert = await parseCertificate(check.signerCertificate);
      report.chain = await validateCertificatePath({ certificate: cert.der, intermediates: token.certificates, trust, time: token.genTime, purpose: 'timestamping' });
      if (report.chain.status !== 'valid') {
        report.indication = 'INDETERMINATE';
        report.subIndication = report.chain.subIndication ?? 'CERTIFICATE_CHAIN_GENERAL_FAILURE';
        errors.push(...report.chain.problems);
      }
    }
  }
  return report;
}
