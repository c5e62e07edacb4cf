import { readRegularFileSync } from '../util/read-regular-file.js';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import type { TranslationMemory } from '../memory/translation-memory.js';
import type { SegmentedDocument } from '../model.js';
import { InputError } from '../util/errors.js';
import { atLines } from '../util/format-count.js';
import { shellWord } from '../util/shell-word.js';
import { sha256 } from '../util/hash.js';
import { changeLine, compareReview, olderVersion } from './compare-review.js';
import { encodingProblem } from './review-encoding.js';
import type { Message } from '../model.js';
import { namedReviewFile, parseReview } from './parse-review.js';
import { reconstructRecords } from './reconstruct-records.js';
import { REVIEW_FILE_SUFFIX, ReviewState, reviewFileName, type FileRecord } from './review-state.js';

/** A review file holding work the memory does not have. */
export interface UnimportedFile {
  /** Path relative to the project root, e.g. `output/000_x.review.md`. */
  file: string;
  /** Review-file lines of the changes: the English for a new text, the segment line for an approval. */
  changed: number[];
  /** The memory keys (normalised German) of those changes, in the same order. */
  keys: string[];
  /** Edits that cannot be imported as they are (German, ids, pairs added or deleted). */
  problems: Message[];
  /** A copy saved beside the review files (sent back by mail): the review file of the article its head names. */
  copyOf?: string;
}

/**
 * The review files a build would overwrite that hold edits not imported yet. A file equal to what
 * diglot last wrote or imported is skipped at once (by its hash); any other is parsed and compared
 * with that record (or, without one, with what the memory holds), so a file whose pairs all match
 * the memory, for example after a run that stopped half-way, holds nothing to lose.
 */
export async function findUnimportedEdits(
  config: Config,
  articles: readonly SegmentedDocument[],
  memory: TranslationMemory,
  /** The review state, when the caller has one. */
  known?: ReviewState,
  /** Whether a review file (relative to the root) is known to be as diglot left it, with nothing to import: it is not read. */
  unchanged: (file: string) => boolean = () => false,
): Promise<UnimportedFile[]> {
  const outDir = path.join(config.root, config.output);
  const state = known ?? new ReviewState(outDir);
  let reconstructed: Map<string, FileRecord> | undefined;
  const found: UnimportedFile[] = [];
  // One listing instead of a failed open per article whose review file is not there (yet).
  const present = new Set(await listFiles(outDir));
  for (const article of articles) {
    const name = reviewFileName(article.doc.id);
    if (!present.has(name) || unchanged(path.join(config.output, name))) continue;
    let text: string;
    try {
      // Synchronous, as the record: one review file after another, each a quick read from the page cache.
      text = readRegularFileSync(path.join(outDir, name));
    } catch (error) {
      const { code } = error as NodeJS.ErrnoException;
      if (code === 'ENOENT') continue;
      if (code === 'ENOTREG')
        throw new InputError(
          `${path.join(config.output, name)} is not a regular file (a pipe, a device or a folder)`,
          'remove it, then run again',
        );
      throw error;
    }
    // An emptied file (an editor that crashed while saving) holds no edit: the build writes it anew.
    if (text.trim() === '') continue;
    const recorded = await state.record(name);
    if (recorded && recorded.sha256 === sha256(text)) continue;
    const record = recorded ?? (reconstructed ??= reconstructRecords(articles, memory, config.targetLang)).get(name);
    const held = record && editsHeld(config, name, text, record, memory);
    if (held) found.push(held);
  }
  return found;
}

/**
 * The articles' review files that are an older version saved over the one diglot wrote (an editor's
 * buffer from before the German changed, or another article's file saved under this one's name; see
 * `olderVersion`) and show English for German the article no longer holds. That is no edit the build
 * refuses to overwrite (`review import` names those pairs), but the build keeps such a file in a copy
 * before it writes it anew. Relative to the root.
 */
export async function olderBuffers(
  config: Config,
  articles: readonly SegmentedDocument[],
  state: ReviewState,
  /** Whether a review file (relative to the root) is known to be as diglot left it: it is not read. */
  unchanged: (file: string) => boolean,
): Promise<string[]> {
  const outDir = path.join(config.root, config.output);
  const present = new Set(await listFiles(outDir));
  const found: string[] = [];
  for (const article of articles) {
    const name = reviewFileName(article.doc.id);
    const file = path.join(config.output, name);
    if (!present.has(name) || unchanged(file)) continue;
    const record = await state.record(name);
    const text = textOf(path.join(outDir, name));
    if (text === undefined || !record || record.sha256 === sha256(text)) continue;
    const parsed = parseReview(text, file);
    const written = new Set(record.segments.map((s) => s.id));
    const gone = parsed.pairs.filter((p) => !written.has(p.id) && p.english.join('\n').trim() !== '');
    if (gone.length > 0 && olderVersion(parsed, record)) found.push(file);
  }
  return found;
}

