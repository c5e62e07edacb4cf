import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { MemoryEntry } from '../src/memory/entry.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { build } from '../src/pipeline.js';
import { MemoryLogger, type Logger } from '../src/util/logger.js';
import { startDeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, sampleProject } from './helpers.js';

const entry = (i: number): MemoryEntry => ({
  source: `Satz Nummer ${i}.`,
  target: `Sentence number ${i}.`,
  lang: 'en-US',
  origin: 'deepl',
  status: 'draft',
  created: '2024-01-01T00:00:00.000Z',
  updated: '2024-01-01T00:00:00.000Z',
});

test('appendSoon: entries are looked up at once, and on disk in order once the promises settle', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-memory-'));
  try {
    const file = path.join(dir, 'memory', 'memory.jsonl');
    const { memory } = await TranslationMemory.open(file);
    // Many batches in quick succession, as concurrent requests finish: later ones join a pending write.
    const writes = Array.from({ length: 40 }, (_, b) => memory.appendSoon([entry(2 * b), entry(2 * b + 1)]));
    assert.equal(memory.lookup('Satz Nummer 79.', 'en-US')?.target, 'Sentence number 79.', 'visible before the write');
    await Promise.all(writes);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as MemoryEntry).source),
      Array.from({ length: 80 }, (_, i) => `Satz Nummer ${i}.`),
    );
    await memory.appendSoon([]);
    const reopened = await TranslationMemory.open(file);
    assert.equal(reopened.memory.size, 80);
    assert.deepEqual(reopened.problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('appendSoon after a cut-off last line moves that line to <file>.rejected first; a failed write rejects and later ones still run', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-memory-'));
  try {
    const file = path.join(dir, 'memory.jsonl');
    writeFileSync(file, `${JSON.stringify(entry(0))}\n{"source":"abgeschnit`);
    const { memory, problems } = await TranslationMemory.open(file);
    assert.equal(problems.length, 1);
    await memory.appendSoon([entry(1)]);
    const again = await TranslationMemory.open(file);
    assert.equal(again.memory.size, 2);
    assert.equal(again.problems.length, 0, 'the cut-off line is no longer in the file');
    assert.equal(readFileSync(`${file}.rejected`, 'utf8'), '{"source":"abgeschnit\n', 'nor lost');

    // A memory whose file cannot be written (it is a folder): the promise rejects, nothing is left unhandled.
    const failing = (await TranslationMemory.open(path.join(dir, 'fresh.jsonl'))).memory;
    mkdirSync(path.join(dir, 'fresh.jsonl'));
    await assert.rejects(failing.appendSoon([entry(2)]));
    await assert.rejects(failing.appendSoon([entry(3)]), 'the next write is tried, and fails the same way');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a build counts a text translated once it is on disk: a kill keeps every text the progress line counted', async () => {
  const server = await startDeepLServer({ latencyMs: 5 });
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
    const onDisk = (): Set<string> =>
      new Set(
        readFileSync(memoryFile, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => (JSON.parse(l) as MemoryEntry).source),
      );
    const counted: Array<[number, number]> = [];
    const billedShown: number[] = [];
    const log: Logger = Object.assign(new MemoryLogger(), {
      progress: (done: number, _total: number, detail?: string): void => {
        counted.push([done, onDisk().size]);
        billedShown.push(Number(/([\d,]+) characters billed/.exec(detail ?? '')?.[1]?.replaceAll(',', '') ?? Number.NaN));
      },
    });
    const result = await build(config, {
      engine: deeplEngine(server.url, { targetLang: config.targetLang }),
      log,
    });
    assert.equal(result.exitCode, 0);
    assert.ok(counted.length > 1);
    for (const [done, stored] of counted) assert.ok(stored >= done, `${done} counted, ${stored} on disk`);
    // And it shows what the stored texts cost: each line adds one request's billing, however the answers came in.
    const steps = billedShown.map((b, i) => b - (billedShown[i - 1] ?? 0)).sort((a, b) => a - b);
    const perRequest = server
      .translateRequests()
      .map((r) => r.translate.billedCharacters)
      .sort((a, b) => a - b);
    assert.deepEqual(steps, perRequest);
  } finally {
    project.cleanup();
    await server.close();
  }
});
