import { readFileSync } from 'node:fs';
import { readdir, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
// Resolves on the event loop's next turn, after pending I/O callbacks.
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Config } from '../config/config.js';
import type { Glossary } from '../glossary/glossary.js';
import { termSet, type SegmentTerms, type TermMatcher } from '../glossary/match-terms.js';
import type { Finding, FindingsSummary, Segment, TranslatedArticle } from '../model.js';
import { FindingsTally } from '../qa/tally-findings.js';
import type { FuzzyMatch, FuzzyMatcher, KeptMatches } from '../review-file/fuzzy-match.js';
import {
  OLD_STATE_FILE,
  recordOf,
  recordPath,
  renderRecord,
  REVIEW_STATE_DIR,
  reviewFileName,
  type FileRecord,
  type ReviewState,
} from '../review-file/review-state.js';
import { articleTree } from '../render/article-tree.js';
import {
  articleFingerprint,
  articleLines,
  billedNow,
  PartsStore,
  partsArticle,
  partsSeed,
  type ArticleLines,
  type ArticleParts,
} from './article-parts.js';
import { segmentPlaces } from '../render/segment-places.js';
import { ENGLISH_SUFFIX, renderEnglishMarkdown } from '../render/english-markdown.js';
import type { EnglishPlace } from '../render/relocate-urls.js';
import { EditionBooks, isBookFile } from './edition-books.js';
import { linkResolutions, type LinkTargets } from '../render/resolve-link.js';
import {
  parseFindingLines,
  reportArticle,
  reportEnd,
  reportHead,
  reportSeparator,
  segmentLines,
  type BuildTotals,
} from '../render/report.js';
import type { Stamps } from './last-build.js';
import { REVIEW_DIR, ReviewPages, type PageLink } from './review-pages.js';
import { keepOverwritten } from '../review-file/keep-overwritten.js';
import { renderReviewMarkdown } from '../review-file/review-markdown.js';
import {
  fileStamp,
  sameOrBothMissing,
  sameStamp,
  stageAround,
  stageFile,
  StagedStream,
  type FileStamp,
  type StagedFile,
} from './write-atomic.js';
import { DiglotError, EXIT } from '../util/errors.js';
import { sha256 } from '../util/hash.js';

/** What the writer needs besides the articles. */
export interface OutputWriterOptions {
  config: Config;
  glossary: Glossary;
  /** The glossary's terms, compiled once by the build: the review page marks them. */
  matchTerms: TermMatcher;
  /** Where the chapters' links may point: every article of the build. */
  targets: LinkTargets;
  /** A segment's English in the memory now (another article's heading, for the English Markdown's links into it). */
  english?: (segment: Segment) => string | undefined;
  /** The memory's fuzzy matches of an article's unreviewed pairs (earlier versions of their German). */
  fuzzy: Pick<FuzzyMatcher, 'matchesOf'>;
  /** The output folder's review state: the records of review files written this run are replaced, the others kept. */
  state: ReviewState;
  /** Every article of the build, in source order, by id and German title (the review pages link to their neighbours). */
  contents: readonly PageLink[];
  /** The checks' findings of an article, and the glossary terms in its German: asked of the articles rendered. */
  check: (article: TranslatedArticle) => { findings: Finding[]; terms: SegmentTerms };
  /** Reuse what an earlier build kept of an unchanged article (default true). */
  reuse?: boolean;
  /** The program and the config, as `programSeed` gives them. */
  program: string;
  /** How many files are written (and flushed) at once. */
  parallel?: number;
  /**
   * The review files' stamps (by name in the output folder) taken before the build checked them for
   * edits not imported: one that changed since was edited while the build ran, and is not overwritten.
   */
  reviewFilesAtStart?: ReadonlyMap<string, FileStamp | undefined>;
  /** The clock (ISO 8601), for the names of the copies kept of files changed by hand. */
  now: () => string;
  /**
   * Aborted (Ctrl-C): no article is rendered after it, and nothing is put in place; `finish` throws
   * an interrupted {@link DiglotError} and `output/` stays as it was.
   */
  signal?: AbortSignal;
}

