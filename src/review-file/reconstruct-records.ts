import type { TranslationMemory } from '../memory/translation-memory.js';
import type { SegmentedDocument } from '../model.js';
import { translatedArticle } from '../translate/translated-article.js';
import { recordOf, reviewFileName, type FileRecord } from './review-state.js';

/**
 * The records of the review files a build would write now, from the sources and the memory alone
 * (nothing is sent): what diglot compares a review file with when the state file has no record of
 * it, for instance review files written before the state file existed. By file name.
 */
export function reconstructRecords(
  articles: readonly SegmentedDocument[],
  memory: TranslationMemory,
  lang: string,
): Map<string, FileRecord> {
  return new Map(articles.map((article) => [reviewFileName(article.doc.id), recordOf(translatedArticle(article, memory, lang))]));
}
