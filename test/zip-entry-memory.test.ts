// A deflated zip entry owns its bytes: a book keeps every chapter's entry until it is finished, so
// an entry that were a view of zlib's 16 KiB output chunk would hold 16 KiB a chapter (issue 21).
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { test } from 'node:test';
import { deflatedEntrySync } from '../src/write/zip.js';

test('a deflated entry holds only its own compressed bytes', () => {
  const text = new TextEncoder().encode('<p>Die „rote Linie“ an der Ostflanke.</p>\n'.repeat(200));
  const entry = deflatedEntrySync('OEBPS/c1.xhtml', text);
  assert.ok(entry.data.byteLength < 1024, `compressed: ${entry.data.byteLength} bytes`);
  assert.equal(entry.data.buffer.byteLength, entry.data.byteLength, 'no larger buffer behind it');
  assert.deepEqual(new Uint8Array(inflateRawSync(entry.data)), text);
});
