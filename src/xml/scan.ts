import { KysoError } from '../core/errors.js';

/**
 * Where one element sits in the source text. Offsets are UTF-16 indexes into the text that was
 * scanned, so that a signature can be spliced into the document without re-serialising it.
 */
export interface ElementSpan {
  /** The qualified name as written (`HDon`, `ds:Signature`). */
  name: string;
  /** Index of the `<` of the start tag. */
  start: number;
  /** Index just after the `>` of the start tag (after `/>` for an empty-element tag). */
  startTagEnd: number;
  /** Index of the `<` of the end tag; equals `startTagEnd` for an empty-element tag. */
  endTagStart: number;
  /** Index just after the `>` of the end tag (or of the empty-element tag). */
  end: number;
  /** True for `<x/>`. */
  selfClosing: boolean;
}

/** Caps applied while reading XML. */
export interface XmlLimits {
  /** Largest input accepted, in bytes (UTF-8). Default: 50 MiB. */
  maxBytes?: number;
  /** Deepest element nesting accepted. Default: 256. */
  maxDepth?: number;
  /** Most elements accepted. Default: 1,000,000. */
  maxElements?: number;
  /** Most attributes on one element. Default: 256. */
  maxAttributes?: number;
}

/** The caps used when none are given. */
export const DEFAULT_XML_LIMITS: Required<XmlLimits> = {
  maxBytes: 50 * 1024 * 1024,
  maxDepth: 256,
  maxElements: 1_000_000,
  maxAttributes: 256,
};

const NAME = /[^\s/>=<"'!?&;]+/y;
const WS = /[ \t\r\n]*/y;
const REF = /&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/y;

/**
 * Checks that `text` is a well-formed XML document kyso accepts and returns every element's span in
 * document order. Refused: any `<!DOCTYPE` or other markup declaration (so no DTD, no entity
 * declarations), references other than the five predefined entities and character references, text or
 * a second element outside the root, unbalanced tags, and inputs past `limits`.
 *
 * This is the strict gate in front of the DOM parser (xmldom is lenient: it repairs unbalanced tags
 * with only a warning); it never interprets content, so it cannot disagree with the parser about
 * what an element contains — the caller cross-checks both views element by element.
 */
export function scanXml(text: string, limits: XmlLimits = {}): ElementSpan[] {
  const maxDepth = limits.maxDepth ?? DEFAULT_XML_LIMITS.maxDepth;
  const maxElements = limits.maxElements ?? DEFAULT_XML_LIMITS.maxElements;
  const maxAttributes = limits.maxAttributes ?? DEFAULT_XML_LIMITS.maxAttributes;
  const spans: ElementSpan[] = [];
  const open: number[] = [];
  let rootSeen = false;
  let at = 0;
  const n = text.length;

  const fail = (msg: string): never => {
    throw new KysoError('ERR_XML_MALFORMED', `not well-formed XML at offset ${at}: ${msg}`);
  };
  const match = (re: RegExp): string | undefined => {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return undefined;
    at = re.lastIndex;
    return m[0];
  };
  const checkRefs = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      if (text.charCodeAt(i) !== 0x26) continue;
      REF.lastIndex = i;
      if (!REF.test(text) || REF.lastIndex > to) {
        at = i;
        fail('only the predefined entities and character references are allowed');
      }
    }
  };

  while (at < n) {
    const lt = text.indexOf('<', at);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > at) {
      if (open.length === 0) {
        if (/[^ \t\r\n]/.test(text.slice(at, textEnd))) fail('text outside the root element');
      } else {
        checkRefs(at, textEnd);
      }
      at = textEnd;
      if (lt === -1) break;
    }
    if (text.startsWith('<?', at)) {
      const close = text.indexOf('?>', at + 2);
      if (close === -1) fail('unterminated processing instruction');
      const target = /^[^\s?]+/.exec(text.slice(at + 2, close))?.[0] ?? '';
      if (target.toLowerCase() === 'xml' && at !== 0) fail('XML declaration not at the start');
      at = close + 2;
    } else if (text.startsWith('<!--', at)) {
      const close = text.indexOf('-->', at + 4);
      if (close === -1) fail('unterminated comment');
      if (text.slice(at + 4, close).includes('--')) fail('"--" inside a comment');
      at = close + 3;
    } else if (text.startsWith('<![CDATA[', at)) {
      if (open.length === 0) fail('CDATA section outside the root element');
      const close = text.indexOf(']]>', at + 9);
      if (close === -1) fail('unterminated CDATA section');
      at = close + 3;
    } else if (text.startsWith('<!', at)) {
      if (/^<!DOCTYPE/i.test(text.slice(at, at + 9))) {
        throw new KysoError('ERR_XML_DOCTYPE', 'XML with a DOCTYPE is refused (no DTDs, no entity declarations)');
      }
      fail('markup declarations are not allowed');
    } else if (text.startsWith('</', at)) {
      const endTagStart = at;
      at += 2;
      const name = match(NAME) ?? fail('end tag without a name');
      match(WS);
      if (text[at] !== '>') fail(`malformed end tag </${name}`);
      at++;
      const idx = open.pop();
      const span = idx === undefined ? undefined : spans[idx];
      if (!span) return fail(`end tag </${name}> without a start tag`);
      if (span.name !== name) fail(`end tag </${name}> does not match <${span.name}>`);
      span.endTagStart = endTagStart;
      span.end = at;
    } else {
      const start = at;
      at++;
      const name = match(NAME) ?? fail('start tag without a name');
      if (open.length === 0 && rootSeen) fail('more than one root element');
      const seen = new Set<string>();
      for (;;) {
        const ws = match(WS) ?? '';
        if (text.startsWith('/>', at) || text[at] === '>') break;
        if (!ws) fail(`whitespace expected between attributes of <${name}>`);
        const attr = match(NAME) ?? fail(`malformed attribute in <${name}>`);
        if (seen.has(attr)) fail(`attribute ${attr} repeated in <${name}>`);
        seen.add(attr);
        if (seen.size > maxAttributes)
          throw new KysoError('ERR_XML_LIMIT', `more than ${maxAttributes} attributes on <${name}>`);
        match(WS);
        if (text[at] !== '=') fail(`attribute ${attr} without a value`);
        at++;
        match(WS);
        const q = text[at];
        if (q !== '"' && q !== "'") fail(`attribute ${attr} value not quoted`);
        const close = text.indexOf(q!, at + 1);
        if (close === -1) fail(`unterminated value of ${attr}`);
        if (text.slice(at + 1, close).includes('<')) fail(`"<" in the value of ${attr}`);
        checkRefs(at + 1, close);
        at = close + 1;
      }
      const selfClosing = text[at] === '/';
      at += selfClosing ? 2 : 1;
      rootSeen = true;
      if (spans.length >= maxElements) throw new KysoError('ERR_XML_LIMIT', `more than ${maxElements} elements`);
      spans.push({ name, start, startTagEnd: at, endTagStart: at, end: at, selfClosing });
      if (!selfClosing) {
        open.push(spans.length - 1);
        if (open.length > maxDepth) throw new KysoError('ERR_XML_LIMIT', `elements nested deeper than ${maxDepth}`);
      }
    }
  }
  if (open.length) fail(`<${spans[open[open.length - 1]!]!.name}> is not closed`);
  if (!rootSeen) fail('no root element');
  return spans;
}
