import type { Nodes } from 'mdast';
import type { Finding } from '../model.js';
import { isComment } from '../segment/html-comments.js';
import { parseInline, parseMarkdown } from '../segment/parse-markdown.js';
import { finding, type CheckInput } from './check-context.js';

/** The inline markup of parsed Markdown: counts of each kind, link URLs and code spans. */
export function markupInventory(nodes: readonly Nodes[]): string[] {
  const items: string[] = [];
  const visit = (node: Nodes): void => {
    switch (node.type) {
      case 'emphasis':
      case 'strong':
      case 'delete':
      case 'break':
        items.push(node.type);
        break;
      case 'link':
        items.push(`link ${node.url}`);
        break;
      case 'image':
        items.push(`image ${node.url}`);
        break;
      case 'inlineCode':
        items.push(`code ${node.value}`);
        break;
      case 'footnoteReference':
        items.push(`footnote ${node.identifier}`);
        break;
      case 'html':
        // Comments are notes on the German: never sent, so never in the English.
        if (!isComment(node)) items.push(`html ${node.value}`);
        break;
      default:
        break;
    }
    if ('children' in node) for (const child of node.children as Nodes[]) visit(child);
  };
  for (const node of nodes) visit(node);
  return items.sort();
}

/** Inline markup: the English carries the same emphasis, links (same URLs), code and notes. */
export function checkMarkup(input: CheckInput): Finding[] {
  const { segment } = input;
  if (!segment.markdown) return [];
  // A text that is not one run of inline content alone (a source without `phrasing`) is read as blocks.
  // Protected tokens are checked by their own rule (they stand as raw nodes in the German's tree only).
  const tokens = new Set(segment.protected ?? []);
  const source = markupInventory(segment.phrasing ?? parseMarkdown(segment.source).children).filter(
    (item) => !(item.startsWith('html ') && tokens.has(item.slice(5))),
  );
  const target = markupInventory(parseInline(input.target, segment.references) ?? parseMarkdown(input.target).children);
  if (source.join('\n') === target.join('\n')) return [];
  const missing = source.filter((item) => !target.includes(item));
  const extra = target.filter((item) => !source.includes(item));
  const detail = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `added ${extra.join(', ')}` : '']
    .filter(Boolean)
    .join('; ');
  return [
    finding(input, 'markup', `inline markup differs from the German: ${detail || 'different counts'}`, {
      actual: target.join(', '),
      expected: source.join(', '),
    }),
  ];
}
