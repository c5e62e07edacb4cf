// What a build keeps of each article it rendered (`output/.parts/<id>.json`): the fingerprint of its
// inputs, its findings, glossary terms, compressed chapters and files' stamps, so a rebuild reuses it.
import { readFileSync } from 'node:fs';
import { readFile, readdir, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import type { Glossary, GlossaryTerm } from '../glossary/glossary.js';
import type { Finding, TranslatedArticle } from '../model.js';
import type { FuzzyMatch } from '../review-file/fuzzy-match.js';
import type { ArticleNav } from '../render/review-html.js';
import { sha256 } from '../util/hash.js';
import type { StoredChapters } from './edition-books.js';
import type { StoredChapter } from './epub.js';
import { sameStamp, stampsOf } from './last-build.js';
import { stageFile, type FileStamp, type StagedFile } from './write-atomic.js';

/** The folder of the kept parts, in the output folder. */
export const PARTS_DIR = '.parts';

/** Bumped when the parts' shape changes: parts of another version are not read. */
const VERSION = 2;

/** What a build keeps of an article it rendered. */
export interface ArticleParts {
  /** The article's inputs when it was rendered (see {@link articleFingerprint}). */
  fingerprint: string;
  findings: Finding[];
  /** The glossary terms its German holds, by index in the glossary. */
  terms: number[];
  /** Its words for the review index's search (see `searchWords`). */
  words: string[];
  /** Its chapters in both books; absent when it was not complete (no chapter). */
  chapters?: StoredChapters;
  /** Its files as written, by name relative to the output folder: a file changed or removed since renders the article again. */
  files: Record<string, FileStamp>;
}

/** Where an article sits in the outputs: its volume, its chapter's index in the volume's books, its review page's neighbours. */
export interface ArticlePlace {
  volume: number;
  chapter?: number;
  nav: ArticleNav;
  /** How its links and pictures resolve (see `linkResolutions`). */
  links: string;
}

/** The program (the running bundle) and the config (but its root): what every output depends on. */
export function programSeed(config: Config): string {
  const { root: _root, ...settings } = config;
  const program = readFileSync(fileURLToPath(import.meta.url));
  const regexps = (_key: string, value: unknown): unknown => (value instanceof RegExp ? String(value) : value);
  return sha256(`${sha256(program)}\n${JSON.stringify(settings, regexps)}`);
}

/**
 * What every article's outputs depend on besides the article: the {@link programSeed} and the
 * glossary. A change to any of them renders every article again.
 */
export function partsSeed(program: string, glossary: Glossary): string {
  return sha256(`${VERSION}\n${program}\n${JSON.stringify(glossary.terms)}`);
}

/**
 * The fingerprint of what an article's outputs are rendered from: the seed, its source file, the
 * English, origin, status, date and accepted findings of each segment, its fuzzy matches and its
 * place. What DeepL billed this run is not in it: only the report shows that, and it is rendered anew.
 */
export function articleFingerprint(
  seed: string,
  article: TranslatedArticle,
  matches: ReadonlyMap<string, FuzzyMatch>,
  place: ArticlePlace,
): string {
  const { doc } = article.article;
  const segments = article.segments.map((t) => [
    t.target ?? null,
    t.origin ?? null,
    t.status ?? null,
    t.updated ?? null,
    t.accepted ?? null,
  ]);
  return sha256(JSON.stringify([seed, doc.path, doc.text, segments, [...matches], place]));
}

/**
 * The kept parts in `<root>/<output>/.parts`: read one article's, stage new ones (not flushed:
 * parts lost in a crash are rendered again), and remove those that no longer describe what is on disk.
 */
export class PartsStore {
  private readonly dir: string;
  private readonly termIndex: Map<GlossaryTerm, number>;

  constructor(
    root: string,
    output: string,
    private readonly glossary: Glossary,
  ) {
    this.dir = path.join(root, output, PARTS_DIR);
    this.termIndex = new Map(glossary.terms.map((t, i) => [t, i]));
  }

  /** An article's kept parts; `undefined` when there are none or they cannot be read. */
  async read(id: string): Promise<ArticleParts | undefined> {
    try {
      const kept = JSON.parse(await readFile(this.file(id), 'utf8')) as { version?: number; parts?: JsonParts };
      return kept.version === VERSION && kept.parts ? fromJson(kept.parts) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stages an article's parts, to be renamed into place after its outputs. */
  stage(id: string, parts: ArticleParts): Promise<StagedFile> {
    return stageFile(this.file(id), JSON.stringify({ version: VERSION, parts: toJson(parts) }), { flush: false });
  }

  /** Removes an article's parts: done before its new outputs are put in place, so parts never describe other outputs. */
  async remove(id: string): Promise<void> {
    await unlink(this.file(id)).catch(() => undefined);
  }

  /** Whether the files the parts describe are on disk as they were written. */
  filesUnchanged(parts: ArticleParts, out: string): boolean {
    const now = stampsOf(out, Object.keys(parts.files));
    return Object.entries(parts.files).every(([name, was]) => sameStamp(was, now[name]));
  }

  /** Removes the parts' folder when a failed build made it and left it empty. */
  async discard(): Promise<void> {
    await rmdir(this.dir).catch(() => undefined);
  }

  /** Removes the parts of articles not in `ids` (no longer in the sources). */
  async removeOthers(ids: ReadonlySet<string>): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(
      names
        .filter((n) => n.endsWith('.json') && !ids.has(n.slice(0, -5)))
        .map((n) => unlink(path.join(this.dir, n)).catch(() => undefined)),
    );
  }

  /** The glossary terms of an article's parts. */
  terms(parts: ArticleParts): Set<GlossaryTerm> {
    return new Set(parts.terms.flatMap((i) => this.glossary.terms[i] ?? []));
  }

  /** The glossary indices of a set of terms. */
  termIndices(terms: ReadonlySet<GlossaryTerm>): number[] {
    return [...terms].flatMap((t) => this.termIndex.get(t) ?? []);
  }

  private file(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }
}

/** A stored chapter as JSON: its compressed bytes in base64. */
type JsonChapter = Omit<StoredChapter, 'entry'> & { entry: Omit<StoredChapter['entry'], 'data'> & { data: string } };
type JsonParts = Omit<ArticleParts, 'chapters'> & {
  chapters?: { bilingual: JsonChapter; english: JsonChapter; images: StoredChapters['images'] };
};

function toJson(parts: ArticleParts): JsonParts {
  const chapter = (c: StoredChapter): JsonChapter => ({ ...c, entry: { ...c.entry, data: Buffer.from(c.entry.data).toString('base64') } });
  const { chapters, ...rest } = parts;
  return chapters
    ? { ...rest, chapters: { bilingual: chapter(chapters.bilingual), english: chapter(chapters.english), images: chapters.images } }
    : rest;
}

function fromJson(parts: JsonParts): ArticleParts {
  const chapter = (c: JsonChapter): StoredChapter => ({
    ...c,
    entry: { ...c.entry, data: new Uint8Array(Buffer.from(c.entry.data, 'base64')) },
  });
  const { chapters, ...rest } = parts;
  return chapters
    ? { ...rest, chapters: { bilingual: chapter(chapters.bilingual), english: chapter(chapters.english), images: chapters.images } }
    : rest;
}