/**
 * The review files diglot wrote for articles no longer in the sources (deleted or renamed), and the
 * copies of review files saved beside them (sent back by mail), that hold edits not imported: a build
 * leaves such a file as it is, and says what it holds.
 */
export async function orphanedEdits(
  config: Config,
  articles: readonly SegmentedDocument[],
  memory: TranslationMemory,
  state: ReviewState,
): Promise<UnimportedFile[]> {
  const outDir = path.join(config.root, config.output);
  const current = new Set(articles.map((a) => reviewFileName(a.doc.id)));
  const found: UnimportedFile[] = [];
  let reconstructed: Map<string, FileRecord> | undefined;
  for (const name of await listFiles(outDir)) {
    if (!name.endsWith(REVIEW_FILE_SUFFIX) || current.has(name)) continue;
    let record = await state.record(name);
    const text = textOf(path.join(outDir, name));
    if (text === undefined) continue;
    // One diglot did not write (a copy sent back by mail, saved beside the files): compared, as `review import`
    // compares it, with the record of the article its head names.
    const named = record ? undefined : namedReviewFile(text);
    if (named !== undefined)
      record = (await state.record(named)) ?? (reconstructed ??= reconstructRecords(articles, memory, config.targetLang)).get(named);
    if (!record) continue;
    const held =
      record.sha256 === sha256(text) || text.trim() === '' ? undefined : editsHeld(config, name, text, record, memory, named !== undefined);
    if (held) found.push(named !== undefined && current.has(named) ? { ...held, copyOf: path.join(config.output, named) } : held);
  }
  return found;
}

/** What the build and `review status` say of a review file {@link orphanedEdits} found. */
export function orphanedLine(u: UnimportedFile, sources: string): string {
  const mend = u.problems.length > 0 ? 'once those lines are mended, ' : '';
  const whose = u.copyOf ? `a copy of ${u.copyOf} diglot did not write` : `its article is no longer in ${sources}/`;
  return `${u.file}: ${whose}, and it holds ${heldIn(u)}; ` + `${mend}\`diglot review import ${shellWord(u.file)}\` stores its edits`;
}

/**
 * What a review file holds beyond what diglot wrote in it (its record) and the memory has; a `copy`
 * (of another file's record) is compared as `review import` compares a copy sent back.
 */
function editsHeld(
  config: Config,
  name: string,
  text: string,
  record: FileRecord,
  memory: TranslationMemory,
  copy = false,
): UnimportedFile | undefined {
  const file = path.join(config.output, name);
  // A file saved in another encoding holds what cannot be imported as it is: said as such.
  const encoding = encodingProblem(path.join(config.root, file), file, text);
  if (encoding) return { file, changed: [], keys: [], problems: [encoding] };
  const parsed = parseReview(text, file);
  // An older version saved over it (an editor's buffer from before the German changed) is read as `review import` reads it.
  const { changes, problems } = compareReview(
    parsed,
    record,
    (source) => memory.lookup(source, config.targetLang),
    false,
    copy || olderVersion(parsed, record),
  );
  if (changes.length === 0 && problems.length === 0) return undefined;
  return {
    file,
    changed: changes.map(changeLine),
    keys: changes.map((c) => c.segment.source),
    problems,
  };
}

/** A review file's text; `undefined` when it cannot be read (gone since it was listed, not a regular file). */
function textOf(file: string): string | undefined {
  try {
    return readRegularFileSync(file);
  } catch {
    return undefined;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** `build` stops: review files hold edits that overwriting would lose. Exit 2; nothing is written. */
/** Each file's line of what it holds: `  output/x.review.md: 2 edits not imported (lines 12, 30)`. */
export function unimportedLines(files: readonly UnimportedFile[]): string[] {
  return files.map((f) => `  ${f.file}: ${heldIn(f)}`);
}

/** What a review file holds: `2 edits not imported (lines 12, 30); 1 change that cannot be imported (line 40)`. */
export function heldIn(f: UnimportedFile): string {
  const parts: string[] = [];
  if (f.changed.length > 0) parts.push(atLines(f.changed, 'edit not imported', 'edits not imported'));
  if (f.problems.length > 0)
    parts.push(
      atLines(
        f.problems.map((p) => p.line),
        'change that cannot be imported',
        'changes that cannot be imported',
      ),
    );
  return parts.join('; ');
}

export class UnimportedEditsError extends InputError {
  constructor(
    readonly files: readonly UnimportedFile[],
    /** The output folder (relative to the root), where --force keeps the copies. */
    output: string,
  ) {
    const lines = unimportedLines(files);
    super(
      `${files.length} review file${files.length === 1 ? ' holds' : 's hold'} edits that are not in the translation memory yet; building would overwrite them, so nothing was written:\n${lines.join('\n')}`,
      'run `diglot review import` to store the edits in the memory, then build again (it shows what cannot be imported, file:line); ' +
        `or \`diglot build --force\` to overwrite the review files without the edits (a copy of each is kept in ${output}/.overwritten/)`,
    );
    this.name = 'UnimportedEditsError';
  }
}
