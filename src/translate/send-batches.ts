// Sends a plan's requests to the engine and stores every answer in the memory as it arrives.
import pLimit from 'p-limit';
import { historyItem, type MemoryEntry } from '../memory/entry.js';
import type { TranslationMemory } from '../memory/translation-memory.js';
import { DiglotError, EngineError, EXIT } from '../util/errors.js';
import { counted, formatCount } from '../util/format-count.js';
import type { Logger } from '../util/logger.js';
import type { Engine, EngineResult } from './engine.js';
import { xmlToPlain } from '../text/inline-xml.js';
import { ownCopy } from '../text/own-copy.js';
import { batchTexts, type PlannedBatch, type SentText, type TranslationPlan } from './plan-translation.js';
import type { Batch } from './plan-batches.js';

/** What sending needs besides the plan. */
export interface SendOptions {
  engine: Engine;
  memory: TranslationMemory;
  lang: string;
  concurrency: number;
  /**
   * The glossary's DeepL entries, brought in line on DeepL before the first request (with the
   * configured style rule); their hash with the engine's settings is recorded on every entry.
   */
  glossaryEntries: ReadonlyArray<[string, string]>;
  /** Stop before a request would take the run's billed characters over this. */
  maxCharacters?: number;
  /** Aborted (Ctrl-C): no further request goes out; the answers of those in flight are stored. */
  signal?: AbortSignal;
  now: () => string;
  log: Logger;
}

/** What a run sent and kept. */
export interface SendOutcome {
  /** Requests DeepL answered with translations (a request retried counts once). */
  requests: number;
  /**
   * Requests sent that brought no translation back: refused (403, 456, another 4xx), failing or
   * unreachable after every retry, or answered with something unusable.
   */
  failedRequests: number;
  billedCharacters: number;
  /** Characters billed per text (its memory key), to show on the segment where the text first occurs. */
  billedByKey: ReadonlyMap<string, number>;
  /**
   * Why the run stopped sending: the engine failed, --max-characters, an interrupt, or the memory
   * could not be written. Everything stored before is in the memory.
   */
  error: DiglotError | undefined;
  /**
   * Distinct texts that needed DeepL, those of them translated and stored in this run, and of
   * those the ones whose English came back as the memory had it (a `retranslate`).
   */
  texts: { planned: number; stored: number; unchanged: number };
}

/** Requests under way: one promise per batch of the plan, settled when it is answered (or failed, or skipped), and the outcome. */
export interface Sending {
  settled: ReadonlyArray<Promise<void>>;
  /** Characters billed per text so far (final for a text once the batches carrying it have settled). */
  billedByKey: ReadonlyMap<string, number>;
  /** Settles once every batch has settled and every answer is flushed to disk; never rejects. */
  outcome: Promise<SendOutcome>;
}

/**
 * Starts sending a plan: the glossary (and style rule) is brought in line on DeepL first, then every
 * batch goes out through p-limit, up to `concurrency` at a time, a request holding its slot only
 * until its answer arrives. Each answer is appended to the memory at once (flushed while the other
 * requests go on), so an interrupted run loses nothing it was billed for. Every entry records the
 * hash of the settings that made it; a text the memory already held (`retranslate`) keeps its
 * earlier English in `history`. The first failure, `--max-characters`, an abort or a failed write
 * stops further requests; those in flight are still stored.
 */
