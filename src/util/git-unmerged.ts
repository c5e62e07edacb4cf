// Asks git whether it left a file unmerged (a pull, rebase or stash pop whose merge driver did not
// run keeps only our side in the file, without conflict markers), and for the three versions it
// keeps; reads the three a merge driver is given; tells an operation under way (a rebase).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from './errors.js';

/** A line of the conflict markers git writes into a file it could not merge (`<<<<<<< HEAD`, `|||||||`, `=======`, `>>>>>>> theirs`). */
export const CONFLICT_MARKER = /^(?:<{7}|\|{7}|={7}|>{7})(?: |$)/;

/** The three versions git keeps of a file it left unmerged: the common ancestor, ours and theirs ('' where a side lacks the file). */
export interface GitVersions {
  base: string;
  ours: string;
  theirs: string;
}

/**
 * Our side of a file git left unmerged, as a merge should take it: the file as it is now (our side,
 * with what was fixed or added in it since git left it) unless it holds conflict markers, which
 * only git's own copy of our side (`versions.ours`) is free of.
 */
export function ourSideNow(versions: GitVersions, now: string | undefined): string {
  return now !== undefined && !hasConflictMarkers(now) ? now : versions.ours;
}

/** Whether a text has a line of git's conflict markers. */
export function hasConflictMarkers(text: string): boolean {
  return text.split('\n').some((line) => CONFLICT_MARKER.test(line));
}

/**
 * The versions git keeps of a file it lists as unmerged (`git ls-files --unmerged`, then `git show
 * :1:`, `:2:`, `:3:`); `undefined` when it is not unmerged, outside a git work tree (git is not
 * asked: no `.git` in the file's folder or above) and where git is missing.
 */
export function gitVersions(file: string): GitVersions | undefined {
  const listed = git(file, ['ls-files', '--unmerged', '-z', '--', path.basename(file)]);
  if (listed === undefined || listed === '') return undefined;
  const stage = (n: number): string => git(file, ['show', `:${n}:./${path.basename(file)}`]) ?? '';
  return { base: stage(1), ours: stage(2), theirs: stage(3) };
}

/** What git leaves in its folder while an operation is under way, and the operation's name. */
const UNDER_WAY: ReadonlyArray<[string, string]> = [
  ['rebase-merge', 'a rebase'],
  ['rebase-apply', 'a rebase'],
  ['MERGE_HEAD', 'a merge'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick'],
  ['REVERT_HEAD', 'a revert'],
];

/**
 * The git operation under way in the work tree that holds `dir` (a rebase, a merge, a cherry-pick,
 * a revert), whose files are between two states meanwhile: `undefined` when none is, and outside a
 * work tree.
 */
export function gitOperationUnderWay(dir: string): string | undefined {
  const gitDir = gitIn(path.resolve(dir), ['rev-parse', '--absolute-git-dir'])?.trim();
  if (!gitDir) return undefined;
  return UNDER_WAY.find(([name]) => existsSync(path.join(gitDir, name)))?.[1];
}

/** git's output run in the file's folder; `undefined` outside a work tree, or when git fails. */
function git(file: string, args: string[]): string | undefined {
  return gitIn(path.dirname(path.resolve(file)), args);
}

/** git's output run in a folder; `undefined` outside a work tree, or when git fails. */
function gitIn(dir: string, args: string[]): string | undefined {
  if (!insideWorkTree(dir)) return undefined;
  try {
    return execFileSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
      maxBuffer: 1 << 30,
    });
  } catch {
    return undefined;
  }
}

/** Whether a folder or one above it holds `.git` (a folder, or a file in a linked work tree). */
function insideWorkTree(dir: string): boolean {
  for (let at = dir; ; at = path.dirname(at)) {
    if (existsSync(path.join(at, '.git'))) return true;
    if (path.dirname(at) === at) return false;
  }
}

/**
 * The three files git hands a merge driver (`%O %A %B`), read as text. One that is missing or
 * cannot be read is a usage error naming it (a typo in the driver's line, `%b` for `%B`), never an
 * empty side whose entries the merge would drop: git then reports a conflict and loses nothing.
 */
export async function driverVersions(cwd: string, files: readonly string[], command: string): Promise<GitVersions> {
  const read = async (file: string, side: string): Promise<string> => {
    try {
      return await readFile(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      throw new InputError(
        `${command}: ${side} "${file}" cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); nothing was merged`,
        "git gives a merge driver three files that exist: check the driver's line is " +
          `\`${command} %O %A %B %P\` (\`git config --get-regexp 'merge\\.diglot'\`)`,
      );
    }
  };
  const [base = '', ours = '', theirs = ''] = files;
  return { base: await read(base, 'BASE'), ours: await read(ours, 'OURS'), theirs: await read(theirs, 'THEIRS') };
}
