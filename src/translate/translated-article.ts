// An article's segments with the English the memory now holds: what the checks and writers take.
import type { TranslationMemory } from '../memory/translation-memory.js';
import type { Segment, SegmentedDocument, TranslatedArticle, TranslatedSegment } from '../model.js';
import { targetForSegment } from '../segment/target-format.js';
import { copiedEnglish } from './copied-english.js';
import { needsTranslation } from './needs-translation.js';

/** Where this run's billed characters are shown: on the first segment, in source order, that has the text. */
export interface Billing {
  byKey: ReadonlyMap<string, number>;
  /**
   * The keys of the texts sent whose billed characters are not shown yet: each is taken out where
   * it is shown, as articles are made in source order.
   */
  unshown: Set<string>;
}

/**
 * Every segment of an article with its English (in the segment's format, whichever format's
 * article stored it), origin and status from the memory, or no English when the memory has none;
 * a segment without letters is its own English (its figures in English notation, see {@link copiedEnglish}).
 */
export function translatedArticle(
  article: SegmentedDocument,
  memory: TranslationMemory,
  lang: string,
  billing?: Billing,
): TranslatedArticle {
  return { article, segments: article.segments.map((segment) => translatedSegment(segment, memory, lang, billing)) };
}

/** One segment of {@link translatedArticle}: its English, origin and status from the memory now. */
function translatedSegment(segment: Segment, memory: TranslationMemory, lang: string, billing?: Billing): TranslatedSegment {
  if (!needsTranslation(segment))
    return { segment, target: copiedEnglish(segment, lang), origin: 'copy', status: 'reviewed', billedCharacters: 0 };
  const key = segment.key;
  const entry = memory.lookupKey(key, lang);
  const billed = billing?.byKey.get(key);
  const first = billed !== undefined && billing?.unshown.delete(key) === true;
  return {
    segment,
    target: entry === undefined ? undefined : targetForSegment(entry, segment),
    origin: entry?.origin,
    status: entry?.status,
    billedCharacters: first ? billed : 0,
    ...(entry ? { updated: entry.updated } : {}),
    ...(entry?.accepted && entry.accepted.length > 0 ? { accepted: entry.accepted.map((a) => a.rule) } : {}),
  };
}

/** A segment's English as the memory holds it now (in the segment's format; a segment without letters is its own), else `undefined`. */
export function segmentEnglish(segment: Segment, memory: TranslationMemory, lang: string): string | undefined {
  return translatedSegment(segment, memory, lang).target;
}
