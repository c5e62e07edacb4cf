// An article's German document tree (mdast), the shape every edition is rendered from.
import type { Root, RootContent } from 'mdast';
import type { SegmentedDocument } from '../model.js';
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
