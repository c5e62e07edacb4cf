/**
 * Tests for the fake DeepL server, driven exclusively through the real deepl-node client and only
 * through the calls diglot makes, so that what is verified is "deepl-node talking to this server".
 *
 * Timing note: deepl-node's first retry always waits ~1 s (its backoff starts at 1 s regardless
 * of `minTimeout`), so the retry tests run concurrently, each against its own server.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import * as deepl from 'deepl-node';

import { startDeepLServer, type DeepLServer } from './deepl-server.js';

function clientFor(server: DeepLServer, key = 'test-key', maxRetries = 2): deepl.DeepLClient {
  return new deepl.DeepLClient(key, { serverUrl: server.url, maxRetries, minTimeout: 200 });
}

function dict(entries: Record<string, string>, source = 'de', target = 'en'): deepl.MultilingualGlossaryDictionaryEntries {
  return { sourceLangCode: source, targetLangCode: target, entries: new deepl.GlossaryEntries({ entries }) };
}

describe('fake DeepL server via deepl-node', () => {
  let server: DeepLServer;
  let client: deepl.DeepLClient;

  before(async () => {
    server = await startDeepLServer({ rejectKey: 'revoked-key' });
    client = clientFor(server);
  });
  beforeEach(() => server.reset());
  after(async () => {
    await server.close();
  });

  it('translates several texts in order, with fake English and billed characters', async () => {
    const texts = ['Guten Morgen.', 'Die Straße ist nass.', 'Ein Emoji 😀 zählt einmal.'];
    const results = await client.translateText(texts, 'de', 'en-GB');
    assert.deepEqual(
      results.map((r) => r.text),
      texts.map((t) => `EN: ${t}`),
    );
    assert.deepEqual(
      results.map((r) => r.billedCharacters),
      [13, 20, 25], // code points: ß is one, the emoji (two UTF-16 units) is one
    );
    assert.ok(results.every((r) => r.detectedSourceLang === 'de'));

    const [req] = server.translateRequests();
    assert.ok(req);
    // deepl-node sends a form body, lower-cased codes and always asks for billed characters.
    assert.match(req.contentType ?? '', /^application\/x-www-form-urlencoded/);
    assert.equal(req.authKey, 'test-key');
    assert.deepEqual(req.translate.texts, texts);
    assert.equal(req.translate.sourceLang, 'de');
    assert.equal(req.translate.targetLang, 'en-GB');
    assert.equal(req.translate.showBilledCharacters, true);
    assert.equal(server.billedCharacters(), 58);
    assert.equal((await client.getUsage()).character?.count, 58);
  });

  it('validates target_lang like DeepL (deepl-node already refuses plain "en" itself)', async () => {
    await assert.rejects(client.translateText('Hallo', 'de', 'en' as deepl.TargetLanguageCode), deepl.DeepLError);
    await assert.rejects(client.translateText(['Hallo', ''], 'de', 'en-GB'), deepl.DeepLError);
    assert.equal(server.requests.length, 0, 'deepl-node rejects target "en" and an empty text before sending');
    // extraRequestParameters overrides target_lang on the wire, so the server's check is reachable.
    await assert.rejects(
      client.translateText('Hallo', 'de', 'en-GB', { extraRequestParameters: { target_lang: 'EN' } }),
      /Value for 'target_lang' not supported/,
    );
    await assert.rejects(client.translateText('Hallo', 'xx' as deepl.SourceLanguageCode, 'en-GB'), /Value for 'source_lang' not supported/);
    assert.deepEqual(
      server.requests.map((r) => r.status),
      [400, 400],
    );
  });

  it('rejects more than 50 texts with 413 and does not bill them', async () => {
    const texts = Array.from({ length: 51 }, (_, i) => `Satz ${i}`);
    await assert.rejects(client.translateText(texts, 'de', 'en-GB'), /413/);
    assert.equal(server.billedCharacters(), 0);
    assert.equal(server.textsSent().length, 0);
    assert.equal(server.textsSent({ includeFailed: true }).length, 51);
  });

  it('rejects a body over 128 KiB with 413', async () => {
    await assert.rejects(client.translateText('x'.repeat(130 * 1024), 'de', 'en-GB'), /413/);
    assert.equal(server.requests[0]?.status, 413);
  });

  it('records context but does not bill it', async () => {
    const context = 'Ein langer Kontextabsatz, der nicht berechnet werden darf.';
    const result = await client.translateText('Das Schloss.', 'de', 'en-GB', { context });
    assert.equal(result.text, 'EN: Das Schloss.');
    assert.equal(result.billedCharacters, 12);
    assert.equal(server.translateRequests()[0]?.translate.context, context);
    assert.equal(server.billedCharacters(), 12);
  });

  it('runs the v3 glossary calls diglot makes and applies entries in translations', async () => {
    const created = await client.createMultilingualGlossary('diglot-test', [
      dict({ Ostflanke: 'eastern flank', Bundeswehr: 'Bundeswehr', 'Ostflanke der NATO': "NATO's eastern flank" }),
    ]);
    assert.equal(created.name, 'diglot-test');
    assert.deepEqual(created.dictionaries, [{ sourceLangCode: 'de', targetLangCode: 'en', entryCount: 3 }]);
    assert.ok(created.creationTime instanceof Date && !Number.isNaN(created.creationTime.getTime()));
    assert.ok(server.glossaries.has(created.glossaryId));

    const listed = await client.listMultilingualGlossaries();
    assert.deepEqual(
      listed.map((g) => g.glossaryId),
      [created.glossaryId],
    );

    const translated = await client.translateText(
      ['Die NATO-Ostflanke wird verstärkt.', 'Die Ostflanke der NATO und die Ostflanke-Debatte.', 'Südostflanke und Ostflanken bleiben.'],
      'de',
      'en-GB',
      { glossary: created },
    );
    assert.deepEqual(
      translated.map((r) => r.text),
      [
        'EN: Die NATO-eastern flank wird verstärkt.',
        "EN: Die NATO's eastern flank und die eastern flank-Debatte.",
        'EN: Südostflanke und Ostflanken bleiben.',
      ],
    );
    assert.equal(server.translateRequests()[0]?.translate.glossaryId, created.glossaryId);

    await client.deleteMultilingualGlossary(created);
    await assert.rejects(client.deleteMultilingualGlossary(created), deepl.GlossaryNotFoundError);
    await assert.rejects(client.translateText('Ostflanke', 'de', 'en-GB', { glossary: created.glossaryId }), /Glossary not found/);
    assert.equal(server.glossaries.size, 0);
  });

  it('validates glossary entries like DeepL', async () => {
    const bad = async (entries: Record<string, string>, message: RegExp): Promise<void> => {
      await assert.rejects(client.createMultilingualGlossary('bad', [dict(entries)]), message);
    };
    await bad({ ' Ostflanke': 'eastern flank' }, /leading or trailing whitespace/);
    await bad({ Ostflanke: 'eastern flank ' }, /leading or trailing whitespace/);
    // Regional codes are not glossary languages.
    await assert.rejects(
      client.createMultilingualGlossary('regional', [dict({ a: 'b' }, 'de', 'en-GB')]),
      /Value for 'target_lang' not supported/,
    );
    assert.equal(server.glossaries.size, 0);
  });

  it('handles tag_handling=xml like DeepL: tags kept, ignore_tags untouched, entities kept', async () => {
    const g = await client.createMultilingualGlossary('xml', [dict({ Ostflanke: 'eastern flank', 'A & B': 'A and B' })]);
    const source =
      '<p id="x1" class=\'lead\'>Die <b>NATO-Ostflanke</b> &amp; A &amp; B, 1 &lt; 2' +
      '<code translate="no">Ostflanke &amp; mehr</code><br/><!-- Ostflanke --></p>';
    const result = await client.translateText(source, 'de', 'en-GB', {
      glossary: g,
      tagHandling: 'xml',
      ignoreTags: ['code'],
    });
    assert.equal(
      result.text,
      '<p id="x1" class=\'lead\'>EN: Die <b>NATO-eastern flank</b> &amp; A and B, 1 &lt; 2' +
        '<code translate="no">Ostflanke &amp; mehr</code><br/><!-- Ostflanke --></p>',
    );
    // Billing counts the text as sent, tags included.
    assert.equal(result.billedCharacters, [...source].length);
    const rec = server.translateRequests()[0]?.translate;
    assert.equal(rec?.tagHandling, 'xml');
    assert.deepEqual(rec?.ignoreTags, ['code']);

    // The prefix goes into the first non-blank text node, once.
    const nested = await client.translateText('<s>\n  <w>Haus</w> <w>Baum</w></s>', 'de', 'en-GB', { tagHandling: 'xml' });
    assert.equal(nested.text, '<s>\n  <w>EN: Haus</w> <w>Baum</w></s>');

    for (const malformed of ['<p>offen', '<p>a</q>', 'Tom & Jerry', '<p a=1>x</p>']) {
      await assert.rejects(
        client.translateText(malformed, 'de', 'en-GB', { tagHandling: 'xml' }),
        /Tag handling parsing failed/,
        malformed,
      );
    }
  });

  it('answers 403 for a rejected key and for an injected 403 (deepl-node: AuthorizationError)', async () => {
    await assert.rejects(clientFor(server, 'revoked-key').translateText('Hallo', 'de', 'en-GB'), deepl.AuthorizationError);
    server.failNext(403);
    await assert.rejects(client.getUsage(), deepl.AuthorizationError);
    assert.deepEqual(
      server.requests.map((r) => r.status),
      [403, 403],
    );
    assert.equal(server.billedCharacters(), 0);
  });

  it('enforces the usage limit with 456 (deepl-node: QuotaExceededError)', async () => {
    server.setUsageLimit(20, 10);
    const ok = await client.translateText('Zehn Zeich', 'de', 'en-GB'); // 10 → exactly at the limit
    assert.equal(ok.billedCharacters, 10);
    await assert.rejects(client.translateText('x', 'de', 'en-GB'), deepl.QuotaExceededError);
    const usage = await client.getUsage();
    assert.equal(usage.character?.count, 20);
    assert.equal(usage.character?.limit, 20);
    assert.equal(usage.anyLimitReached(), true);

    server.reset();
    server.failNext(456, 1, { path: '/v2/translate' });
    await assert.rejects(client.translateText('Hallo', 'de', 'en-GB'), deepl.QuotaExceededError);
    assert.equal(server.translateRequests().length, 1, '456 is not retried');
  });

  it('answers 429 above the concurrency cap', async () => {
    server.setConcurrencyCap(1);
    server.setLatency(100);
    const noRetry = clientFor(server, 'test-key', 1); // maxRetries 1 = a single attempt
    const outcomes = await Promise.allSettled([noRetry.translateText('eins', 'de', 'en-GB'), noRetry.translateText('zwei', 'de', 'en-GB')]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    const rejected = outcomes.find((o) => o.status === 'rejected');
    assert.ok(rejected?.status === 'rejected' && rejected.reason instanceof deepl.TooManyRequestsError);
    assert.equal(server.peakConcurrency(), 1);
  });

  it('corrupts responses on request', async () => {
    server.corruptNext('fewer-translations');
    const short = await client.translateText(['a', 'b', 'c'], 'de', 'en-GB');
    assert.equal(short.length, 2, 'deepl-node does not check the count: callers must');
    server.corruptNext('malformed-json');
    await assert.rejects(client.translateText(['a'], 'de', 'en-GB'), /Error parsing response JSON/);
    assert.equal(server.billedCharacters(), 4, 'the server did the work, so it billed it');
  });

  it('records every request, answers 404 to calls diglot never makes, and reset() clears them', async () => {
    await client.translateText(['eins', 'zwei'], 'de', 'en-GB');
    await client.translateText('drei', 'de', 'en-GB');
    await client.getUsage();
    await assert.rejects(client.getTargetLanguages(), /Not found/);

    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path} ${r.status}`),
      ['POST /v2/translate 200', 'POST /v2/translate 200', 'GET /v2/usage 200', 'GET /v2/languages 404'],
    );
    assert.equal(server.translateRequests().length, 2);
    assert.deepEqual(server.textsSent(), ['eins', 'zwei', 'drei']);
    assert.equal(server.billedCharacters(), 12);
    assert.equal(server.usage().characterCount, 12);

    server.reset();
    assert.equal(server.requests.length, 0);
    assert.equal(server.billedCharacters(), 0);
    assert.equal(server.usage().characterCount, 0);
  });
});

// deepl-node sleeps ~1 s before its first retry, so these run concurrently, one server each.
describe('retries (deepl-node backoff)', { concurrency: true }, () => {
  const servers: DeepLServer[] = [];
  const fresh = async (): Promise<DeepLServer> => {
    const s = await startDeepLServer();
    servers.push(s);
    return s;
  };
  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('retries a 429 once and succeeds; deepl-node ignores Retry-After', async () => {
    const server = await fresh();
    server.failNext(429, 1, { retryAfter: 7 });
    const result = await clientFor(server).translateText('Hallo', 'de', 'en-GB');
    assert.equal(result.text, 'EN: Hallo');
    const [first, second] = server.translateRequests();
    assert.equal(first?.status, 429);
    assert.equal(first?.responseHeaders?.['retry-after'], '7');
    assert.equal(second?.status, 200);
    // It retried after its own ~1 s backoff, not after the 7 s the server asked for.
    assert.ok((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0) < 3000);
    assert.equal(server.billedCharacters(), 5);
    assert.deepEqual(server.textsSent(), ['Hallo']);
    assert.deepEqual(server.textsSent({ includeFailed: true }), ['Hallo', 'Hallo']);
  });

  it('retries a 500 once and succeeds', async () => {
    const server = await fresh();
    server.failNext(500);
    const result = await clientFor(server).translateText(['a', 'b'], 'de', 'en-GB');
    assert.deepEqual(
      result.map((r) => r.text),
      ['EN: a', 'EN: b'],
    );
    assert.deepEqual(
      server.translateRequests().map((r) => r.status),
      [500, 200],
    );
  });

  it('maxRetries: 2 means two attempts in total, so two 429s fail', async () => {
    const server = await fresh();
    server.failNext(429, 2);
    await assert.rejects(clientFor(server).translateText('Hallo', 'de', 'en-GB'), deepl.TooManyRequestsError);
    assert.equal(server.translateRequests().length, 2);
  });

  it('applies latency before answering', async () => {
    const server = await fresh();
    server.setLatency(150);
    const start = Date.now();
    await clientFor(server).translateText('Hallo', 'de', 'en-GB');
    assert.ok(Date.now() - start >= 140);
  });
});
