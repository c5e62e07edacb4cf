#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import leven, { closestMatch } from 'leven';
import { DiglotError, EXIT, fileSystemFailure, type ExitCode } from '../util/errors.js';
import { BUILD_HELP, buildCommand } from './build-command.js';
import { ConsoleLogger } from './console-logger.js';
import type { CommandContext } from './context.js';
import { estimateCommand } from './estimate-command.js';
import { glossaryCommand } from './glossary-command.js';
import { importCommand } from './import-command.js';
import { initCommand } from './init-command.js';
import { memoryCommand } from './memory-command.js';
import { openCommand } from './open-command.js';
import { qaCommand } from './qa-command.js';
import { retranslateCommand } from './retranslate-command.js';
import { reviewCommand } from './review-command.js';

const HELP = `diglot — German texts to English editions

Usage: diglot <command> [options]

Commands:
  build      translate what the memory lacks and write review Markdown, English Markdown, EPUBs
  estimate   show what a build would send and bill (and DeepL's usage), without sending it
  import     turn raw scraped .txt articles into clean Markdown sources
  init       make a new, empty project here (or in DIR)
  open       open the review page or a book the last build wrote (or print its path)
  memory     export or import the translation memory as TMX, compact it, or merge it (git)
  glossary   check, list, edit, sync, count, suggest, import or export (TBX) glossary terms
  qa         check the translations in the memory (terms, numbers, untranslated, quotes, markup)
  retranslate  send chosen machine translations to DeepL again (a changed term, rule, settings)
  review     import reviewers' edits, show review status, or review in the browser (serve)

Run \`diglot <command> --help\` for a command's options.
Options: -h, --help   --version
Every command takes: -q, --quiet (only errors) · --json (the result as JSON) · --root DIR (the
project; default: the nearest folder upwards that holds diglot.config.json; init takes DIR instead)

Exit codes: 0 done · 1 unfinished work (missing translations) · 2 bad input or usage, or review
files holding edits not imported (build) · 3 DeepL rejected the key · 4 DeepL quota exceeded ·
5 DeepL unreachable or failing · 6 project locked · 7 a file could not be written (disk full,
read-only, permissions) · 130 interrupted (Ctrl-C)
`;

const COMMANDS: Record<string, (ctx: CommandContext) => Promise<ExitCode>> = {
  build: buildCommand,
  estimate: estimateCommand,
  memory: memoryCommand,
  glossary: glossaryCommand,
  import: importCommand,
  init: initCommand,
  open: openCommand,
  qa: qaCommand,
  review: reviewCommand,
  retranslate: retranslateCommand,
};

/** Runs the CLI; the one place where errors become exit codes. */
export async function main(argv: string[]): Promise<ExitCode> {
  // Where start-up (Node and module loading) ends and the command begins: `npm run bench` reads it.
  performance.mark('diglot:main');
  const [command, ...args] = argv;
  const quiet = args.includes('--quiet') || args.includes('-q');
  const json = args.includes('--json');
  const log = new ConsoleLogger({ quiet, json });
  const stdout = (text: string): void => void process.stdout.write(text);
  /** A command that fails says why on stderr and, with --json, as the one JSON value on stdout too, for a script to read. */
  const fail = (message: string, exitCode: ExitCode, hint?: string): ExitCode => {
    log.error(message + (hint ? `\n  hint: ${hint}` : ''));
    if (json) stdout(`${JSON.stringify({ error: new DiglotError(message, exitCode, hint) })}\n`);
    return exitCode;
  };
  // `diglot help build` is `diglot build --help` (and `help buidl` an unknown command, with the near one).
  if (command === 'help' && args[0] !== undefined && !args[0].startsWith('-')) return main([args[0], '--help']);
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    stdout(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const run = COMMANDS[command];
  // `diglot --root DIR build`: the options every command takes come after the command.
  if (!run && ['--root', '--json', '--quiet', '-q'].includes(command)) {
    const rest = args.filter((a) => a in COMMANDS);
    return fail(
      `"${command}" goes after the command: diglot ${rest[0] ?? 'COMMAND'} ${command}${command === '--root' ? ' DIR' : ''} …`,
      EXIT.usage,
    );
  }
  if (!run) {
    const near = closestMatch(command, command.startsWith('-') ? ['--help', '--version'] : Object.keys(COMMANDS), { maxDistance: 3 });
    const guess = near !== undefined && leven(command, near) <= 2 ? ` Did you mean "${near}"?` : '';
    const what = command.startsWith('-') ? `unknown option "${command}"` : `unknown command "${command}"`;
    return fail(`${what}.${guess} Commands: ${Object.keys(COMMANDS).join(', ')} (see diglot --help)`, EXIT.usage);
  }
  try {
    return await run({ args, cwd: process.cwd(), log, stdout });
  } catch (error) {
    if (error instanceof DiglotError) return fail(error.message, error.exitCode, error.hint);
    const storage = fileSystemFailure(error, process.cwd());
    if (storage) return fail(storage.message, storage.exitCode, storage.hint);
    return fail(
      `internal error: ${(error as Error)?.stack ?? String(error)}\nThis is a bug in diglot; please report it with the command you ran.`,
      EXIT.failed,
    );
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export { BUILD_HELP };

// `diglot … | head` closes stdout early: stop quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// After each full collection V8 lets the heap grow to up to four times what it found live before it
// collects again. A build's live set is large and lives long (the memory, the books' chapters, the
// review index), so that growth, nearly all garbage, set its peak memory. Capped at 1.5 times: a
// cold build of 1,000 articles peaked at 386 and 389 MB, now 288 and 262 MB; 3,000: 667 → 463 MB;
// 10,000: 1,329 → 1,098 MB; its CPU time unchanged within the noise. V8 reads this flag at each
// collection, so setting it here, before any work, takes effect for the whole run.
setFlagsFromString('--heap-growing-percent=50');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${String(error)}\n`);
    process.exitCode = EXIT.failed;
  },
);
