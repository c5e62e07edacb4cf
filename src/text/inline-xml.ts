import type { PhrasingContent } from 'mdast';
import type { HtmlSaid, Segment } from '../model.js';
import { isComment, stripComments } from '../segment/html-comments.js';
import { parseInline } from '../segment/parse-markdown.js';
import { saidInHtml, withSaid } from './html-parts.js';
import { htmlCodec } from './html-xml.js';
import { isUnprose } from './prose.js';
import { phrasingMarkdown } from './markdown-text.js';
import { fromXmlText, toXmlText } from './xml-text.js';

/**
 * A segment's text as DeepL sees it with `tag_handling=xml`, and the way back. Inline Markdown
 * becomes a few XML tags: `<em>`, `<strong>`, `<del>` around translatable text, `<a i="n">` for
 * links (the URL and title stay here, only the link text travels), `<code i="n">` for code spans
 * (an ignored tag: DeepL leaves it alone, and the original is restored anyway), and empty
 * placeholders for line breaks, footnote references, images and inline HTML. HTML comments are
 * not sent at all (not even as a placeholder, which DeepL would bill): they are notes on the
 * German, and the English Markdown writer puts them back after the segment's English.
 */
export interface InlineCodec {
  xml: string;
  /** Whether `restore` gives inline Markdown (a `.md` segment) rather than plain text. */
  markdown: boolean;
  /**
   * Rebuilds the segment's Markdown from DeepL's answer; `undefined` if the tags came back broken.
   * With `lang`, the answer's language: a raw HTML block's `lang` attributes that name German say it.
   */
  restore(xml: string, lang?: string): string | undefined;
}

/**
 * A link's or picture's target, the label of a reference-style one (`[text][label]`, `![alt][label]`),
 * or a piece of Markdown kept verbatim (code span, footnote reference, HTML).
 */
/**
 * White space folded to one space in what is sent and what comes back (line breaks, runs of
 * spaces), but the no-break spaces: "5\u00A0%", "S.\u00A05" keep them in the English.
 */
const FOLDED_SPACE = /[^\S\u00A0\u2007\u202F]+/g;

type Slot =
  | { type: 'link' | 'image'; url: string; title: string | null | undefined }
  | { type: 'linkReference' | 'imageReference'; identifier: string; label: string }
  | { type: 'raw'; markdown: string; code: boolean; said?: HtmlSaid[] };

/** The codec for a segment: plain text is only escaped; inline Markdown (its `phrasing`) gets tags; a raw HTML block, see `htmlCodec`. */
export function inlineCodec(
  segment: Pick<Segment, 'source' | 'markdown' | 'phrasing' | 'protected' | 'references'> & Partial<Pick<Segment, 'kind'>>,
): InlineCodec {
  if (segment.kind === 'html') return htmlCodec(segment);
  const { source, markdown, phrasing } = segment;
  if (!phrasing) {
    // Plain text, or not a single run of inline content (a lone "1." line): escaped text, protected tokens as placeholders.
    const text = markdown ? stripComments(source) : source;
    const kept: string[] = [];
    let xml = '';
    let at = 0;
    for (const token of segment.protected ?? []) {
      const found = text.indexOf(token, at);
      if (found < 0) continue;
      xml += `${toXmlText(text.slice(at, found))}<x i="${kept.length}"/>`;
      kept.push(token);
      at = found + token.length;
    }
    xml += toXmlText(text.slice(at));
    return { xml, markdown, restore: (answer) => (kept.length === 0 ? fromXmlText(answer).trim() : restorePlain(answer, kept)) };
  }
  const slots: Slot[] = [];
  let xml = phrasing
    .map((node) => encode(node, slots, source))
    .join('')
    .replace(FOLDED_SPACE, ' ')
    .trim();
  // A comment left out may leave its spaces inside emphasis or a link: `<em>Betonung </em>`.
  if (source.includes('<!--'))
    xml = xml.replace(/ +(<\/(?:em|strong|del|a)>)/g, '$1').replace(/(<(?:em|strong|del)>|<a i="\d+">) +/g, '$1');
  return {
    xml: withTitles(xml, slots),
    markdown,
    restore: (answer) => {
      const taken = takeTitles(answer, slots);
      const english = taken && restore(taken.answer, taken.slots);
      return english === undefined ? undefined : writeEnglish(english, segment);
    },
  };
}

