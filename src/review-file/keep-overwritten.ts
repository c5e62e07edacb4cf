// Keeps a copy of each file a build writes over while it holds work stored nowhere else (a review file
// with edits not imported, English Markdown changed by hand), in `output/.overwritten/`.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { storageError } from '../util/errors.js';
import { makeFolder } from '../util/make-folder.js';
import { writeAtomic } from '../write/write-atomic.js';
import { ENGLISH_SUFFIX } from '../render/english-markdown.js';
import { recordPath, REVIEW_FILE_SUFFIX } from './review-state.js';

/** What the names of the files kept end with, after their article's id. */
const KEPT_SUFFIXES = [REVIEW_FILE_SUFFIX, ENGLISH_SUFFIX];

/** The folder of the kept copies, in the output folder. */
export const OVERWRITTEN_DIR = '.overwritten';

/**
 * The record a review file's copy was written with (see `FileRecord`), kept beside it, hidden:
 * `review import COPY` compares the copy against it, as the file would have been compared.
 */
export function keptRecordPath(copy: string): string {
  return path.join(path.dirname(copy), `.${path.basename(copy)}.json`);
}

/**
 * Copies each file (relative to the root) to `<output>/.overwritten/<id>.<time>.review.md` (or
 * `.en.md`), flushed before anything overwrites it; returns each copy's path relative to the root,
 * by file. A review file's copy keeps its head, which names its article: `review import COPY`
 * compares it as a mailed copy, or, for one `asWritten`, against its record kept beside it
 * ({@link keptRecordPath}), as the file it was.
 */
export async function keepOverwritten(
  config: Config,
  files: readonly string[],
  time: string,
  /** The review files that are as diglot wrote them but for edits not imported: their records go with their copies. */
  asWritten: ReadonlySet<string> = new Set(),
): Promise<Map<string, string>> {
  const copies = new Map<string, string>();
  if (files.length === 0) return copies;
  const dir = path.join(config.output, OVERWRITTEN_DIR);
  // 2026-11-30T10:58:03.123Z → 20261130T105803Z: sorts by time, and is a file name everywhere.
  const stamp = `${time.slice(0, 19).replace(/[-:]/g, '')}Z`;
  try {
    await makeFolder(path.join(config.root, dir));
    for (const file of files) {
      const suffix = KEPT_SUFFIXES.find((end) => file.endsWith(end)) ?? path.extname(file);
      const id = path.basename(file).slice(0, -suffix.length);
      // Two builds in one second each keep their copy: the second is numbered.
      let copy = path.join(dir, `${id}.${stamp}${suffix}`);
      for (let n = 2; existsSync(path.join(config.root, copy)); n++) copy = path.join(dir, `${id}.${stamp}-${n}${suffix}`);
      await writeAtomic(path.join(config.root, copy), await readFile(path.join(config.root, file)));
      if (asWritten.has(file)) {
        const record = await readFile(recordPath(path.join(config.root, config.output), path.basename(file)), 'utf8').catch(
          () => undefined,
        );
        if (record !== undefined) await writeAtomic(path.join(config.root, keptRecordPath(copy)), record);
      }
      copies.set(file, copy);
    }
  } catch (error) {
    throw storageError(error, dir, 'nothing was overwritten');
  }
  return copies;
}
