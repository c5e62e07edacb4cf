// Unit tests of the entry spool: pieces written as they come, read back by name in any order,
// the latest piece of a name winning, and no temp file left behind.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { EntrySpool } from '../src/write/entry-spool.js';

test('pieces come back by name, in any order, multi-byte text included; a name added again keeps its latest piece', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diglot-spool-'));
  try {
    const spool = new EntrySpool(path.join(dir, 'state.json'), 'state.json.entries');
    void spool.add('b', 'zweites „Stück“ – ü');
    void spool.add('a', 'erstes');
    void spool.add('c', '');
    void spool.add('b', 'zweites, neu 👩‍💻');
    assert.equal(spool.has('a'), true);
    assert.equal(spool.has('d'), false);
    assert.deepEqual(spool.names(), ['b', 'a', 'c']);
    await spool.close();
    assert.equal(spool.read('a'), 'erstes');
    assert.equal(spool.read('b'), 'zweites, neu 👩‍💻');
    assert.equal(spool.read('c'), '');
    assert.throws(() => spool.read('d'), /no spooled piece d/);
    await spool.discard();
    assert.deepEqual(readdirSync(dir), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a spool discarded before it is closed leaves no temp file', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'diglot-spool-'));
  try {
    const spool = new EntrySpool(path.join(dir, 'out', 'state.json'), 'state.json.entries');
    await spool.add('a', 'x'.repeat(100_000));
    assert.equal(readdirSync(path.join(dir, 'out')).length, 1);
    await spool.discard();
    assert.deepEqual(readdirSync(path.join(dir, 'out')), []);
    assert.equal(existsSync(path.join(dir, 'out', 'state.json')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
