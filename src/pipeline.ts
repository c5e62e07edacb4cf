import path from 'node:path';
import type { Config } from './config/config.js';
import { deeplEntries } from './glossary/deepl-entries.js';
import { loadProject } from './load-project.js';
import type { Glossary } from './glossary/glossary.js';
import type { FindingsSummary, Segment, SegmentedDocument, TranslatedArticle } from './model.js';
import { germanTitle } from './segment/article-title.js';
import { SEGMENTS_FILE, SegmentCache } from './segment/segment-cache.js';
import { ownCopy } from './text/own-copy.js';
import { drain } from './util/drain.js';
import { compileTermMatcher, segmentTerms } from './glossary/match-terms.js';
import { checkLinks } from './qa/check-links.js';
import { checkArticle } from './qa/run-checks.js';
import { projectFuzzyMatcher, type FuzzyMatcher } from './review-file/fuzzy-match.js';
import {
  findUnimportedEdits,
  olderBuffers,
  orphanedEdits,
  orphanedLine,
  UnimportedEditsError,
  type UnimportedFile,
} from './review-file/find-unimported-edits.js';
import { findLostReviews, memoryReplaced } from './review-file/find-lost-reviews.js';
import { keepOverwritten } from './review-file/keep-overwritten.js';
import { REVIEW_STATE_DIR, ReviewState, reviewFileName } from './review-file/review-state.js';
import type { Engine } from './translate/engine.js';
import { refuseLostMemory } from './memory/refuse-lost-memory.js';
import type { TranslationMemory } from './memory/translation-memory.js';
import { keyToSend, planTranslation, type TranslationPlan } from './translate/plan-translation.js';
import { pictureTypes } from './sources/picture-type.js';
import { selectArticles } from './sources/select-articles.js';
import { sendBatches, type Sending, type SendOutcome } from './translate/send-batches.js';
import { segmentEnglish, translatedArticle, type Billing } from './translate/translated-article.js';
import { DiglotError, EXIT, storageError, type ExitCode } from './util/errors.js';
import { keepingWarnings, type Logger } from './util/logger.js';
import { atLines, counted } from './util/format-count.js';
import { shellWord } from './util/shell-word.js';
import { formatMessages } from './util/format-message.js';
import { acquireLock } from './util/project-lock.js';
import { OutputWriter } from './write/output-writer.js';
import type { BuildTotals } from './render/report.js';
import { markdownUrls } from './render/relocate-urls.js';
import { headingOfArticle, linkTargets, type LinkTargets } from './render/resolve-link.js';
import { prepareOutput } from './write/prepare-output.js';
import { fileStamp, sameStamp, type FileStamp } from './write/write-atomic.js';
import { PARTS_DIR, programSeed } from './write/article-parts.js';
import { REVIEW_DIR } from './write/review-pages.js';
import {
  inputStamps,
  readLastBuild,
  removeLastBuild,
  unchangedOutput,
  unchangedSince,
  writeLastBuild,
  type LastBuild,
  type Stamps,
} from './write/last-build.js';

/** What `build` needs besides the config. */
export interface BuildOptions {
  engine: Engine | undefined;
  log: Logger;
  maxCharacters?: number;
  /** Exit 1 when any check finds something. */
  strict?: boolean;
  /** Overwrite review files even when they hold edits not imported into the memory. */
  force?: boolean;
  now?: () => string;
  /** Aborted (Ctrl-C): stop sending, keep what came back, leave `output/` as it was. */
  signal?: AbortSignal;
  /**
   * Build only these articles (`diglot build ARTICLE…`: source paths, review files or ids, see
   * {@link selectArticles}): only their texts are sent and only their review files and English
   * Markdown written; the books, the review page and the report still cover every article, from
   * the memory. Absent: every article.
   */
  only?: readonly string[];
  /** Where the names in `only` were typed (default: the project root). */
  cwd?: string;
}

