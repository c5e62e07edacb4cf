// An article's German document tree (mdast), the shape every edition is rendered from.
import type { Nodes, Root, RootContent } from 'mdast';
import type { SegmentedDocument, TranslatedArticle, TranslatedSegment } from '../model.js';
import { parseMarkdown } from '../segment/parse-markdown.js';

/**
 * A Markdown article's tree as its source parses (lists, tables, code, quotes, notes and all); a
 * plain-text article's tree made from its segments, a heading or paragraph each. Every node that
 * holds a segment's text has its first child at the segment's `start` offset, which is how the
 * books find the segment (and its English) of each node.
 */
export function articleTree(article: SegmentedDocument): Root {
  const { doc, segments } = article;
  if (doc.format === 'md') return parseMarkdown(doc.text);
  const children: RootContent[] = segments
    .filter((s) => s.body)
    .map((s) => {
      const text = {
        type: 'text' as const,
        value: s.source,
        position: { start: { line: s.line, column: s.column, offset: s.start }, end: { line: s.line, column: s.column, offset: s.end } },
      };
      return s.kind === 'heading'
        ? { type: 'heading', depth: clampDepth(s.depth), children: [text] }
        : { type: 'paragraph', children: [text] };
    });
  return { type: 'root', children };
}

function clampDepth(depth: number | undefined): 1 | 2 | 3 | 4 | 5 | 6 {
  return Math.min(Math.max(depth ?? 2, 1), 6) as 1 | 2 | 3 | 4 | 5 | 6;
}

/**
 * The segments a node of the article's tree holds, in order: a heading's or table cell's by its first
 * child's offset (where the segment starts); a paragraph's, those that start within it (after a quote's
 * alert marker, `> [!NOTE]`; several where a Markdown dialect writes several texts in one, a callout's
 * title and body, a term and its definitions: see `dialectPieces`); a raw HTML block that is an `html`
 * segment by its own.
 */
export function segmentsFinder(article: TranslatedArticle): (node: Nodes) => TranslatedSegment[] {
  const body = article.segments.filter((t) => t.segment.body).sort((a, b) => a.segment.start - b.segment.start);
  const byStart = new Map(body.map((t) => [t.segment.start, t]));
  /** The segments that start in [from, to), by a binary search for the first. */
  const startingIn = (from: number, to: number): TranslatedSegment[] => {
    let low = 0;
    let high = body.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((body[mid] as TranslatedSegment).segment.start < from) low = mid + 1;
      else high = mid;
    }
    const found: TranslatedSegment[] = [];
    for (let i = low; i < body.length && (body[i] as TranslatedSegment).segment.start < to; i++) found.push(body[i] as TranslatedSegment);
    return found;
  };
  return (node) => {
    if (node.type === 'html') {
      const t = byStart.get(node.position?.start.offset ?? -1);
      return t?.segment.kind === 'html' ? [t] : [];
    }
    if (node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'tableCell') return [];
    const at = node.children[0]?.position?.start.offset ?? -1;
    const first = byStart.get(at);
    const end = node.position?.end.offset;
    // (A tree made of a plain-text article's segments has no offsets but its texts'.)
    if (node.type !== 'paragraph' || end === undefined) return first ? [first] : [];
    return startingIn(at, end);
  };
}
