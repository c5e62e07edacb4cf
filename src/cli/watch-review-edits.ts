// Tells, for `diglot build --watch`, which review files a person changed: those whose content is
// not what diglot last wrote or imported (the review state's hash).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { ReviewState } from '../review-file/review-state.js';
import { sha256 } from '../util/hash.js';

/**
 * The review files among `files` (absolute paths in the output folder) whose content differs from
 * the state's record of what diglot wrote in them; a file without a record counts as changed
 * (the import compares it with the memory), a file that is gone does not.
 */
export async function editedReviewFiles(config: Config, files: Iterable<string>): Promise<string[]> {
  const state = new ReviewState(path.join(config.root, config.output));
  const edited: string[] = [];
  for (const file of [...files].sort()) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    if ((await state.record(path.basename(file)))?.sha256 !== sha256(text)) edited.push(file);
  }
  return edited;
}
