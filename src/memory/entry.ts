import type { Origin, Status } from '../model.js';

/** An earlier target of an entry, kept when a reviewer or an import replaced it. */
export interface HistoryItem {
  target: string;
  origin: Origin;
  status: Status;
  updated: string;
}

/** One translation memory entry: one line of the memory file. */
export interface MemoryEntry {
  /** The normalised German source: the lookup key (with `lang`). */
  source: string;
  target: string;
  /**
   * The target's format: inline Markdown (from a `.md` article) or plain text (`.txt`). A segment of
   * the other format converts it when it reads it. Absent in older entries: taken as written in
   * the format of the segment that reads it.
   */
  markdown?: boolean;
  /** Target language, e.g. `en-US`. */
  lang: string;
  origin: Origin;
  status: Status;
  /** ISO 8601 times. */
  created: string;
  updated: string;
  history?: HistoryItem[];
}

/** Serialises an entry with a fixed key order, so the file diffs line by line. */
export function formatEntry(entry: MemoryEntry): string {
  const ordered: MemoryEntry = {
    source: entry.source,
    target: entry.target,
    ...(entry.markdown !== undefined ? { markdown: entry.markdown } : {}),
    lang: entry.lang,
    origin: entry.origin,
    status: entry.status,
    created: entry.created,
    updated: entry.updated,
    ...(entry.history && entry.history.length > 0 ? { history: entry.history } : {}),
  };
  return JSON.stringify(ordered);
}

const ORIGINS = new Set(['human', 'deepl', 'tmx', 'copy']);
const STATUSES = new Set(['draft', 'reviewed', 'approved']);

/** Parses one line of the memory file; returns an error message instead of throwing. */
export function parseEntry(line: string): MemoryEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const e = value as Record<string, unknown>;
  for (const key of ['source', 'target', 'lang', 'created', 'updated'] as const) {
    if (typeof e[key] !== 'string' || e[key] === '') return `"${key}" must be a non-empty string`;
  }
  if (!ORIGINS.has(e['origin'] as string)) return `"origin" must be one of ${[...ORIGINS].join(', ')}`;
  if (!STATUSES.has(e['status'] as string)) return `"status" must be one of ${[...STATUSES].join(', ')}`;
  if (e['markdown'] !== undefined && typeof e['markdown'] !== 'boolean') return '"markdown" must be true or false';
  return value as MemoryEntry;
}