export function sendBatches(plan: TranslationPlan, options: SendOptions): Sending {
  const { engine, memory, lang, log } = options;
  const limit = pLimit(Math.max(1, options.concurrency));
  const settings = engine.settingsHash(options.glossaryEntries);
  const glossary = engine.prepare(options.glossaryEntries).then(
    () => undefined,
    (caught: unknown) => asEngineError(caught),
  );
  let error: DiglotError | undefined;
  /**
   * The characters of each request left unsent for `--max-characters` (a later one that fits still
   * goes): said once what is in flight is billed.
   */
  const overLimit: number[] = [];
  /** Requests answered with translations, and those that brought none back. */
  let requests = 0;
  let failedRequests = 0;
  let billed = 0;
  /** Of `billed`, what the batches whose answers are on disk cost: what the progress line shows with the texts stored. */
  let billedStored = 0;
  /** Characters of the requests sent and not yet answered: --max-characters counts them too. */
  let inFlight = 0;
  let stored = 0;
  let unchanged = 0;
  const textsPlanned = plan.batches.reduce((n, b) => n + b.starts, 0);
  const billedByKey = new Map<string, number>();
  /**
   * The answers of texts not complete yet (a long text's parts), joined once every part is in,
   * with the key as the memory and the billing keep it to the end of the build: a string of its
   * own, so that it does not keep its article's source text alive (see `own-copy.ts`).
   */
  const answers = new Map<string, { key: string; parts: string[]; glued: boolean[] }>();
  const writes: Array<Promise<void>> = [];

  /** DeepL's XML back to the segment's text; broken tags fall back to plain text (QA reports it). */
  const restore = ({ key, codec }: SentText, xml: string): { target: string; markdown: boolean } => {
    const restored = codec.restore(xml, lang);
    if (restored !== undefined) return { target: restored, markdown: codec.markdown };
    log.warn(`DeepL returned broken inline tags for "${key.slice(0, 60)}…"; kept the text without its markup`);
    return { target: xmlToPlain(xml), markdown: false };
  };

  /**
   * The request itself, in a p-limit slot, its texts made now (not while it waits in the queue):
   * `undefined` when the run has stopped.
   */
  const request = async (planned: PlannedBatch): Promise<{ batch: Batch<SentText>; results: EngineResult[] } | undefined> => {
    if (options.signal?.aborted) error ??= new DiglotError('interrupted', EXIT.interrupted);
    if (error) return undefined;
    const cost = planned.characters;
    // One that does not fit is left for a later run; the next ones may fit (a budget smaller than one long article still makes progress).
    if (options.maxCharacters !== undefined && billed + inFlight + cost > options.maxCharacters) {
      overLimit.push(cost);
      return undefined;
    }
    inFlight += cost;
    try {
      const batch = batchTexts(planned);
      const results = await engine.translate({
        texts: batch.texts.map((t) => t.xml),
        ...(batch.context ? { context: batch.context } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      // Counted as billed before it stops counting as in flight, so the next request sees both.
      for (const result of results) billed += result.billedCharacters;
      requests++;
      return { batch, results };
    } catch (caught) {
      failedRequests++;
      // Recorded before the slot is released, so no queued request goes out after a failure.
      error ??= asEngineError(caught);
      return undefined;
    } finally {
      inFlight -= cost;
    }
  };

  const send = async (planned: PlannedBatch): Promise<void> => {
    error ??= await glossary;
    const sent = await limit(() => request(planned));
    if (sent === undefined) return;
    const { batch, results } = sent;
    const finished: MemoryEntry[] = [];
    const time = options.now();
    batch.texts.forEach((text, i) => {
      const result = results[i];
      if (!result) return;
      const answer = answers.get(text.key) ?? { key: ownCopy(text.key), parts: new Array<string>(text.parts), glued: [] };
      const { key, parts, glued } = answer;
      billedByKey.set(key, (billedByKey.get(key) ?? 0) + result.billedCharacters);
      parts[text.part] = result.text.trim();
      glued[text.part] = text.glued === true;
      answers.set(key, answer);
      if (parts.filter((p) => p !== undefined).length === text.parts) {
        const restored = restore(text, parts.map((p, i) => (i === 0 || glued[i] ? p : ` ${p}`)).join(''));
        const before = memory.lookupKey(key, lang);
        const same = before?.target === restored.target;
        finished.push(
          same
            ? sameEnglish(before, settings)
            : {
                source: key,
                ...restored,
                lang,
                origin: 'deepl',
                status: 'draft',
                created: before?.created ?? time,
                updated: time,
                ...(before ? { history: [...(before.history ?? []), historyItem(before)] } : {}),
                settings,
              },
        );
        answers.delete(key);
        if (same) unchanged++;
      }
    });
    // A failed write (a full or read-only disk) stops the run: what DeepL would bill next could not be kept.
    const batchBilled = results.reduce((sum, r) => sum + r.billedCharacters, 0);
    const written = memory.appendSoon(finished).then(
      () => {
        // Counted once on disk (what a kill from now on keeps); a paragraph split over two requests once, when whole.
        stored += finished.length;
        // What these stored texts cost, not what every answer so far cost (later answers are stored later).
        billedStored += batchBilled;
        log.progress(stored, textsPlanned, `${formatCount(billedStored)} characters billed`);
      },
      (caught: unknown) =>
        void (error ??=
          caught instanceof DiglotError
            ? caught
            : new DiglotError(`cannot store translations in the memory: ${String(caught)}`, EXIT.storage)),
    );
    writes.push(written);
    // The batch is settled (its articles rendered) once its answers are on disk: no output is ahead of the memory.
    await written;
  };

  // Each batch is held by its own request only: its texts and codecs are made when it goes out, and go once its answers are stored.
  const settled = plan.batches.map((batch) => send(batch));
  const outcome = Promise.all(settled).then(async (): Promise<SendOutcome> => {
    // Every answer is on disk before the run goes on (or reports an error).
    await Promise.all(writes);
    // Said with what the requests already in flight when the limit was reached billed too.
    if (overLimit.length > 0)
      error ??= new EngineError(
        `stopped before exceeding --max-characters ${formatCount(options.maxCharacters ?? 0)} (${formatCount(billed)} billed; ` +
          `${counted(overLimit.length, 'request')} left unsent, the smallest of ${counted(Math.min(...overLimit), 'character')})`,
        EXIT.failed,
      );
    if (error instanceof EngineError && error.exitCode === EXIT.quota) error = await withUsage(error, engine);
    return { requests, failedRequests, billedCharacters: billed, billedByKey, error, texts: { planned: textsPlanned, stored, unchanged } };
  });
  return { settled, billedByKey, outcome };
}

/**
 * An entry re-sent (`retranslate`) whose English came back as it was: the English is not updated,
 * and what reviewers said of it still holds (its origin, status, accepted findings); a machine
 * translation's settings are now those it was sent with.
 */
function sameEnglish(before: MemoryEntry, settings: string): MemoryEntry {
  return before.origin === 'deepl' ? { ...before, settings } : before;
}

function asEngineError(caught: unknown): EngineError {
  if (caught instanceof EngineError) return caught;
  return new EngineError(`translation failed: ${caught instanceof Error ? caught.message : String(caught)}`, EXIT.network);
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
