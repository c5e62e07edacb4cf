// `diglot retranslate`: sends chosen machine translations to DeepL again (after a term or the settings
// changed), keeping the earlier English in the memory's history; the next build carries the result.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deeplEntries } from '../glossary/deepl-entries.js';
import type { Config } from '../config/config.js';
import { loadProject, type Project } from '../load-project.js';
import { findUnimportedEdits } from '../review-file/find-unimported-edits.js';
import { parseReview } from '../review-file/parse-review.js';
import { reviewFileName } from '../review-file/review-state.js';
import type { Finding } from '../model.js';
import { planTranslation, type TranslationPlan } from '../translate/plan-translation.js';
import {
  type PickedSegment,
  type RetranslationCriteria,
  type RetranslationSelection,
  selectRetranslation,
} from '../translate/select-retranslation.js';
import { sendBatches, type SendOutcome } from '../translate/send-batches.js';
import { settingsHash } from '../translate/settings-hash.js';
import { type DiglotError, EXIT, type ExitCode, InputError } from '../util/errors.js';
import { formatCount } from '../util/format-count.js';
import { formatMessage } from '../util/format-message.js';
import { acquireLock } from '../util/project-lock.js';
import { whileInterruptible } from './interruptible.js';
import { type CommandContext, printJson, projectConfig } from './context.js';
import { engineFromEnv } from './engine-from-env.js';
import { commonHelp, maxCharactersOption, parseCommandArgs } from './parse-command-args.js';

export const RETRANSLATE_HELP = `Usage: diglot retranslate <selector>… [options]

Sends machine translations (made by DeepL, not yet reviewed) to DeepL again, with the glossary and
the "deepl" settings of diglot.config.json as they are now. The earlier English is kept in the
memory entry's history; the next \`diglot build\` carries the new English into every edition.
Human and imported translations are never re-sent: those that break a --term are listed, to be
fixed by hand. Each selector given narrows the selection; a selector given twice widens it.

Selectors:
  --term <german>          segments holding the glossary term whose English breaks it (after the
                           term's English changed in the glossary)
  --rule <rule>            segments with a finding of that check (term, number, untranslated …)
  --article <file>         the segments of an article (its path, file name or id)
  --segment <id>           one segment, by the id the review files and segments.jsonl give it
  --settings-changed       segments translated with other DeepL settings or another glossary than
                           now (or before diglot recorded them)

Options:
  --dry-run                show what would be sent (segments, characters, requests); send nothing
  --include-reviewed       re-send reviewed and approved machine translations too
  --max-characters <n>     stop before DeepL bills more than n characters in this run
${commonHelp(26)}

Examples:
  diglot retranslate --term Ostflanke --dry-run
  diglot retranslate --settings-changed --max-characters 50000
  diglot retranslate --rule untranslated --article sources/2024-05-nato.md

Environment:
  DEEPL_AUTH_KEY     DeepL API key (never printed); not needed with --dry-run
  DEEPL_SERVER_URL   DeepL-compatible server to use instead of DeepL's
`;

/** What `retranslate --json` prints. */
export interface RetranslateResult {
  dryRun: boolean;
  /** The hash of the current settings and glossary, recorded on every entry re-sent. */
  settings: string;
  /** Segments re-sent (a repeated text each time) and the distinct texts among them. */
  segments: number;
  texts: number;
  billableCharacters: number;
  requests: number;
  /** Picked segments whose translations are kept as they are. */
  kept: { human: number; reviewed: number };
  resent: Array<{ file: string; line: number; id: string }>;
  /** Of a run that stopped, the segments it did not re-send (see the message's `--segment` list); else empty. */
  rest: Array<{ file: string; line: number; id: string }>;
  /** Kept translations that break a --term, with the term's English now, and where the review file holds their English. */
  findings: Array<Finding & { reviewFile?: string }>;
  /** What was sent; `unchanged` counts the texts whose English came back as it was. `null` on a dry run. */
  sent: { requests: number; billedCharacters: number; stored: number; unchanged: number; failedRequests: number } | null;
  /** Why it stopped, as `--json` gives an error (see `DiglotError.toJSON`). */
  error: ReturnType<DiglotError['toJSON']> | null;
}

