import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config/config.js';
import { deeplEntries } from './glossary/deepl-entries.js';
import { loadProject, type Project } from './load-project.js';
import type { Finding, Segment, TranslatedArticle } from './model.js';
import { compileTermMatcher, segmentTerms } from './glossary/match-terms.js';
import { checkLinks } from './qa/check-links.js';
import { checkArticle } from './qa/run-checks.js';
import { projectFuzzyMatcher } from './review-file/fuzzy-match.js';
import { findUnimportedEdits, UnimportedEditsError } from './review-file/find-unimported-edits.js';
import { readReviewState, type ReviewState } from './review-file/review-state.js';
import type { Engine } from './translate/engine.js';
import { planTranslation, type TranslationPlan } from './translate/plan-translation.js';
import { selectArticles } from './sources/select-articles.js';
import { sendBatches, type SendOutcome } from './translate/send-batches.js';
import { translatedArticle, type Billing } from './translate/translated-article.js';
import { DiglotError, EXIT, storageError, type ExitCode } from './util/errors.js';
import type { Logger } from './util/logger.js';
import { formatMessage } from './util/format-message.js';
import { acquireLock } from './util/project-lock.js';
import { OutputWriter } from './write/output-writer.js';
import type { BuildTotals } from './render/report.js';
import { linkTargets, type LinkTargets } from './render/resolve-link.js';
import { prepareOutput } from './write/prepare-output.js';
import { PARTS_DIR, programSeed } from './write/article-parts.js';
import { REVIEW_DIR } from './write/review-pages.js';
import {
  inputStamps,
  lastFindings,
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
  findings: Finding[];
  error: DiglotError | undefined;
  /** With `only`: the articles not built, and their segments the memory lacks (not counted in `missing` or the exit code). */
  others?: { articles: number; missing: number };
}

/**
 * The whole job, stage by stage: read and check the sources, plan the requests (the plan
 * `estimate` shows), send them, and as each article's requests settle, check and render it to temp
 * files while later requests are in flight; `output/` is replaced only once every file is written,
 * so a failure leaves it as it was. Holds the project lock throughout.
 */
export async function build(config: Config, options: BuildOptions): Promise<BuildResult> {
  const { engine, log } = options;
  const lang = config.targetLang;
  const release = acquireLock(path.join(config.root, '.diglot.lock'));
  try {
    await clearLeftovers(config, log);
    // Stamped before they are read: a build that finds them, and every output, as the last one left them has nothing to do.
    const program = programSeed(config);
    const inputs = options.only === undefined ? await inputStamps(config) : undefined;
    const last = await readLastBuild(config);
    if (inputs && last && options.force !== true && (await unchangedSince(config, last, program, inputs)))
      return await upToDate(config, last, options.strict === true);
    const project = await loadProject(config, log);
    const selected =
      options.only === undefined
        ? undefined
        : selectArticles(project.articles, options.only, { root: config.root, output: config.output, cwd: options.cwd ?? config.root });
    const chosen = selected ? project.articles.filter((a) => selected.has(a.doc.id)) : project.articles;
    const state = await readReviewState(path.join(config.root, config.output));
    // Before anything is sent or written: a reviewer's edits not yet imported are never overwritten.
    if (options.force !== true) {
      const unimported = await findUnimportedEdits(config, chosen, project.memory, state, (file) => unchangedOutput(config, last, file));
      if (unimported.length > 0) throw new UnimportedEditsError(unimported);
    }
    const plan = planTranslation(chosen, project.memory, lang);
    // What DeepL bills must have somewhere to go: checked before the first request (the glossary's too).
    if (engine && plan.batches.length > 0) project.memory.checkWritable();
    const sending =
      engine && plan.batches.length > 0
        ? sendBatches(plan, {
            engine,
            memory: project.memory,
            lang,
            concurrency: config.concurrency,
            glossaryEntries: deeplEntries(project.glossary),
            ...(options.maxCharacters !== undefined ? { maxCharacters: options.maxCharacters } : {}),
            ...(options.signal ? { signal: options.signal } : {}),
            now: options.now ?? (() => new Date().toISOString()),
            log,
          })
        : undefined;
    try {
      const targets = linkTargets(project.articles, (file) => existsSync(path.join(config.root, file)), config.baseUrl, config);
      for (const m of checkLinks(project.articles, targets)) log.warn(formatMessage(m));
      const fuzzy = projectFuzzyMatcher(project.articles, project.memory, lang);
      const writer = outputWriter(project, { targets, state, program, force: options.force === true });
      const billing: Billing = { byKey: sending?.billedByKey ?? new Map(), shown: new Set() };
      const articles: TranslatedArticle[] = [];
      const others: TranslatedArticle[] = [];
      try {
        let i = 0;
        for (const article of project.articles) {
          const built = selected === undefined || selected.has(article.doc.id);
          if (built && sending) await Promise.all((plan.waits[i] ?? []).map((b) => sending.settled[b]));
          if (built) i++;
          // An article not built shares a text being translated now: it waits for the answers.
          else if (sending && article.segments.some((s) => plan.codecs.has(s.key))) await sending.outcome;
          const translated = translatedArticle(article, project.memory, lang, built ? billing : undefined);
          (built ? articles : others).push(translated);
          writer.add(translated, fuzzy.matchArticle(translated), { files: built });
        }
        const outcome: SendOutcome = (await sending?.outcome) ?? {
          requests: 0,
          failedRequests: 0,
          billedCharacters: 0,
          billedByKey: new Map(),
          error: undefined,
          texts: { planned: 0, stored: 0 },
        };
        stopIfInterrupted(outcome, options.signal, config);
        const result = await finish(config, writer, { articles, others, selected }, plan, outcome, options.strict === true);
        await recordBuild(config, result, inputs, program);
        return result;
      } catch (error) {
        await writer.discard();
        throw error;
      }
    } finally {
      // No request of this run goes on after the lock is released.
      await sending?.outcome;
    }
  } finally {
    release();
  }
}

