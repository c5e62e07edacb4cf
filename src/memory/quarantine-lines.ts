// Moves the lines of a memory file that are not entries to `<file>.rejected`, for `memory compact
// --quarantine`: the file then loads, and nothing is deleted.
import { appendFile, readFile } from 'node:fs/promises';
import { InputError, storageError } from '../util/errors.js';
import { writeAtomic } from '../write/write-atomic.js';
import { readJournal } from './read-journal.js';
import { splitConflicted } from './split-conflicted.js';

/**
 * Moves every unreadable line (a cut-off last line too) to `<file>.rejected`, each after a comment
 * naming its line, and rewrites the file without them; a conflict marker outside any whole conflict
 * block too. Refuses a file with whole conflict blocks: both sides are translations, which `diglot
 * memory merge` keeps. Returns how many lines moved.
 */
export async function quarantineLines(file: string, displayName: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const journal = readJournal(text, displayName);
  // Whole conflict blocks hold both sides' translations; a marker left alone (a conflict settled by hand) is set aside.
  if (splitConflicted(text) !== undefined) {
    throw new InputError(
      `${displayName} holds git conflict markers: both sides are translations, not lines to set aside`,
      'run `diglot memory merge` instead',
    );
  }
  const bad = new Set([...journal.problems.map((p) => p.line), ...(journal.tail ? [journal.tail.line] : [])]);
  if (bad.size === 0) return 0;
  const lines = text.split('\n');
  const moved = lines.flatMap((line, i) => (bad.has(i + 1) ? [`# ${displayName}:${i + 1}`, line] : []));
  const kept = lines.filter((_, i) => !bad.has(i + 1)).join('\n');
  try {
    await appendFile(`${file}.rejected`, `${moved.join('\n')}\n`, { flush: true });
    await writeAtomic(file, kept.endsWith('\n') || kept === '' ? kept : `${kept}\n`);
  } catch (error) {
    throw storageError(error, displayName, 'the memory file is as it was');
  }
  return bad.size;
}
