// RFC 5280 §6.1 certificate policy processing: the valid_policy_tree with its state variables
// (explicit_policy, inhibit_anyPolicy, policy_mapping), steps 6.1.3 (d)–(f), 6.1.4 (a)–(b), (h)–(j) and
// 6.1.5 (a), (b), (g).
import type { Certificate } from '../certificate.js';
import { PATH_OID, certificatePolicies, inhibitAnyPolicy, policyConstraints, policyMappings } from './extensions.js';

const ANY = PATH_OID.anyPolicy;

interface PolicyNode {
  validPolicy: string;
  qualifiers: Uint8Array[];
  expected: Set<string>;
  depth: number;
  parent?: PolicyNode;
  children: PolicyNode[];
}

/** The policy inputs of RFC 5280 §6.1.1 (c), (e), (f), (g). */
export interface PolicyInputs {
  /** user-initial-policy-set. Default: anyPolicy. */
  initialPolicySet?: readonly string[];
  /** initial-explicit-policy. Default: false. */
  explicitPolicy?: boolean;
  /** initial-policy-mapping-inhibit. Default: false. */
  inhibitPolicyMapping?: boolean;
  /** initial-any-policy-inhibit. Default: false. */
  inhibitAnyPolicy?: boolean;
}

/** The policy state of a path being processed. */
export class PolicyState {
  private root: PolicyNode | undefined = {
    validPolicy: ANY,
    qualifiers: [],
    expected: new Set([ANY]),
    depth: 0,
    children: [],
  };
  private explicit: number;
  private anyInhibit: number;
  private mapping: number;

  constructor(
    private readonly n: number,
    private readonly inputs: PolicyInputs,
  ) {
    this.explicit = inputs.explicitPolicy ? 0 : n + 1;
    this.anyInhibit = inputs.inhibitAnyPolicy ? 0 : n + 1;
    this.mapping = inputs.inhibitPolicyMapping ? 0 : n + 1;
  }

  private nodesAt(depth: number): PolicyNode[] {
    const out: PolicyNode[] = [];
    const walk = (node: PolicyNode) => {
      if (node.depth === depth) out.push(node);
      else node.children.forEach(walk);
    };
    if (this.root) walk(this.root);
    return out;
  }

  private add(parent: PolicyNode, validPolicy: string, qualifiers: Uint8Array[], expected: Set<string>): void {
    parent.children.push({ validPolicy, qualifiers, expected, depth: parent.depth + 1, parent, children: [] });
  }

  private remove(node: PolicyNode): void {
    if (!node.parent) this.root = undefined;
    else node.parent.children = node.parent.children.filter((c) => c !== node);
  }

  /** Removes the nodes above `depth` left without children. */
  private prune(depth: number): void {
    for (let d = depth - 1; d >= 0; d--)
      for (const node of this.nodesAt(d)) if (node.children.length === 0) this.remove(node);
  }

  /** 6.1.3 (d)–(f) for certificate `i` (1-based from the anchor). Returns a problem, or undefined. */
  processCertificate(cert: Certificate, i: number): string | undefined {
    const policies = certificatePolicies(cert);
    if (policies && this.root) {
      const parents = this.nodesAt(i - 1);
      for (const { policy, qualifiers } of policies) {
        if (policy === ANY) continue;
        const matching = parents.filter((p) => p.expected.has(policy));
        if (matching.length) for (const p of matching) this.add(p, policy, qualifiers, new Set([policy]));
        else
          for (const p of parents.filter((p) => p.validPolicy === ANY))
            this.add(p, policy, qualifiers, new Set([policy]));
      }
      const any = policies.find((p) => p.policy === ANY);
      if (any && (this.anyInhibit > 0 || (i < this.n && cert.selfIssued))) {
        for (const p of parents) {
          for (const value of p.expected) {
            if (!p.children.some((c) => c.validPolicy === value)) this.add(p, value, any.qualifiers, new Set([value]));
          }
        }
      }
      this.prune(i);
    }
    if (!policies) this.root = undefined;
    if (this.explicit <= 0 && !this.root)
      return `no acceptable certificate policy at "${cert.subject.display}" while an explicit policy is required`;
    return undefined;
  }

