/**
 * A tiny, strict XML 1.0 parser for tests (no DTDs, no namespaces handling):
 * rejects unbalanced tags, unquoted or duplicate attributes, raw `<` or `&`
 * in text/attributes, unknown entities, invalid characters, and anything
 * after the root element. Returns an element tree with decoded text.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.\-:]*/;
// eslint-disable-next-line no-control-regex
const INVALID_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => {
    const line = xml.slice(0, i).split('\n').length;
    throw new Error(`XML error at line ${line} (offset ${i}): ${msg}`);
  };
  const m = INVALID_CHAR.exec(xml);
  if (m) {
    i = m.index;
    fail(`invalid character U+${m[0].charCodeAt(0).toString(16)}`);
  }
  const decode = (raw: string, inAttr: boolean): string => {
    if (inAttr && raw.includes('<')) fail('raw "<" in attribute value');
    return raw.replace(/&([^;]*);?/g, (all, ent: string) => {
      if (!all.endsWith(';')) fail(`unterminated entity "${all}"`);
      switch (ent) {
        case 'amp':
          return '&';
        case 'lt':
          return '<';
        case 'gt':
          return '>';
        case 'quot':
          return '"';
        case 'apos':
          return "'";
      }
      const num = /^#(\d+)$/.exec(ent) ?? /^#x([0-9a-fA-F]+)$/.exec(ent);
      if (num) return String.fromCodePoint(parseInt(num[1]!, ent.startsWith('#x') ? 16 : 10));
      return fail(`unknown entity "&${ent};"`);
    });
  };
  const skipWs = (): void => {
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
  };
  const skipMisc = (): void => {
    for (;;) {
      skipWs();
      if (xml.startsWith('<!--', i)) {
        const end = xml.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
      } else return;
    }
  };

  if (xml.startsWith('<?xml', i)) {
    const end = xml.indexOf('?>', i);
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  skipMisc();

  const parseElement = (): XmlElement => {
    if (xml[i] !== '<') fail('expected "<"');
    i++;
    const nm = NAME.exec(xml.slice(i));
    if (!nm) return fail('expected an element name');
    const el: XmlElement = { name: nm[0], attrs: {}, children: [], text: '' };
    i += nm[0].length;
    for (;;) {
      const before = i;
      skipWs();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected whitespace before an attribute');
      const an = NAME.exec(xml.slice(i));
      if (!an) fail('expected an attribute name');
      i += an![0].length;
      skipWs();
      if (xml[i] !== '=') fail(`attribute ${an![0]} without "="`);
      i++;
      skipWs();
      const q = xml[i];
      if (q !== '"' && q !== "'") fail(`attribute ${an![0]} value not quoted`);
      const end = xml.indexOf(q!, i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (an![0] in el.attrs) fail(`duplicate attribute ${an![0]}`);
      el.attrs[an![0]] = decode(xml.slice(i + 1, end), true);
      i = end + 1;
    }
    // content
    for (;;) {
      if (i >= xml.length) fail(`unclosed element <${el.name}>`);
      if (xml.startsWith('</', i)) {
        i += 2;
        const cn = NAME.exec(xml.slice(i));
        if (!cn || cn[0] !== el.name) fail(`closing tag </${cn?.[0]}> does not match <${el.name}>`);
        i += cn![0].length;
        skipWs();
        if (xml[i] !== '>') fail('expected ">"');
        i++;
        return el;
      }
      if (xml.startsWith('<!--', i)) {
        const end = xml.indexOf('-->', i + 4);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
        continue;
      }
      if (xml.startsWith('<![CDATA[', i)) {
        const end = xml.indexOf(']]>', i);
        if (end < 0) fail('unterminated CDATA');
        el.text += xml.slice(i + 9, end);
        i = end + 3;
        continue;
      }
      if (xml[i] === '<') {
        el.children.push(parseElement());
        continue;
      }
      const next = xml.indexOf('<', i);
      const raw = xml.slice(i, next < 0 ? xml.length : next);
      if (raw.includes(']]>')) fail('"]]>" in text');
      el.text += decode(raw, false);
      i = next < 0 ? xml.length : next;
    }
  };

  const root = parseElement();
  skipMisc();
  if (i !== xml.length) fail('content after the root element');
  return root;
}

/** All descendants (depth-first) named `name`. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
