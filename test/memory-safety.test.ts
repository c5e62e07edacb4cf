/**
 * The memory and the project lock under hostile conditions: commands that change the memory read
 * it only under the lock, a dead run's lock (even one whose PID was reused) is taken over while a
 * live one is not, and `compact` never drops a line it cannot read.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { historyItem, type MemoryEntry } from '../src/memory/entry.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { runCli, sampleProject } from './helpers.js';

const MEMORY = path.join('memory', 'memory.jsonl');
const CONFLICT = '<<<<<<< HEAD\n=======\n>>>>>>> theirs\n';

/** The start time /proc gives a process (field 22 of its stat line). */
function startTimeOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] as string;
}

const TMX = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="de" datatype="plaintext" segtype="paragraph" adminlang="en" o-tmf="test" creationtool="test" creationtoolversion="1"/>
<body><tu><tuv xml:lang="de"><seg>Ein neuer Satz.</seg></tuv><tuv xml:lang="en-US"><seg>A new sentence.</seg></tuv></tu></body></tmx>
`;

test('while another live run holds the lock, every command that changes the project exits 6 before reading anything', async () => {
  const project = sampleProject();
  try {
    const dir = project.dir;
    // A conflicted memory and a broken glossary: a command that read them before taking the lock
    // would exit 2 over them; one that takes the lock first stops at the lock.
    appendFileSync(path.join(dir, MEMORY), CONFLICT);
    writeFileSync(path.join(dir, 'glossary', 'terms.csv'), 'german,english,forms,note\n"Ostflanke,eastern flank,,\n');
    writeFileSync(path.join(dir, 'x.tmx'), TMX);
    writeFileSync(path.join(dir, 'x.review.md'), '# a review file sent back by mail\n');
    const memoryBefore = readFileSync(path.join(dir, MEMORY), 'utf8');
    writeFileSync(path.join(dir, '.diglot.lock'), `${JSON.stringify({ pid: process.pid, started: startTimeOf(process.pid) })}\n`);
    for (const args of [
      ['build'],
      ['memory', 'compact'],
      ['memory', 'import', '--tmx', path.join(dir, 'x.tmx')],
      ['memory', 'merge'],
      ['review', 'import', path.join(dir, 'x.review.md')],
      // No review files yet (the build holding the lock has not written them): the lock is said, not "run build first".
      ['review', 'import'],
      ['glossary', 'add', 'Waffe', 'weapon'],
      ['glossary', 'remove', 'Ostflanke'],
    ]) {
      const result = await runCli([...args, '--root', dir]);
      assert.equal(result.code, 6, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`another diglot run \\(process ${process.pid}\\)`));
    }
    assert.equal(readFileSync(path.join(dir, MEMORY), 'utf8'), memoryBefore);
    assert.ok(existsSync(path.join(dir, '.diglot.lock')), 'the live run’s lock is left alone');
  } finally {
    project.cleanup();
  }
});

test('a lock whose PID now belongs to another process (reused after a kill) is taken over; so is a dead one', async () => {
  const project = sampleProject();
  try {
    const dir = project.dir;
    const lock = path.join(dir, '.diglot.lock');
    // This test's own process is alive, but it did not start at the time the lock records.
    writeFileSync(lock, `${JSON.stringify({ pid: process.pid, started: String(Number(startTimeOf(process.pid)) + 1) })}\n`);
    const reused = await runCli(['build', '--quiet', '--root', dir]);
    assert.equal(reused.code, 0, reused.stderr);
    assert.equal(existsSync(lock), false, 'released after the run');
    // A bare PID, as earlier versions wrote it, of a process that is gone.
    writeFileSync(lock, '2147483646\n');
    const dead = await runCli(['memory', 'compact', '--root', dir]);
    assert.equal(dead.code, 0, dead.stderr);

    // A killed run its parent has not reaped yet (a zombie): its PID is still there, the run is not.
    // `sh` starts a child that waits on a FIFO, then becomes a `sleep` that never reaps it; the FIFO
    // is closed once it has, and the child exits into a zombie.
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const parent = spawn('sh', ['-c', `cat ${fifo} > /dev/null & echo $!; exec sleep 60`], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [line] = (await once(parent.stdout, 'data')) as [Buffer];
      const zombie = Number(line.toString().trim());
      while (readFileSync(`/proc/${parent.pid}/comm`, 'utf8').trim() !== 'sleep') await setImmediatePromise();
      writeFileSync(fifo, '');
      while (readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z') await setImmediatePromise();
      writeFileSync(lock, `${JSON.stringify({ pid: zombie, started: startTimeOf(zombie) })}\n`);
      const reaped = await runCli(['memory', 'compact', '--root', dir]);
      assert.equal(reaped.code, 0, reaped.stderr);
    } finally {
      parent.kill();
    }
  } finally {
    project.cleanup();
  }
});

test('compact refuses a memory with an unreadable line (exit 2, file:line) and --quarantine moves it to memory.jsonl.rejected', async () => {
  const project = sampleProject();
  try {
    const dir = project.dir;
    const file = path.join(dir, MEMORY);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.splice(5, 0, '{"source":"Eine Zeile, die jemand von Hand zerbrochen hat",');
    writeFileSync(file, lines.join('\n'));
    const before = readFileSync(file, 'utf8');
    const refused = await runCli(['memory', 'compact', '--root', dir]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /memory\/memory\.jsonl:6: not valid JSON/);
    assert.match(refused.stderr, /--quarantine/);
    assert.equal(readFileSync(file, 'utf8'), before);
    const entries = (before.match(/^\{"source":.*\}$/gm) ?? []).length;

    const moved = await runCli(['memory', 'compact', '--quarantine', '--root', dir]);
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stderr, /Moved 1 line that is not a memory entry to memory\/memory\.jsonl\.rejected/);
    assert.equal(
      readFileSync(`${file}.rejected`, 'utf8'),
      '# memory/memory.jsonl:6\n{"source":"Eine Zeile, die jemand von Hand zerbrochen hat",\n',
    );
    const { memory, problems } = await TranslationMemory.open(file);
    assert.deepEqual(problems, []);
    assert.equal(memory.size, entries, 'every readable entry kept');
  } finally {
    project.cleanup();
  }
});

test('temp files left by a killed compact are removed by the next command that writes the memory', async () => {
  const project = sampleProject();
  try {
    const dir = project.dir;
    const stale = path.join(dir, 'memory', '.memory.jsonl.2147483646.tmp');
    writeFileSync(stale, 'half a memory');
    const result = await runCli(['memory', 'compact', '--root', dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Removed 1 temp file/);
    assert.deepEqual(readdirSync(path.join(dir, 'memory')), ['memory.jsonl']);
  } finally {
    project.cleanup();
  }
});

test("temp files a killed build left in every output folder, the review state's included, are removed by the next build", async () => {
  const project = sampleProject();
  try {
    const dir = project.dir;
    assert.equal((await runCli(['build', '--root', dir])).code, 0);
    const left = [
      path.join(dir, 'output', '.report.json.2147483646.tmp'),
      path.join(dir, 'output', 'review', '.x.html.2147483646.tmp'),
      path.join(dir, 'output', '.review-state', '.x.review.md.json.2147483646.tmp'),
    ];
    for (const file of left) writeFileSync(file, 'half a file');
    const result = await runCli(['build', '--root', dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /Removed 3 temp files left by an interrupted run/);
    for (const file of left) assert.equal(existsSync(file), false, file);
  } finally {
    project.cleanup();
  }
});

test('a second line for the same German, added by hand without history, wins and keeps the English it replaced: compact drops no English', async () => {
  const project = sampleProject();
  try {
    const file = path.join(project.dir, MEMORY);
    const first = JSON.parse(readFileSync(file, 'utf8').split('\n')[0] ?? '') as MemoryEntry;
    const { history: _, ...rest } = first;
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}${JSON.stringify({ ...rest, target: 'A NEWER ENGLISH', updated: '2030-01-01T00:00:00Z' })}\n`,
    );
    const compacted = await runCli(['memory', 'compact', '--root', project.dir]);
    assert.equal(compacted.code, 0, compacted.stderr);
    const entry = (await TranslationMemory.open(file)).memory.lookup(first.source, first.lang);
    assert.equal(entry?.target, 'A NEWER ENGLISH');
    assert.equal(entry?.history?.at(-1)?.target, first.target);
  } finally {
    project.cleanup();
  }
});

