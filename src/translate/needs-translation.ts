// Which segments go to DeepL at all: those with words of their own.
import type { Segment } from '../model.js';

/**
 * Whether a segment needs translating at all: one without letters outside its protected tokens (a
 * number, a dash, a lone macro) is copied, never sent or billed.
 */
export function needsTranslation(segment: Pick<Segment, 'plain' | 'protected'>): boolean {
  let words = segment.plain;
  for (const token of segment.protected ?? []) words = words.replace(token, ' ');
  return /\p{L}/u.test(words);
}
