import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SourceDocument } from '../src/model.js';
import { normalise } from '../src/segment/normalise.js';
import { segment } from '../src/segment/segment.js';

/** The definition `normalise` must keep to, written the slow way. */
function reference(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\u00AD/g, '')
    .replace(/[\s\u00A0\u2007\u202F]+/gu, ' ')
    .trim();
}

test('normalise: NFC, no soft hyphens, white space folded and trimmed; the short cut changes nothing', () => {
  assert.equal(normalise('  Die\u00A0NATO\n  verstär\u00ADkt  ihre Ost\u00ADflanke. '), 'Die NATO verstärkt ihre Ostflanke.');
  assert.equal(normalise('Cafe\u0301'), 'Café');
  const pieces = [
    'a',
    'Ä',
    'A\u0308',
    ' ',
    '  ',
    '\u00A0',
    '\u00AD',
    '\t',
    '\n',
    '\r\n',
    '\u2007',
    '\u202F',
    '\u2028',
    '\u3000',
    '\uFEFF',
    '\u0085',
    '„',
    '😀',
    '.',
  ];
  let seed = 3;
  for (let i = 0; i < 20_000; i++) {
    let text = '';
    const length = Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 12);
    for (let j = 0; j < length; j++) text += pieces[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length];
    assert.equal(normalise(text), reference(text), JSON.stringify(text));
  }
});

test('a segment carries its memory key, normalise(source), made with it', () => {
  const txt: SourceDocument = {
    id: 't',
    path: 't.txt',
    format: 'txt',
    text: 'Die Ost\u00ADflanke  der\u00A0NATO\n\nÄnde\u0301rung\n  mit Umbruch.',
    meta: {},
  };
  const md: SourceDocument = {
    id: 'm',
    path: 'm.md',
    format: 'md',
    text: '---\ntitle: " Die  NATO "\n---\n\n> Ein *Zitat*\n> über zwei Zeilen.\n\n| Ände\u0301rung |\n| - |\n| x |\n',
    meta: {},
  };
  for (const doc of [txt, md]) {
    const { segments } = segment(doc, []);
    assert.ok(segments.length >= 2);
    for (const s of segments) assert.equal(s.key, normalise(s.source));
  }
  assert.deepEqual(
    segment(txt, []).segments.map((s) => s.key),
    ['Die Ostflanke der NATO', 'Ändérung mit Umbruch.'],
  );
  assert.deepEqual(
    segment(md, []).segments.map((s) => s.key),
    ['Die NATO', 'Ein *Zitat* über zwei Zeilen.', 'Ändérung', 'x'],
  );
});
