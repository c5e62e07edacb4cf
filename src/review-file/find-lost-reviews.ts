// The review files showing a reviewer's English that the memory no longer holds, not even in its history
// (a merge resolved by taking one side of the memory file): a build would write them anew without it.
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { TranslationMemory } from '../memory/translation-memory.js';
import type { SegmentedDocument } from '../model.js';
import type { FileStamp } from '../write/write-atomic.js';
import { blockHash, targetHash, type ReviewState, reviewFileName } from './review-state.js';

/** A review file whose pairs show English a reviewer gave that the memory has lost. */
export interface LostReview {
  /** Path relative to the project root, e.g. `output/000_x.review.md`. */
  file: string;
  /** The ids of those pairs, in the file's order. */
  segments: string[];
}

/**
 * Whether the memory file was replaced since the last build rather than only added to (diglot only
 * appends to it; a merge, a checkout or a hand edit writes it anew, or over it): only then may it have
 * lost English. Written over in place, it is no longer than it was, and its time changed.
 */
export function memoryReplaced(before: FileStamp | undefined, now: FileStamp | undefined): boolean {
  if (before === undefined || now === undefined || before.ino !== now.ino) return true;
  return now.size < before.size || (now.size === before.size && now.mtimeMs !== before.mtimeMs);
}

/**
 * The articles' review files, as the review state records them last written or imported, whose
 * reviewed, approved or imported English the memory holds neither as the English of that German nor
 * in its history.
 */
export async function findLostReviews(
  config: Config,
  articles: readonly SegmentedDocument[],
  memory: TranslationMemory,
  state: ReviewState,
): Promise<LostReview[]> {
  const lost: LostReview[] = [];
  const recorded = await state.names();
  for (const article of articles) {
    const name = reviewFileName(article.doc.id);
    const record = recorded.has(name) ? await state.record(name) : undefined;
    if (!record) continue;
    const segments = record.segments.filter((s) => {
      if (s.en === null || s.copy || !(s.approved || s.label === 'reviewed' || s.imported)) return false;
      const entry = memory.lookupKey(s.source, config.targetLang);
      // As diglot writes it, or as a reviewer typed it and `review import` recorded it (`[x]` in a plain-text
      // article, which diglot writes as `\[x]`): the memory's English either way.
      const shows = (target: string): boolean => targetHash(target, s) === s.en || blockHash(target) === s.en;
      return !entry || !(shows(entry.target) || (entry.history ?? []).some((h) => shows(h.target)));
    });
    if (segments.length > 0) lost.push({ file: path.join(config.output, name), segments: segments.map((s) => s.id) });
  }
  return lost;
}
