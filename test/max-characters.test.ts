import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadProject } from '../src/load-project.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { build } from '../src/pipeline.js';
import type { DeepLEngine } from '../src/translate/deepl.js';
import { planTranslation } from '../src/translate/plan-translation.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, projectFacts, runCli, sampleProject } from './helpers.js';

const run = (args: string[], env: Record<string, string>) => runCli(args, env);

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

test('--max-characters sends the requests that fit, in order, leaves the others, keeps what finished, and a larger limit finishes without re-sending', async () => {
  server.reset();
  // Slow answers, so that with concurrency 4 several requests would be in flight at once.
  server.setLatency(30);
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    assert.ok(config.concurrency > 1, 'the sample runs requests concurrently');
    const engine = (): DeepLEngine => deeplEngine(server.url, { targetLang: config.targetLang });
    const plan = planTranslation(
      (await loadProject(config, new MemoryLogger())).articles,
      (await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'))).memory,
      config.targetLang,
    );
    const costs = plan.batches.map((b) => b.characters);
    const facts = await projectFacts(project.dir);
    assert.equal(costs.length, facts.requests);
    assert.ok(costs.length >= 3, 'the sample makes at least three requests');
    // Room for the first two requests and most of the third: it is left, and any later one that fits in what remains goes.
    const limit = costs[0]! + costs[1]! + costs[2]! - 1;
    let fits = 0;
    const left: number[] = [];
    for (const cost of costs) {
      if (fits + cost <= limit) fits += cost;
      else left.push(cost);
    }
    assert.ok(left.includes(costs[2]!));

    const first = await build(config, { engine: engine(), log: new MemoryLogger(), maxCharacters: limit });
    assert.equal(first.exitCode, 1, 'unfinished work');
    // What the requests in flight when the limit was reached billed is in the message too, and what is left.
    assert.equal(
      first.error?.message,
      `stopped before exceeding --max-characters ${limit.toLocaleString('en-US')} (${fits.toLocaleString('en-US')} billed; ` +
        `${left.length} request${left.length === 1 ? '' : 's'} left unsent, the smallest of ${Math.min(...left).toLocaleString('en-US')} characters)`,
    );
    assert.ok(server.billedCharacters() <= limit, `billed ${server.billedCharacters()} > ${limit}`);
    assert.equal(server.billedCharacters(), fits, 'the requests that fit were sent, in order');
    assert.equal(first.totals.billedCharacters, server.billedCharacters());
    const sentFirst = server.textsSent();
    const { memory } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
    assert.equal(memory.size, sentFirst.length, 'everything billed is in the memory');
    assert.equal(first.missing.length, facts.segments - sentFirst.length);

    const before = server.translateRequests().length;
    const second = await build(config, { engine: engine(), log: new MemoryLogger(), maxCharacters: 1_000_000 });
    assert.equal(second.exitCode, 0, second.error?.message);
    assert.equal(second.totals.requests, left.length);
    const sentSecond = server.textsSent().slice(sentFirst.length);
    assert.equal(server.translateRequests().length - before, left.length);
    assert.deepEqual(
      sentSecond.filter((t) => sentFirst.includes(t)),
      [],
      'nothing sent twice',
    );
    assert.equal(sentFirst.length + sentSecond.length, facts.distinct);
    assert.equal(server.billedCharacters(), plan.billableCharacters, 'over both runs, billed exactly the estimate');
  } finally {
    server.setLatency(0);
    project.cleanup();
  }
});

test('the CLI: --max-characters 0 sends nothing and exits 1 with the reason; a bad value exits 2', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    const env = { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: server.url };
    const stopped = await run(['build', '--root', project.dir, '--max-characters', '0'], env);
    assert.equal(stopped.code, 1, stopped.stderr);
    assert.match(stopped.stderr, /stopped before exceeding --max-characters 0/);
    assert.equal(server.translateRequests().length, 0);
    // Not a number, nor an empty value (a variable left unset in a script): refused, nothing sent.
    for (const value of ['lots', '', ' ', '2.5']) {
      const bad = await run(['build', '--root', project.dir, `--max-characters=${value}`], env);
      assert.equal(bad.code, 2, value);
      assert.match(bad.stderr, /--max-characters must be a whole number/, value);
    }
    const retranslate = await run(['retranslate', '--settings-changed', '--root', project.dir, '--max-characters='], env);
    assert.equal(retranslate.code, 2, retranslate.stderr);
    assert.match(retranslate.stderr, /retranslate: --max-characters must be a whole number \(got ""\)/);
    assert.equal(server.translateRequests().length, 0);
  } finally {
    project.cleanup();
  }
});