/**
 * Link and picture titles are text a reader sees (a tooltip, a caption): each travels after the
 * text in a `<title i="n">` of its own, which DeepL takes as a sentence apart (a splitting tag); so
 * does each `alt` or `title` value of inline HTML (`<img alt="…">`), as `<title i="n.k">`.
 */
function withTitles(xml: string, slots: readonly Slot[]): string {
  const title = (id: string, text: string): string => ` <title i="${id}">${toXmlText(text)}</title>`;
  return (
    xml +
    slots
      .map((s, i) =>
        titled(s) ? title(String(i), s.title) : s.type === 'raw' ? (s.said ?? []).map((v, k) => title(`${i}.${k}`, v.value)).join('') : '',
      )
      .join('')
  );
}

/** The answer without its titles, and the slots with the titles in English; `undefined` if one is missing, repeated or unknown. */
function takeTitles(answer: string, slots: readonly Slot[]): { answer: string; slots: Slot[] } | undefined {
  const found = new Map<string, string>();
  let broken = false;
  const rest = answer.replace(
    /\s*<title i="(\d+)(?:\.(\d+))?">([^<]*)<\/title>/g,
    (_all, n: string, k: string | undefined, text: string) => {
      const slot = slots[Number(n)];
      const id = k === undefined ? n : `${n}.${k}`;
      const known = k === undefined ? slot !== undefined && titled(slot) : slot?.type === 'raw' && slot.said?.[Number(k)] !== undefined;
      if (found.has(id) || !known) broken = true;
      found.set(id, fromXmlText(text).replace(FOLDED_SPACE, ' ').trim());
      return '';
    },
  );
  const wanted = slots.reduce((n, s) => n + (titled(s) ? 1 : s.type === 'raw' ? (s.said?.length ?? 0) : 0), 0);
  if (broken || found.size !== wanted) return undefined;
  return {
    answer: rest,
    slots: slots.map((s, i): Slot => {
      if (titled(s)) return { ...s, title: found.get(String(i)) };
      if (s.type !== 'raw' || !s.said?.length) return s;
      const values = s.said.map((_, k) => found.get(`${i}.${k}`) as string);
      return { ...s, markdown: withSaid(s.markdown, s.said, values) };
    }),
  };
}

/** A link or picture with a title of its own (a reference's title is its definition's, which is not a segment). */
function titled(slot: Slot): slot is { type: 'link' | 'image'; url: string; title: string } {
  return (slot.type === 'link' || slot.type === 'image') && Boolean(slot.title);
}

function encode(node: PhrasingContent, slots: Slot[], source: string): string {
  const inner = (children: PhrasingContent[]): string => children.map((c) => encode(c, slots, source)).join('');
  const raw = (code: boolean): number => {
    slots.push({ type: 'raw', markdown: source.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0), code });
    return slots.length - 1;
  };
  switch (node.type) {
    case 'text':
      return toXmlText(node.value);
    case 'emphasis':
      return `<em>${inner(node.children)}</em>`;
    case 'strong':
      return `<strong>${inner(node.children)}</strong>`;
    case 'delete':
      return `<del>${inner(node.children)}</del>`;
    case 'link':
      // A web address written as itself (<https://…>, www.…) is no text: kept whole, as written, never sent.
      if (isUnprose(node)) return `<x i="${raw(false)}"/>`;
      slots.push({ type: 'link', url: node.url, title: node.title });
      return `<a i="${slots.length - 1}">${inner(node.children)}</a>`;
    case 'image':
      // The alt text is what a reader sees of a picture (and all a book shows of a remote one): translated too.
      if (!node.alt) return `<x i="${raw(false)}"/>`;
      slots.push({ type: 'image', url: node.url, title: node.title });
      return `<img i="${slots.length - 1}">${toXmlText(node.alt)}</img>`;
    case 'linkReference':
      // Its text travels, its label stays: `[Archiv]` comes back as `[Archive][Archiv]`.
      slots.push({ type: 'linkReference', identifier: node.identifier, label: node.label ?? node.identifier });
      return `<a i="${slots.length - 1}">${inner(node.children)}</a>`;
    case 'imageReference':
      if (!node.alt) return `<x i="${raw(false)}"/>`;
      slots.push({ type: 'imageReference', identifier: node.identifier, label: node.label ?? node.identifier });
      return `<img i="${slots.length - 1}">${toXmlText(node.alt)}</img>`;
    case 'inlineCode':
      return `<code i="${raw(true)}">${toXmlText(node.value)}</code>`;
    case 'break':
      return '<br/>';
    case 'html': {
      if (isComment(node)) return '';
      const i = raw(false);
      // A tag's `alt` and `title` values are text a reader meets: they travel as titles (see `withTitles`).
      const slot = slots[i] as Extract<Slot, { type: 'raw' }>;
      const said = saidInHtml(slot.markdown);
      if (said.length > 0) slot.said = said;
      return `<x i="${i}"/>`;
    }
    default:
      // Footnote references and the rest: kept whole, in place.
      return `<x i="${raw(false)}"/>`;
  }
}

