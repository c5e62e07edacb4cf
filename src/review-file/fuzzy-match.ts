import type { MemoryEntry } from '../memory/entry.js';
import type { TranslationMemory } from '../memory/translation-memory.js';
import type { SegmentedDocument, TranslatedArticle, TranslatedSegment } from '../model.js';
import { sha256 } from '../util/hash.js';
import { reviewFileName, type ReviewState } from './review-state.js';
import { tokenize, wordDiff, type DiffPart } from './word-diff.js';
import { byCodeUnits } from '../util/by-code-units.js';

/** The memory's translation of a German text similar to a segment's: an earlier version of it. */
export interface FuzzyMatch {
  /** 0–1: shared characters of words over the characters of both texts. */
  similarity: number;
  /** The earlier German (normalised, as the memory holds it). */
  source: string;
  /** Its English, as the memory holds it. */
  target: string;
  origin: MemoryEntry['origin'];
  status: MemoryEntry['status'];
  /** Word diff of the German, earlier → now. */
  diff: DiffPart[];
}

/**
 * A project's matcher: earlier versions of its segments among the memory entries none of its
 * segments uses (none when the memory is empty). With the output folder's review `state`, an
 * article is matched only against the German its review file held when last written (see
 * {@link HeldBefore}); it is read only when some entry is unused.
 */
export async function projectFuzzyMatcher(
  articles: readonly SegmentedDocument[],
  memory: TranslationMemory,
  lang: string,
  state: ReviewState,
): Promise<FuzzyMatcher> {
  const used = usedKeys(articles);
  const unused = [...memory.entriesIn(lang)].filter((e) => !used.has(e.source));
  return new FuzzyMatcher(unused, used, lang, FUZZY_THRESHOLD, unused.length > 0 ? await heldBefore(state, articles) : undefined);
}

/** {@link projectFuzzyMatcher} with what the articles held before already read (or not known: any entry for any article). */
export function fuzzyMatcher(
  articles: readonly SegmentedDocument[],
  memory: TranslationMemory,
  lang: string,
  held?: HeldBefore,
): FuzzyMatcher {
  return new FuzzyMatcher([...memory.entriesIn(lang)], usedKeys(articles), lang, FUZZY_THRESHOLD, held);
}

/** The German of every segment: the memory keys in use. */
function usedKeys(articles: readonly SegmentedDocument[]): Set<string> {
  const used = new Set<string>();
  for (const a of articles) for (const segment of a.segments) used.add(segment.key);
  return used;
}

/**
 * What each article's review file held when diglot last wrote it, by article id. `german`: its
 * German, and the earlier German of the fuzzy matches it showed: an entry no segment uses now is an
 * earlier version of a paragraph of the article that held it, and of no other article's (a paragraph
 * much like another article's is not its earlier version). `unmatched`: the German of its pairs that
 * showed no match: such a paragraph is as it was, and another's earlier version is no version of
 * it. An article without a record (new, or renamed) may take any entry, for any pair.
 */
export type HeldBefore = ReadonlyMap<string, { german: ReadonlySet<string>; unmatched: ReadonlySet<string> }>;

/** {@link HeldBefore} from the review state's records. */
export async function heldBefore(state: ReviewState, articles: readonly SegmentedDocument[]): Promise<HeldBefore> {
  const held = new Map<string, { german: Set<string>; unmatched: Set<string> }>();
  await Promise.all(
    articles.map(async (a) => {
      const record = await state.record(reviewFileName(a.doc.id));
      if (!record) return;
      // And the earlier German of a match it showed: a pair not reviewed yet keeps its match from build to build.
      const german = new Set(record.segments.flatMap((s) => (s.fuzzy === undefined ? [s.source] : [s.source, s.fuzzy])));
      held.set(a.doc.id, { german, unmatched: new Set(record.segments.filter((s) => s.fuzzy === undefined).map((s) => s.source)) });
    }),
  );
  return held;
}

/** An article's matches as its parts keep them, with what they were found from (see {@link FuzzyMatcher.matchesOf}). */
export interface KeptMatches {
  /** The matcher's {@link FuzzyMatcher.signature}. */
  signature: string;
  /** The article's pairs as matching sees them: each pair's id, German and whether it gets a match (hashed). */
  inputs: string;
  matches: Array<[string, FuzzyMatch]>;
}

/** The matches of an article with nothing to match it with: the same whatever the matcher's entries. */
const NO_MATCHES: KeptMatches = Object.freeze({ signature: '', inputs: '', matches: [] });

/** Similarity below which an earlier text is not shown. */
export const FUZZY_THRESHOLD = 0.7;

/** How many candidates, found through shared words, are compared word by word. */
const CANDIDATES = 12;

