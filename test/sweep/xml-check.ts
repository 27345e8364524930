/**
 * A small, strict XML well-formedness check for the SVG the sweep writes (no DTDs, CDATA or
 * processing instructions other than the declaration): every tag closes in order, attributes are
 * quoted and unique, entities are the five predefined ones or numeric, no stray `<` or `&`.
 * Returns the element names in document order, or throws naming the first problem.
 */
export function checkXml(text: string): string[] {
  let s = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const names: string[] = [];
  const stack: string[] = [];
  const TEXT = /^[^<]*/;
  const checkText = (t: string): void => {
    const bad = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(t);
    if (bad !== null) throw new Error(`bad entity near ${JSON.stringify(t.slice(bad.index, bad.index + 12))}`);
    if (t.includes('>') && /\]\]>/.test(t)) throw new Error('"]]>" in text');
  };
  while (s.length > 0) {
    const t = TEXT.exec(s)?.[0] ?? '';
    checkText(t);
    if (t.trim() !== '' && stack.length === 0) throw new Error(`text outside the root element: ${JSON.stringify(t.slice(0, 20))}`);
    s = s.slice(t.length);
    if (s.length === 0) break;
    if (s.startsWith('<!--')) {
      const end = s.indexOf('-->');
      if (end < 0) throw new Error('unclosed comment');
      s = s.slice(end + 3);
      continue;
    }
    const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(s);
    if (close !== null) {
      const open = stack.pop();
      if (open !== close[1]) throw new Error(`</${close[1]}> closes <${open ?? 'nothing'}>`);
      s = s.slice(close[0].length);
      continue;
    }
    const tag = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(s);
    if (tag === null) throw new Error(`malformed tag at ${JSON.stringify(s.slice(0, 40))}`);
    const [whole, name, attrs, selfClose] = tag as unknown as [string, string, string, string];
    const seen = new Set<string>();
    for (const m of attrs.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*("[^"]*"|'[^']*')/g)) {
      const key = m[1] as string;
      if (seen.has(key)) throw new Error(`duplicate attribute ${key} on <${name}>`);
      seen.add(key);
      checkText((m[2] as string).slice(1, -1));
    }
    if (stack.length === 0 && names.length > 0) throw new Error(`second root element <${name}>`);
    names.push(name);
    if (selfClose !== '/') stack.push(name);
    s = s.slice(whole.length);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('> <')}>`);
  return names;
}
