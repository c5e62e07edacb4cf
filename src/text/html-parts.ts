// Reads a raw HTML block into its tags and texts with their source offsets (parse5, the parser the
// books' HTML goes through too): what the HTML codec sends, and where a block's plain text comes from.
import { type DefaultTreeAdapterTypes, parseFragment } from 'parse5';
import type { HtmlPart, HtmlSaid } from '../model.js';

/** Elements that have no end tag in HTML: they hold nothing and never stay open. */
export const VOID_ELEMENTS: ReadonlySet<string> = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** Elements whose content is never translated: it is kept whole, with its tags, as the source has it. */
const KEPT_WHOLE = new Set(['script', 'style', 'code', 'pre', 'template', 'textarea', 'svg', 'math']);

type Node = DefaultTreeAdapterTypes.ChildNode;

/**
 * The block's parts, in order; `undefined` when the HTML does not parse cleanly: a parse error, or
 * any byte of it that no tag, text or comment of the parsed tree accounts for (a stray end tag the
 * parser dropped, say). The parts tile the text exactly, so putting their sources back together
 * gives the block byte for byte.
 */
export function htmlParts(html: string): HtmlPart[] | undefined {
  let errors = 0;
  const fragment = parseFragment(html, {
    sourceCodeLocationInfo: true,
    onParseError: () => {
      errors++;
    },
  });
  if (errors > 0) return undefined;
  const parts = convert(html, fragment.childNodes);
  if (!parts) return undefined;
  let at = 0;
  const tiles = (list: readonly HtmlPart[]): boolean =>
    list.every((part) => {
      if (part.start !== at) return false;
      if (part.type !== 'element') {
        at = part.end;
        return true;
      }
      at = part.open.end;
      if (!tiles(part.children)) return false;
      if (part.close) {
        if (part.close.start !== at) return false;
        at = part.close.end;
      }
      return at === part.end;
    });
  return tiles(parts) && at === html.length ? parts : undefined;
}

/** The attributes whose values a reader meets as text: shown, or read out by a screen reader (`aria-label`). */
const SAID = ['alt', 'title', 'aria-label', 'placeholder'];

/** parse5's nodes as parts; an element the parser implied (no tags in the source: `tbody`) gives its children. */
function convert(html: string, nodes: readonly Node[]): HtmlPart[] | undefined {
  const out: HtmlPart[] = [];
  for (const node of nodes) {
    const where = node.sourceCodeLocation;
    if (node.nodeName === '#text') {
      if (!where) return undefined;
      out.push({ type: 'text', start: where.startOffset, end: where.endOffset, value: (node as DefaultTreeAdapterTypes.TextNode).value });
      continue;
    }
    if (!('tagName' in node)) {
      // A comment (or a doctype): never translated.
      if (!where) return undefined;
      out.push({ type: 'kept', start: where.startOffset, end: where.endOffset });
      continue;
    }
    const element = node as DefaultTreeAdapterTypes.Element;
    const tags = element.sourceCodeLocation;
    if (!where || !tags?.startTag) {
      const inner = convert(html, element.childNodes);
      if (!inner) return undefined;
      out.push(...inner);
      continue;
    }
    const open = { start: tags.startTag.startOffset, end: tags.startTag.endOffset };
    const close = tags.endTag ? { start: tags.endTag.startOffset, end: tags.endTag.endOffset } : undefined;
    const said = saidOf(html, element, tags.attrs);
    const withSaid = said.length > 0 ? { said } : {};
    if (KEPT_WHOLE.has(element.tagName) || element.childNodes.length === 0) {
      // A picture's `alt` is said; what an element kept whole holds (code, a script) is not.
      out.push({ type: 'kept', start: where.startOffset, end: where.endOffset, ...(element.childNodes.length === 0 ? withSaid : {}) });
      continue;
    }
    const children = convert(html, element.childNodes);
    if (!children) return undefined;
    out.push({ type: 'element', start: where.startOffset, end: where.endOffset, open, ...(close ? { close } : {}), children, ...withSaid });
  }
  return out;
}

/**
 * The `alt` and `title` values of an element's start tag that hold words, by where their values
 * stand (`attrs`: parse5's locations of its attributes, each whole: `alt="…"`).
 */
