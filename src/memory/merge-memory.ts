// Three-way merge of memory files by segment, for git's merge driver and for files git already
// conflicted: every entry of both sides kept, an entry changed on both sides resolved by status, then time.
import { formatEntry, historyItem, type HistoryItem, type MemoryEntry } from './entry.js';
import type { Message, Status } from '../model.js';
import { entryKey, readJournal } from './read-journal.js';
import type { GitVersions } from '../util/git-unmerged.js';

/** The result of a merge: the merged file's text and what happened. */
export interface MemoryMerge {
  /** `ours` as it was, followed by one line for each entry whose merged value differs from ours. */
  text: string;
  /** Entries taken from `theirs` (new there, or changed there only). */
  fromTheirs: number;
  /** Entries changed differently on both sides: one text kept current, the other in its history. */
  resolved: number;
  /** Each of those, in the German's order: whose English was kept (and its status), and the other English. */
  settled: Settled[];
  /** Cut-off last lines (a killed run's write) left out of the merge, a message each: ours stays the file's last line. */
  cutOff: string[];
}

/** A segment changed differently on both sides, as the merge settled it. */
export interface Settled {
  source: string;
  kept: 'ours' | 'theirs';
  target: string;
  status: Status;
  /** The other side's English, now in the entry's history. */
  other: string;
}

