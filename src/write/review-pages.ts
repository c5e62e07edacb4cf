// The review pages of a build: each article's page (`output/review/<id>.html`) rendered as soon as the
// next article is in (its page links to it), the index's entries spooled, and the search data.
import { readdir, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { SegmentTerms, TermMatcher } from '../glossary/match-terms.js';
import type { Finding, TranslatedArticle } from '../model.js';
import type { FuzzyMatch } from '../review-file/fuzzy-match.js';
import { articleTitle } from '../segment/article-title.js';
import { ReviewIndex, reviewSummary } from '../render/review-index.js';
import { ReviewPage } from '../render/review-html.js';
import { SearchIndex } from '../render/review-search.js';
import type { ContextBlock, SegmentPlace } from '../render/segment-places.js';
import { StagedStream, type StagedFile } from './write-atomic.js';

/** The folder of the article pages and the search data, beside `review.html`. */
export const REVIEW_DIR = 'review';

/** An article waiting for the next one, which its page links to. */
interface Waiting {
  article: TranslatedArticle;
  findings: readonly Finding[];
  terms: SegmentTerms;
  matches: ReadonlyMap<string, FuzzyMatch>;
  structure: { places: ReadonlyMap<string, SegmentPlace>; context: readonly ContextBlock[] };
  prev: { id: string; title: string } | undefined;
  position: number;
}

/**
 * Renders the review pages article by article (in source order). `add` gives the files to stage
 * now (the page of the article before, which links to this one); `last` the last page and the
 * search data; `index` writes `review.html` from the spooled entries. Only one article is held at
 * a time, and per article only the words and terms of the search data.
 */
export class ReviewPages {
  private readonly page: ReviewPage;
  private readonly index: ReviewIndex;
  private readonly search = new SearchIndex();
  /** The index's entries, spooled: its head needs the totals. */
  private readonly entries: StagedStream;
  private waiting: Waiting | undefined;
  private count = 0;

  /** `out` is the output folder (relative to the root, as the staged files are named); `root` the project's root. */
  constructor(
    private readonly root: string,
    private readonly out: string,
    options: { title: string; targetLang: string; matchTerms: TermMatcher },
  ) {
    this.page = new ReviewPage(options);
    this.index = new ReviewIndex({ title: options.title });
    this.entries = new StagedStream(path.join(root, out, 'review.html'), 'review.html.articles');
  }

  /** Takes an article; returns the page ready to stage (the previous article's), if any. */
  add(
    article: TranslatedArticle,
    findings: readonly Finding[],
    terms: SegmentTerms,
    matches: ReadonlyMap<string, FuzzyMatch>,
    structure: Waiting['structure'],
  ): Array<{ file: string; data: string }> {
    void this.entries.write(this.index.entry(reviewSummary(article, findings)));
    this.search.add(article, terms);
    const title = { id: article.article.doc.id, title: articleTitle(article).de };
    const ready = this.waiting ? [this.render(this.waiting, title)] : [];
    this.waiting = {
      article,
      findings,
      terms,
      matches,
      structure,
      prev: this.waiting ? this.titleOf(this.waiting) : undefined,
      position: this.count++,
    };
    return ready;
  }

  /** The last article's page and the search data. */
  last(): Array<{ file: string; data: string }> {
    const pages = this.waiting ? [this.render(this.waiting, undefined)] : [];
    this.waiting = undefined;
    return [...pages, { file: path.join(this.out, REVIEW_DIR, 'search.js'), data: this.search.script() }];
  }

  /** `review.html`: the index's head (now that every article is counted), the spooled entries, its tail. */
  async indexFile(): Promise<StagedFile> {
    // The spool is read back at once and removed: closed, not flushed to disk.
    await this.entries.close();
    const page = new StagedStream(this.entries.file);
    try {
      await page.write(this.index.head());
      await page.append(this.entries.tmp);
      await page.write(this.index.tail());
      return await page.stage();
    } catch (error) {
      await page.discard();
      throw error;
    } finally {
      await this.entries.discard();
    }
  }

  /** Removes the spool, and the pages' folder if this build made it (it is empty once the staged pages are removed). */
  async discard(): Promise<void> {
    await this.entries.discard();
    await rmdir(path.join(this.root, this.out, REVIEW_DIR)).catch(() => undefined);
  }

  /** After the build's files are in place: removes the pages of articles no longer built (from earlier builds). */
  async removeStale(written: readonly string[]): Promise<void> {
    const dir = path.join(this.root, this.out, REVIEW_DIR);
    const kept = new Set(written.map((f) => path.join(this.root, f)));
    const names = await readdir(dir).catch(() => [] as string[]);
    await Promise.all(
      names.filter((n) => n.endsWith('.html') && !kept.has(path.join(dir, n))).map((n) => unlink(path.join(dir, n)).catch(() => undefined)),
    );
  }

  private titleOf(w: Waiting): { id: string; title: string } {
    return { id: w.article.article.doc.id, title: articleTitle(w.article).de };
  }

  private render(w: Waiting, next: { id: string; title: string } | undefined): { file: string; data: string } {
    const nav = { ...(w.prev ? { prev: w.prev } : {}), ...(next ? { next } : {}), position: w.position };
    return {
      file: path.join(this.out, REVIEW_DIR, `${w.article.article.doc.id}.html`),
      data: this.page.page(w.article, w.findings, w.terms, w.matches, w.structure, nav),
    };
  }
}
