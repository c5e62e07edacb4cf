import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { writeOutputs } from '../src/write/write-outputs.js';

test('writeOutputs: every file written, in place only at the end, the last one after the others', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'diglot-out-'));
  try {
    mkdirSync(path.join(root, 'out'));
    writeFileSync(path.join(root, 'out', 'a0.txt'), 'old');
    const seen: string[][] = [];
    function* files(): Generator<[string, string]> {
      for (let i = 0; i < 30; i++) {
        // Rendered lazily: nothing is in place while the outputs are still being rendered.
        seen.push(readdirSync(path.join(root, 'out')).filter((n) => !n.endsWith('.tmp')));
        yield [path.join('out', `a${i}.txt`), `file ${i}`];
      }
      yield [path.join('out', 'state.json'), '{}'];
    }
    const written = await writeOutputs(root, files(), 4);
    assert.equal(written.length, 31);
    assert.deepEqual(written.slice(0, 2), [path.join('out', 'a0.txt'), path.join('out', 'a1.txt')]);
    assert.ok(seen.every((names) => names.length === 1 && names[0] === 'a0.txt'), 'targets replaced only at the end');
    for (let i = 0; i < 30; i++) assert.equal(readFileSync(path.join(root, 'out', `a${i}.txt`), 'utf8'), `file ${i}`);
    assert.deepEqual(readdirSync(path.join(root, 'out')).filter((n) => n.endsWith('.tmp')), []);
    const last = statSync(path.join(root, 'out', 'state.json')).ctimeMs;
    for (let i = 0; i < 30; i++) assert.ok(statSync(path.join(root, 'out', `a${i}.txt`)).ctimeMs <= last);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('writeOutputs: a failure while rendering leaves every target as it was and no temp files', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'diglot-out-'));
  try {
    mkdirSync(path.join(root, 'out'));
    writeFileSync(path.join(root, 'out', 'a1.txt'), 'old');
    function* files(): Generator<[string, string]> {
      for (let i = 0; i < 20; i++) yield [path.join('out', `a${i}.txt`), `new ${i}`];
      throw new Error('renderer bug');
    }
    await assert.rejects(writeOutputs(root, files(), 3), /renderer bug/);
    assert.deepEqual(readdirSync(path.join(root, 'out')), ['a1.txt']);
    assert.equal(readFileSync(path.join(root, 'out', 'a1.txt'), 'utf8'), 'old');

    // A file that cannot be written (its folder is a file): the same.
    writeFileSync(path.join(root, 'blocked'), '');
    await assert.rejects(writeOutputs(root, [[path.join('out', 'a1.txt'), 'x'], [path.join('blocked', 'b.txt'), 'y']]));
    assert.deepEqual(readdirSync(path.join(root, 'out')), ['a1.txt']);
    assert.equal(readFileSync(path.join(root, 'out', 'a1.txt'), 'utf8'), 'old');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
