import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { unzipSync } from 'fflate';
import {
  deflatedEntrySync,
  dosDateTime,
  storedEntry,
  zipArchive,
  zipPieces,
  zipTimeUtc,
  type ZipEntryData,
  type ZipTime,
} from '../src/write/zip.js';

const utf8 = new TextEncoder();
const time: ZipTime = { year: 2024, month: 5, day: 1, hours: 13, minutes: 37, seconds: 59 };

/** Local headers in file order: offset, name bytes, flags, method, DOS time and date, extra length. */
function localHeaders(zip: Uint8Array) {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const out = [];
  let o = 0;
  while (view.getUint32(o, true) === 0x04034b50) {
    const n = view.getUint16(o + 26, true);
    const extra = view.getUint16(o + 28, true);
    out.push({
      offset: o,
      name: new TextDecoder().decode(zip.subarray(o + 30, o + 30 + n)),
      flags: view.getUint16(o + 6, true),
      method: view.getUint16(o + 8, true),
      time: view.getUint16(o + 10, true),
      date: view.getUint16(o + 12, true),
      extra,
    });
    o += 30 + n + extra + view.getUint32(o + 18, true);
  }
  return out;
}

const contents: Array<[string, Uint8Array]> = [
  ['mimetype', utf8.encode('application/epub+zip')],
  ['empty.txt', new Uint8Array(0)],
  ['dir/größe – ü.xhtml', utf8.encode('<p>Größere Übungen &amp; „rote Linien“</p>\n'.repeat(200))],
  ['random.bin', new Uint8Array(randomBytes(70_000))],
  ['zeros.bin', new Uint8Array(300_000)],
];

test('fflate reads back every entry exactly, stored and deflated, in the order given', () => {
  const entries: ZipEntryData[] = [
    storedEntry(contents[0]![0], contents[0]![1]),
    ...contents.slice(1).map(([name, data]) => deflatedEntrySync(name, data)),
  ];
  const zip = zipArchive(entries, time);
  const back = unzipSync(zip);
  assert.deepEqual(
    Object.keys(back),
    contents.map(([name]) => name),
  );
  for (const [name, data] of contents) assert.deepEqual(back[name], data, name);
  assert.deepEqual(
    localHeaders(zip).map((h) => h.method),
    [0, 8, 8, 8, 8],
  );
});

test('the archive ends with one end-of-central-directory record that accounts for every byte', () => {
  const zip = zipArchive(
    contents.map(([name, data]) => deflatedEntrySync(name, data)),
    time,
  );
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.byteLength - 22;
  assert.equal(view.getUint32(eocd, true), 0x06054b50);
  assert.equal(view.getUint16(eocd + 8, true), contents.length);
  assert.equal(view.getUint16(eocd + 10, true), contents.length);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  assert.equal(cdOffset + cdSize, eocd, 'central directory runs up to the end record');
  const locals = localHeaders(zip);
  let o = cdOffset;
  for (const local of locals) {
    assert.equal(view.getUint32(o, true), 0x02014b50);
    assert.equal(view.getUint32(o + 42, true), local.offset, `${local.name}: local header offset`);
    // The central header repeats the local one from "version needed" on, 4 bytes further in.
    assert.deepEqual(zip.subarray(o + 6, o + 30), zip.subarray(local.offset + 4, local.offset + 28), `${local.name}: header fields`);
    assert.equal(view.getUint16(o + 30, true) + view.getUint16(o + 32, true), 0, 'no extra field, no comment');
    o += 46 + view.getUint16(o + 28, true);
  }
  assert.equal(o, eocd);
});

test("a deflated entry: CRC-32 is zlib.crc32 of the content, the size is the content's, the data inflates back", () => {
  for (const [name, data] of contents) {
    const a = deflatedEntrySync(name, data);
    assert.equal(a.name, name);
    assert.equal(a.method, 8);
    assert.equal(a.crc, zlib.crc32(data) >>> 0);
    assert.equal(a.size, data.byteLength);
    assert.deepEqual(new Uint8Array(zlib.inflateRawSync(a.data)), data);
  }
});

test('UTF-8 flag only on non-ASCII names; no extra fields; every entry carries the given time', () => {
  const zip = zipArchive(
    contents.map(([name, data]) => storedEntry(name, data)),
    time,
  );
  const headers = localHeaders(zip);
  assert.deepEqual(
    headers.map((h) => [h.name, h.flags]),
    contents.map(([name]) => [name, /[^\x00-\x7f]/.test(name) ? 0x800 : 0]),
  );
  const { date, time: clock } = dosDateTime(time);
  for (const h of headers) {
    assert.equal(h.extra, 0);
    assert.equal(h.time, (13 << 11) | (37 << 5) | 29, 'odd seconds round down');
    assert.equal(h.date, ((2024 - 1980) << 9) | (5 << 5) | 1);
    assert.deepEqual([h.time, h.date], [clock, date]);
  }
});

