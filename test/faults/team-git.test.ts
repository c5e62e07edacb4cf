/**
 * Teams through git, with real repositories: two clones review the same pair differently and
 * other pairs each, commit and pull. With diglot's merge driver git reports no conflict, both texts
 * are kept (one current, one in history) and the build passes; without it, the build refuses the
 * conflicted memory and `diglot memory merge` resolves it with the same result.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { MemoryEntry } from '../../src/memory/entry.js';
import { mergeMemory } from '../../src/memory/merge-memory.js';
import { readJournal } from '../../src/memory/read-journal.js';
import { TranslationMemory } from '../../src/memory/translation-memory.js';
import { gitSandbox, MEMORY_DRIVER, runCli, sampleProject } from '../helpers.js';

const MEMORY = path.join('memory', 'memory.jsonl');

/**
 * A line of a memory file: a reviewer's English of 2026-01-01, but for the fields given, in the
 * order `formatEntry` writes them (a merge writes the lines it takes so).
 */
function entryLine({ source, target, ...fields }: Pick<MemoryEntry, 'source' | 'target'> & Partial<MemoryEntry>): string {
  const { lang = 'en-US', origin = 'human', status = 'reviewed', created = '2026-01-01T00:00:00Z', ...rest } = fields;
  return JSON.stringify({ source, target, lang, origin, status, created, updated: created, ...rest });
}

/** A shared bare repository holding a copy of the sample project, a function to clone it, and git. */
function team(): {
  /** A clone with diglot's memory driver (true), none (false), or drivers whose command fails ('failing'). */
  clone: (name: string, driver: boolean | 'failing') => string;
  git: (cwd: string, ...args: string[]) => { code: number; out: string };
  cleanup: () => void;
} {
  const sandbox = gitSandbox();
  const { git } = sandbox;
  const setup = sandbox.clone('setup');
  const project = sampleProject();
  cpSync(project.dir, setup, { recursive: true });
  project.cleanup();
  writeFileSync(path.join(setup, '.gitattributes'), 'memory/*.jsonl merge=diglot-memory\nglossary/*.csv merge=diglot-glossary\n');
  writeFileSync(path.join(setup, '.gitignore'), 'output/\n.diglot.lock\n');
  git(setup, 'add', '.');
  git(setup, 'commit', '-q', '-m', 'sample project');
  const pushed = git(setup, 'push', '-q', 'origin', 'main');
  if (pushed.code !== 0) throw new Error(pushed.out);
  return {
    clone: (name, driver) => {
      const dir = sandbox.clone(name);
      git(dir, 'config', 'pull.rebase', 'false');
      if (driver === 'failing') {
        // A driver command that cannot run, as when `diglot` is not on the clone's PATH.
        git(dir, 'config', 'merge.diglot-memory.driver', 'diglot-not-installed memory merge %O %A %B');
        git(dir, 'config', 'merge.diglot-glossary.driver', 'diglot-not-installed glossary merge %O %A %B');
      } else if (driver) {
        git(dir, 'config', 'merge.diglot-memory.name', 'diglot translation memory');
        git(dir, 'config', 'merge.diglot-memory.driver', MEMORY_DRIVER);
      }
      return dir;
    },
    git,
    cleanup: sandbox.cleanup,
  };
}

/** A reviewer's edit as `review import` stores it: origin human, the old text in history. */
async function review(dir: string, source: string, target: string, status: 'reviewed' | 'approved', updated: string): Promise<void> {
  const { memory } = await TranslationMemory.open(path.join(dir, MEMORY));
  const current = memory.lookup(source, 'en-US');
  assert.ok(current, `the sample memory has "${source}"`);
  memory.append([
    {
      ...current,
      target,
      origin: 'human',
      status,
      updated,
      history: [
        ...(current.history ?? []),
        { target: current.target, origin: current.origin, status: current.status, updated: current.updated },
      ],
    },
  ]);
}

/** Three German paragraphs of a clone's memory: one both reviewers edit, one each. */
async function sampleSources(dir: string): Promise<[string, string, string]> {
  const { memory } = await TranslationMemory.open(path.join(dir, MEMORY));
  const sources = memory.entries().map((e) => e.source);
  return [sources[3] as string, sources[10] as string, sources[20] as string];
}

type Git = ReturnType<typeof team>['git'];