/** The result of a build: what was written and why it may have stopped. */
export interface BuildResult {
  exitCode: ExitCode;
  totals: BuildTotals;
  written: string[];
  /** Articles whose files were kept as an earlier build wrote them: their inputs had not changed. */
  kept: number;
  /** The pictures the books hold, stamped as they were read. */
  pictures: Stamps;
  /** Nothing had changed since the last build: it did nothing, and these are its outputs (relative to the root). */
  upToDate?: string[];
  /** Segments without a translation, with the source file they come from. */
  missing: Array<{ file: string; segment: Segment }>;
  /** The findings of the articles built (the whole list is `findings.jsonl`). */
  findings: FindingsSummary;
  error: DiglotError | undefined;
  /** With `only`: the articles not built, and their segments the memory lacks (not counted in `missing` or the exit code). */
  others?: {
    articles: number;
    missing: number;
    /** The source files of those with a segment the memory lacks: the books leave them out. */
    incomplete: string[];
  };
  /** Review files a reviewer edited while the build ran: left as they are, not written (relative to the root). */
  editedMeanwhile: string[];
  /**
   * The review files written over with what the memory lacks, each with the copy kept of it (relative to the root): with
   * --force, edits not imported; and a reviewer's English the memory lost since the last build.
   */
  overwritten?: Array<{ file: string; copy: string }>;
}

/**
 * The whole job, stage by stage: read and check the sources, plan the requests (the plan
 * `estimate` shows), send them, and as each article's requests settle, check and render it to temp
 * files while later requests are in flight; `output/` is replaced only once every file is written,
 * so a failure leaves it as it was. Holds the project lock throughout.
 */
export async function build(config: Config, options: BuildOptions): Promise<BuildResult> {
  const { log } = options;
  const lang = config.targetLang;
  const release = acquireLock(path.join(config.root, '.diglot.lock'));
  let segments: SegmentCache | undefined;
  try {
    await clearLeftovers(config, log);
    // Stamped before they are read: a build that finds them, and every output, as the last one left them has nothing to do.
    const program = programSeed(config);
    const inputs = options.only === undefined ? await inputStamps(config) : undefined;
    const last = await readLastBuild(config);
    if (inputs && last && options.force !== true && (await unchangedSince(config, last, program, inputs))) {
      // Still said each time: what is wrong with the inputs (a fence never closed, an article in a folder of sources/ …).
      for (const line of last.warnings ?? []) log.warn(line);
      return upToDate(last, options.strict === true);
    }
    // What is said of the inputs, recorded for the builds that find them as they are.
    const said: string[] = [];
    const saying = keepingWarnings(log, said);
    segments = await SegmentCache.open(path.join(config.root, config.output, SEGMENTS_FILE), program);
    const { sources, memory, glossary, selected, chosen, state, reviewFilesAtStart, overwritten } = await loadChecked(
      config,
      options,
      last,
      segments,
      saying,
    );
    const { plan, sending, unshown } = startSending(chosen, { memory, glossary, config, options });
    try {
      const targets = linkTargets(sources, pictureTypes(config.root), config.baseUrl, config);
      for (const line of formatMessages(checkLinks(sources, targets))) saying.warn(line);
      const fuzzy = await projectFuzzyMatcher(sources, memory, lang, state);
      const writer = outputWriter(config, glossary, sources, {
        targets,
        english: (segment) => segmentEnglish(segment, memory, lang),
        state,
        fuzzy,
        program,
        force: options.force === true,
        reviewFilesAtStart: options.force === true ? undefined : reviewFilesAtStart,
        signal: options.signal,
        now: clock(options),
      });
      try {
        const billing: Billing = { byKey: sending?.billedByKey ?? new Map(), unshown };
        const tally = await addArticles(sources, writer, { selected, plan, sending, memory, lang, billing, targets });
        const outcome: SendOutcome = (await sending?.outcome) ?? nothingSent();
        stopIfInterrupted(outcome, options.signal, config);
        const result = await finish(config, writer, { tally, selected, signal: options.signal }, plan, outcome, options.strict === true);
        for (const file of result.editedMeanwhile)
          log.warn(
            `${file} was edited while this build ran: left as it is, not written; ` +
              'run `diglot review import`, then build again (a --watch session does both next)',
          );
        for (const { file, copy } of result.overwritten ?? [])
          log.warn(
            `${file} was changed by hand since the last build: kept as ${copy}, then written anew or removed ` +
              '(edit the English in the review file)',
          );
        await segments.save();
        // The memory as this build's own appends left it: the next build finds it unchanged.
        const recorded = inputs && withOwnWrites(inputs, memory, config.memory);
        // A review file counts as checked when this build wrote it, or it is as the build found it (a save since is no check).
        const written = new Set(result.written);
        const checked = (file: string): boolean => {
          const name = path.basename(file);
          if (!reviewFilesAtStart.has(name)) return false;
          return written.has(file) || sameStamp(reviewFilesAtStart.get(name), fileStamp(path.join(config.root, file)));
        };
        await recordBuild(config, result, { inputs: recorded, program, warnings: said }, checked);
        const all = [...overwritten, ...(result.overwritten ?? [])];
        return all.length > 0 ? { ...result, overwritten: all } : result;
      } catch (error) {
        await writer.discard();
        throw error;
      }
    } finally {
      // No request of this run goes on after the lock is released.
      await sending?.outcome;
    }
  } finally {
    // Saved by a build that wrote its outputs; any other leaves the file as it was.
    await segments?.discard();
    release();
  }
}

