import { DOMParser } from '@xmldom/xmldom';
import { KysoError } from '../core/errors.js';
import { DEFAULT_XML_LIMITS, scanXml, type ElementSpan, type XmlLimits } from './scan.js';

/** The XMLDSig namespace. */
export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
/** The XAdES 1.3.2 namespace (also used by EN 319 132-1 for SigningCertificateV2). */
export const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';

/** A parsed document together with the text it came from and each element's place in that text. */
export interface ParsedXml {
  /** The document text, byte-order mark removed. */
  text: string;
  /** True when the input started with a UTF-8 byte-order mark (kept on output). */
  bom: boolean;
  doc: Document;
  /** Every element in document order; `elements[i]` is the element of `spans[i]`. */
  elements: Element[];
  spans: ElementSpan[];
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Parses XML the safe way: UTF-8 only, size-capped, no DOCTYPE, no entity declarations, strict
 * well-formedness (checked by {@link scanXml} before the DOM parser, whose every warning is fatal),
 * every prefix bound. The DOM and the scanner must agree element by element.
 */
export function parseXml(input: string | Uint8Array, limits: XmlLimits = {}): ParsedXml {
  const maxBytes = limits.maxBytes ?? DEFAULT_XML_LIMITS.maxBytes;
  let text: string;
  if (typeof input === 'string') {
    if (input.length > maxBytes) throw new KysoError('ERR_XML_LIMIT', `XML larger than ${maxBytes} bytes`);
    text = input;
  } else {
    if (input.length > maxBytes) throw new KysoError('ERR_XML_LIMIT', `XML larger than ${maxBytes} bytes`);
    try {
      text = utf8Decoder.decode(input);
    } catch (cause) {
      throw new KysoError('ERR_XML_MALFORMED', 'XML is not valid UTF-8', { cause });
    }
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  const decl = /^<\?xml\s[^?]*encoding\s*=\s*["']([^"']+)["']/.exec(text);
  if (decl && decl[1]!.toLowerCase() !== 'utf-8' && decl[1]!.toLowerCase() !== 'utf8') {
    throw new KysoError('ERR_XML_MALFORMED', `XML encoding ${decl[1]} is not supported; kyso reads UTF-8 only`);
  }
  const spans = scanXml(text, limits);
  const fatal = (level: string) => (msg: string) => {
    throw new KysoError('ERR_XML_MALFORMED', `XML ${level}: ${String(msg).split('\n')[0]}`);
  };
  let doc: Document;
  try {
    doc = new DOMParser({
      errorHandler: { warning: fatal('warning'), error: fatal('error'), fatalError: fatal('error') },
    }).parseFromString(text, 'text/xml');
  } catch (cause) {
    if (cause instanceof KysoError) throw cause;
    throw new KysoError('ERR_XML_MALFORMED', `XML cannot be parsed: ${(cause as Error).message}`, { cause });
  }
  const elements = elementsInOrder(doc);
  if (elements.length !== spans.length || elements.some((e, i) => e.tagName !== spans[i]!.name)) {
    throw new KysoError('ERR_XML_MALFORMED', 'XML parser and scanner disagree about the element structure');
  }
  for (const el of elements) {
    if (el.prefix && !el.namespaceURI)
      throw new KysoError('ERR_XML_MALFORMED', `prefix ${el.prefix} of <${el.tagName}> is not declared`);
    for (let i = 0; i < el.attributes.length; i++) {
      const a = el.attributes[i]!;
      if (a.prefix && a.prefix !== 'xmlns' && !a.namespaceURI) {
        throw new KysoError('ERR_XML_MALFORMED', `prefix ${a.prefix} of attribute ${a.name} is not declared`);
      }
    }
  }
  return { text, bom, doc, elements, spans };
}

/** All elements of `root` (a document or an element, itself included) in document order. */
export function elementsInOrder(root: Node): Element[] {
  const out: Element[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.nodeType === 1) out.push(node as Element);
    for (let c = node.lastChild; c; c = c.previousSibling) if (c.nodeType === 1 || c.nodeType === 9) stack.push(c);
  }
  return out;
}

/** The element children of `el`. */
export function childElements(el: Node): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
}

/** True when `el` is `{ns}local`. */
export function isElement(node: Node | null | undefined, ns: string, local: string): node is Element {
  return (
    !!node && node.nodeType === 1 && (node as Element).localName === local && (node as Element).namespaceURI === ns
  );
}

/** The dsig children of `el` named `local`. */
export function dsigChildren(el: Element, local: string): Element[] {
  return childElements(el).filter((c) => isElement(c, DSIG_NS, local));
}

/** True when `node` is `ancestor` or inside it. */
export function isWithin(node: Node, ancestor: Node): boolean {
  for (let n: Node | null = node; n; n = n.parentNode) if (n === ancestor) return true;
  return false;
}

/**
 * A readable path of `el` from the root, with positions among same-named siblings:
 * `/HDon[1]/DSCKS[1]/NBan[1]/Signature[1]`.
 */
export function elementPath(el: Element): string {
  const steps: string[] = [];
  for (let n: Node | null = el; n && n.nodeType === 1; n = n.parentNode) {
    const e = n as Element;
    let pos = 1;
    for (let s = e.previousSibling; s; s = s.previousSibling)
      if (s.nodeType === 1 && (s as Element).tagName === e.tagName) pos++;
    steps.unshift(`${e.tagName}[${pos}]`);
  }
  return '/' + steps.join('/');
}

/** The text of an element's children, concatenated (comments and elements skipped). */
export function textOf(el: Element): string {
  let s = '';
  for (let c = el.firstChild; c; c = c.nextSibling)
    if (c.nodeType === 3 || c.nodeType === 4) s += (c as CharacterData).data;
  return s;
}

/** True when the element has a comment or an element among its children (a value element must not). */
export function hasMarkupChildren(el: Element): boolean {
  for (let c = el.firstChild; c; c = c.nextSibling)
    if (c.nodeType === 1 || c.nodeType === 8 || c.nodeType === 7) return true;
  return false;
}

/** Attribute names that XMLDSig `#id` references may point at (no DTD, so Id-ness is by convention). */
export const ID_ATTRIBUTES = ['Id', 'ID', 'id'] as const;
const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

/** Every element whose Id attribute (`Id`, `ID`, `id` or `wsu:Id`) equals `id`. */
export function elementsById(elements: readonly Element[], id: string): Element[] {
  if (!id) return [];
  return elements.filter(
    (el) =>
      ID_ATTRIBUTES.some((a) => el.hasAttribute(a) && el.getAttribute(a) === id) ||
      (el.hasAttributeNS(WSU_NS, 'Id') && el.getAttributeNS(WSU_NS, 'Id') === id),
  );
}

const encoder = new TextEncoder();

/** UTF-8 bytes of `s` (canonical XML is UTF-8). */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Escapes text for an XML attribute value or text node. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
