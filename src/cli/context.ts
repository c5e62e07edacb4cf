import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { CONFIG_FILE, loadConfig } from '../config/load-config.js';
import { InputError } from '../util/errors.js';
import { formatMessage } from '../util/format-message.js';
import type { Logger } from '../util/logger.js';

/** What every command gets: its arguments, the project root and a logger. */
export interface CommandContext {
  args: string[];
  cwd: string;
  log: Logger;
  stdout: (text: string) => void;
}

/** Prints a command's result for `--json`: one JSON value, indented, on stdout. */
export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Loads the config of the project at `root` or, without `--root`, of the nearest folder upwards
 * from the working directory that holds `diglot.config.json` (as git finds its repository); config
 * errors are an InputError naming the keys.
 */
export async function projectConfig(root: string | undefined, ctx: CommandContext): Promise<Config> {
  if (root?.trim() === '') throw new InputError('--root: the folder name is empty', 'give --root the folder that holds diglot.config.json');
  const dir = root === undefined ? await discoverProject(ctx.cwd) : path.resolve(ctx.cwd, root);
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory())
    throw new InputError(
      `${root ?? dir}: ${found ? 'a file, not a folder' : 'no such folder'}`,
      'give --root the folder that holds diglot.config.json',
    );
  // A project has its config or one of the default folders (a terminologists' repository may hold only the glossary).
  if (!(await isProject(dir))) {
    throw new InputError(
      root === undefined
        ? `no diglot project here: no ${CONFIG_FILE} in ${dir} or any folder above it, and no sources/, glossary/ or memory/ in ${dir}`
        : `${dir} is not a diglot project: it has no ${CONFIG_FILE}, sources/, glossary/ or memory/`,
      'run diglot in the project folder (or below it), give it with --root DIR, or make one with `diglot init`',
    );
  }
  const { value, warnings, errors } = await loadConfig(dir);
  for (const w of warnings) ctx.log.warn(formatMessage(w));
  if (!value) {
    throw new InputError(`diglot.config.json is not valid:\n  ${errors.map(formatMessage).join('\n  ')}`);
  }
  return value;
}

/** The nearest folder from `cwd` upwards that holds the config; `cwd` itself when none does. */
async function discoverProject(cwd: string): Promise<string> {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (await present(path.join(dir, CONFIG_FILE))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

async function isProject(dir: string): Promise<boolean> {
  const marks = await Promise.all([CONFIG_FILE, 'sources', 'glossary', 'memory'].map((name) => present(path.join(dir, name))));
  return marks.some(Boolean);
}

/** Whether a file or folder is there. */
export async function present(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