/** The build's clock (ISO 8601): the one given, else the system's. */
function clock(options: BuildOptions): () => string {
  return options.now ?? (() => new Date().toISOString());
}

/** The outcome of a build that sends nothing. */
function nothingSent(): SendOutcome {
  return {
    requests: 0,
    failedRequests: 0,
    billedCharacters: 0,
    billedByKey: new Map(),
    error: undefined,
    texts: { planned: 0, stored: 0, unchanged: 0 },
  };
}

/** The project as a build reads it, with the articles it builds and their review files as they were. */
interface Loaded {
  sources: SegmentedDocument[];
  memory: TranslationMemory;
  glossary: Glossary;
  /** The ids of the articles built (`diglot build ARTICLE…`); `undefined`: every article. */
  selected: Set<string> | undefined;
  chosen: SegmentedDocument[];
  state: ReviewState;
  /** The review files of the articles built, stamped before they were checked for edits. */
  reviewFilesAtStart: Map<string, FileStamp | undefined>;
  /** The files written over with what the memory lacks (see {@link BuildResult.overwritten}), and the copy kept of each. */
  overwritten: Array<{ file: string; copy: string }>;
}

/**
 * Reads the sources, the memory and the glossary, and checks them before anything is sent: the
 * memory is not lost, the articles named are there, and no review file holds edits not imported
 * (never overwritten; with --force they are, and each file is named).
 */
