// The shared fixtures of the test suites: a temporary copy of the sample project and what it holds,
// the CLI run as a user runs it, the DeepL engine pointed at the test server, and real git sandboxes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../src/config/config.js';
import { loadConfig } from '../src/config/load-config.js';
import { loadProject } from '../src/load-project.js';
import type { ArticleMeta, Finding, Origin, Segment, Status, TranslatedArticle } from '../src/model.js';
import type { BuildTotals } from '../src/render/report.js';
import { protectPattern, protectTokens } from '../src/segment/protect-tokens.js';
import { segment } from '../src/segment/segment.js';
import { DeepLEngine, type DeepLEngineOptions } from '../src/translate/deepl.js';
import { MemoryLogger } from '../src/util/logger.js';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * The command as `npm install` builds it (`dist/cli/main.js`, bundled by scripts/bundle.mjs): the
 * tests run what users run, and it starts in a quarter of the time the TypeScript source takes
 * through tsx. `npm test` bundles first; a test file run on its own bundles when a source is newer.
 */
export const CLI = path.join(ROOT, 'dist', 'cli', 'main.js');
bundleIfStale();

/** Bundles the command again when a file it is made from is newer than it (or it is missing). */
export function bundleIfStale(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newestBundleInput()) return;
  const bundled = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (bundled.status !== 0) throw new Error(`scripts/bundle.mjs failed: ${bundled.stderr}`);
}

/** The newest modification time of the files the bundle is made from. */
function newestBundleInput(): number {
  let newest = 0;
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else newest = Math.max(newest, statSync(file).mtimeMs);
    }
  };
  visit(path.join(ROOT, 'src'));
  for (const file of ['package.json', 'package-lock.json', path.join('scripts', 'bundle.mjs')])
    newest = Math.max(newest, statSync(path.join(ROOT, file)).mtimeMs);
  return newest;
}

/**
 * The sample articles the shipped memory translates whole: a sample project holds these and no
 * other article dropped into sources/, so the tests' expectations follow the sample alone.
 */
const SAMPLE_SOURCES = [
  '000_20a6b0fe2192dee9.txt',
  '001_4a3d075f46cdf68a.txt',
  '002_1f1ee89d9a986150.txt',
  '003_3fbf0cb9b090180e.txt',
  '004_b128dabdfb1e0af2.txt',
];

/**
 * A throw-away copy of the sample project (the sample articles, glossary, memory, config) in a temp
 * folder. The memory is the shipped one unless `emptyMemory`.
 */
export function sampleProject(options: { emptyMemory?: boolean } = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-'));
  for (const part of ['glossary', 'memory', 'diglot.config.json']) cpSync(path.join(ROOT, part), path.join(dir, part), { recursive: true });
  mkdirSync(path.join(dir, 'sources'));
  for (const name of SAMPLE_SOURCES) cpSync(path.join(ROOT, 'sources', name), path.join(dir, 'sources', name));
  if (options.emptyMemory) writeFileSync(path.join(dir, 'memory', 'memory.jsonl'), '');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The validated config of a project folder (throws if invalid). */
export async function configOf(dir: string): Promise<Config> {
  const { value, errors } = await loadConfig(dir);
  if (!value) throw new Error(`invalid config: ${JSON.stringify(errors)}`);
  return value;
}

/** What a project folder holds, counted from the folder itself: tests compare against these, never against the live sample's numbers. */
export interface ProjectFacts {
  /** Source articles. */
  articles: number;
  /** Segments over all articles (a repeated paragraph counts each time). */
  segments: number;
  /** Distinct memory keys: the texts a build with an empty memory sends, each once. */
  distinct: number;
  /** Segments per article, in the order the articles are read. */
  perArticle: number[];
  /** Requests a build with an empty memory makes: one per article of up to 50 segments (more only past 50 or 128 KiB). */
  requests: number;
  /** Entries of the memory (one per memory key and language; a line that supersedes another does not count). */
  memoryEntries: number;
}

/** Counts a project folder's articles, segments and memory entries as the build reads them. */
export async function projectFacts(dir: string): Promise<ProjectFacts> {
  const config = await configOf(dir);
  const { articles, memory } = await loadProject(config, new MemoryLogger());
  const segments = articles.flatMap((a) => a.segments);
  return {
    articles: articles.length,
    segments: segments.length,
    distinct: new Set(segments.map((s) => s.key)).size,
    perArticle: articles.map((a) => a.segments.length),
    requests: articles.reduce((n, a) => n + Math.ceil(a.segments.length / 50), 0),
    memoryEntries: memory.size,
  };
}

/** Every finding a build wrote to the project's `output/findings.jsonl` (the build's result holds only the first few). */
export function writtenFindings(dir: string): Finding[] {
  const text = readFileSync(path.join(dir, 'output', 'findings.jsonl'), 'utf8');
  return text === ''
    ? []
    : text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Finding);
}

/** Reads a UTF-8 file. */
export function read(file: string): string {
  return readFileSync(file, 'utf8');
}

/** A clean environment for the CLI: PATH and NO_COLOR only, plus `env`. */
const cliEnv = (env: Record<string, string>): Record<string, string> => ({ PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env });

/**
 * Runs the CLI as a user would, through tsx, with a clean environment plus `env`; resolves with
 * the exit code and what it printed. It runs in the system's temp folder unless `cwd` says
 * otherwise, so a call without `--root` never finds the live project.
 */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  cwd = tmpdir(),
  cli = CLI,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, env: cliEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A CLI run in the background; see {@link startCli}. */
