import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SegmentKind, TranslatedArticle } from '../model.js';
import { sha256 } from '../util/hash.js';
import { reviewEnglish, reviewGerman } from './review-markdown.js';

/** The state file, in the output folder: what diglot last wrote (or imported) in each review file. */
export const REVIEW_STATE_FILE = '.diglot-review-state.json';

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
  /** True for segments copied unchanged (no words to translate): their English is not editable. */
  copy?: boolean;
  /** The rules of the `<!-- ok: … -->` line written (accepted findings), sorted; absent when none. */
  ok?: string[];
}

/** What diglot wrote in one review file. */
export interface FileRecord {
  /** SHA-256 of the whole file as last written or imported; `''` when reconstructed. */
  sha256: string;
  segments: SegmentRecord[];
}

/** The state file: one record per review file, by file name. */
export interface ReviewState {
  version: 1;
  files: Record<string, FileRecord>;
}

/** Hash of a block of a review file, white space folded, so re-wrapping a paragraph is no edit. */
export function blockHash(text: string): string {
  return sha256(text.replace(/\s+/g, ' ').trim(), 24);
}

/** The name of an article's review file. */
export function reviewFileName(docId: string): string {
  return `${docId}.review.md`;
}

/**
 * The record of a review file diglot writes for an article: per pair the id, the memory key, and
 * hashes of the German and English blocks. `text` is the file's content (for its hash); without
 * it the record is a reconstruction from the memory, for files written before the state existed.
 */
export function recordOf(translated: TranslatedArticle, text?: string): FileRecord {
  return {
    sha256: text === undefined ? '' : sha256(text),
    segments: translated.segments.map((t) => ({
      id: t.segment.id,
      kind: t.segment.kind,
      ...(t.segment.depth ? { depth: t.segment.depth } : {}),
      markdown: t.segment.markdown,
      source: t.segment.key,
      de: blockHash(reviewGerman(t.segment)),
      en: t.target === undefined ? null : blockHash(reviewEnglish(t.target, t.segment)),
      approved: t.target !== undefined && t.origin !== 'copy' && t.status === 'approved',
      ...(t.origin === 'copy' ? { copy: true } : {}),
      ...(t.accepted && t.accepted.length > 0 && t.origin !== 'copy' ? { ok: [...t.accepted].sort() } : {}),
    })),
  };
}

/** Reads the state of an output folder; a missing or unreadable file is an empty state. */
export async function readReviewState(outputDir: string): Promise<ReviewState> {
  try {
    const value = JSON.parse(await readFile(path.join(outputDir, REVIEW_STATE_FILE), 'utf8')) as Partial<ReviewState>;
    if (value.version === 1 && value.files && typeof value.files === 'object') return { version: 1, files: value.files };
  } catch {
    // Missing or damaged: the records are reconstructed from the memory instead.
  }
  return { version: 1, files: {} };
}

/** The state file's content: valid JSON, files sorted by name, one segment a line. */
export function renderReviewState(state: ReviewState): string {
  return [...stateFilePieces(Object.keys(state.files), (name) => stateEntry(name, state.files[name] as FileRecord))].join('');
}

/** One review file's entry in the state file, as it is written there. */
export function stateEntry(name: string, record: FileRecord): string {
  const segments = record.segments.map((s) => `  ${JSON.stringify(s)}`).join(',\n');
  return `${JSON.stringify(name)}: {"sha256": ${JSON.stringify(record.sha256)}, "segments": [\n${segments}\n]}`;
}

/** The state file from the names of its review files and their entries ({@link stateEntry}), in name order, a piece at a time. */
export function* stateFilePieces(names: readonly string[], entry: (name: string) => string): Generator<string> {
  yield '{"version": 1, "files": {\n';
  for (const [i, name] of [...names].sort().entries()) yield `${i === 0 ? '' : ',\n'}${entry(name)}`;
  yield '\n}}\n';
}
