import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { counted } from '../util/format-count.js';
import { decodeImportText } from '../text/decode-import-text.js';
import { deeplEntries } from '../glossary/deepl-entries.js';
import { addTerm, inFileStyle, removeTerm } from '../glossary/edit-glossary.js';
import { diffEntries, formatDiff, type GlossaryDiff } from '../glossary/glossary-diff.js';
import { GLOSSARY_HEADER, type GlossaryTerm } from '../glossary/glossary.js';
import { importTerms } from '../glossary/import-terms.js';
import { loadGlossary, readGlossaryText } from '../glossary/load-glossary.js';
import { termOfRow } from '../glossary/parse-glossary.js';
import { mergeGlossary, unmergedGlossary } from '../glossary/merge-glossary.js';
import { readGlossaryRows } from '../glossary/read-glossary-rows.js';
import { readTbx } from '../glossary/read-tbx.js';
import { readTermPairs } from '../glossary/read-term-pairs.js';
import { termText } from '../text/prose.js';
import { suggestTerms } from '../glossary/suggest-terms.js';
import { readSyncedState, syncedStatePath, writeSyncedState } from '../glossary/synced-state.js';
import { termStats } from '../glossary/term-stats.js';
import { writeTbx } from '../glossary/write-tbx.js';
import { loadProject } from '../load-project.js';
import { EXIT, InputError, type ExitCode } from '../util/errors.js';
import { driverVersions, gitVersions, ourSideNow } from '../util/git-unmerged.js';
import { acquireLock } from '../util/project-lock.js';
import { removeStaleTemps } from '../write/remove-stale-temps.js';
import { writeAtomic } from '../write/write-atomic.js';
import { checkExportTarget } from '../util/export-target.js';
import type { Config } from '../config/config.js';
import { printJson, projectConfig, type CommandContext } from './context.js';
import { engineFromEnv } from './engine-from-env.js';
import { commonHelp, parseCommandArgs, refuseOthersOptions, unknownAction } from './parse-command-args.js';
import { formatMessage } from '../util/format-message.js';
import type { Message } from '../model.js';

export const GLOSSARY_HELP = `Usage: diglot glossary <action> [options]

Actions:
  check                         validate the file; each problem as file:line: message; exit 2 on errors
  list                          print the terms and their forms (--json: also the DeepL entries)
  add <german> <english>        add a term; the file stays sorted by German term
      [--forms "F1;F2=English"] other German forms (inflections, spellings), optionally with their English
      [--note TEXT]
  remove <german>               remove a term
                                (add and remove refuse a file that does not parse whole, naming file:line)
  merge <base> <ours> <theirs> [<path>]
                                git merge driver (%O %A %B %P): merge three versions row by row by
                                German term into <ours>, messages naming <path>; exit 1 with conflict
                                markers around a term changed differently on both sides (setup:
                                README, "Working as a team")
  merge                         the project's glossary that git left unmerged (the driver did not run):
                                the same merge of the three versions git keeps of it
  import <file> [--replace]     merge terms from a TBX termbase (TBX 2 martif or TBX 3; OmegaT, Trados,
         [--dry-run]            memoQ) or a CSV/TSV of German, English (a header may name them in any
                                order; tab, ";" or ","):
                                other German terms of an entry become forms; rows already in the file
                                win unless --replace; every term skipped is listed with its line
  export --tbx <file>           write the glossary as TBX-Basic (TBX 2 martif); import reads it back whole
  sync [--dry-run]              bring the DeepL glossary in line with the file (needs DEEPL_AUTH_KEY):
                                nothing when unchanged, a new glossary when changed (a glossary is
                                never changed once made: a build elsewhere may be using it), delete
                                the project's glossaries made over a day ago (never anyone else's); records
                                what it sent in <glossary>.synced.json (commit it)
                                --dry-run lists the entries added, removed and changed: against
                                DeepL's dictionary with a key, else against <glossary>.synced.json
  stats                         per term: occurrences in the sources, translations that comply,
                                terms that never occur
  suggest                       candidate terms from the sources that the glossary lacks

Options:
${commonHelp(16)}

Exit codes: 0 done · 1 merge: conflicting edits or a version that does not parse (ours left as it was)
· 2 bad input (check found errors, a file that does not parse whole, unknown term, bad arguments; a
merge given a file that is not there)
· 3–5 DeepL failures (sync) · 6 project locked (add, remove, import)
`;