export type BackgroundCli = ChildProcess & {
  /** Its exit code (null when a signal ended it). */
  done: Promise<number | null>;
  /** What it printed on stderr so far. */
  output: { stderr: string };
  /** Resolves when stderr holds `text`, or when the run ends without it (then `output.stderr` tells). */
  /** Settles once `text` is printed (`times` times), or the command is done. */
  printed: (text: string, times?: number) => Promise<void>;
};

/**
 * Starts the CLI in the background, for tests that signal or kill it or run two at once. Pass the
 * test's `signal`: a test that times out then kills the run, so a wait that never ends cannot keep
 * the test process (and CI) alive. `cli`: another copy of the bundle.
 */
export function startCli(args: string[], env: Record<string, string>, signal: AbortSignal, cli = CLI): BackgroundCli {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: tmpdir(),
    env: cliEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
    signal,
    killSignal: 'SIGKILL',
  });
  // Killed because the test was aborted: `done` and every `printed` then resolve, and the test's assertions say what was missing.
  child.on('error', (error) => {
    if (error.name !== 'AbortError') throw error;
  });
  const output = { stderr: '' };
  child.stderr?.on('data', (d: Buffer) => (output.stderr += d.toString()));
  // A test that timed out waiting for a line: what the run printed until then goes to the log, to show what came instead.
  signal.addEventListener(
    'abort',
    () => process.stderr.write(`\n[diglot ${args.join(' ')}: printed before the test was stopped]\n${output.stderr}\n`),
    {
      once: true,
    },
  );
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const printed = (text: string, times = 1): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => {
        if (output.stderr.split(text).length - 1 < times) return;
        child.stderr?.off('data', check);
        resolve();
      };
      child.stderr?.on('data', check);
      void done.then(() => resolve());
      check();
    });
  return Object.assign(child, { done, output, printed });
}

/**
 * The DeepL engine pointed at a test server: German into American English, a test glossary
 * prefix and no retries unless `options` say otherwise.
 */
export function deeplEngine(serverUrl: string, options: Partial<DeepLEngineOptions> = {}): DeepLEngine {
  return new DeepLEngine({
    authKey: 'test-key',
    serverUrl,
    sourceLang: 'de',
    targetLang: 'en-US',
    glossaryPrefix: 'diglot/test',
    retries: 0,
    ...options,
  });
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** This checkout's CLI as a shell command line (by absolute paths), for git to run as a merge driver. */
export const CLI_COMMAND = [process.execPath, CLI].map(quote).join(' ');
/** The `merge.diglot-glossary.driver` value. */
export const GLOSSARY_DRIVER = `${CLI_COMMAND} glossary merge %O %A %B %P`;
/** The `merge.diglot-memory.driver` value. */
export const MEMORY_DRIVER = `${CLI_COMMAND} memory merge %O %A %B %P`;

/** A bare origin and a folder for clones, all in one temp folder; git sees no user or system config. */
export function gitSandbox(): {
  dir: string;
  origin: string;
  clone: (name: string) => string;
  git: (cwd: string, ...args: string[]) => { code: number; out: string };
  cleanup: () => void;
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-git-'));
  const home = path.join(dir, 'home');
  mkdirSync(home);
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    NO_COLOR: '1',
    LC_ALL: 'C',
  };
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
  return { dir, origin, clone, git, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a file (creating its folder) in a clone. */
export function put(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

/** One segment's English in a hand-made article: the text (absent: missing) and where it came from. */
export type HandMadeEnglish = string | undefined | { target: string; origin: Origin; status: Status; billedCharacters?: number };

/**
 * A tiny article made by hand for the writers' unit tests: `text` segmented as
 * `sources/<id>.<format>` (no cleanup rules), the i-th segment given `english[i]`. A plain string
 * is a reviewed human translation; `undefined`, or no entry, is a missing one.
 */
export function handMadeArticle(
  text: string,
  english: readonly HandMadeEnglish[],
  options: { id?: string; format?: 'md' | 'txt'; meta?: ArticleMeta } = {},
): TranslatedArticle {
  const { id = 'hand', format = 'md', meta = {} } = options;
  const article = segment({ id, path: `sources/${id}.${format}`, format, text, meta }, []);
  return {
    article,
    segments: article.segments.map((s, i) => {
      const e = english[i];
      if (e === undefined) return { segment: s, target: undefined, origin: undefined, status: undefined, billedCharacters: 0 };
      if (typeof e === 'string') return { segment: s, target: e, origin: 'human', status: 'reviewed', billedCharacters: 0 };
      return { segment: s, target: e.target, origin: e.origin, status: e.status, billedCharacters: e.billedCharacters ?? 0 };
    }),
  };
}

/** A finding of a check on the `index`-th segment of a hand-made article. */
export function findingOn(a: TranslatedArticle, index: number, rule: string, message: string): Finding {
  const s = a.segments[index]?.segment;
  if (!s) throw new Error(`no segment ${index}`);
  return { file: s.docId, docId: s.docId, segmentId: s.id, line: s.line, column: s.column, rule, severity: 'warning', message };
}

/** A build's totals with every count zero. */
export const EMPTY_TOTALS: BuildTotals = {
  articles: 0,
  segments: 0,
  fromMemory: 0,
  copied: 0,
  translated: 0,
  textsTranslated: 0,
  missing: 0,
  requests: 0,
  billedCharacters: 0,
  failedRequests: 0,
  findings: 0,
};

/** The segments of one German text (article `a`), as a build makes them with the `protect` patterns given. */
export function segmentsOf(text: string, format: 'md' | 'txt' = 'md', protect: string[] = []): Segment[] {
  const doc = { id: 'a', path: `sources/a.${format}`, format, text, meta: {} };
  return protectTokens(segment(doc, []), protectPattern(protect)).segments;
}
