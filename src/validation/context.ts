import type { BinaryInput } from '../core/bytes.js';
import { systemClock, type Clock } from '../core/clock.js';
import { splitCertificates, type Certificate } from '../pki/certificate.js';
import { checkRevocation, type RevocationCheck, type RevocationData } from '../pki/revocation.js';
import { withIssuerFetching } from '../pki/issuer-fetch.js';
import { resolveTrust, type TrustInput } from '../pki/trust-input.js';
import type { TrustStore } from '../pki/trust-store.js';
import type { PathValidationResult } from '../pki/chain.js';
import type { VerdictBuilder } from './findings.js';
import { withDefaults, type ResolvedPolicy, type ValidationPolicy } from './policy.js';

/**
 * What to do about revocation: `check-if-available` (the default) uses the revocation data at hand and says so
 * when there is none; `require` makes missing revocation data INDETERMINATE (TRY_LATER); `off` checks nothing.
 */
export type RevocationMode = 'check-if-available' | 'require' | 'off';

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
 * The revocation check a path validation runs under the context's mode, looking first in `embedded` (what the
 * document carries) and the caller's data; undefined when the mode is `off`.
 */
export function revocationCheckerOf(
  context: ValidationContext,
  embedded: RevocationData = { ocsps: [], crls: [] },
): ((certificate: Certificate, issuer: Certificate, at: { time: Date }) => Promise<RevocationCheck>) | undefined {
  const r = context.revocation;
  if (r.mode === 'off') return undefined;
  const data: RevocationData = {
    ocsps: [...embedded.ocsps, ...r.data.ocsps],
    crls: [...embedded.crls, ...r.data.crls],
  };
  // judged at the time the path is validated at (the validation time, or a proof of existence)
  return (certificate, issuer, at) =>
    checkRevocation(certificate, issuer, {
      embedded: data,
      online: r.online,
      time: at.time,
      ...(r.fetch && { fetch: r.fetch }),
    });
}

/**
 * Like {@link revocationCheckerOf}, for formats whose documents rarely carry revocation data (XML, detached CMS):
 * a checker only when there is something to check with — data embedded or given, online access — or the mode
 * `require`s it; otherwise undefined, and the path is validated without revocation as before.
 */
export function revocationCheckerIfAsked(
  context: ValidationContext,
  embedded: RevocationData = { ocsps: [], crls: [] },
): ReturnType<typeof revocationCheckerOf> {
  const r = context.revocation;
  const asked =
    r.mode === 'require' ||
    r.online ||
    embedded.ocsps.length + embedded.crls.length + r.data.ocsps.length + r.data.crls.length > 0;
  return asked ? revocationCheckerOf(context, embedded) : undefined;
}

/**
 * After a valid path: revocation status not established for some certificate is a warning, or under the
 * `require` revocation mode INDETERMINATE / TRY_LATER (EN 319 102-1: the data may come later).
 */
export function checkRevocationEstablished(
  chain: PathValidationResult,
  context: ValidationContext,
  v: VerdictBuilder,
): void {
  const open = chain.revocation?.filter((r) => r.status === 'unavailable' || r.status === 'unknown') ?? [];
  if (context.revocation.mode === 'require' && (!chain.revocation || open.length)) {
    v.doubt(
      'revocation-required',
      'TRY_LATER',
      `revocation status required by the validation and not established${open.length ? `: ${open.map((r) => `${r.subject}: ${r.problems[0] ?? r.status}`).join('; ')}` : ''}`,
    );
  } else if (open.length) {
    v.warn(
      'revocation-unknown',
      `revocation status not established: ${open.map((r) => `${r.subject}: ${r.problems[0] ?? r.status}`).join('; ')}`,
    );
  }
}