/** What a build wrote and found. */
export interface WrittenOutputs {
  /** Every file written, relative to the root (the review state's records and the parts left out). */
  written: string[];
  /** The checks' findings of the articles built (all of them in `findings.jsonl`, of every article). */
  findings: FindingsSummary;
  /** Articles not rendered again: their files, unchanged since an earlier build, were kept. */
  kept: number;
  /** The pictures the books hold, with their stamps when they were read (relative to the root). */
  pictures: Stamps;
  /** Review files a reviewer edited while the build ran: left as they are, not written (relative to the root). */
  editedMeanwhile: string[];
  /** English Markdown changed by hand since a build wrote it, written anew: each with the copy kept of it (relative to the root). */
  handEdited: Array<{ file: string; copy: string }>;
}

/** An article as the writer takes it. */
interface ArticleToWrite {
  article: TranslatedArticle;
  /** False for an article not built this time (`diglot build OTHER`): its own files are left as they are. */
  files: boolean;
}

/**
 * Writes a build's outputs one article at a time, as articles are translated: `add` takes each
 * article (in source order) and, on a later turn of the event loop, finds its fuzzy matches and renders
 * its review file, its English Markdown, its chapters of both EPUBs, its review page, its line of
 * the review index and its lines of report.json, findings.jsonl and segments.jsonl, so that this
 * work runs while later articles' requests are in flight.
 *
 * An article whose inputs are those an earlier build kept parts of (see `article-parts.ts`), and
 * whose files are still on disk as written, is not rendered again: its files are left as they are,
 * and its findings, its lines of the files every article has a share in and its compressed
 * chapters come from the parts. Its fuzzy matches come from them
 * too while the memory entries to match against and its pairs are as they were.
 *
 * Each file goes to a temp file beside its target as soon as it is rendered (the chapters are
 * compressed as they come); `finish` renders what needs every article (the books' front matter and
 * zip, the review index's head, the report's totals) and only then renames every file into place:
 * the parts of the articles rendered after the outputs, the review state's records last.
 * `discard` (or any failure) removes the temp files and leaves `output/` as it was.
 */
export class OutputWriter {
  private readonly queue: ArticleToWrite[] = [];
  private scheduled = false;
  private idle: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private failure: unknown;

  private readonly written: string[] = [];
  private readonly staged: Array<StagedFile | undefined> = [];
  private readonly pending = new Set<Promise<void>>();

  /** The findings of the articles built (with their files), and how many every article has: the report counts them all. */
  private readonly tally = new FindingsTally();
  private findingsInAll = 0;
  /** The articles built (with their files): when some are not (`diglot build ARTICLE`), only their findings are told. */
  private readonly built: string[] = [];
  /** The books (one pair, or one pair a volume), each staged as soon as its last article is in. */
  private readonly books: EditionBooks;
  /** The review pages: one per article, the index (`review.html`) and its search data. */
  private readonly reviewPages: ReviewPages;
  /** The report's article lines, spooled as they go: the totals, known in `finish`, come first. */
  private readonly report: StagedStream;
  private reported = 0;
  /** `findings.jsonl` and `segments.jsonl`, written as articles are checked. */
  private readonly findingsFile: StagedStream;
  private readonly segmentsFile: StagedStream;
  /** The review state's records of the review files written, staged: renamed into place after every other file. */
  private readonly recordsStaged: StagedFile[] = [];
  /** The review files with a record when the build began, asked once. */
  private recorded: Promise<Set<string>> | undefined;
  /** What earlier builds kept of each article; the parts staged, and the articles whose old parts go. */
  private readonly parts: PartsStore;
  private readonly seed: string;
  private readonly partsStaged: StagedFile[] = [];
  private readonly partsStale: string[] = [];
  /** Articles built now without a whole translation: their English Markdown of an earlier build goes. */
  private readonly englishGone: string[] = [];
  /** English Markdown changed by hand since a build wrote it (relative to the root): kept before it is written anew. */
  private readonly handEdited: string[] = [];
  /** Articles whose files were kept from an earlier build. */
  private kept = 0;
  /** Where the English Markdown goes, for its links and pictures. */
  private readonly englishPlace: EnglishPlace;

