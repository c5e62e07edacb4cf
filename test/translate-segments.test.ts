/**
 * Planning and sending overlap: each article's request goes out as soon as the article is
 * planned, and the glossary is prepared on DeepL once the input is known to be valid, never before.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadProject } from '../src/load-project.js';
import type { SegmentedDocument } from '../src/model.js';
import { build } from '../src/pipeline.js';
import { DeepLEngine } from '../src/translate/deepl.js';
import { planTranslation } from '../src/translate/plan-translation.js';
import type { Engine } from '../src/translate/engine.js';
import { translateSegments } from '../src/translate/translate-segments.js';
import { InputError } from '../src/util/errors.js';
import { MemoryLogger } from '../src/util/logger.js';
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

test('with a key and an invalid source, nothing reaches DeepL: not even the glossary', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    writeFileSync(path.join(project.dir, 'sources', 'zz-latin1.txt'), Buffer.from('Gr\xfc\xdfe\n', 'latin1'));
    const config = await configOf(project.dir);
    await assert.rejects(build(config, { engine: engineFor(config.targetLang), log: new MemoryLogger() }), (error: unknown) => error instanceof InputError && /zz-latin1\.txt:1/.test(error.message));
    assert.equal(server.requests.length, 0, 'no request of any kind');
  } finally {
    project.cleanup();
  }
});
