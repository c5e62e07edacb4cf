import type { PhrasingContent, Root } from 'mdast';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';

/** A `~` next to a letter, which GFM may read as strikethrough (`~~a~~`, `~a~`); one between spaces (`~ 5 %`) it does not. */
const STRIKETHROUGH = [
  { character: '~', inConstruct: 'phrasing' as const, after: '\\S' },
  { character: '~', inConstruct: 'phrasing' as const, before: '\\S' },
];

/**
 * Inline content written out as one Markdown paragraph, without the final newline. CommonMark, with
 * remark-stringify's defaults, and a `~` that GFM could read as strikethrough escaped: the GFM
 * serialiser would also escape `@`, and the `.` of `www.` and `:` of `https:` in plain text, which
 * no reader of the Markdown needs.
 */
export function phrasingMarkdown(children: PhrasingContent[]): string {
  const tree: Root = { type: 'root', children: [{ type: 'paragraph', children }] };
  return unified().use(remarkStringify, { unsafe: STRIKETHROUGH }).stringify(tree).replace(/\n+$/, '');
}

/** Plain text as one Markdown paragraph, escaped so that a renderer shows it as it is. */
export function escapeMarkdown(text: string): string {
  return phrasingMarkdown([{ type: 'text', value: text }]);
}

/** A segment's text as Markdown: inline Markdown stays, plain text is escaped; one line. */
export function segmentMarkdown(text: string, markdown: boolean): string {
  // A hard line break of two spaces is written as a backslash: trailing spaces are invisible, and editors drop them.
  const breaks = markdown ? text.replace(/ {2,}(?=\r?\n)/g, '\\') : text;
  const oneLine = breaks.replace(/[ \t]*\r?\n[ \t]*/g, markdown ? '\n' : ' ');
  return markdown ? oneLine : escapeMarkdown(oneLine);
}

/**
 * Inline Markdown to stand at the start of a block's content (a paragraph, a list item, a quote, a
 * note): its first characters escaped where they would open another block there, a heading (`#`),
 * a list (`-`, `+`, `*`, `1.`, `1)`), a quote (`>`), a fence or a thematic break, rather than stand
 * as text. "- Point one" written as a list item's English stays that text in its list item.
 */
export function escapeBlockStart(markdown: string): string {
  const [first = '', ...rest] = markdown.split('\n');
  // A later line could interrupt the paragraph too (`# x`, `> x`, `- x`), or underline the one before it as a heading (`===`, `--`).
  return [escapeLineStart(first), ...rest.map((line) => escapeLineStart(line.replace(/^(?=[ \t]*(?:=+|-+)[ \t]*$)/, '\\')))].join('\n');
}

function escapeLineStart(line: string): string {
  return line
    .replace(/^(?=(?:#{1,6}|[-+*])(?:[ \t]|$)|>|`{3}|~{3}|([-*_])(?:[ \t]*\1){2,}[ \t]*$)/, '\\')
    .replace(/^(\d{1,9})(?=[.)](?:[ \t]|$))/, '$1\\');
}
