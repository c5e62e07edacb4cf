// `diglot build --watch`: builds, then builds again whenever a source, a review file, the glossary,
// the memory or the config changes, importing reviewers' edits first; one summary line per build.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { build, type BuildResult } from '../pipeline.js';
import { defaultReviewFiles, importReviews } from '../review-file/import-review.js';
import { REVIEW_FILE_SUFFIX } from '../review-file/review-state.js';
import { isArticleName, isBlankText, sourceId } from '../sources/read-sources.js';
import type { Engine } from '../translate/engine.js';
import { DiglotError, EXIT, type ExitCode } from '../util/errors.js';
import { counted } from '../util/format-count.js';
import { formatMessage } from '../util/format-message.js';
import { gitOperationUnderWay } from '../util/git-unmerged.js';
import { sameStamp } from '../write/write-atomic.js';
import { fileStamp, type FileStamp } from '../write/write-atomic.js';
import { present, projectConfig, type CommandContext } from './context.js';
import { engineFromEnv } from './engine-from-env.js';
import { hasChanges, noChanges, ProjectWatcher, type ProjectChanges } from './watch-changes.js';
import { editedReviewFiles } from './watch-review-edits.js';

/** The build's flags, kept for every build of the session. */
export interface WatchOptions {
  /** The articles named on the command line: then every build builds these. */
  only?: readonly string[];
  cwd?: string;
  layout?: string | undefined;
  strict: boolean;
  force: boolean;
  maxCharacters?: number;
}

/** One build of the session: why it runs, and what it covers. */
interface Round {
  /** Why it runs, for the summary ("sources/a.md changed", "2 edits imported from …"); empty for the first build. */
  reason: string[];
  /** Paths of the changed articles (sources, review files) to build; undefined: every article (or the named ones). */
  articles: string[] | undefined;
  /** The config does not load: nothing is built or imported until it does, and the changes wait for the next burst. */
  blocked?: boolean;
}

/**
 * Runs the watch session until Ctrl-C (SIGINT) or SIGTERM. Changes that arrive while a build runs
 * are gathered and build next. A change to a source builds that article and those whose text names
 * its file (links to it), one to a review file that article (the books, review page and report still
 * cover every article); a change to the glossary or the config, or a source added or removed, builds
 * every article. An edited review file is imported first, as
 * `diglot review import` does (a refused file is reported and its article not built, so nothing
 * in it is overwritten). A failed build is reported and the session goes on. Ctrl-C during a
 * build aborts it as it aborts `diglot build` (what DeepL sent is kept, output/ stays as it was,
 * the lock is released) and ends with 130; between builds it ends with 0. A second Ctrl-C ends
 * the process at once.
 */
