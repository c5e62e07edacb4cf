import { englishPattern } from '../glossary/english-term.js';
import type { TermMatch } from '../glossary/match-terms.js';
import type { Finding } from '../model.js';
import { finding, type CheckInput } from './check-context.js';

/**
 * Terminology: for every glossary term found in the German (inflected, capitalised or as a
 * compound head), the English must contain the term's English (or the listed form's), allowing
 * English inflection. One finding per term missed, naming the German form found.
 */
export function checkTerms(input: CheckInput, matches: readonly TermMatch[]): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  for (const match of matches) {
    if (reported.has(match.term.german)) continue;
    const expected = [...new Set([match.form.en, match.term.english])];
    if (expected.some((en) => englishPattern(en).test(input.target))) continue;
    reported.add(match.term.german);
    findings.push(
      finding(input, 'term', `glossary term "${match.term.german}" (found "${match.found}") must be translated as "${match.form.en}"`, {
        actual: input.target,
        expected: match.form.en,
        at: match.found,
      }),
    );
  }
  return findings;
}
