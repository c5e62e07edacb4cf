// Reads the text of a memory file (JSON Lines, the last line for a segment wins) into its current
// entries, and says which lines could not be read: git conflict markers, broken lines, a cut-off end.
import type { Message } from '../model.js';
import { CONFLICT_MARKER } from '../util/git-unmerged.js';
import { historyItem, parseEntry, type MemoryEntry } from './entry.js';

/** A memory file's text, read. */
export interface Journal {
  /** The current entry per {@link entryKey}, in the order their keys first appear. */
  entries: Map<string, MemoryEntry>;
  /**
   * Lines that are not entries, except a cut-off last line (see `tail`): rule `conflict` for a git
   * conflict marker (`<<<<<<<`, `|||||||`, `=======`, `>>>>>>>`: merged without diglot's driver), else `memory`.
   */
  problems: Message[];
  /**
   * A last line without its newline that is not an entry: the end of a write that was cut off
   * (a killed run). Its 1-based line and where it starts in the text, so a writer can move it aside.
   */
  tail?: { line: number; offset: number; message: string };
  /** The text ends in the middle of a line (complete or not). */
  unterminated: boolean;
}

/** The key of an entry in a memory: its target language and (normalised) German. */
export function entryKey(entry: Pick<MemoryEntry, 'lang' | 'source'>): string {
  return `${entry.lang}\u0000${entry.source}`;
}

/**
 * A later line for the same text, with the earlier line's English in its history when it lacks
 * it (a line added by hand or by a line-wise merge): the last line wins, and no English is lost.
 */
function withEarlier(entry: MemoryEntry, earlier: MemoryEntry | undefined): MemoryEntry {
  if (!earlier || earlier.target === entry.target) return entry;
  if ((entry.history ?? []).some((h) => h.target === earlier.target)) return entry;
  return { ...entry, history: [...(earlier.history ?? []), historyItem(earlier)] };
}

/** Reads a memory file's text (`file` names it in the messages); never throws. */
export function readJournal(text: string, file: string): Journal {
  const entries = new Map<string, MemoryEntry>();
  const problems: Message[] = [];
  const unterminated = text.length > 0 && !text.endsWith('\n');
  const lines = text.split('\n');
  let offset = 0;
  let tail: Journal['tail'];
  lines.forEach((raw, i) => {
    const start = offset;
    offset += raw.length + 1;
    // A byte-order mark an editor put before the first line is no part of its entry.
    const line = i === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') return;
    if (CONFLICT_MARKER.test(line)) {
      problems.push({ file, line: i + 1, rule: 'conflict', severity: 'error', message: `git conflict marker "${line.slice(0, 7)}"` });
      return;
    }
    const parsed = parseEntry(line);
    if (typeof parsed !== 'string') {
      const key = entryKey(parsed);
      entries.set(key, withEarlier(parsed, entries.get(key)));
      return;
    }
    if (i === lines.length - 1 && unterminated)
      tail = { line: i + 1, offset: start, message: `incomplete last line (an interrupted write?): ${parsed}` };
    else problems.push({ file, line: i + 1, rule: 'memory', severity: 'error', message: parsed });
  });
  return { entries, problems, ...(tail ? { tail } : {}), unterminated };
}