/** `diglot retranslate`. */
export async function retranslateCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values } = parseCommandArgs(
    'retranslate',
    ctx.args,
    {
      term: { type: 'string', multiple: true },
      rule: { type: 'string', multiple: true },
      article: { type: 'string', multiple: true },
      segment: { type: 'string', multiple: true },
      'settings-changed': { type: 'boolean' },
      'include-reviewed': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'max-characters': { type: 'string' },
    },
    { positionals: false },
  );
  if (values.help) {
    ctx.stdout(RETRANSLATE_HELP);
    return EXIT.ok;
  }
  const criteria = {
    terms: values.term ?? [],
    rules: values.rule ?? [],
    articles: values.article ?? [],
    segments: values.segment ?? [],
    settingsChanged: values['settings-changed'] === true,
    includeReviewed: values['include-reviewed'] === true,
  };
  const selectors = [criteria.terms, criteria.rules, criteria.articles, criteria.segments].some((s) => s.length > 0);
  if (!selectors && !criteria.settingsChanged)
    throw new InputError(
      'retranslate: say what to re-send: --term, --rule, --article, --segment or --settings-changed',
      'run `diglot retranslate --help` for the selectors',
    );
  const maxCharacters = maxCharactersOption(values['max-characters'], 'retranslate');
  const dryRun = values['dry-run'] === true;
  const config = await projectConfig(values.root, ctx);
  const engine = dryRun ? undefined : await engineFromEnv(config, ctx.log);
  if (!dryRun && !engine)
    throw new InputError('retranslate sends to DeepL, and DEEPL_AUTH_KEY is not set', 'set it, or add --dry-run to see what would be sent');

  // A dry run writes nothing and takes no lock; a run that sends holds it from reading to the last write.
  const release = dryRun ? () => undefined : acquireLock(path.join(config.root, '.diglot.lock'));
  try {
    const project = await loadProject(config, ctx.log);
    const lang = config.targetLang;
    const glossaryEntries = deeplEntries(project.glossary);
    const settings = settingsHash(config.deepl, glossaryEntries);
    const selection = selectRetranslation({ ...project, lang, settings }, criteria);
    const plan = planTranslation(project.articles, project.memory, lang, { resend: selection.keys });
    const held = await heldEdits(config, project, selection.keys);
    if (held.length > 0) {
      const where = held.flatMap((f) => f.lines.map((line) => `  ${f.file}:${line}`)).join('\n');
      const count = held.reduce((n, f) => n + f.lines.length, 0);
      const message =
        `${count === 1 ? 'a segment' : `${count} segments`} to re-send ${count === 1 ? 'holds an edit' : 'hold edits'} ` +
        `not imported from the review files:\n${where}`;
      const hint = 'run `diglot review import` first (an imported edit is a human translation, which retranslate keeps), or undo the edits';
      if (!dryRun) throw new InputError(`retranslate: ${message}\nre-sending would put DeepL's English over them; nothing was sent`, hint);
      ctx.log.warn(`${message}\n  hint: ${hint}`);
    }

    let outcome: SendOutcome | undefined;
    let interrupted = false;
    if (engine && plan.batches.length > 0) {
      project.memory.checkWritable();
      outcome = await whileInterruptible(ctx, (signal) => {
        const sending = sendBatches(plan, {
          engine,
          memory: project.memory,
          lang,
          concurrency: config.concurrency,
          glossaryEntries,
          ...(maxCharacters !== undefined ? { maxCharacters } : {}),
          now: () => new Date().toISOString(),
          log: ctx.log,
          signal,
        }).outcome;
        return sending.finally(() => {
          interrupted = signal.aborted;
        });
      });
    }
    const result = { ...toResult(dryRun, settings, selection, plan, outcome), findings: inReviewFiles(config, selection.findings) };
    if (values.json) printJson(ctx, result);
    else if (!values.quiet) ctx.stdout(formatResult(result, selection, criteria.includeReviewed));
    const rest = outcome ? forTheRest(selection, criteria, outcome) : '';
    if (interrupted && outcome) {
      const { planned, stored, unchanged } = outcome.texts;
      // The earlier English goes into the history only of those that came back changed.
      const history = stored > unchanged ? ' (the earlier English of those that changed in their history)' : '';
      ctx.log.error(
        stored === planned
          ? `interrupted, after all ${planned} texts were translated again and kept in the memory${history}: nothing is left to re-send`
          : `interrupted: ${stored} of ${planned} texts were translated again and kept in the memory${history}; ${rest}`,
      );
      return EXIT.interrupted;
    }
    if (outcome?.error) {
      const goOn = rest !== '' && outcome.texts.stored < outcome.texts.planned ? `\n  to go on: ${rest}` : '';
      ctx.log.error(outcome.error.message + (outcome.error.hint ? `\n  hint: ${outcome.error.hint}` : '') + goOn);
      return outcome.error.exitCode;
    }
    return EXIT.ok;
  } finally {
    release();
  }
}