async function loadChecked(
  config: Config,
  options: BuildOptions,
  last: LastBuild | undefined,
  segments: SegmentCache,
  /** Where what is said of the inputs goes (see {@link keepingWarnings}). */
  saying: Logger,
): Promise<Loaded> {
  const { articles: sources, memory, glossary } = await loadProject(config, saying, segments);
  refuseLostMemory(config, memory);
  const selected =
    options.only === undefined
      ? undefined
      : selectArticles(sources, options.only, {
          root: config.root,
          output: config.output,
          cwd: options.cwd ?? config.root,
          sources: config.sources,
        });
  const chosen = selected ? sources.filter((a) => selected.has(a.doc.id)) : sources;
  const state = new ReviewState(path.join(config.root, config.output));
  // Stamped before they are checked: one edited after the check, while this build runs, is left as it is (see the writer).
  const reviewFilesAtStart = new Map(
    chosen.map((a) => [reviewFileName(a.doc.id), fileStamp(path.join(config.root, config.output, reviewFileName(a.doc.id)))]),
  );
  const unimported = await findUnimportedEdits(config, chosen, memory, state, (file) => unchangedOutput(config, last, file));
  if (unimported.length > 0 && options.force !== true) throw new UnimportedEditsError(unimported, config.output);
  // A memory written anew since the last build (a merge that took one side) may have lost a reviewer's English.
  const replaced = memoryReplaced(last?.inputs[config.memory], fileStamp(path.join(config.root, config.memory)));
  const lost = replaced ? await findLostReviews(config, chosen, memory, state) : [];
  const older = await olderBuffers(config, chosen, state, (file) => unchangedOutput(config, last, file));
  // Those files are written anew after a copy of each is safe on disk: the edits stay importable.
  // Those with edits not imported are as the build wrote them but for a reviewer's edits: their records go with them,
  // so that importing a copy later refuses an edit over an English the memory changed since, as importing the file would.
  const asWritten = new Set(unimported.map((u) => u.file).filter((file) => !older.includes(file)));
  const copies = await keepOverwritten(
    config,
    [...new Set([...unimported, ...lost].map((u) => u.file).concat(older))],
    clock(options)(),
    asWritten,
  );
  for (const u of unimported)
    options.log.warn(
      `${u.file}: held ${editsAt(u)} not imported; --force writes the file anew without them, ` +
        `${keptAs(copies.get(u.file), 'stores them')}`,
    );
  for (const l of lost)
    options.log.warn(
      `${l.file}: the memory no longer holds the reviewed English of ${counted(l.segments.length, 'pair')} ` +
        `(segment ${l.segments.join(', ')}), not even in its history (a merge that took one side of ${config.memory}, ` +
        'or an older commit checked out: back on the newer one, the memory holds it again); ' +
        `the file is written anew without it, ${keptAs(copies.get(l.file), 'stores it again')}`,
    );
  for (const file of older)
    options.log.warn(
      `${file}: an older version saved over it (written before its article's German changed, or another article's), ` +
        `showing English for German the article no longer holds; the file is written anew, ` +
        `${keptAs(copies.get(file), 'stores its edits of pairs still there')}`,
    );
  // Left as they are: a build never writes the review file of an article no longer in the sources.
  for (const u of await orphanedEdits(config, sources, memory, state)) saying.warn(orphanedLine(u, config.sources));
  const overwritten = [...copies].map(([file, copy]) => ({ file, copy }));
  return { sources, memory, glossary, selected, chosen, state, reviewFilesAtStart, overwritten };
}

/**
 * Hands every article to the writer in source order, each as soon as the requests it waits for
 * have settled, and counts them. Each is let go of once the writer has it: the build holds the
 * articles being written, not every source.
 */
async function addArticles(
  sources: SegmentedDocument[],
  writer: OutputWriter,
  {
    selected,
    plan,
    sending,
    memory,
    lang,
    billing,
    targets,
  }: {
    selected: Set<string> | undefined;
    plan: Pick<TranslationPlan, 'waits'>;
    sending: Sending | undefined;
    memory: TranslationMemory;
    lang: string;
    billing: Billing;
    targets: LinkTargets;
  },
): Promise<Tally> {
  const tally: Tally = {
    articles: 0,
    segments: 0,
    missing: [],
    others: { articles: 0, segments: 0, missing: 0, copied: 0, incomplete: [] },
  };
  let i = 0;
  for (const article of drain(sources)) {
    const built = selected === undefined || selected.has(article.doc.id);
    if (built && sending) await Promise.all((plan.waits[i] ?? []).map((b) => sending.settled[b]));
    if (built) i++;
    // An article not built that lacks a text may share it with one being translated now: it waits for the answers.
    else if (sending && article.segments.some((s) => keyToSend(s, memory, lang) !== undefined)) await sending.outcome;
    // Its English Markdown links to a heading of another article at that heading's English: one still being
    // translated is waited for (rare: a link into an article of this cold build).
    if (built && sending && linkedHeadings(article, targets).some((s) => keyToSend(s, memory, lang) !== undefined)) await sending.outcome;
    const translated = translatedArticle(article, memory, lang, built ? billing : undefined);
    count(tally, translated, built);
    writer.add(translated, { files: built });
  }
  return tally;
}

