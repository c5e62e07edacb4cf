import { englishPattern } from '../glossary/english-term.js';
import { parseInSegment } from '../segment/parse-markdown.js';
import { asRead, proseText } from '../text/prose.js';
import type { TermMatch } from '../glossary/match-terms.js';
import type { Finding } from '../model.js';
import { finding, type CheckInput } from './check-context.js';

/**
 * Terminology: for every glossary term found in the German (inflected, capitalised or as a
 * compound head), the English must contain the English of the form found (a form of its own English,
 * else the term's), allowing English inflection. One finding per term missed, naming the German form found.
 */
export function checkTerms(input: CheckInput, matches: readonly TermMatch[]): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<string>();
  if (matches.length === 0) return findings;
  // The English as a reader reads it, as the German is searched: "the **red** lines" holds "red lines",
  // a link's address or a comment holds nothing.
  const english = englishProse(input);
  for (const match of matches) {
    if (reported.has(match.term.german)) continue;
    // A form with an English of its own ("NATO-Ostflanke" = "NATO's eastern flank") asks for that English.
    if (englishPattern(match.form.en).test(english)) continue;
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

/**
 * The English a term is looked for in: of inline Markdown its prose (see `proseText`), the words a
 * reader reads, on one line; plain text (and an HTML block's words, given as text) as it is.
 */
export function englishProse(input: CheckInput): string {
  const phrasing = input.segment.markdown && input.segment.kind !== 'html' ? parseInSegment(input.target, input.segment) : undefined;
  if (phrasing === undefined) return input.target;
  return asRead(proseText({ type: 'paragraph', children: phrasing }).replace(/\s+/g, ' '));
}
