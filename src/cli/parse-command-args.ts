import { parseArgs, type ParseArgsConfig } from 'node:util';
import leven, { closestMatch } from 'leven';
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
    // An unknown option that is a typo of a known one gets the known one suggested.
    const unknown = /^Unknown option '(--?[^']+)'/.exec(message)?.[1];
    const known = Object.keys({ ...COMMON_OPTIONS, ...options }).map((name) => `--${name}`);
    const near = unknown === undefined ? undefined : closestMatch(unknown, known, { maxDistance: 3 });
    const suggestion =
      near !== undefined && leven(unknown ?? '', near) <= Math.max(1, Math.floor(near.length / 3)) ? `; did you mean ${near}?` : '';
    throw new InputError(`${command}: ${message}${suggestion}`, `run \`diglot ${command} --help\` for the options`);
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
