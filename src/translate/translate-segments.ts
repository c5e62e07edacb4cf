import { setImmediate as nextTurn } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { MemoryEntry } from '../memory/entry.js';
import type { TranslationMemory } from '../memory/translation-memory.js';
import type { Segment, SegmentedDocument, TranslatedArticle, TranslatedSegment } from '../model.js';
import { segmentKey } from '../segment/normalise.js';
import { EngineError, EXIT } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { Engine } from './engine.js';
import { batchCharacters, keyToSend, needsTranslation, TranslationPlanner } from './plan-translation.js';
import type { Batch } from './plan-batches.js';
import { xmlToPlain } from './inline-xml.js';
import { formatCount } from '../util/format-count.js';

/** How long planning runs before it lets the glossary's answers from DeepL in. */
const PLAN_SLICE_MS = 4;

/** What a translation run needs. */
export interface TranslateOptions {
  /** `undefined` without a key: the memory alone serves. */
  engine: Engine | undefined;
  memory: TranslationMemory;
  lang: string;
  concurrency: number;
  glossaryEntries: ReadonlyArray<[string, string]>;
  /** Stop before a request would take the run's billed characters over this. */
  maxCharacters?: number;
  now: () => string;
  log: Logger;
  /**
   * Called with each article, in source order, as soon as every request its texts travel in has
   * been answered (or has failed): its outputs can be rendered while later articles' requests are
   * still in flight. Articles that need no request come at once. Called before this returns.
   */
  onArticle?: (translated: TranslatedArticle) => void;
}

/** The outcome: every segment with its translation (or none), and what it cost. */
export interface TranslateOutcome {
  articles: TranslatedArticle[];
  /** Segments with no translation: not in the memory and not translated in this run. */
  missing: Segment[];
  requests: number;
  billedCharacters: number;
  /** Set when the engine failed; everything finished before is in the memory. */
  error: EngineError | undefined;
}

/**
 * Translates what the memory lacks. Memory hits are never sent; identical texts are sent once per
 * run; each article's texts go in as few requests as the limits allow, with the article's title
 * and lead as context; requests run concurrently; each finished request is appended to the
 * memory at once (written and flushed while the other requests go on, and all flushed before this
 * returns), so an interrupted run loses nothing it was billed for.
 */