/**
 * Plans the requests and starts sending them. Of the plan, the build keeps only its counts and
 * which requests each article waits for: each batch is held by its own request, and goes once
 * its answers are stored.
 */
function startSending(
  chosen: readonly SegmentedDocument[],
  { memory, glossary, config, options }: { memory: TranslationMemory; glossary: Glossary; config: Config; options: BuildOptions },
): {
  plan: Pick<TranslationPlan, 'waits' | 'fromMemory' | 'copied' | 'pendingSegments'>;
  sending: Sending | undefined;
  /** The keys of the texts sent, each taken out where its billed characters are shown. */
  unshown: Set<string>;
} {
  const { engine, log } = options;
  const { batches, sent, ...plan } = planTranslation(chosen, memory, config.targetLang);
  const unshown = new Set(sent);
  if (!engine || batches.length === 0) return { plan, sending: undefined, unshown };
  // What DeepL bills must have somewhere to go: checked before the first request (the glossary's too).
  memory.checkWritable();
  const sending = sendBatches(
    { ...plan, sent, batches },
    {
      engine,
      memory,
      lang: config.targetLang,
      concurrency: config.concurrency,
      glossaryEntries: deeplEntries(glossary),
      ...(options.maxCharacters !== undefined ? { maxCharacters: options.maxCharacters } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      now: clock(options),
      log,
    },
  );
  return { plan, sending, unshown };
}

/** What a build counts of its articles as they go by: the articles themselves are not kept. */
interface Tally {
  articles: number;
  segments: number;
  /** Segments without a translation, with the source file they come from. */
  missing: Array<{ file: string; segment: Segment }>;
  /** The articles not built (`diglot build OTHER`), counted apart. */
  others: { articles: number; segments: number; missing: number; copied: number; incomplete: string[] };
}

/** Counts one article into the tally: built, or only rendered from the memory. */
function count(tally: Tally, translated: TranslatedArticle, built: boolean): void {
  const missing = translated.segments.filter((t) => t.target === undefined);
  if (built) {
    tally.articles++;
    tally.segments += translated.segments.length;
    for (const t of missing) tally.missing.push({ file: translated.article.doc.path, segment: t.segment });
  } else {
    tally.others.articles++;
    tally.others.segments += translated.segments.length;
    tally.others.missing += missing.length;
    if (missing.length > 0) tally.others.incomplete.push(translated.article.doc.path);
    tally.others.copied += translated.segments.filter((t) => t.origin === 'copy').length;
  }
}

/** The headings of other articles that an article's links name (`other.md#heading`). */
function linkedHeadings(article: SegmentedDocument, targets: LinkTargets): Segment[] {
  const { doc } = article;
  // Most articles link to no heading of another: their text has no `.md#` or `.txt#`.
  if (!/\.(?:md|txt)#/i.test(doc.text)) return [];
  return markdownUrls(doc.text).flatMap((url) => headingOfArticle(url, doc.path, targets)?.target.headings ?? []);
}

/** The writer of a build's outputs, with the checks it runs on the articles it renders. */
function outputWriter(
  config: Config,
  glossary: Glossary,
  articles: readonly SegmentedDocument[],
  {
    targets,
    english,
    state,
    fuzzy,
    program,
    force,
    reviewFilesAtStart,
    signal,
    now,
  }: {
    targets: LinkTargets;
    english: (segment: Segment) => string | undefined;
    state: ReviewState;
    fuzzy: FuzzyMatcher;
    program: string;
    force: boolean;
    reviewFilesAtStart: ReadonlyMap<string, FileStamp | undefined> | undefined;
    signal: AbortSignal | undefined;
    now: () => string;
  },
): OutputWriter {
  const matchTerms = compileTermMatcher(glossary);
  return new OutputWriter({
    config,
    glossary,
    matchTerms,
    targets,
    english,
    fuzzy,
    state,
    // Titles kept to the end of the build: each a string of its own, not a view into its article's source.
    contents: articles.map((a) => ({ id: a.doc.id, title: ownCopy(germanTitle(a)) })),
    // The glossary terms of each segment's German, found once for the checks, the review page and the colophon.
    check: (translated) => {
      const terms = segmentTerms(translated.segments, matchTerms);
      return { findings: checkArticle(translated, terms), terms };
    },
    // Forced over a reviewer's edits: every article is rendered and every file written again.
    reuse: !force,
    program,
    ...(reviewFilesAtStart ? { reviewFilesAtStart } : {}),
    ...(signal ? { signal } : {}),
    now,
  });
}

/** Removes the temp files a killed run left in the output folders and the memory's, and says so. */
async function clearLeftovers(config: Config, log: Logger): Promise<void> {
  const out = config.output;
  const folders = [
    out,
    path.join(out, REVIEW_DIR),
    path.join(out, PARTS_DIR),
    path.join(out, REVIEW_STATE_DIR),
    path.dirname(config.memory),
  ];
  const leftovers = await prepareOutput(config.root, folders);
  if (leftovers.length > 0)
    log.info(`Removed ${leftovers.length} temp file${leftovers.length === 1 ? '' : 's'} left by an interrupted run.`);
}

/**
 * A build of every article that lacks nothing records what it read (`inputs`, stamped before
 * reading, and the pictures) and wrote: the next build finding all of it as it was has nothing to
 * do, and a review file it wrote, unchanged since, holds no edit. One that sent requests records
 * too: the memory it appended to is newer than its stamp, so the next build is not taken for done,
 * yet it trusts the files this one wrote. Any other build forgets the last record.
 */
async function recordBuild(
  config: Config,
  result: BuildResult,
  {
    inputs,
    program,
    warnings,
  }: {
    inputs: Stamps | undefined;
    program: string;
    /** What the build said of its inputs. */
    warnings: string[];
  },
  /** Whether the build checked a review file (relative to the root) for edits. */
  checked: (file: string) => boolean,
): Promise<void> {
  const settled = result.missing.length === 0 && !result.others?.missing && result.editedMeanwhile.length === 0;
  if (inputs && settled && !result.error)
    await writeLastBuild(
      config,
      {
        seed: program,
        inputs: { ...inputs, ...result.pictures },
        totals: result.totals,
        findings: result.findings,
        ...(warnings.length > 0 ? { warnings } : {}),
      },
      checked,
    );
  else await removeLastBuild(config);
}

/** A copy kept of a review file, and what the command that imports it does, for a message: `kept as C (\`diglot review import C\` does)`. */
function keptAs(copy: string | undefined, does: string): string {
  return `kept as ${copy} (\`diglot review import ${shellWord(copy ?? '')}\` ${does})`;
}

/** Where a review file's unimported edits are, for a message. */
function editsAt(u: UnimportedFile): string {
  return atLines(
    [...u.changed, ...u.problems.map((p) => p.line)].sort((a, b) => a - b),
    'edit',
  );
}

/**
 * The inputs' stamps with the memory's as this build's own writes left it, where only they changed
 * it since it was stamped (see `ownWritesSince`); else as they were.
 */
function withOwnWrites(inputs: Stamps, memory: TranslationMemory, file: string): Stamps {
  const own = memory.ownWritesSince(inputs[file]);
  return own ? { ...inputs, [file]: own } : inputs;
}

/**
 * The result of a build with nothing to do: the last build's totals and findings, nothing written,
 * and nothing sent: what the last build translated is in the memory now.
 */
function upToDate(last: LastBuild, strict: boolean): BuildResult {
  const { findings } = last;
  const t = last.totals;
  return {
    exitCode: strict && findings.count > 0 ? EXIT.failed : EXIT.ok,
    totals: {
      ...t,
      fromMemory: t.fromMemory + t.translated,
      translated: 0,
      textsTranslated: 0,
      requests: 0,
      billedCharacters: 0,
      failedRequests: 0,
    },
    written: [],
    kept: last.totals.articles,
    pictures: {},
    missing: [],
    findings,
    error: undefined,
    upToDate: Object.keys(last.outputs),
    editedMeanwhile: [],
  };
}

/** Interrupted, or the memory could not be written: what was stored is kept, `output/` is left as it was. */
function stopIfInterrupted(outcome: SendOutcome, signal: AbortSignal | undefined, config: Config): void {
  const stop = outcome.error ?? (signal?.aborted ? new DiglotError('interrupted', EXIT.interrupted) : undefined);
  if (!stop || (stop.exitCode !== EXIT.interrupted && stop.exitCode !== EXIT.storage)) return;
  const { planned, stored } = outcome.texts;
  const translated =
    planned === 0
      ? 'nothing needed translating (the memory has every text); run `diglot build` again to write the editions.'
      : stored === planned
        ? `every text to translate (${planned}) was translated and kept in the memory; run \`diglot build\` again to write the editions.`
        : `${stored} of ${planned} texts to translate were translated and kept in the memory; run \`diglot build\` again for the rest.`;
  const kept = `${translated} ${config.output}/ was left as it was.`;
  throw new DiglotError(stop.exitCode === EXIT.interrupted ? `interrupted: ${kept}` : `${stop.message}\n${kept}`, stop.exitCode, stop.hint);
}

/** Writes the outputs that need every article, puts `output/` in place, and sums the build up. */
async function finish(
  config: Config,
  writer: OutputWriter,
  { tally, selected, signal }: { tally: Tally; selected: Set<string> | undefined; signal: AbortSignal | undefined },
  plan: Pick<TranslationPlan, 'fromMemory' | 'copied' | 'pendingSegments'>,
  outcome: SendOutcome,
  strict: boolean,
): Promise<BuildResult> {
  const { missing, others } = tally;
  const counted = {
    articles: tally.articles,
    segments: tally.segments,
    // As the plan counted them: a text repeated within the run is translated, not from the memory.
    fromMemory: plan.fromMemory,
    copied: plan.copied,
    translated: plan.pendingSegments - missing.length,
    textsTranslated: outcome.texts.stored,
    missing: missing.length,
    // Answered requests only: those refused or failing after every retry are counted apart.
    requests: outcome.requests,
    billedCharacters: outcome.billedCharacters,
    failedRequests: outcome.failedRequests,
  };
  // The report covers every article, those not built (from the memory) included.
  const reported = {
    ...counted,
    articles: counted.articles + others.articles,
    segments: counted.segments + others.segments,
    fromMemory: counted.fromMemory + others.segments - others.missing - others.copied,
    copied: counted.copied + others.copied,
    missing: counted.missing + others.missing,
  };
  let finished;
  try {
    finished = await writer.finish(reported);
  } catch (error) {
    // Ctrl-C while the outputs were rendered: said as an interruption before sending is (what was kept, output/ as it was).
    if (error instanceof DiglotError && error.exitCode === EXIT.interrupted)
      stopIfInterrupted({ ...outcome, error: undefined }, signal, config);
    const file = (error as NodeJS.ErrnoException).path;
    throw storageError(
      error,
      file ? path.relative(config.root, file) : `${config.output}/`,
      `every translation is kept in the memory; ${config.output}/ was left as it was`,
    );
  }
  const { written, kept, pictures, editedMeanwhile, handEdited } = finished;
  // The findings of the articles built: what this build checked (the report lists every article's).
  const { findings } = finished;
  const exitCode: ExitCode = outcome.error
    ? outcome.error.exitCode
    : missing.length > 0 || (strict && findings.count > 0)
      ? EXIT.failed
      : EXIT.ok;
  return {
    exitCode,
    totals: { ...counted, findings: findings.count },
    written,
    kept,
    pictures,
    missing,
    findings,
    error: outcome.error,
    ...(selected ? { others: { articles: others.articles, missing: others.missing, incomplete: others.incomplete } } : {}),
    editedMeanwhile,
    ...(handEdited.length > 0 ? { overwritten: handEdited } : {}),
  };
}
