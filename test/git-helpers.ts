// Real git repositories in temp folders for the merge-driver tests: a bare origin, clones, and the
// command line git runs as diglot's glossary merge driver (through tsx, by absolute paths).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './helpers.js';

/** tsx's loader by absolute URL (as `runCli` finds it), so git can run the CLI from any folder. */
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The `merge.diglot-glossary.driver` value: this checkout's CLI as `diglot glossary merge %O %A %B`. */
export const GLOSSARY_DRIVER = `${[process.execPath, '--import', TSX, path.join(ROOT, 'src', 'cli', 'main.ts')].map(quote).join(' ')} glossary merge %O %A %B`;

/** A bare origin and a folder for clones, all in one temp folder; git sees no user or system config. */
export function gitSandbox(): { origin: string; clone: (name: string) => string; git: (cwd: string, ...args: string[]) => { code: number; out: string }; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-git-'));
  const home = path.join(dir, 'home');
  mkdirSync(home);
  const env = { PATH: process.env['PATH'] ?? '', HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', NO_COLOR: '1', LC_ALL: 'C' };
  const git = (cwd: string, ...args: string[]): { code: number; out: string } => {
    const r = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
    return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
  };
  const origin = path.join(dir, 'origin.git');
  git(dir, 'init', '--bare', '--initial-branch=main', origin);
  const clone = (name: string): string => {
    const target = path.join(dir, name);
    const r = git(dir, 'clone', origin, target);
    if (r.code !== 0) throw new Error(r.out);
    git(target, 'config', 'user.name', name);
    git(target, 'config', 'user.email', `${name}@example.org`);
    git(target, 'checkout', '-B', 'main');
    return target;
  };
  return { origin, clone, git, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a file (creating its folder) in a clone. */
export function put(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}
