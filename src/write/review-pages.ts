// The review pages of a build: each article's page (`output/review/<id>.html`) rendered as its
// article comes in, the index's entries spooled, and the search data.
import { readdir, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { GlossaryTerm } from '../glossary/glossary.js';
import type { SegmentTerms, TermMatcher } from '../glossary/match-terms.js';
import type { Finding, TranslatedArticle } from '../model.js';
import type { FuzzyMatch } from '../review-file/fuzzy-match.js';
import { ReviewIndex, type ReviewSummary } from '../render/review-index.js';
import { ReviewPage, type ArticleNav } from '../render/review-html.js';
import { SearchIndex, searchWords } from '../render/review-search.js';
import type { ContextBlock, SegmentPlace } from '../render/segment-places.js';
import { stageAround, StagedStream, type StagedFile } from './write-atomic.js';

/** The folder of the article pages and the search data, beside `review.html`. */
export const REVIEW_DIR = 'review';

/** An article's page as the review pages link it: its id and German title. */
export interface PageLink {
  id: string;
  title: string;
}

/**
 * Renders the review pages article by article, in the order of `articles` (every article of the
 * build, known before the first is translated, so each page links to its neighbours at once):
 * `add` gives an article's page, `reuse` counts an article whose page is kept as it is; `last`
 * gives the search data, and `indexFile` writes `review.html` from the spooled entries. Per
 * article only the words and terms of the search data are held.
 */
export class ReviewPages {
  private readonly page: ReviewPage;
  private readonly index: ReviewIndex;
  private readonly search = new SearchIndex();
  /** The index's entries, spooled: its head needs the totals. */
  private readonly entries: StagedStream;
  private count = 0;

  /** `out` is the output folder (relative to the root, as the staged files are named); `root` the project's root. */
  constructor(
    private readonly root: string,
    private readonly out: string,
    private readonly articles: readonly PageLink[],
    options: { title: string; targetLang: string; matchTerms: TermMatcher },
  ) {
    this.page = new ReviewPage(options);
    this.index = new ReviewIndex({ title: options.title });
    this.entries = new StagedStream(path.join(root, out, 'review.html'), 'review.html.articles');
  }

  /** The next article's place among the pages: its position and its neighbours. */
  nextNav(): ArticleNav {
    const position = this.count;
    const prev = this.articles[position - 1];
    const next = this.articles[position + 1];
    return { ...(prev ? { prev } : {}), ...(next ? { next } : {}), position };
  }

  /** An article's page file, relative to the root. */
  pageFile(id: string): string {
    return path.join(this.out, REVIEW_DIR, `${id}.html`);
  }

  /** Takes the next article; returns its page, to stage, and its search words. */
  add(
    article: TranslatedArticle,
    findings: readonly Finding[],
    /** Its entry in the index (see `reviewSummary`). */
    summary: ReviewSummary,
    terms: SegmentTerms,
    termSet: ReadonlySet<GlossaryTerm>,
    matches: ReadonlyMap<string, FuzzyMatch>,
    structure: { places: ReadonlyMap<string, SegmentPlace>; context: readonly ContextBlock[] },
  ): { file: string; data: string; words: Set<string> } {
    const nav = this.nextNav();
    const words = searchWords(article);
    this.reuse(article, summary, termSet, words);
    return { file: this.pageFile(article.article.doc.id), data: this.page.page(article, findings, terms, matches, structure, nav), words };
  }

  /** Takes the next article, whose page from an earlier build is kept: its index entry and its search words (see `add`) only. */
  reuse(article: TranslatedArticle, summary: ReviewSummary, termSet: ReadonlySet<GlossaryTerm>, words: Iterable<string>): void {
    const id = article.article.doc.id;
    if (this.articles[this.count]?.id !== id) throw new Error(`review pages: ${id} out of order`);
    this.count++;
    this.entries.write(this.index.entry(summary));
    this.search.add(article, termSet, words);
  }

  /** The search data. */
  last(): { file: string; data: string } {
    return { file: path.join(this.out, REVIEW_DIR, 'search.js'), data: this.search.script() };
  }

  /** `review.html`: the index's head (now that every article is counted), the spooled entries, its tail. */
  indexFile(): Promise<StagedFile> {
    return stageAround(this.entries, this.index.head(), this.index.tail());
  }

  /** Removes the spool, and the pages' folder if this build made it (it is empty once the staged pages are removed). */
  async discard(): Promise<void> {
    await this.entries.discard();
    await rmdir(path.join(this.root, this.out, REVIEW_DIR)).catch(() => undefined);
  }

  /**
   * After the build's files are in place: removes the pages earlier builds wrote for articles no
   * longer in the build (`builtBefore`); a page of anyone else's there stays.
   */
  async removeStale(builtBefore: ReadonlySet<string>): Promise<void> {
    const dir = path.join(this.root, this.out, REVIEW_DIR);
    const kept = new Set(this.articles.map((a) => a.id));
    const names = await readdir(dir).catch(() => [] as string[]);
    const stale = (n: string): boolean => n.endsWith('.html') && !kept.has(n.slice(0, -5)) && builtBefore.has(n.slice(0, -5));
    await Promise.all(names.filter(stale).map((n) => unlink(path.join(dir, n)).catch(() => undefined)));
  }
}
