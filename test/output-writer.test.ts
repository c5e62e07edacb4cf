/**
 * Requests go out as articles are planned; outputs are rendered article by article while later
 * requests are in flight, and still land in output/ all at once at the end (or not at all).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadProject } from '../src/load-project.js';
import type { SegmentedDocument, TranslatedArticle } from '../src/model.js';
import { build } from '../src/pipeline.js';
import { FuzzyMatcher } from '../src/review/fuzzy-match.js';
import { REVIEW_STATE_FILE } from '../src/review/review-state.js';
import { DeepLEngine } from '../src/translate/deepl.js';
import type { Engine } from '../src/translate/engine.js';
import { planTranslation } from '../src/translate/plan-translation.js';
import { fromMemoryOnly } from '../src/translate/memory-only.js';
import { translateSegments } from '../src/translate/translate-segments.js';
import { MemoryLogger } from '../src/util/logger.js';
import { OutputWriter } from '../src/write/output-writer.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, sampleProject } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

const engineFor = (targetLang: 'en-US' | 'en-GB'): DeepLEngine =>
  new DeepLEngine({ authKey: 'k', serverUrl: server.url, sourceLang: 'de', targetLang, glossaryPrefix: 'diglot/test', retries: 0 });

test('each article is handed on, in source order, as soon as its requests are answered, while later requests are still to come', async () => {
  server.reset();
  server.setLatency(80);
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    const loaded = await loadProject(config, new MemoryLogger());
    const handed: Array<{ id: string; answered: number; complete: boolean }> = [];
    const outcome = await translateSegments(loaded.articles, {
      engine: engineFor(config.targetLang),
      memory: loaded.memory,
      lang: config.targetLang,
      concurrency: 1,
      glossaryEntries: [],
      now: () => '2026-01-01T00:00:00.000Z',
      log: new MemoryLogger(),
      onArticle: (a) =>
        handed.push({
          id: a.article.doc.id,
          answered: server.translateRequests().filter((r) => r.status === 200).length,
          complete: a.segments.every((t) => t.target !== undefined),
        }),
    });
    assert.equal(outcome.requests, 5);
    assert.deepEqual(
      handed.map((h) => h.id),
      loaded.articles.map((a) => a.doc.id),
      'every article once, in source order',
    );
    assert.ok(handed.every((h) => h.complete), 'each article comes with its translations');
    // One request per article, one at a time: article i is handed on after its own request is
    // answered and before the next one is.
    assert.deepEqual(
      handed.map((h) => h.answered),
      [1, 2, 3, 4, 5],
    );
  } finally {
    server.setLatency(0);
    project.cleanup();
  }
});

test('the first request goes out before the later articles are planned; the results are those of a plan made first', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    const loaded = await loadProject(config, new MemoryLogger());
    const deepl = engineFor(config.targetLang);
    // What `estimate` shows: the plan made before anything is sent.
    const planned = planTranslation(loaded.articles, loaded.memory, config.targetLang).batches.map((b) => b.texts.map((t) => t.xml));
    // The articles, recording how many requests had been handed to the engine when each was
    // first read (planning reads each article first, in order).
    const calls: string[][] = [];
    const engine: Engine = { ...deepl, name: deepl.name, prepareGlossary: (e) => deepl.prepareGlossary(e), usage: () => deepl.usage(), translate: (r) => (calls.push(r.texts), deepl.translate(r)) };
    const seenAt = new Map<number, number>();
    const articles = new Proxy(loaded.articles, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key) && !seenAt.has(Number(key))) seenAt.set(Number(key), calls.length);
        return Reflect.get(target, key, receiver) as unknown;
      },
    }) as readonly SegmentedDocument[];
    const outcome = await translateSegments(articles, {
      engine,
      memory: loaded.memory,
      lang: config.targetLang,
      concurrency: 4,
      glossaryEntries: [],
      // Ready: the glossary's own round trips are not what this test is about.
      glossary: Promise.resolve(undefined),
      now: () => '2026-01-01T00:00:00.000Z',
      log: new MemoryLogger(),
    });
    assert.equal(outcome.error, undefined);
    assert.equal(seenAt.get(0), 0, 'nothing is sent before the first article is planned');
    assert.equal(seenAt.get(1), 1, "the first article's request is handed over before the second article is planned");
    assert.equal(outcome.requests, 5);
    // The same requests, in the same order, as the plan the estimate shows.
    assert.deepEqual(calls, planned);
    assert.equal(outcome.billedCharacters, server.billedCharacters());
    assert.deepEqual(
      outcome.articles.map((a) => a.article.doc.id),
      loaded.articles.map((a) => a.doc.id),
    );
    assert.ok(outcome.articles.every((a) => a.segments.every((t) => t.target !== undefined)));
  } finally {
    project.cleanup();
  }
});

test('a build renders outputs while requests are in flight, yet replaces nothing in output/ before the end', async () => {
  server.reset();
  server.setLatency(150);
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    const out = path.join(project.dir, config.output);
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'report.json'), 'old');
    const seen: string[][] = [];
    let answered = 0;
    const poll = setInterval(() => {
      answered = server.translateRequests().filter((r) => r.status === 200).length;
      if (answered < 5) seen.push(readdirSync(out));
    }, 20);
    const result = await build({ ...config, concurrency: 1 }, { engine: engineFor(config.targetLang), log: new MemoryLogger() });
    clearInterval(poll);
    assert.equal(result.exitCode, 0);
    assert.equal(result.totals.requests, 5);
    const temps = seen.map((names) => names.filter((n) => n.endsWith('.tmp')));
    assert.ok(
      temps.some((names) => names.some((n) => n.includes('.review.md.'))),
      'review files were being written before the last request was answered',
    );
    assert.ok(
      seen.every((names) => names.filter((n) => !n.endsWith('.tmp')).join() === 'report.json'),
      'no output was in place before the end',
    );
    assert.notEqual(readFileSync(path.join(out, 'report.json'), 'utf8'), 'old');
    assert.deepEqual(readdirSync(out).filter((n) => n.endsWith('.tmp')), [], 'no temp files left');
    // The review state is renamed into place after everything else.
    const stateTime = statSync(path.join(out, REVIEW_STATE_FILE)).ctimeMs;
    for (const name of readdirSync(out)) assert.ok(statSync(path.join(out, name)).ctimeMs <= stateTime, name);
  } finally {
    server.setLatency(0);
    project.cleanup();
  }
});

test('a failure while rendering one article leaves output/ as it was, without temp files', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const out = path.join(project.dir, config.output);
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'report.json'), 'old');
    const loaded = await loadProject(config, new MemoryLogger());
    const outcome = await fromMemoryOnly(loaded, new MemoryLogger());
    /** Fails on the third article, after the first two were rendered and written. */
    class Failing extends FuzzyMatcher {
      private seen = 0;
      override matchArticle(a: TranslatedArticle): ReturnType<FuzzyMatcher['matchArticle']> {
        if (++this.seen === 3) throw new Error('renderer bug');
        return super.matchArticle(a);
      }
    }
    const writer = new OutputWriter({ config, glossary: loaded.glossary, fuzzy: new Failing([], new Set(), config.targetLang), state: { version: 1, files: {} } });
    for (const a of outcome.articles) writer.add(a);
    const totals = { articles: 5, segments: 0, fromMemory: 0, translated: 0, missing: 0, requests: 0, billedCharacters: 0 };
    await assert.rejects(writer.finish(totals), /renderer bug/);
    assert.deepEqual(readdirSync(out), ['report.json']);
    assert.equal(readFileSync(path.join(out, 'report.json'), 'utf8'), 'old');
  } finally {
    project.cleanup();
  }
});

