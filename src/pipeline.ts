import path from 'node:path';
import type { Config } from './config/config.js';
import { deeplEntries } from './glossary/deepl-entries.js';
import { loadProject } from './load-project.js';
import type { Finding, Segment, TranslatedSegment } from './model.js';
import { FuzzyMatcher } from './review/fuzzy-match.js';
import { findUnimportedEdits, UnimportedEditsError } from './review/find-unimported-edits.js';
import { readReviewState } from './review/review-state.js';
import { segmentKey } from './segment/normalise.js';
import type { Engine } from './translate/engine.js';
import { keyToSend } from './translate/plan-translation.js';
import { startGlossary, translateSegments, type GlossaryPreparation } from './translate/translate-segments.js';
import { DiglotError, EXIT, storageError, type ExitCode } from './util/errors.js';
import type { Logger } from './util/logger.js';
import { acquireLock } from './util/project-lock.js';
import { OutputWriter } from './write/output-writer.js';
import type { BuildTotals } from './write/report.js';
import { prepareOutput } from './write/prepare-output.js';

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
}

/** The result of a build: what was written and why it may have stopped. */
export interface BuildResult {
  exitCode: ExitCode;
  totals: BuildTotals;
  written: string[];
  /** Segments without a translation, with the source file they come from. */
  missing: Array<{ file: string; segment: Segment }>;
  findings: Finding[];
  error: DiglotError | undefined;
}

/**
 * The whole job: read and segment the sources, translate what the memory lacks, write the
 * editions. Each article's outputs are rendered as soon as it is translated, while later requests
 * are in flight; each output goes to a temp file as it is rendered, and all are renamed into place
 * only once every one is written, so a failure before then leaves `output/` as it was.
 */
export async function build(config: Config, options: BuildOptions): Promise<BuildResult> {
  const release = acquireLock(path.join(config.root, '.diglot.lock'));
  const engine = options.engine;
  // The glossary is brought in line on DeepL (a round trip or two) once the input is known to be
  // valid and an article needs DeepL: its round trips go on while the review-edit guard runs and
  // the first article is planned, instead of after.
  let glossary: GlossaryPreparation | undefined;
  try {
    const { log } = options;
    const leftovers = await prepareOutput(config.root, [config.output, path.dirname(config.memory)]);
    if (leftovers.length > 0) log.info(`Removed ${leftovers.length} temp file${leftovers.length === 1 ? '' : 's'} left by an interrupted run.`);
    const project = await loadProject(config, log, {
      onArticle: (article, loaded) => {
        if (engine && glossary === undefined && article.segments.some((s) => keyToSend(s, loaded.memory, config.targetLang) !== undefined)) {
          // Before anything is sent (the glossary included): what DeepL bills must have somewhere to go.
          loaded.memory.checkWritable();
          glossary = startGlossary(engine, deeplEntries(loaded.glossary));
        }
      },
    });
    // Before anything is sent or written: a reviewer's edits not yet imported are never overwritten.
    if (options.force !== true) {
      const unimported = await findUnimportedEdits(config, project.articles, project.memory, log);
      if (unimported.length > 0) throw new UnimportedEditsError(unimported);
    }
    // The writer is set up when the first article is ready for it, not before the first request:
    // in a cold build, while the first requests are in flight.
    const reviewState = readReviewState(path.join(config.root, config.output));
    // Fuzzy matches are found among the memory entries no segment of this run uses: none when the
    // memory starts empty, since this run's translations are all of segments it uses.
    const hadEntries = project.memory.size > 0;
    let writerSetUp: Promise<OutputWriter> | undefined;
    const writer = (): Promise<OutputWriter> =>
      (writerSetUp ??= reviewState.then((state) => {
        const used = new Set<string>();
        if (hadEntries) for (const a of project.articles) for (const segment of a.segments) used.add(segmentKey(segment));
        const fuzzy = new FuzzyMatcher(hadEntries ? project.memory.entries() : [], used, config.targetLang);
        return new OutputWriter({ config, glossary: project.glossary, fuzzy, state });
      }));
    let outcome;
    try {
      // Each article's outputs are rendered and written as soon as it is translated, while the
      // requests for later articles are in flight; nothing is renamed into place before the end.
      outcome = await translateSegments(project.articles, {
        engine,
        memory: project.memory,
        lang: config.targetLang,
        concurrency: config.concurrency,
        glossaryEntries: deeplEntries(project.glossary),
        ...(glossary ? { glossary } : {}),
        ...(options.maxCharacters !== undefined ? { maxCharacters: options.maxCharacters } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        now: options.now ?? (() => new Date().toISOString()),
        log,
        // In source order: the set-up's callbacks run in the order they were added. A failed
        // set-up is reported by `finish` below.
        onArticle: (article) => void writer().then((w) => w.add(article), () => undefined),
      });
    } catch (error) {
      if (writerSetUp) await (await writerSetUp.catch(() => undefined))?.discard();
      throw error;
    }
    // Interrupted, or the memory could not be written: what was stored is kept, output/ is left as it was.
    const stop = outcome.error ?? (options.signal?.aborted ? new DiglotError('interrupted', EXIT.interrupted) : undefined);
    if (stop && (stop.exitCode === EXIT.interrupted || stop.exitCode === EXIT.storage)) {
      if (writerSetUp) await (await writerSetUp.catch(() => undefined))?.discard();
      const { planned, stored } = outcome.texts;
      const kept = `${stored} of ${planned} texts to translate were translated and kept in the memory; run \`diglot build\` again for the rest. ${config.output}/ was left as it was.`;
      throw new DiglotError(stop.exitCode === EXIT.interrupted ? `interrupted: ${kept}` : `${stop.message}\n${kept}`, stop.exitCode, stop.hint);
    }
    const count = (test: (t: TranslatedSegment) => boolean): number => outcome.articles.reduce((n, a) => n + a.segments.filter(test).length, 0);
    const counted = {
      articles: outcome.articles.length,
      segments: count(() => true),
      fromMemory: count((t) => t.target !== undefined && t.billedCharacters === 0),
      translated: count((t) => t.billedCharacters > 0),
      missing: outcome.missing.length,
      requests: outcome.requests,
      billedCharacters: outcome.billedCharacters,
    };
    let finished;
    try {
      finished = await (await writer()).finish(counted);
    } catch (error) {
      const file = (error as NodeJS.ErrnoException).path;
      throw storageError(error, file ? path.relative(config.root, file) : `${config.output}/`, `every translation is kept in the memory; ${config.output}/ was left as it was`);
    }
    const { written, findings } = finished;
    const totals: BuildTotals = { ...counted, findings: findings.length };
    const exitCode: ExitCode = outcome.error
      ? outcome.error.exitCode
      : outcome.missing.length > 0 || (options.strict === true && findings.length > 0)
        ? EXIT.failed
        : EXIT.ok;
    const paths = new Map(project.articles.map((a) => [a.doc.id, a.doc.path]));
    const missing = outcome.missing.map((segment) => ({ file: paths.get(segment.docId) ?? segment.docId, segment }));
    return { exitCode, totals, written, missing, findings, error: outcome.error };
  } finally {
    // A build that stops early (a review edit not imported, a failed set-up) leaves no glossary
    // round trip of its own running: it has finished before the lock is released.
    await glossary;
    release();
  }
}

