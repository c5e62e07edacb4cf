/**
 * The DeepL engine comes from the environment: none without a key, deepl-node pointed at
 * DEEPL_SERVER_URL with one; loading it leaves Node's Fetch API globals as they were.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { engineFromEnv } from '../src/cli/engine-from-env.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, sampleProject } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer({ characterCount: 1234, characterLimit: 500000 });
});
after(async () => {
  await server.close();
});

test('no key (or a blank one): no engine, and the memory alone serves', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    assert.equal(await engineFromEnv(config, new MemoryLogger(), {}), undefined);
    assert.equal(await engineFromEnv(config, new MemoryLogger(), { DEEPL_AUTH_KEY: '  ' }), undefined);
  } finally {
    project.cleanup();
  }
});

test('with a key, deepl-node talks to DEEPL_SERVER_URL; fetch, Request and Response are the same objects afterwards', async () => {
  const project = sampleProject();
  const before = { fetch: globalThis.fetch, Request: globalThis.Request, Response: globalThis.Response };
  try {
    const config = await configOf(project.dir);
    const engine = await engineFromEnv(config, new MemoryLogger(), { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: server.url });
    assert.ok(engine);
    assert.deepEqual(await engine.usage(), { characterCount: 1234, characterLimit: 500000 });
    assert.equal(server.requests.length, 1);
    assert.equal(globalThis.fetch, before.fetch);
    assert.equal(globalThis.Request, before.Request);
    assert.equal(globalThis.Response, before.Response);
    assert.equal(typeof new Request('http://127.0.0.1/').url, 'string', 'the Fetch API still works');
  } finally {
    project.cleanup();
  }
});