  /** 6.1.4 (a), (b), (h)–(j): preparation after intermediate certificate `i`. */
  prepareNext(cert: Certificate, i: number): string | undefined {
    const mappings = policyMappings(cert);
    if (mappings) {
      if (mappings.some((m) => m.issuer === ANY || m.subject === ANY))
        return `"${cert.subject.display}" maps anyPolicy, which RFC 5280 forbids`;
      const byIssuer = new Map<string, Set<string>>();
      for (const m of mappings) byIssuer.set(m.issuer, (byIssuer.get(m.issuer) ?? new Set()).add(m.subject));
      for (const [idp, subjects] of byIssuer) {
        const nodes = this.nodesAt(i);
        const withIdp = nodes.filter((n) => n.validPolicy === idp);
        if (this.mapping > 0) {
          if (withIdp.length) for (const node of withIdp) node.expected = new Set(subjects);
          else {
            const anyNode = nodes.find((n) => n.validPolicy === ANY);
            if (anyNode?.parent) this.add(anyNode.parent, idp, anyNode.qualifiers, new Set(subjects));
          }
        } else {
          for (const node of withIdp) this.remove(node);
          this.prune(i);
        }
      }
    }
    if (!cert.selfIssued) {
      if (this.explicit > 0) this.explicit--;
      if (this.mapping > 0) this.mapping--;
      if (this.anyInhibit > 0) this.anyInhibit--;
    }
    const pc = policyConstraints(cert);
    if (pc?.requireExplicitPolicy !== undefined && pc.requireExplicitPolicy < this.explicit)
      this.explicit = pc.requireExplicitPolicy;
    if (pc?.inhibitPolicyMapping !== undefined && pc.inhibitPolicyMapping < this.mapping)
      this.mapping = pc.inhibitPolicyMapping;
    const inhibit = inhibitAnyPolicy(cert);
    if (inhibit !== undefined && inhibit < this.anyInhibit) this.anyInhibit = inhibit;
    return undefined;
  }

  /** 6.1.5 (a), (b), (g) for the end-entity certificate. Returns the valid policy set, or a problem. */
  wrapUp(leaf: Certificate): { policies: string[] } | { problem: string } {
    if (this.explicit > 0) this.explicit--;
    if (policyConstraints(leaf)?.requireExplicitPolicy === 0) this.explicit = 0;
    const user = this.inputs.initialPolicySet;
    if (this.root && user && !user.includes(ANY)) {
      const wanted = new Set(user);
      const nodeSet: PolicyNode[] = [];
      const walk = (node: PolicyNode) => {
        for (const c of node.children) {
          if (node.validPolicy === ANY) nodeSet.push(c);
          walk(c);
        }
      };
      walk(this.root);
      for (const node of nodeSet) if (node.validPolicy !== ANY && !wanted.has(node.validPolicy)) this.remove(node);
      const anyLeaf = this.nodesAt(this.n).find((node) => node.validPolicy === ANY);
      if (anyLeaf?.parent) {
        const present = new Set(nodeSet.map((node) => node.validPolicy));
        for (const p of wanted) if (!present.has(p)) this.add(anyLeaf.parent, p, anyLeaf.qualifiers, new Set([p]));
        this.remove(anyLeaf);
      }
      if (this.root) this.prune(this.n);
    }
    if (this.explicit <= 0 && !this.root)
      return { problem: 'the path has no certificate policy acceptable to the validation (explicit policy required)' };
    return { policies: this.root ? [...new Set(this.nodesAt(this.n).map((node) => node.validPolicy))] : [] };
  }
}
