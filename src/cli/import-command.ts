import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { segmentText } from '../segment/segment-txt.js';
import { importRaw } from '../sources/import-raw.js';
import { RAW_DIR, readSourceFile, safeId } from '../sources/read-sources.js';
import { EXIT, InputError, type ExitCode } from '../util/errors.js';
import { writeAtomic } from '../write/write-atomic.js';
import { printJson, projectConfig, type CommandContext } from './context.js';
import { commonHelp, parseCommandArgs } from './parse-command-args.js';

export const IMPORT_HELP = `Usage: diglot import FILE… [options]

Turns raw scraped .txt articles into clean Markdown sources: sources/<name>.md with front matter
(title, date from the " date YYYY-MM " marker, author from a "Von …" byline, the raw file's name),
subheadings as "##", and the noise removed by the "cleanup" rules of diglot.config.json. Every
dropped line is printed with its rule. A raw file that sits in sources/ is moved to sources/raw/,
so the build does not read the article twice.

Options:
  --force        overwrite an existing sources/<name>.md
${commonHelp(16)}
`;

/** `diglot import`. */
export async function importCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('import', ctx.args, { force: { type: 'boolean' } });
  if (values.help) {
    ctx.stdout(IMPORT_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new InputError('import: name at least one raw .txt file', 'run `diglot import --help`');
  const config = await projectConfig(values.root, ctx);
  const sourcesDir = path.join(config.root, config.sources);
  const plans: Array<{ name: string; file: string; target: string } & ReturnType<typeof importRaw>> = [];
  for (const name of positionals) {
    const file = path.resolve(ctx.cwd, name);
    if (!file.toLowerCase().endsWith('.txt')) throw new InputError(`import: ${name}: only raw .txt files are imported`);
    // Read through the same strict reader as the build: bad encodings are refused with file:line.
    let doc;
    try {
      doc = await readSourceFile(file, name);
    } catch (error) {
      throw new InputError(`import: cannot read ${name}: ${(error as Error).message}`);
    }
    if ('message' in doc) throw new InputError(`${doc.file}:${doc.line}: ${doc.message}`);
    const target = path.join(sourcesDir, `${safeId(path.basename(file, path.extname(file)))}.md`);
    // Two raw files of one name: the second would write over the first's source in this very run, --force or not.
    const twin = plans.find((p) => p.target === target);
    if (twin)
      throw new InputError(
        `import: ${twin.name} and ${name} would both become ${path.relative(config.root, target)}; nothing was written`,
        'import them one at a time, one of them renamed',
      );
    if (existsSync(target) && !values.force) {
      throw new InputError(
        `import: ${path.relative(config.root, target)} already exists; nothing was written`,
        'use --force to overwrite it',
      );
    }
    const { markdown, dropped } = importRaw(segmentText(doc, config.cleanup), path.basename(file));
    plans.push({ name, file, target, markdown, dropped });
  }
  const written = [];
  for (const plan of plans) {
    await writeAtomic(plan.target, plan.markdown);
    if (!values.json) for (const d of plan.dropped) ctx.stdout(`${plan.name}:${d.line}: dropped by rule "${d.rule}": ${d.text}\n`);
    ctx.log.info(
      `Wrote ${path.relative(config.root, plan.target)} (${plan.dropped.length} line${plan.dropped.length === 1 ? '' : 's'} dropped).`,
    );
    let moved: string | undefined;
    if (path.dirname(plan.file) === sourcesDir) {
      const archive = freeName(path.join(sourcesDir, RAW_DIR, path.basename(plan.file)));
      await mkdir(path.dirname(archive), { recursive: true });
      await rename(plan.file, archive);
      moved = path.relative(config.root, archive);
      const earlier =
        path.basename(archive) === path.basename(plan.file) ? '' : ` (${RAW_DIR}/${path.basename(plan.file)} holds an earlier one)`;
      ctx.log.info(`Moved the raw file to ${moved}${earlier}.`);
    }
    written.push({
      raw: plan.name,
      file: path.relative(config.root, plan.target),
      dropped: plan.dropped.map(({ line, rule, text }) => ({ line, rule, text })),
      ...(moved !== undefined ? { moved } : {}),
    });
  }
  if (values.json) printJson(ctx, { written });
  return EXIT.ok;
}

/** `file`, or the first of `name-2.txt`, `name-3.txt` … not there: a raw file kept earlier is never written over. */
function freeName(file: string): string {
  const ext = path.extname(file);
  const stem = file.slice(0, file.length - ext.length);
  let candidate = file;
  for (let n = 2; existsSync(candidate); n++) candidate = `${stem}-${n}${ext}`;
  return candidate;
}
