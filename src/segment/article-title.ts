import type { SegmentedDocument, TranslatedArticle, TranslatedSegment } from '../model.js';
import { markdownToPlain } from './target-format.js';
import { splitEnglishSentences, splitSentences } from '../text/sentences.js';

/**
 * An article's title in both languages: the front matter title, else the first level-1 heading
 * (or a heading that opens the article), else the first sentence of the first paragraph. The
 * English comes from the same segment's translation, so a title never costs a request of its own:
 * for a title that is the lead's first sentence, as many English sentences as the German title
 * spans (both sides split with an abbreviation-aware splitter, so "St. Gallen" stays whole), or the
 * whole English when it has no more. `whole` says the title is that segment's whole text
 * (a title or heading, a one-sentence lead), which editions then show once, as the chapter title.
 */
export function articleTitle(translated: TranslatedArticle): { de: string; en: string | undefined; segmentId?: string; whole: boolean } {
  // A raw HTML block is no title: its text is read between tags.
  const body = translated.segments.filter((t) => t.segment.body && t.segment.kind !== 'html');
  // A subheading deep in the article is not its title: only a level-1 heading, or a heading
  // that opens the article, is.
  const opening = body[0]?.segment.kind === 'heading' ? body[0] : undefined;
  const pick =
    translated.segments.find((t) => t.segment.kind === 'title') ??
    body.find((t) => t.segment.kind === 'heading' && t.segment.depth === 1) ??
    opening ??
    body[0];
  if (!pick) return { de: translated.article.doc.id, en: undefined, whole: false };
  const { segment } = pick;
  const en = englishPlain(pick);
  if (segment.kind === 'title' || segment.kind === 'heading') return { de: segment.plain, en, segmentId: segment.id, whole: true };
  const de = leadingSentences(segment.plain, 1, splitSentences);
  // A one-sentence lead is the whole title: editions show it once, as the title.
  const whole = de === segment.plain.trim();
  if (en === undefined || whole) return { de, en: en?.trim(), segmentId: segment.id, whole };
  // The German title is a sentence of the lead: the same number of English sentences is its translation.
  const spans = Math.max(1, splitSentences(de).length);
  return { de, en: leadingSentences(en, spans, splitEnglishSentences), segmentId: segment.id, whole };
}

/** The German title alone, from the segments: what is known before any translation. */
export function germanTitle(article: SegmentedDocument): string {
  return untranslatedTitle(article).de;
}

/**
 * The heading that is the article's title, which a chapter shows as its title (`x-title`) and not
 * again in its text: the title itself, or an opening heading that repeats the front matter's title
 * (as CMS exports write it); `undefined` when no heading is.
 */
export function titleHeading(article: SegmentedDocument): string | undefined {
  const title = untranslatedTitle(article);
  if (title.whole && article.segments.some((s) => s.id === title.segmentId && s.kind === 'heading')) return title.segmentId;
  const front = article.segments.find((s) => s.kind === 'title');
  const opening = article.segments.find((s) => s.body && s.kind !== 'html');
  return front && opening?.kind === 'heading' && opening.key === front.key ? opening.id : undefined;
}

/** The front matter's description (the teaser), German and English (plain text), when the article has one. */
export function articleDescription(translated: TranslatedArticle): { de: string; en: string | undefined } | undefined {
  const found = translated.segments.find((t) => t.segment.kind === 'description');
  if (!found) return undefined;
  return { de: found.segment.plain, en: englishPlain(found) };
}

/** A segment's English as plain text (Markdown read as a reader sees it); `undefined` when missing. */
function englishPlain({ segment, target }: TranslatedSegment): string | undefined {
  return target === undefined ? undefined : segment.markdown ? markdownToPlain(target, segment.references) : target;
}

function untranslatedTitle(article: SegmentedDocument): ReturnType<typeof articleTitle> {
  const segments = article.segments.map((segment) => ({
    segment,
    target: undefined,
    origin: undefined,
    status: undefined,
    billedCharacters: 0,
  }));
  return articleTitle({ article, segments });
}

/** Only the start of a long paragraph is segmented: Intl.Segmenter slows down sharply on long text. */
const HEAD = 2000;

/** The first `count` sentences of `text`, trimmed; the whole text when it has no more than `count`. */
function leadingSentences(text: string, count: number, split: (text: string) => string[]): string {
  // Sentences longer than the window (no boundary after them in it) fall back to the whole text.
  for (const window of text.length > HEAD ? [text.slice(0, HEAD), text] : [text]) {
    const sentences = split(window);
    if (sentences.length > count) return sentences.slice(0, count).join('').trim();
    if (window === text) return text.trim();
  }
  return text.trim();
}
