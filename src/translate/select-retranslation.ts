// Which machine translations `diglot retranslate` sends again: the selectors, the translations it keeps, and why.
import path from 'node:path';
import type { Glossary, GlossaryTerm } from '../glossary/glossary.js';
import { compileTermMatcher, segmentTerms } from '../glossary/match-terms.js';
import type { MemoryEntry } from '../memory/entry.js';
import type { TranslationMemory } from '../memory/translation-memory.js';
import type { Finding, Segment, SegmentedDocument } from '../model.js';
import { CHECK_RULES, checkArticle } from '../qa/run-checks.js';
import { targetForSegment } from '../segment/target-format.js';
import { InputError } from '../util/errors.js';
import { needsTranslation } from './needs-translation.js';
import { termText } from '../text/prose.js';
import { termViolation } from './term-violation.js';
import leven, { closestMatch } from 'leven';
import { translatedArticle } from './translated-article.js';

/** What to re-send. Each selector given narrows the selection (several values of one selector widen it). */
export interface RetranslationCriteria {
  /** German glossary terms: segments holding one whose English breaks it. */
  terms?: readonly string[];
  /** Check rules (`term`, `number` …): segments with a finding of one. */
  rules?: readonly string[];
  /** Articles, by path (`sources/x.md`), file name or id. */
  articles?: readonly string[];
  /** Segment ids, as the review files and report name them. */
  segments?: readonly string[];
  /** Segments whose entry was made with other settings than `settings` (or records none). */
  settingsChanged?: boolean;
  /** Re-send reviewed and approved machine translations too. */
  includeReviewed?: boolean;
}

/** A segment a selector picked, with the memory entry that translates it. */
export interface PickedSegment {
  file: string;
  segment: Segment;
  entry: MemoryEntry;
}

/** What `retranslate` sends and keeps. */
export interface RetranslationSelection {
  /** Memory keys to send again. */
  keys: Set<string>;
  /** The segments re-sent, in article and segment order (a repeated text each time). */
  resent: PickedSegment[];
  /** Segments the selectors picked whose translations are kept: human, imported (`tmx`), or reviewed. */
  kept: Array<PickedSegment & { why: 'human' | 'reviewed' }>;
  /** For `terms`: the kept translations that break a term, with the term's English now, to fix by hand. */
  findings: Finding[];
}

/** Context for selecting: the project's parts and the current settings hash. */
export interface SelectionInput {
  articles: readonly SegmentedDocument[];
  glossary: Glossary;
  memory: TranslationMemory;
  lang: string;
  /** The hash of the current settings and glossary (`settingsHash`). */
  settings: string;
}

/**
 * Picks the segments the criteria select (every selector given must pick a segment) and splits
 * them into machine translations to send again (origin `deepl`, drafts unless `includeReviewed`)
 * and translations kept. Never picks a segment without a translation (a build translates those)
 * or without words of its own, nor (for `terms`) one whose term finding a reviewer accepted, nor
 * (for `rules`) one whose finding of the rule was accepted. Unknown terms, rules, articles and
 * segment ids are InputErrors.
 */
export function selectRetranslation(input: SelectionInput, criteria: RetranslationCriteria): RetranslationSelection {
  const { articles, glossary, memory, lang } = input;
  const terms = (criteria.terms ?? []).map((t) => findTerm(glossary, t));
  const articleFilter = criteria.articles?.length ? articleMatcher(articles, criteria.articles) : undefined;
  const segmentIds = criteria.segments?.length
    ? segmentMatcher(articleFilter ? articles.filter(articleFilter) : articles, criteria.segments)
    : undefined;
  const matchTerms = terms.length > 0 || criteria.rules?.length ? compileTermMatcher(glossary) : undefined;
  const rules = criteria.rules?.length ? new Set(criteria.rules.map((r) => r.toLowerCase())) : undefined;
  for (const rule of rules ?? []) {
    if (!(CHECK_RULES as readonly string[]).includes(rule))
      throw new InputError(`retranslate: "${rule}" is not a check rule`, `the rules are ${CHECK_RULES.join(', ')}`);
  }

  const selection: RetranslationSelection = { keys: new Set(), resent: [], kept: [], findings: [] };
  for (const article of articles) {
    if (articleFilter && !articleFilter(article)) continue;
    const file = article.doc.path;
    // The rule selector: the segments of this article with a finding of one of the rules.
    let flagged: Set<string> | undefined;
    if (rules && matchTerms) {
      const translated = translatedArticle(article, memory, lang);
      const findings = checkArticle(translated, segmentTerms(translated.segments, matchTerms));
      flagged = new Set(findings.filter((f) => rules.has(f.rule)).map((f) => f.segmentId));
    }
    for (const segment of article.segments) {
      if (!needsTranslation(segment)) continue;
      const entry = memory.lookupKey(segment.key, lang);
      if (!entry) continue;
      if (segmentIds && !segmentIds.has(segment.id)) continue;
      if (flagged && !flagged.has(segment.id)) continue;
      if (criteria.settingsChanged && entry.settings === input.settings) continue;
      let broken: Finding[] = [];
      if (terms.length > 0 && matchTerms) {
        // A reviewer accepted the English as it stands for the term check: it is not picked.
        if (entry.accepted?.some((a) => a.rule === 'term')) continue;
        const check = { segment, target: targetForSegment(entry, segment), file };
        const matches = matchTerms(termText(segment));
        broken = terms.flatMap((t) => termViolation(check, matches, t.german) ?? []);
        if (broken.length === 0) continue;
      }
      const picked = { file, segment, entry };
      if (entry.origin !== 'deepl') {
        selection.kept.push({ ...picked, why: 'human' });
        selection.findings.push(...broken);
      } else if (entry.status !== 'draft' && criteria.includeReviewed !== true) {
        selection.kept.push({ ...picked, why: 'reviewed' });
        selection.findings.push(...broken);
      } else {
        selection.resent.push(picked);
        selection.keys.add(segment.key);
      }
    }
  }
  return selection;
}

