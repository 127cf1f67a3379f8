import { toHex, type BinaryInput } from '../core/bytes.js';
import { systemClock, type Clock } from '../core/clock.js';
import { KysoError } from '../core/errors.js';
import { deepFreeze } from '../core/frozen.js';
import { LruCache } from '../core/lru.js';
import { digest } from '../crypto/digest.js';
import { parseCertificate, splitCertificates, type Certificate } from '../pki/certificate.js';
import { checkRevocation, type RevocationData } from '../pki/revocation.js';
import { withIssuerFetching } from '../pki/issuer-fetch.js';
import { resolveTrust, type TrustInput } from '../pki/trust-input.js';
import type { TrustStore } from '../pki/trust-store.js';
import {
  validateCertificatePath,
  type CertificatePurpose,
  type PathValidationOptions,
  type PathValidationResult,
  type RevocationMode,
} from '../pki/chain.js';
import type { RevocationSignatureCheck } from '../pki/revocation-signature.js';
import type { VerdictBuilder } from './findings.js';
import { withDefaults, type ResolvedPolicy, type ValidationPolicy } from './policy.js';
import { algorithmPolicyVerdict } from './signer-check.js';

/**
 * What to do about revocation — one setting for the verifiers and the path validation under them:
 * `check-if-available` (the default) uses the revocation data at hand and says so when there is none; `require`
 * makes missing revocation data INDETERMINATE (TRY_LATER; stale data REVOCATION_OUT_OF_BOUNDS_NO_POE); `off`
 * checks nothing.
 */
export type { RevocationMode };

/** The settings every verifier takes (`verifyPdf`, `verifyXml`, `verifyDetached`, `verifyTimestamp`). */
export interface ValidationOptions {
  /** Trust anchors. Without them nothing is TOTAL_PASSED (INDETERMINATE, NO_CERTIFICATE_CHAIN_FOUND). */
  trust?: TrustInput;
  /** Further intermediate certificates (DER or PEM) to build paths with. Default: none. */
  intermediates?: readonly (BinaryInput | string)[];
  /** Validation time. Default: now, from `clock`. */
  time?: Date;
  /** Where "now" comes from. Default: the system clock. */
  clock?: Clock;
  /** The validation policy: algorithms, key sizes, and the document rules of {@link ValidationPolicy}. */
  policy?: ValidationPolicy;
  /** OCSP responses and CRLs (DER) the caller has, used besides those the document carries. Default: none. */
  revocationData?: Partial<RevocationData>;
  /** Default: `check-if-available`. */
  revocationMode?: RevocationMode;
  /**
   * Ask OCSP responders and CRL distribution points named in the certificates when no revocation data is at
   * hand. Default: false — verification is offline.
   */
  online?: boolean;
  /** fetch for online checks (OCSP, CRL, and caIssuers for missing intermediates). Default: globalThis.fetch. */
  fetch?: typeof globalThis.fetch;
  /** A context already built (by {@link createValidationContext}); the other options are then ignored. */
  context?: ValidationContext;
}

/**
 * Everything a verification depends on besides the document, resolved once per call and passed down to every
 * check (signer, path, revocation, time-stamps). No check reads the system clock or the network on its own.
 */
export interface ValidationContext {
  /** The validation time. */
  time: Date;
  clock: Clock;
  trust?: TrustStore;
  /** DER of the caller's extra intermediates. */
  intermediates: Uint8Array[];
  policy: ResolvedPolicy;
  revocation: { mode: RevocationMode; data: RevocationData; online: boolean; fetch?: typeof globalThis.fetch };
}

/**
 * Builds the {@link ValidationContext} of one verification call from its options.
 *
 * @example
 * ```ts
 * const context = await createValidationContext({ trust: 'vn', time: new Date('2025-01-01T00:00:00Z') });
 * const [a, b] = await Promise.all([verifyPdf(pdfA, { context }), verifyXml(xmlB, { context })]);
 * ```
 */
export async function createValidationContext(options: ValidationOptions = {}): Promise<ValidationContext> {
  if (options.context) return options.context;
  const clock = options.clock ?? systemClock;
  const resolved = await resolveTrust(options.trust);
  // online: missing intermediates are fetched from their caIssuers URLs too
  const trust =
    resolved && options.online && !resolved.issuerSource
      ? withIssuerFetching(resolved, { ...(options.fetch && { fetch: options.fetch }) })
      : resolved;
  return {
    time: options.time ?? clock(),
    clock,
    ...(trust && { trust }),
    intermediates: (options.intermediates ?? []).flatMap((i) => splitCertificates(i)),
    policy: withDefaults(options.policy),
    revocation: {
      mode: options.revocationMode ?? 'check-if-available',
      data: { ocsps: options.revocationData?.ocsps ?? [], crls: options.revocationData?.crls ?? [] },
      online: options.online ?? false,
      ...(options.fetch && { fetch: options.fetch }),
    },
  };
}