test('DOS times come from UTC components, clamped to 1980–2107', () => {
  assert.deepEqual(zipTimeUtc(new Date('2024-03-31T02:30:00+02:00')), { year: 2024, month: 3, day: 31, hours: 0, minutes: 30, seconds: 0 });
  assert.deepEqual(zipTimeUtc(new Date('1970-01-01T00:00:00Z')), { year: 1980, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0 });
  assert.deepEqual(zipTimeUtc(new Date('2107-12-31T23:59:59Z')), { year: 2107, month: 12, day: 31, hours: 23, minutes: 59, seconds: 59 });
  assert.deepEqual(zipTimeUtc(new Date('2150-06-01T00:00:00Z')), { year: 2107, month: 12, day: 31, hours: 23, minutes: 59, seconds: 58 });
  assert.throws(() => zipTimeUtc(new Date('nonsense')), RangeError);
  assert.deepEqual(dosDateTime({ year: 2107, month: 12, day: 31, hours: 23, minutes: 59, seconds: 58 }), { date: 0xff9f, time: 0xbf7d });
  for (const bad of [{ year: 1979 }, { month: 13 }, { day: 0 }, { hours: 24 }, { minutes: 60 }, { seconds: 1.5 }]) {
    assert.throws(() => zipArchive([], { ...time, ...bad }), RangeError, JSON.stringify(bad));
  }
});

test('an empty archive is just the end record', () => {
  const zip = zipArchive([], time);
  assert.equal(zip.byteLength, 22);
  assert.deepEqual(unzipSync(zip), {});
});

test('refuses what would need ZIP64 or is inconsistent', () => {
  const tiny = storedEntry('x', new Uint8Array(1));
  const many = (n: number): ZipEntryData[] => Array.from({ length: n }, (_, i) => ({ ...tiny, name: `f${i}` }));
  // 0xFFFF is where readers start looking for ZIP64 records: the most we write is 0xFFFE.
  const most = zipArchive(many(0xfffe), time);
  assert.equal(Object.keys(unzipSync(most)).length, 0xfffe);
  assert.throws(() => zipArchive(many(0xffff), time), { name: 'RangeError', message: /number of entries \(65535\) exceeds 65534.*ZIP64/ });
  assert.throws(() => zipArchive(many(0x10000), time), RangeError);
  // A size that does not fit 32 bits (as a corrupted or 4 GiB entry would carry).
  const huge: ZipEntryData = { name: 'huge.bin', method: 8, crc: 0, size: 2 ** 32, data: new Uint8Array(16) };
  assert.throws(() => zipArchive([huge], time), { name: 'RangeError', message: /huge\.bin: size \(4294967296\) exceeds.*ZIP64/ });
  assert.throws(() => zipArchive([{ ...huge, size: 0xffffffff }], time), /ZIP64/);
  assert.throws(() => zipArchive([{ ...huge, size: -1 }], time), /not a non-negative integer/);
  assert.throws(() => zipArchive([{ ...tiny, size: 2 }], time), /stored data is 1 bytes, size says 2/);
  assert.throws(() => zipArchive([{ ...tiny, crc: 2 ** 32 }], time), RangeError);
  assert.throws(() => zipArchive([tiny, { ...tiny }], time), /duplicate entry name "x"/);
  assert.throws(() => zipArchive([{ ...tiny, name: 'n'.repeat(0x10000) }], time), /name length/);
});

test('an archive handed out in pieces: none much over 1 MiB, the same bytes however often it is read, errors at once', () => {
  // 40 entries of 100 KB that do not compress: a 4 MB archive.
  const entries = Array.from({ length: 40 }, (_, i) => storedEntry(`OEBPS/c${i}.bin`, randomBytes(100_000)));
  const pieces = zipPieces(entries, time);
  const first = [...pieces];
  assert.ok(first.length >= 3, `${first.length} pieces`);
  for (const piece of first) assert.ok(piece.byteLength <= 1024 * 1024 + 100_000 + 64, `a piece of ${piece.byteLength} bytes`);
  assert.deepEqual(Buffer.concat(first), Buffer.from(zipArchive(entries, time)));
  // Read again (a write that had to make the folder first): the same bytes.
  assert.deepEqual(Buffer.concat([...pieces]), Buffer.concat(first));
  // Checked when asked for, not when first written.
  assert.throws(() => zipPieces([...entries, entries[0]!], time), /duplicate entry name/);
});
