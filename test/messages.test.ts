// The messages that used to mislead (issue 15): the gap list with a key set, the summary after a 456,
// and retry warnings with empty fields; each checked for its wording, through real deepl-node.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import * as deepl from 'deepl-node';
import { describeAnswer } from '../src/translate/deepl.js';
import { EngineError } from '../src/util/errors.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { deeplEngine, read, runCli, sampleProject } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer({ validKeys: ['messages-key'] });
});
after(async () => {
  await server.close();
});
beforeEach(() => server.reset());

/** A URL where nothing listens: a test server's port after it closed. */
async function closedUrl(): Promise<string> {
  const gone = await startDeepLServer();
  await gone.close();
  return gone.url;
}

/** The sample project (its memory complete) plus one article the memory lacks. */
function projectWithGap(): ReturnType<typeof sampleProject> {
  const project = sampleProject();
  writeFileSync(path.join(project.dir, 'sources', 'neu.txt'), ' date 2024-01 Ein Absatz, den es in keinem Speicher gibt.\n');
  return project;
}

/**
 * A server answering each request with the next of `answers` (status and raw body), as a proxy or
 * gateway in front of DeepL does: the test server sends only DeepL's JSON errors, never an empty
 * body or a 502.
 */
async function rawServer(answers: Array<{ status: number; body: string }>): Promise<{ url: string; close: () => Promise<void> }> {
  let next = 0;
  const raw: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = answers[Math.min(next++, answers.length - 1)] ?? { status: 500, body: '' };
      res.writeHead(answer.status, { 'content-length': Buffer.byteLength(answer.body) });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        raw.close(() => resolve());
        raw.closeAllConnections();
      }),
  };
}

test('gap list with a key set and the server unreachable: names the cause, never "Set DEEPL_AUTH_KEY"', async () => {
  const project = projectWithGap();
  try {
    const url = await closedUrl();
    const result = await runCli(['build', '--root', project.dir], {
      DEEPL_AUTH_KEY: 'messages-key',
      DEEPL_SERVER_URL: url,
      DIGLOT_RETRIES: '0',
    });
    assert.equal(result.code, 5, result.stderr);
    assert.match(
      result.stderr,
      /1 segment has no translation in the memory and was not translated because DeepL could not be reached:\n {2}sources\/neu\.txt:1:/,
    );
    assert.match(
      result.stderr,
      /Run `diglot build` again once DeepL can be reached, or import translations with `diglot memory import --tmx FILE`\./,
    );
    assert.ok(result.stderr.includes(`cannot reach DeepL at ${url} while`), result.stderr);
    assert.doesNotMatch(result.stderr, /Set DEEPL_AUTH_KEY|no DeepL key is set/);
  } finally {
    project.cleanup();
  }
});

test('gap list with the key refused (403): says so, never "Set DEEPL_AUTH_KEY"', async () => {
  const project = projectWithGap();
  try {
    const result = await runCli(['build', '--root', project.dir], {
      DEEPL_AUTH_KEY: 'refused-key',
      DEEPL_SERVER_URL: server.url,
      DIGLOT_RETRIES: '0',
    });
    assert.equal(result.code, 3, result.stderr);
    assert.match(
      result.stderr,
      /1 segment has no translation in the memory and was not translated because DeepL rejected the key in DEEPL_AUTH_KEY \(HTTP 403\):/,
    );
    assert.match(result.stderr, /Check DEEPL_AUTH_KEY \(and DEEPL_SERVER_URL\), then run `diglot build` again, or import translations/);
    assert.doesNotMatch(result.stderr, /Set DEEPL_AUTH_KEY|no DeepL key is set/);
    assert.doesNotMatch(result.stderr, /refused-key/);
  } finally {
    project.cleanup();
  }
});

test('gap list without a key still says to set one', async () => {
  const project = projectWithGap();
  try {
    const result = await runCli(['build', '--root', project.dir]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /1 segment has no translation in the memory and no DeepL key is set:/);
    assert.match(result.stderr, /Set DEEPL_AUTH_KEY to translate them, or import translations/);
  } finally {
    project.cleanup();
  }
});

