import { CURVES, type DigestAlgorithm } from '../core/algorithms.js';
import type { BinaryInput } from '../core/bytes.js';
import type { ParsedSignedData, ParsedSignerInfo } from '../cms/parse-signed-data.js';
import { verifySignerInfo, type SignerInfoVerification } from '../cms/verify-signer-info.js';
import type { PublicKeyFacts } from '../pki/certificate-facts.js';
import type { CertificateInfo } from '../pki/certificate.js';
import type { Finding } from './findings.js';
import type { ConstraintLevel, ResolvedPolicy } from './policy.js';

/**
 * The signer's certificate as every report shows it (PDF, XML, detached CMS, time-stamps): names with the
 * Vietnamese identifiers read out (`subject.taxCode` = MST, `subject.citizenId` = CCCD/CMND, …), validity, key.
 */
export type SignerFacts = Pick<
  CertificateInfo,
  'subject' | 'issuer' | 'serialNumber' | 'notBefore' | 'notAfter' | 'keyUsage' | 'publicKey' | 'fingerprintSha256'
>;

/** The {@link SignerFacts} of a parsed certificate. */
export function signerFactsOf(cert: CertificateInfo): SignerFacts {
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    ...(cert.keyUsage && { keyUsage: cert.keyUsage }),
    publicKey: cert.publicKey,
    fingerprintSha256: cert.fingerprintSha256,
  };
}

/** Options of {@link checkSigner}. */
export interface CheckSignerOptions {
  /** Digest of the signed content, made with the SignerInfo's digest algorithm. */
  contentDigest?: BinaryInput;
  /** The content itself, when the SignerInfo has no signed attributes (the signature then covers it). */
  content?: BinaryInput;
  /** Further certificates in which to look for the signer's. */
  extraCertificates?: readonly BinaryInput[];
  /** The algorithm policy. */
  policy: ResolvedPolicy;
}

/** Outcome of {@link checkSigner}: the CMS facts and the findings they make. */
export interface SignerCheck {
  verification: SignerInfoVerification;
  /** Everything wrong or doubtful about this SignerInfo, as findings (no trust, no time: those come after). */
  findings: Finding[];
}

const fail = (code: Finding['code'], subIndication: Finding['subIndication'], message: string): Finding => ({
  code,
  severity: 'error',
  indication: 'TOTAL_FAILED',
  subIndication,
  message,
});
const doubt = (code: Finding['code'], subIndication: Finding['subIndication'], message: string): Finding => ({
  code,
  severity: 'error',
  indication: 'INDETERMINATE',
  subIndication,
  message,
});
const warn = (code: Finding['code'], message: string): Finding => ({ code, severity: 'warning', message });

/**
 * The one check of a CMS SignerInfo, for PAdES, detached CAdES and RFC 3161 tokens alike: message digest,
 * signature value, content type, signing-certificate(-v2) attribute and the algorithm policy (digest, RSA/EC key
 * size). What cannot be checked — an unknown or unsupported algorithm, an unusable key — is INDETERMINATE /
 * CRYPTO_CONSTRAINTS_FAILURE, never TOTAL_FAILED; only what was checked and found wrong fails.
 *
 * @example
 * ```ts
 * const cms = parseSignedData(p7s);
 * const si = cms.signerInfos[0]!;
 * const { findings } = await checkSigner(cms, si, { contentDigest: await digest(si.digestAlgorithm!, data), policy: withDefaults() });
 * ```
 */