  constructor(private readonly options: OutputWriterOptions) {
    const { config, glossary } = options;
    this.books = new EditionBooks(config, glossary, options.targets);
    this.parts = new PartsStore(config.root, config.output, glossary);
    this.seed = partsSeed(options.program, glossary);
    this.englishPlace = {
      output: config.output,
      targets: options.targets,
      englishFile: (id) => `${id}${ENGLISH_SUFFIX}`,
      ...(options.english ? { english: options.english } : {}),
    };
    this.reviewPages = new ReviewPages(config.root, config.output, options.contents, {
      title: config.title,
      targetLang: config.targetLang,
      matchTerms: options.matchTerms,
    });
    const out = path.join(config.root, config.output);
    this.report = new StagedStream(path.join(out, 'report.json'), 'report.json.articles');
    this.findingsFile = new StagedStream(path.join(out, 'findings.jsonl'));
    this.segmentsFile = new StagedStream(path.join(out, 'segments.jsonl'));
  }

  /**
   * Queues an article (call in source order); its outputs are rendered on a later turn of the event
   * loop. With `files: false` (an article not selected for this build) its review file and English
   * Markdown are not written, and their state record is kept: it still goes into the books, the
   * review page and the report.
   */
  add(article: TranslatedArticle, { files = true } = {}): void {
    this.queue.push({ article, files });
    this.schedule();
  }

  /**
   * Renders the outputs that need every article, writes them, and renames every file into place.
   * `totals` are the build's, without the findings (which the writer counts).
   */
  async finish(totals: Omit<BuildTotals, 'findings'>): Promise<WrittenOutputs> {
    try {
      await this.drain();
      const out = this.options.config.output;
      for (const book of this.books.finish()) await this.stage(path.join(out, book.name), book.bytes);
      // The report: its totals (now that every article is counted), then the spooled article lines.
      const head = reportHead({ ...totals, findings: this.findingsInAll });
      this.streamed(path.join(out, 'report.json'), stageAround(this.report, head, reportEnd(this.reported)));
      this.streamed(path.join(out, 'findings.jsonl'), this.findingsFile.stage());
      this.streamed(path.join(out, 'segments.jsonl'), this.segmentsFile.stage());
      const search = this.reviewPages.last();
      await this.stage(search.file, search.data);
      this.streamed(path.join(out, 'review.html'), this.reviewPages.indexFile());
      await this.moveOldRecords();
      await Promise.all(this.pending);
      if (this.failure !== undefined) throw this.failure;
      // The last moment to stop: from here on, files are put in place.
      if (this.options.signal?.aborted) throw interrupted();
    } catch (error) {
      await this.discard();
      throw error;
    }
    const editedMeanwhile = await this.keepEditedMeanwhile();
    // English Markdown to be removed (its article gone, or no longer whole) is kept too when changed by hand.
    const builtBefore = this.parts.builtBefore();
    const leaving = await this.leaving(builtBefore);
    for (const name of leaving.filter((n) => n.endsWith(ENGLISH_SUFFIX))) {
      const id = name.slice(0, -ENGLISH_SUFFIX.length);
      if (this.changedByHand(name, this.parts.read(id)?.parts)) this.handEdited.push(path.join(this.options.config.output, name));
    }
    const copies = await keepOverwritten(this.options.config, this.handEdited, this.options.now());
    // Parts never describe files other than those on disk: an article's old parts go before its new files come.
    await Promise.all(this.partsStale.map((id) => this.parts.remove(id)));
    await Promise.all((this.staged as StagedFile[]).map((f) => f.commit()));
    await Promise.all(this.partsStaged.map((f) => f.commit()));
    // Last, so a record never claims a review file that is not on disk yet.
    await Promise.all(this.recordsStaged.map((f) => f.commit()));
    await unlink(path.join(this.options.state.outputDir, OLD_STATE_FILE)).catch(() => undefined);
    // What earlier builds wrote for articles: a file of the same kind of anyone else's stays.
    await this.reviewPages.removeStale(builtBefore);
    const dir = path.join(this.options.config.root, this.options.config.output);
    await Promise.all(leaving.map((n) => unlink(path.join(dir, n)).catch(() => undefined)));
    await this.parts.removeOthers(new Set(this.options.contents.map((a) => a.id)));
    return {
      written: [...this.written],
      findings: this.tally.summary(this.built.length < this.reported ? this.built : undefined),
      kept: this.kept,
      pictures: this.books.pictureStamps,
      editedMeanwhile,
      handEdited: [...copies].map(([file, copy]) => ({ file, copy })),
    };
  }

