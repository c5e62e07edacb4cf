// The books of a build: one pair (bilingual and English), or one pair a volume when the config
// splits the edition; a volume's books are finished as soon as its last article has been added.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Root } from 'mdast';
import type { Config } from '../config/config.js';
import type { Glossary } from '../glossary/glossary.js';
import type { SegmentTerms } from '../glossary/match-terms.js';
import type { TranslatedArticle, Volume } from '../model.js';
import { EditionBuilder } from '../render/build-edition.js';
import type { LinkTargets } from '../render/resolve-link.js';
import { EpubBook, type BookPicture } from './epub.js';

/** A finished book: its file name in the output folder and its bytes. */
export interface FinishedBook {
  name: string;
  bytes: Uint8Array;
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
 * Takes every article of the build in source order (`add`), renders the complete ones into their
 * volume's books, and hands back a volume's two books once all its articles are in: memory then
 * holds the open volumes only (one, when the articles come in volume order). `finish` hands back
 * the books still open (the one book of an edition without volumes always waits for it, so its
 * bytes never depend on the order). A book without a chapter is not written.
 */
export class EditionBooks {
  private readonly edition: EditionBuilder;
  private readonly open = new Map<number, OpenVolume>();

  constructor(
    private readonly config: Config,
    glossary: Glossary,
    private readonly targets: LinkTargets,
  ) {
    this.edition = new EditionBuilder(config, glossary, targets);
  }

  /**
   * Adds an article's chapters to its volume's books when it is complete (its German `tree` is
   * changed); returns the books of its volume when it was the volume's last article.
   */
  add(article: TranslatedArticle, terms: SegmentTerms, tree: Root, complete: boolean): FinishedBook[] {
    const index = this.edition.volumeOf(article.article.doc.id);
    const volume = this.volume(index);
    if (complete) {
      const chapter = this.edition.add(article, terms, tree);
      const pictures = chapter.images
        .filter((i) => !volume.packed.has(i.href))
        .map((i): BookPicture => {
          volume.packed.add(i.href);
          return { href: i.href, mediaType: i.mediaType, bytes: readFileSync(path.join(this.config.root, i.file)) };
        });
      volume.bilingual.addChapter(chapter, pictures);
      volume.english.addChapter(chapter, pictures);
    }
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
