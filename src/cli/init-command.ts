// `diglot init [DIR]`: a new, empty project (config, sources/, glossary header, empty memory, git
// settings for the merge drivers and the output folder), refusing to overwrite anything.
import { randomUUID } from 'node:crypto';
import { readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
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
of these is there already, nothing is written, unless it is what an init stopped part-way left
(a beginning of what init writes, an empty sources/): then init finishes the project.

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
  // What an init stopped part-way (killed, the machine down) left is finished, not refused: every file there holds a
  // beginning of what init writes (its own config whole is kept, with its identifier), and sources/ is empty.
  const left = await leftByInit(dir, taken, files);
  const complete = left !== undefined && left.length === Object.keys(files).length && taken.includes('sources');
  if (taken.length > 0 && (left === undefined || complete))
    throw new InputError(`init: ${dir} already has ${taken.join(', ')}; nothing was written`, 'run init in a new or empty folder');
  for (const name of left ?? []) delete files[name];
  const resumed = taken.length > 0;
  const them = taken.length === 1 ? 'it' : 'them';
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
      const begun = taken.includes(name);
      if (!begun) made.push(path.join(dir, name));
      await writeFile(path.join(dir, name), text, { flag: begun ? 'w' : 'wx' });
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
    `Made a diglot project in ${where}/${resumed ? ` (with ${taken.join(', ')} there, as init writes ${them})` : ''}. ` +
      `Next: put German .md or .txt articles in ${path.join(where, 'sources')}/, then run \`diglot build\`` +
      ' (with DEEPL_AUTH_KEY set to translate). For git merges of the memory and glossary, see "Working as a team" in the README.',
  );
  return EXIT.ok;
}

/**
 * The files of `taken` (names in `dir`) an init stopped part-way left whole, to be kept as they are;
 * `undefined` when any of them is not such a leftover (then it is someone's, and init refuses).
 * A leftover holds a beginning of the text init writes there (nothing, when it stopped between
 * making the file and writing it); the config's identifier is its own; `sources/` is an empty folder.
 */
async function leftByInit(dir: string, taken: readonly string[], files: Readonly<Record<string, string>>): Promise<string[] | undefined> {
  const whole: string[] = [];
  for (const name of taken) {
    if (name === 'sources') {
      if ((await readdir(path.join(dir, name)).catch(() => undefined))?.length !== 0) return undefined;
      continue;
    }
    const text = await readFile(path.join(dir, name), 'utf8').catch(() => undefined);
    // The config as this init writes it, but with the identifier of the one there.
    const expected = (files[name] ?? '').replace(IDENTIFIER, (id) => IDENTIFIER.exec(text ?? '')?.[0] ?? id);
    if (text === undefined || !expected.startsWith(text)) return undefined;
    if (text === expected) whole.push(name);
  }
  return whole;
}

/** The identifier init gives a project's books. */
const IDENTIFIER = /urn:uuid:[0-9a-f-]{36}/;