/**
 * The context's algorithm policy over OCSP responses and CRLs, the same as over signers (digest, RSA/EC key
 * size): a refused one establishes no revocation status.
 */
export function revocationSignaturePolicy(context: ValidationContext): RevocationSignatureCheck {
  return (s) => algorithmPolicyVerdict({ hashes: [s.algorithm.hash], key: s.key }, context.policy);
}

/**
 * What a path validation under the context is given for revocation: the context's mode, which the path
 * validation applies (RFC 5280 §6.3 and EN 319 102-1: `require` without data is TRY_LATER), and the check —
 * `embedded` (what the document carries) and the caller's data first, online only when allowed — judged at the
 * time the path is validated at (the validation time, or a proof of existence), each response and CRL under
 * the context's algorithm policy. No check under `off`.
 */
export function pathRevocationOf(
  context: ValidationContext,
  embedded: RevocationData = { ocsps: [], crls: [] },
): Pick<PathValidationOptions, 'revocation' | 'revocationMode'> {
  const r = context.revocation;
  if (r.mode === 'off') return { revocationMode: 'off' };
  const data: RevocationData = {
    ocsps: [...embedded.ocsps, ...r.data.ocsps],
    crls: [...embedded.crls, ...r.data.crls],
  };
  const signatureAcceptable = revocationSignaturePolicy(context);
  return {
    revocationMode: r.mode,
    revocation: (certificate, issuer, at) =>
      checkRevocation(certificate, issuer, {
        embedded: data,
        online: r.online,
        time: at.time,
        signatureAcceptable,
        ...(r.fetch && { fetch: r.fetch }),
      }),
  };
}

/**
 * Like {@link pathRevocationOf}, for formats whose documents rarely carry revocation data (XML, detached CMS):
 * a check only when there is something to check with — data embedded or given, online access — or the mode
 * `require`s it; otherwise the path is validated without revocation.
 */
export function pathRevocationIfAsked(
  context: ValidationContext,
  embedded: RevocationData = { ocsps: [], crls: [] },
): Pick<PathValidationOptions, 'revocation' | 'revocationMode'> {
  const r = context.revocation;
  const asked =
    r.mode === 'require' ||
    r.online ||
    embedded.ocsps.length + embedded.crls.length + r.data.ocsps.length + r.data.crls.length > 0;
  return asked ? pathRevocationOf(context, embedded) : { revocationMode: 'off' };
}

/** What a verifier asks of a path under its context (trust, revocation mode and data come from the context). */
export interface PathRequest {
  /** DER of the end-entity certificate. */
  certificate: Uint8Array;
  /** DER of the candidate intermediates (the signature's, the caller's, the document's). */
  intermediates: readonly Uint8Array[];
  /** The time the path is validated at: the context's, or a proof of existence. */
  time: Date;
  /** Default: `signing`. */
  purpose?: CertificatePurpose;
  /** Revocation data the document carries. Default: none. */
  embedded?: RevocationData;
  /** Revocation as {@link pathRevocationOf} (`always`) or {@link pathRevocationIfAsked} (`if-asked`) decides. */
  revocation: 'always' | 'if-asked';
}

/** Path results kept across verifications; each entry is keyed by every input of the result. */
export const PATH_CACHE_SIZE = 1024;
const paths = new LruCache<string, Promise<PathValidationResult>>(PATH_CACHE_SIZE);

/**
 * {@link validateCertificatePath} under the context, its result remembered: a batch of documents signed by the
 * same people under the same CAs validates each path once. The result is shared only by a request with the same
 * certificate, intermediates (in order), trust anchors and intermediates, time, purpose, revocation mode,
 * algorithm policy and revocation data (by their SHA-256) — never across different trust, time or revocation
 * settings. Nothing is kept when the answer may change by itself: online checks, or a trust store that fetches
 * issuers. The result is frozen.
 *
 * "The same time" is the same instant when revocation data is at hand or required (their freshness and the
 * reports depend on it). Without any, time enters a path only as each certificate's validity: then two
 * instants are the same time when every certificate the path may be built from is, at both, in the same one of
 * before / within / after its validity — a batch validated "now" shares one result while no certificate
 * starts or ends between its documents.
 *
 * @throws KysoError `ERR_INVALID_ARGUMENT` when the context has no trust anchors.
 */
