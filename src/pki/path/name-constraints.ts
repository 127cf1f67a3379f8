// RFC 5280 §4.2.1.10 / §6.1.3 (b), (c) and §6.1.4 (g): name constraints. Each constraining CA's
// permitted and excluded subtrees are kept as given; a name must lie in one permitted subtree of each CA
// that constrains its kind (which is the intersection RFC 5280 describes) and in no excluded subtree.
import { readNameAttributes } from '../name.js';
import type { Certificate } from '../certificate.js';
import { nameConstraints, subjectAltNames } from './extensions.js';
import type { GeneralName } from './general-names.js';
import { comparableRdns, isEmptyName } from './names.js';
import { OID } from '../../core/oids.js';

interface Constraint {
  from: string;
  permitted?: GeneralName[];
  excluded?: GeneralName[];
}

/** The name constraints met so far along a path. */
export class NameConstraintState {
  private readonly constraints: Constraint[] = [];

  /** 6.1.4 (g): adds the constraints of CA certificate `cert`. */
  add(cert: Certificate): void {
    const nc = nameConstraints(cert);
    if (nc) this.constraints.push({ from: cert.subject.display, ...nc });
  }

  /** 6.1.3 (b), (c): a problem when a name of `cert` breaks a constraint. */
  check(cert: Certificate): string | undefined {
    if (this.constraints.length === 0) return undefined;
    const names: GeneralName[] = [];
    if (!isEmptyName(cert.subjectDer)) names.push({ kind: 'directoryName', value: cert.subjectDer });
    const sans = subjectAltNames(cert);
    names.push(...sans);
    // An e-mail address in the subject DN is constrained as an rfc822Name (RFC 5280 §4.2.1.10).
    for (const a of readNameAttributes(cert.subjectDer))
      if (a.oid === OID.emailAddress) names.push({ kind: 'rfc822Name', value: a.value });
    for (const name of names) {
      for (const c of this.constraints) {
        const sameKind = (bases?: GeneralName[]) => (bases ?? []).filter((b) => kindOf(b) === kindOf(name));
        const permitted = sameKind(c.permitted);
        if (permitted.length && !permitted.some((b) => within(name, b)))
          return `${describe(name)} of "${cert.subject.display}" is outside the names "${c.from}" permits`;
        if (sameKind(c.excluded).some((b) => within(name, b)))
          return `${describe(name)} of "${cert.subject.display}" is among the names "${c.from}" excludes`;
        if (
          name.kind === 'other' &&
          (c.permitted ?? []).concat(c.excluded ?? []).some((b) => kindOf(b) === kindOf(name))
        ) {
          return `a name of "${cert.subject.display}" is of a kind whose constraints kyso does not apply`;
        }
      }
    }
    return undefined;
  }
}

function kindOf(n: GeneralName): string {
  return n.kind === 'other' ? `other:${n.tag}` : n.kind;
}

function describe(n: GeneralName): string {
  if (n.kind === 'directoryName') return 'the subject name';
  if (n.kind === 'iPAddress') return `the IP address ${[...n.value].join('.')}`;
  return `the ${n.kind} "${n.value}"`;
}

function within(name: GeneralName, base: GeneralName): boolean {
  if (name.kind === 'directoryName' && base.kind === 'directoryName') {
    const n = comparableRdns(name.value);
    const b = comparableRdns(base.value);
    return b.length <= n.length && b.every((rdn, i) => rdn === n[i]);
  }
  if (name.kind === 'dNSName' && base.kind === 'dNSName') return hostWithin(name.value, base.value);
  if (name.kind === 'rfc822Name' && base.kind === 'rfc822Name') {
    const at = name.value.lastIndexOf('@');
    if (base.value.includes('@')) return name.value.toLowerCase() === base.value.toLowerCase();
    const host = at >= 0 ? name.value.slice(at + 1) : name.value;
    return base.value.startsWith('.')
      ? host.toLowerCase().endsWith(base.value.toLowerCase())
      : host.toLowerCase() === base.value.toLowerCase();
  }
  if (name.kind === 'uniformResourceIdentifier' && base.kind === 'uniformResourceIdentifier') {
    const host = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(name.value)?.[1];
    if (!host) return false;
    return base.value.startsWith('.')
      ? host.toLowerCase().endsWith(base.value.toLowerCase())
      : host.toLowerCase() === base.value.toLowerCase();
  }
  if (name.kind === 'iPAddress' && base.kind === 'iPAddress') {
    const len = name.value.length;
    if (base.value.length !== 2 * len) return false;
    for (let i = 0; i < len; i++) {
      const mask = base.value[len + i]!;
      if ((name.value[i]! & mask) !== (base.value[i]! & mask)) return false;
    }
    return true;
  }
  return false;
}

/** A host within a DNS constraint: equal, or a subdomain of it (a base with a leading dot: subdomains only). */
function hostWithin(host: string, base: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const b = base.toLowerCase().replace(/\.$/, '');
  if (b === '') return true;
  if (b.startsWith('.')) return h.endsWith(b);
  return h === b || h.endsWith(`.${b}`);
}