/**
 * How to send the rest of a run that stopped: the same command where its selectors leave out what
 * was re-sent (`--settings-changed`, `--term`: the English re-sent no longer matches them); else the
 * segments not re-sent by id, since the same command would select, and bill, the re-sent ones again.
 */
function forTheRest(selection: RetranslationSelection, criteria: RetranslationCriteria, outcome: SendOutcome): string {
  if (criteria.settingsChanged === true || (criteria.terms?.length ?? 0) > 0) return 'run the same retranslate again for the rest';
  const rest = notResent(selection, outcome);
  if (rest.length === 0) return 'nothing is left to re-send';
  // A command per article: a segment id is its article's own (every article has a `title`).
  const byArticle = new Map<string, string[]>();
  for (const { segment } of rest) byArticle.set(segment.docId, [...new Set([...(byArticle.get(segment.docId) ?? []), segment.id])]);
  const commands = [...byArticle]
    .slice(0, 3)
    .map(([article, ids]) => `\`diglot retranslate --article ${article} ${ids.map((id) => `--segment ${id}`).join(' ')}\``);
  // Said only when something was re-sent: the same command would select it again.
  const again = outcome.billedByKey.size > 0 ? 'the same command would re-send (and bill) the texts re-sent now again; ' : '';
  return (
    `${again}for the rest, run ` +
    commands.join(', then ') +
    (byArticle.size > commands.length
      ? ` and so on for ${formatCount(byArticle.size - commands.length)} more articles (\`--json\` lists every segment left as "rest")`
      : '')
  );
}

/** The segments selected whose texts a run did not send (no answer billed for them). */
function notResent(selection: RetranslationSelection, outcome: SendOutcome): PickedSegment[] {
  return selection.resent.filter((p) => !outcome.billedByKey.has(p.segment.key));
}

/** The review-file lines of edits not imported yet whose pairs are among `keys`, by file. */
async function heldEdits(config: Config, project: Project, keys: ReadonlySet<string>): Promise<Array<{ file: string; lines: number[] }>> {
  const files = await findUnimportedEdits(config, project.articles, project.memory);
  return files
    .map((f) => ({ file: f.file, lines: f.changed.filter((_, i) => keys.has(f.keys[i] as string)) }))
    .filter((f) => f.lines.length > 0);
}

function toResult(
  dryRun: boolean,
  settings: string,
  selection: RetranslationSelection,
  plan: TranslationPlan,
  outcome: SendOutcome | undefined,
): RetranslateResult {
  const place = ({ file, segment }: PickedSegment) => ({ file, line: segment.line, id: segment.id });
  return {
    dryRun,
    settings,
    segments: plan.pendingSegments,
    texts: plan.uniqueTexts,
    billableCharacters: plan.billableCharacters,
    requests: plan.batches.length,
    kept: {
      human: selection.kept.filter((k) => k.why === 'human').length,
      reviewed: selection.kept.filter((k) => k.why === 'reviewed').length,
    },
    resent: selection.resent.map(place),
    rest: outcome && outcome.texts.stored < outcome.texts.planned ? notResent(selection, outcome).map(place) : [],
    findings: selection.findings,
    sent: outcome
      ? {
          requests: outcome.requests,
          billedCharacters: outcome.billedCharacters,
          stored: outcome.texts.stored,
          unchanged: outcome.texts.unchanged,
          failedRequests: outcome.failedRequests,
        }
      : null,
    error: outcome?.error?.toJSON() ?? null,
  };
}

