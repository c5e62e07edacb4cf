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

/** Whether a piece of XML opens and closes its elements in order, and cuts no tag or entity. */
function wellFormed(xml: string): boolean {
  const open: string[] = [];
  for (const m of xml.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>|<|&(?![a-z0-9#]+;)/g)) {
    if (m[2] === undefined) return false;
    if (m[3] === '/') continue;
    if (m[1] === '/') {
      if (open.pop() !== m[2]) return false;
    } else open.push(m[2]);
  }
  return open.length === 0;
}

test('a sentence over the limit is split between words outside its elements; a word over it between characters, glued back without a space', () => {
  // One sentence of 3,000 links: no sentence boundary, and every space but those between links is inside an element.
  const links = Array.from({ length: 3000 }, (_, i) => `<a i="${i}">Bericht über Übergriffe Nr ${i}</a>`).join(', ');
  const words = 'Ein&amp;Wort '.repeat(20_000);
  const word = `Der ${'ü'.repeat(30_000)}&amp;${'x'.repeat(100_000)} Mann.`;
  for (const xml of [`Quellen: ${links}.`, words.trim(), word]) {
    const parts = planBatches([{ key: 'k', xml }], undefined).flatMap((b) => b.texts);
    assert.ok(parts.length > 1, `${parts.length} parts`);
    for (const p of parts) {
      assert.ok(encodedLength(p.xml) <= LIMITS.maxBodyBytes - 1024, `${encodedLength(p.xml)} bytes`);
      assert.ok(wellFormed(p.xml), p.xml.slice(0, 80));
    }
    const joined = parts.map((p, i) => (i === 0 || p.glued ? p.xml : ` ${p.xml}`)).join('');
    assert.equal(joined, xml.trim());
  }
  const cut = planBatches([{ key: 'k', xml: word }], undefined).flatMap((b) => b.texts);
  assert.deepEqual(
    cut.map((p) => p.glued === true),
    cut.map((_, i) => i > 0),
    'every part after the first goes on the word the first began',
  );
});
