import type { Config } from '../config/config.js';
import type { Glossary, GlossaryTerm } from '../glossary/glossary.js';
import type { Edition, EditionArticle, TranslatedArticle, TranslatedSegment } from '../model.js';
import { articleDescription, articleTitle } from '../segment/article-title.js';
import { sha256 } from '../util/hash.js';
import type { Root } from 'mdast';
import { articleTree } from './article-tree.js';
import { bookTree, englishPhrasing } from './book-tree.js';
import { chapterXhtml } from './chapter-xhtml.js';
import type { LinkTargets } from './resolve-link.js';

/** Counts of where an edition's passages come from, for its translation note. */
export interface PassageCounts {
  total: number;
  human: number;
  tmx: number;
  deepl: number;
  copied: number;
  reviewed: number;
}

/**
 * What one book's front matter gathers from its articles as they are added: the latest change,
 * passage counts, the glossary terms seen.
 */
class FrontTally {
  latest = '';
  readonly counts: PassageCounts = { total: 0, human: 0, tmx: 0, deepl: 0, copied: 0, reviewed: 0 };
  readonly seen = new Set<GlossaryTerm>();

  add(a: TranslatedArticle, terms: ReadonlySet<GlossaryTerm>): void {
    for (const t of a.segments) if (t.updated !== undefined && t.updated > this.latest) this.latest = t.updated;
    const counts = countPassages(a.segments);
    for (const k of Object.keys(counts) as Array<keyof PassageCounts>) this.counts[k] += counts[k];
    for (const term of terms) this.seen.add(term);
  }
}

/**
 * The edition the EPUB writer renders: complete articles only, in source order, one at a time.
 * Nothing varies between builds but with the inputs (the identifier is the edition's, the
 * modification time the latest change's), so the same inputs give byte-identical books. `add` gives each article's chapter content
 * as soon as it is translated, and keeps only what the front matter needs (a {@link FrontTally}
 * per book: one, or one per volume when the link targets carry volumes); `front` gives the rest of
 * a book once its articles are added.
 */
export class EditionBuilder {
  /** By volume index (0 for the one book). */
  private readonly tallies = new Map<number, FrontTally>();

  constructor(
    private readonly config: Config,
    private readonly glossary: Glossary,
    private readonly targets: LinkTargets,
  ) {}

  /** The volume of an article (0 when the edition is one book). */
  volumeOf(id: string): number {
    return this.targets.volumes?.byArticle.get(id) ?? 0;
  }

  private tally(volume: number): FrontTally {
    let tally = this.tallies.get(volume);
    if (tally === undefined) {
      tally = new FrontTally();
      this.tallies.set(volume, tally);
    }
    return tally;
  }

  /**
   * Counts a complete article into its book's front matter: its texts go into the identifier, its
   * dates and origins into the front matter, the glossary terms its German holds into the colophon
   * (of its volume's books, with volumes).
   */
  count(a: TranslatedArticle, terms: ReadonlySet<GlossaryTerm>): void {
    this.tally(this.volumeOf(a.article.doc.id)).add(a, terms);
  }

  /** {@link count}s a complete article and gives its chapter content, from its German tree (which is changed: pass a copy to keep it). */
  add(a: TranslatedArticle, terms: ReadonlySet<GlossaryTerm>, tree: Root = articleTree(a.article)): EditionArticle {
    this.count(a, terms);
    const title = articleTitle(a);
    const description = articleDescription(a);
    const { meta } = a.article.doc;
    return {
      id: a.article.doc.id,
      titleDe: title.de,
      titleEn: title.en ?? title.de,
      ...(description ? { descriptionDe: description.de, ...(description.en ? { descriptionEn: description.en } : {}) } : {}),
      ...(meta.date ? { date: meta.date } : {}),
      ...(meta.author ? { author: meta.author } : {}),
      ...(meta.source ? { source: meta.source } : {}),
      ...this.chapters(a, tree),
    };
  }

  /** The article's chapter content in each book, from its document tree. */
  private chapters(a: TranslatedArticle, tree: Root): Pick<EditionArticle, 'bilingual' | 'english' | 'images'> {
    const options = { de: this.config.sourceLang, en: this.config.targetLang, english: englishPhrasing(a), targets: this.targets };
    // The bilingual book's tree is a copy: each book's tree is changed as it is made.
    const bilingual = bookTree(structuredClone(tree), a, { ...options, book: 'bilingual' });
    const english = bookTree(tree, a, { ...options, book: 'english' });
    return { bilingual: chapterXhtml(bilingual.tree), english: chapterXhtml(english.tree), images: english.images };
  }

