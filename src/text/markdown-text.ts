import type { PhrasingContent, Root } from 'mdast';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';

/**
 * Inline content written out as one Markdown paragraph, without the final newline. CommonMark
 * only, with remark-stringify's defaults: the GFM serialiser would also escape `~`, `@`, and the
 * `.` of `www.` and `:` of `https:` in plain text, which no reader of the Markdown needs.
 */
export function phrasingMarkdown(children: PhrasingContent[]): string {
  const tree: Root = { type: 'root', children: [{ type: 'paragraph', children }] };
  return unified().use(remarkStringify).stringify(tree).replace(/\n+$/, '');
}

/** Plain text as one Markdown paragraph, escaped so that a renderer shows it as it is. */
export function escapeMarkdown(text: string): string {
  return phrasingMarkdown([{ type: 'text', value: text }]);
}

/** A segment's text as Markdown: inline Markdown stays, plain text is escaped; one line. */
export function segmentMarkdown(text: string, markdown: boolean): string {
  const oneLine = text.replace(/[ \t]*\r?\n[ \t]*/g, markdown ? '\n' : ' ');
  return markdown ? oneLine : escapeMarkdown(oneLine);
}
