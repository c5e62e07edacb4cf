// The books of a build: one pair (bilingual and English), or one pair a volume when the config
// splits the edition; a volume's books are finished as soon as its last article has been added.
import { readFileSync } from 'node:fs';
import { bookSvg } from '../sources/picture-type.js';
import path from 'node:path';
import type { Root } from 'mdast';
import type { Config } from '../config/config.js';
import type { Glossary, GlossaryTerm } from '../glossary/glossary.js';
import type { EditionImage, TranslatedArticle, Volume } from '../model.js';
import { EditionBuilder } from '../render/build-edition.js';
import type { LinkTargets } from '../render/resolve-link.js';
import { EpubBook, type BookPicture, type StoredChapter } from './epub.js';
import type { Stamps } from './last-build.js';
import { fileStamp } from './write-atomic.js';

/** An article's chapters as the books keep them, and the pictures they show. */
export interface StoredChapters {
  bilingual: StoredChapter;
  english: StoredChapter;
  images: EditionImage[];
}

/** A finished book: its file name in the output folder and its bytes, in pieces made as they are written. */
export interface FinishedBook {
  name: string;
  bytes: Iterable<Uint8Array>;
}

/** The open books of one volume (or of the one book), and the pictures given to them: each read once. */
interface OpenVolume {
  bilingual: EpubBook;
  english: EpubBook;
  packed: Set<string>;
  /** Articles of the volume seen so far, complete or not. */
  seen: number;
}

/**
 * `edition.epub` and `edition.en.epub`; with volumes `edition.<key>.epub` and `edition.<key>.en.epub`
 * (`edition.vol-02.epub`, `edition.2024-05.en.epub`).
 */
export function bookFileNames(volume?: Pick<Volume, 'key'>): { bilingual: string; english: string } {
  const stem = volume ? `edition.${volume.key}` : 'edition';
  return { bilingual: `${stem}.epub`, english: `${stem}.en.epub` };
}

/**
 * Any book of an edition, of one book or of volumes (see {@link bookFileNames}; a volume's key is
 * `vol-01`…, a year, a month or `undated`): a copy a user saved beside them (`edition.backup.epub`) is none.
 */
const BOOK_FILE = /^edition(?:\.(?:vol-\d+|\d{4}(?:-\d{2})?|undated))?(?:\.en)?\.epub$/;

/** Whether a file of the output folder is a book of an edition, of this build or of an earlier one. */
export function isBookFile(name: string): boolean {
  return BOOK_FILE.test(name);
}

/**
 * Takes every article of the build in source order (`add`), renders the complete ones into their
 * volume's books, and hands back a volume's two books once all its articles are in: memory then
 * holds the open volumes only (one, when the articles come in volume order). `finish` hands back
 * the books still open (the one book of an edition without volumes always waits for it, so its
 * bytes never depend on the order). A book without a chapter is not written.
 */
export class EditionBooks {
  private readonly edition: EditionBuilder;
  private readonly open = new Map<number, OpenVolume>();
  /** The pictures read into the books, with their stamps as they were read (see `last-build.ts`). */
  readonly pictureStamps: Stamps = {};

  constructor(
    private readonly config: Config,
    glossary: Glossary,
    private readonly targets: LinkTargets,
  ) {
    this.edition = new EditionBuilder(config, glossary, targets);
  }

  /** Where an article goes: its volume, and when it is complete its chapter's index in the volume's books. */
  place(id: string, complete: boolean): { volume: number; chapter?: number } {
    const volume = this.edition.volumeOf(id);
    const open = this.open.get(volume);
    return complete ? { volume, chapter: open?.bilingual.chapterCount ?? 0 } : { volume };
  }

  /**
   * Adds the next article (in source order): when it is complete, its chapters, rendered from its
   * German `tree` (which is changed), and given back as stored (see {@link addStored}). Returns the
   * books of its volume when it was the volume's last article.
   */
  add(
    article: TranslatedArticle,
    terms: ReadonlySet<GlossaryTerm>,
    tree: Root,
    complete: boolean,
  ): { stored: StoredChapters | undefined; finished: FinishedBook[] } {
    const volume = this.volume(this.edition.volumeOf(article.article.doc.id));
    let stored: StoredChapters | undefined;
    if (complete) {
      const chapter = this.edition.add(article, terms, tree);
      const pictures = this.pictures(volume, chapter.images);
      stored = {
        bilingual: volume.bilingual.addChapter(chapter, pictures),
        english: volume.english.addChapter(chapter, pictures),
        images: chapter.images,
      };
    }
    return { stored, finished: this.seen(article) };
  }

  /** Adds the next article with the chapters an earlier build rendered for the same place (none: it is incomplete). */
  addStored(article: TranslatedArticle, terms: ReadonlySet<GlossaryTerm>, stored: StoredChapters | undefined): FinishedBook[] {
    const volume = this.volume(this.edition.volumeOf(article.article.doc.id));
    if (stored) {
      this.edition.count(article, terms);
      const pictures = this.pictures(volume, stored.images);
      volume.bilingual.addStoredChapter(stored.bilingual, pictures);
      volume.english.addStoredChapter(stored.english, pictures);
    }
    return this.seen(article);
  }

  /** The pictures of a chapter not yet in its volume's books, read from the project (each stamped first). */
  private pictures(volume: OpenVolume, images: readonly EditionImage[]): BookPicture[] {
    return images
      .filter((i) => !volume.packed.has(i.href))
      .map((i): BookPicture => {
        volume.packed.add(i.href);
        const file = path.join(this.config.root, i.file);
        const stamp = fileStamp(file);
        if (stamp) this.pictureStamps[i.file] = stamp;
        const bytes = readFileSync(file);
        return { href: i.href, mediaType: i.mediaType, bytes: i.mediaType === 'image/svg+xml' ? bookSvg(bytes) : bytes };
      });
  }

  /** Counts an article into its volume; the volume's books when it was the last. */
  private seen(article: TranslatedArticle): FinishedBook[] {
    const index = this.edition.volumeOf(article.article.doc.id);
    const volume = this.volume(index);
    volume.seen++;
    const planned = this.targets.volumes?.volumes[index];
    return planned !== undefined && volume.seen >= planned.articles ? this.close(index) : [];
  }

  /** The books still open, in volume order. */
  finish(): FinishedBook[] {
    return [...this.open.keys()].sort((a, b) => a - b).flatMap((index) => this.close(index));
  }

  private volume(index: number): OpenVolume {
    let volume = this.open.get(index);
    if (volume === undefined) {
      const langs = { sourceLang: this.config.sourceLang, targetLang: this.config.targetLang };
      volume = {
        bilingual: new EpubBook({ mode: 'bilingual', layout: this.config.layout, ...langs }),
        english: new EpubBook({ mode: 'english', ...langs }),
        packed: new Set(),
        seen: 0,
      };
      this.open.set(index, volume);
    }
    return volume;
  }

  /** Finishes a volume's books (none when it holds no complete article) and lets it go. */
  private close(index: number): FinishedBook[] {
    const volume = this.open.get(index);
    if (volume === undefined) return [];
    this.open.delete(index);
    const front = this.edition.front(index);
    this.edition.forget(index);
    if (volume.bilingual.chapterCount === 0) return [];
    const names = bookFileNames(front.volume);
    return [
      { name: names.bilingual, bytes: volume.bilingual.finish(front) },
      { name: names.english, bytes: volume.english.finish(front) },
    ];
  }
}