export async function checkSigner(
  cms: ParsedSignedData,
  si: ParsedSignerInfo,
  options: CheckSignerOptions,
): Promise<SignerCheck> {
  const { policy, ...rest } = options;
  const verification = await verifySignerInfo(cms, si, {
    ...rest,
    ...(options.extraCertificates && { extraCertificates: options.extraCertificates }),
  });
  const findings: Finding[] = [];
  const codes = new Set(verification.problems.map((p) => p.code));
  const message = (code: string) => verification.problems.find((p) => p.code === code)!.message;

  if (verification.messageDigestValid === false) {
    findings.push(
      fail(
        'digest-mismatch',
        'HASH_FAILURE',
        codes.has('message-digest-missing')
          ? message('message-digest-missing')
          : 'the signed bytes do not match the message digest: they were altered',
      ),
    );
  }
  if (!verification.signatureValid) {
    if (codes.has('unsupported-algorithm'))
      findings.push(doubt('algorithm-unsupported', 'CRYPTO_CONSTRAINTS_FAILURE', message('unsupported-algorithm')));
    else if (codes.has('public-key-unusable'))
      findings.push(doubt('algorithm-unsupported', 'CRYPTO_CONSTRAINTS_FAILURE', message('public-key-unusable')));
    else if (codes.has('signer-certificate-not-found'))
      findings.push(
        doubt(
          'signer-certificate-not-found',
          'NO_SIGNING_CERTIFICATE_FOUND',
          'signature could not be checked: no signer certificate (the CMS carries none that matches its SignerInfo)',
        ),
      );
    else if (codes.has('content-required'))
      findings.push(doubt('signed-data-not-found', 'SIGNED_DATA_NOT_FOUND', message('content-required')));
    else
      findings.push(
        fail(
          'signature-invalid',
          'SIG_CRYPTO_FAILURE',
          `the signature value does not verify${verification.problems.length ? `: ${verification.problems.map((p) => p.message).join('; ')}` : ''}`,
        ),
      );
  } else if (codes.has('unsupported-algorithm')) {
    // the signature verified, but a digest (message digest, signing-certificate hash) could not be checked
    findings.push(doubt('algorithm-unsupported', 'CRYPTO_CONSTRAINTS_FAILURE', message('unsupported-algorithm')));
  }
  if (verification.signingCertificateAttributeMatches === false)
    findings.push(
      fail(
        'signing-certificate-mismatch',
        'SIG_CONSTRAINTS_FAILURE',
        'the signing-certificate attribute names another certificate',
      ),
    );
  if (codes.has('content-type-mismatch'))
    findings.push(fail('content-type-mismatch', 'FORMAT_FAILURE', message('content-type-mismatch')));
  if (codes.has('content-type-missing'))
    findings.push(fail('content-type-mismatch', 'FORMAT_FAILURE', message('content-type-missing')));
  for (const p of verification.problems) {
    if (p.code === 'nonstandard-algorithm-identifier')
      findings.push(warn('algorithm-identifier-nonstandard', p.message));
    else if (p.code === 'duplicate-attribute') findings.push(warn('attribute-duplicate', p.message));
  }
  findings.push(
    ...checkAlgorithmPolicy(
      { hashes: [si.digestAlgorithm, si.signatureAlgorithm?.hash], key: verification.signerKey },
      policy,
    ),
  );
  return { verification, findings };
}

/** Bits of an RSA modulus or EC curve; undefined for another key. */
export function keyBits(key: PublicKeyFacts): number | undefined {
  if (key.type === 'RSA') return key.modulusBytes * 8;
  if (key.type === 'EC' && key.curve) return CURVES[key.curve].size === 66 ? 521 : CURVES[key.curve].size * 8;
  return undefined;
}

/**
 * The algorithm policy over what a signature used — its digests and the signer's key — as findings: SHA-1
 * under `policy.sha1`, a key below `minRsaBits` / `minEcBits` under `policy.weakKey` (INDETERMINATE /
 * CRYPTO_CONSTRAINTS_FAILURE when `fail`). Shared by CMS signers and XML signatures.
 */
export function checkAlgorithmPolicy(
  used: { hashes: readonly (DigestAlgorithm | undefined)[]; key?: PublicKeyFacts | undefined },
  policy: ResolvedPolicy,
): Finding[] {
  const out: Finding[] = [];
  if (used.hashes.includes('SHA-1'))
    constrain(out, policy.sha1, 'hash-weak', 'SHA-1 is used, which the validation policy does not accept');
  const bits = used.key && keyBits(used.key);
  if (used.key?.type === 'RSA' && bits! < policy.minRsaBits)
    constrain(out, policy.weakKey, 'key-weak', `an RSA key of ${bits} bits is below the policy's ${policy.minRsaBits}`);
  if (used.key?.type === 'EC' && bits !== undefined && bits < policy.minEcBits)
    constrain(out, policy.weakKey, 'key-weak', `an EC key of ${bits} bits is below the policy's ${policy.minEcBits}`);
  return out;
}

/**
 * {@link checkAlgorithmPolicy} as a yes or no: `true`, or why not (the first constraint at `fail`; `warn` and
 * `ignore` accept). For what the policy judges but a report has no place for: OCSP responses and CRLs.
 */
export function algorithmPolicyVerdict(
  used: Parameters<typeof checkAlgorithmPolicy>[0],
  policy: ResolvedPolicy,
): true | string {
  return checkAlgorithmPolicy(used, policy).find((f) => f.severity === 'error')?.message ?? true;
}

/** A policy constraint that is not met: `fail` lowers the indication, `warn` lists it, `ignore` drops it. */
function constrain(out: Finding[], level: ConstraintLevel, code: Finding['code'], message: string): void {
  if (level === 'fail') out.push(doubt(code, 'CRYPTO_CONSTRAINTS_FAILURE', message));
  else if (level === 'warn') out.push(warn(code, message));
}
