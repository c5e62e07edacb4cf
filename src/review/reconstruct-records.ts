import type { TranslationMemory } from '../memory/translation-memory.js';
import type { SegmentedDocument } from '../model.js';
import { translateSegments } from '../translate/translate-segments.js';
import type { Logger } from '../util/logger.js';
import { recordOf, reviewFileName, type FileRecord } from './review-state.js';

/**
 * The records of the review files a build would write now, from the sources and the memory alone
 * (nothing is sent): what diglot compares a review file with when the state file has no record of
 * it, for instance review files written before the state file existed. By file name.
 */
export async function reconstructRecords(articles: readonly SegmentedDocument[], memory: TranslationMemory, lang: string, log: Logger): Promise<Map<string, FileRecord>> {
  const outcome = await translateSegments(articles, {
    engine: undefined,
    memory,
    lang,
    concurrency: 1,
    glossaryEntries: [],
    now: () => new Date().toISOString(),
    log,
  });
  return new Map(outcome.articles.map((a) => [reviewFileName(a.article.doc.id), recordOf(a)]));
}