/** A side of a merge that cannot be read whole: the merge refuses rather than lose its lines. */
export class UnreadableSideError extends Error {
  constructor(
    readonly side: 'base' | 'ours' | 'theirs',
    readonly problems: Message[],
  ) {
    super(`${side}: ${problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
    this.name = 'UnreadableSideError';
  }
}

const RANK: Record<Status, number> = { draft: 0, reviewed: 1, approved: 2 };

/**
 * Merges two memory files that grew from a common ancestor. A segment new or changed on one side
 * only takes that side. A segment changed on both sides keeps the entry with the higher status
 * (approved > reviewed > draft), then the later `updated`, then ours; the other side's English goes
 * into the kept entry's `history` with both histories, so no text is ever dropped; findings the
 * other side accepted join the kept entry's only when both sides hold the same English. The result is
 * `ours` followed by the merged entries that differ from it: a journal whose last line wins, as
 * the memory is. Throws {@link UnreadableSideError} when a side has lines that are not entries,
 * but a cut-off last line (see `cutOff`).
 */
export function mergeMemory(base: string, ours: string, theirs: string): MemoryMerge {
  // A cut-off last line is skipped, as a load skips it: what it held was never a whole entry.
  const cutOff: string[] = [];
  let oursTail = '';
  const [b, o, t] = (['base', 'ours', 'theirs'] as const).map((side, i) => {
    const text = [base, ours, theirs][i] as string;
    const journal = readJournal(text, side);
    if (journal.problems.length > 0) throw new UnreadableSideError(side, journal.problems);
    if (journal.tail) {
      cutOff.push(`${side}: line ${journal.tail.line}: ${journal.tail.message}; left out of the merge`);
      if (side === 'ours') oursTail = text.slice(journal.tail.offset);
    }
    return journal.entries;
  }) as [Map<string, MemoryEntry>, Map<string, MemoryEntry>, Map<string, MemoryEntry>];
  const appended: MemoryEntry[] = [];
  let fromTheirs = 0;
  const settled: Settled[] = [];
  for (const [key, theirsEntry] of t) {
    const oursEntry = o.get(key);
    const baseEntry = b.get(key);
    if (oursEntry !== undefined && same(oursEntry, theirsEntry)) continue;
    if (oursEntry === undefined || (baseEntry !== undefined && same(oursEntry, baseEntry))) {
      appended.push(theirsEntry);
      fromTheirs++;
      continue;
    }
    if (baseEntry !== undefined && same(theirsEntry, baseEntry)) continue;
    const { merged, kept } = resolve(oursEntry, theirsEntry, baseEntry);
    const other = (kept === 'ours' ? theirsEntry : oursEntry).target;
    settled.push({ source: theirsEntry.source, kept, target: merged.target, status: merged.status, other });
    if (!same(merged, oursEntry)) appended.push(merged);
  }
  appended.sort((x, y) => (entryKey(x) < entryKey(y) ? -1 : 1));
  settled.sort((x, y) => (x.source < y.source ? -1 : 1));
  // Our cut-off line stays the last line, where the next write of the memory moves it aside (to `.rejected`).
  const kept = ours.slice(0, ours.length - oursTail.length);
  const head = kept.length > 0 && !kept.endsWith('\n') ? `${kept}\n` : kept;
  const text = head + appended.map((e) => `${formatEntry(e)}\n`).join('') + oursTail;
  return { text, fromTheirs, resolved: settled.length, settled, cutOff };
}

/**
 * Whether a memory file git lists as unmerged lacks something of the other side, as it is `now`: a
 * merge of git's versions with it would change it (or cannot be made, a version not read whole).
 * False once the other side is in it, merged by hand or by `diglot memory merge`.
 */
export function lacksTheirs(versions: GitVersions, now: string): boolean {
  try {
    return mergeMemory(versions.base, now, versions.theirs).text !== now;
  } catch (error) {
    if (error instanceof UnreadableSideError) return true;
    throw error;
  }
}

/**
 * One entry from two that both changed: the winner (and whose it is), carrying the loser's English and both histories.
 * Where both hold the same English, what the loser alone changed of it since `base` joins too: its accepted findings,
 * and the DeepL settings it was made again with (`retranslate` of an English that came back as it was), which the
 * winner's older settings would otherwise undo, for the next `retranslate --settings-changed` to bill again.
 */
function resolve(ours: MemoryEntry, theirs: MemoryEntry, base: MemoryEntry | undefined): { merged: MemoryEntry; kept: 'ours' | 'theirs' } {
  const theirsWins = RANK[theirs.status] - RANK[ours.status] || (theirs.updated > ours.updated ? 1 : 0);
  const [winner, loser] = theirsWins > 0 ? [theirs, ours] : [ours, theirs];
  const items: HistoryItem[] = [...(winner.history ?? []), ...(loser.history ?? [])];
  if (loser.target !== winner.target) items.push(historyItem(loser));
  // In time order, each English once, where it first came (both sides hold the English they both
  // replaced, and each its own DeepL draft of the same text): no text is dropped, none is told twice.
  const seen = new Set<string>();
  const history = items
    .sort((x, y) => (x.updated < y.updated ? -1 : x.updated > y.updated ? 1 : 0))
    .filter((item) => {
      if (seen.has(item.target)) return false;
      seen.add(item.target);
      return true;
    });
  // biome-ignore lint/complexity/useMathMinMax: ISO 8601 times, compared as strings
  const created = ours.created < theirs.created ? ours.created : theirs.created;
  // Accepted findings hold for the English they were accepted for: the loser's join only when its English is the winner's.
  const accepted = [...(winner.accepted ?? [])];
  if (loser.target === winner.target) for (const a of loser.accepted ?? []) if (!accepted.some((w) => w.rule === a.rule)) accepted.push(a);
  const { accepted: _, settings: winnerSettings, ...rest } = winner;
  const resent =
    loser.target === winner.target &&
    loser.settings !== undefined &&
    loser.settings !== base?.settings &&
    winnerSettings === base?.settings;
  const settings = resent ? loser.settings : winnerSettings;
  const merged = {
    ...rest,
    created,
    ...(history.length > 0 ? { history } : {}),
    ...(settings !== undefined ? { settings } : {}),
    ...(accepted.length > 0 ? { accepted } : {}),
  };
  return { merged, kept: theirsWins > 0 ? 'theirs' : 'ours' };
}

function same(a: MemoryEntry, b: MemoryEntry): boolean {
  return formatEntry(a) === formatEntry(b);
}
