/**
 * Which DeepL failures the engine retries and how it words the rest, through real deepl-node
 * against the DeepL-compatible test server: each case counts the requests the server received.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { DeepLEngine } from '../src/translate/deepl.js';
import { EngineError, EXIT, InputError } from '../src/util/errors.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { deeplEngine } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});
beforeEach(() => server.reset());

/** An engine at `url` with fast retries; `retried` collects its retry messages. */
function engine(url = server.url, retried: string[] = []): DeepLEngine {
  return deeplEngine(url, {
    authKey: 'errors-key',
    glossaryPrefix: 'diglot/errors',
    retries: 3,
    retryBaseMs: 10,
    onRetry: (m) => retried.push(m),
  });
}

const request = { texts: ['Der Hund schläft.'] };

/** Runs `run`, expecting an EngineError, and returns it. */
async function failure(run: () => Promise<unknown>): Promise<EngineError> {
  try {
    await run();
  } catch (error) {
    assert.ok(error instanceof EngineError, String(error));
    return error;
  }
  assert.fail('expected the call to fail');
}

test('a 404 (a wrong DEEPL_SERVER_URL) is not retried; the message names the URL and the status', async () => {
  const url = `${server.url}/v2`;
  const retried: string[] = [];
  const error = await failure(() => engine(url, retried).translate(request));
  assert.equal(server.requests.length, 1, 'one request, no retry');
  assert.deepEqual(retried, []);
  assert.equal(error.exitCode, EXIT.network);
  assert.ok(error.message.includes(`${url} answered HTTP 404`), error.message);
  assert.match(error.hint ?? '', /DEEPL_SERVER_URL/);
});

test('5xx is retried: 500 twice, then 503, then the answer', async () => {
  server.failNext(500, 2, { path: '/v2/translate' });
  server.failNext(503, 1, { path: '/v2/translate' });
  const retried: string[] = [];
  const results = await engine(server.url, retried).translate(request);
  assert.equal(results.length, 1);
  assert.equal(server.translateRequests().length, 4);
  assert.equal(retried.length, 3);
  assert.match(retried[0] ?? '', /retry 1 of 3/);
});

test('a 500 that lasts ends after every attempt with the status and the URL', async () => {
  server.failNext(500, 100, { path: '/v2/translate' });
  const error = await failure(() => engine().translate(request));
  assert.equal(server.translateRequests().length, 4, 'the first attempt and 3 retries');
  assert.equal(error.exitCode, EXIT.network);
  assert.ok(error.message.includes(`after 4 attempts (HTTP 500 from ${server.url})`), error.message);
  // Without retries: one attempt, said in the singular.
  server.failNext(500, 1, { path: '/v2/translate' });
  const once = await failure(() => deeplEngine(server.url, { authKey: 'errors-key', retries: 0 }).translate(request));
  assert.ok(once.message.includes(`after 1 attempt (HTTP 500 from ${server.url})`), once.message);
  assert.equal(once.hint, 'try again later; finished batches are kept in the memory');
  // A call that translates nothing (the glossary's) says nothing of batches kept.
  server.failNext(500, 1, { path: '/v3/glossaries' });
  const glossary = await failure(() =>
    deeplEngine(server.url, { authKey: 'errors-key', retries: 0 }).prepare([['Ostflanke', 'eastern flank']]),
  );
  assert.match(glossary.message, /while listing glossaries/);
  assert.equal(glossary.hint, 'try again later');
});

test('the key is taken out of a message where it stands as a word of its own, not out of other words', async () => {
  server.setLatency(1500);
  try {
    // A test key as short as "e" would make "exceeded" "[key]xc[key][key]d[key]d" were every "e" taken.
    const error = await failure(() => deeplEngine(server.url, { authKey: 'e', retries: 0, timeoutMs: 1000 }).translate(request));
    assert.match(error.message, /did not answer within 1000 ms while translating/);
    assert.doesNotMatch(error.message, /\[key\]/);
  } finally {
    server.setLatency(0);
  }
});

test('a translate request that timed out is not sent again: DeepL may have billed it', async () => {
  server.setLatency(1500);
  try {
    const retried: string[] = [];
    const slow = deeplEngine(server.url, {
      authKey: 'errors-key',
      retries: 3,
      retryBaseMs: 10,
      timeoutMs: 1000,
      onRetry: (m) => retried.push(m),
    });
    const error = await failure(() => slow.translate(request));
    assert.equal(server.translateRequests().length, 1, 'one attempt: a retry would be billed again');
    assert.deepEqual(retried, []);
    assert.equal(error.exitCode, EXIT.network);
    assert.equal(
      error.message,
      `DeepL at ${server.url} did not answer within 1000 ms while translating (17 characters): DeepL may have billed them all the same, so they are not sent again in this run`,
    );
    assert.equal(
      error.hint,
      'finished batches are kept in the memory; the next run sends it again (raise DIGLOT_TIMEOUT_MS if DeepL is slow)',
    );
  } finally {
    server.setLatency(0);
  }
});

test('429 is retried until it passes', async () => {
  server.failNext(429, 2, { path: '/v2/translate' });
  const retried: string[] = [];
  await engine(server.url, retried).translate(request);
  assert.equal(server.translateRequests().length, 3);
  assert.equal(retried.length, 2);
});

test('403 and 456 are final: one request each, exit 3 and 4', async () => {
  server.failNext(403, 10);
  const auth = await failure(() => engine().translate(request));
  assert.equal(server.requests.length, 1);
  assert.equal(auth.exitCode, EXIT.auth);
  server.reset();
  server.failNext(456, 10);
  const quota = await failure(() => engine().usage());
  assert.equal(server.requests.length, 1);
  assert.equal(quota.exitCode, EXIT.quota);
});

test('a response that does not parse is not retried', async () => {
  server.corruptNext('malformed-json', 1);
  const retried: string[] = [];
  const error = await failure(() => engine(server.url, retried).translate(request));
  assert.equal(server.translateRequests().length, 1);
  assert.deepEqual(retried, []);
  assert.match(error.message, /DeepL failed while translating: .*JSON/i);
});

test('a server URL without http:// or https:// is an InputError when the engine is made', () => {
  for (const url of ['127.0.0.1:8080', 'localhost:8080', 'file:///tmp/deepl', 'ws://127.0.0.1:8080']) {
    assert.throws(
      () => engine(url),
      (error: unknown) =>
        error instanceof InputError && error.exitCode === EXIT.usage && /needs http:\/\/ or https:\/\//.test(error.message),
      url,
    );
  }
  assert.throws(() => engine('127.0.0.1:8080'), /127\.0\.0\.1:8080/);
  assert.doesNotThrow(() => engine('https://api.deepl.com'));
});