interface Element {
  tag: string;
  i: number | undefined;
  children: PhrasingContent[];
}

const TOKEN = /<(\/?)([a-z]+)((?:\s+[a-z]+="[^"]*")*)\s*(\/?)>|([^<]+)/gy;

/** Parses DeepL's answer with a strict, small grammar into inline content; anything unexpected means broken tags. */
function restore(answer: string, slots: readonly Slot[]): PhrasingContent[] | undefined {
  const root: Element = { tag: 'root', i: undefined, children: [] };
  const stack: Element[] = [root];
  const used = new Set<number>();
  TOKEN.lastIndex = 0;
  let consumed = 0;
  for (let m = TOKEN.exec(answer); m !== null; m = TOKEN.exec(answer)) {
    consumed = TOKEN.lastIndex;
    const top = stack[stack.length - 1] as Element;
    const [, closing, tag, attrs, selfClosing, text] = m;
    if (text !== undefined) {
      top.children.push({ type: 'text', value: fromXmlText(text) });
      continue;
    }
    const iMatch = /\bi="(\d+)"/.exec(attrs ?? '');
    const i = iMatch ? Number(iMatch[1]) : undefined;
    if (closing) {
      if (top.tag !== tag || stack.length === 1) return undefined;
      stack.pop();
      const parent = stack[stack.length - 1] as Element;
      const nodes = build(top, slots);
      if (!nodes) return undefined;
      parent.children.push(...nodes);
      continue;
    }
    if (selfClosing) {
      if (tag === 'br') top.children.push({ type: 'break' });
      else if (tag === 'x' && i !== undefined && slots[i]?.type === 'raw' && !used.has(i)) {
        used.add(i);
        top.children.push(verbatim((slots[i] as { markdown: string }).markdown));
      } else return undefined;
      continue;
    }
    if (!['em', 'strong', 'del', 'a', 'img', 'code'].includes(tag ?? '')) return undefined;
    if (i !== undefined) {
      if (used.has(i)) return undefined;
      used.add(i);
    }
    stack.push({ tag: tag ?? '', i, children: [] });
  }
  if (consumed !== answer.length || stack.length !== 1 || used.size !== slots.length) return undefined;
  return trimEdges(root.children);
}

/**
 * The English as Markdown. Where it has the German's inline shape (the same emphasis, links, code,
 * notes, in the same order) the English is written into the German's own Markdown: each German
 * text's source replaced by its English, so markers, escapes and spacing stay as the author wrote
 * them, and a German file and its English differ only in the words. That is kept only if it reads
 * back as the same English; otherwise (another shape, or an English text that would read as markup)
 * the English is written out by remark-stringify, escaped where it must be.
 */
function writeEnglish(english: PhrasingContent[], segment: Pick<Segment, 'source' | 'phrasing' | 'references'>): string {
  const written = phrasingMarkdown(referencesAroundVerbatim(english));
  // A German with comments is not spliced: its notes follow the English (see english-markdown.ts).
  const spliced = segment.phrasing && !segment.source.includes('<!--') ? splice(segment.source, segment.phrasing, english) : undefined;
  if (spliced === undefined || spliced === written) return written;
  const reread = parseInline(spliced, segment.references);
  // A line break inside a paragraph reads as a space: the German's wrapping may stay.
  const fold = (markdown: string): string => markdown.replace(/[ \t]*\n[ \t]*/g, ' ');
  return reread && fold(phrasingMarkdown(asSent(reread, spliced))) === fold(written) ? spliced : written;
}

/**
 * The German's source with each of its texts (and picture alt texts) replaced by the English at the
 * same place; `undefined` when the shapes differ.
 */
function splice(source: string, german: readonly PhrasingContent[], english: readonly PhrasingContent[]): string | undefined {
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const same = (de: readonly PhrasingContent[], en: readonly PhrasingContent[]): boolean => {
    if (de.length !== en.length) return false;
    return de.every((d, i) => {
      const e = en[i] as PhrasingContent;
      const start = d.position?.start.offset;
      const end = d.position?.end.offset;
      if (start === undefined || end === undefined) return false;
      // A piece kept verbatim (code, a note reference, HTML, a protected token) is the German's own.
      if (e.type === 'html') return e.value === source.slice(start, end);
      // A text the English keeps as it is (up to its line breaks, which travel as spaces) keeps its source; another
      // escapes what the German's escaped (`\$`, `\~`, `\[`: characters some reader of the Markdown takes for markup).
      if (d.type === 'text' && e.type === 'text')
        return (
          e.value === d.value.replace(/[ \t]*\n[ \t]*/g, ' ') ||
          edits.push({ start, end, text: escapedAs(source.slice(start, end), e.value) }) > 0
        );
      if ((d.type === 'emphasis' || d.type === 'strong') && d.type === e.type) return same(d.children, e.children);
      if (d.type === 'link' && e.type === 'link') return d.url === e.url && same(d.children, e.children);
      // Only `[text][label]` keeps its shape: the English of `[Archiv]` needs the label written out.
      if (d.type === 'linkReference' && e.type === 'linkReference')
        return d.referenceType === 'full' && d.identifier === e.identifier && same(d.children, e.children);
      if (d.type === 'image' && e.type === 'image') {
        const k = source.slice(start, end).lastIndexOf('](');
        return d.url === e.url && k >= 2 && edits.push({ start: start + 2, end: start + k, text: e.alt ?? '' }) > 0;
      }
      return d.type === 'break' && e.type === 'break';
    });
  };
  if (!same(markersOfDeletes(german, source), english)) return undefined;
  let out = source;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/**
 * Inline content with each strikethrough as its English comes back (see `build`): its markers as
 * pieces of their own, at their places in `source`, around its content.
 */
function markersOfDeletes(nodes: readonly PhrasingContent[], source: string): PhrasingContent[] {
  return nodes.flatMap((node): PhrasingContent[] => {
    if (node.type !== 'delete') {
      if (!('children' in node)) return [node];
      return [{ ...node, children: markersOfDeletes(node.children, source) } as PhrasingContent];
    }
    const start = node.position?.start.offset ?? 0;
    const end = node.position?.end.offset ?? 0;
    const width = /^~*/.exec(source.slice(start, end))?.[0].length ?? 0;
    const marker = (from: number): PhrasingContent => ({
      type: 'html',
      value: source.slice(from, from + width),
      position: { start: { line: 0, column: 0, offset: from }, end: { line: 0, column: 0, offset: from + width } },
    });
    return [marker(start), ...markersOfDeletes(node.children, source), marker(end - width)];
  });
}

/** `text` with a backslash before each character that the Markdown `written` escapes. */
function escapedAs(written: string, text: string): string {
  const escaped = new Set([...written.matchAll(/\\([!-/:-@[-`{-~])/g)].map((m) => m[1]));
  return escaped.size === 0 ? text : [...text].map((c) => (escaped.has(c) ? `\\${c}` : c)).join('');
}

/** Inline content as the codec sends and restores it: what travels as a placeholder becomes its Markdown, verbatim. */
function asSent(nodes: readonly PhrasingContent[], source: string): PhrasingContent[] {
  return nodes.flatMap((node): PhrasingContent[] => {
    const raw = (): PhrasingContent[] => [verbatim(source.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0))];
    switch (node.type) {
      case 'text':
      case 'break':
        return [node];
      case 'emphasis':
      case 'strong':
      case 'link':
      case 'linkReference':
        return [{ ...node, children: asSent(node.children, source) } as PhrasingContent];
      case 'delete':
        return [verbatim('~~'), ...asSent(node.children, source), verbatim('~~')];
      case 'image':
      case 'imageReference':
        return node.alt ? [node] : raw();
      case 'html':
        return isComment(node) ? [] : raw();
      default:
        return raw();
    }
  });
}

/** A plain answer with each placeholder back as its token; `undefined` if one is missing, repeated or unknown. */
function restorePlain(answer: string, tokens: readonly string[]): string | undefined {
  const used = new Set<number>();
  const parts = answer.split(/<x i="(\d+)"\s*\/>/);
  let text = '';
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      if (/[<>]/.test(parts[i] as string)) return undefined;
      text += fromXmlText(parts[i] as string);
      continue;
    }
    const n = Number(parts[i]);
    if (used.has(n) || tokens[n] === undefined) return undefined;
    used.add(n);
    text += tokens[n];
  }
  return used.size === tokens.length ? text.trim() : undefined;
}

/**
 * Inline content with the characters at the edges of Markdown kept verbatim (a protected token,
 * `https://…`) written as character references where they would join it into markup the serialiser
 * cannot see (it takes every verbatim piece for HTML): a `<` or `&` that ends a text right before it
 * (an autolink, HTML, a reference), a `>` that starts a text right after it (which GFM takes into a
 * bare URL). `&lt;https://x.org&gt;` then comes back as written, not as a link.
 */
function referencesAroundVerbatim(nodes: PhrasingContent[]): PhrasingContent[] {
  return nodes.flatMap((node, i): PhrasingContent[] => {
    if ('children' in node) return [{ ...node, children: referencesAroundVerbatim(node.children) } as PhrasingContent];
    if (node.type !== 'text') return [node];
    const [before, after] = [nodes[i - 1], nodes[i + 1]];
    const opener = after?.type === 'html' ? /[<&]$/.exec(node.value)?.[0] : undefined;
    const opens = opener !== undefined && (opener === '<' ? /^[!/?A-Za-z]/ : /^[#A-Za-z]/).test((after as { value: string }).value);
    const closes = before?.type === 'html' && node.value.startsWith('>');
    if (!opens && !closes) return [node];
    const value = node.value.slice(closes ? 1 : 0, opens ? -1 : undefined);
    return [
      ...(closes ? [verbatim('&gt;')] : []),
      ...(value === '' ? [] : [{ ...node, value }]),
      ...(opens ? [verbatim(opener === '<' ? '&lt;' : '&amp;')] : []),
    ];
  });
}

/** Markdown written out as it was: an `html` node is the one kind the serialiser leaves untouched. */
function verbatim(markdown: string): PhrasingContent {
  return { type: 'html', value: markdown };
}

function build(element: Element, slots: readonly Slot[]): PhrasingContent[] | undefined {
  const children = element.children;
  switch (element.tag) {
    case 'em':
      return [{ type: 'emphasis', children }];
    case 'strong':
      return [{ type: 'strong', children }];
    case 'del':
      // Strikethrough is GFM and the serialiser CommonMark only (see `phrasingMarkdown`): its markers go verbatim.
      return [verbatim('~~'), ...children, verbatim('~~')];
    case 'a': {
      const slot = element.i === undefined ? undefined : slots[element.i];
      if (slot?.type === 'linkReference')
        return [{ type: 'linkReference', identifier: slot.identifier, label: slot.label, referenceType: 'full', children }];
      if (slot?.type !== 'link') return undefined;
      return [{ type: 'link', url: slot.url, title: slot.title ?? null, children }];
    }
    case 'img': {
      const slot = element.i === undefined ? undefined : slots[element.i];
      const alt = children
        .map((c) => ('value' in c ? c.value : ''))
        .join('')
        .replace(FOLDED_SPACE, ' ')
        .trim();
      if (slot?.type === 'imageReference')
        return [{ type: 'imageReference', identifier: slot.identifier, label: slot.label, referenceType: 'full', alt }];
      if (slot?.type !== 'image') return undefined;
      return [{ type: 'image', url: slot.url, title: slot.title ?? null, alt }];
    }
    case 'code': {
      const slot = element.i === undefined ? undefined : slots[element.i];
      return slot?.type === 'raw' && slot.code ? [verbatim(slot.markdown)] : undefined;
    }
    default:
      return undefined;
  }
}

/** DeepL may pad the answer with spaces; Markdown would keep them as hard-to-see text. */
function trimEdges(children: PhrasingContent[]): PhrasingContent[] {
  const out = [...children];
  const first = out[0];
  if (first?.type === 'text') out[0] = { ...first, value: first.value.replace(/^\s+/, '') };
  const last = out[out.length - 1];
  if (last?.type === 'text') out[out.length - 1] = { ...last, value: last.value.replace(/\s+$/, '') };
  return out.filter((n) => !(n.type === 'text' && n.value === ''));
}

/** Plain text of an XML answer: tags removed, entities decoded (the fallback for broken tags). */
export function xmlToPlain(xml: string): string {
  return fromXmlText(xml.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}