/**
 * Finds, for segments a reviewer has not seen yet (machine drafts and missing translations), the
 * memory entry whose German is most similar (a reviewed or approved one before a machine draft),
 * among entries no current segment uses: when a
 * paragraph was edited in the source, that is its earlier version, with a translation someone may
 * already have reviewed. Candidates come from an index of the entries' words, rarest words first,
 * so the cost grows with the number of segments, not segments × entries; only the best few are
 * diffed. `matchArticle` gives, per segment id, the match (≥ 70 % similar).
 *
 * The pool is taken once, before any article is translated, from the entries no segment of the
 * run uses (`used`: the normalised German of every segment). What a run adds to the memory is
 * always used, so matching an article as soon as it is translated finds what matching them all at
 * the end would. The index is built when an article is first matched: a rebuild that reuses every
 * article's matches (see `signature`) never builds it.
 */
export class FuzzyMatcher {
  private readonly pool: MemoryEntry[];
  private built: WordIndex | undefined;
  /** What the matches depend on besides the article: the pool's entries and the threshold. */
  readonly signature: string;

  constructor(
    entries: readonly MemoryEntry[],
    used: ReadonlySet<string>,
    lang: string,
    private readonly threshold = FUZZY_THRESHOLD,
    private readonly held?: HeldBefore,
  ) {
    // In the order of their German, whatever the order given: the signature and the ties between equal matches depend on it.
    this.pool = entries.filter((e) => e.lang === lang && !used.has(e.source)).sort((a, b) => byCodeUnits(a.source, b.source));
    this.signature = sha256(JSON.stringify([threshold, this.pool.map((e) => [e.source, e.target, e.origin, e.status])]));
  }

  private get index(): WordIndex | undefined {
    if (this.pool.length === 0) return undefined;
    this.built ??= new WordIndex(this.pool.map((e) => e.source));
    return this.built;
  }

  /**
   * An article's matches with what they were found from, to keep with its parts: `kept` itself when
   * a matcher over the same entries found them from the same pairs (so a caller tells by identity
   * whether its parts still hold), else found now. With nothing to match it with (no entries it may
   * take, or no pair that gets a match) there are none, whatever the other entries.
   */
  matchesOf(a: TranslatedArticle, kept?: KeptMatches): KeptMatches {
    const candidates = this.candidatesOf(a);
    if (candidates?.length === 0) return kept?.signature === NO_MATCHES.signature ? kept : NO_MATCHES;
    const inputs = matchInputs(a, candidates, this.wanting(a));
    if (kept?.signature === this.signature && kept.inputs === inputs) return kept;
    return { signature: this.signature, inputs, matches: [...this.matchArticle(a)] };
  }

  /**
   * The pool entries an article may be matched with, by their German: none without a pair to match,
   * those its review file held when its record narrows them ({@link HeldBefore}); `undefined`: any.
   */
  private candidatesOf(a: TranslatedArticle): string[] | undefined {
    if (this.pool.length === 0 || !a.segments.some(this.wanting(a))) return [];
    const held = this.held?.get(a.article.doc.id)?.german;
    return held && this.pool.filter((e) => held.has(e.source)).map((e) => e.source);
  }

  /** Which of an article's pairs get a match: those a reviewer has not seen yet, but those as they were with none. */
  private wanting(a: TranslatedArticle): (t: TranslatedSegment) => boolean {
    const unmatched = this.held?.get(a.article.doc.id)?.unmatched;
    return (t) => wantsMatch(t) && !unmatched?.has(t.segment.key);
  }

  /** The matches of an article's unreviewed segments, by segment id. */
  matchArticle(a: TranslatedArticle): Map<string, FuzzyMatch> {
    const matches = new Map<string, FuzzyMatch>();
    const index = this.index;
    if (!index) return matches;
    const mine = this.held?.get(a.article.doc.id)?.german;
    const wanted = this.wanting(a);
    for (const t of a.segments) {
      if (!wanted(t)) continue;
      const source = t.segment.key;
      let best: FuzzyMatch | undefined;
      const counts = tokenCounts(source);
      const queryWeight = weight(counts);
      for (const i of index.candidates(counts, CANDIDATES)) {
        const entry = this.pool[i] as MemoryEntry;
        if (mine && !mine.has(entry.source)) continue;
        if (index.bound(i, counts, queryWeight) < this.threshold) continue;
        const { parts, similarity } = wordDiff(entry.source, source);
        if (similarity < this.threshold) continue;
        // A translation someone reviewed before a machine's draft of a nearer version (the German edited twice):
        // then the nearest.
        const rankNow = best ? rank(best.status) : -1;
        if (!best || rank(entry.status) > rankNow || (rank(entry.status) === rankNow && similarity > best.similarity)) {
          best = { similarity, source: entry.source, target: entry.target, origin: entry.origin, status: entry.status, diff: parts };
        }
      }
      if (best) matches.set(t.segment.id, best);
    }
    return matches;
  }
}

