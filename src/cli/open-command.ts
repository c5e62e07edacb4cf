// `diglot open [review|book|english]`: opens a build's review page or one of its books with the
// system's opener (xdg-open, open, start), or prints its path where there is none.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';
import { CONFIG_FILE } from '../config/load-config.js';
import { DiglotError, EXIT, type ExitCode, InputError } from '../util/errors.js';
import { type CommandContext, present, printJson, projectConfig } from './context.js';
import { commonHelp, parseCommandArgs, unknownAction } from './parse-command-args.js';

export const OPEN_HELP = `Usage: diglot open [review|book|english [VOLUME]] [options]

Opens what the last build wrote with the system's opener (xdg-open, open or start):
  review    output/review.html, the review index (each article's page linked from it), in the
            browser (the default)
  book      output/edition.epub, the bilingual book, in the e-book reader
  english   output/edition.en.epub, the English book
With "volumes" in the config, book and english open one volume (the first, or VOLUME: its
number, e.g. 2, or its name, e.g. vol-02 or 2024-05) and list the others.
Where there is no opener (a server, a container), prints the file's path instead.

Options:
${commonHelp(16, {
  json: 'print {"target", "file"} as JSON and open nothing',
  quiet: 'print only errors (and the path when there is no opener)',
})}

Exit codes: 0 opened or printed · 1 not built yet · 2 bad arguments
`;

/** What `diglot open` opens, by name, in the output folder. */
const TARGETS = {
  review: 'review.html',
  book: 'edition.epub',
  english: 'edition.en.epub',
} as const;

type Target = keyof typeof TARGETS;

/** `diglot open`. */
export async function openCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('open', ctx.args, {});
  if (values.help) {
    ctx.stdout(OPEN_HELP);
    return EXIT.ok;
  }
  const target = (positionals[0] ?? 'review') as Target;
  if (!Object.hasOwn(TARGETS, target)) throw unknownAction('open', target, ['review', 'book', 'english'], 'target');
  if (positionals.length > (target === 'review' ? 1 : 2))
    throw new InputError(
      `open: ${target === 'review' ? 'review takes nothing more' : `${target} takes one volume at most`} (got ${positionals.slice(1).join(' ')})`,
    );
  const config = await projectConfig(values.root, ctx);
  const name =
    config.volumes && target !== 'review'
      ? await volumeFile(config, target, positionals[1], (list) => {
          if (!values.json) ctx.log.info(list.trimEnd());
        })
      : TARGETS[target];
  if (name === undefined && positionals[1] === undefined) throw notBuilt(target, `${config.output}/edition.*.epub`);
  if (name === undefined)
    throw new InputError(`open: no volume "${positionals[1]}" in ${config.output}/`, 'run `diglot open book` to list the volumes');
  if (!config.volumes && positionals[1] !== undefined)
    throw new InputError(`open: the edition is one book ("volumes" is not set in ${CONFIG_FILE}): ${target} takes no volume`);
  const file = path.join(config.root, config.output, name);
  if (!(await present(file))) throw notBuilt(target, path.join(config.output, name));
  if (values.json) {
    printJson(ctx, { target, file });
    return EXIT.ok;
  }
  const opener = systemOpener(process.env['PATH'] ?? '');
  if (opener && (await launch(opener, file))) {
    ctx.log.info(`Opened ${path.relative(ctx.cwd, file) || file} with ${opener.name}.`);
    return EXIT.ok;
  }
  // No opener, or it failed: the path, for the user to open (or to pipe on).
  ctx.stdout(`${file}\n`);
  if (!opener) ctx.log.info(`No ${openerName()} here to open it: open the file above yourself.`);
  return EXIT.ok;
}

function notBuilt(target: Target, shown: string): DiglotError {
  return new DiglotError(
    `open: ${shown} is not there yet`,
    EXIT.failed,
    target === 'review' ? 'run `diglot build` first' : 'run `diglot build`: the books hold the articles translated whole',
  );
}

/** `edition.vol-02.epub`, `edition.2024-05.en.epub`: a volume's book in the output folder, with its key. */
const VOLUME_BOOK = /^edition\.(.+?)(\.en)?\.epub$/;

