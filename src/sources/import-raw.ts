import { stringify } from 'yaml';
import { germanTitle } from '../segment/article-title.js';
import type { DroppedText, SegmentedDocument } from '../model.js';
import { escapeMarkdown } from '../text/markdown-text.js';

/**
 * A raw `.txt` article as a clean Markdown source: front matter (title, date from the date
 * marker, author from the byline, the raw file's name), subheadings as `##`, paragraphs escaped so
 * Markdown reads them as the same text, and every line the cleanup rules dropped left out (and
 * returned, to be reported). An opening heading becomes the title and is not repeated in the body.
 */
export function importRaw(article: SegmentedDocument, rawName: string): { markdown: string; dropped: DroppedText[] } {
  const { doc, segments } = article;
  const title = germanTitle(article);
  const opening = segments[0]?.kind === 'heading' && segments[0].depth === 1 ? segments[0] : undefined;
  const front: Record<string, string> = { title };
  if (doc.meta.date) front['date'] = doc.meta.date;
  if (doc.meta.author) front['author'] = doc.meta.author;
  front['source'] = rawName;
  const blocks = segments
    .filter((s) => s !== opening)
    .map((s) => {
      const text = escapeMarkdown(s.source.replace(/\s*\n\s*/g, ' '));
      return s.kind === 'heading' ? `${'#'.repeat(Math.max(2, s.depth ?? 2))} ${text}` : text;
    });
  return { markdown: `---\n${stringify(front, { lineWidth: 0 })}---\n\n${blocks.join('\n\n')}\n`, dropped: article.dropped };
}
