import type { Origin, Status } from '../model.js';

/** An earlier target of an entry, kept when a reviewer or an import replaced it. */
export interface HistoryItem {
  target: string;
  origin: Origin;
  status: Status;
  updated: string;
  /** A machine translation's settings hash (see `MemoryEntry.settings`), so that one brought back is known for what it is. */
  settings?: string;
}

/**
 * A finding a reviewer accepted as it stands (a false positive): it no longer counts (`--strict`,
 * the review page, the report) while the entry's target stays the same.
 */
export interface Acceptance {
  /** The check's rule, e.g. `term`, `number`, `untranslated`. */
  rule: string;
  /** Who accepted it, where known (the reviewer's name). */
  by?: string;
  /** ISO 8601 time. */
  at: string;
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
  /**
   * Machine translations (origin `deepl`): a short hash of the DeepL settings and glossary that made
   * the target, so `retranslate --settings-changed` can find those made otherwise.
   */
  settings?: string;
  /** Findings accepted for this target. Any write of a new target drops them: they held for the old one. */
  accepted?: Acceptance[];
}

/** An entry's English as its history keeps it, once another English replaced it. */
export function historyItem(entry: Pick<MemoryEntry, 'target' | 'origin' | 'status' | 'updated' | 'settings'>): HistoryItem {
  return {
    target: entry.target,
    origin: entry.origin,
    status: entry.status,
    updated: entry.updated,
    ...(entry.settings !== undefined ? { settings: entry.settings } : {}),
  };
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
    ...(entry.settings !== undefined ? { settings: entry.settings } : {}),
    ...(entry.accepted && entry.accepted.length > 0 ? { accepted: entry.accepted } : {}),
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
  if (e['settings'] !== undefined && typeof e['settings'] !== 'string') return '"settings" must be a string';
  if (e['accepted'] !== undefined && !isAcceptanceList(e['accepted'])) return '"accepted" must be a list of { rule, at, by? }';
  const earlier = (item: Record<string, unknown>): boolean =>
    typeof item['target'] === 'string' &&
    ORIGINS.has(item['origin'] as string) &&
    STATUSES.has(item['status'] as string) &&
    typeof item['updated'] === 'string' &&
    optionalString(item['settings']);
  if (!listOf(e['history'], earlier)) return '"history" must be a list of { target, origin, status, updated, settings? }';
  // Language tags are read in any case (`en-us`, `EN-US`), and kept in their usual one (`en-US`), as the config gives them.
  const lang = canonicalTag(e['lang'] as string);
  return lang === e['lang'] ? (value as MemoryEntry) : { ...(value as MemoryEntry), lang };
}

/** Whether a value is a list of accepted findings, `{ rule, at, by? }` each (as an entry's `accepted` holds them). */
export function isAcceptanceList(value: unknown): value is Acceptance[] {
  const valid = (item: Record<string, unknown>): boolean =>
    typeof item['rule'] === 'string' && typeof item['at'] === 'string' && optionalString(item['by']);
  return value !== undefined && listOf(value, valid);
}

/** Whether a field is absent or a string. */
function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** Whether an optional field is absent or a list of objects each `valid` takes. */
function listOf(value: unknown, valid: (item: Record<string, unknown>) => boolean): boolean {
  if (value === undefined) return true;
  return Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && valid(v as Record<string, unknown>));
}

/** A language tag in its usual case (`en-us` → `en-US`); as it is when it is no valid tag. */
export function canonicalTag(tag: string): string {
  // Already so (`en-US`, `de`): most tags, and asking Intl costs microseconds a line.
  if (/^[a-z]{2,3}(?:-[A-Z]{2})?$/.test(tag)) return tag;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? tag;
  } catch {
    return tag;
  }
}
