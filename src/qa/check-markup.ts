import type { Nodes } from 'mdast';
import type { Finding } from '../model.js';
import { isComment } from '../segment/html-comments.js';
import { markupOf, saidInHtml } from '../text/html-parts.js';
import { parseInSegment, parseMarkdown } from '../segment/parse-markdown.js';
import { finding, type CheckInput } from './check-context.js';

/**
 * Emphasis marks left as text: a run of `*`, of two or more `~` (one is "about": ~5 km), or of `_`
 * at a word's edge (`**Litauen`, an emphasis not closed). Counted in the English only where the
 * German has fewer: a German gender star (`Soldat*innen`) is rightly gone from the English.
 */
const STRAY_MARKS = /\*+|~{2,}|(?<![\p{L}\d])_+|_+(?![\p{L}\d])/gu;
const MARKS = 'marks ';

/** A footnote reference written as text: one to a note the article does not define (`[^2]` where it has only `[^1]`). */
const NOTE_AS_TEXT = /\[\^[^\]\s]+\]/g;

/** The items of `items` that `from` does not have, each of its items taken once. */
function unmatched(items: readonly string[], from: readonly string[]): string[] {
  const left = [...from];
  return items.filter((item) => {
    const at = left.indexOf(item);
    if (at >= 0) left.splice(at, 1);
    return at < 0;
  });
}

/** The inline markup of parsed Markdown: counts of each kind, link URLs, code spans and emphasis marks left as text. */
export function markupInventory(nodes: readonly Nodes[]): string[] {
  const items: string[] = [];
  const visit = (node: Nodes): void => {
    switch (node.type) {
      case 'text':
        for (const [marks] of node.value.matchAll(STRAY_MARKS)) items.push(`${MARKS}${marks}`);
        for (const [note] of node.value.matchAll(NOTE_AS_TEXT)) items.push(`footnote ${note} as text (the article has no such note)`);
        break;
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
      // A reference-style link or picture by its definition's label: an English that loses the label loses the link.
      case 'linkReference':
        items.push(`link [${node.identifier}]`);
        break;
      case 'imageReference':
        items.push(`image [${node.identifier}]`);
        break;
      case 'inlineCode':
        items.push(`code ${node.value}`);
        break;
      case 'footnoteReference':
        items.push(`footnote ${node.identifier}`);
        break;
      case 'html':
        // Comments are notes on the German: never sent, so never in the English.
        // Its `alt` and `title` values are translated: the tag is the same markup whatever language they are in.
        if (!isComment(node)) items.push(`html ${markupOf(node.value, saidInHtml(node.value))}`);
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
  const target = markupInventory(parseInSegment(input.target, segment) ?? parseMarkdown(input.target).children);
  const markup = (items: string[]): string[] => items.filter((item) => !item.startsWith(MARKS));
  const stray = unmatched(
    target.filter((item) => item.startsWith(MARKS)),
    source,
  );
  if (markup(source).join('\n') === markup(target).join('\n') && stray.length === 0) return [];
  const missing = markup(source).filter((item) => !target.includes(item));
  const extra = markup(target).filter((item) => !source.includes(item));
  const detail = [
    missing.length ? `missing ${missing.join(', ')}` : '',
    extra.length ? `added ${extra.join(', ')}` : '',
    stray.length ? `emphasis marks left as text (not closed?): ${stray.map((m) => m.slice(MARKS.length)).join(' ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return [
    finding(input, 'markup', `inline markup differs from the German: ${detail || 'different counts'}`, {
      actual: target.join(', '),
      expected: source.join(', '),
    }),
  ];
}