  /**
   * The review files edited since the build checked them (their stamps changed since `reviewFilesAtStart`):
   * their new versions, their records and their articles' parts are dropped, so the reviewer's file
   * stays as it is, with the record of what diglot last wrote in it (the next import or build finds the edit).
   * A kept article's review file saved meanwhile is among them too: the build then leaves no record that would
   * take it for one it checked.
   */
  private async keepEditedMeanwhile(): Promise<string[]> {
    const atStart = this.options.reviewFilesAtStart;
    if (!atStart) return [];
    const { root, output } = this.options.config;
    const out = path.join(root, output);
    const edited = new Set<string>();
    const changed = (name: string): boolean => {
      const [before, now] = [atStart.get(name), fileStamp(path.join(out, name))];
      return !sameOrBothMissing(before, now);
    };
    for (const staged of this.staged) {
      if (!staged || path.dirname(staged.file) !== out) continue;
      const name = path.basename(staged.file);
      if (atStart.has(name) && changed(name)) edited.add(name);
    }
    // And those of articles kept as they were (nothing staged for them): saved meanwhile, they hold an edit to import.
    const saved = [...atStart.keys()].filter((name) => !edited.has(name) && changed(name));
    if (edited.size === 0) return saved.map((name) => path.join(output, name));
    const ids = new Set(this.options.contents.map((a) => a.id).filter((id) => edited.has(reviewFileName(id))));
    const drop = async (list: Array<StagedFile | undefined>, dropped: (file: string) => boolean): Promise<void> => {
      for (let i = list.length - 1; i >= 0; i--) {
        const staged = list[i];
        if (!staged || !dropped(staged.file)) continue;
        await staged.discard();
        list.splice(i, 1);
      }
    };
    await drop(this.staged, (file) => path.dirname(file) === out && edited.has(path.basename(file)));
    await drop(this.recordsStaged, (file) => edited.has(path.basename(file, '.json')));
    await drop(this.partsStaged, (file) => ids.has(partsArticle(file) ?? ''));
    const gone = new Set([...edited].map((name) => path.join(output, name)));
    for (let i = this.written.length - 1; i >= 0; i--) if (gone.has(this.written[i] as string)) this.written.splice(i, 1);
    return [...gone, ...saved.map((name) => path.join(output, name))];
  }

  /**
   * The files of the output folder that earlier builds wrote and that no longer describe the edition,
   * removed once the build's files are in place: the books it did not write (of another split into
   * volumes, or of a volume now without a complete article) and the English Markdown of articles no
   * longer in the sources or now without a whole translation. Review files stay: they may hold a reviewer's edits.
   */
  private async leaving(builtBefore: ReadonlySet<string>): Promise<string[]> {
    const { root, output } = this.options.config;
    const dir = path.join(root, output);
    const written = new Set(this.written.filter((f) => path.dirname(path.join(root, f)) === dir).map((f) => path.basename(f)));
    const ids = new Set(this.options.contents.map((a) => a.id));
    for (const id of this.englishGone) ids.delete(id);
    const builtNow = new Set(this.options.contents.map((a) => a.id));
    const gone = (name: string): boolean => {
      if (isBookFile(name)) return !written.has(name);
      const id = name.slice(0, -ENGLISH_SUFFIX.length);
      // An article's English Markdown diglot wrote, of an article gone or now without a whole translation.
      return name.endsWith(ENGLISH_SUFFIX) && !ids.has(id) && (builtBefore.has(id) || builtNow.has(id));
    };
    return (await readdir(dir).catch(() => [] as string[])).filter(gone);
  }

