import { stringify } from 'yaml';
import type { Segment, TranslatedArticle } from '../model.js';
import { articleTitle } from '../segment/article-title.js';
import { glue } from '../segment/glue.js';
import { inlineComments } from '../segment/html-comments.js';
import { escapeMarkdown } from '../text/markdown-text.js';
import { relocateUrls, type EnglishPlace } from './relocate-urls.js';

/** How an article's English Markdown in the output folder is named, after its id: `<id>.en.md`. */
export const ENGLISH_SUFFIX = '.en.md';

/**
 * The English article. A Markdown source keeps its exact structure: only the segments' text is
 * spliced in, by source offsets, and a segment's HTML comments (never sent to DeepL) follow its
 * English: the file is the German document with the text replaced, and a note on a paragraph
 * stays with that paragraph (where inside a sentence it sat cannot be carried over a translation);
 * with `place`, its relative links and pictures are pointed from where it is written (see `relocateUrls`).
 * A raw `.txt` becomes Markdown: front matter (title, date, source),
 * subheadings as headings, paragraphs escaped, dropped noise left out. Throws if a segment has no
 * translation: callers write only complete articles.
 */
export function renderEnglishMarkdown(translated: TranslatedArticle, place?: EnglishPlace): string {
  const { doc } = translated.article;
  const missing = translated.segments.find((t) => t.target === undefined);
  if (missing) throw new Error(`segment ${missing.segment.id} of ${doc.path} has no translation`);
  const targets = new Map(translated.segments.map((t) => [t.segment, t.target]));
  if (doc.format === 'md') {
    const english = glue(
      doc.text,
      translated.segments.map((t) => t.segment),
      (s) => withComments(s, targets.get(s)),
    );
    return place ? relocateUrls(english, translated, place) : english;
  }

  const title = articleTitle(translated);
  const front: Record<string, string> = { title: title.en ?? title.de };
  if (doc.meta.date) front['date'] = doc.meta.date;
  if (doc.meta.author) front['author'] = doc.meta.author;
  front['source'] = doc.path;
  const blocks = translated.segments.map(({ segment, target }) => {
    const text = escapeMarkdown((target ?? '').replace(/\s*\n\s*/g, ' '));
    return segment.kind === 'heading' ? `${'#'.repeat(segment.depth ?? 2)} ${text}` : text;
  });
  return `---\n${stringify(front, { lineWidth: 0 })}---\n\n${blocks.join('\n\n')}\n`;
}

/** A Markdown segment's English followed by the German's comments that it does not hold already. */
function withComments(segment: Segment, target: string | undefined): string | undefined {
  if (target === undefined || !segment.markdown) return target;
  const missing = inlineComments(segment).filter((c) => !target.includes(c));
  return missing.length === 0 ? target : `${target} ${missing.join(' ')}`;
}