/** `diglot glossary …`. */
export async function glossaryCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('glossary', ctx.args, {
    forms: { type: 'string' },
    note: { type: 'string' },
    'dry-run': { type: 'boolean' },
    replace: { type: 'boolean' },
    tbx: { type: 'string' },
  });
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    ctx.stdout(GLOSSARY_HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  // An option of another action is refused, never ignored (`remove X --dry-run` would remove X).
  refuseOthersOptions('glossary', action, values, {
    forms: ['add'],
    note: ['add'],
    'dry-run': ['import', 'sync'],
    replace: ['import'],
    tbx: ['export'],
  });
  // The merge driver works on the three files git names; it needs no project.
  if (action === 'merge' && rest.length > 0) return mergeCommand(ctx, rest, values.json === true);
  if (['check', 'list', 'export', 'sync', 'stats', 'suggest'].includes(action) && rest.length > 0)
    throw new InputError(`glossary ${action}: unexpected argument "${rest[0]}"`, 'run `diglot glossary --help` for the actions');
  const config = await projectConfig(values.root, ctx);
  const file = path.join(config.root, config.glossary);
  if (action === 'merge') return mergeUnmerged(ctx, file, config.glossary, values.json === true);
  // add, remove and import read the file only once they hold the lock; the other actions read it now.
  const { glossary, problems } =
    action === 'add' || action === 'remove' || action === 'import'
      ? { glossary: { file: config.glossary, terms: [] }, problems: [] }
      : await loadGlossary(file, config.glossary);
  const json = (value: unknown): ExitCode => {
    printJson(ctx, value);
    return EXIT.ok;
  };

  switch (action) {
    case 'check': {
      const errors = problems.filter((p) => p.severity === 'error').length;
      if (values.json) printJson(ctx, { file: config.glossary, terms: glossary.terms.length, errors, problems });
      else for (const p of problems) ctx.stdout(`${p.file}:${p.line}: ${p.severity}: ${p.message}\n`);
      ctx.log.info(
        errors === 0
          ? `${config.glossary}: ${counted(glossary.terms.length, 'term')}, no problems.`
          : `${config.glossary}: ${errors} error${errors === 1 ? '' : 's'}.`,
      );
      return errors === 0 ? EXIT.ok : EXIT.usage;
    }
    case 'list': {
      // A glossary with errors (conflict markers, clashing rows) is listed by nothing: `glossary check` names its lines.
      const errors = problems.filter((p) => p.severity === 'error');
      if (errors.length > 0)
        throw new InputError(
          `${config.glossary}: ${errors.length} problem${errors.length === 1 ? '' : 's'}:\n` +
            errors.map((p) => `  ${formatMessage(p)}`).join('\n'),
          'fix these lines (`diglot glossary check` lists them) and run again',
        );
      if (values.json) return json({ terms: glossary.terms, deeplEntries: deeplEntries(glossary) });
      for (const t of glossary.terms) {
        const forms = t.forms.map((f) => (f.en === t.english ? f.de : `${f.de} → ${f.en}`)).join('; ');
        ctx.stdout(`${t.german} → ${t.english}${forms ? `  (forms: ${forms})` : ''}${t.note ? `  — ${t.note}` : ''}\n`);
      }
      return EXIT.ok;
    }
    case 'add':
    case 'remove': {
      await editGlossary(config, ctx, action, async (text, write) => {
        if (action === 'add') {
          const [german, english] = rest;
          if (german === undefined || english === undefined || rest.length > 2)
            throw new InputError('glossary add: give exactly <german> <english> (quote multi-word terms)');
          const forms =
            values.forms === undefined
              ? []
              : values.forms
                  .split(';')
                  .map((f) => f.trim())
                  .filter((f) => f !== '');
          const result = addTerm(text, config.glossary, { german, english, forms, note: values.note ?? '' });
          if ('problems' in result) {
            // A term already there, with another English or the same: to change that row, it is removed first.
            const [row] = result.rows;
            throw new InputError(
              `glossary add: not added to ${config.glossary}:\n  ${result.problems.join('\n  ')}`,
              row === undefined
                ? undefined
                : `to change the row of "${row}", \`diglot glossary remove "${row}"\` first, ` +
                    `then add it again (or edit ${config.glossary})`,
            );
          }
          await write(result.text);
          if (values.json) printJson(ctx, { file: config.glossary, added: { german, english, forms, note: values.note ?? '' } });
          ctx.log.info(`Added "${german}" → "${english}" to ${config.glossary}.`);
        } else {
          const [german] = rest;
          if (german === undefined || rest.length > 1) throw new InputError('glossary remove: give exactly one <german> term');
          const next = removeTerm(text, german, config.glossary);
          if (next === undefined) {
            // A form of a term is no row of its own: said, with the row that lists it.
            const owner = readGlossaryRows(text, config.glossary)
              .rows.map(termOfRow)
              .find((t) => t.forms.some((f) => f.de === german));
            throw new InputError(
              owner
                ? `glossary remove: "${german}" is a form of "${owner.german}" (${config.glossary}:${owner.line}), not a term of its own`
                : `glossary remove: "${german}" is not in ${config.glossary}`,
              owner
                ? `edit that row's forms in ${config.glossary} to drop it, ` +
                    `or \`diglot glossary remove "${owner.german}"\` for the whole term`
                : 'see `diglot glossary list`',
            );
          }
          await write(next.text);
          const rows = next.removed.map((r) => ({ line: r.line, english: r.cells[1] ?? '' }));
          if (values.json) printJson(ctx, { file: config.glossary, removed: german, rows });
          // A term written on several rows (with other English, say) goes whole: each row is named.
          ctx.log.info(
            rows.length === 1
              ? `Removed "${german}" from ${config.glossary}.`
              : `Removed ${rows.length} rows of "${german}" from ${config.glossary}: ` +
                  `${rows.map((r) => `line ${r.line} ("${r.english}")`).join(', ')}.`,
          );
        }
      });
      return EXIT.ok;
    }
    case 'import': {
      const [input] = rest;
      if (input === undefined || rest.length > 1) throw new InputError('glossary import: give exactly one <file> (.tbx, .csv or .tsv)');
      const bytes = await readFile(path.resolve(ctx.cwd, input)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'EISDIR') throw new InputError(`glossary import: ${input}: no such file`);
        throw error;
      });
      const content = decodeImportText(bytes, input);
      // A termbase is XML; anything else is read as a term list.
      const tbx = /^\uFEFF?\s*</.test(content);
      const read = tbx ? readTbx(content, input, config.targetLang) : readTermPairs(content, input, config.targetLang);
      // A file that gives no pair at all is not what was meant to be imported: said, with why, as a failure.
      if (read.terms.length === 0) {
        const why = read.skipped.slice(0, 10).map((m) => `\n  ${formatMessage(m)}`);
        if (read.skipped.length > 10) why.push(`\n  … and ${read.skipped.length - 10} more`);
        throw new InputError(
          `glossary import: ${input} holds no German term with its English${why.join('')}`,
          tbx
            ? 'a termbase needs entries with a German (de) and an English (en) term'
            : 'a term list needs a German and an English column (a header, if any, naming them: german,english)',
        );
      }
      const dryRun = values['dry-run'] === true;
      let outcome: Exclude<ReturnType<typeof importTerms>, { problems: string[] }> | undefined;
      await editGlossary(config, ctx, action, async (text, write) => {
        const result = importTerms(text, config.glossary, read.terms, input, { replace: values.replace === true });
        if ('problems' in result) throw new InputError(`glossary import: nothing changed:\n  ${result.problems.join('\n  ')}`);
        outcome = result;
        if (!dryRun && (result.added.length > 0 || result.replaced.length > 0)) await write(result.text);
      });
      if (outcome === undefined) return EXIT.failed;
      const skipped = [...read.skipped, ...outcome.skipped].sort((a, b) => a.line - b.line);
      if (values.json) {
        return json({
          dryRun,
          format: tbx ? 'tbx' : 'csv',
          added: outcome.added.map(rowOf),
          replaced: outcome.replaced.map((r) => ({ line: r.before.line, before: rowOf(r.before), after: rowOf(r.after) })),
          unchanged: outcome.unchanged,
          skipped,
        });
      }
      // Each term taken, a line on stdout (not with --quiet, as every command's lines).
      for (const t of values.quiet ? [] : outcome.added)
        ctx.stdout(`${dryRun ? '(dry run) would add' : 'Added'} ${input}:${t.line}: ${describe(t)}\n`);
      for (const r of values.quiet ? [] : outcome.replaced)
        ctx.stdout(
          `${dryRun ? '(dry run) would replace' : 'Replaced'} ${config.glossary}:${r.before.line}: ${describe(r.before)}\n    by ${input}:${r.after.line}: ${describe(r.after)}\n`,
        );
      for (const m of skipped) ctx.log.warn(formatMessage(m));
      const n = (count: number, what: string): string => `${count} ${what}${count === 1 ? '' : 's'}`;
      ctx.log.info(
        `${dryRun ? '(dry run) ' : ''}${input} → ${config.glossary}: ${n(outcome.added.length, 'term')} ${dryRun ? 'to add' : 'added'}, ${outcome.replaced.length} ${dryRun ? 'to replace' : 'replaced'}, ${outcome.unchanged} already there, ${skipped.length} skipped or left out.${dryRun ? ' Nothing written.' : ''}`,
      );
      return EXIT.ok;
    }
    case 'export': {
      if (values.tbx === undefined || rest.length > 0)
        throw new InputError('glossary export: give --tbx <file>', 'e.g. `diglot glossary export --tbx terms.tbx`');
      if (problems.some((p) => p.severity === 'error'))
        throw new InputError(`${config.glossary} has errors; run \`diglot glossary check\` and fix them before exporting`);
      const target = path.resolve(ctx.cwd, values.tbx);
      await checkExportTarget(target, values.tbx, 'TBX');
      await writeAtomic(target, writeTbx(glossary, { title: config.title, source: config.glossary, targetLang: config.targetLang }));
      const forms = glossary.terms.reduce((sum, t) => sum + t.forms.length, 0);
      if (values.json) printJson(ctx, { file: values.tbx, terms: glossary.terms.length, forms });
      ctx.log.info(
        `Exported ${counted(glossary.terms.length, 'term')} (${counted(forms, 'form')}) from ${config.glossary} ` +
          `to ${values.tbx} (TBX-Basic, TBX 2 martif).`,
      );
      return EXIT.ok;
    }
    case 'sync': {
      if (problems.some((p) => p.severity === 'error'))
        throw new InputError(`${config.glossary} has errors; run \`diglot glossary check\` and fix them before syncing`);
      const dryRun = values['dry-run'] === true;
      const entries = deeplEntries(glossary);
      const stateFile = syncedStatePath(file);
      const stateName = syncedStatePath(config.glossary);
      const printDiff = (diff: GlossaryDiff, against: string): void => {
        const { added, removed, changed } = diff;
        ctx.stdout(
          `(dry run) Compared with ${against}: ${added.length} entr${added.length === 1 ? 'y' : 'ies'} added, ${removed.length} removed, ${changed.length} changed.\n`,
        );
        for (const line of formatDiff(diff)) ctx.stdout(`  ${line}\n`);
      };
      const engine = await engineFromEnv(config, ctx.log);
      if (engine === undefined) {
        if (!dryRun)
          throw new InputError(
            'glossary sync needs DEEPL_AUTH_KEY (and DEEPL_SERVER_URL for a DeepL-compatible server)',
            '`glossary sync --dry-run` without a key shows what changed since the last sync',
          );
        // Without a key: against what the last sync sent, as the project records it. Nothing is sent.
        const state = await readSyncedState(stateFile, stateName);
        const diff = diffEntries(state?.entries ?? [], entries);
        if (values.json) return json({ dryRun, against: 'synced-state', file: stateName, synced: state !== undefined, ...diff });
        if (state === undefined) ctx.stdout(`(dry run) No ${stateName} yet (\`glossary sync\` writes it): every entry counts as added.\n`);
        printDiff(diff, state === undefined ? 'an empty glossary (no sync yet)' : `the last sync (${stateName})`);
        return EXIT.ok;
      }
      const deepl = await engine.client();
      const result = await deepl.syncGlossary(entries, { dryRun, deleteStale: true });
      let diff: GlossaryDiff | undefined;
      // What DeepL holds now for the project: the glossary of these entries, else the one made last.
      const held = result.id ?? result.previous?.id;
      if (dryRun) diff = diffEntries(held === undefined ? [] : await deepl.glossaryEntries(held), entries);
      else {
        // Recorded only after DeepL took it: the state always says what DeepL holds.
        const state = { glossary: result.name, entries };
        const before = await readSyncedState(stateFile, stateName).catch(() => undefined);
        if (JSON.stringify(before) !== JSON.stringify(state)) await writeSyncedState(stateFile, state);
      }
      if (values.json) return json({ dryRun, ...result, ...(diff ? { against: 'deepl', ...diff } : {}) });
      const lines = {
        none: 'The glossary is empty: nothing to sync.',
        unchanged: `Unchanged: DeepL glossary "${result.name}" (${result.id}) matches ${config.glossary}.`,
        created: dryRun
          ? `DeepL glossary "${result.name}" would be created.`
          : `Created: DeepL glossary "${result.name}"${result.id ? ` (${result.id})` : ''}.`,
      };
      ctx.stdout(`${dryRun ? '(dry run) ' : ''}${lines[result.action]}\n`);
      if (diff) printDiff(diff, held === undefined ? 'DeepL (no glossary of this project yet)' : `DeepL's dictionary of ${held}`);
      for (const g of result.stale) ctx.stdout(`${dryRun ? '(dry run) would delete' : 'Deleted'} stale glossary "${g.name}" (${g.id}).\n`);
      if (result.recent > 0) {
        const it = result.recent === 1 ? 'it' : 'them';
        ctx.stdout(
          `Kept: ${result.recent} other glossar${result.recent === 1 ? 'y' : 'ies'} of this project made within the last day ` +
            `(a build elsewhere may be using ${it}); a sync after that deletes ${it}.\n`,
        );
      }
      if (result.foreign > 0)
        ctx.stdout(`Left alone: ${result.foreign} glossar${result.foreign === 1 ? 'y' : 'ies'} not belonging to this project.\n`);
      return EXIT.ok;
    }
    case 'stats': {
      const project = await loadProject(config, ctx.log);
      const segments = project.articles.flatMap((a) =>
        // Its plain text but code and bare web addresses, as the checks read it.
        a.segments.map((s) => ({ german: termText(s), english: project.memory.lookup(s.source, config.targetLang)?.target })),
      );
      const stats = termStats(glossary, segments);
      if (values.json) return json({ terms: stats });
      for (const s of stats) {
        const forms = Object.entries(s.forms)
          .map(([form, n]) => `${form} ×${n}`)
          .join(', ');
        const status =
          s.occurrences === 0
            ? 'never occurs in the sources'
            : `${counted(s.occurrences, 'occurrence')} in ${counted(s.segments, 'segment')}; ` +
              `${s.compliant}/${s.segments - s.untranslated} translations comply` +
              `${s.untranslated ? `, ${s.untranslated} not translated yet` : ''} (${forms})`;
        ctx.stdout(`${s.german} → ${s.english}: ${status}\n`);
      }
      const never = stats.filter((s) => s.occurrences === 0).length;
      if (never > 0) ctx.log.info(`${never} term${never === 1 ? '' : 's'} never occur${never === 1 ? 's' : ''} in the sources.`);
      return EXIT.ok;
    }
    case 'suggest': {
      const project = await loadProject(config, ctx.log);
      const segments = project.articles.flatMap((a) => a.segments.map((s) => ({ text: s.plain, file: a.doc.path, line: s.line })));
      const suggestions = suggestTerms(glossary, segments);
      if (values.json) return json({ suggestions });
      if (suggestions.length === 0) ctx.stdout('No candidates: every recurring compound and name is covered.\n');
      for (const s of suggestions)
        ctx.stdout(`${String(s.count).padStart(3)}× ${s.term}  (${s.kind}, ${s.file}:${s.line})\n      ${s.context}\n`);
      return EXIT.ok;
    }
    default:
      throw unknownAction('glossary', action, ['add', 'remove', 'import', 'export', 'check', 'list', 'stats', 'suggest', 'sync', 'merge']);
  }
}

