// The review state read a record at a time: the folder's record first, the old single state file
// only where the folder has none, and a damaged record is none (never an older one in its place).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  type FileRecord,
  OLD_STATE_FILE,
  recordPath,
  renderRecord,
  REVIEW_STATE_DIR,
  ReviewState,
} from '../src/review-file/review-state.js';

const record = (sha256: string): FileRecord => ({
  sha256,
  segments: [{ id: 'p1', kind: 'paragraph', markdown: false, source: 'Ein Satz.', de: 'd', en: 'e', approved: false }],
});

test('a record comes from the folder, else from the old state file; a damaged one is none', async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'diglot-state-'));
  try {
    mkdirSync(path.join(out, REVIEW_STATE_DIR));
    writeFileSync(recordPath(out, 'a.review.md'), renderRecord(record('new-a')));
    writeFileSync(recordPath(out, 'b.review.md'), '{"sha256": "cut off');
    // A temp file of a record being written is no record.
    writeFileSync(path.join(out, REVIEW_STATE_DIR, '.c.review.md.json.123.tmp'), renderRecord(record('temp')));
    const old = { 'a.review.md': record('old-a'), 'b.review.md': record('old-b'), 'd.review.md': record('old-d') };
    writeFileSync(path.join(out, OLD_STATE_FILE), JSON.stringify({ version: 1, files: old }));

    const state = new ReviewState(out);
    assert.deepEqual(await state.record('a.review.md'), record('new-a'), 'the folder wins');
    assert.equal(await state.record('b.review.md'), undefined, 'damaged: no record, not the older one');
    assert.deepEqual(await state.record('d.review.md'), record('old-d'), 'not in the folder: the old file');
    assert.equal(await state.record('e.review.md'), undefined);
    assert.deepEqual([...(await state.inFolder())].sort(), ['a.review.md', 'b.review.md']);
    assert.deepEqual([...(await state.names())].sort(), ['a.review.md', 'b.review.md', 'd.review.md']);

    // Without the old file, or with a damaged one, only the folder counts.
    writeFileSync(path.join(out, OLD_STATE_FILE), '{"version": 1, "files": {');
    assert.deepEqual([...(await new ReviewState(out).names())].sort(), ['a.review.md', 'b.review.md']);
    rmSync(path.join(out, REVIEW_STATE_DIR), { recursive: true });
    rmSync(path.join(out, OLD_STATE_FILE));
    assert.deepEqual([...(await new ReviewState(out).names())], []);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
