// Text that must be UTF-8: where the first bad byte is, and the conversion that fits the file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeStrictUtf8, utf8Text } from '../src/text/strict-utf8.js';

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

test('a file diglot reads as UTF-8 that is UTF-16, UTF-32 or binary is said to be so; a byte-order mark is kept when asked', () => {
  const bom = (mark: number[], text: string, encoding: BufferEncoding) => Buffer.concat([Buffer.from(mark), Buffer.from(text, encoding)]);
  assert.match((utf8Text(bom([0xff, 0xfe], 'Grüße', 'utf16le')) as { message: string }).message, /^is UTF-16 text;.*iconv -f utf-16/);
  // UTF-32 (little-endian) begins as UTF-16's mark does, with two zero bytes more: it is told apart.
  const utf32 = Buffer.from([0xff, 0xfe, 0, 0, 0x47, 0, 0, 0]);
  assert.match((utf8Text(utf32) as { message: string }).message, /^is UTF-32 text;.*iconv -f utf-32/);
  assert.match((utf8Text(Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x47])) as { message: string }).message, /^is UTF-32 text/);
  assert.deepEqual(utf8Text(Buffer.from('a\nb\0c')), {
    line: 2,
    message: 'looks like a binary file (it contains NUL bytes); diglot reads UTF-8 text',
  });
  assert.equal(utf8Text(Buffer.from('\ufeffGrüße')), 'Grüße');
  assert.equal(utf8Text(Buffer.from('\ufeffGrüße'), true), '\ufeffGrüße');
});

test("the line of a bad byte or a NUL counts LF, CRLF and an old Mac file's lone CR as line ends", () => {
  for (const end of ['\n', '\r\n', '\r']) {
    const lines = ['# Titel', '', 'Erster.', '', 'Zweiter \xff Absatz.', ''].join(end);
    assert.equal((utf8Text(Buffer.from(lines, 'latin1')) as { line: number }).line, 5, JSON.stringify(end));
    assert.equal((utf8Text(Buffer.from(lines.replace('\xff', '\x00'), 'latin1')) as { line: number }).line, 5, JSON.stringify(end));
  }
});
