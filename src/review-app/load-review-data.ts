// What the review app shows, read from the project: every article's pairs from the memory, with their
// findings, fuzzy matches and places (each article's worked out when a page first asks for it), and each pair's memory entry.
import path from 'node:path';
import type { Config } from '../config/config.js';
import { compileTermMatcher, segmentTerms, type SegmentTerms, type TermMatcher } from '../glossary/match-terms.js';
import { loadProject, type Project } from '../load-project.js';
import type { MemoryEntry } from '../memory/entry.js';
import type { TranslationMemory } from '../memory/translation-memory.js';
import type { Finding, Segment, SegmentedDocument, TranslatedArticle } from '../model.js';
import { sha256 } from '../util/hash.js';
import { checkArticle } from '../qa/run-checks.js';
import { articleTree } from '../render/article-tree.js';
import { segmentPlaces, type ContextBlock, type SegmentPlace } from '../render/segment-places.js';
import { fuzzyMatcher, heldBefore, type FuzzyMatch, type FuzzyMatcher, type HeldBefore } from '../review-file/fuzzy-match.js';
import { ReviewState } from '../review-file/review-state.js';
import { translatedArticle } from '../translate/translated-article.js';
import type { Logger } from '../util/logger.js';
import type { FileStamp } from '../write/write-atomic.js';

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
  /** The memory file's stamp when the memory was read (see `FileStamp`); `undefined` when unknown. */
  memoryStamp: FileStamp | undefined;
  matchTerms: TermMatcher;
  /** The German each article's review file held when diglot last wrote it: where its fuzzy matches may come from. */
  held: HeldBefore;
  /**
   * The article at this index of `project.articles` as the app shows it, worked out when first
   * asked and kept: an article's page works out that article only, the index every article once.
   */
  article: (index: number) => ReviewArticle;
  /** What is worked out so far: the articles by index, and the fuzzy matcher once built. */
  readonly worked: Worked;
}

interface Worked {
  views: Map<number, ReviewArticle>;
  fuzzy?: FuzzyMatcher;
}

/** A short hash of a pair's German (its memory key): what a request says the page showed, so a change since is seen. */
export function germanOf(segment: Pick<Segment, 'key'>): string {
  return sha256(segment.key, 12);
}

/** A row's id on the page and in requests: `<article id>/<segment id>`. */
export function rowId(docId: string, segmentId: string): string {
  return `${docId}/${segmentId}`;
}

/**
 * A pair of the page by its row id (see {@link rowId}): its article and segment, and where both
 * stand (`at` in the project's articles, `index` in the article's segments).
 */
export function findPair(
  data: ReviewData,
  row: string,
): { article: SegmentedDocument; at: number; segment: Segment; index: number } | undefined {
  const slash = row.lastIndexOf('/');
  const docId = row.slice(0, slash);
  const segmentId = row.slice(slash + 1);
  const at = data.project.articles.findIndex((a) => a.doc.id === docId);
  const article = data.project.articles[at];
  const index = article?.segments.findIndex((s) => s.id === segmentId) ?? -1;
  const segment = article?.segments[index];
  return article && segment ? { article, at, segment, index } : undefined;
}

/** Reads the project (sources, glossary, memory); `memoryStamp`: the memory file's, taken before it was read. */
export async function loadReviewData(config: Config, log: Logger, memoryStamp?: FileStamp): Promise<ReviewData> {
  const project = await loadProject(config, log);
  const held = await heldBefore(new ReviewState(path.join(config.root, config.output)), project.articles);
  return reviewData(project, memoryStamp, held);
}

/**
 * The same project with the memory as a change left it, and its file's stamp then. Where the app's
 * own change of one German text (`changedKey`) is all that came in (the same memory), the articles
 * without that text are kept as worked out; otherwise every article is worked out again when asked.
 */
export function withMemory(
  data: ReviewData,
  memory: TranslationMemory,
  memoryStamp: FileStamp | undefined,
  changedKey?: string,
): ReviewData {
  const { articles } = data.project;
  const own = memory === data.project.memory && changedKey !== undefined;
  // The fuzzy matcher indexes the entries no segment uses: a change of a segment's text leaves it as it is.
  const worked: Worked = own
    ? {
        views: new Map([...data.worked.views].filter(([i]) => !articles[i]?.segments.some((s) => s.key === changedKey))),
        ...(data.worked.fuzzy ? { fuzzy: data.worked.fuzzy } : {}),
      }
    : { views: new Map() };
  return reviewData({ ...data.project, memory }, memoryStamp, data.held, data.matchTerms, worked);
}

/** Every article as the app shows it, in source order. */
export function allArticles(data: ReviewData): ReviewArticle[] {
  return data.project.articles.map((_, i) => data.article(i));
}

function reviewData(
  project: Project,
  memoryStamp: FileStamp | undefined,
  held: HeldBefore,
  matchTerms = compileTermMatcher(project.glossary),
  worked: Worked = { views: new Map() },
): ReviewData {
  const { memory, config } = project;
  const lang = config.targetLang;
  const { views } = worked;
  const article = (index: number): ReviewArticle => {
    const known = views.get(index);
    if (known) return known;
    const source = project.articles[index];
    if (!source) throw new RangeError(`no article at ${index}`);
    const translated = translatedArticle(source, memory, lang);
    const terms = segmentTerms(translated.segments, matchTerms);
    // Built at the first article asked for: it indexes the whole memory.
    worked.fuzzy ??= fuzzyMatcher(project.articles, memory, lang, held);
    const view: ReviewArticle = {
      translated,
      terms,
      findings: checkArticle(translated, terms),
      fuzzy: worked.fuzzy.matchArticle(translated),
      structure: segmentPlaces(articleTree(source), translated),
    };
    views.set(index, view);
    return view;
  };
  return { project, memoryStamp, matchTerms, held, article, worked };
}

/** The memory entry a pair reads, if any. */
export function entryOf(data: ReviewData, key: string): MemoryEntry | undefined {
  return data.project.memory.lookupKey(key, data.project.config.targetLang);
}
