// Three-way merge of glossary files by German term: the pure core of `diglot glossary merge`, the git
// merge driver that keeps both clones' terms where a line merge would conflict on neighbouring rows.
import { GLOSSARY_HEADER } from './glossary.js';
import { compareGerman, renderRow } from './edit-glossary.js';
import type { Message } from '../model.js';
import { parseGlossary } from './parse-glossary.js';
import { readGlossaryRows } from './read-glossary-rows.js';
import { formatMessage } from '../util/format-message.js';
import { gitVersions, hasConflictMarkers, type GitVersions } from '../util/git-unmerged.js';

/** The three versions git gives a merge driver (`%O %A %B`), each with a name for messages. */
export interface GlossaryMergeInput {
  base: { text: string; name: string };
  ours: { text: string; name: string };
  theirs: { text: string; name: string };
}

/**
 * The merged file, or the problems that keep a version from being read whole. `text` is sorted and
 * rendered as `renderGlossary` does; `conflicts` lists the German terms changed differently on both
 * sides, each left in `text` between git's conflict markers with both versions, so nothing is lost;
 * `clashes` the errors of a merge without conflicts that no build would take (a term of one side
 * that is a form of a term of the other).
 */
export type GlossaryMergeResult = { text: string; conflicts: string[]; clashes: string[] } | { problems: string[] };

/**
 * Merges row-wise by German term: a term added, changed or removed on one side only takes that
 * side; changed the same way on both takes it; changed differently (including changed on one side
 * and removed on the other) is a conflict. Rows are compared in their canonical CSV form, so a
 * difference in quoting alone is no change. Rows sharing a German term (a duplicate, which
 * `glossary check` reports) travel together as one entry.
 */
export function mergeGlossary(input: GlossaryMergeInput, conflicted: 'marked' | 'ours' = 'marked'): GlossaryMergeResult {
  const problems: string[] = [];
  /** Per version, the German terms a row of which has no English (no build takes it). */
  const blank = { base: new Set<string>(), ours: new Set<string>(), theirs: new Set<string>() };
  const read = (version: { text: string; name: string }, label: keyof typeof blank): Map<string, string> => {
    const entries = new Map<string, string>();
    // git passes an empty base when both sides added the file.
    if (version.text.trim() === '') return entries;
    const { rows, problems: found } = readGlossaryRows(version.text, version.name);
    for (const p of found) problems.push(`${label}: ${formatMessage(p)}`);
    for (const { cells } of rows) {
      const german = cells[0] ?? '';
      const line = renderRow(cells);
      const previous = entries.get(german);
      entries.set(german, previous === undefined ? line : `${previous}\n${line}`);
      if ((cells[1] ?? '').trim() === '') blank[label].add(german);
    }
    return entries;
  };
  const base = read(input.base, 'base');
  const ours = read(input.ours, 'ours');
  const theirs = read(input.theirs, 'theirs');
  if (problems.length > 0) return { problems };

  const blocks: Array<{ german: string; text: string }> = [];
  const conflicts: string[] = [];
  for (const german of new Set([...base.keys(), ...ours.keys(), ...theirs.keys()])) {
    const [b, o, t] = [base.get(german), ours.get(german), theirs.get(german)];
    // A side's row left without English takes nothing over the other side's English: both are shown.
    const emptied = (side: 'ours' | 'theirs', other: 'ours' | 'theirs', row: string | undefined): boolean =>
      row !== undefined && blank[side].has(german) && !blank[other].has(german);
    let merged: string | undefined;
    if (o === t || (b === t && !emptied('ours', 'theirs', t))) merged = o;
    else if (b === o && !emptied('theirs', 'ours', o)) merged = t;
    else {
      conflicts.push(german);
      const side = (text: string | undefined): string[] => (text === undefined ? [] : [text]);
      merged =
        conflicted === 'ours' ? o : [`${'<'.repeat(7)} ours`, ...side(o), '='.repeat(7), ...side(t), `${'>'.repeat(7)} theirs`].join('\n');
    }
    if (merged !== undefined) blocks.push({ german, text: merged });
  }
  blocks.sort((x, y) => compareGerman(x.german, y.german));
  const text = `${[GLOSSARY_HEADER.join(','), ...blocks.map((b) => b.text)].join('\n')}\n`;
  // Rows merged cleanly may still clash across terms (one side's term is the other's form): as for a
  // conflict, git is told, and `glossary check` names the lines.
  // A problem both sides had already (a row with no English yet) is no clash of the merge: git is not told.
  const errors = (version: string, name: string) => parseGlossary(version, name).problems.filter((p) => p.severity === 'error');
  // Compared without the lines they name, which the other rows of each version move.
  const said = (p: Message): string => p.message.replace(/\blines? \d+(?:, \d+)*/g, 'line');
  const had = new Set([...errors(input.ours.text, input.ours.name), ...errors(input.theirs.text, input.theirs.name)].map(said));
  const clashes =
    conflicts.length > 0 ? [] : errors(text, input.ours.name).flatMap((p) => (had.has(said(p)) ? [] : [`line ${p.line}: ${p.message}`]));
  return { text, conflicts, clashes };
}