  /** Stops and removes every temp file written so far; the targets stay as they were. */
  async discard(): Promise<void> {
    this.failure ??= new Error('discarded');
    this.queue.length = 0;
    await this.idle;
    await Promise.allSettled(this.pending);
    await Promise.all(
      [...this.staged, ...this.partsStaged, ...this.recordsStaged].filter((f): f is StagedFile => f !== undefined).map((f) => f.discard()),
    );
    this.staged.length = 0;
    this.partsStaged.length = 0;
    this.recordsStaged.length = 0;
    // The review state's folder, when this build made it and left it empty.
    await rmdir(path.join(this.options.state.outputDir, REVIEW_STATE_DIR)).catch(() => undefined);
    await Promise.all([
      this.reviewPages.discard(),
      this.parts.discard(),
      this.report.discard(),
      this.findingsFile.discard(),
      this.segmentsFile.discard(),
    ]);
  }

  /** Waits until every queued article is rendered and handed to a write. */
  private async drain(): Promise<void> {
    while ((this.queue.length > 0 || this.scheduled) && this.failure === undefined) await this.idle;
    if (this.failure !== undefined) throw this.failure;
  }

  private schedule(): void {
    if (this.scheduled || this.failure !== undefined) return;
    this.scheduled = true;
    this.idle = new Promise<void>((resolve) => (this.wake = resolve));
    // One article per turn of the event loop: answers from DeepL and finished writes are handled
    // between two articles, so rendering never holds up the requests.
    const step = (): void => {
      if (this.options.signal?.aborted) this.failure ??= interrupted();
      const article = this.queue.shift();
      if (article === undefined || this.failure !== undefined) {
        this.scheduled = false;
        this.wake?.();
        return;
      }
      this.render(article)
        .catch((error: unknown) => {
          this.failure ??= error;
        })
        .finally(() => setImmediate(step));
    };
    setImmediate(step);
  }

  /** Everything one article contributes to the outputs: rendered, or kept from an earlier build. */
  private async render({ article, files }: ArticleToWrite): Promise<void> {
    const id = article.article.doc.id;
    const complete = article.segments.every((t) => t.target !== undefined);
    const place = {
      ...this.books.place(id, complete),
      nav: this.reviewPages.nextNav(),
      links: linkResolutions(article.article, this.options.targets, this.options.english),
    };
    // Read with --force too (nothing of them reused): the stamps of the files they describe tell a file changed by hand.
    const listed = this.parts.read(id);
    const reusable = this.options.reuse === false ? undefined : listed;
    const matched = this.options.fuzzy.matchesOf(article, reusable?.parts.fuzzy);
    const matches = new Map(matched.matches);
    const fingerprint = articleFingerprint(this.seed, article, matches, place);
    const kept = reusable?.fingerprint === fingerprint ? reusable.parts : undefined;
    const reused = kept !== undefined && (await this.onDisk(id, kept, files));
    if (reused) this.kept++;
    const { lines, findings } = reused
      ? { lines: await this.reuse(article, kept, fingerprint, matched), findings: undefined }
      : await this.renderArticle(article, matches, files, complete, fingerprint, matched, listed?.parts);
    // Those kept are read back only where needed, once: the first few told in full, and an article billed now.
    let inFull: Finding[] | undefined = findings;
    const all = (): Finding[] => (inFull ??= parseFindingLines(lines.findings));
    this.findingsInAll += lines.rules.length;
    if (files) {
      this.tally.add(lines.rules, all);
      this.built.push(id);
    }
    // findings.jsonl, segments.jsonl and the report (which shows what this run billed): gathered, and written a piece at a time.
    this.findingsFile.write(lines.findings);
    const billed = billedNow(article);
    this.segmentsFile.write(billed ? segmentLines(article, all()) : lines.segments);
    this.report.write(reportSeparator(this.reported++) + (billed ? reportArticle(article, all()) : lines.report));
  }