export async function watchBuild(ctx: CommandContext, first: Config, options: WatchOptions): Promise<ExitCode> {
  let config = withLayout(first, options.layout);
  let engine: Engine | undefined = await engineFromEnv(config, ctx.log);
  if (!engine) ctx.log.info('No DEEPL_AUTH_KEY: using the translation memory only.');

  let queued = noChanges();
  /**
   * What a round that failed (its build stopped, or an edit could not be imported) still owes:
   * its articles (`undefined`: every article) and its changes, built with the next burst.
   */
  let owed: { articles: Set<string> | undefined; changes: ProjectChanges } | undefined;
  /** Said once while git has an operation under way. */
  let waitingForGit = false;
  let busy: Promise<void> | undefined;
  let running: AbortController | undefined;
  let stopping = false;
  let interrupted = false;
  let stop: (code: ExitCode) => void = () => undefined;
  const stopped = new Promise<ExitCode>((resolve) => (stop = resolve));

  /** A failure of one round is reported; the session goes on. */
  const report = (error: unknown): void => {
    if (error instanceof DiglotError) ctx.log.error(error.message + (error.hint ? `\n  hint: ${error.hint}` : ''));
    else ctx.log.error(`internal error: ${(error as Error)?.stack ?? String(error)}\nThis is a bug in diglot; please report it.`);
  };
  const rel = (file: string): string => path.relative(config.root, file) || file;
  /**
   * The memory file as the session's own last write left it (a build's translations, an import):
   * a change event that finds it so is the session's own. Stamped as soon as the write's lock is
   * released and before anything is printed, so a change made after a summary line is never taken
   * for the session's own; a save by the review app in the instant between would wait for the next change.
   */
  let ownMemory: FileStamp | undefined;
  const memoryFile = (): string => path.resolve(config.root, config.memory);
  /** The sources as the session last saw them: a file not among them is a new article. */
  let known = await sourceFiles(config);

  /** Imports the edited review files among `files`; the paths of those imported (refused ones left out). */
  const importEdits = async (
    files: Iterable<string>,
  ): Promise<{ imported: string[]; refused: string[]; changes: number; headings: boolean }> => {
    const edited = await editedReviewFiles(config, files);
    if (edited.length === 0) return { imported: [], refused: [], changes: 0, headings: false };
    const results = await importReviews(
      config,
      edited.map((file) => ({ path: file, display: path.relative(ctx.cwd, file) || file })),
      { log: ctx.log },
    );
    ownMemory = fileStamp(memoryFile());
    const imported: string[] = [];
    const refused: string[] = [];
    let changes = 0;
    // A heading's English changed: other articles' English Markdown may link to it by that English.
    const headings = results.some((r) => r.changes.some((c) => c.segment.kind === 'heading'));
    for (const [i, r] of results.entries()) {
      const file = edited[i] as string;
      // As `review import` says them: pairs of an older copy whose English the memory replaced since, kept as the memory has them.
      for (const m of r.earlier ?? []) ctx.log.warn(formatMessage(m));
      if (r.problems.length > 0) {
        refused.push(file);
        ctx.log.error(`${r.file}: refused, nothing imported from it:\n${r.problems.map((p) => `  ${formatMessage(p)}`).join('\n')}`);
      } else if (r.changes.length > 0) {
        imported.push(file);
        changes += r.changes.length;
      }
    }
    return { imported, refused, changes, headings };
  };

  /** One build, its summary line, and any error reported: the session goes on. False when it stopped before writing output/. */
  const runBuild = async (round: Round): Promise<boolean> => {
    const only = options.only ?? round.articles;
    const controller = new AbortController();
    running = controller;
    const started = performance.now();
    const built = build(config, {
      engine,
      log: ctx.log,
      strict: options.strict,
      force: options.force,
      signal: controller.signal,
      ...(options.maxCharacters !== undefined ? { maxCharacters: options.maxCharacters } : {}),
      ...(only !== undefined ? { only, cwd: options.only ? (options.cwd ?? config.root) : config.root } : {}),
    });
    const settled = await built.then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    );
    // Whatever the build wrote to the memory (the answers that came back) is the session's own.
    ownMemory = fileStamp(memoryFile());
    running = undefined;
    if ('result' in settled) {
      const { result } = settled;
      if (result.error) ctx.log.error(result.error.message + (result.error.hint ? `\n  hint: ${result.error.hint}` : ''));
      ctx.log.info(summaryLine(round.reason, result, (performance.now() - started) / 1000));
      return true;
    }
    const { error } = settled;
    if (!(error instanceof DiglotError)) throw error;
    if (error.exitCode === EXIT.interrupted) interrupted = true;
    ctx.log.error(error.message + (error.hint ? `\n  hint: ${error.hint}` : ''));
    ctx.log.info(`${clock()} ${because(round.reason)}build stopped (exit ${error.exitCode}); output/ was left as it was.`);
    return false;
  };

  /** What a burst of changes asks for: config reloaded, edits imported, then the build; what fails is owed to the next burst. */
  const handle = async (burst: ProjectChanges): Promise<void> => {
    const earlier = owed;
    owed = undefined;
    const changes = noChanges();
    merge(changes, burst);
    if (earlier) merge(changes, earlier.changes);
    try {
      // Git between two states (a rebase applying its commits one by one, a merge left to resolve): nothing is
      // read until it is done, or a build would take the memory of a half-done rebase for one that lost English.
      const operation = gitOperationUnderWay(config.root);
      if (operation !== undefined) {
        owed = { articles: earlier ? earlier.articles : new Set(), changes };
        if (!waitingForGit) ctx.log.info(`${clock()} git is in the middle of ${operation}: not built until it is done.`);
        waitingForGit = true;
        setTimeout(() => {
          if (owed === undefined || stopping) return;
          merge(queued, owed.changes);
          owed = { ...owed, changes: noChanges() };
          schedule();
        }, GIT_WAIT_MS).unref();
        return;
      }
      waitingForGit = false;
      const round = await roundOf(changes);
      // A config that does not load holds everything back (the review files to import, the config to read again).
      if (round.blocked) {
        owed = { articles: earlier ? earlier.articles : new Set(), changes };
        return;
      }
      if (earlier && (earlier.articles === undefined || earlier.articles.size > 0)) {
        round.reason.push('what the last failed build left');
        round.articles = earlier.articles && round.articles ? [...earlier.articles, ...round.articles] : undefined;
      }
      if (round.reason.length === 0) return; // Only diglot's own writes, or edits already imported.
      if (!(await runBuild(round))) owed = { articles: round.articles && new Set(round.articles), changes: noChanges() };
    } catch (error) {
      // Not built: the changes (the review files to import among them) come again with the next burst.
      owed = { articles: earlier ? earlier.articles : new Set(), changes };
      throw error;
    }
  };

  /** The build a burst of changes asks for (config reloaded and edits imported on the way); no reason: nothing to build. */
  const roundOf = async (changes: ProjectChanges): Promise<Round> => {
    const reason: string[] = [];
    let whole = false;
    if (changes.config) {
      reason.push('diglot.config.json changed');
      try {
        config = withLayout(await projectConfig(config.root, ctx), options.layout);
        engine = await engineFromEnv(config, ctx.log);
        watcher.refresh(config);
      } catch (error) {
        if (!(error instanceof DiglotError)) throw error;
        ctx.log.error(error.message + (error.hint ? `\n  hint: ${error.hint}` : ''));
        ctx.log.info(`${clock()} diglot.config.json changed: not built (the config above must be fixed first).`);
        return { reason: [], articles: [], blocked: true };
      }
      whole = true;
    }
    if (changes.glossary) {
      reason.push(`${rel(path.resolve(config.root, config.glossary))} changed`);
      whole = true;
    }
    // Another run's change (the review app, \`memory import\`): any article may hold the texts changed.
    if (changes.memory && !sameStamp(fileStamp(memoryFile()), ownMemory)) {
      reason.push(`${rel(memoryFile())} changed`);
      whole = true;
    }
    const articles: string[] = [];
    const sources = await sourceFiles(config);
    for (const file of changes.sources) {
      // A source added or removed changes the books' contents and the links between articles.
      if (!(await present(file))) {
        reason.push(`${rel(file)} removed`);
        whole = true;
      } else if (await blank(file)) {
        // No article any more, as a build skips it (an editor that crashed saving, a text cut to be pasted anew): it leaves the books.
        reason.push(`${rel(file)} emptied`);
        whole = true;
      } else if (!known.has(file)) {
        reason.push(`${rel(file)} added`);
        whole = true;
      } else {
        reason.push(`${rel(file)} changed`);
        // And the articles that link to it: their English Markdown links to its headings by their English.
        articles.push(file, ...(await linkingTo(file, sources)));
      }
    }
    known = sources;
    if (changes.reviews.size > 0) {
      // A review file deleted (to start its review afresh, say) is written again: its article is built.
      for (const file of changes.reviews) {
        // So is one emptied (an editor that crashed saving): it holds nothing, and is written anew.
        const emptied = await blank(file);
        if ((await present(file)) && !emptied) continue;
        // Not when its article left the sources (the build removed it then).
        if (!ofAnArticle(file, sources)) continue;
        reason.push(`${rel(file)} ${emptied ? 'emptied' : 'removed'}`);
        articles.push(file);
      }
      const { imported, refused, changes: n, headings } = await importEdits(changes.reviews);
      if (imported.length > 0) {
        reason.push(`${n} edit${n === 1 ? '' : 's'} imported from ${imported.map(rel).join(', ')}`);
        // Their articles are built; a file of no article (one whose article was renamed, a copy sent back by mail)
        // brought English that articles under other names may hold: every article is built.
        articles.push(...imported);
        if (!imported.every((file) => ofAnArticle(file, sources))) whole = true;
        // Links into a renamed heading follow it in every article's English Markdown: every article is built.
        if (headings) whole = true;
      }
      if (refused.length > 0 && reason.length === 0)
        ctx.log.info(`${clock()} ${refused.map(rel).join(', ')} refused: not built; fix the lines above and save again.`);
    }
    return { reason, articles: whole ? undefined : articles };
  };

  const drain = async (): Promise<void> => {
    while (hasChanges(queued) && !stopping) {
      const changes = queued;
      queued = noChanges();
      await handle(changes).catch(report);
    }
  };

  const schedule = (): void => {
    if (busy) return;
    busy = drain().finally(() => {
      busy = undefined;
      if (stopping) finish();
    });
  };

  const watcher = new ProjectWatcher(config, (changes) => {
    merge(queued, changes);
    schedule();
  });

  const finish = (): void => {
    watcher.close();
    stop(interrupted ? EXIT.interrupted : EXIT.ok);
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(EXIT.interrupted);
    stopping = true;
    if (running) {
      ctx.log.warn(
        `${signal}: stopping the build under way — no new requests; the answers on their way are kept (press Ctrl-C again to quit at once)`,
      );
      running.abort();
    }
    if (!busy) finish();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // The first build: edits made while no one watched are imported first, as later ones are.
    busy = (async () => {
      const reason: string[] = [];
      try {
        const { imported, changes } = await importEdits(await defaultReviewFiles(config));
        if (imported.length > 0) reason.push(`${changes} edit${changes === 1 ? '' : 's'} imported from ${imported.map(rel).join(', ')}`);
      } catch (error) {
        report(error);
      }
      await runBuild({ reason, articles: undefined }).catch(report);
      watcher.refresh();
      if (!stopping) ctx.log.info(`${clock()} watching ${watched(config)} for changes (Ctrl-C to stop)`);
    })()
      .then(() => drain())
      .finally(() => {
        busy = undefined;
        if (stopping) finish();
      });
    return await stopped;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    watcher.close();
  }
}

