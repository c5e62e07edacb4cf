import path from 'node:path';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
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
  const { value, warnings, errors } = await loadConfig(dir);
  for (const w of warnings) ctx.log.warn(formatMessage(w));
  if (!value) {
    throw new InputError(`diglot.config.json is not valid:\n  ${errors.map(formatMessage).join('\n  ')}`);
  }
  return value;
}
