import { setImmediate as nextTurn } from 'node:timers/promises';
import pLimit from 'p-limit';
import type { MemoryEntry } from '../memory/entry.js';
import type { TranslationMemory } from '../memory/translation-memory.js';
import type { Segment, SegmentedDocument, TranslatedArticle, TranslatedSegment } from '../model.js';
import { segmentKey } from '../segment/normalise.js';
import { targetForSegment } from '../segment/target-format.js';
import { DiglotError, EngineError, EXIT } from '../util/errors.js';
import type { Logger } from '../util/logger.js';
import type { Engine } from './engine.js';
import { batchCharacters, needsTranslation, TranslationPlanner } from './plan-translation.js';
import type { Batch } from './plan-batches.js';
import { xmlToPlain } from './inline-xml.js';
import { formatCount } from '../util/format-count.js';

/** How long planning runs before it lets answers from DeepL in (and the next requests out). */
const PLAN_SLICE_MS = 4;

/** What a translation run needs. */
export interface TranslateOptions {
  /** `undefined` without a key: the memory alone serves. */
  engine: Engine | undefined;
  memory: TranslationMemory;
  lang: string;
  concurrency: number;
  glossaryEntries: ReadonlyArray<[string, string]>;
  /** The glossary's preparation, when the caller has started it ({@link startGlossary}); otherwise it starts with the first request planned. */
  glossary?: GlossaryPreparation;
  /** Stop before a request would take the run's billed characters over this. */
  maxCharacters?: number;
  /** Aborted (Ctrl-C): no further request goes out; the answers of those in flight are stored. */
  signal?: AbortSignal;
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
  /**
   * Why the run stopped sending: the engine failed, --max-characters, an interrupt, or the memory
   * could not be written. Everything stored before is in the memory.
   */
  error: DiglotError | undefined;
  /** Distinct texts that needed DeepL, and those of them translated and stored in this run. */
  texts: { planned: number; stored: number };
}

/**
 * Translates what the memory lacks. Memory hits are never sent; identical texts are sent once per
 * run; each article's texts go in as few requests as the limits allow, with the article's title
 * and lead as context; requests run concurrently; each finished request is appended to the
 * memory at once (written and flushed while the other requests go on, and all flushed before this
 * returns), so an interrupted run loses nothing it was billed for.
 *
 * Each article's requests go out as soon as it is planned (once the glossary is ready on DeepL):
 * the later articles are planned while the first requests are in flight, planning letting the
 * event loop turn every few milliseconds so that answers are handled and the next requests go out.
 */
