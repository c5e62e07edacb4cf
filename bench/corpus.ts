/**
 * The benchmark's synthetic corpus: N German articles made by recombining and varying the
 * sentences of the sample articles in `sources/`. Deterministic for a seed. Nearly every
 * paragraph is unique; a few (about 2 %) are exact repeats of a paragraph of an earlier article,
 * as boilerplate is in real archives.
 *
 * Articles are written as Markdown: a level-1 title, paragraphs and one subheading. The texts are
 * single-line and free of Markdown and XML syntax, so each paragraph is exactly one segment and
 * is sent as written: the benchmark can count characters and texts itself, independently of
 * diglot's segmentation, and compare them with what the server billed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readSources } from '../src/sources/read-sources.js';
import { segment } from '../src/segment/segment.js';
import { splitSentences } from '../src/text/sentences.js';
import type { Config } from '../src/config/config.js';

/** One generated article: its file stem and its segments in order (title first). */
export interface BenchArticle {
  id: string;
  /** Segment texts in order: title, paragraphs, a subheading among them. */
  texts: string[];
}

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sentences and headings of the sample articles, cleaned of Markdown and XML syntax. */
export interface SamplePool {
  sentences: string[];
  headings: string[];
}

/** Reads the sample sources with diglot's own reader and segmenter, and splits them into sentences. */
export async function samplePool(root: string, config: Config): Promise<SamplePool> {
  const { documents } = await readSources(root, config.sources);
  const sentences = new Set<string>();
  const headings = new Set<string>();
  for (const doc of documents) {
    for (const s of segment(doc, config.cleanup).segments) {
      const text = clean(s.plain);
      if (text.length < 15) continue;
      if (s.kind === 'heading' || text.length < 70) {
        if (text.length <= 90) headings.add(text);
        continue;
      }
      for (const sentence of splitSentences(text)) {
        const t = clean(sentence);
        if (t.length >= 30 && /[.!?“"]$/.test(t)) sentences.add(t);
      }
    }
  }
  return { sentences: [...sentences], headings: [...headings] };
}

/** Removes what Markdown or XML would read as syntax, and what would start a list or a quote. */
export function clean(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[*_`[\]<>&#|\\~]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:\d+[.)]|[-+>=])\s*/, '')
    .trim();
}

const PLACES = [
  'Berlin',
  'Brüssel',
  'Warschau',
  'Kiew',
  'Vilnius',
  'Riga',
  'Tallinn',
  'Paris',
  'London',
  'Washington',
  'Helsinki',
  'Stockholm',
  'Prag',
  'Bukarest',
  'Madrid',
  'Rom',
  'Den Haag',
  'Wien',
  'Oslo',
  'Kopenhagen',
];
const OPENERS = ['Dabei gilt:', 'Zugleich', 'Hinzu kommt:', 'Fest steht:', 'Klar ist:', 'Auch deshalb', 'Unterdessen', 'Gleichwohl'];

/** Generates `count` articles starting at index `from` (so a larger corpus extends a smaller one). */
export class CorpusGenerator {
  private readonly seen = new Set<string>();
  private readonly made: string[] = [];
  private readonly random: () => number;

  constructor(
    private readonly pool: SamplePool,
    seed: number,
    private readonly segmentsPerArticle = 15,
    private readonly repeatRate = 0.02,
  ) {
    this.random = prng(seed);
  }

  /** `count` articles with ids `a00000`, `a00001`, …; their order on disk is their order here. */
  articles(count: number): BenchArticle[] {
    return Array.from({ length: count }, (_, i) => this.article(i));
  }

  /** A fresh unique paragraph, e.g. to change an article. */
  paragraph(): string {
    return this.unique(() => this.makeParagraph());
  }

  /** A unique variant of `text`: a different place, or an added clause. */
  vary(text: string): string {
    return this.unique(() => {
      const place = this.pick(PLACES);
      const replaced = text.replace(new RegExp(PLACES.join('|')), place);
      return replaced !== text && this.random() < 0.5
        ? replaced
        : `${text} Das sagte man in ${place} ${1 + Math.floor(this.random() * 9000)} Mal.`;
    });
  }

  private article(index: number): BenchArticle {
    const id = `a${String(index).padStart(5, '0')}`;
    const texts: string[] = [this.unique(() => `${this.pick(this.pool.headings)} (${this.pick(PLACES)}, Folge ${index + 1})`)];
    const body = this.segmentsPerArticle - 1;
    const subheadingAt = Math.max(1, Math.floor(body / 2));
    for (let i = 0; i < body; i++) {
      if (i === subheadingAt) {
        texts.push(this.unique(() => `${this.pick(this.pool.headings)}: ${this.pick(PLACES)} ${1 + Math.floor(this.random() * 999)}`));
      } else if (this.made.length > 50 && this.random() < this.repeatRate) {
        // An exact repeat of a paragraph of an earlier article.
        texts.push(this.made[Math.floor(this.random() * this.made.length)]!);
      } else {
        const p = this.paragraph();
        this.made.push(p);
        texts.push(p);
      }
    }
    return { id, texts };
  }

  /** Two to five sample sentences, some varied, with numbers changed. */
  private makeParagraph(): string {
    const count = 2 + Math.floor(this.random() * 4);
    const sentences: string[] = [];
    for (let i = 0; i < count; i++) {
      let s = this.pick(this.pool.sentences);
      if (this.random() < 0.3) s = s.replace(/\d+/, () => String(2 + Math.floor(this.random() * 500)));
      if (i > 0 && this.random() < 0.15) s = `${this.pick(OPENERS)} ${s.charAt(0).toLowerCase()}${s.slice(1)}`;
      sentences.push(s);
    }
    return sentences.join(' ');
  }

  private unique(make: () => string): string {
    for (;;) {
      const text = clean(make());
      if (!this.seen.has(text)) {
        this.seen.add(text);
        return text;
      }
    }
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }
}

/** The Markdown of an article: the title as `#`, the subheading (the text after the middle) as `##`. */
export function articleMarkdown(article: BenchArticle): string {
  const body = article.texts.length - 1;
  const subheadingAt = Math.max(1, Math.floor(body / 2)) + 1;
  return `${article.texts.map((t, i) => (i === 0 ? `# ${t}` : i === subheadingAt ? `## ${t}` : t)).join('\n\n')}\n`;
}

/** Writes the articles to `dir/sources/<id>.md`. */
export function writeArticles(dir: string, articles: readonly BenchArticle[]): void {
  const sources = path.join(dir, 'sources');
  mkdirSync(sources, { recursive: true });
  for (const a of articles) writeFileSync(path.join(sources, `${a.id}.md`), articleMarkdown(a));
}
