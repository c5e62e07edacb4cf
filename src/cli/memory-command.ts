import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TranslationMemory } from '../memory/translation-memory.js';
import { fromTmx, toTmx, type TmxUnit } from '../memory/tmx.js';
import { decodeImportText } from '../text/decode-import-text.js';
import { historyItem, type MemoryEntry } from '../memory/entry.js';
import { mergeMemory, UnreadableSideError, type Settled } from '../memory/merge-memory.js';
import { quarantineLines } from '../memory/quarantine-lines.js';
import { CONFLICT_MARKER, driverVersions, gitVersions, ourSideNow } from '../util/git-unmerged.js';
import { splitConflicted } from '../memory/split-conflicted.js';
import { atLines, counted } from '../util/format-count.js';
import { formatMessage } from '../util/format-message.js';
import type { Message } from '../model.js';
import { prepareOutput } from '../write/prepare-output.js';
import { EXIT, InputError, storageError, type ExitCode } from '../util/errors.js';
import { acquireLock } from '../util/project-lock.js';
import { writeAtomic } from '../write/write-atomic.js';
import { checkExportTarget } from '../util/export-target.js';
import { printJson, projectConfig, type CommandContext } from './context.js';
import { commonHelp, parseCommandArgs, refuseOthersOptions, unknownAction } from './parse-command-args.js';
import { readSources } from '../sources/read-sources.js';
import { segmentSources } from '../load-project.js';
import type { Config } from '../config/config.js';
import { compactDiff, preview } from '../review-file/word-diff.js';

export const MEMORY_HELP = `Usage: diglot memory <export|import|compact|merge> [options]

  export --tmx FILE   write the translation memory as TMX 1.4b (for OmegaT and other CAT tools)
  import --tmx FILE   add a TMX file's units to the memory; a changed translation keeps the old
                      one in the entry's history, identical ones are skipped; a unit changed
                      before the memory's English (its changedate) goes into the history only
  compact             rewrite the memory file sorted, one line per entry; refuses a file with
                      lines that are not entries, unless --quarantine
      [--quarantine]  move such lines to <memory>.rejected first (never dropped)
  merge               merge a memory file git left unmerged (from the three versions git keeps,
                      also when the driver did not run; else from its conflict markers), by
                      segment: both sides' entries kept; a segment edited on both sides keeps the
                      higher status (approved > reviewed > draft), then the later edit, current,
                      and the other text in its history
  merge BASE OURS THEIRS [PATH]
                      git's merge driver (%O %A %B %P, see the README's "Working as a team"):
                      merges the three files the same way into OURS, messages naming PATH; exit 1
                      when a side has lines that are not entries, 2 when a file is missing or
                      unreadable (nothing merged either way)

Options:
${commonHelp(16)}
`;