/** Whether a segment is one a reviewer has not seen yet (a machine draft or missing), which gets a match. */
function wantsMatch(t: TranslatedSegment): boolean {
  return t.origin !== 'copy' && (t.target === undefined || t.status === 'draft');
}

/**
 * What an article's matches depend on besides the matcher's {@link FuzzyMatcher.signature}: each
 * segment's id, German and whether it gets a match, and the entries it may be matched with where
 * its record narrows them. Equal keys and signatures give equal matches.
 */
function matchInputs(a: TranslatedArticle, candidates: readonly string[] | undefined, wanted: (t: TranslatedSegment) => boolean): string {
  const segments = a.segments.map((t) => [t.segment.id, t.segment.key, wanted(t)]);
  return sha256(JSON.stringify(candidates === undefined ? segments : [segments, [...candidates].sort()]));
}

function rank(status: MemoryEntry['status']): number {
  return status === 'approved' ? 2 : status === 'reviewed' ? 1 : 0;
}

/** The tokens of a text that `wordDiff` weighs (all but white space), with their counts. */
function tokenCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokenize(text)) if (!/^\s+$/.test(t)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Total characters of a text's tokens (UTF-16 units: the same measure on both sides of a ratio). */
function weight(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const [w, n] of counts) total += n * w.length;
  return total;
}

const WORD = /[\p{L}\p{N}]/u;

/** Distinct lower-case words (letters and digits) of a text: the index keys. */
function wordsOf(counts: ReadonlyMap<string, number>): Set<string> {
  const out = new Set<string>();
  for (const t of counts.keys()) if (WORD.test(t)) out.add(t.toLowerCase());
  return out;
}

/** An inverted index from words to the texts that contain them. */
class WordIndex {
  private readonly postings = new Map<string, number[]>();
  private readonly counts: Array<Map<string, number>>;
  /** Each text's tokens weighed by characters: the denominator's half that belongs to it. */
  private readonly weights: number[];
  /** Postings longer than this are words too common to find candidates with (die, und, der …). */
  private readonly common: number;

  /** Scratch counters for `candidates`, all zero between calls. */
  private readonly shared: Int32Array;

  constructor(texts: readonly string[]) {
    this.counts = texts.map(tokenCounts);
    this.weights = this.counts.map(weight);
    this.shared = new Int32Array(texts.length);
    this.counts.forEach((counts, i) => {
      for (const w of wordsOf(counts)) {
        const list = this.postings.get(w);
        if (list) list.push(i);
        else this.postings.set(w, [i]);
      }
    });
    this.common = Math.max(50, Math.ceil(texts.length * 0.05));
  }

  /**
   * Up to `limit` texts that share the most distinct words with a text (given by its token
   * counts), most first. Texts sharing fewer than half the best count are not ranked at all.
   */
  candidates(query: ReadonlyMap<string, number>, limit: number): number[] {
    const touched: number[] = [];
    let best = 0;
    for (const w of wordsOf(query)) {
      const list = this.postings.get(w);
      if (!list || list.length > this.common) continue;
      for (const i of list) {
        if (this.shared[i] === 0) touched.push(i);
        const n = (this.shared[i] ?? 0) + 1;
        this.shared[i] = n;
        if (n > best) best = n;
      }
    }
    const ranked = touched
      .filter((i) => (this.shared[i] ?? 0) * 2 >= best)
      .sort((x, y) => (this.shared[y] ?? 0) - (this.shared[x] ?? 0) || x - y);
    for (const i of touched) this.shared[i] = 0;
    return ranked.slice(0, limit);
  }

  /**
   * An upper bound of the similarity `wordDiff` can find between text `i` and `text`: the tokens
   * both have, counted with their multiplicity and weighed by characters, can only be more than a
   * common subsequence. Cheap, so only promising pairs are diffed.
   */
  bound(i: number, b: ReadonlyMap<string, number>, bWeight = weight(b)): number {
    const a = this.counts[i] as Map<string, number>;
    const total = (this.weights[i] ?? 0) + bWeight;
    if (total === 0) return 0;
    // The shared part is at most the lighter text: itself a bound, and enough for unlike lengths.
    const cap = (2 * Math.min(this.weights[i] ?? 0, bWeight)) / total;
    if (cap < FUZZY_THRESHOLD) return cap;
    let shared = 0;
    const [small, large] = a.size <= b.size ? [a, b] : [b, a];
    for (const [w, n] of small) {
      const m = large.get(w);
      if (m !== undefined) shared += Math.min(n, m) * w.length;
    }
    return (2 * shared) / total;
  }
}
