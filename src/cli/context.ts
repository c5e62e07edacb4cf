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

/** Loads the config of the project at `root`; config errors are an InputError naming the keys. */
export async function projectConfig(root: string | undefined, ctx: CommandContext): Promise<Config> {
  const dir = path.resolve(ctx.cwd, root ?? '.');
  const found = await stat(dir).catch(() => undefined);
  if (!found?.isDirectory()) throw new InputError(`${root ?? dir}: no such folder`, 'give --root the folder that holds diglot.config.json');
  // A project has its config or one of the default folders (a terminologists' repository may hold only the glossary).
  const marks = await Promise.all(
    [CONFIG_FILE, 'sources', 'glossary', 'memory'].map((name) =>
      stat(path.join(dir, name)).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (!marks.some(Boolean)) {
    throw new InputError(
      `${dir} is not a diglot project: it has no ${CONFIG_FILE}, sources/, glossary/ or memory/`,
      'run diglot in the project folder, or give it with --root DIR',
    );
  }
  const { value, warnings, errors } = await loadConfig(dir);
  for (const w of warnings) ctx.log.warn(formatMessage(w));
  if (!value) {
    throw new InputError(`diglot.config.json is not valid:\n  ${errors.map(formatMessage).join('\n  ')}`);
  }
  return value;
}
