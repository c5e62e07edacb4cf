// Whether a segment's English breaks one glossary term as the glossary writes it now: what
// `retranslate --term` re-sends, and what it lists for translations it keeps.
import { englishPattern } from '../glossary/english-term.js';
import type { TermMatch } from '../glossary/match-terms.js';
import type { Finding } from '../model.js';
import { finding, type CheckInput } from '../qa/check-context.js';
import { checkTerms, englishProse } from '../qa/check-terms.js';

/**
 * The finding for term `german` in a segment whose German holds it (`matches`: the term matcher's
 * matches in the German), or `undefined` when the German does not hold it or the English keeps it.
 * Kept means what the term check asks (src/qa/check-terms.ts), and more: the English must write
 * the term's words in the letter case the glossary gives them now (the check forgives a capital for
 * a word's small first letter, as in a heading), because a change of case is a change of the term
 * too ("eastern flank" → "Eastern Flank"). Only the very first letter may be a capital for a small
 * one: a sentence may begin with the term.
 */
export function termViolation(input: CheckInput, matches: readonly TermMatch[], german: string): Finding | undefined {
  const own = matches.filter((m) => m.term.german === german);
  const first = own[0];
  if (!first) return undefined;
  const [checked] = checkTerms(input, own);
  if (checked) return checked;
  const expected = [...new Set(own.map((m) => m.form.en))];
  const english = englishProse(input);
  if (expected.every((en) => englishPattern(en, 'first word').test(english))) return undefined;
  const found = expected.map((en) => englishPattern(en).exec(english)?.[0]).find((f) => f !== undefined);
  return finding(
    input,
    'term',
    `glossary term "${german}" must be written "${first.term.english}"${found ? ` (the English has "${found}")` : ''}`,
    { actual: input.target, expected: first.term.english },
  );
}