/**
 * `diglot glossary merge BASE OURS THEIRS [PATH]`: git's `%O %A %B %P`; the result goes to OURS. With
 * PATH (the file's path in the project) messages name it, not git's temp files.
 */
async function mergeCommand(ctx: CommandContext, args: string[], json: boolean): Promise<ExitCode> {
  const [base, ours, theirs, named] = args;
  if (base === undefined || ours === undefined || theirs === undefined || args.length > 4) {
    throw new InputError(
      'glossary merge: give exactly <base> <ours> <theirs>, and the path for messages (git: %O %A %B %P)',
      'see "Working as a team" in the README for the git setup',
    );
  }
  const read = await driverVersions(ctx.cwd, args.slice(0, 3), 'diglot glossary merge');
  const versions = {
    base: { name: named === undefined ? base : `${named} (base)`, text: read.base },
    ours: { name: named ?? ours, text: read.ours },
    theirs: { name: named === undefined ? theirs : `${named} (theirs)`, text: read.theirs },
  };
  return mergeVersions(ctx, path.resolve(ctx.cwd, ours), ours, versions, json);
}

/** `diglot glossary merge` in a project: merges git's three versions of a glossary it left unmerged (its merge driver did not run). */
async function mergeUnmerged(ctx: CommandContext, file: string, name: string, json: boolean): Promise<ExitCode> {
  const versions = gitVersions(file);
  if (!versions) {
    if (json) printJson(ctx, { file: name, merged: false, conflicts: [] });
    ctx.log.info(`${name} is not unmerged in git: nothing to merge (conflict markers left in it are settled by hand: keep one row each).`);
    return EXIT.ok;
  }
  const named = (side: string, text: string): { name: string; text: string } => ({ name: `${name} (${side})`, text });
  // Our side is the file as it is now (a row fixed since git left it counts), unless it holds conflict markers.
  const now = await readFile(file, 'utf8').catch(() => undefined);
  const ours = ourSideNow(versions, now);
  const code = await mergeVersions(
    ctx,
    file,
    name,
    {
      base: named('base', versions.base),
      ours: ours === now ? { name, text: ours } : named('ours', ours),
      theirs: named('theirs', versions.theirs),
    },
    json,
  );
  if (code === EXIT.ok) ctx.log.info(`Merged ${name}: the rows of both sides are in it, sorted.\nNow \`git add ${name}\`.`);
  return code;
}

