import path from 'node:path';
import { loadGlossary } from '../glossary/load-glossary.js';
import { deeplEntries } from '../glossary/deepl-entries.js';
import { EXIT, InputError, type ExitCode } from '../util/errors.js';
import { projectConfig, type CommandContext } from './context.js';
import { parseCommandArgs } from './parse-command-args.js';

export const GLOSSARY_HELP = `Usage: diglot glossary <check|list> [options]

  check   validate the glossary file; every problem as file:line: message; exit 2 on errors
  list    print the terms, their forms, and the entries DeepL receives

Options:
  --root <dir>   project folder (default: the current folder)
  --json         machine-readable output
  -h, --help     show this help
`;

/** `diglot glossary …`. */
export async function glossaryCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('glossary', ctx.args, {});
  const [action] = positionals;
  if (values.help || action === undefined) {
    ctx.stdout(GLOSSARY_HELP);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  const config = await projectConfig(values.root, ctx);
  const { glossary, problems } = await loadGlossary(path.join(config.root, config.glossary), config.glossary);
  if (action === 'check') {
    for (const p of problems) ctx.stdout(`${p.file}:${p.line}: ${p.severity}: ${p.message}\n`);
    const errors = problems.filter((p) => p.severity === 'error').length;
    ctx.log.info(errors === 0 ? `${config.glossary}: ${glossary.terms.length} terms, no problems.` : `${config.glossary}: ${errors} error${errors === 1 ? '' : 's'}.`);
    return errors === 0 ? EXIT.ok : EXIT.usage;
  }
  if (action === 'list') {
    if (values.json) {
      ctx.stdout(`${JSON.stringify({ terms: glossary.terms, deeplEntries: deeplEntries(glossary) }, null, 2)}\n`);
      return EXIT.ok;
    }
    for (const t of glossary.terms) {
      ctx.stdout(`${t.german} → ${t.english}${t.forms.length ? `  (forms: ${t.forms.map((f) => (f.en === t.english ? f.de : `${f.de} → ${f.en}`)).join('; ')})` : ''}\n`);
    }
    return EXIT.ok;
  }
  throw new InputError(`glossary: unknown action "${action}"`, 'use check or list');
}