  /**
   * Everything but the articles of the book (of `volume`, with volumes), from its articles added
   * so far. `forget` then drops what was gathered for it.
   */
  front(volume = 0): Omit<Edition, 'articles'> {
    const { config, glossary } = this;
    const tally = this.tally(volume);
    // The edition's (its `identifier`, else its title; a volume's: with its key), not its texts': a corrected word or an added article
    // makes a new version of the same book, which e-readers and libraries keep as one (reading places, notes).
    const key = this.targets.volumes?.volumes[volume]?.key;
    const edition = config.identifier ?? config.title;
    const hash = sha256(`${edition}\n${config.targetLang}\n${key === undefined ? '' : `${key}\n`}`, 32);
    const identifier = `urn:uuid:${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
    const modified = (tally.latest !== '' ? new Date(tally.latest) : new Date(Date.UTC(2000, 0, 1)))
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const described = this.targets.volumes?.volumes[volume];
    return {
      title: config.title,
      subtitle: config.subtitle,
      englishSubtitle: englishSubtitle(config.subtitle),
      ...(config.authors.length > 0 ? { authors: config.authors } : {}),
      ...(config.publisher ? { publisher: config.publisher } : {}),
      sourceLang: config.sourceLang,
      targetLang: config.targetLang,
      identifier,
      modified,
      translationNote: describeTranslation(tally.counts),
      // In the glossary's order, as before.
      glossary: glossary.terms.filter((t) => tally.seen.has(t)).map((t) => ({ de: t.german, en: t.english })),
      ...(described ? { volume: described } : {}),
    };
  }

  /** Drops what was gathered for a finished volume's books. */
  forget(volume: number): void {
    this.tallies.delete(volume);
  }
}

/** Where the given passages come from and how many are reviewed. */
export function countPassages(segments: readonly TranslatedSegment[]): PassageCounts {
  const counts: PassageCounts = { total: segments.length, human: 0, tmx: 0, deepl: 0, copied: 0, reviewed: 0 };
  for (const t of segments) {
    if (t.origin === 'human') counts.human++;
    else if (t.origin === 'tmx') counts.tmx++;
    else if (t.origin === 'deepl') counts.deepl++;
    else if (t.origin === 'copy') counts.copied++;
    // A passage kept as in the original was not translated: there is nothing of it to review.
    if (t.origin !== 'copy' && (t.status === 'reviewed' || t.status === 'approved')) counts.reviewed++;
  }
  return counts;
}

/**
 * One line on how the edition was translated: where the passages come from (people, a CAT tool's
 * TMX, DeepL, or kept as in the original) and how many of the translated were reviewed. Derived
 * from the memory's origin and status, not from what this run sent, so a rebuild after a DeepL run
 * gives the same book. It claims no glossary: the memory does not say which glossary a DeepL
 * translation was made with (the colophon lists the glossary's terms the edition holds).
 */
export function describeTranslation(counts: PassageCounts): string {
  const { total, human, tmx, deepl, copied, reviewed } = counts;
  const translated = total - copied;
  const sources = [
    ...(human > 0 || (deepl + tmx === 0 && translated > 0) ? [`${human} translated by people`] : []),
    ...(tmx > 0 ? [`${tmx} imported from a translation tool (TMX)`] : []),
    `${deepl === 0 ? 'none' : deepl} by DeepL`,
    ...(copied > 0 ? [`${copied} kept as in the original (numbers, codes, names)`] : []),
  ];
  const review =
    reviewed === translated
      ? translated === 0
        ? 'nothing to review'
        : `all ${translated === 1 ? '' : `${translated} `}reviewed`
      : reviewed === 0
        ? 'none reviewed yet'
        : `${reviewed} reviewed, ${translated - reviewed} not yet reviewed`;
  // What a reviewer can review is what was translated: passages kept as in the original are not counted.
  const ofTranslated = copied > 0 && translated > 0 ? `of the ${translated} translated, ` : '';
  const all = total === 1 ? 'The one passage' : `All ${total} passages`;
  return `${all}: ${sources.join(', ')}; ${ofTranslated}${review}.`;
}

/** The English-only edition's subtitle: a "German–English edition" subtitle becomes "English edition". */
function englishSubtitle(subtitle: string): string {
  return subtitle.replace(/\bGerman\s*[–—-]\s*English\b/i, 'English').replace(/\bbilingual\b/i, 'English');
}
