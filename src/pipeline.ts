import path from 'node:path';
import type { Config } from './config/config.js';
import { deeplEntries } from './glossary/deepl-entries.js';
import { loadProject } from './load-project.js';
import type { Finding, Segment, TranslatedArticle } from './model.js';
import { findFuzzyMatches } from './review/fuzzy-match.js';
import { findUnimportedEdits, UnimportedEditsError } from './review/find-unimported-edits.js';
import { readReviewState, recordOf, renderReviewState, REVIEW_STATE_FILE, reviewFileName } from './review/review-state.js';
import type { Engine } from './translate/engine.js';
import { runChecks } from './qa/run-checks.js';
import { translateSegments } from './translate/translate-segments.js';
import { EngineError, EXIT, type ExitCode } from './util/errors.js';
import type { Logger } from './util/logger.js';
import { acquireLock } from './util/project-lock.js';
import { buildEdition } from './write/build-edition.js';
import { renderEnglishMarkdown } from './write/english-markdown.js';
import { renderEpub } from './write/epub.js';
import { renderReport, type BuildTotals } from './write/report.js';
import { renderReviewHtml } from './write/review-html.js';
import { renderReviewMarkdown } from './write/review-markdown.js';
import { prepareOutput } from './write/prepare-output.js';
import { writeOutputs } from './write/write-outputs.js';

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
}

/** The result of a build: what was written and why it may have stopped. */
export interface BuildResult {
  exitCode: ExitCode;
  totals: BuildTotals;
  written: string[];
  /** Segments without a translation, with the source file they come from. */
  missing: Array<{ file: string; segment: Segment }>;
  findings: Finding[];
  error: EngineError | undefined;
}

/**
 * The whole job: read and segment the sources, translate what the memory lacks, write the
 * editions. Each output goes to a temp file as it is rendered, and all are renamed into place only
 * once every one is written, so a failure before then leaves `output/` as it was.
 */
export async function build(config: Config, options: BuildOptions): Promise<BuildResult> {
  const release = acquireLock(path.join(config.root, '.diglot.lock'));
  try {
    const { log } = options;
    const leftovers = await prepareOutput(config.root, [config.output, path.dirname(config.memory)]);
    if (leftovers.length > 0) log.info(`Removed ${leftovers.length} temp file${leftovers.length === 1 ? '' : 's'} left by an interrupted run.`);
    const project = await loadProject(config, log);
    // Before anything is sent or written: a reviewer's edits not yet imported are never overwritten.
    if (options.force !== true) {
      const unimported = await findUnimportedEdits(config, project.articles, project.memory, log);
      if (unimported.length > 0) throw new UnimportedEditsError(unimported);
    }
    const outcome = await translateSegments(project.articles, {
      engine: options.engine,
      memory: project.memory,
      lang: config.targetLang,
      concurrency: config.concurrency,
      glossaryEntries: deeplEntries(project.glossary),
      ...(options.maxCharacters !== undefined ? { maxCharacters: options.maxCharacters } : {}),
      now: options.now ?? (() => new Date().toISOString()),
      log,
    });
    const findings = runChecks(outcome.articles, project.glossary);
    const complete = outcome.articles.filter((a) => a.segments.every((t) => t.target !== undefined));
    const totals: BuildTotals = {
      articles: outcome.articles.length,
      segments: outcome.articles.reduce((n, a) => n + a.segments.length, 0),
      fromMemory: outcome.articles.reduce((n, a) => n + a.segments.filter((t) => t.target !== undefined && t.billedCharacters === 0).length, 0),
      translated: outcome.articles.reduce((n, a) => n + a.segments.filter((t) => t.billedCharacters > 0).length, 0),
      missing: outcome.missing.length,
      requests: outcome.requests,
      billedCharacters: outcome.billedCharacters,
      findings: findings.length,
    };
    const fuzzy = findFuzzyMatches(outcome.articles, project.memory.entries(), config.targetLang);
    const state = await readReviewState(path.join(config.root, config.output));
    // Each output is written to a temp file as soon as it is rendered (they are never all in memory
    // at once) and renamed into place once all are written, the review state last.
    const written = await writeOutputs(config.root, renderOutputs(config, outcome.articles, complete, findings, totals, project.glossary, fuzzy, state));
    const exitCode: ExitCode = outcome.error
      ? outcome.error.exitCode
      : outcome.missing.length > 0 || (options.strict === true && findings.length > 0)
        ? EXIT.failed
        : EXIT.ok;
    const paths = new Map(project.articles.map((a) => [a.doc.id, a.doc.path]));
    const missing = outcome.missing.map((segment) => ({ file: paths.get(segment.docId) ?? segment.docId, segment }));
    return { exitCode, totals, written, missing, findings, error: outcome.error };
  } finally {
    release();
  }
}

/** Every output file's path (relative to the root) and content, rendered one at a time; the review state comes last. */
function* renderOutputs(
  config: Config,
  all: readonly TranslatedArticle[],
  complete: readonly TranslatedArticle[],
  findings: readonly Finding[],
  totals: BuildTotals,
  glossary: Parameters<typeof buildEdition>[2],
  fuzzy: ReturnType<typeof findFuzzyMatches>,
  state: Awaited<ReturnType<typeof readReviewState>>,
): Generator<[string, string | Uint8Array]> {
  const out = config.output;
  // Each review file gets its own article's findings: segment ids are unique only within an
  // article, and filtering the whole list for every segment would grow with the square of the corpus.
  const findingsByDoc = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = findingsByDoc.get(f.docId);
    if (list) list.push(f);
    else findingsByDoc.set(f.docId, [f]);
  }
  for (const article of all) {
    const name = reviewFileName(article.article.doc.id);
    const text = renderReviewMarkdown(article, findingsByDoc.get(article.article.doc.id) ?? [], fuzzy.get(article.article.doc.id));
    state.files[name] = recordOf(article, text);
    yield [path.join(out, name), text];
  }
  for (const article of complete) {
    yield [path.join(out, `${article.article.doc.id}.en.md`), renderEnglishMarkdown(article)];
  }
  if (complete.length > 0) {
    const edition = buildEdition(config, complete, glossary);
    yield [path.join(out, 'edition.epub'), renderEpub(edition, { mode: 'bilingual', layout: config.layout })];
    yield [path.join(out, 'edition.en.epub'), renderEpub(edition, { mode: 'english' })];
  }
  yield [path.join(out, 'report.json'), renderReport(all, findings, totals)];
  yield [path.join(out, 'review.html'), renderReviewHtml({ title: config.title, targetLang: config.targetLang, articles: all, findings, glossary, fuzzy })];
  // Written after the review files, so it never claims a file that is not on disk yet.
  yield [path.join(out, REVIEW_STATE_FILE), renderReviewState(state)];
}