/** The config with the layout given on the command line, if any. */
function withLayout(config: Config, layout: string | undefined): Config {
  if (layout === 'interleaved' || layout === 'facing') config.layout = layout;
  return config;
}

/** How often a session waiting for git to finish a rebase or merge looks again. */
const GIT_WAIT_MS = 500;

/** Adds `more` to `into`. */
function merge(into: ProjectChanges, more: ProjectChanges): void {
  for (const f of more.sources) into.sources.add(f);
  for (const f of more.reviews) into.reviews.add(f);
  into.glossary ||= more.glossary;
  into.memory ||= more.memory;
  into.config ||= more.config;
}

/** The inputs watched, for the "watching" line. */
function watched(config: Config): string {
  return `${config.sources}/, ${config.output}/*.review.md, ${config.glossary}, ${config.memory} and diglot.config.json`;
}

/**
 * Whether a file holds nothing but white space and invisible characters (a byte-order mark), as a
 * build skips it; not when it cannot be read.
 */
async function blank(file: string): Promise<boolean> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text !== undefined && isBlankText(text);
}

function because(reason: readonly string[]): string {
  if (reason.length === 0) return '';
  const shown = reason.length > 3 ? [...reason.slice(0, 3), `${reason.length - 3} more changes`] : reason;
  return `${shown.join(', ')}: `;
}

