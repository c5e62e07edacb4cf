// What a build keeps of each article it rendered (`output/.parts/<id>.<fingerprint of its inputs>.part`):
// its lines of the files every article has a share in, glossary terms, search words, compressed
// chapters and files' stamps, for a rebuild to reuse.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readdir, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/config.js';
import type { Glossary, GlossaryTerm } from '../glossary/glossary.js';
import type { Finding, TranslatedArticle } from '../model.js';
import { findingLine, reportArticle, segmentLines } from '../render/report.js';
import { reviewSummary, type ReviewSummary } from '../render/review-index.js';
import type { FuzzyMatch, KeptMatches } from '../review-file/fuzzy-match.js';
import type { ArticleNav } from '../render/review-html.js';
import { sha256 } from '../util/hash.js';
import type { StoredChapters } from './edition-books.js';
import type { StoredChapter } from './epub.js';
import { stampsOf } from './last-build.js';
import { sameStamp } from './write-atomic.js';
import { stageFile, type FileStamp, type StagedFile } from './write-atomic.js';

/** The folder of the kept parts, in the output folder. */
export const PARTS_DIR = '.parts';

/** A kept parts file's name: the article's id, then the fingerprint of the inputs they were made from. */
const PARTS_NAME = /^(.+)\.([0-9a-f]{64})\.part$/;

/** The article a kept parts file (or its temp file's target) belongs to, by its name; `undefined` for any other file. */
export function partsArticle(file: string): string | undefined {
  return PARTS_NAME.exec(path.basename(file))?.[1];
}

/** Bumped when the parts' shape changes: parts of another version are not read. */
const VERSION = 7;

/**
 * An article's share of the files every article has a part in, as a build that bills nothing
 * writes it (what DeepL billed shows in the report and `segments.jsonl`, for that build alone).
 */
export interface ArticleLines {
  /** Its lines of `findings.jsonl`. */
  findings: string;
  /** Each of its findings' rule, in order. */
  rules: string[];
  /** Its lines of `segments.jsonl`. */
  segments: string;
  /** Its line of `report.json`. */
  report: string;
  /** Its entry in the review index. */
  summary: ReviewSummary;
}

/** An article's {@link ArticleLines}. */
export function articleLines(article: TranslatedArticle, findings: Finding[]): ArticleLines {
  const unbilled = billedNow(article) ? { ...article, segments: article.segments.map((t) => ({ ...t, billedCharacters: 0 })) } : article;
  return {
    findings: findings.map(findingLine).join(''),
    rules: findings.map((f) => f.rule),
    segments: segmentLines(unbilled, findings),
    report: reportArticle(unbilled, findings),
    summary: reviewSummary(article, findings),
  };
}

/** Whether DeepL billed any of the article's texts in this build. */
export function billedNow(article: TranslatedArticle): boolean {
  return article.segments.some((t) => t.billedCharacters > 0);
}

/** What a build keeps of an article it rendered. */
export interface ArticleParts {
  lines: ArticleLines;
  /** The glossary terms its German holds, by index in the glossary. */
  terms: number[];
  /** Its words for the review index's search (see `searchWords`). */
  words: string[];
  /** Its chapters in both books; absent when it was not complete (no chapter). */
  chapters?: StoredChapters;
  /** Its files as written, by name relative to the output folder: a file changed or removed since renders the article again. */
  files: Record<string, FileStamp>;
  /** The fuzzy matches it was rendered with, and what they were found from: a rebuild finding the same takes these. */
  fuzzy?: KeptMatches;
  /** The SHA-256 of the files whose changes by hand are kept (its English Markdown), as written: a file changed only in its stamp is no change. */
  written?: Record<string, string>;
}

/** Where an article sits in the outputs: its volume, its chapter's index in the volume's books, its review page's neighbours. */
export interface ArticlePlace {
  volume: number;
  chapter?: number;
  nav: ArticleNav;
  /** How its links and pictures resolve (see `linkResolutions`). */
  links: string;
}

/**
 * The digest of the running program (the bundle), read once as it is loaded: a build late in a long session
 * (`build --watch`) is keyed by the code that runs it, not by a newer version installed since.
 */
const PROGRAM = sha256(readFileSync(fileURLToPath(import.meta.url)));

/**
 * The program (the running bundle), what it runs on and the config (but its root): what every output
 * depends on. The runtime's versions count too: another Node's zlib compresses the chapters to other
 * bytes, another ICU or Unicode version reads other letters in a text (`\p{L}`, NFC).
 */
export function programSeed(config: Config, runtime: Readonly<Record<string, string | undefined>> = process.versions): string {
  const { root: _root, ...settings } = config;
  const regexps = (_key: string, value: unknown): unknown => (value instanceof RegExp ? String(value) : value);
  const { node, v8, zlib, icu, unicode } = runtime;
  return sha256(`${PROGRAM}\n${JSON.stringify({ node, v8, zlib, icu, unicode })}\n${JSON.stringify(settings, regexps)}`);
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
  // The text goes to the hash as it is (its length first), not through JSON.stringify: it is most of what is hashed.
  return createHash('sha256')
    .update(`${seed}\n${doc.path}\n${doc.text.length}\n`)
    .update(doc.text)
    .update(JSON.stringify([segments, [...matches], place]))
    .digest('hex');
}

/**
 * The kept parts in `<root>/<output>/.parts`: read one article's, stage new ones (not flushed:
 * parts lost in a crash are rendered again), and remove those that no longer describe what is on disk.
 */