async function divergentReviews(git: Git, alice: string, bob: string): Promise<[string, string, string]> {
  const sources = await sampleSources(alice);
  const [both, aliceOnly, bobOnly] = sources;
  await review(alice, both, 'Alice’s wording of the shared pair.', 'reviewed', '2026-11-27T10:00:00.000Z');
  await review(alice, aliceOnly, 'Alice’s own pair.', 'reviewed', '2026-11-27T10:05:00.000Z');
  await review(bob, both, 'Bob’s approved wording of the shared pair.', 'approved', '2026-11-27T09:00:00.000Z');
  await review(bob, bobOnly, 'Bob’s own pair.', 'reviewed', '2026-11-27T09:30:00.000Z');
  for (const [dir, who] of [
    [alice, 'Alice'],
    [bob, 'Bob'],
  ] as const) {
    assert.equal(git(dir, 'commit', '-q', '-am', `${who} reviews`).code, 0);
  }
  assert.equal(git(alice, 'push', '-q', 'origin', 'main').code, 0);
  return sources;
}

async function assertBothKept(dir: string, [both, aliceOnly, bobOnly]: [string, string, string]): Promise<void> {
  const { memory } = await TranslationMemory.open(path.join(dir, MEMORY));
  const shared = memory.lookup(both, 'en-US') as MemoryEntry;
  assert.equal(shared.target, 'Bob’s approved wording of the shared pair.', 'approved beats reviewed, though older');
  assert.equal(shared.status, 'approved');
  assert.ok(
    shared.history?.some((h) => h.target === 'Alice’s wording of the shared pair.' && h.status === 'reviewed'),
    'the other reviewer’s text is in the history',
  );
  assert.equal(memory.lookup(aliceOnly, 'en-US')?.target, 'Alice’s own pair.');
  assert.equal(memory.lookup(bobOnly, 'en-US')?.target, 'Bob’s own pair.');
  const built = await runCli(['build', '--root', dir]);
  assert.equal(built.code, 0, built.stderr);
  const english = readdirSync(path.join(dir, 'output'))
    .filter((name) => name.endsWith('.en.md'))
    .map((name) => readFileSync(path.join(dir, 'output', name), 'utf8'));
  assert.ok(
    english.some((text) => text.includes('Bob’s approved wording of the shared pair.')),
    'the edition has the merged text',
  );
}

test('with the merge driver: two reviewers’ edits of the same pair merge without a conflict, both texts kept', async () => {
  const { clone, git, cleanup } = team();
  try {
    const alice = clone('alice', true);
    const bob = clone('bob', true);
    const sources = await divergentReviews(git, alice, bob);
    const pulled = git(bob, 'pull', '--no-rebase', '--no-edit', 'origin', 'main');
    assert.equal(pulled.code, 0, pulled.out);
    assert.doesNotMatch(pulled.out, /CONFLICT/);
    await assertBothKept(bob, sources);
  } finally {
    cleanup();
  }
});

test('without the driver: git conflicts, build refuses the memory naming the lines, `diglot memory merge` resolves it', async () => {
  const { clone, git, cleanup } = team();
  try {
    const alice = clone('alice', false);
    const bob = clone('bob', false);
    const sources = await divergentReviews(git, alice, bob);
    const pulled = git(bob, 'pull', '--no-rebase', '--no-edit', 'origin', 'main');
    assert.notEqual(pulled.code, 0);
    assert.match(pulled.out, /CONFLICT \(content\).*memory\.jsonl/);
    const before = readFileSync(path.join(bob, MEMORY), 'utf8');

    for (const args of [['build'], ['estimate'], ['qa'], ['memory', 'compact'], ['memory', 'export', '--tmx', path.join(bob, 'x.tmx')]]) {
      const refused = await runCli([...args, '--root', bob]);
      assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
      assert.match(refused.stderr, /memory\/memory\.jsonl:\d+: git conflict marker/);
      assert.match(refused.stderr, /diglot memory merge/);
      assert.doesNotMatch(refused.stderr, /internal error|\n\s+at /);
    }
    assert.equal(readFileSync(path.join(bob, MEMORY), 'utf8'), before, 'nothing rewrote the conflicted file');

    const merged = await runCli(['memory', 'merge', '--root', bob]);
    assert.equal(merged.code, 0, merged.stderr);
    assert.match(merged.stderr, /1 edited on both sides/);
    // Each pair edited on both sides is named by its German, with whose English is current and where the other's differs.
    assert.match(
      merged.stderr,
      /\n {2}"Aber kein westliches Land[^"]*": kept ours \(approved\): \[-Alice-\] \{\+Bob\+\}’s \{\+approved\+\} wording of the…; theirs in its history/,
    );
    await assertBothKept(bob, sources);
    assert.equal(git(bob, 'add', MEMORY).code, 0);
    assert.equal(git(bob, 'commit', '-q', '--no-edit').code, 0);
  } finally {
    cleanup();
  }
});

