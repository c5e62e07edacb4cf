// Protected tokens (template macros, shortcodes, placeholders): found in each segment by the project's
// `protect` patterns and kept out of translation (each becomes a raw node, sent as an ignored placeholder).
import type { PhrasingContent } from 'mdast';
import type { Message, Segment, SegmentedDocument } from '../model.js';

/** Patterns a project can name in `protect` instead of writing its own (documented in the README). */
export const PROTECT_PRESETS: Readonly<Record<string, string>> = {
  /** Wiki and MDN macros: `{{LearnSidebar}}`, `{{ Cssxref(":link") }}`. */
  macros: String.raw`\{\{[^{}\n]*\}\}`,
  /** Liquid/Jekyll and Hugo shortcodes: `{% include x.html %}`, `{{< figure src="a" >}}`, `{{% note %}}` (`macros` covers the last two). */
  shortcodes: String.raw`\{\{%[^\n]*?%\}\}|\{%[^%\n]*%\}|\{\{<[^\n]*?>\}\}`,
  /** printf-style and named placeholders: `%s`, `%1$d`, `%(name)s`. */
  placeholders: String.raw`%(?:\d+\$)?[sdif]|%\([A-Za-z_]+\)[sdif]`,
};

/**
 * The article with every protected token of each segment listed (`protected`) and, in a Markdown
 * segment's inline tree, each token that stands within one text node made a raw node: the codec
 * sends raw nodes as placeholders DeepL leaves alone, and puts them back byte for byte.
 */
export function protectTokens(article: SegmentedDocument, pattern: RegExp | undefined): SegmentedDocument {
  if (!pattern) return article;
  return { ...article, segments: article.segments.map((s) => protectSegment(s, pattern)) };
}

function protectSegment(segment: Segment, pattern: RegExp): Segment {
  const tokens = [...segment.source.matchAll(pattern)].map((m) => m[0]).filter((t) => t !== '');
  if (tokens.length === 0) return segment;
  return {
    ...segment,
    protected: tokens,
    ...(segment.phrasing ? { phrasing: splitTokens(segment.phrasing, segment.source, pattern) } : {}),
  };
}

function splitTokens(nodes: readonly PhrasingContent[], source: string, pattern: RegExp): PhrasingContent[] {
  return nodes.flatMap((node): PhrasingContent[] => {
    if ('children' in node)
      return [{ ...node, children: splitTokens(node.children as PhrasingContent[], source, pattern) } as PhrasingContent];
    if (node.type !== 'text') return [node];
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    // Only where the source spells the text as it reads (no escapes): the token's place in the source is then known.
    if (start === undefined || end === undefined || source.slice(start, end) !== node.value) return [node];
    const out: PhrasingContent[] = [];
    let at = 0;
    for (const m of node.value.matchAll(pattern)) {
      if (m[0] === '') continue;
      if (m.index > at) out.push(piece('text', node.value.slice(at, m.index), start + at));
      out.push(piece('html', m[0], start + m.index));
      at = m.index + m[0].length;
    }
    if (at < node.value.length) out.push(piece('text', node.value.slice(at), start + at));
    return out;
  });
}

function piece(type: 'text' | 'html', value: string, offset: number): PhrasingContent {
  const point = (o: number) => ({ line: 1, column: o + 1, offset: o });
  return { type, value, position: { start: point(offset), end: point(offset + value.length) } };
}

/** The project's `protect` entries (preset names or patterns) as one pattern, or none. */
export function protectPattern(patterns: readonly string[]): RegExp | undefined {
  if (patterns.length === 0) return undefined;
  return new RegExp(patterns.map((p) => `(?:${PROTECT_PRESETS[p] ?? p})`).join('|'), 'gu');
}

/**
 * The articles whose text holds a template shortcode (Liquid's, Hugo's) that no `protect` entry keeps
 * as written: it goes to DeepL as text, which may change it. Said once an article, at the first.
 */
export function unprotectedShortcodes(articles: readonly SegmentedDocument[]): Message[] {
  const shortcode = new RegExp(PROTECT_PRESETS['shortcodes'] as string, 'gu');
  const messages: Message[] = [];
  for (const { doc, segments } of articles) {
    if (!/\{[{%]/.test(doc.text)) continue;
    for (const segment of segments) {
      const found = [...segment.source.matchAll(shortcode)].find((m) => !segment.protected?.includes(m[0]))?.[0];
      if (found === undefined) continue;
      const shown = found.length > 40 ? `${found.slice(0, 39)}…` : found;
      messages.push({
        file: doc.path,
        line: segment.line,
        column: segment.column,
        rule: 'source',
        severity: 'warning',
        message:
          `holds a template shortcode (${shown}) that goes to DeepL as text, which may change it: ` +
          'add "shortcodes" to "protect" in diglot.config.json to keep shortcodes as written',
      });
      break;
    }
  }
  return messages;
}