/** The order of volumes by their key: by date or number, `undated` last (it comes last among the volumes). */
function volumeOrder(a: string, b: string): number {
  return a === 'undated' ? (b === 'undated' ? 0 : 1) : b === 'undated' ? -1 : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The volume book to open: the one named (by number, 1-based, or key) or the first; the others
 * listed on `print`. Undefined when there is none.
 */
async function volumeFile(
  config: Config,
  target: 'book' | 'english',
  wanted: string | undefined,
  print: (text: string) => void,
): Promise<string | undefined> {
  const names = await readdir(path.join(config.root, config.output)).catch(() => [] as string[]);
  const books = names
    .map((n) => ({ name: n, match: VOLUME_BOOK.exec(n) }))
    // The one book's English (`edition.en.epub`, left by a build before the split) is no volume "en".
    .filter((b) => b.match !== null && b.name !== TARGETS.english && (b.match[2] !== undefined) === (target === 'english'))
    .map((b) => ({ name: b.name, key: (b.match as RegExpExecArray)[1] as string }))
    .sort((a, b) => volumeOrder(a.key, b.key))
    // A volume by count is numbered as its book names it (`vol-06` is 6, as its title page says,
    // whether or not the volumes before it have a book); one by date by its place in the list.
    .map((b, i) => ({ ...b, number: Number(/^vol-(\d+)$/.exec(b.key)?.[1] ?? i + 1) }));
  const chosen =
    wanted === undefined ? books[0] : books.find((b) => b.key === wanted || (/^\d+$/.test(wanted) && b.number === Number(wanted)));
  if (chosen !== undefined && books.length > 1)
    print(books.map((b) => `${b === chosen ? '*' : ' '} ${b.number}  ${b.key}  ${path.join(config.output, b.name)}\n`).join(''));
  return chosen?.name;
}

/**
 * The build's last lines: where the review page and the books are, and how to open them.
 * `written` are the files the build wrote, relative to the root.
 */
export function whatToOpen(config: Config, written: readonly string[]): string[] {
  const has = (target: Target): string | undefined => {
    const file = path.join(config.output, TARGETS[target]);
    return written.includes(file) ? file : undefined;
  };
  const lines: string[] = [];
  const page = has('review');
  if (page) lines.push(`Review page: ${page} — \`diglot open\` shows it in the browser.`);
  const books = [has('book'), has('english')].filter((f): f is string => f !== undefined);
  if (books.length > 0)
    lines.push(`Books: ${books.join(', ')} — \`diglot open book\` and \`diglot open english\` preview them in the e-book reader.`);
  const key = (f: string): string => VOLUME_BOOK.exec(path.basename(f))?.[1] ?? '';
  const volumes = written
    .filter((f) => {
      const book = VOLUME_BOOK.exec(path.basename(f));
      return path.dirname(f) === path.normalize(config.output) && book !== null && book[2] === undefined;
    })
    // In the volumes' order, as `open` numbers them (the build writes each when its last article is in).
    .sort((a, b) => volumeOrder(key(a), key(b)));
  if (config.volumes && volumes.length > 0)
    lines.push(
      `Books: ${volumes.length} volume${volumes.length === 1 ? '' : 's'} (${volumes[0]}${volumes.length > 1 ? ` … ${volumes[volumes.length - 1]}` : ''}, each with its .en.epub) — \`diglot open book [VOLUME]\` and \`diglot open english [VOLUME]\` preview them.`,
    );
  return lines;
}

/** The opener's name on this system. */
function openerName(): string {
  if (process.platform === 'darwin') return 'open';
  if (process.platform === 'win32') return 'start';
  return 'xdg-open';
}

/** The system's opener as a command line, or none when it is not on the PATH. */
function systemOpener(searchPath: string): { name: string; command: string; args: string[] } | undefined {
  if (process.platform === 'win32') return { name: 'start', command: 'cmd', args: ['/c', 'start', '""'] };
  const name = openerName();
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const command = path.join(dir, name);
    try {
      accessSync(command, constants.X_OK);
      return { name, command, args: [] };
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/** How long the opener may take to hand the file over before it is left running on its own. */
const OPENER_WAIT_MS = 3000;

/**
 * Starts the opener on `file`. Openers hand the file to an application and end at once; one that
 * runs on (xdg-open without a desktop starts the application itself) is left running on its own.
 * False when it could not start or ended with an error.
 */
function launch(opener: { command: string; args: string[] }, file: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(opener.command, [...opener.args, file], { stdio: 'ignore', detached: true });
    const timer = setTimeout(() => {
      child.unref();
      resolve(true);
    }, OPENER_WAIT_MS);
    timer.unref();
    child.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}
