// What the review app shows, read fresh from the project: every article's pairs from the memory, with
// their findings, fuzzy matches and places, and each pair's memory entry (version and history).
import type { Config } from '../config/config.js';
import { compileTermMatcher, segmentTerms, type SegmentTerms, type TermMatcher } from '../glossary/match-terms.js';
import { loadProject, type Project } from '../load-project.js';
import type { MemoryEntry } from '../memory/entry.js';
import type { Finding, TranslatedArticle } from '../model.js';
import { checkArticle } from '../qa/run-checks.js';
import { articleTree } from '../render/article-tree.js';
import { segmentPlaces, type ContextBlock, type SegmentPlace } from '../render/segment-places.js';
import { projectFuzzyMatcher, type FuzzyMatch } from '../review-file/fuzzy-match.js';
import { translatedArticle } from '../translate/translated-article.js';
import type { Logger } from '../util/logger.js';

/** One article as the app shows it. */
export interface ReviewArticle {
  translated: TranslatedArticle;
  findings: Finding[];
  /** The glossary terms in each segment's German. */
  terms: SegmentTerms;
  fuzzy: Map<string, FuzzyMatch>;
  structure: { places: Map<string, SegmentPlace>; context: ContextBlock[] };
}

/** The project as the app last read it. */
export interface ReviewData {
  project: Project;
  matchTerms: TermMatcher;
  articles: ReviewArticle[];
}

/** A row's id on the page and in requests: `<article id>/<segment id>`. */
export function rowId(docId: string, segmentId: string): string {
  return `${docId}/${segmentId}`;
}

/** Reads the project (sources, glossary, memory) and works out everything the page shows. */
export async function loadReviewData(config: Config, log: Logger): Promise<ReviewData> {
  const project = await loadProject(config, log);
  const matchTerms = compileTermMatcher(project.glossary);
  const { memory } = project;
  const fuzzy = projectFuzzyMatcher(project.articles, memory, config.targetLang);
  const articles = project.articles.map((article): ReviewArticle => {
    const translated = translatedArticle(article, memory, config.targetLang);
    const terms = segmentTerms(translated.segments, matchTerms);
    return {
      translated,
      terms,
      findings: checkArticle(translated, terms),
      fuzzy: fuzzy.matchArticle(translated),
      structure: segmentPlaces(articleTree(article), translated),
    };
  });
  return { project, matchTerms, articles };
}

/** The memory entry a pair reads, if any. */
export function entryOf(data: ReviewData, key: string): MemoryEntry | undefined {
  return data.project.memory.lookupKey(key, data.project.config.targetLang);
}
