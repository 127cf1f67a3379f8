// Canonicalisation comes from xml-crypto, never from kyso: this module only chooses the algorithm,
// supplies the in-scope namespaces a document subset needs, and applies the one node-set operation
// XMLDSig asks of us (leaving out the enveloping Signature).
import { C14nCanonicalization, C14nCanonicalizationWithComments } from 'xml-crypto/lib/c14n-canonicalization.js';
import {
  ExclusiveCanonicalization,
  ExclusiveCanonicalizationWithComments,
} from 'xml-crypto/lib/exclusive-canonicalization.js';
import { findAncestorNsForElement } from 'xml-crypto/lib/utils.js';
import { KysoError } from '../core/errors.js';
import { isWithin } from './dom.js';

/** The canonicalisation methods kyso signs and verifies with. */
export type C14nMethod = 'c14n' | 'c14n-with-comments' | 'exc-c14n' | 'exc-c14n-with-comments';

/** Algorithm URIs of the {@link C14nMethod}s. */
export const C14N_URIS: Record<C14nMethod, string> = {
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'c14n-with-comments': 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  'exc-c14n': 'http://www.w3.org/2001/10/xml-exc-c14n#',
  'exc-c14n-with-comments': 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
};

/** The method of an algorithm URI, or `undefined`. */
export function c14nFromUri(uri: string): C14nMethod | undefined {
  return (Object.keys(C14N_URIS) as C14nMethod[]).find((m) => C14N_URIS[m] === uri);
}

/** Options of {@link canonicalize}. */
export interface CanonicalizeOptions {
  /** Exclusive C14N `InclusiveNamespaces/@PrefixList`. */
  inclusivePrefixes?: readonly string[];
  /** Elements left out of the node-set with their subtrees (enveloped-signature and its XPath form). */
  exclude?: readonly Element[];
}

/**
 * Canonical form of the subtree of `el` as UTF-8 text. An excluded element that contains `el` leaves
 * nothing (the empty octet string); those inside `el` are detached for the duration of the call.
 */
export function canonicalize(el: Element, method: C14nMethod, opts: CanonicalizeOptions = {}): string {
  const exclude = opts.exclude ?? [];
  if (exclude.some((x) => isWithin(el, x))) return '';
  assertCanonicalizable(el, exclude, method);
  const reattach = exclude.filter((x) => isWithin(x, el)).map(detach);
  try {
    if (method === 'c14n' || method === 'c14n-with-comments') {
      const algo = method === 'c14n' ? new C14nCanonicalization() : new C14nCanonicalizationWithComments();
      return algo.process(el, { ancestorNamespaces: findAncestorNsForElement(el) });
    }
    const algo = method === 'exc-c14n' ? new ExclusiveCanonicalization() : new ExclusiveCanonicalizationWithComments();
    const prefixes = [...(opts.inclusivePrefixes ?? [])];
    if (!prefixes.length) return algo.process(el, { inclusiveNamespacesPrefixList: [] });
    // xml-crypto renders an ancestor's inclusive prefix by adding the declaration to the apex element;
    // take it off again so that the caller's tree is left as it was.
    const before = new Set(Array.from(el.attributes, (a) => a.name));
    try {
      return algo.process(el, {
        inclusiveNamespacesPrefixList: prefixes,
        ancestorNamespaces: findAncestorNsForElement(el),
      });
    } finally {
      for (const a of Array.from(el.attributes)) if (!before.has(a.name)) el.removeAttributeNode(a);
    }
  } finally {
    for (const undo of reattach.reverse()) undo();
  }
}

function detach(node: Element): () => void {
  const parent = node.parentNode;
  if (!parent) return () => undefined;
  const next = node.nextSibling;
  parent.removeChild(node);
  return () => void parent.insertBefore(node, next);
}

/**
 * Refuses what xml-crypto's canonicalizers would render wrongly rather than produce a digest no other
 * implementation agrees with: processing instructions inside the subset, and (inclusive C14N) `xml:`
 * attributes on ancestors, which C14N 1.0 would import into the apex.
 */
function assertCanonicalizable(el: Element, exclude: readonly Element[], method: C14nMethod): void {
  const stack: Node[] = [el];
  while (stack.length) {
    const n = stack.pop()!;
    if (exclude.includes(n as Element)) continue;
    if (n.nodeType === 7) {
      throw new KysoError('ERR_XML_MALFORMED', 'processing instructions inside signed XML content are not supported');
    }
    for (let c = n.firstChild; c; c = c.nextSibling) stack.push(c);
  }
  if (method === 'c14n' || method === 'c14n-with-comments') {
    for (let p = el.parentNode; p && p.nodeType === 1; p = p.parentNode) {
      const attrs = (p as Element).attributes;
      for (let i = 0; i < attrs.length; i++) {
        if (attrs[i]!.prefix === 'xml') {
          throw new KysoError(
            'ERR_XML_MALFORMED',
            `inclusive C14N of a subtree below an xml:${attrs[i]!.localName} attribute is not supported`,
          );
        }
      }
    }
  }
}
