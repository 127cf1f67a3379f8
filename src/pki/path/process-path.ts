// RFC 5280 §6.1 basic path processing of one candidate path, once its signatures are known to verify:
// validity at the validation time, basic constraints and path length (self-issued certificates not
// counted), keyCertSign, critical extensions, name constraints and certificate policies.
import type { SubIndication } from '../../core/indication.js';
import type { Certificate } from '../certificate.js';
import { unknownCriticalExtensions } from './extensions.js';
import { NameConstraintState } from './name-constraints.js';
import { PolicyState, type PolicyInputs } from './policies.js';

/** Why a path is refused, in the terms of PathValidationResult. */
export interface PathRefusal {
  status: 'expired' | 'not-yet-valid' | 'not-ca' | 'constraints';
  subIndication: SubIndication;
  problem: string;
}

/** Runs §6.1.2–§6.1.5 over `path` (leaf first, trust anchor last). */
export function processPath(
  path: readonly Certificate[],
  time: Date,
  inputs: PolicyInputs,
): { policies: string[] } | PathRefusal {
  const t = time.getTime();
  for (const c of path) {
    if (t < c.notBefore.getTime())
      return {
        status: 'not-yet-valid',
        subIndication: 'NOT_YET_VALID',
        problem: `"${c.subject.display}" is not valid before ${c.notBefore.toISOString()}`,
      };
    if (t > c.notAfter.getTime())
      return {
        status: 'expired',
        subIndication: 'OUT_OF_BOUNDS_NO_POE',
        problem: `"${c.subject.display}" expired on ${c.notAfter.toISOString()}`,
      };
  }
  const refuse = (problem: string, status: PathRefusal['status'] = 'constraints'): PathRefusal => ({
    status,
    subIndication: 'CHAIN_CONSTRAINTS_FAILURE',
    problem,
  });
  const anchor = path[path.length - 1]!;
  const oldStyleRoot = anchor.selfIssued && !anchor.basicConstraints;
  // a certificate trusted directly (the signer's own, as a self-signed test certificate is) vouches for no one else
  const trustedDirectly = path.length === 1;
  if (!trustedDirectly && !oldStyleRoot && !anchor.basicConstraints?.ca)
    return refuse(`"${anchor.subject.display}" is not a CA certificate`, 'not-ca');
  if (!trustedDirectly && anchor.keyUsage && !anchor.keyUsage.includes('keyCertSign'))
    return refuse(`"${anchor.subject.display}" may not sign certificates`, 'not-ca');

  const n = path.length - 1;
  const policies = new PolicyState(n, inputs);
  const names = new NameConstraintState();
  // An anchor's own pathLenConstraint is kept, as kyso always has.
  let maxPathLength = Math.min(n, anchor.basicConstraints?.pathLength ?? n);
  for (let i = 1; i <= n; i++) {
    const cert = path[n - i]!;
    const isLeaf = i === n;
    if (!cert.selfIssued || isLeaf) {
      const broken = names.check(cert);
      if (broken) return refuse(broken);
    }
    const policyProblem = policies.processCertificate(cert, i);
    if (policyProblem) return refuse(policyProblem);
    const unknown = unknownCriticalExtensions(cert);
    if (unknown.length)
      return refuse(
        `"${cert.subject.display}" has a critical extension kyso does not understand (${unknown.join(', ')})`,
      );
    if (isLeaf) break;
    const mappingProblem = policies.prepareNext(cert, i);
    if (mappingProblem) return refuse(mappingProblem);
    names.add(cert);
    if (!cert.basicConstraints?.ca) return refuse(`"${cert.subject.display}" is not a CA certificate`, 'not-ca');
    if (!cert.selfIssued) {
      if (maxPathLength <= 0)
        return refuse(`the path is longer than a pathLenConstraint above "${cert.subject.display}" allows`, 'not-ca');
      maxPathLength--;
    }
    const pathLength = cert.basicConstraints.pathLength;
    if (pathLength !== undefined && pathLength < maxPathLength) maxPathLength = pathLength;
    if (cert.keyUsage && !cert.keyUsage.includes('keyCertSign'))
      return refuse(`"${cert.subject.display}" may not sign certificates`, 'not-ca');
  }
  const outcome = policies.wrapUp(path[0]!);
  return 'problem' in outcome ? refuse(outcome.problem) : outcome;
}
