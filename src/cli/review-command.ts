import { existsSync } from 'node:fs';
import path from 'node:path';
import { whileInterruptible } from './interruptible.js';
import { loadProject } from '../load-project.js';
import { runChecks } from '../qa/run-checks.js';
import { findUnimportedEdits, orphanedEdits, orphanedLine } from '../review-file/find-unimported-edits.js';
import { ReviewState } from '../review-file/review-state.js';
import { changeLine, type ReviewChange } from '../review-file/compare-review.js';
import { defaultReviewFiles, importReviews, type ImportedFile } from '../review-file/import-review.js';
import { REVIEW_STATUSES, reviewStatus } from '../review-file/review-status.js';
import { compactDiff, preview } from '../review-file/word-diff.js';
import { serveReview } from '../review-app/serve-review.js';
import { fromMemoryOnly } from '../translate/memory-only.js';
import { EXIT, InputError, type ExitCode } from '../util/errors.js';
import { atLines, counted, formatCount } from '../util/format-count.js';
import { type CommandContext, printJson, projectConfig } from './context.js';
import { commonHelp, parseCommandArgs, refuseOthersOptions, unknownAction } from './parse-command-args.js';
import { formatMessage } from '../util/format-message.js';
import { acquireLock } from '../util/project-lock.js';

export const REVIEW_HELP = `Usage: diglot review <import|status|serve> [options]

  import [FILE…]   read reviewers' edits from review files (default: every *.review.md in output/)
                   into the translation memory: a changed English becomes origin human, status
                   reviewed (approved when its segment line was changed to "approved" with it: an
                   approval written before is withdrawn), the old English kept in the entry's
                   history. Prints a line per changed segment and a summary.
                   A file whose German, segment ids or pairs were changed is refused whole, each
                   problem as file:line: message (exit 2); the other files are imported.
  status           per article: segments machine / reviewed / approved / missing / copied, the
                   findings that remain, and review-file edits not imported yet
  serve            the review page as a local app at http://127.0.0.1:PORT/ (the address, with its
                   secret token, is printed): edit a pair's English in place with the checks re-run
                   as you type, approve, revert to the previous English; each change goes into the
                   memory at once (origin human, the old English kept in its history); accept a
                   finding as it stands (it stops counting until the English changes). Keys: j/k
                   rows, n/N findings, e edit, a approve, Ctrl-Enter save, Esc cancel. Ctrl-C stops it.

Options:
  --port <n>     serve: the port to listen on (default: a free one)
  --overwrite    import: a pair's English edited in the file wins even where the memory's English
                 changed since the file was written (the memory's kept in the entry's history);
                 without it such a pair refuses the file
  --by <name>    import, serve: who accepts findings ("ok: rule" lines, the app's Accept buttons);
                 default: $DIGLOT_REVIEWER, else git's user.name
${commonHelp(16)}

Exit codes: 0 done · 2 a file was refused or bad arguments · 6 project locked
`;

