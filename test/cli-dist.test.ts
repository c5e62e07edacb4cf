// The installed command, not the TypeScript source: dist/cli/main.js as `npm install` builds it
// (scripts/bundle.mjs, its `prepare`), installed as `npm install -g` lays it out (the package in
// lib/node_modules/diglot, a `diglot` link in bin/) and run as `diglot` from the PATH. It walks
// the README's "Start a new project": init, a German article, build with DeepL (the test server),
// a review edit, `review import`, build again; then build ARTICLE, --watch and open.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { bundleIfStale, CLI, ROOT } from './helpers.js';

let server: DeepLServer;
/** The install: `bin/` (diglot and node, nothing else) and the package. */
let install: string;
let bin: string;

before(async () => {
  server = await startDeepLServer({ validKeys: ['good-key:fx'] });
  // dist/ as `npm install` leaves it, bundled again only when a source is newer.
  bundleIfStale();
  const main = CLI;
  // Copied at once into an install of its own, so that a later bundle cannot change it under the tests.
  install = mkdtempSync(path.join(tmpdir(), 'diglot-install-'));
  const pkg = path.join(install, 'lib', 'node_modules', 'diglot');
  mkdirSync(path.join(pkg, 'dist', 'cli'), { recursive: true });
  copyFileSync(path.join(ROOT, 'package.json'), path.join(pkg, 'package.json'));
  copyFileSync(main, path.join(pkg, 'dist', 'cli', 'main.js'));
  chmodSync(path.join(pkg, 'dist', 'cli', 'main.js'), 0o755);
  bin = path.join(install, 'bin');
  mkdirSync(bin);
  symlinkSync(path.join(pkg, 'dist', 'cli', 'main.js'), path.join(bin, 'diglot'));
  // `#!/usr/bin/env node` finds node here: the PATH holds nothing else (no xdg-open).
  symlinkSync(process.execPath, path.join(bin, 'node'));
});
after(async () => {
  await server.close();
  rmSync(install, { recursive: true, force: true });
});

/** The environment of a user with only diglot (and node) on the PATH, plus `env`. */
const userEnv = (env: Record<string, string> = {}): Record<string, string> => ({ PATH: bin, NO_COLOR: '1', ...env });

/** Runs `diglot ARGS` from the PATH in `cwd`. */
function diglot(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('diglot', args, { cwd, env: userEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'diglot-dist-'));
}

