// Compares two sets of DeepL glossary entries: what `glossary sync --dry-run` would change.
import { capitalised } from './glossary.js';
import { byCodeUnits } from '../util/by-code-units.js';

/** Entries only in the new set, only in the old one, and in both with another English. */
export interface GlossaryDiff {
  added: Array<[string, string]>;
  removed: Array<[string, string]>;
  changed: Array<{ source: string; from: string; to: string }>;
}

/** The entry-level difference from `before` to `after` (source → target pairs), each list sorted by source. */
export function diffEntries(before: ReadonlyArray<[string, string]>, after: ReadonlyArray<[string, string]>): GlossaryDiff {
  const old = new Map(before);
  const now = new Map(after);
  const diff: GlossaryDiff = { added: [], removed: [], changed: [] };
  for (const [source, to] of now) {
    const from = old.get(source);
    if (from === undefined) diff.added.push([source, to]);
    else if (from !== to) diff.changed.push({ source, from, to });
  }
  for (const [source, from] of old) if (!now.has(source)) diff.removed.push([source, from]);
  diff.added.sort(([a], [b]) => byCodeUnits(a, b));
  diff.removed.sort(([a], [b]) => byCodeUnits(a, b));
  diff.changed.sort((a, b) => byCodeUnits(a.source, b.source));
  return diff;
}

/**
 * The diff as lines for the console: `+ source → target`, `- source → target`,
 * `~ source: old → new`. An entry that only repeats another of the same list capitalised (as
 * `deeplEntries` adds them) is folded into it as "(and capitalised)".
 */
export function formatDiff(diff: GlossaryDiff): string[] {
  const fold = <T>(items: T[], source: (item: T) => string, same: (a: T, b: T) => boolean, line: (item: T) => string): string[] => {
    const by = new Map(items.map((item) => [source(item), item]));
    const folded = new Set<string>();
    const lines: string[] = [];
    for (const item of items) {
      const s = source(item);
      const capital = capitalised(s);
      const twin = capital === s ? undefined : by.get(capital);
      if (twin !== undefined && same(item, twin)) folded.add(capital);
    }
    for (const item of items) {
      const s = source(item);
      if (folded.has(s)) continue;
      const capital = capitalised(s);
      lines.push(`${line(item)}${folded.has(capital) && capital !== s ? '  (and capitalised)' : ''}`);
    }
    return lines;
  };
  const pair = (a: [string, string], b: [string, string]): boolean => a[1] === b[1];
  return [
    ...fold(
      diff.added,
      ([s]) => s,
      pair,
      ([s, t]) => `+ ${s} → ${t}`,
    ),
    ...fold(
      diff.removed,
      ([s]) => s,
      pair,
      ([s, t]) => `- ${s} → ${t}`,
    ),
    ...fold(
      diff.changed,
      (c) => c.source,
      (a, b) => a.from === b.from && a.to === b.to,
      (c) => `~ ${c.source}: ${c.from} → ${c.to}`,
    ),
  ];
}