  /** An unchanged article: its files stay, its chapters and its lines of the files every article has a share in come from its parts. */
  private async reuse(article: TranslatedArticle, kept: ArticleParts, fingerprint: string, matched: KeptMatches): Promise<ArticleLines> {
    const out = this.options.config.output;
    const terms = this.parts.terms(kept);
    for (const book of this.books.addStored(article, terms, kept.chapters)) await this.stage(path.join(out, book.name), book.bytes);
    this.reviewPages.reuse(article, kept.lines.summary, terms, kept.words);
    // Its review file is kept as it is, and so is its record. Matched again (the entries to match
    // against changed) with the same result: its parts say so, so the next build need not match it.
    if (matched !== kept.fuzzy) {
      const id = article.article.doc.id;
      this.partsStale.push(id);
      this.stagePart(this.parts.stage(id, fingerprint, { ...kept, fuzzy: matched }));
    }
    return kept.lines;
  }

  /** An article rendered: checked, its files staged, its parts kept for the next build. */
  private async renderArticle(
    article: TranslatedArticle,
    matches: Map<string, FuzzyMatch>,
    files: boolean,
    complete: boolean,
    fingerprint: string,
    /** Its matches and what they were found from, kept in its parts. */
    matched: KeptMatches,
    /** What an earlier build kept of it: its files as written (see {@link ArticleParts.files}). */
    before: ArticleParts | undefined,
  ): Promise<{ lines: ArticleLines; findings: Finding[] }> {
    const { config } = this.options;
    const out = config.output;
    const id = article.article.doc.id;
    const { findings, terms } = this.options.check(article);
    const found = termSet(terms);
    const lines = articleLines(article, findings);
    /** The article's own files, by name in the output folder: their stamps go into its parts. */
    const own: Array<[string, { staging: Promise<StagedFile> }]> = [];
    if (files) {
      const name = reviewFileName(id);
      const review = renderReviewMarkdown(article, findings, matches);
      await this.stageRecord(name, recordOf(article, review, matches));
      own.push([name, await this.stage(path.join(out, name), review)]);
      await nextTurn();
    }

    // The article's tree: where each pair sits for the review page, then (changed as it goes) the chapters.
    const tree = articleTree(article.article);
    const structure = segmentPlaces(tree, article);
    const english = `${id}${ENGLISH_SUFFIX}`;
    const markdown = complete && files ? renderEnglishMarkdown(article, this.englishPlace) : undefined;
    if (markdown !== undefined) {
      if (this.changedByHand(english, before, markdown)) this.handEdited.push(path.join(out, english));
      own.push([english, await this.stage(path.join(out, english), markdown)]);
    } else if (files) this.englishGone.push(id);
    // Its chapters when complete; a volume's books as soon as its last article is in.
    const { stored, finished } = this.books.add(article, found, tree, complete);
    for (const book of finished) await this.stage(path.join(out, book.name), book.bytes);
    if (complete) await nextTurn();
    const page = this.reviewPages.add(article, findings, lines.summary, terms, found, matches, structure);
    own.push([path.relative(out, page.file), await this.stage(page.file, page.data)]);
    this.partsStale.push(id);
    // An article not built keeps its old review file and English Markdown: no parts describe them.
    if (files) {
      const parts = {
        lines,
        terms: this.parts.termIndices(found),
        words: [...page.words],
        ...(stored ? { chapters: stored } : {}),
        fuzzy: matched,
        ...(markdown !== undefined ? { written: { [english]: sha256(markdown) } } : {}),
      };
      const stamped = Promise.all(own.map(async ([name, { staging }]) => [name, (await staging).stamp()] as const));
      this.stagePart(
        stamped.then((stamps) =>
          this.parts.stage(id, fingerprint, {
            ...parts,
            files: Object.fromEntries(stamps.filter((s): s is [string, FileStamp] => s[1] !== undefined)),
          }),
        ),
      );
    }
    return { lines, findings };
  }