/** Merges three versions of a glossary into `file` (see `mergeGlossary`); exit 1 with the rows changed on both sides between markers. */
async function mergeVersions(
  ctx: CommandContext,
  file: string,
  ours: string,
  versions: Parameters<typeof mergeGlossary>[0],
  json: boolean,
): Promise<ExitCode> {
  const ourVersion = versions.ours;
  const result = mergeGlossary(versions);
  if ('problems' in result) {
    // Leave OURS as it was: git then reports a conflict, keeps our version in the working tree and all
    // three in the index (`git checkout --theirs`, `git show :3:<path>`), so nothing is lost.
    ctx.log.error(
      `glossary merge: not merged, a version does not parse whole (ours left as it was; ${
        result.problems.every((p) => p.startsWith('ours:'))
          ? 'fix the lines in the file, then run `diglot glossary merge`'
          : "the other side's version (`git show :3:<file>`) is fixed where it was written, then merged again"
      }):\n  ${result.problems.join('\n  ')}`,
    );
    return EXIT.failed;
  }
  await writeAtomic(file, inFileStyle(ourVersion.text, result.text));
  if (json) printJson(ctx, { file: ours, conflicts: result.conflicts, clashes: result.clashes });
  if (result.clashes.length > 0) {
    ctx.log.error(
      'glossary merge: merged, but the terms of both sides clash ' +
        `(every row is in the file; fix these lines, then \`git add\` the file):\n  ${result.clashes.join('\n  ')}`,
    );
    return EXIT.failed;
  }
  if (result.conflicts.length === 0) return EXIT.ok;
  const n = result.conflicts.length;
  ctx.log.error(
    `glossary merge: ${n} term${n === 1 ? '' : 's'} changed differently on both sides (${result.conflicts.map((g) => `"${g}"`).join(', ')}); both versions are in the file between conflict markers: keep one row each, then \`git add\` the file`,
  );
  return EXIT.failed;
}

