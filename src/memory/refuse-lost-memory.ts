// The guard every command that would write the memory anew passes first: a memory gone or emptied
// while output/ holds a build made with one is refused (rebuilding from it would bill every text again).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { reportedTranslations } from '../render/report.js';
import { InputError } from '../util/errors.js';
import type { TranslationMemory } from './translation-memory.js';

/** What a reviewer's edits would do to a lost memory (the review import, the review app). */
export const EDITS_INTO_LOST_MEMORY =
  'storing edits now would start a new memory holding only them, and the next build would bill every other text again (with a key)';

/**
 * Refuses when the memory is gone or empty but `output/` holds a build made from one (its report
 * counts translations): most likely by mistake (the file deleted, emptied, or not checked out).
 * With a key every text would be billed again; with or without one the review files would be
 * written again without their English, the last copy of a reviewer's work outside git. `harm` says
 * what the command would do then.
 */
export function refuseLostMemory(
  config: Config,
  memory: TranslationMemory,
  harm = 'building now would bill every text again (with a key) and write the review files without their English',
): void {
  if (memory.size > 0) return;
  const report = path.join(config.root, config.output, 'report.json');
  // Translations there were (a build without a key and an empty memory has none).
  if (!existsSync(report) || reportedTranslations(readFileSync(report, 'utf8').slice(0, 2000)) === 0) return;
  throw new InputError(
    `${config.memory} is ${existsSync(memory.file) ? 'empty' : 'gone'}, but ${config.output}/ holds a build made with a memory: ` +
      `${harm}; ` +
      'nothing was sent or written',
    `restore the memory (\`git checkout -- ${config.memory}\`), or remove ${config.output}/ to start afresh`,
  );
}