/** `diglot memory …`. */
export async function memoryCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('memory', ctx.args, { tmx: { type: 'string' }, quarantine: { type: 'boolean' } });
  const [action, ...files] = positionals;
  if (values.help || action === undefined) {
    ctx.stdout(MEMORY_HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  // An option of another action is refused, never ignored (`compact --tmx x.tmx` would rewrite the memory, not export it).
  refuseOthersOptions('memory', action, values, { tmx: ['export', 'import'], quarantine: ['compact'] });
  // git runs the driver in the repository with three temp files: it needs no project.
  if (action === 'merge' && files.length > 0) return mergeDriver(files, ctx, values.json === true);
  if (files.length > 0)
    throw new InputError(`memory ${action}: unexpected argument "${files[0]}"`, 'run `diglot memory --help` for the actions');
  const config = await projectConfig(values.root, ctx);
  const file = path.join(config.root, config.memory);

  if (action === 'export') {
    if (!values.tmx) throw new InputError('memory export: --tmx FILE is required');
    const { memory, problems } = await TranslationMemory.open(file, config.memory);
    for (const p of problems) ctx.log.warn(formatMessage(p));
    const entries = memory.entries().filter((e) => e.lang === config.targetLang);
    const target = path.resolve(ctx.cwd, values.tmx);
    await checkExportTarget(target, values.tmx, 'TMX');
    await writeAtomic(target, toTmx(entries, config.sourceLang));
    if (values.json) printJson(ctx, { file: values.tmx, entries: entries.length, problems });
    ctx.log.info(`Exported ${counted(entries.length, 'entry', 'entries')} to ${values.tmx}.`);
    return EXIT.ok;
  }
  if (action !== 'import' && action !== 'compact' && action !== 'merge')
    throw unknownAction('memory', action, ['export', 'import', 'compact', 'merge']);
  // What changes the memory reads it only under the lock: a run that read it before another
  // run's append would write back a memory without that append.
  const release = acquireLock(path.join(config.root, '.diglot.lock'));
  try {
    const leftovers = await prepareOutput(config.root, [path.dirname(config.memory)]);
    if (leftovers.length > 0)
      ctx.log.info(`Removed ${leftovers.length} temp file${leftovers.length === 1 ? '' : 's'} left by an interrupted run.`);
    if (action === 'merge') return await mergeConflicted(file, config.memory, ctx, values.json === true);
    let moved = 0;
    if (action === 'compact' && values.quarantine) {
      moved = await quarantineLines(file, config.memory);
      const lines = moved === 1 ? '1 line that is not a memory entry' : `${moved} lines that are not memory entries`;
      if (moved > 0) ctx.log.warn(`Moved ${lines} to ${config.memory}.rejected.`);
    }
    const { memory, problems } = await TranslationMemory.open(file, config.memory);
    for (const p of problems) ctx.log.warn(formatMessage(p));
    if (action === 'compact') {
      await memory.compact();
      if (values.json) printJson(ctx, { file: config.memory, entries: memory.size, quarantined: moved, problems });
      ctx.log.info(`Rewrote ${config.memory}: ${counted(memory.size, 'entry', 'entries')}.`);
      return EXIT.ok;
    }
    if (!values.tmx) throw new InputError('memory import: --tmx FILE is required');
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path.resolve(ctx.cwd, values.tmx));
    } catch (error) {
      throw new InputError(`memory import: cannot read ${values.tmx}: ${(error as Error).message}`);
    }
    // UTF-16 (Trados) and declared encodings (ISO-8859-1 …) are read as such, never taken for UTF-8.
    const xml = decodeImportText(bytes, values.tmx);
    const now = new Date().toISOString();
    const parsed = fromTmx(xml, config.targetLang, now, values.tmx);
    for (const p of parsed.problems) ctx.log.warn(formatMessage(p));
    for (const [lang, n] of Object.entries(parsed.otherEnglish))
      ctx.log.warn(
        `${values.tmx}: ${n} translation unit${n === 1 ? "'s" : "s'"} English is ${lang}, ` +
          `not the project's ${config.targetLang}; imported as ${config.targetLang}, the text as it is`,
      );
    // By German text: a unit replaces the memory's entry unless it was changed before it, the
    // current English going into the history: no English is lost, and a reviewer's edit made after
    // the file was exported stays the English.
    const changes = new Map<string, MemoryEntry>();
    /** Keeps an English of the file, once, in the history of the entry its German has now (the file's, else the memory's). */
    const keepInHistory = (entry: MemoryEntry): void => {
      const now = changes.get(entry.source) ?? memory.lookup(entry.source, entry.lang);
      if (!now || now.target === entry.target || now.history?.some((h) => h.target === entry.target)) return;
      changes.set(entry.source, { ...now, history: [...(now.history ?? []), historyItem(entry)] });
    };
    /** The Germans whose English is now the file's. */
    const replaced = new Set<string>();
    let same = 0;
    let older = 0;
    let statusChanged = 0;
    // To the second: a TMX date has no fractions, so the memory's own English exported and read back is no older than itself.
    const second = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
    let repeated = 0;
    const undated: TmxUnit[] = [];
    let changedSince = 0;
    /** Units whose English replaced an approved one: said, since the approval does not carry over. */
    const overApproved: TmxUnit[] = [];
    const conflicts: Message[] = [];
    // Of a file's units with the same German, the newest (the later of equals) gives its English; the
    // others join the history, and those with another English are said. So a file imported twice changes nothing.
    const winners = new Map<string, MemoryEntry>();
    for (const entry of parsed.entries) {
      const best = winners.get(entry.source);
      if (!best || second(entry.updated) >= second(best.updated)) winners.set(entry.source, entry);
    }
    const losers: MemoryEntry[] = [];
    for (const entry of parsed.entries) {
      const unit = parsed.units.get(entry) as TmxUnit;
      const winner = winners.get(entry.source) as MemoryEntry;
      if (entry !== winner) {
        if (entry.target === winner.target) repeated++;
        else {
          losers.push(entry);
          const taken = (parsed.units.get(winner) as TmxUnit).unit;
          conflicts.push({
            file: values.tmx,
            line: unit.line,
            rule: 'tmx',
            severity: 'warning',
            message:
              `translation units ${unit.unit} and ${taken} give different English for the same German; ` +
              `unit ${taken}'s taken (the newer, or the later), unit ${unit.unit}'s kept in the history`,
          });
        }
        continue;
      }
      const current = memory.lookup(entry.source, entry.lang);
      if (current && current.target !== entry.target && !unit.dated && checked(current)) {
        // Without a date a unit cannot be newer than a translation someone checked: the memory's English stays.
        undated.push(unit);
        keepInHistory(entry);
        continue;
      }
      if (current && current.target === entry.target) {
        // The same English with another status stated, changed after the memory's (approved in a translation tool): the status is taken.
        if (
          parsed.stated.has(entry) &&
          entry.status !== current.status &&
          current.origin !== 'copy' &&
          second(entry.updated) > second(current.updated)
        ) {
          changes.set(entry.source, { ...current, status: entry.status, updated: entry.updated });
          statusChanged++;
        } else same++;
        continue;
      }
      if (current && second(entry.updated) < second(current.updated)) {
        older++;
        keepInHistory(entry);
        continue;
      }
      // This very English (its text and time) was the memory's once, and someone changed it since:
      // a file imported again, even one dated ahead of this clock, does not undo that change.
      if (current?.history?.some((h) => h.target === entry.target && second(h.updated) === second(entry.updated))) {
        changedSince++;
        continue;
      }
      // A new English: findings accepted for the current one (its `accepted`) do not carry over, nor does
      // an approval of it (a unit edited in an export keeps the `approved` it was exported with).
      replaced.add(entry.source);
      const imported = asImported(entry, current, parsed.machine.has(entry));
      const overApproval = current?.status === 'approved';
      if (overApproval) overApproved.push(unit);
      const taken: MemoryEntry = overApproval && imported.status === 'approved' ? { ...imported, status: 'reviewed' } : imported;
      changes.set(
        entry.source,
        current
          ? {
              ...taken,
              created: current.created,
              history: [...(current.history ?? []), historyItem(current)],
            }
          : taken,
      );
    }
    for (const loser of losers) keepInHistory(loser);
    // Said with the unreadable units, and listed with them by --json: nothing of the file is set aside unsaid.
    const said: Message[] = [...conflicts];
    /** A warning about some units, at the first one's line. */
    const sayOf = (units: readonly TmxUnit[], message: string): void => {
      if (units[0]) said.push({ file: values.tmx as string, line: units[0].line, rule: 'tmx', severity: 'warning', message });
    };
    const one = (units: readonly TmxUnit[], singular: string, plural: string): string => (units.length === 1 ? singular : plural);
    sayOf(
      undated,
      `${counted(undated.length, 'unit')} without a date ${one(undated, 'gives', 'give')} another English ` +
        `for a German whose translation in the memory was reviewed (${atUnits(undated)}): the memory's English kept, ` +
        "the file's added to its history; give the units a changedate to have them taken",
    );
    sayOf(
      overApproved,
      `${counted(overApproved.length, 'unit')} newer than the memory's approved English ${one(overApproved, 'replaces', 'replace')} ` +
        `it (${atUnits(overApproved)}): ${one(overApproved, 'that English is', 'those are')} kept in the history, ` +
        'and the approval does not carry over to the new English',
    );
    for (const m of said) ctx.log.warn(formatMessage(m));
    memory.append([...changes.values()]);
    // A unit whose German no paragraph has is kept, but serves no build: said, as CAT tools drop the Markdown of a German.
    const used = await sourceKeys(config);
    const unmatched = [...replaced].filter((key) => !used.has(key)).length;
    if (unmatched > 0)
      ctx.log.warn(
        `${values.tmx}: ${counted(unmatched, 'unit')} imported match${unmatched === 1 ? 'es' : ''} no paragraph of ${config.sources}/: ` +
          'kept in the memory, but no build uses them ' +
          '(a German whose article has Markdown in it, emphasis or a link, comes back from a CAT tool without it)',
      );
    if (values.json)
      printJson(ctx, {
        file: values.tmx,
        imported: replaced.size,
        statusChanged,
        unmatched,
        unchanged: same,
        repeated,
        undated: undated.length,
        conflicts: conflicts.length,
        older,
        changedSince,
        skipped: parsed.skipped,
        problems: [...parsed.problems, ...said],
        otherEnglish: parsed.otherEnglish,
      });
    ctx.log.info(
      `Imported ${counted(replaced.size, 'entry', 'entries')} from ${values.tmx} ` +
        `(${statusChanged > 0 ? `${counted(statusChanged, 'status', 'statuses')} changed, the English the same; ` : ''}` +
        `${same} already in the memory unchanged, ${repeated > 0 ? `${repeated} repeated in the file, ` : ''}` +
        `${losers.length > 0 ? `${losers.length} with other English for the same German as a newer unit, kept in the history, ` : ''}` +
        `${older} older than the memory's English and kept in its history, ` +
        `${changedSince > 0 ? `${changedSince} imported before and changed in the memory since, kept as changed, ` : ''}` +
        `${undated.length > 0 ? `${undated.length} undated and kept in its history, ` : ''}` +
        `${parsed.skipped} skipped).`,
    );
    return EXIT.ok;
  } finally {
    release();
  }
}