/** Findings with the place of their pair's English in the article's review file (`output/x.review.md:42`), where there is one. */
function inReviewFiles(config: Config, findings: readonly Finding[]): Array<Finding & { reviewFile?: string }> {
  const pairs = new Map<string, ReadonlyMap<string, number>>();
  const englishLines = (docId: string): ReadonlyMap<string, number> => {
    let found = pairs.get(docId);
    if (!found) {
      const file = path.join(config.output, reviewFileName(docId));
      let text = '';
      try {
        text = readFileSync(path.join(config.root, file), 'utf8');
      } catch {
        // Not built yet: the finding's place in the source is all there is.
      }
      found = new Map(parseReview(text, file).pairs.map((pair) => [pair.id, pair.englishLine]));
      pairs.set(docId, found);
    }
    return found;
  };
  return findings.map((f) => {
    const line = englishLines(f.docId).get(f.segmentId);
    return line === undefined ? f : { ...f, reviewFile: `${path.join(config.output, reviewFileName(f.docId))}:${line}` };
  });
}

/** The result as lines: what was picked, what is kept and why, what was sent. */
function formatResult(r: RetranslateResult, selection: RetranslationSelection, includeReviewed: boolean): string {
  const n = formatCount;
  const plural = (count: number, one: string, many = `${one}s`): string => `${n(count)} ${count === 1 ? one : many}`;
  const lines: string[] = [];
  if (r.segments === 0) {
    lines.push('Nothing to re-send: no machine translation matches.');
  } else {
    // A text re-sent is every segment's that holds it: those the selectors left out are counted, and said so.
    const elsewhere = r.segments - selection.resent.length;
    lines.push(
      `${r.dryRun ? 'Would re-send' : 'Re-sending'} ${plural(r.segments, 'segment')} (${plural(r.texts, 'distinct text')}` +
        `${elsewhere > 0 ? `; ${plural(elsewhere, 'segment')} not listed below ${elsewhere === 1 ? 'holds' : 'hold'} the same text as one listed` : ''}): ` +
        `${plural(r.billableCharacters, 'character')} in ${plural(r.requests, 'request')}.`,
    );
    for (const { file, segment } of selection.resent.slice(0, 20)) {
      const words = segment.plain.split(/\s+/);
      lines.push(`  ${file}:${segment.line}: ${segment.id} "${words.slice(0, 8).join(' ')}${words.length > 8 ? ' …' : ''}"`);
    }
    if (selection.resent.length > 20) lines.push(`  … and ${n(selection.resent.length - 20)} more (--json lists them all)`);
  }
  if (r.kept.human > 0) lines.push(`Kept: ${plural(r.kept.human, 'human or imported translation')} (never re-sent).`);
  if (r.kept.reviewed > 0)
    lines.push(
      `Kept: ${plural(r.kept.reviewed, 'reviewed machine translation')}${includeReviewed ? '' : ' (--include-reviewed re-sends them)'}.`,
    );
  if (r.findings.length > 0) {
    lines.push(`${plural(r.findings.length, 'kept translation breaks', 'kept translations break')} the term; fix by hand:`);
    for (const f of r.findings) lines.push(`  ${formatMessage(f)}${f.reviewFile ? `; its English: ${f.reviewFile}` : ''}`);
  }
  if (r.dryRun) {
    lines.push('Dry run: nothing was sent.');
  } else if (r.sent) {
    const { stored, unchanged } = r.sent;
    const same =
      unchanged === 0
        ? ''
        : `; ${unchanged === stored ? (unchanged === 1 ? 'it' : 'all') : n(unchanged)} ` +
          `came back as ${unchanged === 1 ? 'it was' : 'they were'}, ` +
          `${unchanged === 1 ? 'its' : 'their'} review status and accepted findings kept`;
    lines.push(
      `Re-sent ${plural(stored, 'text')} in ${plural(r.sent.requests, 'request')} ` +
        `(${plural(r.sent.billedCharacters, 'character')} billed)${same}; ` +
        `${unchanged === stored ? 'nothing to keep in the history' : "the earlier English is kept in each changed entry's history"}.` +
        // Only English that changed has anywhere to go.
        (stored > unchanged ? ' Run `diglot build` to carry it into the editions.' : ''),
    );
  }
  return `${lines.join('\n')}\n`;
}
