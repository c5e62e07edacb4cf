import { loadProject } from '../load-project.js';
import { runChecks } from '../qa/run-checks.js';
import { counted } from '../util/format-count.js';
import { fromMemoryOnly } from '../translate/memory-only.js';
import type { Finding } from '../model.js';
import { EXIT, type ExitCode } from '../util/errors.js';
import { type CommandContext, printJson, projectConfig } from './context.js';
import { commonHelp, parseCommandArgs } from './parse-command-args.js';
import { formatFindings } from './print-findings.js';
import { summarizeFindings } from '../qa/tally-findings.js';

export const QA_HELP = `Usage: diglot qa [options]

Runs every check on the translations in the memory, without translating or writing anything:
terminology (with German inflection), numbers, untranslated or empty text, length, quotes and
brackets, inline markup. Prints each finding as file:line:column: rule [segment]: message.
Findings a reviewer accepted (an "ok: rule" line in the review file) are left out and counted.
Exits 1 when there are findings, or segments without a translation.

Options:
${commonHelp(16, { json: 'print the findings as JSON on stdout' })}
`;

/** `diglot qa`. */
export async function qaCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values } = parseCommandArgs('qa', ctx.args, {}, { positionals: false });
  if (values.help) {
    ctx.stdout(QA_HELP);
    return EXIT.ok;
  }
  const config = await projectConfig(values.root, ctx);
  const project = await loadProject(config, ctx.log);
  const articles = fromMemoryOnly(project);
  const accepted: Finding[] = [];
  const findings = runChecks(articles, project.glossary, accepted);
  const unchecked = articles.reduce((n, a) => n + a.segments.filter((t) => t.target === undefined).length, 0);
  if (values.json) printJson(ctx, { findings, unchecked, accepted: accepted.length });
  else if (findings.length > 0 || !values.quiet) ctx.stdout(`${formatFindings(summarizeFindings(findings)) ?? 'No findings.'}\n`);
  if (accepted.length > 0)
    ctx.log.info(
      `${accepted.length} finding${accepted.length === 1 ? '' : 's'} accepted by reviewers ${accepted.length === 1 ? 'is' : 'are'} not listed.`,
    );
  if (unchecked > 0)
    ctx.log.warn(
      `${counted(unchecked, 'segment')} ${unchecked === 1 ? 'has' : 'have'} no translation yet ` +
        `and ${unchecked === 1 ? 'was' : 'were'} not checked.`,
    );
  // Segments without a translation are unfinished work, as for `build` (exit 1).
  return findings.length > 0 || unchecked > 0 ? EXIT.failed : EXIT.ok;
}