export async function translateSegments(articles: readonly SegmentedDocument[], options: TranslateOptions): Promise<TranslateOutcome> {
  const { memory, lang, log } = options;
  // The glossary is prepared on DeepL (a round trip or two) while the run is planned, when
  // anything is to be sent at all; its outcome is awaited before the first request. Planning
  // lets the event loop turn every few milliseconds, so those round trips go on meanwhile
  // instead of waiting for the whole plan.
  const glossary = options.engine && anyToSend(articles, memory, lang) ? settled(options.engine.prepareGlossary(options.glossaryEntries)) : undefined;
  const planner = new TranslationPlanner(memory, lang);
  let slice = performance.now();
  for (const article of articles) {
    planner.add(article);
    if (glossary && performance.now() - slice > PLAN_SLICE_MS) {
      await nextTurn();
      slice = performance.now();
    }
  }
  const plan = planner.plan();
  /** DeepL's XML back to the segment's text; broken tags fall back to plain text (QA reports it). */
  const restoreTarget = (key: string, xml: string): string => {
    const restored = plan.codecs.get(key)?.restore(xml);
    if (restored !== undefined) return restored;
    log.warn(`DeepL returned broken inline tags for "${key.slice(0, 60)}…"; kept the text without its markup`);
    return xmlToPlain(xml);
  };
  let requests = 0;
  let billed = 0;
  /** Characters of the requests sent and not yet answered. */
  let inFlight = 0;
  const billedByKey = new Map<string, number>();
  let error: EngineError | undefined;
  const engine = options.engine;

  // Each article is handed on, in source order, once every batch it waits for has settled.
  const missing: Segment[] = [];
  const billedOnce = new Set<string>();
  const translated: TranslatedArticle[] = [];
  const waiting = plan.articleBatches.map((list) => list.length);
  const waitedBy: number[][] = plan.batches.map(() => []);
  plan.articleBatches.forEach((list, article) => list.forEach((batch) => (waitedBy[batch] as number[]).push(article)));
  const release = (): void => {
    while (translated.length < articles.length && waiting[translated.length] === 0) {
      const done = translatedArticle(articles[translated.length] as SegmentedDocument);
      translated.push(done);
      options.onArticle?.(done);
    }
  };
  const settle = (batch: number): void => {
    for (const article of waitedBy[batch] as number[]) waiting[article] = (waiting[article] as number) - 1;
    release();
  };
  /** An article's segments with what the memory now holds; a repeated text is billed where it first occurs. */
  const translatedArticle = (article: SegmentedDocument): TranslatedArticle => ({
    article,
    segments: article.segments.map((segment): TranslatedSegment => {
      const key = segmentKey(segment);
      if (!needsTranslation(segment.plain)) return { segment, target: segment.source, origin: 'copy', status: 'reviewed', billedCharacters: 0 };
      const entry = memory.lookupKey(key, lang);
      if (!entry) missing.push(segment);
      const first = billedByKey.has(key) && !billedOnce.has(key);
      if (first) billedOnce.add(key);
      return {
        segment,
        target: entry?.target,
        origin: entry?.origin,
        status: entry?.status,
        billedCharacters: first ? (billedByKey.get(key) ?? 0) : 0,
        ...(entry ? { updated: entry.updated } : {}),
      };
    }),
  });

  if (!engine || plan.batches.length === 0) {
    // Nothing will be sent: every article is as complete as it will get.
    waiting.fill(0);
    release();
  } else {
    const batches = plan.batches;
    const total = batches.reduce((n, b) => n + b.texts.length, 0);
    let done = 0;
    release();
    const prepared = await (glossary ?? settled(engine.prepareGlossary(options.glossaryEntries)));
    if (prepared !== undefined) error = asEngineError(prepared.error);
    const parts = new Map<string, string[]>();
    const limit = pLimit(options.concurrency);
    const writes: Array<Promise<void>> = [];
    // Only the request itself holds one of the `concurrency` slots: the next request goes out as
    // soon as an answer arrives, and the answer is handled while it is in flight.
    const send = async (batch: Batch): Promise<void> => {
      const cost = batchCharacters(batch);
      let sent = false;
      let results;
      try {
        results = await limit(() => {
          if (error) return undefined;
          // Requests in flight (or answered and not yet counted) have not been billed yet: count
          // them too, or concurrent requests that each fit on their own would together go over.
          if (options.maxCharacters !== undefined && billed + inFlight + cost > options.maxCharacters) {
            error ??= new EngineError(`stopped before exceeding --max-characters ${options.maxCharacters} (${billed} billed so far)`, 1);
            return undefined;
          }
          requests++;
          inFlight += cost;
          sent = true;
          // A failure is recorded before the slot is released, so no queued request goes out after it.
          return engine.translate({ texts: batch.texts.map((t) => t.xml), ...(batch.context ? { context: batch.context } : {}) }).catch((caught: unknown) => {
            error ??= asEngineError(caught);
            throw caught;
          });
        });
      } catch (caught) {
        error ??= asEngineError(caught);
        return;
      } finally {
        // Billed (below) before it stops counting as in flight.
        if (sent && results === undefined) inFlight -= cost;
      }
      if (results === undefined) return;
      const finished: MemoryEntry[] = [];
      const time = options.now();
      batch.texts.forEach((text, i) => {
        const result = results[i];
        if (!result) return;
        billed += result.billedCharacters;
        billedByKey.set(text.key, (billedByKey.get(text.key) ?? 0) + result.billedCharacters);
        const got = parts.get(text.key) ?? new Array<string>(text.parts);
        got[text.part] = result.text.trim();
        parts.set(text.key, got);
        if (got.filter((p) => p !== undefined).length === text.parts) {
          finished.push({ source: text.key, target: restoreTarget(text.key, got.join(' ')), lang, origin: 'deepl', status: 'draft', created: time, updated: time });
          parts.delete(text.key);
        }
      });
      inFlight -= cost;
      // Written and flushed off the main thread: the other requests go on meanwhile.
      writes.push(memory.appendSoon(finished));
      done += batch.texts.length;
      log.progress(done, total, `${formatCount(billed)} characters billed`);
    };
    await Promise.all(batches.map((batch, i) => send(batch).finally(() => settle(i))));
    // Every finished batch is on disk before the run goes on (or reports an error).
    await Promise.all(writes);
    if (error?.exitCode === EXIT.quota) error = await withUsage(error, engine);
  }
  return { articles: translated, missing, requests, billedCharacters: billed, error };
}

/** Whether any segment needs DeepL: the first one the memory lacks ends the scan. */
function anyToSend(articles: readonly SegmentedDocument[], memory: TranslationMemory, lang: string): boolean {
  return articles.some((a) => a.segments.some((segment) => keyToSend(segment, memory, lang) !== undefined));
}

/** A promise that never rejects: `undefined` when it succeeded, the error when it failed. */
function settled(promise: Promise<unknown>): Promise<{ error: unknown } | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
}

function asEngineError(caught: unknown): EngineError {
  if (caught instanceof EngineError) return caught;
  return new EngineError(`translation failed: ${caught instanceof Error ? caught.message : String(caught)}`, 5);
}

/** A quota error with the account's usage added, when DeepL still answers the usage request. */
async function withUsage(error: EngineError, engine: Engine): Promise<EngineError> {
  try {
    const usage = await engine.usage();
    const limit = usage.characterLimit === undefined ? 'no limit reported' : `of ${formatCount(usage.characterLimit)}`;
    return new EngineError(`${error.message} (${formatCount(usage.characterCount)} characters used ${limit})`, error.exitCode, error.hint);
  } catch {
    return error;
  }
}
