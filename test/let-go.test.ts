// Unit tests of the two helpers that let a build drop what it no longer needs: `ownCopy` (a key
// that does not keep its article's source text alive) and `drain` (a loop that lets go of each item).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ownCopy } from '../src/text/own-copy.js';
import { drain } from '../src/util/drain.js';

test('ownCopy gives the same text: Latin-1, „quotes“, emoji, a lone surrogate, the empty string', () => {
  const source = 'Vorspann. Die Ostflanke „wird verstärkt“ 👩‍💻 und \uD800 allein. Nachspann.';
  for (const text of [source.slice(10, 50), source.slice(10), '\uD800', '', 'ä'.repeat(10_000)]) {
    const copy = ownCopy(text);
    assert.equal(copy, text);
    assert.equal(copy.length, text.length);
  }
});

test('drain hands out every item in order and leaves the array empty, each item taken out before it is handed out', () => {
  const items = ['a', 'b', 'c'];
  const seen: Array<[string, number]> = [];
  for (const item of drain(items)) seen.push([item, items.length]);
  assert.deepEqual(seen, [
    ['a', 2],
    ['b', 1],
    ['c', 0],
  ]);
  assert.deepEqual(items, []);
  assert.deepEqual([...drain([])], []);
});