/** The stage of each side in git's index while a file is unmerged. */
const GIT_STAGE = { base: 1, ours: 2, theirs: 3 } as const;

/** Which version of a merge holds lines that are not entries, and where. */
function unreadableSide(error: UnreadableSideError): string {
  const side = { base: "the common ancestor's version", ours: 'our version', theirs: "the other side's version" }[error.side];
  return `${side} has lines that are not memory entries: ${error.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`;
}

/**
 * `diglot memory merge BASE OURS THEIRS`, as git calls it: the result in OURS; exit 1 for a side
 * with broken lines, 2 for a file not there.
 */
async function mergeDriver(files: string[], ctx: CommandContext, json: boolean): Promise<ExitCode> {
  if (files.length !== 3 && files.length !== 4)
    throw new InputError(
      "memory merge: give BASE OURS THEIRS and the path for messages (as git does: %O %A %B %P), or nothing to merge the project's conflicted memory",
    );
  const versions = await driverVersions(ctx.cwd, files.slice(0, 3), 'diglot memory merge');
  // Named by its path in the project where git gives it (%P), else by git's temp file.
  const said = `diglot memory merge ${files[3] ?? files[1]}`;
  try {
    const merged = mergeMemory(versions.base, versions.ours, versions.theirs);
    for (const message of merged.cutOff) ctx.log.warn(`${said}: ${message}`);
    await writeFile(path.resolve(ctx.cwd, files[1] as string), merged.text);
    if (json)
      printJson(ctx, { file: files[3] ?? files[1], fromTheirs: merged.fromTheirs, resolved: merged.resolved, settled: merged.settled });
    ctx.log.info(
      `${said}: ${counted(merged.fromTheirs, 'entry', 'entries')} from the other side, ` +
        `${editedOnBothSides(merged.settled)}${settledLines(merged.settled)}`,
    );
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof UnreadableSideError)) throw error;
    // git then reports a conflict and leaves the file as ours: nothing is lost, a person decides.
    ctx.log.error(`${said}: ${unreadableSide(error)}; left for git to report as a conflict`);
    return EXIT.failed;
  }
}

