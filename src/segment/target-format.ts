/**
 * A memory entry's English in the format of the segment that reads it: the same German paragraph in
 * a `.md` and a `.txt` article shares one entry, stored as inline Markdown or as plain text.
 */
import type { MemoryEntry } from '../memory/entry.js';
import { escapeMarkdown } from '../text/markdown-text.js';
import { parseMarkdown, plainText } from './parse-markdown.js';

/**
 * The entry's target for a segment: inline Markdown read as plain text for a `.txt` segment (its
 * escapes and emphasis markers gone, as a reader of the Markdown sees it), plain text escaped for
 * a `.md` segment (so a `*` or `[` stays text). An entry without a recorded format is taken as
 * written in the segment's format, as entries were before formats were recorded.
 */
export function targetForSegment(entry: Pick<MemoryEntry, 'target' | 'markdown'>, segment: { readonly markdown: boolean }): string {
  if (entry.markdown === undefined || entry.markdown === segment.markdown) return entry.target;
  return segment.markdown ? escapeMarkdown(entry.target.replace(/\s*\n\s*/g, ' ')) : markdownToPlain(entry.target);
}

/**
 * Inline Markdown as the plain text a reader sees, on one line; read with a segment's `references`
 * (the article's definitions, as stand-ins), a footnote reference (`[^1]`) is no text either.
 */
export function markdownToPlain(markdown: string, references?: string): string {
  const tree = parseMarkdown(references ? `${markdown}\n\n${references}` : markdown);
  if (references) tree.children = tree.children.filter((node) => node.type !== 'definition' && node.type !== 'footnoteDefinition');
  return plainText(tree).replace(/\s+/g, ' ').trim();
}