/** The glossary term named: its German as written, else the one German term equal but for case. */
function findTerm(glossary: Glossary, name: string): GlossaryTerm {
  const exact = glossary.terms.find((t) => t.german === name);
  if (exact) return exact;
  const folded = glossary.terms.filter((t) => t.german.toLocaleLowerCase('de') === name.toLocaleLowerCase('de'));
  if (folded.length === 1 && folded[0]) return folded[0];
  const listed = glossary.terms.find((t) => t.forms.some((f) => f.de === name));
  if (listed) return listed;
  const near = closestMatch(
    name,
    glossary.terms.map((t) => t.german),
  );
  const guess =
    near !== undefined && leven(name.toLocaleLowerCase('de'), near.toLocaleLowerCase('de')) <= 2 ? ` (did you mean "${near}"?)` : '';
  throw new InputError(
    `retranslate: "${name}" is not a term of ${glossary.file}${guess}`,
    `give a term's German as the glossary writes it (\`diglot glossary list\` shows them)`,
  );
}

/** Matches articles by path, file name or id; a name that matches none is an InputError. */
function articleMatcher(articles: readonly SegmentedDocument[], names: readonly string[]): (a: SegmentedDocument) => boolean {
  const normal = (p: string): string => p.split(path.sep).join('/').replace(/^\.\//, '');
  // Its review file or English Markdown names it too (`output/x.review.md`), as `build` takes it.
  const output = (name: string): string | undefined => /^(?:.*\/)?([^/]+)\.(?:review|en)\.md$/.exec(normal(name))?.[1];
  const matches = (a: SegmentedDocument, name: string): boolean =>
    [a.doc.path, path.basename(a.doc.path), a.doc.id].includes(normal(name)) ||
    normal(a.doc.path).endsWith(`/${normal(name)}`) ||
    output(name) === a.doc.id;
  for (const name of names) {
    if (!articles.some((a) => matches(a, name)))
      throw new InputError(
        `retranslate: no article "${name}" among the sources`,
        'give the article as its path (sources/x.md), file name, id, or its review file (output/x.review.md)',
      );
  }
  return (a) => names.some((name) => matches(a, name));
}

/** The segment ids given, each checked to exist in some article. */
function segmentMatcher(articles: readonly SegmentedDocument[], ids: readonly string[]): Set<string> {
  // Written in lower case, as the review files show them; one copied in capitals is the same id.
  const given = ids.map((id) => id.toLowerCase());
  for (const [i, id] of given.entries()) {
    const holding = articles.filter((a) => a.segments.some((s) => s.id === id));
    if (holding.length === 0)
      throw new InputError(
        `retranslate: no segment "${ids[i]}" in the sources`,
        'segment ids are those of the review files and segments.jsonl',
      );
    // An id made of its German's hash is one text; `title` and `description` are in every article that has one.
    if (holding.length > 1 && !/^[0-9a-f]{8}(-\d+)?$/.test(id))
      throw new InputError(
        `retranslate: segment "${ids[i]}" is in ${holding.length} articles (${holding
          .slice(0, 3)
          .map((a) => a.doc.path)
          .join(', ')}${holding.length > 3 ? ' …' : ''})`,
        'add --article to name the one meant',
      );
  }
  return new Set(given);
}
