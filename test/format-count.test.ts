import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atLines, formatCount } from '../src/util/format-count.js';

test('formatCount groups thousands as toLocaleString("en-US") does', () => {
  for (const n of [
    0,
    7,
    42,
    999,
    1000,
    1001,
    12_345,
    999_999,
    1_000_000,
    6_180_559,
    123_456_789_012,
    -1,
    -1234,
    -999_999_999,
    Number.MAX_SAFE_INTEGER,
  ]) {
    assert.equal(formatCount(n), n.toLocaleString('en-US'), String(n));
  }
  assert.equal(formatCount(1234.5), '1,234.5');
});

test('atLines counts every thing and says each line once', () => {
  assert.equal(atLines([12], 'edit'), '1 edit (line 12)');
  assert.equal(atLines([12, 30], 'edit'), '2 edits (lines 12, 30)');
  assert.equal(
    atLines([1, 1, 1, 1], 'change that cannot be imported', 'changes that cannot be imported'),
    '4 changes that cannot be imported (line 1)',
  );
});
