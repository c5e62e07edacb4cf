// Which segments go to DeepL at all: those with words of their own.
import type { Nodes } from 'mdast';
import type { Segment } from '../model.js';
import { isComment } from '../segment/html-comments.js';
import { saidInHtml } from '../text/html-parts.js';
import { proseText } from '../text/prose.js';

/**
 * Whether a segment needs translating at all: one without letters outside its protected tokens,
 * code spans and bare web addresses (a number, a dash, a lone macro, `npm install`,
 * <https://example.org>) is copied, never sent or billed. The `alt` and `title` values of its
 * inline HTML are words a reader meets (`<img alt="Karte">` alone in a table cell), and they travel.
 */
export function needsTranslation(segment: Pick<Segment, 'plain' | 'protected' | 'phrasing'>): boolean {
  let words = segment.phrasing ? segment.phrasing.map((node) => `${proseText(node)} ${saidWords(node)}`).join(' ') : segment.plain;
  for (const token of segment.protected ?? []) words = words.replace(token, ' ');
  return /\p{L}/u.test(words);
}

/** The `alt` and `title` values of the inline HTML in a node. */
function saidWords(node: Nodes): string {
  if (node.type === 'html')
    return isComment(node)
      ? ''
      : saidInHtml(node.value)
          .map((said) => said.value)
          .join(' ');
  return 'children' in node ? (node.children as Nodes[]).map(saidWords).join(' ') : '';
}
