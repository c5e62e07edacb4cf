import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalise, segmentKey } from '../src/segment/normalise.js';

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
  const pieces = ['a', 'Ä', 'A\u0308', ' ', '  ', '\u00A0', '\u00AD', '\t', '\n', '\r\n', '\u2007', '\u202F', '\u2028', '\u3000', '\uFEFF', '\u0085', '„', '😀', '.'];
  let seed = 3;
  for (let i = 0; i < 20_000; i++) {
    let text = '';
    const length = Math.floor((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 * 12);
    for (let j = 0; j < length; j++) text += pieces[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length];
    assert.equal(normalise(text), reference(text), JSON.stringify(text));
  }
});

test('segmentKey is normalise(segment.source), worked out once per segment', () => {
  const a = { source: 'Die Ost\u00ADflanke  der\u00A0NATO ' };
  const b = { source: 'Die Ostflanke der NATO' };
  assert.equal(segmentKey(a), normalise(a.source));
  assert.equal(segmentKey(a), 'Die Ostflanke der NATO');
  assert.equal(segmentKey(b), 'Die Ostflanke der NATO');
  // Memoised per segment object: a different segment with the same text has its own entry.
  const first = segmentKey(a);
  assert.ok(Object.is(segmentKey(a), first));
  assert.equal(segmentKey({ source: 'Ände\u0301rung' }), normalise('Ände\u0301rung'));
});