export async function validatePathInContext(
  context: ValidationContext,
  request: PathRequest,
): Promise<PathValidationResult> {
  const trust = context.trust;
  if (!trust) throw new KysoError('ERR_INVALID_ARGUMENT', 'a path needs trust anchors');
  const embedded = request.embedded ?? { ocsps: [], crls: [] };
  const revocation =
    request.revocation === 'always' ? pathRevocationOf(context, embedded) : pathRevocationIfAsked(context, embedded);
  const run = () =>
    validateCertificatePath({
      certificate: request.certificate,
      intermediates: request.intermediates,
      trust,
      time: request.time,
      ...(request.purpose && { purpose: request.purpose }),
      ...revocation,
    }).then(deepFreeze);
  if (trust.issuerSource || context.revocation.online) return run();
  const leaf = await parseCertificate(request.certificate);
  const pool = await Promise.all(request.intermediates.map(decodedOrDigest));
  const checked = revocation.revocationMode !== 'off';
  const ocsps = checked ? [...embedded.ocsps, ...context.revocation.data.ocsps] : [];
  const crls = checked ? [...embedded.crls, ...context.revocation.data.crls] : [];
  const data = ocsps.length + crls.length > 0;
  const exactTime = revocation.revocationMode === 'require' || data;
  const candidates = [leaf, ...pool, ...trust.anchors, ...(trust.intermediates ?? [])];
  const key = [
    request.purpose ?? 'signing',
    revocation.revocationMode,
    exactTime ? request.time.getTime() : validityClass(request.time, candidates),
    // the algorithm policy judges the OCSP responses and CRLs the path relies on, and nothing else of it
    data ? JSON.stringify(context.policy) : '',
    leaf.fingerprintSha256,
    pool.map((c) => c.fingerprintSha256).join(','),
    trust.anchors.map((a) => a.fingerprintSha256).join(','),
    (trust.intermediates ?? []).map((c) => c.fingerprintSha256).join(','),
    await fingerprints(ocsps),
    await fingerprints(crls),
  ].join('|');
  return paths.getOrSet(key, run);
}

/** A certificate decoded, or for bytes that are none (a path skips them) just their SHA-256. */
async function decodedOrDigest(
  der: Uint8Array,
): Promise<Pick<Certificate, 'fingerprintSha256'> & Partial<Certificate>> {
  try {
    return await parseCertificate(der);
  } catch {
    return { fingerprintSha256: toHex(await digest('SHA-256', der)) };
  }
}

async function fingerprints(list: readonly Uint8Array[]): Promise<string> {
  return (await Promise.all(list.map((der) => digest('SHA-256', der)))).map(toHex).join(',');
}

/**
 * Where `time` falls against each certificate's validity, as the path processing compares them (RFC 5280
 * §6.1.3 (a)(2)): `b` before notBefore, `a` after notAfter, `v` within.
 */
function validityClass(time: Date, certificates: readonly Partial<Certificate>[]): string {
  const t = time.getTime();
  let out = '';
  for (const c of certificates)
    out += !c.notBefore || !c.notAfter ? '-' : t < c.notBefore.getTime() ? 'b' : t > c.notAfter.getTime() ? 'a' : 'v';
  return out;
}

/** The finding code of a path that is not valid: revocation the mode requires, or the path itself. */
export function chainFinding(chain: PathValidationResult): 'revocation-required' | 'chain-invalid' {
  return chain.status === 'revocation-unknown' ? 'revocation-required' : 'chain-invalid';
}

/**
 * After any path: OCSP responses and CRLs the algorithm policy refused are said; after a valid one, revocation
 * status not established for some certificate too (`require` has refused the path already).
 */
export function checkRevocationEstablished(chain: PathValidationResult, v: VerdictBuilder): void {
  for (const refusal of new Set(chain.revocation?.flatMap((r) => r.refused ?? [])))
    v.warn('revocation-algorithm-refused', refusal);
  if (chain.status !== 'valid') return;
  const open = chain.revocation?.filter((r) => r.status === 'unavailable' || r.status === 'unknown') ?? [];
  if (open.length) {
    v.warn(
      'revocation-unknown',
      `revocation status not established: ${open.map((r) => `${r.subject}: ${r.problems[0] ?? r.status}`).join('; ')}`,
    );
  }
}