test('after a 456 the summary counts only what was translated and the requests answered; the refused ones apart', async () => {
  const project = sampleProject({ emptyMemory: true });
  try {
    // Room for some articles only: the sample's requests (up to 4 at a time) meet 456s part-way.
    server.setUsageLimit(12_000);
    const result = await runCli(['build', '--root', project.dir], {
      DEEPL_AUTH_KEY: 'messages-key',
      DEEPL_SERVER_URL: server.url,
      DIGLOT_RETRIES: '0',
    });
    assert.equal(result.code, 4, result.stderr);
    const statuses = server.translateRequests().map((r) => r.status);
    const answered = statuses.filter((s) => s === 200).length;
    const refused = statuses.filter((s) => s === 456).length;
    assert.ok(answered >= 1 && refused >= 1, `statuses ${statuses.join()}`);
    assert.equal(answered + refused, statuses.length);

    type Totals = {
      segments: number;
      fromMemory: number;
      copied: number;
      translated: number;
      missing: number;
      requests: number;
      failedRequests: number;
    };
    const report = JSON.parse(read(path.join(project.dir, 'output', 'report.json'))) as {
      articles: Array<{ segments: { missing: number; origin: { deepl: number } } }>;
      totals: Totals;
    };
    const totals = report.totals;
    const byDeepL = report.articles.reduce((n, a) => n + a.segments.origin.deepl, 0);
    assert.equal(totals.translated, byDeepL, 'translated: the segments that have a DeepL translation now');
    assert.equal(
      report.articles.reduce((n, a) => n + a.segments.missing, 0),
      totals.missing,
    );
    assert.equal(totals.fromMemory + totals.copied + totals.translated + totals.missing, totals.segments);
    assert.ok(totals.missing > 0);
    assert.equal(totals.requests, answered, 'requests: those answered with translations');
    assert.equal(totals.failedRequests, refused, 'failedRequests: the refused ones');

    const word = (n: number) => (n === 1 ? 'request' : 'requests');
    assert.match(
      result.stderr,
      new RegExp(
        `${totals.translated} translated by DeepL in ${answered} ${word(answered)} \\([\\d,]+ characters billed\\), ${refused} ${word(refused)} failed, ${totals.missing} missing\\.`,
      ),
    );
    assert.doesNotMatch(result.stderr, new RegExp(`in ${statuses.length} requests`));
    assert.match(
      result.stderr,
      /segments have no translation in the memory and were not translated because the DeepL quota is exceeded \(HTTP 456\):/,
    );
    assert.match(result.stderr, /Run `diglot build` again once the account has characters left \(`diglot estimate` shows its usage\)/);
    assert.doesNotMatch(result.stderr, /Set DEEPL_AUTH_KEY|no DeepL key is set/);
  } finally {
    project.cleanup();
  }
});

test('retry warnings from the test server name the status and DeepL message', async () => {
  server.failNext(429, 1, { path: '/v2/translate' });
  server.failNext(500, 1, { path: '/v2/translate' });
  server.failNext(503, 1, { path: '/v2/translate' });
  const retried: string[] = [];
  const engine = deeplEngine(server.url, { authKey: 'messages-key', retries: 3, retryBaseMs: 1, onRetry: (m) => retried.push(m) });
  await engine.translate({ texts: ['Der Hund schläft.'] });
  assert.deepEqual(retried, [
    'DeepL answered HTTP 429 (Too Many Requests) while translating: Too many requests (fault injected by test server); retry 1 of 3 in 1 ms',
    'DeepL answered HTTP 500 (Internal Server Error) while translating: Internal server error (fault injected by test server); retry 2 of 3 in 2 ms',
    'DeepL answered HTTP 503 (Service Unavailable) while translating: Service unavailable (fault injected by test server); retry 3 of 3 in 4 ms',
  ]);
});

