// Which segments go to DeepL at all: those with words of their own.
import type { Segment } from '../model.js';
import { proseText } from '../text/prose.js';

/**
 * Whether a segment needs translating at all: one without letters outside its protected tokens,
 * code spans and bare web addresses (a number, a dash, a lone macro, `npm install`,
 * <https://example.org>) is copied, never sent or billed.
 */
export function needsTranslation(segment: Pick<Segment, 'plain' | 'protected' | 'phrasing'>): boolean {
  let words = segment.phrasing ? segment.phrasing.map(proseText).join(' ') : segment.plain;
  for (const token of segment.protected ?? []) words = words.replace(token, ' ');
  return /\p{L}/u.test(words);
}
