import type { TranslationMemory } from '../memory/translation-memory.js';
import type { Segment, SegmentedDocument } from '../model.js';
import { normalise } from '../segment/normalise.js';
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
  /** For each article, the indexes of the batches holding its texts: its own, and those of earlier articles that send a text it repeats. */
  articleBatches: number[][];
  /** Characters DeepL will bill: the code points of every text as sent. */
  billableCharacters: number;
  /** How to turn DeepL's XML answer for each text (by key) back into the segment's text. */
  codecs: Map<string, InlineCodec>;
}

/** Characters DeepL bills for a text as sent: its code points. */
export function billable(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Whether a segment needs translating at all: one without letters (a number, a dash) is copied. */
export function needsTranslation(plain: string): boolean {
  return /\p{L}/u.test(plain);
}

/** A segment's memory key when DeepL must translate it; `undefined` when the memory holds it or it has no words. */
export function keyToSend(segment: Segment, memory: TranslationMemory, lang: string): string | undefined {
  if (!needsTranslation(segment.plain)) return undefined;
  const key = normalise(segment.source);
  return memory.lookup(key, lang) ? undefined : key;
}

/**
 * Plans a run: which segments the memory serves, which distinct texts go to DeepL, and in which
 * requests (per article, as few as the limits allow, with the article's context). Pure: the same
 * inputs always give the same plan, which is what `estimate` shows and `build` then sends.
 */
export function planTranslation(articles: readonly SegmentedDocument[], memory: TranslationMemory, lang: string): TranslationPlan {
  /** Each distinct text sent, and the batches its parts travel in. */
  const seen = new Map<string, number[]>();
  const codecs = new Map<string, InlineCodec>();
  const batches: Batch[] = [];
  const articleBatches: number[][] = [];
  let segments = 0;
  let fromMemory = 0;
  let pendingSegments = 0;
  for (const article of articles) {
    const pending: PendingText[] = [];
    const waitsFor = new Set<number>();
    const repeats: string[] = [];
    for (const segment of article.segments) {
      segments++;
      const key = keyToSend(segment, memory, lang);
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
      const codec = inlineCodec(segment.source, segment.markdown, segment.references);
      codecs.set(key, codec);
      pending.push({ key, xml: codec.xml });
    }
    if (pending.length > 0) {
      for (const batch of planBatches(pending, articleContext(article))) {
        const at = batches.length;
        batches.push(batch);
        waitsFor.add(at);
        for (const text of batch.texts) (seen.get(text.key) as number[]).push(at);
      }
    }
    // A text this article repeats travels in a batch planned before (its own or an earlier article's).
    for (const key of repeats) for (const at of seen.get(key) as number[]) waitsFor.add(at);
    articleBatches.push([...waitsFor].sort((a, b) => a - b));
  }
  const billableCharacters = batches.reduce((n, b) => n + b.texts.reduce((m, t) => m + billable(t.xml), 0), 0);
  return { segments, fromMemory, pendingSegments, uniqueTexts: seen.size, batches, articleBatches, billableCharacters, codecs };
}
