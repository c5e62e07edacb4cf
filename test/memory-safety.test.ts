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
import type { MemoryEntry } from '../src/memory/entry.js';
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
    assert.match(moved.stderr, /Moved 1 line .* to memory\/memory\.jsonl\.rejected/);
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
