import type { BinaryInput } from '../core/bytes.js';
import {
  parseTimestampToken,
  verifyTimestampToken,
  type TimestampToken,
  type TimestampVerification,
} from '../tsa/timestamp-token.js';
import type { Finding } from './findings.js';
import type { ResolvedPolicy } from './policy.js';
import { checkAlgorithmPolicy } from './signer-check.js';

/** Options of {@link checkTimestampToken}. */
export interface TimestampCheckOptions {
  /** The time-stamped data, or its digest (with the imprint's algorithm). */
  imprint: { data?: BinaryInput; digest?: BinaryInput };
  /** Further certificates in which to look for the TSA's. */
  extraCertificates?: readonly BinaryInput[];
  /** The algorithm policy, the same as for signers. */
  policy: ResolvedPolicy;
}

/** An RFC 3161 token checked by {@link checkTimestampToken}. */
export interface TimestampTokenCheck {
  token: TimestampToken;
  verification: TimestampVerification;
  /**
   * The algorithm policy over the token (imprint digest, the TSA's digest and signature algorithms, the TSA
   * key): errors are INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE, as for a signer.
   */
  policyFindings: Finding[];
  /** The token proves its time: it verifies and the policy refuses none of its algorithms. */
  valid: boolean;
  /** Why not, for people: the token's own problems, then the policy's refusals. */
  problems: string[];
}

/**
 * The one check of an RFC 3161 token, wherever it sits (a signature time-stamp in CMS or XAdES, a PDF document
 * time-stamp, a `.tsr`): imprint, CMS signature, ESS signing-certificate, the TSA certificate's purpose
 * ({@link verifyTimestampToken}), and the validation context's algorithm policy, the same as for signers.
 * The TSA's path is the caller's to validate.
 */
export async function checkTimestampToken(
  token: TimestampToken,
  options: TimestampCheckOptions,
): Promise<TimestampTokenCheck> {
  const verification = await verifyTimestampToken(token, {
    ...options.imprint,
    ...(options.extraCertificates && { extraCertificates: options.extraCertificates }),
  });
  const si = token.signedData.signerInfos[0];
  const policyFindings = checkAlgorithmPolicy(
    {
      hashes: [token.messageImprint.hash, si?.digestAlgorithm, si?.signatureAlgorithm?.hash],
      key: verification.signature.signerKey,
    },
    options.policy,
  );
  const refusals = policyFindings.filter((f) => f.severity === 'error').map((f) => f.message);
  return {
    token,
    verification,
    policyFindings,
    valid: verification.valid && refusals.length === 0,
    problems: [...verification.problems.map((p) => p.message), ...refusals],
  };
}

/** A time-stamp embedded in a signature, as the signature's report shows it. */
export interface EmbeddedTimestamp {
  /** genTime, ISO 8601, when the token could be read. */
  genTime?: string;
  tsa?: string;
  /** It proves the signature existed at genTime: see {@link TimestampTokenCheck.valid}. */
  valid: boolean;
  problems: string[];
  /** The check, when the token could be read. */
  check?: TimestampTokenCheck;
  /**
   * What the signature's verdict says of it — warnings, since the signature stands without it, but proves no
   * time by it: `timestamp-algorithm-refused` (the policy refuses it), `timestamp-invalid` (it does not verify
   * or cannot be read), and the policy's warnings.
   */
  findings: Finding[];
}

/**
 * Reads and checks a signature time-stamp (CMS signature-time-stamp attribute, XAdES SignatureTimeStamp) with
 * {@link checkTimestampToken}, and says what the signature's verdict should say of it. Never throws.
 */
export async function checkSignatureTimestamp(
  der: BinaryInput,
  options: TimestampCheckOptions,
): Promise<EmbeddedTimestamp> {
  let check: TimestampTokenCheck;
  try {
    check = await checkTimestampToken(parseTimestampToken(der), options);
  } catch (e) {
    const problems = [(e as Error).message];
    return { valid: false, problems, findings: [invalid(problems)] };
  }
  const { token, policyFindings, valid, problems } = check;
  const findings: Finding[] = [];
  const refused = policyFindings.filter((f) => f.severity === 'error');
  if (refused.length && check.verification.valid)
    findings.push({
      code: 'timestamp-algorithm-refused',
      severity: 'warning',
      message: `a signature time-stamp is refused by the algorithm policy and proves no time: ${refused.map((f) => f.message).join('; ')}`,
    });
  else if (!valid) findings.push(invalid(problems));
  for (const f of policyFindings)
    if (f.severity === 'warning') findings.push({ ...f, message: `a signature time-stamp: ${f.message}` });
  return {
    genTime: token.genTime.toISOString(),
    ...(token.tsaName && { tsa: token.tsaName }),
    valid,
    problems,
    check,
    findings,
  };
}

function invalid(problems: string[]): Finding {
  return {
    code: 'timestamp-invalid',
    severity: 'warning',
    message: `a signature time-stamp does not verify: ${problems.join('; ')}`,
  };
}