/**
 * Runs `change` on the glossary text under the project lock (read, change and write under it: an
 * edit made meanwhile by another run is never overwritten), after removing temp files an
 * interrupted run left. A missing or blank file is an empty glossary; a file that does not parse
 * whole is refused (a row the parser could not read would be dropped by the rewrite).
 */
async function editGlossary(
  config: Config,
  ctx: CommandContext,
  action: string,
  /** Given the file's text, and what writes a new text in the file's own style (see `inFileStyle`). */
  change: (text: string, write: (next: string) => Promise<void>) => Promise<void>,
): Promise<void> {
  const file = path.join(config.root, config.glossary);
  const release = acquireLock(path.join(config.root, '.diglot.lock'));
  try {
    const stale = await removeStaleTemps(path.dirname(file), path.basename(file));
    if (stale.length > 0)
      ctx.log.info(`Removed ${stale.length} temp file${stale.length === 1 ? '' : 's'} left by an interrupted run: ${stale.join(', ')}.`);
    const empty = `${GLOSSARY_HEADER.join(',')}\n`;
    const got = await readGlossaryText(file, config.glossary);
    // A missing or blank file is an empty glossary; any other read error, or a file not in UTF-8, stops the edit.
    const read = typeof got === 'string' ? got : empty;
    const text = read.trim() === '' ? empty : read;
    const unmerged = unmergedGlossary(file, read, config.glossary);
    const unreadable =
      got !== undefined && typeof got !== 'string'
        ? [got]
        : [...(unmerged ? [unmerged] : []), ...unreadableRows(readGlossaryRows(text, config.glossary), config.glossary)];
    if (unreadable.length > 0) {
      throw new InputError(
        `glossary ${action}: ${config.glossary} does not parse whole; nothing changed:\n  ${unreadable.map(formatMessage).join('\n  ')}`,
        'fix these lines (`diglot glossary check` lists every problem), then run the command again',
      );
    }
    await change(text, (next) => writeAtomic(file, inFileStyle(read, next)));
  } finally {
    release();
  }
}

