/**
 * DeepL faults, each against the DeepL-compatible test server through real deepl-node: the run
 * ends with a message naming the cause and what to do, a distinct exit code, and every finished
 * translation kept in the memory; nothing is billed twice across the failed run and the rerun.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Config } from '../src/config/config.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { build } from '../src/pipeline.js';
import { importReviews } from '../src/review-file/import-review.js';
import type { DeepLEngine } from '../src/translate/deepl.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, projectFacts, sampleProject } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

function engine(url = server.url, extra: Partial<ConstructorParameters<typeof DeepLEngine>[0]> = {}): DeepLEngine {
  return deeplEngine(url, { authKey: 'fault-key', glossaryPrefix: 'diglot/faults', retries: 3, retryBaseMs: 20, ...extra });
}

async function memorySize(dir: string): Promise<number> {
  return (await TranslationMemory.open(path.join(dir, 'memory', 'memory.jsonl'))).memory.size;
}

/** Runs a failing build, then a clean one, and checks each text was billed exactly once overall. */
async function failThenRecover(config: Config, dir: string, failing: DeepLEngine): Promise<{ first: Awaited<ReturnType<typeof build>> }> {
  const first = await build(config, { engine: failing, log: new MemoryLogger() });
  assert.equal(await memorySize(dir), new Set(server.textsSent()).size, 'every billed text is in the memory');
  server.clearFaults();
  const second = await build(config, { engine: engine(), log: new MemoryLogger() });
  assert.equal(second.exitCode, 0, second.error?.message);
  const billed = server.textsSent();
  assert.equal(billed.length, new Set(billed).size, 'no text billed twice');
  assert.equal(billed.length, (await projectFacts(dir)).distinct);
  return { first };
}

test('429 a few times: backs off and finishes', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    server.failNext(429, 3, { path: '/v2/translate', retryAfter: 0 });
    const log = new MemoryLogger();
    const result = await build(config, { engine: engine(server.url, { onRetry: (m) => log.warn(m) }), log });
    assert.equal(result.exitCode, 0, result.error?.message);
    assert.equal(log.lines.filter((l) => /HTTP 429|Too many requests/i.test(l.message)).length, 3);
    assert.equal(server.textsSent().length, (await projectFacts(project.dir)).distinct);
  } finally {
    project.cleanup();
  }
});

test('sustained 429: a clear message, exit 5, finished batches kept', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    config.concurrency = 1;
    server.failNext(429, 1000, { path: '/v2/translate' });
    const { first } = await failThenRecover(config, project.dir, engine(server.url, { retries: 2 }));
    assert.equal(first.exitCode, 5);
    assert.match(first.error?.message ?? '', /too many requests.*HTTP 429.*after 3 attempts/i);
    assert.match(first.error?.hint ?? '', /concurrency/);
  } finally {
    server.reset();
    project.cleanup();
  }
});

test('456 quota: stops at once with exit 4 and the usage; the rest comes on the next run', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    config.concurrency = 1;
    server.setUsageLimit(5000);
    const first = await build(config, { engine: engine(), log: new MemoryLogger() });
    assert.equal(first.exitCode, 4);
    assert.match(first.error?.message ?? '', /quota exceeded \(HTTP 456\)/i);
    assert.match(first.error?.message ?? '', /\([\d,]+ characters used of 5,000\)/, 'the usage is reported');
    const after456 = server.translateRequests().length;
    assert.equal(server.translateRequests().filter((r) => r.status === 456).length, 1, 'no request after the 456');
    assert.ok(after456 >= 2);
    server.setUsageLimit(1e9);
    const second = await build(config, { engine: engine(), log: new MemoryLogger() });
    assert.equal(second.exitCode, 0);
    const { distinct } = await projectFacts(project.dir);
    assert.equal(server.textsSent().length, distinct);
    assert.equal(new Set(server.textsSent()).size, distinct);
  } finally {
    project.cleanup();
  }
});

test('5xx: retried, then a clear failure; 503 once is survived', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    config.concurrency = 1;
    server.failNext(503, 1, { path: '/v2/translate' });
    const ok = await build(config, { engine: engine(), log: new MemoryLogger() });
    assert.equal(ok.exitCode, 0, ok.error?.message);

    server.reset();
    const fresh = sampleProject({ emptyMemory: true });
    try {
      const c2 = await configOf(fresh.dir);
      c2.concurrency = 1;
      server.failNext(500, 1000, { path: '/v2/translate' });
      const { first } = await failThenRecover(c2, fresh.dir, engine(server.url, { retries: 2 }));
      assert.equal(first.exitCode, 5);
      assert.match(first.error?.message ?? '', /DeepL failed while translating/);
    } finally {
      server.reset();
      fresh.cleanup();
    }
  } finally {
    project.cleanup();
  }
});

test('timeouts: a request abandoned after the timeout is not sent again (it may be billed), then a clear failure', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    server.setLatency(3000);
    const started = Date.now();
    const result = await build(config, { engine: engine(server.url, { retries: 3, timeoutMs: 300 }), log: new MemoryLogger() });
    assert.equal(result.exitCode, 5);
    assert.match(
      result.error?.message ?? '',
      /did not answer within 300 ms while translating .*: DeepL may have billed them all the same, so they are not sent again/,
    );
    // No text went out twice: every request sent is another batch.
    const sent = server.textsSent({ includeFailed: true });
    assert.equal(new Set(sent).size, sent.length, 'no text sent twice');
    assert.ok(Date.now() - started < 10_000);
    assert.equal(await memorySize(project.dir), 0, 'nothing stored from abandoned requests');
  } finally {
    server.reset();
    project.cleanup();
  }
});

