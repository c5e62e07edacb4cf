// The glossary as DeepL last received it from `glossary sync`: a small committed file beside the
// glossary, so that `glossary sync --dry-run` shows what changed since without a key.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../util/errors.js';
import { CONFLICT_MARKER } from '../util/git-unmerged.js';
import { writeAtomic } from '../write/write-atomic.js';
import { byCodeUnits } from '../util/by-code-units.js';

/** What the last successful `glossary sync` sent. */
export interface SyncedState {
  /** The DeepL glossary's name (the project prefix and the hash of the entries). */
  glossary: string;
  /** The entries sent, source → target, sorted by source. */
  entries: Array<[string, string]>;
}

/** Where the synced state of a glossary file lives: beside it, `terms.csv` → `terms.synced.json`. */
export function syncedStatePath(glossaryFile: string): string {
  const { dir, name } = path.parse(glossaryFile);
  return path.join(dir, `${name}.synced.json`);
}

/**
 * Reads the synced state; `undefined` when there is none yet. A file that is not the JSON
 * `writeSyncedState` writes is an InputError naming file and line (`display` names it).
 */
export async function readSyncedState(file: string, display = file): Promise<SyncedState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const hint = 'it is written by `diglot glossary sync`; restore it from git, or delete it to compare with an empty glossary';
  const marked = text.split('\n').findIndex((line) => CONFLICT_MARKER.test(line));
  if (marked !== -1)
    throw new InputError(
      `${display}:${marked + 1}: git left it unmerged (two clones synced the glossary): ` + 'it only records what the last sync sent DeepL',
      `take either side (\`git checkout --theirs ${display}\`) or run \`diglot glossary sync\`, which writes it anew; then \`git add\` it`,
    );
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = Number(/position (\d+)/.exec(message)?.[1] ?? Number.NaN);
    const line = /line (\d+)/.exec(message)?.[1] ?? (Number.isNaN(position) ? 1 : text.slice(0, position).split('\n').length);
    throw new InputError(`${display}:${line}: not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, hint);
  }
  const record = data as { glossary?: unknown; entries?: unknown };
  const entries = record?.entries;
  if (
    typeof record !== 'object' ||
    record === null ||
    typeof entries !== 'object' ||
    entries === null ||
    Array.isArray(entries) ||
    !Object.values(entries).every((v) => typeof v === 'string')
  ) {
    throw new InputError(`${display}:1: not a synced glossary state: expected {"glossary": name, "entries": {German: English, …}}`, hint);
  }
  return {
    glossary: typeof record.glossary === 'string' ? record.glossary : '',
    entries: Object.entries(entries as Record<string, string>).sort(([a], [b]) => byCodeUnits(a, b)),
  };
}

/** Writes the state atomically, one entry a line (so that a commit's diff shows the entries that changed). */
export async function writeSyncedState(file: string, state: SyncedState): Promise<void> {
  const lines = state.entries.map(([de, en]) => `    ${JSON.stringify(de)}: ${JSON.stringify(en)}`);
  const entries = lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n  }`;
  await writeAtomic(file, `{\n  "glossary": ${JSON.stringify(state.glossary)},\n  "entries": ${entries}\n}\n`);
}