/** A term as the glossary file's row would say it, for `import --json`. */
function rowOf(t: GlossaryTerm): { german: string; english: string; forms: string; note: string } {
  return {
    german: t.german,
    english: t.english,
    forms: t.forms.map((f) => (f.en === t.english ? f.de : `${f.de}=${f.en}`)).join(';'),
    note: t.note,
  };
}

/** `Ostflanke → eastern flank (forms: Ostflanken=eastern flanks) — note`, for the console. */
function describe(t: GlossaryTerm): string {
  const forms = t.forms.map((f) => (f.en === t.english ? f.de : `${f.de} → ${f.en}`)).join('; ');
  return `${t.german} → ${t.english}${forms ? `  (forms: ${forms})` : ''}${t.note ? `  — ${t.note}` : ''}`;
}

/**
 * What stops a rewrite of the glossary: lines that do not parse, and comment lines (`# …`), which the
 * file has no place for: sorted as terms, a comment would end up far from the rows it describes.
 */
function unreadableRows({ rows, problems }: ReturnType<typeof readGlossaryRows>, file: string): Message[] {
  const comments = rows.filter((row) => (row.cells[0] ?? '').startsWith('#'));
  return [
    ...problems,
    ...comments.map(
      (row): Message => ({
        file,
        line: row.line,
        rule: 'glossary',
        severity: 'error',
        message:
          'a comment line, which the glossary does not have: rewritten, the file would sort it among the terms, ' +
          'away from the rows it describes; put the remark in the note column, or remove the line',
      }),
    ),
  ].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
