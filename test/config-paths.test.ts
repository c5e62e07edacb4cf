// Config paths may not overlap (#19): an output folder that is the root, holds the sources, the memory,
// the glossary or .git is refused with the config's file:line, before anything is read or sent.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config/load-config.js';
import type { Message } from '../src/model.js';
import { formatMessage } from '../src/util/format-message.js';
import { ROOT, runCli, sampleProject } from './helpers.js';

const shipped = readFileSync(path.join(ROOT, 'diglot.config.json'), 'utf8');

/** A temp project with `text` as its config and a source file; returns the dir. */
function project(text: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-config-'));
  writeFileSync(path.join(dir, 'diglot.config.json'), text);
  mkdirSync(path.join(dir, 'sources'));
  writeFileSync(path.join(dir, 'sources', 'a.md'), '# Titel\n\nEin Absatz.\n');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The shipped config (output on line 9) with one value replaced. */
const withValue = (key: string, value: string): string =>
  shipped.replace(new RegExp(`"${key}": "[^"]*"`), `"${key}": ${JSON.stringify(value)}`);
const lineOf = (text: string, key: string): number => text.split('\n').findIndex((l) => l.includes(`"${key}":`)) + 1;

/** The config key a message names (the file itself when none) and its line. */
const keyLine = (e: Message): [string, number] => [/^"([^"]+)": /.exec(e.message)?.[1] ?? 'diglot.config.json', e.line];

async function errorsOf(text: string) {
  const p = project(text);
  try {
    return await loadConfig(p.dir);
  } finally {
    p.cleanup();
  }
}

