import type { TranslationMemory } from '../memory/translation-memory.js';
import type { Segment, SegmentedDocument } from '../model.js';
import { articleContext } from './article-context.js';
import { needsTranslation } from './needs-translation.js';
import { planBatches, type Batch, type PendingText } from './plan-batches.js';
import { inlineCodec, type InlineCodec } from '../text/inline-xml.js';

/** What a build would send, worked out before anything is sent. */
export interface TranslationPlan {
  /** Segments in all articles. */
  segments: number;
  /** Segments the memory already holds. */
  fromMemory: number;
  /** Segments without words, never sent: their English is their German (see `copiedEnglish`). */
  copied: number;
  /** Segments that need DeepL, counting repeats. */
  pendingSegments: number;
  /** Distinct texts to send: repeats within the run are sent once. */
  uniqueTexts: number;
  /** The requests, per article in source order (their texts are made when they go out, see {@link batchTexts}). */
  batches: PlannedBatch[];
  /** Per article, in source order: the requests its texts travel in (its own, and earlier ones carrying a text it repeats). */
  waits: number[][];
  /** The memory keys of the texts sent. */
  sent: ReadonlySet<string>;
  /** Characters DeepL will bill: the code points of every text as sent. */
  billableCharacters: number;
}

/** A text to send, with the codec that turns DeepL's answer back into the segment's text. */
export type SentText = PendingText & { codec: InlineCodec };

/**
 * A request as planned: which of its article's requests it is, and what it carries. Its texts
 * (with their codecs) are made again when it goes out ({@link batchTexts}): a build queues every
 * request at once, and a queued request then holds nothing but the article it is for.
 */
export interface PlannedBatch {
  article: SegmentedDocument;
  /** The article's segments sent (by index): those whose text no earlier article sends. */
  sends: readonly number[];
  /** Its place among the article's requests. */
  index: number;
  /** Texts it carries, a long text's parts counted apart. */
  texts: number;
  /** Distinct texts it carries the first (or only) part of. */
  starts: number;
  /** Characters DeepL bills for it: the code points of its texts as sent. */
  characters: number;
}

/**
 * An article's requests: the texts of the segments it sends (by index), each with its codec,
 * packed as {@link planBatches} packs them. The same article and indices always give the same
 * requests, so a request's texts can be made again when it goes out.
 */
export function articleBatches(article: SegmentedDocument, sends: readonly number[]): Array<Batch<SentText>> {
  const pending = sends.map((i): SentText => {
    const segment = article.segments[i] as Segment;
    const codec = inlineCodec(segment);
    return { key: segment.key, xml: codec.xml, codec };
  });
  return pending.length > 0 ? planBatches(pending, articleContext(article)) : [];
}

/** A planned request's texts, made again as they were planned. */
export function batchTexts(batch: PlannedBatch): Batch<SentText> {
  const made = articleBatches(batch.article, batch.sends)[batch.index];
  if (made === undefined) throw new Error(`${batch.article.doc.path}: request ${batch.index + 1} is no longer made`);
  return made;
}

/** Characters DeepL bills for a text as sent: its code points. */
export function billable(text: string): number {
  // A text without surrogates (nearly every German one) has as many code points as UTF-16 units.
  if (!SURROGATE.test(text)) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Characters DeepL bills for one request: the code points of its texts as sent. */
function batchCharacters(batch: Batch): number {
  return batch.texts.reduce((n, t) => n + billable(t.xml), 0);
}

/** A segment's memory key when DeepL must translate it; `undefined` when the memory holds it or it has no words. */
export function keyToSend(segment: Segment, memory: TranslationMemory, lang: string): string | undefined {
  if (!needsTranslation(segment)) return undefined;
  const key = segment.key;
  return memory.lookupKey(key, lang) ? undefined : key;
}

/** How a plan is made beyond the memory's say. */
export interface PlanOptions {
  /**
   * Re-send exactly these memory keys (`retranslate`): segments with other keys are left out of
   * the plan (not counted), and these go to DeepL whatever the memory holds for them.
   */
  resend?: ReadonlySet<string>;
}

/**
 * Plans a run: which segments the memory serves, which distinct texts go to DeepL, and in which
 * requests (per article, as few as the limits allow, with the article's context). Pure: the same
 * inputs always give the same plan, which is what `estimate` shows and `build` then sends.
 */
export function planTranslation(
  articles: readonly SegmentedDocument[],
  memory: TranslationMemory,
  lang: string,
  options: PlanOptions = {},
): TranslationPlan {
  const { resend } = options;
  /** Each distinct text sent, and the batches its parts travel in. */
  const seen = new Map<string, number[]>();
  const batches: PlannedBatch[] = [];
  const waits: number[][] = [];
  let segments = 0;
  let fromMemory = 0;
  let copied = 0;
  let pendingSegments = 0;
  for (const article of articles) {
    const sends: number[] = [];
    const repeats: string[] = [];
    for (const [i, segment] of article.segments.entries()) {
      if (resend && !resend.has(segment.key)) continue;
      segments++;
      if (!needsTranslation(segment)) {
        copied++;
        continue;
      }
      const key = resend ? segment.key : keyToSend(segment, memory, lang);
      if (key === undefined) {
        fromMemory++;
        continue;
      }
      pendingSegments++;
      if (seen.has(key)) {
        repeats.push(key);
        continue;
      }
      seen.set(key, []);
      sends.push(i);
    }
    const waitsFor = new Set<number>();
    for (const [index, batch] of articleBatches(article, sends).entries()) {
      const at = batches.length;
      batches.push({
        article,
        sends,
        index,
        texts: batch.texts.length,
        starts: batch.texts.filter((t) => t.part === 0).length,
        characters: batchCharacters(batch),
      });
      waitsFor.add(at);
      for (const text of batch.texts) (seen.get(text.key) as number[]).push(at);
    }
    // A text this article repeats travels in a batch planned before (its own or an earlier article's).
    for (const key of repeats) for (const at of seen.get(key) as number[]) waitsFor.add(at);
    waits.push([...waitsFor].sort((a, b) => a - b));
  }
  const billableCharacters = batches.reduce((n, b) => n + b.characters, 0);
  return {
    segments,
    fromMemory,
    copied,
    pendingSegments,
    uniqueTexts: seen.size,
    batches,
    waits,
    sent: new Set(seen.keys()),
    billableCharacters,
  };
}
