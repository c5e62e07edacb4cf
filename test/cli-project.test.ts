// The command line finds its project as git does, makes new ones with `diglot init`, and suggests
// the command or option a typo meant.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from './helpers.js';

test('a typo of a command or an option gets the near one suggested; a far one only the list', async () => {
  const typo = await runCli(['biuld']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown command "biuld"\. Did you mean "build"\? Commands: build, estimate/);
  const far = await runCli(['publish']);
  assert.equal(far.code, 2);
  assert.match(far.stderr, /unknown command "publish"\. Commands:/);
  assert.doesNotMatch(far.stderr, /Did you mean/);
  const version = await runCli(['--verison']);
  assert.match(version.stderr, /unknown option "--verison"\. Did you mean "--version"\?/);
  const option = await runCli(['build', '--layot', 'facing']);
  assert.equal(option.code, 2);
  assert.match(option.stderr, /build: Unknown option '--layot'; did you mean --layout\?/);
  const help = await runCli(['--help']);
  assert.match(help.stdout, /--quiet[\s\S]*--json[\s\S]*--root DIR/);
});

test('diglot init makes a project that builds, and refuses to write over anything', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-init-'));
  try {
    const made = await runCli(['init', 'edition'], {}, dir);
    assert.equal(made.code, 0, made.stderr);
    const project = path.join(dir, 'edition');
    for (const name of ['diglot.config.json', 'sources', 'glossary/terms.csv', 'memory/memory.jsonl', '.gitattributes', '.gitignore'])
      assert.ok(existsSync(path.join(project, name)), name);
    assert.equal(readFileSync(path.join(project, 'glossary', 'terms.csv'), 'utf8'), 'german,english,forms,note\n');
    assert.match(readFileSync(path.join(project, '.gitattributes'), 'utf8'), /memory\/\*\.jsonl merge=diglot-memory/);
    assert.match(readFileSync(path.join(project, '.gitignore'), 'utf8'), /^output\/$/m);
    const config = JSON.parse(readFileSync(path.join(project, 'diglot.config.json'), 'utf8')) as { title: string; identifier: string };
    assert.equal(config.title, 'edition');
    // An identifier of its own: another edition of the same title is another book.
    assert.match(config.identifier, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal((await runCli(['init', 'same/edition'], {}, dir)).code, 0);
    assert.notEqual(
      (JSON.parse(readFileSync(path.join(dir, 'same', 'edition', 'diglot.config.json'), 'utf8')) as { identifier: string }).identifier,
      config.identifier,
    );

    // A German article without a key: the build lists it as missing (exit 1), from a subfolder too.
    writeFileSync(path.join(project, 'sources', 'a.md'), '# Titel\n\nEin Absatz.\n');
    const built = await runCli(['build'], {}, path.join(project, 'sources'));
    assert.equal(built.code, 1, built.stderr);
    assert.match(built.stderr, /sources\/a\.md:1/);
    assert.ok(existsSync(path.join(project, 'output', 'a.review.md')), 'the project found upwards was built');

    // A second init writes nothing, and says what is in the way.
    writeFileSync(path.join(project, '.gitignore'), 'mine\n');
    const again = await runCli(['init'], {}, project);
    assert.equal(again.code, 2);
    assert.match(
      again.stderr,
      /already has diglot\.config\.json, glossary\/terms\.csv, memory\/memory\.jsonl, \.gitattributes, \.gitignore, sources; nothing was written/,
    );
    assert.equal(readFileSync(path.join(project, '.gitignore'), 'utf8'), 'mine\n');
    // Nor does one in an untouched project.
    const untouched = await runCli(['init', 'same/edition'], {}, dir);
    assert.equal(untouched.code, 2, untouched.stderr);
    // Nor one into a folder whose sources/ holds articles.
    mkdirSync(path.join(dir, 'other', 'sources'), { recursive: true });
    writeFileSync(path.join(dir, 'other', 'sources', 'a.md'), '# Titel\n');
    const partial = await runCli(['init', 'other'], {}, dir);
    assert.equal(partial.code, 2);
    assert.equal(existsSync(path.join(dir, 'other', 'diglot.config.json')), false);

    // What an init killed part-way left (a file made but not written, one not made) is finished, the config's identifier kept.
    const cut = path.join(dir, 'same', 'edition');
    const identifier = readFileSync(path.join(cut, 'diglot.config.json'), 'utf8');
    writeFileSync(path.join(cut, 'glossary', 'terms.csv'), '');
    rmSync(path.join(cut, '.gitignore'));
    const finished = await runCli(['init', 'same/edition'], {}, dir);
    assert.equal(finished.code, 0, finished.stderr);
    assert.equal(readFileSync(path.join(cut, 'glossary', 'terms.csv'), 'utf8'), 'german,english,forms,note\n');
    assert.match(readFileSync(path.join(cut, '.gitignore'), 'utf8'), /^output\/$/m);
    assert.equal(readFileSync(path.join(cut, 'diglot.config.json'), 'utf8'), identifier);
    // As is a folder holding only an empty sources/: nothing there is written over.
    mkdirSync(path.join(dir, 'empty', 'sources'), { recursive: true });
    assert.equal((await runCli(['init', 'empty'], {}, dir)).code, 0);
    assert.ok(existsSync(path.join(dir, 'empty', 'diglot.config.json')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('diglot init where no folder can be made refuses with the folder and the reason, at once', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-init-'));
  try {
    // Under a file: no folder there.
    writeFileSync(path.join(dir, 'file'), '');
    const underFile = await runCli(['init', 'file/edition'], {}, dir);
    assert.equal(underFile.code, 2, underFile.stderr);
    assert.match(underFile.stderr, /init: cannot make .*file\/edition.* \(ENOTDIR\)/);
    // In /proc, where Node's recursive mkdir never returned.
    if (existsSync('/proc/self')) {
      const proc = await runCli(['init', '/proc/diglot-edition'], {}, dir);
      assert.equal(proc.code, 2, proc.stderr);
      assert.match(proc.stderr, /init: cannot make \/proc\/diglot-edition \(ENOENT\)/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('outside any project the command says so and where it looked', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-none-'));
  try {
    const r = await runCli(['estimate'], {}, dir);
    assert.equal(r.code, 2);
    assert.ok(r.stderr.includes(`no diglot project here: no diglot.config.json in ${dir} or any folder above it`), r.stderr);
    assert.match(r.stderr, /diglot init/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