test('an output folder that is the root, is or holds sources, memory, glossary or .git is refused at its line', async () => {
  assert.equal(lineOf(shipped, 'output'), 9);
  const cases: Array<[string, RegExp]> = [
    ['.', /is the project root/],
    ['./', /is the project root/],
    ['sources', /is or contains the sources folder "sources"/],
    ['sources/..', /is the project root/],
    ['memory', /is or contains the memory's folder "memory"/],
    ['memory/memory.jsonl', /is the memory file/],
    ['glossary', /is or contains the glossary's folder "glossary"/],
    ['.git', /is, contains or lies inside \.git/],
    ['.git/diglot', /is, contains or lies inside \.git/],
  ];
  for (const [output, expected] of cases) {
    const { value, errors } = await errorsOf(withValue('output', output));
    assert.equal(value, undefined, output);
    assert.equal(errors.length, 1, `${output}: ${JSON.stringify(errors)}`);
    assert.deepEqual(keyLine(errors[0]!), ['output', 9], output);
    assert.match(errors[0]?.message ?? '', expected, output);
  }
  const one = (await errorsOf(withValue('output', 'sources'))).errors[0];
  assert.ok(one);
  assert.match(
    formatMessage(one),
    /^diglot\.config\.json:9: "output": "sources" is or contains the sources folder "sources": the output folder must be a folder of its own; otherwise each build reads, translates and bills its own outputs$/,
  );
});

test('an absolute path inside the project is refused with the relative path to write; one outside as outside', async () => {
  const p = project(shipped);
  try {
    writeFileSync(path.join(p.dir, 'diglot.config.json'), withValue('memory', path.join(p.dir, 'memory', 'memory.jsonl')));
    const { errors } = await loadConfig(p.dir);
    assert.match(
      errors.map((e) => e.message).join('\n'),
      /"memory": must be relative to the project folder, so the config works in every clone \(got ".*"; write "memory\/memory\.jsonl"\)/,
    );
    // Also through a link to the project's folder (as macOS's /tmp is to /private/tmp).
    const link = `${p.dir}-link`;
    symlinkSync(p.dir, link);
    try {
      writeFileSync(path.join(p.dir, 'diglot.config.json'), withValue('memory', path.join(link, 'memory', 'memory.jsonl')));
      assert.match((await loadConfig(p.dir)).errors.map((e) => e.message).join('\n'), /"memory": must be relative to the project folder/);
    } finally {
      rmSync(link);
    }
    writeFileSync(path.join(p.dir, 'diglot.config.json'), withValue('memory', '/elsewhere/memory.jsonl'));
    assert.match((await loadConfig(p.dir)).errors.map((e) => e.message).join('\n'), /"memory": must be a path inside the project/);
  } finally {
    p.cleanup();
  }
});

test('sources inside the output folder are refused on the key that moved them there', async () => {
  // output stays at its default; the sources were moved into it.
  const text = '{\n  "title": "t",\n  "sources": "output/german"\n}\n';
  const { errors } = await errorsOf(text);
  assert.deepEqual(errors.map(keyLine), [['sources', 3]]);
  assert.equal(
    formatMessage(errors[0]!),
    'diglot.config.json:3: "sources": "output" is or contains the sources folder "output/german": the output folder must be a folder of its own; otherwise each build reads, translates and bills its own outputs',
  );
  // Both set: the output key is the one to change.
  const both = await errorsOf('{\n  "output": "books",\n  "sources": "books/de"\n}\n');
  assert.deepEqual(both.errors.map(keyLine), [['output', 2]]);
});

test('separate folders are accepted, an output inside the sources folder too (sources are not read recursively)', async () => {
  for (const text of [
    shipped,
    withValue('output', 'sources/english'),
    withValue('output', 'build/out'),
    '{}',
    '{ "sources": ".", "memory": "tm.jsonl", "glossary": "terms.csv" }',
  ]) {
    const { value, errors } = await errorsOf(text);
    assert.deepEqual(errors, [], text);
    assert.ok(value);
  }
});

test('an output folder inside the sources folder: its review files and English Markdown are not taken for articles left out', async () => {
  const p = project(withValue('output', 'sources/english'));
  try {
    for (let run = 0; run < 2; run++) {
      const built = await runCli(['build', '--root', p.dir]);
      assert.equal(built.code, 1, built.stderr);
      assert.doesNotMatch(built.stderr, /sources\/english\/: holds/);
    }
    assert.ok(readdirSync(path.join(p.dir, 'sources', 'english')).some((f) => f.endsWith('.review.md')));
  } finally {
    p.cleanup();
  }
});

test('an output folder inside the sources folder is no input: a build after one that lacked nothing has nothing to do', async () => {
  const sample = sampleProject();
  try {
    const config = path.join(sample.dir, 'diglot.config.json');
    writeFileSync(config, readFileSync(config, 'utf8').replace(/"output":\s*"output"/, '"output": "sources/z/out"'));
    assert.equal((await runCli(['build', '--root', sample.dir])).code, 0);
    const again = await runCli(['build', '--root', sample.dir]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /Nothing changed since the last build: sources\/z\/out\/ is up to date/);
    // Its files are no articles in a folder of the sources, however deep it lies.
    assert.doesNotMatch(again.stderr, /sources\/z\/: holds/);
  } finally {
    sample.cleanup();
  }
});

test('a file given as the sources folder is named as a file, with the folder to give', async () => {
  const p = project(withValue('sources', 'sources/a.md'));
  try {
    const built = await runCli(['build', '--root', p.dir]);
    assert.equal(built.code, 2);
    assert.match(
      built.stderr,
      /^error: sources\/a\.md is a file, not the sources folder\n {2}hint: set "sources" in diglot\.config\.json to the folder that holds the articles \(e\.g\. "sources"\)/m,
    );
  } finally {
    p.cleanup();
  }
});

test('every config message carries the line of its top-level key; a JSON syntax error its line', async () => {
  // "output" also appears as a value and as a nested key before the real key: neither is taken for it.
  const text = [
    '{',
    '  "title": "\\"output\\": not a key",',
    '  "cleanup": [',
    '    { "id": "output", "pattern": "x", "output": 1 }',
    '  ],',
    '  "layout": "sideways",',
    '  "output": "."',
    '}',
    '',
  ].join('\n');
  const { errors } = await errorsOf(text);
  assert.deepEqual(errors.map(keyLine), [
    ['layout', 6],
    ['output', 7],
  ]);
  // Several, in the order of their lines (the checks run key by key in another order).
  const several = await errorsOf('{\n  "title": 5,\n  "concurrency": "4",\n  "layout": 1,\n  "sources": ""\n}\n');
  assert.deepEqual(several.errors.map(keyLine), [
    ['title', 2],
    ['concurrency', 3],
    ['layout', 4],
    ['sources', 5],
  ]);
  const broken = await errorsOf('{\n  "title": "t",\n  "layout": "facing",\n}\n');
  assert.deepEqual(broken.errors.map(keyLine), [['diglot.config.json', 4]]);
  assert.match(
    formatMessage(broken.errors[0]!),
    /^diglot\.config\.json:4: cannot be read as JSON: .* \(a comma after the last entry, which JSON does not allow: remove it\)$/,
  );
  const commented = await errorsOf('{\n  "title": "t",\n  // the layout\n  "layout": "facing"\n}\n');
  assert.match(
    formatMessage(commented.errors[0]!),
    /^diglot\.config\.json:3: cannot be read as JSON: .* \(JSON has no comments: remove the comment\)$/,
  );
});

test('build refuses an output folder that holds the sources: exit 2, nothing written', async () => {
  const p = project(withValue('output', 'sources'));
  try {
    const before = readdirSync(path.join(p.dir, 'sources'));
    const r = await runCli(['build', '--root', p.dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /"output": "sources" is or contains the sources folder "sources"/);
    assert.deepEqual(readdirSync(path.join(p.dir, 'sources')), before);
    assert.deepEqual(readdirSync(p.dir).sort(), ['diglot.config.json', 'sources']);
  } finally {
    p.cleanup();
  }
});

test('the CLI names the config line', async () => {
  const p = project(withValue('output', '.git'));
  try {
    const r = await runCli(['build', '--root', p.dir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /diglot\.config\.json:9: "output": ".git" is, contains or lies inside \.git/);
  } finally {
    p.cleanup();
  }
});

test('a memory or glossary path that names no file while its folder holds others of its kind is refused at its line', async () => {
  const p = project(withValue('memory', 'memory/mem.jsonl'));
  try {
    mkdirSync(path.join(p.dir, 'memory'));
    writeFileSync(path.join(p.dir, 'memory', 'memory.jsonl'), '');
    const text = readFileSync(path.join(p.dir, 'diglot.config.json'), 'utf8');
    const { value, errors } = await loadConfig(p.dir);
    assert.equal(value, undefined);
    assert.deepEqual(
      errors.map((e) => [e.line, e.message]),
      [
        [
          lineOf(text, 'memory'),
          '"memory": memory/mem.jsonl does not exist, but memory/memory.jsonl does: this path would mean an empty memory, ' +
            'and every text would go to DeepL (and be billed) again. Name the file that exists, or create an empty memory/mem.jsonl to start afresh',
        ],
      ],
    );
    // The build stops before reading anything; with the file made (a fresh start meant), it goes on.
    const built = await runCli(['build', '--root', p.dir]);
    assert.equal(built.code, 2, built.stderr);
    assert.match(built.stderr, /"memory": memory\/mem\.jsonl does not exist, but memory\/memory\.jsonl does/);
    writeFileSync(path.join(p.dir, 'memory', 'mem.jsonl'), '');
    assert.deepEqual((await loadConfig(p.dir)).errors, []);

    // The glossary likewise; a folder without such files is a new project's (the file is made when first written).
    writeFileSync(path.join(p.dir, 'diglot.config.json'), withValue('glossary', 'glossary/term.csv'));
    mkdirSync(path.join(p.dir, 'glossary'));
    assert.deepEqual((await loadConfig(p.dir)).errors, []);
    writeFileSync(path.join(p.dir, 'glossary', 'terms.csv'), 'german,english,forms,note\n');
    assert.match(
      (await loadConfig(p.dir)).errors.map(formatMessage).join('\n'),
      /"glossary": glossary\/term\.csv does not exist, but glossary\/terms\.csv does: this path would mean no glossary/,
    );
  } finally {
    p.cleanup();
  }
});

test('a memory or glossary path of the wrong kind (a folder for the file, a file for its folder, a link to nothing) is refused, not an internal error', async () => {
  const p = project(shipped);
  try {
    const messages = async (): Promise<string[]> => (await loadConfig(p.dir)).errors.map((e) => e.message);
    mkdirSync(path.join(p.dir, 'memory', 'memory.jsonl'), { recursive: true });
    assert.deepEqual(await messages(), [
      '"memory": memory/memory.jsonl is a folder, where the memory file goes: move it aside, or name the memory file',
    ]);
    rmSync(path.join(p.dir, 'memory'), { recursive: true });
    writeFileSync(path.join(p.dir, 'memory'), 'x');
    assert.deepEqual(await messages(), [
      '"memory": memory is a file, where the folder of memory/memory.jsonl goes: move it aside, or name another folder',
    ]);
    rmSync(path.join(p.dir, 'memory'));
    mkdirSync(path.join(p.dir, 'memory'));
    symlinkSync('gone.jsonl', path.join(p.dir, 'memory', 'memory.jsonl'));
    assert.deepEqual(await messages(), [
      '"memory": memory/memory.jsonl is a link to gone.jsonl, which does not exist: restore that file, or name the memory file',
    ]);
    // A pipe would block whoever reads it, and no Ctrl-C would end the wait.
    rmSync(path.join(p.dir, 'memory', 'memory.jsonl'));
    if (spawnSync('mkfifo', [path.join(p.dir, 'memory', 'memory.jsonl')]).status === 0) {
      assert.deepEqual(await messages(), [
        '"memory": memory/memory.jsonl is not a regular file (a pipe or a device), where the memory file goes: remove it, or name the memory file',
      ]);
      rmSync(path.join(p.dir, 'memory', 'memory.jsonl'));
      writeFileSync(path.join(p.dir, 'memory', 'memory.jsonl'), '');
      spawnSync('mkfifo', [path.join(p.dir, '.diglot.lock')]);
      const locked = await runCli(['build', '--root', p.dir]);
      assert.equal(locked.code, 2, locked.stderr);
      assert.match(locked.stderr, /\.diglot\.lock is not a regular file, where diglot keeps its lock file/);
      rmSync(path.join(p.dir, '.diglot.lock'));
    }
    rmSync(path.join(p.dir, 'memory'), { recursive: true });
    mkdirSync(path.join(p.dir, 'glossary', 'terms.csv'), { recursive: true });
    const built = await runCli(['build', '--root', p.dir]);
    assert.equal(built.code, 2, built.stderr);
    assert.match(built.stderr, /"glossary": glossary\/terms\.csv is a folder, where the glossary file goes/);
    assert.doesNotMatch(built.stderr, /internal error/);
  } finally {
    p.cleanup();
  }
});

test('a config saved with a byte-order mark is read; an unknown key is warned of with the key meant', async () => {
  const { value, errors, warnings } = await errorsOf(`\uFEFF${withValue('layout', 'facing').replace('"layout"', '"Layout"')}`);
  assert.deepEqual(errors, []);
  assert.equal(value?.layout, 'interleaved', 'the misspelt key is not taken');
  assert.match(warnings.map(formatMessage).join('\n'), /"Layout": unknown key, ignored \(did you mean "layout"\? known: /);
});

test('a cleanup pattern that matches the empty text is refused; a rule that drops all of an article is said at its file', async () => {
  const everything = await errorsOf('{ "cleanup": [{ "id": "x", "pattern": ".*" }] }');
  assert.deepEqual(
    everything.errors.map((e) => [e.line, e.message]),
    [[1, '"cleanup[0].pattern": ".*" matches the empty text, so it would match every paragraph']],
  );
  const p = project('{ "cleanup": [{ "id": "all", "pattern": "[\\\\s\\\\S]+" }] }');
  try {
    writeFileSync(path.join(p.dir, 'sources', 'b.txt'), 'Ein Titel\n\nEin Absatz, den die Regel nimmt.\n');
    // And an article of a comment alone, or an empty title: no text to translate, said.
    writeFileSync(path.join(p.dir, 'sources', 'c.md'), '<!-- nur eine Notiz -->\n');
    writeFileSync(path.join(p.dir, 'sources', 'd.md'), '---\ntitle: ""\n---\n');
    // No key: a.md lacks its English (exit 1); what matters is what is said of b.txt.
    const built = await runCli(['build', '--root', p.dir]);
    assert.match(
      built.stderr,
      /^warning: sources\/b\.txt:1: the cleanup rule "all" dropped all its text; check "cleanup" in diglot\.config\.json$/m,
    );
    assert.doesNotMatch(built.stderr, /sources\/a\.md:1: the cleanup/, 'a Markdown source is not cleaned');
    for (const file of ['c.md', 'd.md'])
      assert.match(built.stderr, new RegExp(`^warning: sources/${file.replace('.', '\\.')}:1: holds no text to translate`, 'm'));
    // Its review file lists what was dropped, under a head that counts no segment.
    assert.match(readFileSync(path.join(p.dir, 'output', 'b.review.md'), 'utf8'), /^- Segments: 0 · dropped lines 2$/m);
  } finally {
    p.cleanup();
  }
});

test('with another output folder, the hints name its copies there, not in output/', async () => {
  const project = sampleProject();
  try {
    const configFile = path.join(project.dir, 'diglot.config.json');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace('"output": "output"', '"output": "out"'));
    assert.equal((await runCli(['build', '--root', project.dir])).code, 0);
    const [name] = readdirSync(path.join(project.dir, 'out')).filter((f) => f.endsWith('.review.md'));
    const file = path.join(project.dir, 'out', name as string);
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('<!-- EN -->\n\n') + '<!-- EN -->\n\n'.length;
    writeFileSync(file, `${text.slice(0, at)}Edited. ${text.slice(at)}`);
    const refused = await runCli(['build', '--root', project.dir]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /a copy of each is kept in out\/\.overwritten\//);
    assert.doesNotMatch(refused.stderr, /output\/\.overwritten/);
  } finally {
    project.cleanup();
  }
});
