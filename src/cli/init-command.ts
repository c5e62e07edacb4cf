// `diglot init [DIR]`: a new, empty project (config, sources/, glossary header, empty memory, git
// settings for the merge drivers and the output folder), refusing to overwrite anything.
import { randomUUID } from 'node:crypto';
import { rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULTS } from '../config/load-config.js';
import { EXIT, type ExitCode, InputError, shownPath, storageError } from '../util/errors.js';
import { makeFolder } from '../util/make-folder.js';
import { type CommandContext, present, printJson } from './context.js';
import { commonHelp, parseCommandArgs } from './parse-command-args.js';

export const INIT_HELP = `Usage: diglot init [DIR] [options]

Makes DIR (default: the current folder) a diglot project: diglot.config.json (with an identifier
of the edition's own, for its books), sources/,
glossary/terms.csv (its header), memory/memory.jsonl (empty), .gitattributes (the memory's and
glossary's git merge drivers) and .gitignore (output/). Nothing that exists is overwritten: if any
of these is there already, nothing is written.

Options:
${commonHelp(16, { root: false })}
`;

/** The files of a new project, by path relative to it. */
function projectFiles(title: string): Record<string, string> {
  // Its own identifier: two editions of the same title are never taken for one book by a library.
  const config = { ...DEFAULTS, title, identifier: `urn:uuid:${randomUUID()}` };
  return {
    'diglot.config.json': `${JSON.stringify(config, null, 2)}\n`,
    'glossary/terms.csv': 'german,english,forms,note\n',
    'memory/memory.jsonl': '',
    '.gitattributes': 'memory/*.jsonl merge=diglot-memory\nglossary/*.csv merge=diglot-glossary\n',
    '.gitignore': 'output/\n.diglot.lock\n*.tmp\n',
  };
}

export async function initCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('init', ctx.args, {});
  if (values.help) {
    ctx.stdout(INIT_HELP);
    return EXIT.ok;
  }
  if (values.root !== undefined) throw new InputError('init: --root is not taken; give the folder as `diglot init DIR`');
  if (positionals.length > 1) throw new InputError(`init: one folder at most (got ${positionals.length})`, 'run `diglot init --help`');
  if (positionals[0]?.trim() === '') throw new InputError('init: the folder name is empty', 'give a folder, or none for the current one');
  const dir = path.resolve(ctx.cwd, positionals[0] ?? '.');
  const files = projectFiles(path.basename(dir));
  const taken = [];
  for (const name of [...Object.keys(files), 'sources']) if (await present(path.join(dir, name))) taken.push(name);
  if (taken.length > 0)
    throw new InputError(`init: ${dir} already has ${taken.join(', ')}; nothing was written`, 'run init in a new or empty folder');
  // What this init made, to be taken away again when it cannot finish (a full disk, a read-only
  // folder): a half-made project (an empty config) would be refused by every command, and by init.
  const made: string[] = [];
  const folder = async (at: string): Promise<void> => {
    for (let up = at; !(await present(up)); up = path.dirname(up)) made.push(up);
    await makeFolder(at);
  };
  try {
    await folder(path.join(dir, 'sources'));
    for (const [name, text] of Object.entries(files)) {
      await folder(path.dirname(path.join(dir, name)));
      made.push(path.join(dir, name));
      await writeFile(path.join(dir, name), text, { flag: 'wx' });
    }
  } catch (error) {
    const { code, path: where } = error as NodeJS.ErrnoException;
    if (code === undefined) throw error;
    // The files first, then their folders, deepest first.
    for (const at of made.sort((a, b) => b.length - a.length)) await rm(at, { force: true }).catch(() => rmdir(at).catch(() => undefined));
    const shown = shownPath(ctx.cwd, where ?? dir);
    const storage = storageError(error, shown, 'nothing was left behind');
    if (storage !== error) throw storage;
    throw new InputError(
      `init: cannot make ${shown} (${code}); nothing was left behind`,
      'give a folder you can write to, on a disk with room',
    );
  }
  const where = path.relative(ctx.cwd, dir) || '.';
  if (values.json) printJson(ctx, { root: dir, created: ['sources/', ...Object.keys(files)] });
  ctx.log.info(
    `Made a diglot project in ${where}/. Next: put German .md or .txt articles in ${path.join(where, 'sources')}/, then run \`diglot build\`` +
      ' (with DEEPL_AUTH_KEY set to translate). For git merges of the memory and glossary, see "Working as a team" in the README.',
  );
  return EXIT.ok;
}
