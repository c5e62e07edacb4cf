import type { TranslatedArticle } from '../model.js';
import { parseMarkdown, plainText } from './parse-markdown.js';
import { splitSentences } from '../text/sentences.js';

/**
 * An article's title in both languages: the front matter title, else the first level-1 heading
 * (or a heading that opens the article), else the first sentence of the first paragraph. The
 * English comes from the same segment's translation, so a title never costs a request of its own. `whole` says the title is that segment's whole text
 * (a title or heading), which editions then show once, as the chapter title.
 */
export function articleTitle(translated: TranslatedArticle): { de: string; en: string | undefined; segmentId?: string; whole: boolean } {
  const body = translated.segments.filter((t) => t.segment.body);
  // A subheading deep in the article is not its title: only a level-1 heading, or a heading
  // that opens the article, is.
  const opening = body[0]?.segment.kind === 'heading' ? body[0] : undefined;
  const pick =
    translated.segments.find((t) => t.segment.kind === 'title') ??
    body.find((t) => t.segment.kind === 'heading' && t.segment.depth === 1) ??
    opening ??
    body[0];
  if (!pick) return { de: translated.article.doc.id, en: undefined, whole: false };
  const { segment, target } = pick;
  const en = target === undefined ? undefined : segment.markdown ? toPlain(target) : target;
  if (segment.kind === 'title' || segment.kind === 'heading') return { de: segment.plain, en, segmentId: segment.id, whole: true };
  const de = firstSentence(segment.plain, 'de');
  // A one-sentence lead is the whole title: editions show it once, as the title.
  const whole = de === segment.plain.trim();
  return { de, en: en === undefined ? undefined : whole ? en.trim() : firstSentence(en, 'en'), segmentId: segment.id, whole };
}

function toPlain(markdown: string): string {
  return plainText(parseMarkdown(markdown)).replace(/\s+/g, ' ').trim();
}

/** Only the start of a long paragraph is segmented: Intl.Segmenter slows down sharply on long text. */
const HEAD = 2000;

function firstSentence(text: string, lang: 'de' | 'en'): string {
  // A first sentence longer than the window (no boundary in it) falls back to the whole text.
  for (const window of text.length > HEAD ? [text.slice(0, HEAD), text] : [text]) {
    const sentences =
      lang === 'de'
        ? splitSentences(window)
        : [...new Intl.Segmenter('en', { granularity: 'sentence' }).segment(window)].map((s) => s.segment);
    const first = sentences[0];
    if (first !== undefined && (sentences.length > 1 || window === text)) return first.trim();
  }
  return text.trim();
}