/** `diglot review …`. */
export async function reviewCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('review', ctx.args, {
    port: { type: 'string' },
    by: { type: 'string' },
    overwrite: { type: 'boolean' },
  });
  const by = values.by !== undefined ? { by: values.by } : {};
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    ctx.stdout(REVIEW_HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  // An option of another action is refused, never ignored.
  refuseOthersOptions('review', action, values, { port: ['serve'], by: ['import', 'serve'], overwrite: ['import'] });
  const config = await projectConfig(values.root, ctx);

  if (action === 'import') {
    const files =
      rest.length > 0
        ? rest.map((f) => ({ path: fromHereOrProject(f, ctx.cwd, config.root, config.output), display: f }))
        : (await defaultReviewFiles(config)).map((f) => ({ path: f, display: path.relative(ctx.cwd, f) || f }));
    if (files.length === 0) {
      // A build under way may not have written them yet: that run is named, as every command under the lock names it.
      acquireLock(path.join(config.root, '.diglot.lock'))();
      ctx.log.warn(`no review files in ${config.output}/; run \`diglot build\` first`);
      if (values.json) printJson(ctx, { files: [], changed: 0, refused: 0 });
      return EXIT.ok;
    }
    const results = await importReviews(config, files, { log: ctx.log, ...by, overwrite: values.overwrite === true });
    const refused = results.filter((r) => r.problems.length > 0);
    const changed = results.reduce((n, r) => n + r.changes.length, 0);
    if (values.json) {
      printJson(ctx, { files: results.map(toJson), changed, refused: refused.length });
    } else if (!values.quiet) {
      for (const r of results) {
        for (const c of r.changes) ctx.stdout(`${r.file}:${changeLine(c)}: ${c.segment.id} ${describe(c)}: ` + `${changedEnglish(c)}\n`);
      }
    }
    for (const r of results) for (const m of r.earlier ?? []) ctx.log.warn(formatMessage(m));
    for (const r of refused) {
      const held = r.held ?? [];
      const kept =
        held.length === 0 ? '' : `\n  it holds ${atLines(held.map(changeLine), 'edit')} too, imported once the lines above are fixed`;
      ctx.log.error(`${r.file}: refused, nothing imported from it:\n${r.problems.map((p) => `  ${formatMessage(p)}`).join('\n')}${kept}`);
    }
    const kinds = new Map<string, number>();
    // An English written and approved in one edit is counted as both.
    const kindOf = (c: ReviewChange): string =>
      (c.kind === 'edited' || c.kind === 'translated') && c.status === 'approved'
        ? `${c.kind} and approved`
        : // An acceptance taken back (its ok line deleted) is no acceptance: said as what it is.
          c.kind === 'accepted' && c.accepted.length < (c.before?.accepted?.length ?? 0)
          ? 'acceptance withdrawn'
          : c.kind;
    for (const r of results) for (const c of r.changes) kinds.set(kindOf(c), (kinds.get(kindOf(c)) ?? 0) + 1);
    const detail = [...kinds].map(([k, n]) => `${n} ${k}`).join(', ');
    // "from 1 of 1,000 review files": the files that held changes, of those read.
    const withChanges = results.filter((r) => r.changes.length > 0).length;
    if (changed === 0 && refused.length === 0) ctx.log.info(`No edits to import in ${counted(results.length, 'review file')}.`);
    else
      ctx.log.info(
        `Imported ${counted(changed, 'change')}${detail ? ` (${detail})` : ''} ` +
          `from ${formatCount(withChanges)} of ${counted(results.length, 'review file')} ` +
          `into ${config.memory}${refused.length > 0 ? `; ${refused.length} refused` : ''}.` +
          `${changed > 0 ? ' Run `diglot build` to put them into the editions.' : ''}`,
      );
    return refused.length > 0 ? EXIT.usage : EXIT.ok;
  }

  if (action === 'status') {
    if (rest.length > 0) throw new InputError(`review status: unexpected argument "${rest[0]}"`);
    const project = await loadProject(config, ctx.log);
    const articles = fromMemoryOnly(project);
    const findings = runChecks(articles, project.glossary);
    const state = new ReviewState(path.join(config.root, config.output));
    const unimported = await findUnimportedEdits(config, project.articles, project.memory, state);
    const byId = new Map(unimported.map((u) => [path.basename(u.file, '.review.md'), u]));
    // A file import would refuse still counts the edits it holds; its problems say why, each at its line.
    const rows = reviewStatus(articles, findings).map((r) => {
      const u = byId.get(r.id);
      // Each line holding an edit once, whether it can be imported or not (an English edited with its German is both held and refused).
      const held = new Set([...(u?.changed ?? []), ...(u?.problems ?? []).map((p) => p.line)]);
      return { ...r, unimported: held.size, refused: (u?.problems ?? []).map(formatMessage) };
    });
    // Review files of articles gone from the sources that still hold edits: no row of the table, said after it.
    const orphaned = (await orphanedEdits(config, project.articles, project.memory, state)).map((u) => orphanedLine(u, config.sources));
    if (values.json) {
      printJson(ctx, { articles: rows, orphaned });
      return EXIT.ok;
    }
    if (!values.quiet) ctx.stdout(formatStatus(rows) + (orphaned.length > 0 ? `\n${orphaned.join('\n')}\n` : ''));
    return EXIT.ok;
  }
  if (action === 'serve') {
    if (rest.length > 0) throw new InputError(`review serve: unexpected argument "${rest[0]}"`);
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535 || !/^\d+$/.test(values.port ?? '0'))
      throw new InputError(`review serve: --port must be a port number (0–65535), not "${values.port}"`);
    const server = await serveReview(config, { port, log: ctx.log, ...by });
    if (values.json) ctx.stdout(`${JSON.stringify({ url: server.url, port: server.port })}\n`);
    else ctx.stdout(`Review app: ${server.url}\n`);
    ctx.log.info('Open the address above in a browser (it holds a secret token: share it with no one). Press Ctrl-C to stop.');
    // Until Ctrl-C, then until the saves under way are done (the project lock's own handler, which would end the run
    // at once, stands back while this one listens); a second Ctrl-C quits at once.
    await whileInterruptible(
      ctx,
      async (signal) => {
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        await server.close();
      },
      undefined,
    );
    ctx.log.info('Review app stopped; every saved change is in the memory.');
    return EXIT.ok;
  }
  throw unknownAction('review', action, ['import', 'status', 'serve']);
}