export async function translateSegments(articles: readonly SegmentedDocument[], options: TranslateOptions): Promise<TranslateOutcome> {
  const { memory, lang, log, engine } = options;
  const planner = new TranslationPlanner(memory, lang);
  /** DeepL's XML back to the segment's text; broken tags fall back to plain text (QA reports it). */
  const restoreTarget = (key: string, xml: string): { target: string; markdown: boolean } => {
    const codec = planner.codec(key);
    const restored = codec?.restore(xml);
    if (restored !== undefined) return { target: restored, markdown: codec?.markdown ?? false };
    log.warn(`DeepL returned broken inline tags for "${key.slice(0, 60)}…"; kept the text without its markup`);
    return { target: xmlToPlain(xml), markdown: false };
  };
  let requests = 0;
  let billed = 0;
  /** Characters of the requests sent and not yet answered. */
  let inFlight = 0;
  const billedByKey = new Map<string, number>();
  let error: DiglotError | undefined;
  /** Distinct texts planned to be sent, and those translated and stored. */
  let planned = 0;
  let stored = 0;

  // Each article is handed on, in source order, once it is planned and every batch it waits for
  // has settled (been answered, failed, or been skipped after an error).
  const missing: Segment[] = [];
  const billedOnce = new Set<string>();
  const translated: TranslatedArticle[] = [];
  /** Per article planned: the batches it still waits for. */
  const waiting: number[] = [];
  /** Per batch: the articles waiting for it, and whether it has settled. */
  const waitedBy: number[][] = [];
  const settledBatches: boolean[] = [];
  const release = (): void => {
    while (translated.length < waiting.length && waiting[translated.length] === 0) {
      const done = translatedArticle(articles[translated.length] as SegmentedDocument);
      translated.push(done);
      options.onArticle?.(done);
    }
  };
  const settle = (batch: number): void => {
    settledBatches[batch] = true;
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
        // In the segment's format, whichever format's article stored it (.md inline Markdown, .txt plain).
        target: entry === undefined ? undefined : targetForSegment(entry, segment),
        origin: entry?.origin,
        status: entry?.status,
        billedCharacters: first ? (billedByKey.get(key) ?? 0) : 0,
        ...(entry ? { updated: entry.updated } : {}),
      };
    }),
  });

  /** Texts planned, and texts answered: the progress line's figures once planning is over. */
  let total = 0;
  let done = 0;
  let planning = true;
  const progress = (): void => {
    if (!planning) log.progress(done, total, `${formatCount(billed)} characters billed`);
  };
  const parts = new Map<string, string[]>();
  const limit = pLimit(Math.max(1, options.concurrency));
  const writes: Array<Promise<void>> = [];
  /** The glossary's preparation on DeepL, which every request waits for: started by the caller or at the first request planned. */
  let glossary = engine ? options.glossary : undefined;
  // Only the request itself holds one of the `concurrency` slots: the next request goes out as
  // soon as an answer arrives, and the answer is handled while it is in flight.
  const send = async (engine: Engine, batch: Batch): Promise<void> => {
    const prepared = await glossary;
    if (prepared !== undefined) error ??= asEngineError(prepared.error);
    const cost = batchCharacters(batch);
    let sent = false;
    let results;
    try {
      results = await limit(() => {
        if (options.signal?.aborted) error ??= new DiglotError('interrupted', EXIT.interrupted);
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
        finished.push({ source: text.key, ...restoreTarget(text.key, got.join(' ')), lang, origin: 'deepl', status: 'draft', created: time, updated: time });
        parts.delete(text.key);
      }
    });
    inFlight -= cost;
    // Written and flushed off the main thread: the other requests go on meanwhile. A failed write
    // (a full or read-only disk) stops the run: what DeepL would bill next could not be kept.
    writes.push(
      memory.appendSoon(finished).then(
        () => void (stored += finished.length),
        (caught: unknown) => void (error ??= caught instanceof DiglotError ? caught : new DiglotError(`cannot store translations in the memory: ${String(caught)}`, EXIT.storage)),
      ),
    );
    done += batch.texts.length;
    progress();
  };

  const sends: Array<Promise<void>> = [];
  let slice = performance.now();
  for (const article of articles) {
    const { added, waitsFor } = planner.add(article);
    for (const b of added) {
      waitedBy[b] = [];
      total += planner.batch(b).texts.length;
      planned += planner.batch(b).texts.filter((t) => t.part === 0).length;
      // Without an engine nothing is sent: the article is as complete as it will get.
      if (!engine) settledBatches[b] = true;
    }
    const open = waitsFor.filter((b) => settledBatches[b] !== true);
    for (const b of open) (waitedBy[b] as number[]).push(waiting.length);
    waiting.push(open.length);
    if (engine && added.length > 0) {
      const first = sends.length === 0;
      glossary ??= startGlossary(engine, options.glossaryEntries);
      for (const b of added) sends.push(send(engine, planner.batch(b)).finally(() => settle(b)));
      // The first request goes out at once; then planning goes on in slices, letting answers in.
      if (first || performance.now() - slice > PLAN_SLICE_MS) {
        await nextTurn();
        slice = performance.now();
      }
    }
    release();
  }
  planning = false;
  if (done > 0) progress();
  if (engine && sends.length > 0) {
    await Promise.all(sends);
    // Every finished batch is on disk before the run goes on (or reports an error).
    await Promise.all(writes);
    if (error instanceof EngineError && error.exitCode === EXIT.quota) error = await withUsage(error, engine);
  }
  return { articles: translated, missing, requests, billedCharacters: billed, error, texts: { planned, stored } };
}

/** A glossary being prepared on DeepL, as {@link startGlossary} gives it: never rejects. */
export type GlossaryPreparation = Promise<{ error: unknown } | undefined>;

/**
 * Starts bringing the project's glossary in line on DeepL; what `translateSegments` waits for
 * before its first request. `build` starts it while the sources are still being segmented.
 */
export function startGlossary(engine: Engine, entries: ReadonlyArray<[string, string]>): GlossaryPreparation {
  return settled(engine.prepareGlossary(entries));
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