/**
 * `diglot memory merge` in a project: merges the memory file git left unmerged, from the three
 * versions git keeps of it (also when its merge driver did not run and the file holds our side
 * only), else from the conflict blocks git left in the file.
 */
async function mergeConflicted(file: string, name: string, ctx: CommandContext, json: boolean): Promise<ExitCode> {
  const now = await readFile(file, 'utf8').catch(() => undefined);
  const versions = gitVersions(file);
  // Unmerged in git: the file as it is now is our side (a line fixed or moved aside since git left it counts).
  const sides = versions ? { ...versions, ours: ourSideNow(versions, now) } : splitConflicted(now ?? '');
  if (!sides) {
    const markers = (now ?? '').split('\n').flatMap((line, i) => (CONFLICT_MARKER.test(line) ? [i + 1] : []));
    if (markers.length > 0)
      throw new InputError(
        `${name}: ${atLines(markers, 'line')} ${markers.length === 1 ? 'is a' : 'are'} git conflict ${markers.length === 1 ? 'marker' : 'markers'} ` +
          'outside any whole conflict block (left from a conflict settled by hand?), and git lists the file as merged: nothing to merge',
        `remove ${markers.length === 1 ? 'it' : 'them'} by hand, or \`diglot memory compact --quarantine\` moves ${markers.length === 1 ? 'it' : 'them'} to ${name}.rejected`,
      );
    if (json) printJson(ctx, { file: name, merged: false, fromTheirs: 0, resolved: 0 });
    ctx.log.info(`${name} is not unmerged in git and has no complete git conflict blocks: nothing to merge.`);
    return EXIT.ok;
  }
  let merged;
  try {
    merged = mergeMemory(sides.base, sides.ours, sides.theirs);
  } catch (error) {
    if (error instanceof UnreadableSideError)
      throw new InputError(
        `${name}: cannot merge: ${unreadableSide(error)}`,
        `the lines are of that version alone (\`git show :${GIT_STAGE[error.side]}:${name}\`): fix them where they were written ` +
          '(`diglot memory compact --quarantine` there moves them aside), commit, and merge again; or `git merge --abort`',
      );
    throw error;
  }
  for (const message of merged.cutOff) ctx.log.warn(`${name}: ${message}`);
  try {
    await writeAtomic(file, merged.text);
  } catch (error) {
    throw storageError(error, name, 'the file is as it was');
  }
  if (json) printJson(ctx, { file: name, merged: true, fromTheirs: merged.fromTheirs, resolved: merged.resolved, settled: merged.settled });
  ctx.log.info(
    `Merged ${name}: ${counted(merged.fromTheirs, 'entry', 'entries')} from the other side, ` +
      `${editedOnBothSides(merged.settled)}${settledLines(merged.settled)}\nNow \`git add ${name}\`.`,
  );
  return EXIT.ok;
}