test('a TMX imported again (dated ahead of this clock) does not undo a reviewer’s later change; a newer unit over an approved English says so', async () => {
  const project = sampleProject();
  try {
    const dir = project.dir;
    const tmx = (english: string, date: string): string =>
      `<?xml version="1.0"?><tmx version="1.4"><header srclang="de"/><body><tu changedate="${date}"><tuv xml:lang="de"><seg>Ein ganz neuer Satz.</seg></tuv><tuv xml:lang="en-US"><seg>${english}</seg></tuv></tu></body></tmx>`;
    const file = path.join(dir, 'omegat.tmx');
    writeFileSync(file, tmx('From OmegaT.', '20991201T120000Z'));
    const first = await runCli(['memory', 'import', '--tmx', file, '--json', '--root', dir]);
    assert.equal(JSON.parse(first.stdout).imported, 1, first.stderr);

    // A reviewer approves another English now (before the file's date).
    const journal = path.join(dir, MEMORY);
    const { memory } = await TranslationMemory.open(journal);
    const current = memory.lookup('Ein ganz neuer Satz.', 'en-US') as MemoryEntry;
    const now = new Date().toISOString();
    memory.append([
      { ...current, target: 'The reviewer’s English.', origin: 'human', status: 'approved', updated: now, history: [historyItem(current)] },
    ]);

    const again = await runCli(['memory', 'import', '--tmx', file, '--json', '--root', dir]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual([JSON.parse(again.stdout).imported, JSON.parse(again.stdout).changedSince], [0, 1]);
    const said = await runCli(['memory', 'import', '--tmx', file, '--root', dir]);
    assert.match(said.stderr, /1 imported before and changed in the memory since, kept as changed/);
    const reread = (await TranslationMemory.open(journal)).memory.lookup('Ein ganz neuer Satz.', 'en-US');
    assert.equal(reread?.target, 'The reviewer’s English.');
    assert.equal(reread?.status, 'approved');

    // A unit changed later still replaces it, and says that the approval goes.
    writeFileSync(file, tmx('Changed in OmegaT later.', '21001201T120000Z'));
    const newer = await runCli(['memory', 'import', '--tmx', file, '--json', '--root', dir]);
    assert.equal(JSON.parse(newer.stdout).imported, 1, newer.stderr);
    assert.match(
      JSON.parse(newer.stdout)
        .problems.map((p: { file: string; line: number; message: string }) => `${p.file}:${p.line}: ${p.message}`)
        .join('\n'),
      /omegat\.tmx:1: 1 unit newer than the memory's approved English replaces it \(unit 1 \(line 1\)\): that English is kept in the history, and the approval does not carry over/,
    );

    // Nor does it carry over from a unit edited in diglot's own export, which still says `approved`: the new English is reviewed.
    const approved = (await TranslationMemory.open(journal)).memory;
    const taken = approved.lookup('Ein ganz neuer Satz.', 'en-US') as MemoryEntry;
    approved.append([{ ...taken, status: 'approved', updated: new Date().toISOString() }]);
    writeFileSync(
      file,
      tmx('Edited in the export.', '21011201T120000Z').replace(
        '<tuv xml:lang="de">',
        '<prop type="x-diglot-status">approved</prop><tuv xml:lang="de">',
      ),
    );
    const edited = await runCli(['memory', 'import', '--tmx', file, '--json', '--root', dir]);
    assert.equal(JSON.parse(edited.stdout).imported, 1, edited.stderr);
    const afterEdit = (await TranslationMemory.open(journal)).memory.lookup('Ein ganz neuer Satz.', 'en-US');
    assert.deepEqual([afterEdit?.target, afterEdit?.status], ['Edited in the export.', 'reviewed']);
  } finally {
    project.cleanup();
  }
});

test('a glossary and a memory both left conflicted by a merge are named in one run: every problem, each with its fix', async () => {
  const project = sampleProject();
  try {
    const dir = project.dir;
    appendFileSync(path.join(dir, MEMORY), CONFLICT);
    appendFileSync(path.join(dir, 'glossary', 'terms.csv'), CONFLICT);
    const result = await runCli(['build', '--root', dir]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /glossary\/terms\.csv:\d+: unresolved git merge conflict marker/);
    assert.match(result.stderr, /memory\/memory\.jsonl holds git conflict markers[\s\S]*run `diglot memory merge`/);
  } finally {
    project.cleanup();
  }
});
