import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config/config.js';
import { CONFIG_FILE } from './config/load-config.js';
import type { Glossary } from './glossary/glossary.js';
import { loadGlossary } from './glossary/load-glossary.js';
import { TranslationMemory } from './memory/translation-memory.js';
import type { SegmentedDocument, SourceDocument } from './model.js';
import { protectPattern, protectTokens, unprotectedShortcodes } from './segment/protect-tokens.js';
import { segment } from './segment/segment.js';
import type { SegmentCache } from './segment/segment-cache.js';
import { readSources } from './sources/read-sources.js';
import { reviewFileName } from './review-file/review-state.js';
import { InputError } from './util/errors.js';
import { formatMessage } from './util/format-message.js';
import type { Logger } from './util/logger.js';

/** Everything a command reads from the project before it works. */
export interface Project {
  config: Config;
  articles: SegmentedDocument[];
  glossary: Glossary;
  memory: TranslationMemory;
}

/**
 * Reads sources, glossary and memory, and segments the articles. Source and glossary errors stop
 * here, before anything is sent or written, as one InputError listing every `file:line`.
 * A memory with unreadable lines is refused too (a cut-off last line is only warned of).
 * With a `cache`, the sources it holds as they are now are not segmented again.
 */
export async function loadProject(config: Config, log: Logger, cache?: SegmentCache): Promise<Project> {
  // An id keeps its article: the last build wrote its review file.
  const built = (id: string): boolean => existsSync(path.join(config.root, config.output, reviewFileName(id)));
  const { documents, problems } = await readSources(config.root, config.sources, config.output, built);
  const { glossary, problems: glossaryProblems } = await loadGlossary(path.join(config.root, config.glossary), config.glossary);
  const errors: string[] = [];
  for (const p of [...problems, ...glossaryProblems]) {
    const line = formatMessage(p);
    if (p.severity === 'error') errors.push(line);
    else log.warn(line);
  }
  let opened: Awaited<ReturnType<typeof TranslationMemory.open>> | undefined;
  try {
    opened = await TranslationMemory.open(path.join(config.root, config.memory), config.memory);
  } catch (error) {
    // Named with the other problems, so that one run says them all (a git merge that left the glossary and the memory unmerged).
    if (!(error instanceof InputError) || errors.length === 0) throw error;
    errors.push(`${error.message}${error.hint ? `: ${error.hint}` : ''}`);
  }
  if (errors.length > 0 || opened === undefined)
    throw new InputError(
      `${errors.length} problem${errors.length === 1 ? '' : 's'} in the input:\n  ${errors.join('\n  ')}`,
      'fix these lines and run again; nothing was sent or written',
    );
  const { memory, problems: memoryProblems } = opened;
  for (const p of memoryProblems) log.warn(formatMessage(p));
  if (documents.length === 0) log.warn(`${config.sources}/ has no .md or .txt articles`);
  const articles = segmentSources(config, documents, cache);
  for (const a of articles) for (const m of a.untranslated ?? []) log.warn(formatMessage(m));
  for (const m of unprotectedShortcodes(articles)) log.warn(formatMessage(m));
  // A draft goes into the editions like any article: said, so that one not meant for them is taken out of sources/.
  const drafts = documents.filter((d) => d.meta.draft).map((d) => d.path);
  if (drafts.length > 0) {
    const which =
      drafts.length === 1
        ? `${drafts[0]} is marked a draft`
        : `${drafts.length} articles are marked drafts (${drafts.slice(0, 3).join(', ')}${drafts.length > 3 ? ' …' : ''})`;
    log.warn(`${which} (draft: true): built into every edition like any article; move an article not to be published out of sources/`);
  }
  for (const a of articles) {
    if (a.segments.some((s) => s.body)) continue;
    // An article of comments, code or an empty title alone is an empty chapter in every edition: said.
    if (a.dropped.length === 0) {
      const message = 'holds no text to translate (only comments, code or front matter): its chapter in the books is empty';
      log.warn(formatMessage({ file: a.doc.path, line: 1, rule: 'source', severity: 'warning', message }));
      continue;
    }
    // A cleanup rule that took every paragraph leaves an empty article in every edition: said, with the rules.
    const rules = [...new Set(a.dropped.map((d) => `"${d.rule}"`))];
    const named = `the cleanup rule${rules.length > 1 ? 's' : ''} ${rules.join(', ')}`;
    log.warn(
      formatMessage({
        file: a.doc.path,
        line: 1,
        rule: 'cleanup',
        severity: 'warning',
        message: `${named} dropped all its text; check "cleanup" in ${CONFIG_FILE}`,
      }),
    );
  }
  return { config, articles, glossary, memory };
}

/** The sources segmented as the config says: cleanup rules, raw HTML, protected tokens; from the `cache` when it holds them. */
export function segmentSources(config: Config, documents: readonly SourceDocument[], cache?: SegmentCache): SegmentedDocument[] {
  const protect = protectPattern(config.protect);
  const made = (doc: SourceDocument): SegmentedDocument =>
    protectTokens(segment(doc, config.cleanup, { translateHtml: config.translateHtml }), protect);
  if (!cache) return documents.map(made);
  const articles = documents.map((doc) => cache.segmented(doc, () => made(doc)));
  cache.settle();
  return articles;
}
