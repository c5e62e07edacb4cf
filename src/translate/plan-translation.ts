import type { TranslationMemory } from '../memory/translation-memory.js';
import type { Segment, SegmentedDocument } from '../model.js';
import { segmentKey } from '../segment/normalise.js';
import { articleContext } from './article-context.js';
import { planBatches, type Batch, type PendingText } from './plan-batches.js';
import { inlineCodec, type InlineCodec } from './inline-xml.js';

/** What a build would send, worked out before anything is sent. */
export interface TranslationPlan {
  /** Segments in all articles. */
  segments: number;
  /** Segments the memory already holds (or that need no translation: no letters). */
  fromMemory: number;
  /** Segments that need DeepL, counting repeats. */
  pendingSegments: number;
  /** Distinct texts to send: repeats within the run are sent once. */
  uniqueTexts: number;
  /** The requests, per article in source order. */
  batches: Batch[];
  /** Characters DeepL will bill: the code points of every text as sent. */
  billableCharacters: number;
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
export function batchCharacters(batch: Batch): number {
  return batch.texts.reduce((n, t) => n + billable(t.xml), 0);
}

/** Whether a segment needs translating at all: one without letters (a number, a dash) is copied. */
export function needsTranslation(plain: string): boolean {
  return /\p{L}/u.test(plain);
}

/** A segment's memory key when DeepL must translate it; `undefined` when the memory holds it or it has no words. */
export function keyToSend(segment: Segment, memory: TranslationMemory, lang: string): string | undefined {
  if (!needsTranslation(segment.plain)) return undefined;
  const key = segmentKey(segment);
  return memory.lookupKey(key, lang) ? undefined : key;
}

/**
 * Plans a run: which segments the memory serves, which distinct texts go to DeepL, and in which
 * requests (per article, as few as the limits allow, with the article's context). Pure: the same
 * inputs always give the same plan, which is what `estimate` shows and `build` then sends.
 */
export function planTranslation(articles: readonly SegmentedDocument[], memory: TranslationMemory, lang: string): TranslationPlan {
  const planner = new TranslationPlanner(memory, lang);
  for (const article of articles) planner.add(article);
  return planner.plan();
}

/**
 * {@link planTranslation} one article at a time, so that a caller can let other work in between:
 * `build` sends each article's requests as soon as they are planned, and plans the next articles
 * while the first are in flight.
 */
export class TranslationPlanner {
  /** Each distinct text sent, and the batches its parts travel in. */
  private readonly seen = new Map<string, number[]>();
  private readonly codecs = new Map<string, InlineCodec>();
  private readonly batches: Batch[] = [];
  private segments = 0;
  private fromMemory = 0;
  private pendingSegments = 0;

  constructor(
    private readonly memory: TranslationMemory,
    private readonly lang: string,
  ) {}

  /**
   * Plans the next article, in source order. Returns the indexes of the batches planned for it
   * (`added`) and of every batch it waits for (`waitsFor`): those, and the earlier batches that
   * carry a text it repeats.
   */
  add(article: SegmentedDocument): { added: number[]; waitsFor: number[] } {
    const { seen, batches } = this;
    const pending: PendingText[] = [];
    const waitsFor = new Set<number>();
    const added: number[] = [];
    const repeats: string[] = [];
    for (const segment of article.segments) {
      this.segments++;
      const key = keyToSend(segment, this.memory, this.lang);
      if (key === undefined) {
        this.fromMemory++;
        continue;
      }
      this.pendingSegments++;
      if (seen.has(key)) {
        repeats.push(key);
        continue;
      }
      seen.set(key, []);
      const codec = inlineCodec(segment.source, segment.markdown, segment.references);
      this.codecs.set(key, codec);
      pending.push({ key, xml: codec.xml });
    }
    if (pending.length > 0) {
      for (const batch of planBatches(pending, articleContext(article))) {
        const at = batches.length;
        batches.push(batch);
        added.push(at);
        waitsFor.add(at);
        for (const text of batch.texts) (seen.get(text.key) as number[]).push(at);
      }
    }
    // A text this article repeats travels in a batch planned before (its own or an earlier article's).
    for (const key of repeats) for (const at of seen.get(key) as number[]) waitsFor.add(at);
    return { added, waitsFor: [...waitsFor].sort((a, b) => a - b) };
  }

  /** The batches planned so far, by index. */
  batch(index: number): Batch {
    return this.batches[index] as Batch;
  }

  /** How to turn DeepL's XML answer for a text planned so far back into the segment's text. */
  codec(key: string): InlineCodec | undefined {
    return this.codecs.get(key);
  }

  /** The plan of the articles added so far. */
  plan(): TranslationPlan {
    const { batches } = this;
    const billableCharacters = batches.reduce((n, b) => n + batchCharacters(b), 0);
    return {
      segments: this.segments,
      fromMemory: this.fromMemory,
      pendingSegments: this.pendingSegments,
      uniqueTexts: this.seen.size,
      batches,
      billableCharacters,
    };
  }
}
