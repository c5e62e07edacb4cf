import type { Glossary } from '../glossary/glossary.js';
import { compileTermMatcher, type TermMatcher } from '../glossary/match-terms.js';
import type { Finding, TranslatedArticle } from '../model.js';
import { checkBalance } from './check-balance.js';
import { asText, checkHtml } from './check-html.js';
import { checkMarkup } from './check-markup.js';
import { checkNumbers } from './check-numbers.js';
import { checkTerms } from './check-terms.js';
import { checkText } from './check-text.js';
import { checkTokens } from './check-tokens.js';

/**
 * Runs every check on every translated segment, memory hits included (a human translation can
 * break a term too). Segments without a translation are not checked: the build lists them.
 * Findings come back in article and segment order.
 */
export function runChecks(articles: readonly TranslatedArticle[], glossary: Glossary): Finding[] {
  const matchTerms = compileTermMatcher(glossary);
  return articles.flatMap((article) => checkArticle(article, matchTerms));
}

/** Every check on one article's translated segments, in segment order (the glossary compiled once by the caller). */
export function checkArticle({ article, segments }: TranslatedArticle, matchTerms: TermMatcher): Finding[] {
  const findings: Finding[] = [];
  for (const { segment, target, origin } of segments) {
    if (target === undefined || origin === 'copy') continue;
    const input = { segment, target, file: article.doc.path };
    // A raw HTML block: its markup checked as HTML, its words as the text between the tags.
    const html = segment.kind === 'html';
    const words = html ? asText(input) : input;
    findings.push(
      ...checkTerms(words, matchTerms(segment.plain)),
      ...checkNumbers(words),
      ...checkText(words),
      ...checkBalance(words),
      ...(html ? checkHtml(input) : checkMarkup(input)),
      ...checkTokens(input),
    );
  }
  return findings;
}