export class PartsStore {
  private readonly dir: string;
  private readonly termIndex: Map<GlossaryTerm, number>;
  private listed: Map<string, string> | undefined;

  constructor(
    root: string,
    output: string,
    private readonly glossary: Glossary,
  ) {
    this.dir = path.join(root, output, PARTS_DIR);
    this.termIndex = new Map(glossary.terms.map((t, i) => [t, i]));
  }

  /**
   * An article's kept parts and the fingerprint of the inputs they were made from (it is in the
   * file's name); `undefined` when there are none or they cannot be read.
   */
  read(id: string): { fingerprint: string; parts: ArticleParts } | undefined {
    const fingerprint = this.listing().get(id);
    if (fingerprint === undefined) return undefined;
    try {
      // Synchronous: read between two articles' rendering, a trip to the threadpool would leave the CPU idle.
      const parts = unpack(readFileSync(this.file(id, fingerprint)));
      return parts && { fingerprint, parts };
    } catch {
      return undefined;
    }
  }

  /** Stages an article's parts, to be renamed into place after its outputs. */
  stage(id: string, fingerprint: string, parts: ArticleParts): Promise<StagedFile> {
    return stageFile(this.file(id, fingerprint), pack(parts), { flush: false });
  }

  /** Removes an article's parts: done before its new outputs are put in place, so parts never describe other outputs. */
  async remove(id: string): Promise<void> {
    const fingerprint = this.listing().get(id);
    if (fingerprint !== undefined) await unlink(this.file(id, fingerprint)).catch(() => undefined);
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

  /** Removes the parts of articles not in `ids` (no longer in the sources), and any other file but temp files. */
  async removeOthers(ids: ReadonlySet<string>): Promise<void> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    // Anything else there is gone too: parts of an earlier format, or of articles no longer built.
    const gone = names.filter((n) => {
      const named = PARTS_NAME.exec(n);
      return named === null ? !n.startsWith('.') : !ids.has(named[1] as string);
    });
    await Promise.all(gone.map((n) => unlink(path.join(this.dir, n)).catch(() => undefined)));
  }

  /** The articles with kept parts when the build began: those an earlier build wrote files for. */
  builtBefore(): Set<string> {
    return new Set(this.listing().keys());
  }

  /** The glossary terms of an article's parts. */
  terms(parts: ArticleParts): Set<GlossaryTerm> {
    return new Set(parts.terms.flatMap((i) => this.glossary.terms[i] ?? []));
  }

  /** The glossary indices of a set of terms. */
  termIndices(terms: ReadonlySet<GlossaryTerm>): number[] {
    return [...terms].flatMap((t) => this.termIndex.get(t) ?? []);
  }

  private file(id: string, fingerprint: string): string {
    return path.join(this.dir, `${id}.${fingerprint}.part`);
  }

  /** The fingerprint of each article's kept parts, as the folder held them when first asked. */
  private listing(): Map<string, string> {
    if (this.listed === undefined) {
      this.listed = new Map();
      for (const n of existsSync(this.dir) ? readdirSync(this.dir) : []) {
        const named = PARTS_NAME.exec(n);
        if (named) this.listed.set(named[1] as string, named[2] as string);
      }
    }
    return this.listed;
  }
}

/**
 * The parts in a file: the length of the JSON (4 bytes, little-endian), the JSON (the version and
 * the parts, each chapter's bytes left out, and their sizes), then the compressed chapters' bytes, the bilingual
 * book's first. Binary, since the chapters are most of it: no base64 to encode and decode.
 */
function pack(parts: ArticleParts): Buffer {
  const { chapters, ...rest } = parts;
  const bare = (c: StoredChapter): Omit<StoredChapter, 'entry'> & { entry: Omit<StoredChapter['entry'], 'data'> } => {
    const { data: _data, ...entry } = c.entry;
    return { ...c, entry };
  };
  const described = chapters
    ? { ...rest, chapters: { ...chapters, bilingual: bare(chapters.bilingual), english: bare(chapters.english) } }
    : rest;
  const sizes = chapters ? [chapters.bilingual.entry.data.byteLength, chapters.english.entry.data.byteLength] : [];
  const json = Buffer.from(JSON.stringify({ version: VERSION, parts: described, sizes }));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.byteLength);
  return Buffer.concat([length, json, ...(chapters ? [chapters.bilingual.entry.data, chapters.english.entry.data] : [])]);
}

/** The parts {@link pack} wrote; `undefined` for another version. Throws on a damaged file. */
function unpack(file: Buffer): ArticleParts | undefined {
  const end = 4 + file.readUInt32LE(0);
  const kept = JSON.parse(file.toString('utf8', 4, end)) as { version?: number; parts?: ArticleParts; sizes?: number[] };
  if (kept.version !== VERSION || kept.parts === undefined) return undefined;
  const { chapters } = kept.parts;
  if (!chapters) return kept.parts;
  // Each chapter's bytes, in the order packed; their sizes are the entries' compressed sizes.
  let at = end;
  const bytes = (c: StoredChapter, size: number): StoredChapter => {
    const data = new Uint8Array(file.buffer, file.byteOffset + at, size);
    at += size;
    return { ...c, entry: { ...c.entry, data } };
  };
  const [first = 0, second = 0] = kept.sizes ?? [];
  const bilingual = bytes(chapters.bilingual, first);
  const english = bytes(chapters.english, second);
  if (at !== file.byteLength) throw new Error('parts: the chapters are not as long as described');
  return { ...kept.parts, chapters: { ...chapters, bilingual, english } };
}
