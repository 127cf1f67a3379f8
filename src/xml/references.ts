import { KysoError } from '../core/errors.js';
import { ENVELOPED_SIGNATURE } from './algorithms.js';
import { C14N_URIS, c14nFromUri, canonicalize, type C14nMethod } from './c14n.js';
import { elementsById } from './dom.js';

/** One step of a Reference's transform chain, among those kyso allows. */
export type ReferenceTransform = { kind: 'enveloped-signature' } | { kind: 'c14n'; method: C14nMethod; inclusivePrefixes?: string[] };

/**
 * How the enveloped-signature transform is applied:
 * - `spec`: XMLDSig — the Signature containing the transform leaves the node-set, whatever was
 *   referenced (an `Object` inside that Signature thus digests as the empty string);
 * - `dotnet`: .NET `SignedXml` — the referenced element is copied out on its own first, so the
 *   enclosing Signature is only removed when it lies inside the referenced element.
 */
export type EnvelopedRule = 'spec' | 'dotnet';

/** The URI of a transform. */
export function transformUri(t: ReferenceTransform): string {
  return t.kind === 'enveloped-signature' ? ENVELOPED_SIGNATURE : C14N_URIS[t.method];
}

/**
 * Reads a `Transform/@Algorithm` (and exclusive C14N's `InclusiveNamespaces/@PrefixList`). Anything but
 * enveloped-signature and the four C14N methods is refused: no XSLT, no XPath, no XPath Filter 2.0,
 * no Base64 — they make what is signed depend on code the document brings along.
 */
export function parseTransform(el: Element): ReferenceTransform {
  const uri = el.getAttribute('Algorithm') ?? '';
  if (uri === ENVELOPED_SIGNATURE) return { kind: 'enveloped-signature' };
  const method = c14nFromUri(uri);
  if (!method) throw new KysoError('ERR_XML_MALFORMED', `transform ${uri || '(none)'} is not allowed`);
  const prefixes = inclusivePrefixesOf(el);
  return prefixes ? { kind: 'c14n', method, inclusivePrefixes: prefixes } : { kind: 'c14n', method };
}

/** `InclusiveNamespaces/@PrefixList` under a transform or CanonicalizationMethod, split; `#default` kept. */
export function inclusivePrefixesOf(el: Element): string[] | undefined {
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).localName === 'InclusiveNamespaces' && (c as Element).namespaceURI === C14N_URIS['exc-c14n']) {
      return ((c as Element).getAttribute('PrefixList') ?? '').split(/\s+/).filter(Boolean);
    }
  }
  return undefined;
}

/** What a Reference URI points at. */
export type ReferenceTarget = { kind: 'document'; element: Element } | { kind: 'element'; element: Element };

/**
 * Resolves a same-document Reference URI: `""` is the whole document, `#id` the one element whose Id
 * attribute (`Id`, `ID`, `id`, `wsu:Id`) is `id`. Zero or several candidates, external URIs and
 * XPointer are errors: a verifier that picks "the first" element with an Id is open to wrapping.
 */
export function resolveReferenceUri(uri: string, doc: Document, elements: readonly Element[]): ReferenceTarget {
  if (uri === '') return { kind: 'document', element: doc.documentElement };
  if (!uri.startsWith('#') || uri.startsWith('#xpointer(')) {
    throw new KysoError('ERR_XML_MALFORMED', `Reference URI ${uri} is not supported (only "" and "#id")`);
  }
  const id = uri.slice(1);
  const found = elementsById(elements, id);
  if (found.length === 0) throw new KysoError('ERR_XML_PROFILE', `no element has the Id ${id}`);
  if (found.length > 1) throw new KysoError('ERR_XML_MALFORMED', `${found.length} elements have the Id ${id}`);
  return { kind: 'element', element: found[0]! };
}

/**
 * The octets a Reference digests: its transforms applied in order to the referenced node-set, then
 * (when the chain ends on a node-set) C14N 1.0. `signature` is the Signature element the Reference
 * belongs to. Same-document URIs select no comments, so the *WithComments methods render none here.
 */
export function referenceOctets(
  target: ReferenceTarget,
  transforms: readonly ReferenceTransform[],
  signature: Element,
  rule: EnvelopedRule = 'spec',
): string {
  const el = target.element;
  if (target.kind === 'document') assertNoDocumentLevelPi(el.ownerDocument);
  let exclude: Element | null = null;
  let out: string | undefined;
  for (const t of transforms) {
    if (out !== undefined) throw new KysoError('ERR_XML_MALFORMED', 'a transform after canonicalization is not supported');
    if (t.kind === 'enveloped-signature') {
      exclude = rule === 'spec' || signatureInside(signature, el) ? signature : null;
    } else {
      const method: C14nMethod = t.method === 'c14n-with-comments' ? 'c14n' : t.method === 'exc-c14n-with-comments' ? 'exc-c14n' : t.method;
      out = canonicalize(el, method, { exclude, inclusivePrefixes: t.inclusivePrefixes });
    }
  }
  return out ?? canonicalize(el, 'c14n', { exclude });
}

function signatureInside(signature: Element, el: Element): boolean {
  for (let n: Node | null = signature.parentNode; n; n = n.parentNode) if (n === el) return true;
  return false;
}

function assertNoDocumentLevelPi(doc: Document): void {
  for (let c = doc.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 7 && (c as ProcessingInstruction).target.toLowerCase() !== 'xml') {
      throw new KysoError('ERR_XML_MALFORMED', 'processing instructions around a whole-document signature are not supported');
    }
  }
}
