import type { Glossary } from '../glossary/glossary.js';
import { compileTermMatcher, segmentTerms, type SegmentTerms } from '../glossary/match-terms.js';
import type { Finding, TranslatedArticle } from '../model.js';
import { checkBalance } from './check-balance.js';
import { asText, checkHtml } from './check-html.js';
import { checkMarkup } from './check-markup.js';
import { checkNumbers } from './check-numbers.js';
import { checkTerms } from './check-terms.js';
import { checkText } from './check-text.js';
import { checkTokens } from './check-tokens.js';

/**
 * Every rule `checkArticle`'s checks report: the rules a reviewer may accept a finding of
 * (`<!-- ok: rule -->` in a review file).
 */
export const CHECK_RULES = ['term', 'number', 'empty', 'untranslated', 'length', 'balance', 'markup', 'protected'] as const;

/**
 * Runs every check on every translated segment, memory hits included (a human translation can
 * break a term too). Segments without a translation are not checked: the build lists them.
 * Findings come back in article and segment order.
 */
export function runChecks(articles: readonly TranslatedArticle[], glossary: Glossary, accepted?: Finding[]): Finding[] {
  const matchTerms = compileTermMatcher(glossary);
  return articles.flatMap((article) => checkArticle(article, segmentTerms(article.segments, matchTerms), accepted));
}

/**
 * Every check on one article's translated segments, in segment order, with the glossary terms the
 * caller found in each segment's German. A finding whose rule a reviewer accepted for the segment's English (its memory
 * entry's `accepted`) is left out, so it counts nowhere: `--strict`, `qa`, the review page, the report;
 * it goes to `accepted` when the caller gives a list to count them.
 */
export function checkArticle({ article, segments }: TranslatedArticle, terms: SegmentTerms, accepted?: Finding[]): Finding[] {
  const findings: Finding[] = [];
  for (const { segment, target, origin, accepted: rules } of segments) {
    if (target === undefined || origin === 'copy') continue;
    const input = { segment, target, file: article.doc.path };
    // A raw HTML block: its markup checked as HTML, its words as the text between the tags.
    const html = segment.kind === 'html';
    const words = html ? asText(input) : input;
    const found = [
      ...checkTerms(words, terms.get(segment.id) ?? []),
      ...checkNumbers(words),
      ...checkText(words),
      ...checkBalance(words),
      ...(html ? checkHtml(input) : checkMarkup(input)),
      ...checkTokens(input),
    ];
    if (rules === undefined || rules.length === 0) {
      findings.push(...found);
      continue;
    }
    for (const f of found) (rules.includes(f.rule) ? accepted : findings)?.push(f);
  }
  return findings;
}