test('a driver that cannot run: git keeps our side only, without markers; every command refuses the unmerged files, `memory merge` and `glossary merge` merge git’s versions', async () => {
  const { clone, git, cleanup } = team();
  try {
    const alice = clone('alice', 'failing');
    const bob = clone('bob', 'failing');
    const GLOSSARY = path.join('glossary', 'terms.csv');
    const addTerm = (dir: string, row: string): void =>
      writeFileSync(path.join(dir, GLOSSARY), `${readFileSync(path.join(dir, GLOSSARY), 'utf8')}${row}\n`);
    addTerm(alice, 'Aaalice-Begriff,alice term,,');
    addTerm(bob, 'Zzbob-Begriff,bob term,,');
    const sources = await divergentReviews(git, alice, bob);
    const pulled = git(bob, 'pull', '--no-rebase', '--no-edit', 'origin', 'main');
    assert.notEqual(pulled.code, 0);
    const memoryText = readFileSync(path.join(bob, MEMORY), 'utf8');
    assert.doesNotMatch(memoryText, /^<<<<<<<|^>>>>>>>/m, 'git left our side as it was, without markers');
    assert.doesNotMatch(memoryText, /Alice/, 'the other side’s entries are not in the file');

    for (const args of [['build'], ['estimate'], ['memory', 'compact'], ['glossary', 'check']]) {
      const refused = await runCli([...args, '--root', bob]);
      assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
      // A build reads the glossary first: it names the glossary, `memory compact` the memory.
      const named = args[0] === 'memory' ? /memory\/memory\.jsonl is unmerged in git/ : /glossary\/terms\.csv:1: (error: )?unmerged in git/;
      assert.match(`${refused.stdout}${refused.stderr}`, named);
      assert.match(`${refused.stdout}${refused.stderr}`, args[0] === 'memory' ? /diglot memory merge/ : /diglot glossary merge/);
    }
    assert.equal(readFileSync(path.join(bob, MEMORY), 'utf8'), memoryText, 'nothing rewrote the unmerged memory');
    const adding = await runCli(['glossary', 'add', 'Mittelwort', 'middle word', '--root', bob]);
    assert.equal(adding.code, 2, adding.stderr);

    const merged = await runCli(['memory', 'merge', '--root', bob]);
    assert.equal(merged.code, 0, merged.stderr);
    assert.match(merged.stderr, /1 edited on both sides/);
    const terms = await runCli(['glossary', 'merge', '--root', bob]);
    assert.equal(terms.code, 0, terms.stderr);
    assert.match(terms.stderr, /Merged glossary\/terms\.csv: .*\nNow `git add glossary\/terms\.csv`/);
    const glossary = readFileSync(path.join(bob, GLOSSARY), 'utf8');
    assert.match(glossary, /^Aaalice-Begriff,alice term/m);
    assert.match(glossary, /^Zzbob-Begriff,bob term/m);
    assert.equal(git(bob, 'add', MEMORY, GLOSSARY).code, 0);
    await assertBothKept(bob, sources);
    assert.equal(git(bob, 'commit', '-q', '--no-edit').code, 0);
  } finally {
    cleanup();
  }
});

