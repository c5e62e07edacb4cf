import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodedLength, LIMITS, planBatches } from '../src/translate/plan-batches.js';
import { billable } from '../src/translate/plan-translation.js';
import { splitSentences } from '../src/text/sentences.js';

test('encodedLength counts what URLSearchParams (as deepl-node encodes the body) makes of a text', () => {
  const texts = [
    '',
    'plain ASCII text with spaces',
    'Über Äußerungen, größere Übungen: „rote Linien“ – 100.000 € (2,5 %)!',
    '<x id="1">Ostflanke</x> & <b>NATO</b>?=+/#%~\'"`',
    'emoji 🇺🇦 and 👍🏽, CJK 漢字, combining e\u0301',
    'lone surrogates \ud800 x \udc00 y \ud83d',
    'tab\tnewline\ncr\r NBSP\u00a0 soft\u00ad hyphen *-._',
  ];
  for (const text of texts) assert.equal(encodedLength(text), new URLSearchParams({ text }).toString().length + 1, JSON.stringify(text));
});

test('batches hold at most 50 texts', () => {
  const pending = Array.from({ length: 120 }, (_, i) => ({ key: `k${i}`, xml: `Absatz ${i}.` }));
  const batches = planBatches(pending, 'Titel');
  assert.deepEqual(
    batches.map((b) => b.texts.length),
    [50, 50, 20],
  );
  assert.deepEqual(
    batches.flatMap((b) => b.texts.map((t) => t.key)),
    pending.map((p) => p.key),
    'order kept',
  );
  assert.ok(batches.every((b) => b.context === 'Titel'));
});

test('batches stay under 128 KiB of form-encoded body, umlauts counted as sent', () => {
  const paragraph = 'Über die Ostflanke, größere Übungen und Äußerungen. '.repeat(60);
  const pending = Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, xml: `${i} ${paragraph}` }));
  const context = 'Kontext '.repeat(100);
  const batches = planBatches(pending, context);
  assert.ok(batches.length > 1);
  for (const b of batches) {
    const body = b.texts.reduce((n, t) => n + encodedLength(t.xml), 0) + encodedLength(context);
    assert.ok(body < LIMITS.maxBodyBytes, `batch of ${body} bytes`);
  }
  // As few requests as the limit allows: no batch could have taken the next text.
  for (let i = 0; i + 1 < batches.length; i++) {
    const b = batches[i]!;
    const next = batches[i + 1]!.texts[0]!;
    const body = b.texts.reduce((n, t) => n + encodedLength(t.xml), 0) + encodedLength(context) + encodedLength(next.xml);
    assert.ok(body > LIMITS.maxBodyBytes - 1024 || b.texts.length === 50);
  }
});

test('a paragraph over the limit is split at sentence boundaries into ordered parts', () => {
  const sentence = 'Am 5. Dezember sprach Dr. Müller z. B. über die Ostflanke der NATO. ';
  const huge = sentence.repeat(3000).trim();
  // What else a pending text carries (the build's inline codec) travels with each of its parts.
  const codec = { name: 'codec of big' };
  const batches = planBatches(
    [
      { key: 'small', xml: 'Kurz.', codec: { name: 'codec of small' } },
      { key: 'big', xml: huge, codec },
    ],
    undefined,
  );
  assert.deepEqual(batches[0]?.texts[0], { key: 'small', xml: 'Kurz.', codec: { name: 'codec of small' }, part: 0, parts: 1 });
  const parts = batches.flatMap((b) => b.texts).slice(1);
  assert.ok(parts.length > 1);
  assert.ok(parts.every((p) => p.key === 'big' && p.parts === parts.length && p.codec === codec));
  assert.deepEqual(
    parts.map((p) => p.part),
    parts.map((_, i) => i),
  );
  assert.ok(
    parts.every((p) => p.xml.endsWith('NATO.')),
    'cut only after whole sentences',
  );
  assert.equal(parts.map((p) => p.xml).join(' '), huge);
});

test('German sentence splitting keeps abbreviations and dates together', () => {
  const text = 'Am 5. Dezember kam Dr. Müller. Er sprach z. B. über das 20. Jahrhundert. Dann ging er.';
  assert.deepEqual(
    splitSentences(text).map((s) => s.trim()),
    ['Am 5. Dezember kam Dr. Müller.', 'Er sprach z. B. über das 20. Jahrhundert.', 'Dann ging er.'],
  );
  assert.equal(splitSentences(text).join(''), text);
});

test('billable counts code points: an emoji or a rare CJK character outside the BMP is one character', () => {
  assert.equal(billable(''), 0);
  assert.equal(billable('Ostflanke'), 9);
  assert.equal(billable('Straße – „rote Linien“'), 22);
  assert.equal(billable('NATO 🇺🇦 𠀋'), [...'NATO 🇺🇦 𠀋'].length);
  assert.equal(billable('a\uD800b'), 3, 'a lone surrogate counts once');
});