function describe({ kind, status, accepted, before }: ReviewChange): string {
  if (kind === 'accepted') return accepted.length > 0 ? `findings accepted: ${accepted.join(', ')}` : 'no findings accepted any more';
  if (kind === 'approved') return 'approved';
  if (kind === 'unapproved') return `no longer approved (${status})`;
  if (kind === 'reviewed') return 'marked reviewed as it stands';
  // What held for the English before an edit does not carry over: said, so that an `ok:` line left in the file misleads no one.
  const ended = [
    ...(kind === 'edited' && before?.status === 'approved' && status !== 'approved' ? ['its approval'] : []),
    ...(kind === 'edited'
      ? (before?.accepted ?? []).filter((a) => !accepted.includes(a.rule)).map((a) => `its acceptance of the ${a.rule} finding`)
      : []),
  ];
  if (ended.length === 1 && ended[0] === 'its approval')
    return `edited, ${status} (its approval was of the English before: approve the new one again)`;
  if (ended.length > 0)
    return `edited, ${status} (${ended.join(' and ')} ${ended.length === 1 ? 'was' : 'were'} of the English before: give again what holds for the new one)`;
  return `${kind}, ${status}`;
}

/** An edit's English as the import shows it: its changed words, or the whole when it was written anew; any other change's English. */
function changedEnglish(c: ReviewChange): string {
  if (!c.before || c.kind !== 'edited') return `"${preview(c.target)}"`;
  return compactDiff(c.before.target, c.target) ?? `rewritten: "${preview(c.target)}"`;
}

function toJson(r: ImportedFile): unknown {
  return {
    file: r.file,
    refused: r.problems.length > 0,
    problems: r.problems,
    earlier: r.earlier ?? [],
    changes: r.changes.map((c) => ({
      line: changeLine(c),
      id: c.segment.id,
      kind: c.kind,
      status: c.status,
      target: c.target,
      before: c.before?.target ?? null,
    })),
  };
}

type StatusRow = ReturnType<typeof reviewStatus>[number] & { unimported: number; refused: string[] };

/** A table: one line per article, then the totals. */
function formatStatus(rows: readonly StatusRow[]): string {
  const head = ['article', ...REVIEW_STATUSES, 'findings', 'unimported'];
  const line = (r: StatusRow): string[] => [
    r.id,
    ...REVIEW_STATUSES.map((s) => String(r.statuses[s])),
    String(r.findings),
    String(r.unimported),
  ];
  const totals: StatusRow = {
    id: 'total',
    source: '',
    title: '',
    segments: rows.reduce((n, r) => n + r.segments, 0),
    statuses: Object.fromEntries(REVIEW_STATUSES.map((s) => [s, rows.reduce((n, r) => n + r.statuses[s], 0)])) as StatusRow['statuses'],
    findings: rows.reduce((n, r) => n + r.findings, 0),
    unimported: rows.reduce((n, r) => n + r.unimported, 0),
    refused: rows.flatMap((r) => r.refused),
  };
  const table = [head, ...rows.map(line), line(totals)];
  const widths = head.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length)));
  const fmt = (row: string[]): string =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  const out = [fmt(head), ...rows.map((r) => fmt(line(r))), fmt(line(totals))];
  if (totals.refused.length > 0)
    out.push(
      '',
      'Review files `diglot review import` would refuse (fix these lines first; nothing of such a file is imported):',
      ...totals.refused.map((m) => `  ${m}`),
    );
  if (totals.unimported > 0) out.push('', 'Review files hold edits not imported yet: run `diglot review import`.');
  return `${out.join('\n')}\n`;
}

/**
 * A file named on the command line: relative to the current folder, or, when it is not there, to the
 * project folder (as the paths diglot prints are, and as \`build ARTICLE\` takes them), or, a bare
 * name, in the output folder.
 */
function fromHereOrProject(file: string, cwd: string, root: string, output: string): string {
  const here = path.resolve(cwd, file);
  // Then relative to the project, then, a bare name, in the output folder (`x.review.md`, typed from sources/).
  const elsewhere = [path.resolve(root, file), ...(path.basename(file) === file ? [path.resolve(root, output, file)] : [])];
  return existsSync(here) ? here : (elsewhere.find((f) => existsSync(f)) ?? here);
}
