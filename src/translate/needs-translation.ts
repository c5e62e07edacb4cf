// Which segments go to DeepL at all: those with words of their own.
import type { Nodes } from 'mdast';
import type { Segment } from '../model.js';

/**
 * Whether a segment needs translating at all: one without letters outside its protected tokens,
 * code spans and bare web addresses (a number, a dash, a lone macro, `npm install`,
 * <https://example.org>) is copied, never sent or billed.
 */
export function needsTranslation(segment: Pick<Segment, 'plain' | 'protected' | 'phrasing'>): boolean {
  let words = segment.phrasing ? segment.phrasing.map(prose).join(' ') : segment.plain;
  for (const token of segment.protected ?? []) words = words.replace(token, ' ');
  return /\p{L}/u.test(words);
}

/** The words of inline Markdown a reader reads as text: not code, and not a link's text that is its address. */
function prose(node: Nodes): string {
  if (node.type === 'inlineCode' || node.type === 'html') return ' ';
  if (node.type === 'text') return node.value;
  if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? '';
  if (node.type === 'link' && node.children.length === 1 && node.children[0]?.type === 'text') {
    // An autolink: <https://…>, www.…, an e-mail address.
    const bare = (address: string): string => address.replace(/^(?:https?:\/\/|mailto:)/i, '');
    if (bare(node.children[0].value) === bare(node.url)) return ' ';
  }
  return 'children' in node ? (node.children as Nodes[]).map(prose).join('') : ' ';
}