/**
 * A line per segment edited on both sides: its German, whose English is current now (the higher
 * status, then the later edit; ours and theirs as git names the sides, which a rebase swaps), and
 * the other English, in its history. A full stop without any.
 */
/**
 * The two sides' English of a segment both changed: where they differ, word by word from the other
 * side's to the one kept; both whole when rewritten.
 */
function bothEnglish(s: Settled): string {
  const other = s.kept === 'ours' ? 'theirs' : 'ours';
  if (s.other === s.target) return 'the same English on both sides';
  const folded = (text: string): string => text.replace(/\s+/g, ' ').trim();
  if (folded(s.other) === folded(s.target)) return `the same English but for white space; ${other} in its history`;
  const diff = compactDiff(s.other, s.target);
  return diff === undefined ? `"${preview(s.target)}"; ${other} "${preview(s.other)}" in its history` : `${diff}; ${other} in its history`;
}

/** How many segments both sides changed, and how many of them to the same English. */
function editedOnBothSides(settled: readonly Settled[]): string {
  const same = settled.filter((s) => s.other === s.target).length;
  const alike = same > 0 ? `${same} of them to the same English; ` : '';
  return `${settled.length} edited on both sides (${alike}the other text kept in history)`;
}

function settledLines(settled: readonly Settled[]): string {
  if (settled.length === 0) return '.';
  const lines = settled.map((s) => `  "${preview(s.source)}": kept ${s.kept} (${s.status}): ${bothEnglish(s)}`);
  return `:\n${lines.join('\n')}`;
}

/**
 * A unit labelled a machine translation (`x-diglot-origin` deepl, as `memory export` writes it) whose
 * English is neither as DeepL wrote it (`stamped`, see `machineStamp`) nor a machine translation the
 * memory knows for its German was edited in another tool: it comes in as imported English (origin
 * tmx), so that `retranslate` never sends it to be replaced.
 */
function asImported(entry: MemoryEntry, current: MemoryEntry | undefined, stamped: boolean): MemoryEntry {
  if (entry.origin !== 'deepl' || stamped) return entry;
  const machine = [current, ...(current?.history ?? [])].some((e) => e?.origin === 'deepl' && e.target === entry.target);
  if (machine) return entry;
  const { settings: _, ...rest } = entry;
  return { ...rest, origin: 'tmx' };
}

/**
 * Whether a reviewer checked an entry's English in diglot: approved, or reviewed as a reviewer's own
 * or DeepL's English (an earlier import's English, or copied German, is no one's check).
 */
function checked(entry: MemoryEntry): boolean {
  return entry.status === 'approved' || (entry.status === 'reviewed' && (entry.origin === 'human' || entry.origin === 'deepl'));
}

/** The units, for a message: "unit 3", "units 3, 7 …". */
function atUnits(units: readonly TmxUnit[]): string {
  const shown = units.slice(0, 5).map((u) => (u.line > 0 ? `${u.unit} (line ${u.line})` : String(u.unit)));
  return `unit${units.length === 1 ? '' : 's'} ${shown.join(', ')}${units.length > 5 ? ' …' : ''}`;
}

/** The German of every paragraph of the sources that can be read (the memory keys a build uses). */
async function sourceKeys(config: Config): Promise<Set<string>> {
  const { documents } = await readSources(config.root, config.sources, config.output);
  return new Set(segmentSources(config, documents).flatMap((a) => a.segments.map((s) => s.key)));
}