test('retry warnings for answers with an empty body, a gateway page or JSON: no empty fields', async () => {
  const gateway = await rawServer([
    { status: 502, body: '' },
    { status: 429, body: '' },
    { status: 503, body: '' },
    { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>' },
    { status: 504, body: JSON.stringify({ message: 'Upstream timed out', detail: 'try later' }) },
    { status: 502, body: '' },
  ]);
  try {
    const retried: string[] = [];
    const engine = deeplEngine(gateway.url, { authKey: 'messages-key', retries: 5, retryBaseMs: 1, onRetry: (m) => retried.push(m) });
    const error = await engine.translate({ texts: ['Der Hund schläft.'] }).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.deepEqual(retried, [
      'DeepL answered HTTP 502 (Bad Gateway) while translating; retry 1 of 5 in 1 ms',
      'DeepL answered HTTP 429 (Too Many Requests) while translating; retry 2 of 5 in 2 ms',
      'DeepL answered HTTP 503 (Service Unavailable) while translating; retry 3 of 5 in 4 ms',
      'DeepL answered HTTP 502 (Bad Gateway) while translating: 502 Bad Gateway 502 Bad Gateway nginx; retry 4 of 5 in 8 ms',
      'DeepL answered HTTP 504 (Gateway Timeout) while translating: Upstream timed out: try later; retry 5 of 5 in 16 ms',
    ]);
    assert.ok(error instanceof EngineError);
    assert.equal(error.message, `DeepL failed while translating after 6 attempts (HTTP 502 from ${gateway.url})`);
    for (const line of [...retried, error.message]) assert.doesNotMatch(line, /, ,|, ;|: ;|content:|[:,]\s*$/, line);
  } finally {
    await gateway.close();
  }
});

test('retry warnings for an unreachable server name the server and the cause', async () => {
  const url = await closedUrl();
  const retried: string[] = [];
  const engine = deeplEngine(url, { authKey: 'messages-key', retries: 1, retryBaseMs: 1, onRetry: (m) => retried.push(m) });
  const error = await engine.translate({ texts: ['Der Hund schläft.'] }).then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  const port = new URL(url).port;
  assert.deepEqual(retried, [
    `cannot reach DeepL at ${url} while translating: connect ECONNREFUSED 127.0.0.1:${port}; retry 1 of 1 in 1 ms`,
  ]);
  assert.ok(error instanceof EngineError);
  assert.equal(error.message, `cannot reach DeepL at ${url} while translating after 2 attempts: connect ECONNREFUSED 127.0.0.1:${port}`);
});

test("describeAnswer reads deepl-node's wording for every status it names (pins deepl-node's messages)", async () => {
  const client = new deepl.DeepLClient('messages-key', { serverUrl: server.url, maxRetries: 0, sendPlatformInfo: false });
  const answerTo = async (status: 403 | 429 | 456 | 500 | 503): Promise<ReturnType<typeof describeAnswer>> => {
    server.failNext(status, 1, { path: '/v2/translate' });
    const error = await client.translateText('Hallo', 'de', 'en-US').then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    return describeAnswer(error);
  };
  assert.deepEqual(await answerTo(403), { status: 403, statusName: 'Forbidden', message: 'Forbidden (fault injected by test server)' });
  assert.deepEqual(await answerTo(429), {
    status: 429,
    statusName: 'Too Many Requests',
    message: 'Too many requests (fault injected by test server)',
  });
  assert.deepEqual(await answerTo(456), {
    status: 456,
    statusName: 'Quota Exceeded',
    message: 'Quota exceeded (fault injected by test server)',
  });
  assert.deepEqual(await answerTo(500), {
    status: 500,
    statusName: 'Internal Server Error',
    message: 'Internal server error (fault injected by test server)',
  });
  assert.deepEqual(await answerTo(503), {
    status: 503,
    statusName: 'Service Unavailable',
    message: 'Service unavailable (fault injected by test server)',
  });
  const wrongUrl = new deepl.DeepLClient('messages-key', { serverUrl: `${server.url}/v2`, maxRetries: 0, sendPlatformInfo: false });
  const notFound = await wrongUrl.translateText('Hallo', 'de', 'en-US').then(
    () => assert.fail('expected a failure'),
    (e: unknown) => e,
  );
  assert.deepEqual(describeAnswer(notFound), { status: 404, statusName: 'Not Found', message: 'Not found' });
});
