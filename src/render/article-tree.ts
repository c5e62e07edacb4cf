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
 * The segment a node of the article's tree holds, if any: a paragraph, heading or table cell by its
 * first child's offset (where the segment starts), or a paragraph by the segment that starts within it
 * (a quote's paragraph after its alert marker, `> [!NOTE]`); a raw HTML block that is an `html` segment by its own.
 */
export function segmentFinder(article: TranslatedArticle): (node: Nodes) => TranslatedSegment | undefined {
  const body = article.segments.filter((t) => t.segment.body);
  const byStart = new Map(body.map((t) => [t.segment.start, t]));
  return (node) => {
    if (node.type === 'html') {
      const t = byStart.get(node.position?.start.offset ?? -1);
      return t?.segment.kind === 'html' ? t : undefined;
    }
    if (node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'tableCell') return undefined;
    const at = node.children[0]?.position?.start.offset ?? -1;
    const end = node.position?.end.offset ?? -1;
    return byStart.get(at) ?? (node.type === 'paragraph' ? body.find((t) => t.segment.start > at && t.segment.start < end) : undefined);
  };
}
