// Text that must be UTF-8: where the first bad byte is, and the conversion that fits the file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeStrictUtf8 } from '../src/text/strict-utf8.js';

test('UTF-8 decodes (its byte-order mark dropped); anything else names its first bad byte, its line and a fitting iconv', () => {
  assert.equal(decodeStrictUtf8(Buffer.from('\ufeffGrüße\n')), 'Grüße\n');
  assert.deepEqual(decodeStrictUtf8(Buffer.from('Zeile eins\nGr\xfc\xdfe\n', 'latin1')), {
    byte: 0xfc,
    offset: 13,
    line: 2,
    convert: 'iconv -f latin1 -t utf-8',
  });
  // Word's quotes „…“ in Windows-1252 are 0x84 and 0x93, which Latin-1 reads as control characters.
  const windows = decodeStrictUtf8(Buffer.from('Er sagte \x84Nein\x93.\n', 'latin1'));
  assert.deepEqual(windows, { byte: 0x84, offset: 9, line: 1, convert: 'iconv -f windows-1252 -t utf-8' });
  assert.equal((decodeStrictUtf8(Buffer.from([0x41, 0xc0, 0x80])) as { offset: number }).offset, 1, 'an overlong form');
  assert.equal((decodeStrictUtf8(Buffer.from([0x41, 0x42, 0xe2, 0x82])) as { offset: number }).offset, 2, 'a sequence cut off at the end');
});