/**
 * The error of a glossary (`text`, read from `file`) git lists as unmerged: one that lacks rows the
 * other side changed alone (its merge driver did not run), or one that holds, of a term both sides
 * changed, a row the other side does not (a conflict settled by hand, or not yet: only `git add`
 * says it is). `undefined` once the other side is in it, merged by hand or by `diglot glossary
 * merge`, or where git is not used.
 */
export function unmergedGlossary(file: string, text: string, displayName = file): Message | undefined {
  // Git's markers in it: a conflict the driver (or git) left to be resolved by hand, named at its lines as such.
  if (hasConflictMarkers(text)) return undefined;
  const versions = gitVersions(file);
  const standing = versions && againstTheirs(versions, text, displayName);
  if (standing === undefined || standing.length === 0) return undefined;
  if (standing === 'lacks')
    return {
      file: displayName,
      line: 1,
      rule: 'conflict',
      severity: 'error',
      message:
        'unmerged in git and lacks rows of the other side: the merge driver did not merge it ' +
        '(not set up, missing, or a version it could not read); ' +
        'run `diglot glossary merge` to merge the other side into the file as it is now ' +
        '(your side, with any row fixed since), then `git add` the file',
    };
  const line = readGlossaryRows(text, displayName).rows.find((r) => standing.includes(r.cells[0] ?? ''))?.line ?? 1;
  const terms = standing.map((german) => `"${german}"`);
  const named = terms.length === 1 ? terms[0] : `${terms.length} terms (${terms.slice(0, 3).join(', ')}${terms.length > 3 ? ' …' : ''})`;
  const them =
    terms.length === 1
      ? 'stands as this file has it, not as the other side has it'
      : 'stand as this file has them, not as the other side has them';
  return {
    file: displayName,
    line,
    rule: 'conflict',
    severity: 'error',
    message:
      `unmerged in git: ${named}, changed on both sides, ${them}; ` +
      'if that is how you settle the conflict, `git add` the file (`diglot glossary merge` puts both sides back between conflict markers)',
  };
}

/**
 * How the glossary as it is `now` stands against git's versions: `lacks` when a merge would add
 * what the other side changed alone (or cannot be made), else the German terms both sides changed,
 * of which `now` keeps a row of its own (none: it is merged).
 */
function againstTheirs(versions: GitVersions, now: string, name: string): 'lacks' | string[] {
  const side = (text: string, label: string): { text: string; name: string } => ({ text, name: `${name} (${label})` });
  const merged = mergeGlossary(
    { base: side(versions.base, 'base'), ours: { text: now, name }, theirs: side(versions.theirs, 'theirs') },
    'ours',
  );
  const alone = mergeGlossary({ base: { text: now, name }, ours: { text: now, name }, theirs: { text: now, name } });
  return 'problems' in merged || 'problems' in alone || merged.text !== alone.text ? 'lacks' : merged.conflicts;
}
