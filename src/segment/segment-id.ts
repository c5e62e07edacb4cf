import { sha256 } from '../util/hash.js';
import { normalise } from './normalise.js';

/**
 * Gives segments ids that survive edits elsewhere in the article: a short hash of the normalised
 * German, with `-2`, `-3` … for repeats of the same text in one article.
 */
export function createSegmentIds(): (source: string) => string {
  const seen = new Map<string, number>();
  return (source) => {
    const base = sha256(normalise(source), 8);
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  };
}
