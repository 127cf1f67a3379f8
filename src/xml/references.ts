import { fromBase64 } from '../core/bytes.js';
import { KysoError } from '../core/errors.js';
import { ENVELOPED_SIGNATURE } from './algorithms.js';
import { C14N_URIS, c14nFromUri, canonicalize, type C14nMethod } from './c14n.js';
import { DSIG_NS, childElements, elementsById, elementsInOrder, isElement, isWithin, utf8 } from './dom.js';

/** One step of a Reference's transform chain, among those kyso allows. */
export type ReferenceTransform =
  | { kind: 'enveloped-signature' }
  | { kind: 'c14n'; method: C14nMethod; inclusivePrefixes?: string[] }
  | { kind: 'base64' }
  /** XPath `not(ancestor-or-self::ds:Signature)` (DSS and other Java signers): every Signature left out. */
  | { kind: 'xpath-not-signature' };

/**
 * How the enveloped-signature transform is applied:
 * - `spec`: XMLDSig — the Signature containing the transform leaves the node-set, whatever was
 *   referenced (an `Object` inside that Signature thus digests as the empty string);
 * - `dotnet`: .NET `SignedXml` — the referenced element is copied out on its own first, so the
 *   enclosing Signature is only removed when it lies inside the referenced element.
 */
export type EnvelopedRule = 'spec' | 'dotnet';

const BASE64_TRANSFORM = 'http://www.w3.org/2000/09/xmldsig#base64';
const XPATH_TRANSFORM = 'http://www.w3.org/TR/1999/REC-xpath-19991116';

/** The URI of a transform. */
export function transformUri(t: ReferenceTransform): string {
  switch (t.kind) {
    case 'enveloped-signature':
      return ENVELOPED_SIGNATURE;
    case 'base64':
      return BASE64_TRANSFORM;
    case 'xpath-not-signature':
      return XPATH_TRANSFORM;
    case 'c14n':
      return C14N_URIS[t.method];
  }
}

/**
 * Reads a `Transform`. Allowed: enveloped-signature, the four C14N methods (exclusive with
 * `InclusiveNamespaces/@PrefixList`), Base64, and the one XPath expression that only restates
 * enveloped-signature for every signature, `not(ancestor-or-self::ds:Signature)` with `ds` bound to the
 * XMLDSig namespace — recognised as text, never evaluated. Any other XPath, XPath Filter 2.0 and XSLT
 * are refused: they make what is signed depend on code the document brings along.
 */
export function parseTransform(el: Element): ReferenceTransform {
  const uri = el.getAttribute('Algorithm') ?? '';
  if (uri === ENVELOPED_SIGNATURE) return { kind: 'enveloped-signature' };
  if (uri === BASE64_TRANSFORM) return { kind: 'base64' };
  if (uri === XPATH_TRANSFORM && isNotSignatureXPath(el)) return { kind: 'xpath-not-signature' };
  const method = c14nFromUri(uri);
  if (!method) throw new KysoError('ERR_XML_MALFORMED', `transform ${uri || '(none)'} is not allowed`);
  const prefixes = inclusivePrefixesOf(el);
  return prefixes ? { kind: 'c14n', method, inclusivePrefixes: prefixes } : { kind: 'c14n', method };
}

function isNotSignatureXPath(transform: Element): boolean {
  const kids = childElements(transform);
  const xpath = kids[0];
  if (kids.length !== 1 || !isElement(xpath, DSIG_NS, 'XPath')) return false;
  const m = /^not\(ancestor-or-self::([A-Za-z_][\w.-]*):Signature\)$/.exec(
    (xpath.textContent ?? '').replace(/\s+/g, ''),
  );
  return !!m && xpath.lookupNamespaceURI(m[1]!) === DSIG_NS;
}

/** `InclusiveNamespaces/@PrefixList` under a transform or CanonicalizationMethod, split; `#default` kept. */
export function inclusivePrefixesOf(el: Element): string[] | undefined {
  for (const c of childElements(el)) {
    if (c.localName === 'InclusiveNamespaces' && c.namespaceURI === C14N_URIS['exc-c14n']) {
      return (c.getAttribute('PrefixList') ?? '').split(/\s+/).filter(Boolean);
    }
  }
  return undefined;
}

