/**
 * The DeepL engine comes from the environment: none without a key, deepl-node pointed at
 * DEEPL_SERVER_URL with one; a DEEPL_SERVER_URL without http:// or https:// is bad input at once.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { engineFromEnv } from '../src/cli/engine-from-env.js';
import { EXIT, InputError } from '../src/util/errors.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, runCli, sampleProject } from './helpers.js';

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

test('with a key, deepl-node talks to DEEPL_SERVER_URL', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    // Spaces pasted around it are no part of it.
    const engine = await engineFromEnv(config, new MemoryLogger(), { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: ` ${server.url} ` });
    assert.ok(engine);
    assert.deepEqual(await engine.usage(), { characterCount: 1234, characterLimit: 500000 });
    assert.equal(server.requests.length, 1);
    // deepl-node is loaded by the first call, once: every later call talks through the same client.
    assert.equal(await engine.client(), await engine.client());
  } finally {
    project.cleanup();
  }
});

test('DEEPL_SERVER_URL without http:// or https://: an InputError (exit 2) before any request', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const before = server.requests.length;
    for (const url of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, 'ftp://127.0.0.1/', 'api.deepl.com']) {
      await assert.rejects(engineFromEnv(config, new MemoryLogger(), { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: url }), (error: unknown) => {
        assert.ok(error instanceof InputError, `${url}: ${String(error)}`);
        assert.equal(error.exitCode, EXIT.usage);
        assert.match(error.message, /DEEPL_SERVER_URL ".*" .*needs http:\/\/ or https:\/\//);
        return true;
      });
    }
    // Without // the scheme is not followed by a host (`new URL` reads one all the same).
    for (const url of ['http:x', 'http:/127.0.0.1:9', `https:127.0.0.1:${server.port}`])
      await assert.rejects(
        engineFromEnv(config, new MemoryLogger(), { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: url }),
        /DEEPL_SERVER_URL ".*" is not a URL diglot can use: its scheme needs \/\/ before the host/,
      );
    // A scheme without a host lacks the host.
    for (const url of ['http://', 'http:///v2'])
      await assert.rejects(
        engineFromEnv(config, new MemoryLogger(), { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: url }),
        /DEEPL_SERVER_URL "http:\/\/(?:\/v2)?" is not a URL diglot can use: it names no host/,
      );
    assert.equal(server.requests.length, before, 'nothing was sent');
  } finally {
    project.cleanup();
  }
});

test('diglot build with DEEPL_SERVER_URL=127.0.0.1:PORT ends at once with exit 2 naming the fix', async () => {
  const project = sampleProject({ emptyMemory: true });
  try {
    const before = server.requests.length;
    const started = Date.now();
    const result = await runCli(['build', '--root', project.dir], { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: `127.0.0.1:${server.port}` });
    assert.equal(result.code, EXIT.usage, result.stderr);
    assert.match(result.stderr, /DEEPL_SERVER_URL "127\.0\.0\.1:\d+" .*needs http:\/\/ or https:\/\//);
    assert.match(result.stderr, /hint: .*http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(server.requests.length, before, 'nothing was sent');
    assert.ok(Date.now() - started < 10_000, 'no retries');
  } finally {
    project.cleanup();
  }
});

test('a user name and password in DEEPL_SERVER_URL (a proxy) never show in a message', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const engine = await engineFromEnv(config, new MemoryLogger(), {
      DEEPL_AUTH_KEY: 'k',
      DEEPL_SERVER_URL: 'http://proxyuser:s3cret@127.0.0.1:1',
      DIGLOT_RETRIES: '0',
    });
    await assert.rejects(engine?.usage() ?? Promise.resolve(), (error: unknown) => {
      const message = String((error as Error).message);
      assert.match(message, /http:\/\/\*\*\*@127\.0\.0\.1:1/);
      assert.doesNotMatch(message, /s3cret|proxyuser/);
      return true;
    });
  } finally {
    project.cleanup();
  }
});

test('DIGLOT_TIMEOUT_MS: a request that takes longer fails as a timeout (30 s by default)', async () => {
  const project = sampleProject();
  server.setLatency(1500);
  try {
    const config = await configOf(project.dir);
    const env = { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: server.url, DIGLOT_RETRIES: '0' };
    const short = await engineFromEnv(config, new MemoryLogger(), { ...env, DIGLOT_TIMEOUT_MS: '1000' });
    await assert.rejects(short!.translate({ texts: ['Hallo'] }), /did not answer within 1000 ms while translating/);
    const usual = await engineFromEnv(config, new MemoryLogger(), env);
    assert.equal((await usual!.translate({ texts: ['Hallo'] })).length, 1);
    // A value that is not a number is said, and the default used; so is one below what deepl-node waits at least.
    const said = new MemoryLogger();
    await engineFromEnv(config, said, { ...env, DIGLOT_TIMEOUT_MS: 'abc', DIGLOT_RETRIES: '-5', DIGLOT_RETRY_MS: '' });
    await engineFromEnv(config, said, { ...env, DIGLOT_TIMEOUT_MS: '500' });
    assert.deepEqual(
      said.lines.map((l) => l.message),
      [
        'DIGLOT_RETRIES="-5" is not a number: 4 retries used',
        'DIGLOT_TIMEOUT_MS="abc" is not a number: 30000 ms used',
        "DIGLOT_TIMEOUT_MS=500: DeepL's client waits at least 1000 ms",
      ],
    );
  } finally {
    server.setLatency(0);
    project.cleanup();
  }
});