test('the installed command: --version, a mistyped command, --root to a missing folder', async () => {
  const dir = tempDir();
  try {
    const version = await diglot(['--version'], dir);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, `${(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
    const typo = await diglot(['biuld'], dir);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown command "biuld"\. Did you mean "build"\?/);
    const missing = await diglot(['build', '--root', path.join(dir, 'no', 'such', 'dir')], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such folder/);
    assert.doesNotMatch(missing.stderr, /internal error/);
    // A file where a folder is meant is said to be one; an empty folder name for init is no folder.
    writeFileSync(path.join(dir, 'x.md'), 'Text.\n');
    const file = await diglot(['build', '--root', path.join(dir, 'x.md')], dir);
    assert.equal(file.code, 2);
    assert.match(file.stderr, /x\.md: a file, not a folder/);
    const noRoot = await diglot(['build', '--root', ''], dir);
    assert.equal(noRoot.code, 2);
    assert.match(noRoot.stderr, /--root: the folder name is empty/);
    const empty = await diglot(['init', ''], dir);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /init: the folder name is empty/);
    assert.equal(existsSync(path.join(dir, 'diglot.config.json')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a new project as the README starts one: init, an article, build, a review edit, review import, build again', async () => {
  const dir = tempDir();
  const project = path.join(dir, 'my-edition');
  const out = (name: string): string => path.join(project, 'output', name);
  const env = { DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url };
  try {
    const init = await diglot(['init', 'my-edition'], dir);
    assert.equal(init.code, 0, init.stderr);
    writeFileSync(
      path.join(project, 'sources', 'wetter.md'),
      '# Das Wetter\n\nMorgen regnet es im Norden.\n\nIm Süden scheint die Sonne.\n',
    );

    server.reset();
    const first = await diglot(['build'], project, env);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(server.translateRequests().length, 1);
    for (const name of ['wetter.review.md', 'wetter.en.md', 'edition.epub', 'edition.en.epub', 'review.html', 'report.json'])
      assert.ok(existsSync(out(name)), name);
    // The last lines say what to open, and how.
    assert.match(first.stderr, /Review page: output\/review\.html — `diglot open`/);
    assert.match(first.stderr, /Books: output\/edition\.epub, output\/edition\.en\.epub — `diglot open book`/);

    // A reviewer's edit, imported, then carried into the editions by the next build.
    const review = readFileSync(out('wetter.review.md'), 'utf8');
    const edited = review.replace('EN: Morgen regnet es im Norden.', 'Tomorrow it will rain in the north.');
    assert.notEqual(edited, review);
    writeFileSync(out('wetter.review.md'), edited);
    const imported = await diglot(['review', 'import'], path.join(project, 'sources'));
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, /Imported 1 change/);
    server.reset();
    const second = await diglot(['build'], project, env);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(server.translateRequests().length, 0, 'everything comes from the memory now');
    assert.match(readFileSync(out('wetter.en.md'), 'utf8'), /Tomorrow it will rain in the north\./);

    // One article: a second one is left as it was.
    writeFileSync(path.join(project, 'sources', 'zweiter.md'), 'Ein zweiter Artikel.\n');
    const other = await diglot(['build', 'zweiter.md'], path.join(project, 'sources'), env);
    assert.equal(other.code, 0, other.stderr);
    writeFileSync(out('wetter.en.md'), 'kept\n');
    const one = await diglot(['build', 'sources/zweiter.md'], project, env);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stderr, /1 article \(of 2\)/);
    assert.equal(readFileSync(out('wetter.en.md'), 'utf8'), 'kept\n');
    const unknown = await diglot(['build', 'zweite'], project, env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Did you mean "zweiter"\?/);

    // open: no opener on this PATH, so the path is printed; --json gives it as JSON.
    const open = await diglot(['open'], project);
    assert.equal(open.code, 0, open.stderr);
    assert.equal(open.stdout, `${out('review.html')}\n`);
    const json = await diglot(['open', 'english', '--json'], project);
    assert.deepEqual(JSON.parse(json.stdout), { target: 'english', file: out('edition.en.epub') });
    const wrong = await diglot(['open', 'boook'], project);
    assert.equal(wrong.code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('open hands the file to the system opener where there is one', { skip: process.platform !== 'linux' }, async () => {
  const dir = tempDir();
  try {
    assert.equal((await diglot(['init', 'p'], dir)).code, 0);
    const project = path.join(dir, 'p');
    writeFileSync(path.join(project, 'sources', 'a.md'), 'Ein Satz.\n');
    assert.equal((await diglot(['build'], project, { DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url })).code, 0);
    // A stand-in xdg-open that notes what it was given.
    const opener = path.join(dir, 'opener');
    mkdirSync(opener);
    writeFileSync(path.join(opener, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" > "${path.join(dir, 'opened.txt')}"\n`);
    chmodSync(path.join(opener, 'xdg-open'), 0o755);
    const opened = await diglot(['open', 'book'], project, { PATH: `${bin}${path.delimiter}${opener}${path.delimiter}/bin` });
    assert.equal(opened.code, 0, opened.stderr);
    assert.equal(opened.stdout, '');
    assert.match(opened.stderr, /Opened output\/edition\.epub with xdg-open/);
    assert.equal(readFileSync(path.join(dir, 'opened.txt'), 'utf8'), `${path.join(project, 'output', 'edition.epub')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('build --watch from the installed command: a source saved builds again; Ctrl-C leaves no lock', { timeout: 120_000 }, async (t) => {
  const dir = tempDir();
  try {
    assert.equal((await diglot(['init', 'p'], dir)).code, 0);
    const project = path.join(dir, 'p');
    writeFileSync(path.join(project, 'sources', 'a.md'), 'Ein Satz.\n');
    const child = spawn('diglot', ['build', '--watch'], {
      cwd: project,
      env: userEnv({ DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url }),
      stdio: ['ignore', 'ignore', 'pipe'],
      // A test that times out kills the watch, so no wait outlives it.
      signal: t.signal,
      killSignal: 'SIGKILL',
    });
    child.on('error', (error) => assert.equal(error.name, 'AbortError'));
    let stderr = '';
    const waiters: Array<() => void> = [];
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      for (const w of waiters.splice(0)) w();
    });
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    const printed = async (pattern: RegExp): Promise<void> => {
      while (!pattern.test(stderr)) {
        const more = new Promise<void>((resolve) => waiters.push(resolve));
        if ((await Promise.race([more.then(() => false), done.then(() => true)])) && !pattern.test(stderr))
          assert.fail(`ended without ${pattern}:\n${stderr}`);
      }
    };
    try {
      await printed(/watching/);
      writeFileSync(path.join(project, 'sources', 'a.md'), 'Ein anderer Satz.\n');
      await printed(/sources\/a\.md changed: built 1 article/);
      assert.equal(readFileSync(path.join(project, 'output', 'a.en.md'), 'utf8'), 'EN: Ein anderer Satz.\n');
      child.kill('SIGINT');
      assert.ok([0, 130].includes((await done) ?? -1), stderr);
      assert.equal(existsSync(path.join(project, '.diglot.lock')), false);
    } finally {
      child.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--json on every command: one JSON value on stdout, describing what was done', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const project = path.join(dir, 'p');
  const env = { DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url };
  const json = async (args: string[], cwd = project): Promise<Record<string, unknown>> => {
    const run = await diglot([...args, '--json'], cwd, env);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    try {
      return JSON.parse(run.stdout) as Record<string, unknown>;
    } catch {
      assert.fail(`${args.join(' ')} --json printed no JSON value: ${JSON.stringify(run.stdout)}`);
    }
  };
  try {
    assert.ok((await json(['init', 'p'], dir))['created']);
    const raw = path.join(dir, 'wetter.txt');
    writeFileSync(raw, 'Das Wetter\n\nMorgen regnet es im Norden.\n');
    assert.deepEqual(await json(['import', raw]), { written: [{ raw, file: path.join('sources', 'wetter.md'), dropped: [] }] });
    assert.deepEqual((await json(['glossary', 'add', 'Norden', 'north']))['added'], {
      german: 'Norden',
      english: 'north',
      forms: [],
      note: '',
    });
    assert.deepEqual(await json(['glossary', 'check']), { file: path.join('glossary', 'terms.csv'), terms: 1, errors: 0, problems: [] });
    assert.equal((await json(['glossary', 'export', '--tbx', path.join(dir, 'terms.tbx')]))['terms'], 1);
    const built = await json(['build']);
    assert.deepEqual([built['exitCode'], (built['totals'] as Record<string, number>)['segments']], [0, 2]);
    const exported = await json(['memory', 'export', '--tmx', path.join(dir, 'memory.tmx')]);
    assert.equal(exported['entries'], 2);
    assert.deepEqual(await json(['memory', 'import', '--tmx', path.join(dir, 'memory.tmx')]), {
      file: path.join(dir, 'memory.tmx'),
      imported: 0,
      statusChanged: 0,
      unmatched: 0,
      unchanged: 2,
      repeated: 0,
      undated: 0,
      conflicts: 0,
      older: 0,
      changedSince: 0,
      skipped: 0,
      problems: [],
      otherEnglish: {},
    });
    assert.equal((await json(['memory', 'compact']))['entries'], 2);
    assert.equal((await json(['memory', 'merge']))['merged'], false);
    assert.deepEqual(await json(['glossary', 'remove', 'Norden']), {
      file: path.join('glossary', 'terms.csv'),
      removed: 'Norden',
      rows: [{ line: 2, english: 'north' }],
    });
    for (const args of [['estimate'], ['qa'], ['review', 'status'], ['review', 'import'], ['open', 'book'], ['glossary', 'list']])
      await json(args);
    // A command that fails gives its error as that value too (and on stderr), with its exit code.
    for (const [args, code] of [
      [['build', 'nonexistent'], 2],
      [['biuld'], 2],
      [['open', 'book', '2'], 2],
    ] as const) {
      const failed = await diglot([...args, '--json'], project, env);
      assert.equal(failed.code, code, failed.stderr);
      const { error } = JSON.parse(failed.stdout) as { error: { message: string; exitCode: number } };
      assert.equal(error.exitCode, code);
      assert.ok(failed.stderr.includes(error.message), `${args.join(' ')}: ${failed.stderr}`);
    }
    // A build DeepL failed (the server's address wrong: 404) says its error in the same shape, beside its totals.
    writeFileSync(path.join(project, 'sources', 'neu.md'), 'Ein neuer Satz, den DeepL nie sieht.\n');
    const refused = await diglot(['build', '--json'], project, { ...env, DEEPL_SERVER_URL: `${server.url}/falsch` });
    assert.equal(refused.code, 5, refused.stderr);
    const { error, totals } = JSON.parse(refused.stdout) as {
      error: { message: string; hint?: string; exitCode: number };
      totals: unknown;
    };
    assert.ok(totals);
    assert.equal(error.exitCode, 5);
    assert.match(error.message, /answered HTTP 404/);
    assert.match(error.hint ?? '', /DEEPL_SERVER_URL/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