function saidOf(
  html: string,
  element: DefaultTreeAdapterTypes.Element,
  attrs: Record<string, { startOffset: number; endOffset: number }> | undefined,
): HtmlSaid[] {
  const said: HtmlSaid[] = [];
  for (const { name, value } of element.attrs) {
    const at = attrs?.[name];
    if (!SAID.includes(name) || !at || !/\p{L}/u.test(value)) continue;
    const written = html.slice(at.startOffset, at.endOffset);
    const eq = written.indexOf('=');
    if (eq < 0) continue;
    let start = at.startOffset + eq + 1;
    while (/\s/.test(html.charAt(start))) start++;
    const quoted = html.charAt(start) === '"' || html.charAt(start) === "'";
    said.push({ start: quoted ? start + 1 : start, end: quoted ? at.endOffset - 1 : at.endOffset, value });
  }
  return said.sort((a, b) => a.start - b.start);
}

/** The text a reader meets in the parts: texts and the `alt` and `title` values, in order (nothing kept whole), white space folded. */
export function htmlPlain(parts: readonly HtmlPart[]): string {
  const out: string[] = [];
  const visit = (list: readonly HtmlPart[]): void => {
    for (const part of list) {
      if (part.type !== 'text') for (const s of part.said ?? []) out.push(' ', s.value, ' ');
      if (part.type === 'text') out.push(part.value);
      else if (part.type === 'element') visit(part.children);
      else out.push(' ');
    }
  };
  visit(parts);
  return out.join('').replace(/\s+/g, ' ').trim();
}

/** The `alt` and `title` values of a piece of HTML's tags, in order; none when it does not parse cleanly. */
export function saidInHtml(html: string): HtmlSaid[] {
  const parts = htmlParts(html);
  return parts ? saidIn(parts) : [];
}

/** The `alt` and `title` values of the parts' tags, in order (those of elements inside too). */
export function saidIn(parts: readonly HtmlPart[]): HtmlSaid[] {
  return parts.flatMap((part) => [
    ...(part.type === 'text' ? [] : (part.said ?? [])),
    ...(part.type === 'element' ? saidIn(part.children) : []),
  ]);
}

/**
 * `html` from `start` to `end` without the `alt` and `title` values in it (with their quotes): its
 * markup alone, the same whatever language those values are in.
 */
export function markupOf(html: string, said: readonly HtmlSaid[], start = 0, end = html.length): string {
  return spliceSaid(html, said, start, end, () => '');
}

/**
 * `html` from `start` to `end` with the `alt` and `title` values in it replaced by `values` (by
 * index in `said`): each value that changed escaped for the quotes around it (a value written
 * without quotes gets double ones where it needs them).
 */
export function withSaid(html: string, said: readonly HtmlSaid[], values: readonly string[], start = 0, end = html.length): string {
  return spliceSaid(html, said, start, end, (s, i, quote) => {
    const value = values[i] as string;
    if (value === s.value) return undefined;
    const escaped = value.replace(/&/g, '&amp;').replace(quote === "'" ? /'/g : /"/g, quote === "'" ? '&#39;' : '&quot;');
    return quote !== '' || /^[^\s"'=<>`&]+$/.test(value) ? `${quote}${escaped}${quote}` : `"${escaped}"`;
  });
}

/**
 * `html` from `start` to `end` with each value of `said` within it, quotes and all, as `written`
 * gives it (`i` its index in `said`, `quote` the quote around it as written, `''` for none);
 * `undefined` keeps it as it is.
 */
function spliceSaid(
  html: string,
  said: readonly HtmlSaid[],
  start: number,
  end: number,
  written: (s: HtmlSaid, i: number, quote: string) => string | undefined,
): string {
  let out = '';
  let at = start;
  for (const [i, s] of said.entries()) {
    if (s.start < start || s.end > end) continue;
    const before = html.charAt(s.start - 1);
    const quote = (before === '"' || before === "'") && html.charAt(s.end) === before ? before : '';
    const text = written(s, i, quote);
    if (text === undefined) continue;
    out += html.slice(at, s.start - quote.length) + text;
    at = s.end + quote.length;
  }
  return out + html.slice(at, end);
}

/**
 * The HTML with the value of each `lang` and `xml:lang` in its start tags replaced by what `value`
 * makes of it (quoted as it was): where a block's language is set, and where the markup check reads past it.
 */
export function withLangValues(html: string, value: (lang: string) => string): string {
  return html.replace(/<[A-Za-z][^<>]*>/g, (tag) =>
    tag.replace(
      /(\s(?:xml:)?lang\s*=\s*)(["']?)([^"'\s/>]*)\2(?=[\s/>])/gi,
      (_all, before: string, quote: string, lang: string) => `${before}${quote}${value(lang)}${quote}`,
    ),
  );
}
