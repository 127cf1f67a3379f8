import { describe, expect, it } from 'vitest';
import { isKysoError } from '../../src/core/errors.js';
import { parseXml } from '../../src/xml/dom.js';
import { scanXml } from '../../src/xml/scan.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isKysoError(e) ? e.code : `not a KysoError: ${String(e)}`;
  }
  return undefined;
};

describe('scanXml', () => {
  it('gives every element its span in the source text', () => {
    const text = '<?xml version="1.0"?>\n<a x="1 > 0"><b/><c>t&amp;<![CDATA[<x>]]></c><!-- <d> --></a>';
    const spans = scanXml(text);
    expect(spans.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    const [a, b, c] = spans;
    expect(text.slice(a!.start, a!.startTagEnd)).toBe('<a x="1 > 0">');
    expect(text.slice(a!.endTagStart, a!.end)).toBe('</a>');
    expect(b!.selfClosing).toBe(true);
    expect(text.slice(b!.start, b!.end)).toBe('<b/>');
    expect(text.slice(c!.startTagEnd, c!.endTagStart)).toBe('t&amp;<![CDATA[<x>]]>');
  });

  it.each([
    ['unbalanced tags', '<a><b>x</a>'],
    ['text outside the root', '<a/>junk'],
    ['two roots', '<a/><b/>'],
    ['an undeclared entity', '<a>&foo;</a>'],
    ['an entity in an attribute', '<a x="&foo;"/>'],
    ['a repeated attribute', '<a x="1" x="2"/>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['a lone ampersand', '<a>fish & chips</a>'],
    ['an unclosed element', '<a><b></b>'],
    ['"--" in a comment', '<a><!-- a -- b --></a>'],
    ['no root', '<!-- nothing -->'],
    ['a late XML declaration', '<a/>\n<?xml version="1.0"?>'],
  ])('refuses %s', (_, text) => {
    expect(code(() => scanXml(text))).toBe('ERR_XML_MALFORMED');
  });

  it('refuses any DOCTYPE, with or without entities', () => {
    expect(code(() => scanXml('<!DOCTYPE a><a/>'))).toBe('ERR_XML_DOCTYPE');
    const billionLaughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>';
    expect(code(() => scanXml(billionLaughs))).toBe('ERR_XML_DOCTYPE');
    const xxe = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>';
    expect(code(() => parseXml(xxe))).toBe('ERR_XML_DOCTYPE');
  });

  it('caps depth, element count, attributes and size', () => {
    const deep = '<a>'.repeat(300) + '</a>'.repeat(300);
    expect(code(() => scanXml(deep))).toBe('ERR_XML_LIMIT');
    expect(code(() => scanXml(deep, { maxDepth: 400 }))).toBeUndefined();
    const wide = `<a>${'<b/>'.repeat(50)}</a>`;
    expect(code(() => scanXml(wide, { maxElements: 10 }))).toBe('ERR_XML_LIMIT');
    const attrs = `<a ${Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(' ')}/>`;
    expect(code(() => scanXml(attrs))).toBe('ERR_XML_LIMIT');
    expect(code(() => parseXml(new Uint8Array(2000).fill(0x20), { maxBytes: 1000 }))).toBe('ERR_XML_LIMIT');
  });
});

describe('parseXml', () => {
  it('reads UTF-8 with or without a byte-order mark', () => {
    const body = '<a>Hóa đơn</a>';
    const bom = parseXml(Uint8Array.of(0xef, 0xbb, 0xbf, ...new TextEncoder().encode(body)));
    expect(bom.bom).toBe(true);
    expect(bom.doc.documentElement.textContent).toBe('Hóa đơn');
    expect(parseXml(body).bom).toBe(false);
  });

  it('refuses invalid UTF-8, other declared encodings and unbound prefixes', () => {
    expect(code(() => parseXml(Uint8Array.of(0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e)))).toBe(
      'ERR_XML_MALFORMED',
    );
    expect(code(() => parseXml('<?xml version="1.0" encoding="windows-1258"?><a/>'))).toBe('ERR_XML_MALFORMED');
    expect(code(() => parseXml('<p:a/>'))).toBe('ERR_XML_MALFORMED');
    expect(code(() => parseXml('<a p:x="1"/>'))).toBe('ERR_XML_MALFORMED');
  });

  it('never crashes on garbage', () => {
    for (const junk of [
      '',
      'not xml',
      '<',
      '<a',
      '<a b',
      '<a b="',
      '</a>',
      '<a></b>',
      '\u0000',
      '<?',
      '<!--',
      '<![CDATA[',
    ]) {
      expect(
        code(() => parseXml(junk)),
        JSON.stringify(junk),
      ).toMatch(/^ERR_XML_/);
    }
  });
});
