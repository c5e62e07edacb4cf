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
 * The help lines of {@link COMMON_OPTIONS}, which end every command's options: the flags in a
 * column `width` characters wide; `json` and `quiet` say what they do where a command does more.
 */
export function commonHelp(
  width: number,
  { root = true, json = 'print the result as JSON on stdout', quiet = 'print only errors' } = {},
): string {
  // Wrapped at 100 columns, as the help texts are, the text's column kept.
  const line = (flag: string, text: string): string => {
    const lines = [`  ${flag.padEnd(width - 2)}`];
    for (const word of text.split(' '))
      if (`${lines.at(-1)} ${word}`.length > 100) lines.push(`${' '.repeat(width)} ${word}`);
      else lines[lines.length - 1] += ` ${word}`;
    return lines.join('\n');
  };
  return [
    ...(root ? [line('--root <dir>', 'the project folder (default: the nearest folder upwards that holds diglot.config.json)')] : []),
    line('--json', json),
    line('-q, --quiet', quiet),
    line('-h, --help', 'show this help'),
  ].join('\n');
}

/**
 * Parses a command's arguments strictly: an unknown flag, a missing value or (where the command
 * takes none, `positionals: false`) an argument that is not a flag is an InputError that names
 * the command and points to its --help.
 */
export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T, { positionals = true } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true, tokens: true });
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
  // A value given twice (`--note a --note b`) would lose the first: refused, unless the option takes several.
  const given = new Map<string, number>();
  for (const token of parsed.tokens ?? [])
    if (token.kind === 'option' && token.value !== undefined) given.set(token.name, (given.get(token.name) ?? 0) + 1);
  for (const [name, times] of given)
    if (times > 1 && (options as Options)[name]?.multiple !== true)
      throw new InputError(
        `${command}: --${name} is given ${times} times; give it once`,
        `run \`diglot ${command} --help\` for the options`,
      );
  const [extra] = parsed.positionals;
  if (!positionals && extra !== undefined) {
    throw new InputError(
      `${command}: unexpected argument "${extra}"`,
      `${command} works on the whole project and takes no file names; run \`diglot ${command} --help\` for the options`,
    );
  }
  return parsed;
}

/** The value of `--max-characters`, a whole number of characters (`undefined` when not given); an InputError for anything else, "" too. */
export function maxCharactersOption(value: string | undefined, command: string): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${command}: --max-characters must be a whole number (got "${value}")`);
  return n;
}

/**
 * Refuses, never ignores, an option given to an action of `command` that another action takes
 * (`memory compact --tmx x.tmx` would rewrite the memory, not export it); `takenBy`: each option's actions.
 */
export function refuseOthersOptions(
  command: string,
  action: string,
  values: Readonly<Record<string, unknown>>,
  takenBy: Readonly<Record<string, readonly string[]>>,
): void {
  for (const [option, actions] of Object.entries(takenBy))
    if (values[option] !== undefined && !actions.includes(action))
      throw new InputError(
        `${command} ${action}: --${option} is an option of ${command} ${actions.join(' and ')}`,
        `run \`diglot ${command} --help\` for the actions`,
      );
}

/** The refusal of an action `command` does not have, with the near one suggested (`glossary lst`: did you mean "list"?). */
export function unknownAction(command: string, action: string, actions: readonly string[], noun = 'action'): InputError {
  const near = closestMatch(action, [...actions], { maxDistance: 3 });
  const guess = near !== undefined && leven(action, near) <= Math.max(1, Math.floor(near.length / 3)) ? ` Did you mean "${near}"?` : '';
  return new InputError(`${command}: unknown ${noun} "${action}".${guess}`, `use ${actions.join(', ')}; run \`diglot ${command} --help\``);
}