  /**
   * Whether an output file (by name in the output folder) was changed since a build wrote it (as the
   * article's kept `parts` describe it): its stamp changed, and it now holds neither what was written
   * (a copy of the project, or a `touch`, changes the stamp alone) nor the `text` it is to hold:
   * someone's work there, kept before it is written anew.
   */
  private changedByHand(name: string, parts: ArticleParts | undefined, text?: string): boolean {
    const written = parts?.files[name];
    if (written === undefined) return false;
    const file = path.join(this.options.config.root, this.options.config.output, name);
    if (sameStamp(written, fileStamp(file))) return false;
    try {
      const now = readFileSync(file, 'utf8');
      return now !== text && sha256(now) !== parts?.written?.[name];
    } catch {
      return false; // Removed: nothing to keep.
    }
  }

  /**
   * Whether an article's files of an earlier build are there as written: its review page, and when
   * built its English Markdown and its review file, whose record the review state keeps.
   */
  private async onDisk(id: string, kept: ArticleParts, files: boolean): Promise<boolean> {
    const { config, state } = this.options;
    this.recorded ??= state.names();
    if (files && !(await this.recorded).has(reviewFileName(id))) return false;
    const described = files
      ? kept
      : { ...kept, files: Object.fromEntries(Object.entries(kept.files).filter(([name]) => name.startsWith(REVIEW_DIR))) };
    return this.parts.filesUnchanged(described, path.join(config.root, config.output));
  }

  /** Stages a review file's record, to be renamed into place after every other file. */
  private async stageRecord(name: string, record: FileRecord): Promise<void> {
    while (this.pending.size >= (this.options.parallel ?? 8)) await Promise.race(this.pending);
    this.keepStaged(stageFile(recordPath(this.options.state.outputDir, name), renderRecord(record)), this.recordsStaged);
  }

  /**
   * The records of the old single state file of review files not written this time (of articles
   * not built, or no longer in sources/), staged into the folder: the file is removed once they are in place.
   */
  private async moveOldRecords(): Promise<void> {
    const old = await this.options.state.oldRecords();
    if (Object.keys(old).length === 0) return;
    await Promise.all(this.pending);
    const inFolder = await this.options.state.inFolder();
    const written = new Set(this.recordsStaged.map((f) => path.basename(f.file, '.json')));
    for (const [name, record] of Object.entries(old)) if (!inFolder.has(name) && !written.has(name)) await this.stageRecord(name, record);
  }

  /** Takes an article's parts staged into the list of parts to rename into place after the outputs. */
  private stagePart(staging: Promise<StagedFile>): void {
    this.keepStaged(staging, this.partsStaged);
  }

  /** Takes a staged file into `list` once it is staged; a failure fails the build. */
  private keepStaged(staging: Promise<StagedFile>, list: StagedFile[]): void {
    const done: Promise<void> = staging
      .then((staged) => {
        list.push(staged);
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Takes a file written by a stream into the list of files to rename into place. */
  private streamed(file: string, staging: Promise<StagedFile>): void {
    const index = this.written.length;
    this.written.push(file);
    this.staged.push(undefined);
    const done: Promise<void> = staging
      .then((staged) => {
        this.staged[index] = staged;
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Starts writing a file to its temp file (waiting first while `parallel` writes are under way); gives the write under way. */
  private async stage(file: string, data: string | Uint8Array | Iterable<Uint8Array>): Promise<{ staging: Promise<StagedFile> }> {
    while (this.pending.size >= (this.options.parallel ?? 8)) await Promise.race(this.pending);
    const staging = stageFile(path.join(this.options.config.root, file), data);
    this.streamed(file, staging);
    return { staging };
  }
}

/** Why a writer stopped when its build was aborted. */
function interrupted(): DiglotError {
  return new DiglotError('interrupted', EXIT.interrupted);
}
