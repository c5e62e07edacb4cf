import { toMarkdown } from 'mdast-util-to-markdown';

/** Plain text as one Markdown paragraph, escaped so that a renderer shows it as it is. */
export function escapeMarkdown(text: string): string {
  return toMarkdown({ type: 'paragraph', children: [{ type: 'text', value: text }] }).replace(/\n+$/, '');
}

/** A segment's text as Markdown: inline Markdown stays, plain text is escaped; one line. */
export function segmentMarkdown(text: string, markdown: boolean): string {
  const oneLine = text.replace(/[ \t]*\r?\n[ \t]*/g, markdown ? '\n' : ' ');
  return markdown ? oneLine : escapeMarkdown(oneLine);
}