test('connection refused: retried, then exit 5 naming the cause', async () => {
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    const closed = await startDeepLServer();
    const url = closed.url;
    await closed.close();
    const result = await build(config, { engine: engine(url, { retries: 1 }), log: new MemoryLogger() });
    assert.equal(result.exitCode, 5);
    assert.match(result.error?.message ?? '', /cannot reach DeepL .* after 2 attempts: .*(ECONNREFUSED|connect)/i);
    assert.match(result.error?.hint ?? '', /DEEPL_SERVER_URL/);
  } finally {
    project.cleanup();
  }
});

test('fewer translations than texts, or malformed JSON: detected, nothing stored from that response', async () => {
  for (const kind of ['fewer-translations', 'malformed-json'] as const) {
    server.reset();
    const project = sampleProject({ emptyMemory: true });
    try {
      const config = await configOf(project.dir);
      config.concurrency = 1;
      server.corruptNext(kind, 1);
      const first = await build(config, { engine: engine(server.url, { retries: 0 }), log: new MemoryLogger() });
      assert.equal(first.exitCode, 5, kind);
      assert.match(
        first.error?.message ?? '',
        kind === 'fewer-translations'
          ? /answered with \d+ translations for \d+ texts; nothing from this response was stored/
          : /DeepL failed while translating: .*JSON/i,
      );
      const bad = server.translateRequests()[0];
      const { memory } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
      for (const text of bad?.translate.texts ?? [])
        assert.equal(memory.lookup(text, 'en-US'), undefined, `${kind}: stored from the bad response`);
      const second = await build(config, { engine: engine(), log: new MemoryLogger() });
      assert.equal(second.exitCode, 0);
    } finally {
      project.cleanup();
    }
  }
});

test('a changed glossary gets a DeepL glossary of its own: one in use elsewhere never changes, and only a sync a day later deletes it', async () => {
  server.reset();
  // Two clones (or two projects of one title) with different glossaries, one DeepL account.
  const clone = (now = Date.now()): DeepLEngine => engine(server.url, { glossaryPrefix: 'diglot/team', now: () => now });
  const own = () => [...server.glossaries.values()].filter((g) => g.name.startsWith('diglot/team #'));
  const ours: Array<[string, string]> = [['Ostflanke', 'eastern flank']];
  const theirs: Array<[string, string]> = [
    ['Ostflanke', 'eastern flank'],
    ['Linie', 'line'],
  ];
  const first = await clone().syncGlossary(ours, { dryRun: false, deleteStale: false });
  assert.equal(first.action, 'created');
  // The other clone syncs while a build of ours runs with our glossary: ours is left as it was.
  const second = await clone().syncGlossary(theirs, { dryRun: false, deleteStale: true });
  assert.equal(second.action, 'created');
  assert.notEqual(second.id, first.id);
  assert.deepEqual(second.previous, { id: first.id, name: first.name });
  assert.deepEqual([second.stale, second.recent], [[], 1], 'ours was made within the day: kept');
  assert.deepEqual([...(server.glossaries.get(first.id!)?.dictionaries[0]?.entries ?? [])], ours);
  assert.equal(own().length, 2);
  // Back to our entries: the same glossary again, nothing made or changed.
  const again = await clone().syncGlossary(ours, { dryRun: false, deleteStale: false });
  assert.deepEqual([again.action, again.id], ['unchanged', first.id]);
  // A sync a day later deletes the project's other glossaries.
  const later = await clone(Date.now() + 25 * 60 * 60 * 1000).syncGlossary(theirs, { dryRun: false, deleteStale: true });
  assert.deepEqual(
    later.stale.map((g) => g.id),
    [first.id],
  );
  assert.deepEqual(
    own().map((g) => g.name),
    [second.name],
  );
});

test('a review file edited while a build runs is left as the reviewer saved it, not overwritten; it imports afterwards', async () => {
  server.reset();
  const project = sampleProject();
  const id = '000_20a6b0fe2192dee9';
  const reviewFile = path.join(project.dir, 'output', `${id}.review.md`);
  try {
    const config = await configOf(project.dir);
    assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    // A paragraph of the article changes: the build sends it, and writes the article's files again.
    const source = path.join(project.dir, 'sources', `${id}.txt`);
    writeFileSync(source, `${readFileSync(source, 'utf8')}\nEin neuer Absatz über das Wetter.\n`);
    const release = server.holdTranslations();
    const log = new MemoryLogger();
    const building = build(config, { engine: engine(), log });
    await server.translateRequestsArrived(1);
    // Meanwhile a reviewer saves an edit of another pair of the same article.
    const edited = readFileSync(reviewFile, 'utf8').replace(/(<!-- EN -->\n\n)([^\n]+)/, '$1$2 Edited during the build.');
    writeFileSync(reviewFile, edited);
    release();
    const result = await building;
    assert.equal(result.exitCode, 0, result.error?.message);
    assert.equal(readFileSync(reviewFile, 'utf8'), edited, 'the edit is where the reviewer left it');
    assert.deepEqual(result.editedMeanwhile, [path.join('output', `${id}.review.md`)]);
    assert.match(log.lines.map((l) => l.message).join('\n'), /was edited while this build ran: left as it is/);
    // The next build sees an edit not imported; once imported, the edit is in every edition.
    await assert.rejects(build(config, { engine: undefined, log: new MemoryLogger() }), /not imported/);
    const [imported] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: new MemoryLogger() });
    assert.equal(imported?.changes.length, 1, JSON.stringify(imported?.problems));
    assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    assert.match(readFileSync(path.join(project.dir, 'output', `${id}.en.md`), 'utf8'), /Edited during the build\./);
  } finally {
    project.cleanup();
  }
});
