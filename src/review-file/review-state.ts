// The review state: what diglot last wrote (or imported) in each review file, a record a file in
// `output/.review-state/`, so that a build or an import reads and writes only the records it needs.
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Segment, SegmentKind, TranslatedArticle } from '../model.js';
import { sha256 } from '../util/hash.js';
import { articleTitle } from '../segment/article-title.js';
import { reviewEnglish, reviewGerman, rowStatus } from './review-markdown.js';

/** The review state's folder, in the output folder: one record a review file, `<review file>.json`. */
export const REVIEW_STATE_DIR = '.review-state';

/**
 * The single state file of earlier versions, in the output folder. A record the folder lacks is
 * read from it; the next build moves its records into the folder and removes it.
 */
export const OLD_STATE_FILE = '.diglot-review-state.json';

/** What diglot wrote for one pair. */
export interface SegmentRecord {
  id: string;
  kind: SegmentKind;
  depth?: number;
  /** True when the texts are inline Markdown (a `.md` source), false for escaped plain text. */
  markdown: boolean;
  /** The normalised German: the memory key. */
  source: string;
  /** Hash of the German quote as written. */
  de: string;
  /** Hash of the English block as written; `null` when the translation was missing. */
  en: string | null;
  /** Whether the status written was `approved`. */
  approved: boolean;
  /** The status written, its word alone (`machine`, `reviewed`, `approved`, `missing`, `copied`); absent in records of older versions. */
  label?: string;
  /** True for segments copied from the German (no words to translate): their English is not editable. */
  copy?: boolean;
  /**
   * Set by `review import` on a pair whose English it took into the memory: a reviewer's English, though
   * the status the file shows is still the one diglot wrote (the next build writes both anew).
   */
  imported?: boolean;
  /** The rules of the `<!-- ok: … -->` line written (accepted findings), sorted; absent when none. */
  ok?: string[];
  /** The earlier German (a memory key) whose English the pair showed as its fuzzy match: still its earlier version next time. */
  fuzzy?: string;
}

/** What diglot wrote in one review file. */
export interface FileRecord {
  /** SHA-256 of the whole file as last written or imported; `''` when reconstructed. */
  sha256: string;
  /** The pair whose English the file's head gives as the English title; absent without one, and in records of older versions. */
  title?: string;
  segments: SegmentRecord[];
}

/**
 * Hash of a block of a review file, white space folded and composed (NFC), so re-wrapping a
 * paragraph, or an editor that saves decomposed letters (some macOS tools), is no edit.
 */
export function blockHash(text: string): string {
  return sha256(text.normalize('NFC').replace(/\s+/g, ' ').trim(), 24);
}

/** The {@link blockHash} of an English as a review file shows it in a segment's pair (what a record's `en` holds). */
export function targetHash(target: string, segment: Pick<Segment, 'kind' | 'depth' | 'markdown'>): string {
  return blockHash(reviewEnglish(target, segment));
}

/** How a review file's name ends, after its article's id. */
export const REVIEW_FILE_SUFFIX = '.review.md';

/** The name of an article's review file. */
export function reviewFileName(docId: string): string {
  return `${docId}${REVIEW_FILE_SUFFIX}`;
}

/**
 * The record of a review file diglot writes for an article: per pair the id, the memory key,
 * hashes of the German and English blocks, and the earlier German of the fuzzy match it shows
 * (`matches`). `text` is the file's content (for its hash); without it the record is a
 * reconstruction from the memory, for files written before the state existed.
 */
export function recordOf(translated: TranslatedArticle, text?: string, matches?: ReadonlyMap<string, { source: string }>): FileRecord {
  const title = articleTitle(translated);
  return {
    sha256: text === undefined ? '' : sha256(text),
    ...(title.en === undefined || title.segmentId === undefined ? {} : { title: title.segmentId }),
    segments: translated.segments.map((t) => ({
      id: t.segment.id,
      kind: t.segment.kind,
      ...(t.segment.depth ? { depth: t.segment.depth } : {}),
      markdown: t.segment.markdown,
      source: t.segment.key,
      de: blockHash(reviewGerman(t.segment)),
      en: t.target === undefined ? null : targetHash(t.target, t.segment),
      approved: t.target !== undefined && t.origin !== 'copy' && t.status === 'approved',
      label: rowStatus(t),
      ...(t.origin === 'copy' ? { copy: true } : {}),
      ...(t.accepted && t.accepted.length > 0 && t.origin !== 'copy' ? { ok: [...t.accepted].sort() } : {}),
      ...(matches?.has(t.segment.id) ? { fuzzy: matches.get(t.segment.id)?.source } : {}),
    })),
  };
}

/** Where a review file's record lies, in the output folder `outputDir`. */
export function recordPath(outputDir: string, name: string): string {
  return path.join(outputDir, REVIEW_STATE_DIR, `${name}.json`);
}

/** A record as it is written: valid JSON, one segment a line. */
export function renderRecord(record: FileRecord): string {
  const segments = record.segments.map((s) => `  ${JSON.stringify(s)}`).join(',\n');
  const title = record.title ? `, "title": ${JSON.stringify(record.title)}` : '';
  return `{"sha256": ${JSON.stringify(record.sha256)}${title}, "segments": [\n${segments}\n]}\n`;
}

/**
 * The review state of an output folder, read a record at a time. A missing or damaged record is
 * none: the caller reconstructs it from the memory. Where the folder has no record, the old
 * single state file's is read (see {@link OLD_STATE_FILE}).
 */
export class ReviewState {
  private old: Promise<Record<string, FileRecord>> | undefined;

  constructor(readonly outputDir: string) {}

  /** The record of a review file (by its name in the output folder). */
  async record(name: string): Promise<FileRecord | undefined> {
    let text: string;
    try {
      // Synchronous: a build asks for a record per article, and a trip to the threadpool each costs several times the read.
      text = readFileSync(recordPath(this.outputDir, name), 'utf8');
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? (await this.oldRecords())[name] : undefined;
    }
    return parseRecord(text);
  }

  /** The names of the review files with a record in the folder. */
  async inFolder(): Promise<Set<string>> {
    const names = await readdir(path.join(this.outputDir, REVIEW_STATE_DIR)).catch(() => [] as string[]);
    return new Set(names.filter((n) => n.endsWith('.json') && !n.startsWith('.')).map((n) => n.slice(0, -'.json'.length)));
  }

  /** The names of the review files with a record, in the folder or the old state file. */
  async names(): Promise<Set<string>> {
    const names = await this.inFolder();
    for (const name of Object.keys(await this.oldRecords())) names.add(name);
    return names;
  }

  /** The records of the old single state file: none when it is not there or cannot be read. */
  oldRecords(): Promise<Record<string, FileRecord>> {
    this.old ??= readFile(path.join(this.outputDir, OLD_STATE_FILE), 'utf8')
      .then((text) => {
        const value = JSON.parse(text) as { version?: number; files?: Record<string, FileRecord> };
        return value.version === 1 && value.files && typeof value.files === 'object' ? value.files : {};
      })
      .catch(() => ({}));
    return this.old;
  }
}

/** A record's text, read back; `undefined` when it is not one. */
/** A record kept in a file of its own (beside a copy in `.overwritten/`); `undefined` when there is none or it is damaged. */
export function readRecordFile(file: string): FileRecord | undefined {
  try {
    return parseRecord(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function parseRecord(text: string): FileRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<FileRecord>;
    if (typeof value.sha256 === 'string' && Array.isArray(value.segments)) return value as FileRecord;
  } catch {
    // Damaged (a crash while it was written): no record.
  }
  return undefined;
}
