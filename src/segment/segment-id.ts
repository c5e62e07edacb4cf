import { sha256 } from '../util/hash.js';

/**
 * Gives segments ids that survive edits elsewhere in the article: a short hash of the normalised
 * German (the segment's key), with `-2`, `-3` … for repeats of the same text in one article.
 */
export function createSegmentIds(): (key: string) => string {
  const seen = new Map<string, number>();
  return (key) => {
    const base = segmentIdBase(key);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  };
}

/** The id of a segment whose key (its normalised German) is `key`, but for a repeat's suffix. */
export function segmentIdBase(key: string): string {
  return sha256(key, 8);
}