/** The writer of a build's outputs, with the checks it runs on the articles it renders. */
function outputWriter(
  project: Project,
  { targets, state, program, force }: { targets: LinkTargets; state: ReviewState; program: string; force: boolean },
): OutputWriter {
  const matchTerms = compileTermMatcher(project.glossary);
  return new OutputWriter({
    config: project.config,
    glossary: project.glossary,
    matchTerms,
    targets,
    state,
    articles: project.articles,
    // The glossary terms of each segment's German, found once for the checks, the review page and the colophon.
    check: (translated) => {
      const terms = segmentTerms(translated.segments, matchTerms);
      return { findings: checkArticle(translated, terms), terms };
    },
    // Forced over a reviewer's edits: every article is rendered and every file written again.
    reuse: !force,
    program,
  });
}

/** Removes the temp files a killed run left in the output folders and the memory's, and says so. */
async function clearLeftovers(config: Config, log: Logger): Promise<void> {
  const out = config.output;
  const folders = [out, path.join(out, REVIEW_DIR), path.join(out, PARTS_DIR), path.dirname(config.memory)];
  const leftovers = await prepareOutput(config.root, folders);
  if (leftovers.length > 0)
    log.info(`Removed ${leftovers.length} temp file${leftovers.length === 1 ? '' : 's'} left by an interrupted run.`);
}

/**
 * A build of every article that sent nothing and lacks nothing is what the next build would be:
 * it records what it read (`inputs`, stamped before reading, and the pictures) and wrote. Any
 * other build forgets the last record.
 */
async function recordBuild(config: Config, result: BuildResult, inputs: Stamps | undefined, program: string): Promise<void> {
  const { totals } = result;
  const settled = totals.requests === 0 && totals.failedRequests === 0 && result.missing.length === 0 && !result.others?.missing;
  if (inputs && settled && !result.error)
    await writeLastBuild(config, { seed: program, inputs: { ...inputs, ...result.pictures }, totals });
  else await removeLastBuild(config);
}

/** The result of a build with nothing to do: the last build's totals and findings, nothing written. */
async function upToDate(config: Config, last: LastBuild, strict: boolean): Promise<BuildResult> {
  const findings = await lastFindings(config);
  return {
    exitCode: strict && findings.length > 0 ? EXIT.failed : EXIT.ok,
    totals: last.totals,
    written: [],
    kept: last.totals.articles,
    pictures: {},
    missing: [],
    findings,
    error: undefined,
    upToDate: Object.keys(last.outputs),
  };
}

/** Interrupted, or the memory could not be written: what was stored is kept, `output/` is left as it was. */
function stopIfInterrupted(outcome: SendOutcome, signal: AbortSignal | undefined, config: Config): void {
  const stop = outcome.error ?? (signal?.aborted ? new DiglotError('interrupted', EXIT.interrupted) : undefined);
  if (!stop || (stop.exitCode !== EXIT.interrupted && stop.exitCode !== EXIT.storage)) return;
  const { planned, stored } = outcome.texts;
  const kept = `${stored} of ${planned} texts to translate were translated and kept in the memory; run \`diglot build\` again for the rest. ${config.output}/ was left as it was.`;
  throw new DiglotError(stop.exitCode === EXIT.interrupted ? `interrupted: ${kept}` : `${stop.message}\n${kept}`, stop.exitCode, stop.hint);
}

/** Writes the outputs that need every article, puts `output/` in place, and sums the build up. */
async function finish(
  config: Config,
  writer: OutputWriter,
  built: { articles: TranslatedArticle[]; others: TranslatedArticle[]; selected: Set<string> | undefined },
  plan: TranslationPlan,
  outcome: SendOutcome,
  strict: boolean,
): Promise<BuildResult> {
  const { articles, others, selected } = built;
  const segments = articles.flatMap((a) => a.segments);
  const missing = articles.flatMap((a) =>
    a.segments.filter((t) => t.target === undefined).map((t) => ({ file: a.article.doc.path, segment: t.segment })),
  );
  const otherSegments = others.flatMap((a) => a.segments);
  const otherMissing = otherSegments.filter((t) => t.target === undefined).length;
  const counted = {
    articles: articles.length,
    segments: segments.length,
    // As the plan counted them: a text repeated within the run is translated, not from the memory.
    fromMemory: plan.fromMemory,
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
    articles: counted.articles + others.length,
    segments: counted.segments + otherSegments.length,
    fromMemory: counted.fromMemory + otherSegments.length - otherMissing,
    missing: counted.missing + otherMissing,
  };
  let finished;
  try {
    finished = await writer.finish(reported);
  } catch (error) {
    const file = (error as NodeJS.ErrnoException).path;
    throw storageError(
      error,
      file ? path.relative(config.root, file) : `${config.output}/`,
      `every translation is kept in the memory; ${config.output}/ was left as it was`,
    );
  }
  const { written, kept, pictures } = finished;
  // The findings of the articles built: what this build checked (the report lists every article's).
  const findings = selected ? finished.findings.filter((f) => selected.has(f.docId)) : finished.findings;
  const exitCode: ExitCode = outcome.error
    ? outcome.error.exitCode
    : missing.length > 0 || (strict && findings.length > 0)
      ? EXIT.failed
      : EXIT.ok;
  return {
    exitCode,
    totals: { ...counted, findings: findings.length },
    written,
    kept,
    pictures,
    missing,
    findings,
    error: outcome.error,
    ...(selected ? { others: { articles: others.length, missing: otherMissing } } : {}),
  };
}