test('the writer gives the same files as before when every article is there at once', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const first = await build(config, { engine: undefined, log: new MemoryLogger() });
    const out = path.join(project.dir, config.output);
    const files = (): Record<string, string> => Object.fromEntries(readdirSync(out).map((n) => [n, readFileSync(path.join(out, n), 'latin1')]));
    const before = files();
    const second = await build(config, { engine: undefined, log: new MemoryLogger() });
    assert.deepEqual(second.written, first.written);
    assert.deepEqual(files(), before, 'a rebuild writes byte-identical outputs');
    const report = JSON.parse(before['report.json']!) as { articles: unknown[]; totals: { segments: number } };
    assert.equal(report.articles.length, 5);
    assert.equal(report.totals.segments, first.totals.segments);
    const page = Buffer.from(before['review.html']!, 'latin1').toString('utf8');
    assert.equal((page.match(/<section class="article"/g) ?? []).length, 5, 'every article has its section on the review page');
    assert.match(page, new RegExp(`${first.totals.segments} segments`));
  } finally {
    project.cleanup();
  }
});

test('findings reach report.json after every article; the review state keeps records of review files not written this time', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
    writeFileSync(memoryFile, readFileSync(memoryFile, 'utf8').replaceAll('about Moscow\'s \\"red lines', 'about Moscow\'s \\"redlines'));
    const out = path.join(project.dir, config.output);
    mkdirSync(out, { recursive: true });
    // A record of a review file whose article is gone from sources/.
    const old = { sha256: '', segments: [{ id: 'p1', kind: 'paragraph', markdown: false, source: 'Alt.', de: 'x', en: null, approved: false }] };
    writeFileSync(path.join(out, REVIEW_STATE_FILE), JSON.stringify({ version: 1, files: { 'zz-removed.review.md': old } }));
    const result = await build(config, { engine: undefined, log: new MemoryLogger() });
    assert.equal(result.findings.length, 1);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as { articles: Array<{ segments: Array<{ findings: string[] }> }>; findings: Array<{ rule: string }>; totals: { findings: number } };
    assert.deepEqual(report.findings.map((f) => f.rule), ['term']);
    assert.equal(report.totals.findings, 1);
    assert.equal(report.articles.flatMap((a) => a.segments.flatMap((s) => s.findings)).join(), 'term', 'the finding is on its segment too');
    const state = JSON.parse(readFileSync(path.join(out, REVIEW_STATE_FILE), 'utf8')) as { files: Record<string, { segments: unknown[] }> };
    const names = Object.keys(state.files);
    assert.deepEqual(names, [...names].sort(), 'files in name order');
    assert.equal(names.length, 6, 'the five review files written and the old record');
    assert.deepEqual(state.files['zz-removed.review.md'], old);
    assert.equal(names.filter((n) => n !== 'zz-removed.review.md').reduce((k, n) => k + state.files[n]!.segments.length, 0), result.totals.segments);
  } finally {
    project.cleanup();
  }
});
