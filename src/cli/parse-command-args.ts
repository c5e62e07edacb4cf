import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../util/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command takes. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  quiet: { type: 'boolean', short: 'q' },
  json: { type: 'boolean' },
  root: { type: 'string' },
} as const satisfies Options;

/**
 * Parses a command's arguments strictly: an unknown flag, a missing value or (where the command
 * takes none, `positionals: false`) an argument that is not a flag is an InputError that names
 * the command and points to its --help.
 */
export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T, { positionals = true } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new InputError(`${command}: ${message}`, `run \`diglot ${command} --help\` for the options`);
  }
  const [extra] = parsed.positionals;
  if (!positionals && extra !== undefined) {
    throw new InputError(
      `${command}: unexpected argument "${extra}"`,
      `${command} works on the whole project and takes no file names; run \`diglot ${command} --help\` for the options`,
    );
  }
  return parsed;
}