/** The one line a build of the session prints. */
function summaryLine(reason: readonly string[], result: BuildResult, seconds: number): string {
  const t = result.totals;
  const of = result.others ? ` of ${t.articles + result.others.articles}` : '';
  const kept = result.kept > 0 ? `, kept ${counted(result.kept, 'unchanged article')}` : '';
  const wrote = result.upToDate ? 'nothing changed' : `wrote ${counted(result.written.length, 'file')}${kept}`;
  return (
    `${clock()} ${because(reason)}built ${counted(t.articles, 'article')}${of}: ${counted(t.segments, 'segment')}, ` +
    `${t.fromMemory} from the memory, ${t.copied ? `${t.copied} copied, ` : ''}` +
    `${t.translated} translated, ${t.missing} missing, ${counted(t.findings, 'finding')}; ` +
    `${wrote} in ${seconds.toFixed(1)} s (exit ${result.exitCode}).`
  );
}

/** The time of day, for the summary lines. */
function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** The article files of the sources folder (absolute paths). */
async function sourceFiles(config: Config): Promise<Set<string>> {
  const dir = path.resolve(config.root, config.sources);
  const names = await readdir(dir).catch(() => [] as string[]);
  return new Set(names.filter(isArticleName).map((n) => path.join(dir, n)));
}

/** Whether a review file is the one of an article among `sources` (by its name, `<id>.review.md`). */
function ofAnArticle(reviewFile: string, sources: ReadonlySet<string>): boolean {
  const id = path.basename(reviewFile).slice(0, -REVIEW_FILE_SUFFIX.length);
  return [...sources].some((source) => sourceId(source) === id);
}

/** The other sources whose text names `file` (a link to it, or to one of its headings); one that merely mentions it is built too. */
async function linkingTo(file: string, sources: ReadonlySet<string>): Promise<string[]> {
  const names = [path.basename(file), encodeURI(path.basename(file))];
  const linking: string[] = [];
  for (const other of sources) {
    if (other === file) continue;
    const text = await readFile(other, 'utf8').catch(() => '');
    if (names.some((name) => text.includes(name))) linking.push(other);
  }
  return linking;
}