test('an unmerged file edited since git left it (a broken line moved aside, a row fixed) is refused until the other side is in it; the merges take it as it is now', async () => {
  const { clone, git, cleanup } = team();
  try {
    const alice = clone('alice', 'failing');
    const bob = clone('bob', 'failing');
    const GLOSSARY = path.join('glossary', 'terms.csv');
    const append = (dir: string, file: string, text: string): void =>
      writeFileSync(path.join(dir, file), `${readFileSync(path.join(dir, file), 'utf8')}${text}`);
    append(alice, GLOSSARY, 'Aaalice-Begriff,alice term,,\n');
    const sources = await divergentReviews(git, alice, bob);
    // Bob's side holds a broken line of each file, as committed.
    append(bob, GLOSSARY, 'Zzbob-Begriff,"bob term,,\n');
    append(bob, MEMORY, 'not an entry\n');
    assert.equal(git(bob, 'commit', '-q', '-am', 'Bob’s broken lines').code, 0);
    assert.notEqual(git(bob, 'pull', '--no-rebase', '--no-edit', 'origin', 'main').code, 0);

    // Fixed in the files themselves, while git still lists them as unmerged.
    const quarantined = await runCli(['memory', 'compact', '--quarantine', '--root', bob]);
    assert.match(quarantined.stderr, /Moved 1 line that is not a memory entry to memory\/memory\.jsonl\.rejected/);
    assert.equal(quarantined.code, 2, 'moved aside, but the other side is still missing');
    assert.match(quarantined.stderr, /memory\/memory\.jsonl is unmerged in git and lacks the other side's translations/);
    const glossaryText = readFileSync(path.join(bob, GLOSSARY), 'utf8');
    writeFileSync(path.join(bob, GLOSSARY), glossaryText.replace('"bob term', 'bob term'));
    for (const args of [['build'], ['review', 'status'], ['glossary', 'check']]) {
      const refused = await runCli([...args, '--root', bob]);
      assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
      assert.match(
        `${refused.stdout}${refused.stderr}`,
        /unmerged in git and lacks (the other side's translations|rows of the other side)/,
      );
    }

    const merged = await runCli(['memory', 'merge', '--root', bob]);
    assert.equal(merged.code, 0, merged.stderr);
    const terms = await runCli(['glossary', 'merge', '--root', bob]);
    assert.equal(terms.code, 0, terms.stderr);
    const glossary = readFileSync(path.join(bob, GLOSSARY), 'utf8');
    assert.match(glossary, /^Aaalice-Begriff,alice term/m, 'the other side’s row');
    assert.match(glossary, /^Zzbob-Begriff,bob term/m, 'our row, as fixed in the file');
    assert.doesNotMatch(readFileSync(path.join(bob, MEMORY), 'utf8'), /not an entry/);
    // Merged, though git still lists them until they are added: nothing refuses them now.
    const status = await runCli(['review', 'status', '--root', bob]);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(git(bob, 'add', MEMORY, GLOSSARY).code, 0);
    await assertBothKept(bob, sources);
  } finally {
    cleanup();
  }
});

test('a conflict marker left alone in the memory (a conflict settled by hand): `memory merge` names its line, `compact --quarantine` moves it aside', async () => {
  const project = sampleProject();
  try {
    const file = path.join(project.dir, MEMORY);
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    writeFileSync(file, [...lines.slice(0, 2), '<<<<<<< HEAD', ...lines.slice(2)].join('\n'));
    const merged = await runCli(['memory', 'merge', '--root', project.dir]);
    assert.equal(merged.code, 2, merged.stderr);
    assert.match(merged.stderr, /memory\/memory\.jsonl: 1 line \(line 3\) is a git conflict marker outside any whole conflict block/);
    assert.match(merged.stderr, /diglot memory compact --quarantine/);
    const compacted = await runCli(['memory', 'compact', '--quarantine', '--root', project.dir]);
    assert.equal(compacted.code, 0, compacted.stderr);
    assert.match(readFileSync(`${file}.rejected`, 'utf8'), /^# memory\/memory\.jsonl:3\n<<<<<<< HEAD$/m);
    const { memory } = await TranslationMemory.open(file);
    assert.equal(memory.size, readJournal(text, 'x').entries.size, 'every entry is still there');
  } finally {
    project.cleanup();
  }
});

test('the driver refuses (exit 1, ours untouched) a side it cannot read whole, so git reports the conflict', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-driver-'));
  try {
    const entry = (target: string): string => entryLine({ source: 'Hallo', target, origin: 'deepl', status: 'draft' });
    writeFileSync(path.join(dir, 'base'), `${entry('Hello')}\n`);
    writeFileSync(path.join(dir, 'ours'), `${entry('Hello')}\n${entry('Hi')}\n`);
    writeFileSync(path.join(dir, 'theirs'), `${entry('Hello')}\n{"source": broken\n`);
    const result = await runCli(['memory', 'merge', path.join(dir, 'base'), path.join(dir, 'ours'), path.join(dir, 'theirs'), MEMORY]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /diglot memory merge memory\/memory\.jsonl: the other side's version has lines that are not memory entries: line 2: not valid JSON/,
    );
    assert.equal(readFileSync(path.join(dir, 'ours'), 'utf8'), `${entry('Hello')}\n${entry('Hi')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a driver given a file that does not exist (a typo in its line: %b for %B) merges nothing: exit 2 naming it, ours untouched', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-driver-'));
  try {
    const ours = `${entryLine({ source: 'Hallo', target: 'Hi', updated: '2026-01-02T00:00:00Z' })}\n`;
    writeFileSync(path.join(dir, 'base'), '');
    writeFileSync(path.join(dir, 'ours'), ours);
    const memory = await runCli(['memory', 'merge', path.join(dir, 'base'), path.join(dir, 'ours'), path.join(dir, '%b')]);
    assert.equal(memory.code, 2, memory.stderr);
    assert.match(memory.stderr, /diglot memory merge: THEIRS ".*%b" cannot be read \(ENOENT\); nothing was merged/);
    assert.match(memory.stderr, /%O %A %B/);
    assert.equal(readFileSync(path.join(dir, 'ours'), 'utf8'), ours, 'our entries are not dropped');

    writeFileSync(path.join(dir, 'terms.csv'), 'german,english,forms,note\nKrieg,war,,\n');
    const glossary = await runCli([
      'glossary',
      'merge',
      path.join(dir, 'nope.csv'),
      path.join(dir, 'terms.csv'),
      path.join(dir, 'terms.csv'),
    ]);
    assert.equal(glossary.code, 2, glossary.stderr);
    assert.match(glossary.stderr, /diglot glossary merge: BASE ".*nope\.csv" cannot be read \(ENOENT\)/);
    assert.doesNotMatch(glossary.stderr, /internal error|at async/);
    assert.equal(readFileSync(path.join(dir, 'terms.csv'), 'utf8'), 'german,english,forms,note\nKrieg,war,,\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mergeMemory: one side’s changes taken, both sides’ new entries kept, a tie of status goes to the later edit', () => {
  const e = (source: string, target: string, status: MemoryEntry['status'], updated: string): string =>
    entryLine({ source, target, origin: status === 'draft' ? 'deepl' : 'human', status, updated });
  const base = `${[e('A', 'a', 'draft', '2026-01-01'), e('B', 'b', 'draft', '2026-01-01'), e('C', 'c', 'draft', '2026-01-01')].join('\n')}\n`;
  const ours = `${base + [e('A', 'a (ours)', 'reviewed', '2026-02-01'), e('D', 'd', 'draft', '2026-02-01'), e('C', 'c (ours)', 'reviewed', '2026-02-03')].join('\n')}\n`;
  const theirs = `${base + [e('B', 'b (theirs)', 'reviewed', '2026-02-02'), e('E', 'e', 'draft', '2026-02-02'), e('C', 'c (theirs)', 'reviewed', '2026-02-05')].join('\n')}\n`;
  const merged = mergeMemory(base, ours, theirs);
  assert.ok(merged.text.startsWith(ours), 'ours is kept as it was, the merge appended after it');
  const lines = merged.text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as MemoryEntry);
  const current = new Map(lines.map((entry) => [entry.source, entry]));
  assert.equal(current.get('A')?.target, 'a (ours)', 'changed on our side only');
  assert.equal(current.get('B')?.target, 'b (theirs)', 'changed on their side only');
  assert.equal(current.get('C')?.target, 'c (theirs)', 'both reviewed: the later edit wins');
  assert.deepEqual(
    current.get('C')?.history?.map((h) => h.target),
    // (The lines above carry no history: each side's line is read with the English it replaced, 'c'.)
    ['c', 'c (ours)'],
    'the other edit kept, and the English both replaced',
  );
  assert.equal(current.get('D')?.target, 'd');
  assert.equal(current.get('E')?.target, 'e');
  assert.deepEqual([merged.fromTheirs, merged.resolved], [2, 1]);
  assert.equal(mergeMemory(base, ours, ours).text, ours, 'nothing to add when both sides agree');
});

test('the same English on both sides (each side built the same article) is said so, and a history holds an English once where both sides held it', async () => {
  const entry = (target: string, updated: string, history: Array<{ target: string; updated: string }> = []): string =>
    entryLine({
      source: 'Der Rat tagt.',
      target,
      created: updated,
      ...(history.length > 0 ? { history: history.map((h) => ({ ...h, origin: 'deepl' as const, status: 'draft' as const })) } : {}),
    });
  // Each side had DeepL's draft at its own time, then reviewed it to the same English.
  const draft = (updated: string): Array<{ target: string; updated: string }> => [{ target: 'EN: Der Rat tagt.', updated }];
  const ours = `${entry('The council meets.', '2026-02-01T00:00:00Z', draft('2026-01-01T00:00:00Z'))}\n`;
  const theirs = `${entry('The council meets.', '2026-02-02T00:00:00Z', draft('2026-01-02T00:00:00Z'))}\n`;
  const merged = mergeMemory('', ours, theirs);
  const last = JSON.parse(merged.text.trimEnd().split('\n').at(-1) as string) as MemoryEntry;
  assert.deepEqual(
    last.history?.map((h) => h.target),
    ['EN: Der Rat tagt.'],
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-driver-'));
  try {
    writeFileSync(path.join(dir, 'base'), '');
    writeFileSync(path.join(dir, 'ours'), ours);
    writeFileSync(path.join(dir, 'theirs'), theirs);
    const result = await runCli(['memory', 'merge', path.join(dir, 'base'), path.join(dir, 'ours'), path.join(dir, 'theirs')]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /1 edited on both sides \(1 of them to the same English; /);
    assert.match(result.stderr, /\n {2}"Der Rat tagt\.": kept theirs \(reviewed\): the same English on both sides/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the merge report shows a rewritten English whole on both sides and a change of white space as such; a history holds each English once', async () => {
  const line = (source: string, target: string, updated: string, history: string[] = []): string =>
    entryLine({
      source,
      target,
      updated,
      ...(history.length > 0
        ? {
            history: history.map((h, i) => ({
              target: h,
              origin: 'human' as const,
              status: 'reviewed' as const,
              updated: `2026-01-0${i + 2}T00:00:00Z`,
            })),
          }
        : {}),
    });
  const ours = `${[
    line('Eins.', 'One, as the first reviewer wrote it.', '2026-02-01T00:00:00Z'),
    line('Zwei.', 'Two  spaces.', '2026-02-01T00:00:00Z'),
    line('Drei.', 'B', '2026-02-01T00:00:00Z', ['A']),
  ].join('\n')}\n`;
  const theirs = `${[
    line('Eins.', 'An entirely different rendering of the sentence.', '2026-02-02T00:00:00Z'),
    line('Zwei.', 'Two spaces.', '2026-02-02T00:00:00Z'),
    line('Drei.', 'C', '2026-02-02T00:00:00Z', ['A', 'B']),
  ].join('\n')}\n`;
  const merged = mergeMemory('', ours, theirs);
  const drei = merged.text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as MemoryEntry)
    .filter((e) => e.source === 'Drei.')
    .at(-1);
  assert.deepEqual([drei?.target, drei?.history?.map((h) => h.target)], ['C', ['A', 'B']], 'each English once in the history');
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-driver-'));
  try {
    for (const [name, text] of [
      ['base', ''],
      ['ours', ours],
      ['theirs', theirs],
    ] as const)
      writeFileSync(path.join(dir, name), text);
    const result = await runCli(['memory', 'merge', ...['base', 'ours', 'theirs'].map((f) => path.join(dir, f))]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /"Eins\.": kept theirs \(reviewed\): "An entirely different rendering of the sentence\."; ours "One, as the first reviewer wrote it\." in its history/,
    );
    assert.match(result.stderr, /"Zwei\.": kept theirs \(reviewed\): the same English but for white space; ours in its history/);
    assert.doesNotMatch(result.stderr, /\[--\]|\{\+\+\}/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mergeMemory: a side whose last line was cut off by a killed run merges without it; ours keeps it last, for the next write to move aside', () => {
  const e = (source: string, target: string): string => entryLine({ source, target });
  const base = `${e('A', 'a')}\n`;
  const cut = '{"source":"Kaputt","target":"EN: Kap';
  const theirs = `${base}${e('B', 'b')}\n${cut}`;
  const ours = `${base}${e('C', 'c')}\n${cut}2`;
  const merged = mergeMemory(base, ours, theirs);
  assert.equal(merged.fromTheirs, 1);
  assert.equal(merged.cutOff.length, 2);
  assert.match(merged.cutOff[1] ?? '', /^theirs: line 3: incomplete last line/);
  assert.equal(merged.text, `${base}${e('C', 'c')}\n${e('B', 'b')}\n${cut}2`);
  const journal = readJournal(merged.text, 'merged');
  assert.deepEqual([[...journal.entries.keys()].length, journal.problems, journal.tail?.line], [3, [], 4]);
});