/** What a Reference URI points at. */
export type ReferenceTarget = { kind: 'document'; element: Element } | { kind: 'element'; element: Element };

/** True for the same-document URIs kyso resolves: `""` and `#id` (no XPointer). */
export function isSameDocumentUri(uri: string): boolean {
  return uri === '' || (uri.length > 1 && uri.startsWith('#') && !uri.startsWith('#xpointer('));
}

/**
 * Resolves a same-document Reference URI: `""` is the whole document, `#id` the one element whose Id
 * attribute (`Id`, `ID`, `id`, `wsu:Id`) is `id`. Zero or several candidates, external URIs and
 * XPointer are errors: a verifier that picks "the first" element with an Id is open to wrapping.
 */
export function resolveReferenceUri(uri: string, doc: Document, elements: readonly Element[]): ReferenceTarget {
  if (uri === '') return { kind: 'document', element: doc.documentElement };
  if (!isSameDocumentUri(uri))
    throw new KysoError('ERR_XML_MALFORMED', `Reference URI ${uri} is not supported (only "" and "#id")`);
  const id = uri.slice(1);
  const found = elementsById(elements, id);
  if (found.length === 0) throw new KysoError('ERR_XML_PROFILE', `no element has the Id ${id}`);
  if (found.length > 1) throw new KysoError('ERR_XML_MALFORMED', `${found.length} elements have the Id ${id}`);
  return { kind: 'element', element: found[0]! };
}

/** What a Reference digests. */
export interface ReferenceOutput {
  octets: Uint8Array;
  /** The canonical XML, when the chain ends in XML (not after Base64). */
  xml?: string;
  /** Elements the transforms left out of the referenced node-set, with their subtrees. */
  excluded: Element[];
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
): ReferenceOutput {
  const el = target.element;
  if (target.kind === 'document') assertNoDocumentLevelPi(el.ownerDocument);
  const exclude: Element[] = [];
  let out: ReferenceOutput | undefined;
  for (const t of transforms) {
    if (out !== undefined)
      throw new KysoError('ERR_XML_MALFORMED', 'a transform after the node-set became octets is not supported');
    switch (t.kind) {
      case 'enveloped-signature':
        if (rule === 'spec' || isWithin(signature, el)) exclude.push(signature);
        break;
      case 'xpath-not-signature':
        exclude.push(...signaturesAround(el));
        break;
      case 'base64':
        out = { octets: fromBase64(nodeSetText(el, exclude)), excluded: exclude };
        break;
      case 'c14n': {
        const method: C14nMethod =
          t.method === 'c14n-with-comments' ? 'c14n' : t.method === 'exc-c14n-with-comments' ? 'exc-c14n' : t.method;
        const xml = canonicalize(el, method, { exclude, inclusivePrefixes: t.inclusivePrefixes });
        out = { octets: utf8(xml), xml, excluded: exclude };
      }
    }
  }
  if (out) return out;
  const xml = canonicalize(el, 'c14n', { exclude });
  return { octets: utf8(xml), xml, excluded: exclude };
}

/** Signature elements that are `el`, contain it, or lie inside it. */
function signaturesAround(el: Element): Element[] {
  for (let n: Node | null = el; n; n = n.parentNode) if (isElement(n, DSIG_NS, 'Signature')) return [n];
  return elementsInOrder(el).filter((e) => isElement(e, DSIG_NS, 'Signature'));
}

/** The Base64 transform's input: the text nodes of the node-set, in document order. */
function nodeSetText(el: Element, exclude: readonly Element[]): string {
  if (exclude.some((x) => isWithin(el, x))) return '';
  let s = '';
  const stack: Node[] = [el];
  while (stack.length) {
    const n = stack.pop()!;
    if (exclude.includes(n as Element)) continue;
    if (n.nodeType === 3 || n.nodeType === 4) s += (n as CharacterData).data;
    for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return s;
}

function assertNoDocumentLevelPi(doc: Document): void {
  for (let c = doc.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 7 && (c as ProcessingInstruction).target.toLowerCase() !== 'xml') {
      throw new KysoError(
        'ERR_XML_MALFORMED',
        'processing instructions around a whole-document signature are not supported',
      );
    }
  }
}
