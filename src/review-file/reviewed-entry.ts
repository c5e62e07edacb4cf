// The memory entry a reviewer's change makes: one code path for `review import` and the review app.
import { historyItem, type Acceptance, type HistoryItem, type MemoryEntry } from '../memory/entry.js';
import type { Status } from '../model.js';
import type { ReviewChange } from './compare-review.js';
import type { SegmentRecord } from './review-state.js';

/** What a reviewer changed in one pair: the parts of a {@link ReviewChange} the memory entry is made of. */
export type ReviewedChange = Pick<ReviewChange, 'kind' | 'target' | 'status' | 'before'> & {
  segment: Pick<SegmentRecord, 'source' | 'markdown'>;
  /** An earlier English brought back (the review app's Revert): it is again what it was, its origin, status and settings too. */
  restored?: HistoryItem;
  /** The rules accepted after the change; absent: as before for the same English, none for new English. */
  accepted?: readonly string[];
};

/**
 * The entry that records a reviewer's change: new English becomes the target with origin human,
 * the previous target going into the history, and no accepted findings but those given with it
 * (they held for the old English); an approval (or its withdrawal) or an acceptance changes the
 * status or the accepted findings alone. A newly accepted rule is recorded with `by` (where
 * known) and `time`; one accepted before keeps its own.
 */
export function reviewedEntry(change: ReviewedChange, lang: string, time: string, by?: string): MemoryEntry {
  const { before } = change;
  if (change.kind === 'approved' || change.kind === 'unapproved' || change.kind === 'reviewed' || change.kind === 'accepted') {
    // The text stays; only the reviewer's verdict changes.
    const entry = before as MemoryEntry;
    const { accepted: _, ...rest } = entry;
    const accepted = change.accepted === undefined ? (entry.accepted ?? []) : acceptances(change.accepted, entry.accepted, by, time);
    return { ...rest, status: change.status, updated: time, ...(accepted.length > 0 ? { accepted } : {}) };
  }
  const accepted = acceptances(change.accepted ?? [], undefined, by, time);
  const { restored } = change;
  return {
    source: change.segment.source,
    target: change.target,
    markdown: change.segment.markdown,
    lang,
    origin: restored?.origin ?? 'human',
    status: restored?.status ?? change.status,
    ...(restored?.settings !== undefined ? { settings: restored.settings } : {}),
    created: before?.created ?? time,
    updated: time,
    ...(before
      ? {
          history: [...(before.history ?? []), historyItem(before)],
        }
      : {}),
    ...(accepted.length > 0 ? { accepted } : {}),
  };
}

/**
 * The status an approval withdrawn leaves: reviewed for a human's English, a draft for a machine's
 * (approving it was all the review it had).
 */
export function unapprovedStatus(before: Pick<MemoryEntry, 'origin'>): Status {
  return before.origin === 'human' ? 'reviewed' : 'draft';
}

/** The acceptances of `rules`: those already recorded kept as they are, the others made now. */
function acceptances(
  rules: readonly string[],
  earlier: readonly Acceptance[] | undefined,
  by: string | undefined,
  at: string,
): Acceptance[] {
  return rules.map((rule) => earlier?.find((a) => a.rule === rule) ?? { rule, ...(by ? { by } : {}), at });
}
