/**
 * HTML comments in Markdown (`<!-- interne Notiz -->`): notes for the people who edit the source,
 * never translated, billed or published. Helpers to recognise, collect and strip them.
 */
import type { Nodes } from 'mdast';
import type { Segment } from '../model.js';

/** A comment anywhere in a text, for text that was not parsed (the codec's fallback). */
const COMMENT = /<!--[\s\S]*?-->/g;

/** Whether an mdast node is an HTML comment (inline or block). */
export function isComment(node: Nodes): boolean {
  return node.type === 'html' && node.value.startsWith('<!--');
}

/** Whether a run of inline content holds nothing but comments and white space. */
export function onlyComments(children: readonly Nodes[]): boolean {
  return children.some(isComment) && children.every((c) => isComment(c) || (c.type === 'text' && c.value.trim() === ''));
}

/** The text with every comment removed (and the white space around it folded): no parser needed. */
export function stripComments(text: string): string {
  if (!text.includes('<!--')) return text;
  return text.replace(/[ \t]*<!--[\s\S]*?-->[ \t]*/g, ' ').trim();
}

/** The comments of a Markdown segment's source, in order, as written. */
export function inlineComments(segment: Pick<Segment, 'source' | 'phrasing'>): string[] {
  const { source, phrasing } = segment;
  if (!source.includes('<!--')) return [];
  if (!phrasing) return source.match(COMMENT) ?? [];
  const found: string[] = [];
  const stack: Nodes[] = [...phrasing].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as Nodes;
    if (node.type === 'html' && isComment(node)) found.push(node.value);
    else if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  return found;
}
