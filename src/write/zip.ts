/**
 * A small ZIP writer for EPUB containers (PKZIP APPNOTE 6.3.x, sections 4.3 and 4.4).
 *
 * An archive is laid out from entries that are already compressed, so the costly part (deflate)
 * can happen earlier, as each entry is ready: {@link deflatedEntrySync} compresses one entry, and
 * {@link zipPieces} (or {@link zipArchive}, in one piece) only lays out headers and copies bytes.
 *
 * What it writes, and what it leaves out on purpose:
 *   - local file header + data for every entry, in the order given, then the central directory
 *     and the end-of-central-directory record (no archive comment);
 *   - sizes and CRC-32 in the local header itself: no data descriptors (bit 3), which OCF
 *     forbids for the `mimetype` entry and which some reading systems handle badly elsewhere;
 *   - no extra fields, so `mimetype` starts at byte 38 as OCF asks, and no timestamps or
 *     attributes beyond the DOS date/time: the bytes depend only on the entries and that time;
 *   - no ZIP64: a count, size or offset that does not fit its 16- or 32-bit field is an error.
 *
 * Deterministic: the same entries and time give the same bytes in any time zone. The deflate
 * output is that of the zlib bundled with Node (`process.versions.zlib`); another zlib build may
 * compress differently (the archive stays valid).
 */
import zlib from 'node:zlib';

/** A date-time for the DOS fields of every entry: wall-clock components, which we take in UTC. */
export interface ZipTime {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hours: number;
  minutes: number;
  /** Stored with two-second resolution (odd seconds round down). */
  seconds: number;
}

/** One entry, ready to be laid out: `data` is the deflated stream when `method` is 8. */
export interface ZipEntryData {
  /** Path inside the archive, `/`-separated; written as UTF-8. */
  name: string;
  /** 0: stored, 8: deflated. */
  method: 0 | 8;
  /** CRC-32 of the uncompressed content. */
  crc: number;
  /** Uncompressed size in bytes. */
  size: number;
  data: Uint8Array;
}

/**
 * Deflate level for every compressed entry. On the chapters diglot writes, level 9 compresses
 * 0.1 % better than zlib's default 6 and takes 40 % longer; every build writes two books.
 */
const LEVEL = 6;

/** CRC-32 (ISO-HDLC, as ZIP uses it) of `data`, unsigned. */
function crc32(data: Uint8Array): number {
  // zlib.crc32 appeared in Node 20.15; fail with a reason rather than "is not a function".
  if (typeof zlib.crc32 !== 'function') throw new Error(`zip: zlib.crc32 needs Node >= 20.15 (this is ${process.version})`);
  return zlib.crc32(data) >>> 0;
}

/** An entry stored as is (method 0), as OCF requires for the `mimetype` of an EPUB. */
export function storedEntry(name: string, content: Uint8Array): ZipEntryData {
  return { name, method: 0, crc: crc32(content), size: content.byteLength, data: content };
}

/**
 * A deflated entry (method 8), compressed on the calling thread: for a chapter that is faster
 * than handing it to zlib's threadpool and back (measured on the builds' chapters).
 */
export function deflatedEntrySync(name: string, content: Uint8Array): ZipEntryData {
  const deflated = zlib.deflateRawSync(content, { level: LEVEL });
  // zlib hands back a view of its 16 KiB output chunk: a kept entry copies its own bytes out, or
  // every chapter held until the book is finished would keep 16 KiB (issue 21).
  const data = deflated.byteLength === deflated.buffer.byteLength ? deflated : new Uint8Array(deflated);
  return { name, method: 8, crc: crc32(content), size: content.byteLength, data };
}

/** The uncompressed content of an entry (inflated when it is deflated). */
export function inflatedData(entry: ZipEntryData): Uint8Array {
  return entry.method === 8 ? zlib.inflateRawSync(entry.data) : entry.data;
}

// The largest values the 16- and 32-bit fields may carry. The all-ones values are left out on
// purpose: 0xFFFF and 0xFFFFFFFF tell a reader to look for ZIP64 records, which we never write.
const MAX_U16 = 0xfffe;
const MAX_U32 = 0xfffffffe;

function checkField(value: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`zip: ${what} is not a non-negative integer: ${value}`);
  if (value > max) throw new RangeError(`zip: ${what} (${value}) exceeds ${max}, and this writer does not write ZIP64`);
  return value;
}

/**
 * The UTC components of `date`, clamped to what DOS date/time can express (1980–2107), so a
 * book's entries carry the same time in any time zone.
 */
export function zipTimeUtc(date: Date): ZipTime {
  const year = date.getUTCFullYear();
  if (Number.isNaN(year)) throw new RangeError('zip: invalid date');
  if (year < 1980) return { year: 1980, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0 };
  if (year > 2107) return { year: 2107, month: 12, day: 31, hours: 23, minutes: 59, seconds: 58 };
  return {
    year,
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hours: date.getUTCHours(),
    minutes: date.getUTCMinutes(),
    seconds: date.getUTCSeconds(),
  };
}

/** The two 16-bit MS-DOS fields: date = year-1980 (7 bits), month, day; time = hours, minutes, seconds/2. */
export function dosDateTime(t: ZipTime): { date: number; time: number } {
  const within = (v: number, lo: number, hi: number, what: string): number => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`zip: ${what} ${v} is outside ${lo}–${hi}`);
    return v;
  };
  const year = within(t.year, 1980, 2107, 'year');
  const month = within(t.month, 1, 12, 'month');
  const day = within(t.day, 1, 31, 'day');
  const hours = within(t.hours, 0, 23, 'hours');
  const minutes = within(t.minutes, 0, 59, 'minutes');
  const seconds = within(t.seconds, 0, 59, 'seconds');
  return { date: ((year - 1980) << 9) | (month << 5) | day, time: (hours << 11) | (minutes << 5) | (seconds >> 1) };
}

const LOCAL_HEADER = 30;
const CENTRAL_HEADER = 46;
const END_RECORD = 22;
/** "Version needed to extract": 1.0 for stored entries, 2.0 for deflate (APPNOTE 4.4.3.2). */
const VERSION_STORED = 10;
const VERSION_DEFLATE = 20;
/** "Version made by": host 0 (MS-DOS, so external attributes mean nothing), spec 2.0. */
const VERSION_MADE_BY = 20;
/** General purpose bit 11: name and comment are UTF-8 (APPNOTE appendix D). */
const FLAG_UTF8 = 1 << 11;

/** About how many bytes each piece {@link zipPieces} hands out holds. */
const PIECE_BYTES = 1024 * 1024;

/**
 * Lays out `entries` (in the order given) as a ZIP archive, every entry stamped with `time`.
 *
 * Throws a RangeError when the archive would need ZIP64 (more than 65,534 entries, or a size or
 * offset of 4 GiB or more), when an entry is inconsistent (a stored entry whose size is not its
 * data's length) or when two entries share a name.
 */
export function zipArchive(entries: readonly ZipEntryData[], time: ZipTime): Uint8Array {
  return joinPieces(zipPieces(entries, time));
}

/** The pieces of an archive ({@link zipPieces}) as one array of bytes. */
export function joinPieces(pieces: Iterable<Uint8Array>): Uint8Array {
  const all = [...pieces];
  const out = new Uint8Array(all.reduce((sum, p) => sum + p.byteLength, 0));
  let at = 0;
  for (const piece of all) {
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out;
}

/**
 * {@link zipArchive}'s bytes in pieces of about 1 MiB, for a writer to write one after another:
 * the archive is never held whole beside its entries (two books of 10,000 chapters are 70 MB).
 * Checked at once, as `zipArchive` is; the pieces are made as they are asked for, as often as asked.
 */
export function zipPieces(entries: readonly ZipEntryData[], time: ZipTime): Iterable<Uint8Array> {
  checkField(entries.length, MAX_U16, 'number of entries');
  const { date, time: clock } = dosDateTime(time);
  const utf8 = new TextEncoder();
  const seen = new Set<string>();
  // Per entry: the encoded name, its general purpose flags and where its header starts.
  const names: Uint8Array[] = [];
  const flags: number[] = [];
  const offsets: number[] = [];
  let localBytes = 0;
  let centralBytes = 0;
  for (const e of entries) {
    if (seen.has(e.name)) throw new RangeError(`zip: duplicate entry name ${JSON.stringify(e.name)}`);
    seen.add(e.name);
    if (e.method !== 0 && e.method !== 8) throw new RangeError(`zip: ${e.name}: unknown method ${String(e.method)}`);
    checkField(e.crc, 0xffffffff, `${e.name}: CRC-32`);
    checkField(e.size, MAX_U32, `${e.name}: size`);
    checkField(e.data.byteLength, MAX_U32, `${e.name}: compressed size`);
    if (e.method === 0 && e.data.byteLength !== e.size)
      throw new RangeError(`zip: ${e.name}: stored data is ${e.data.byteLength} bytes, size says ${e.size}`);
    const name = utf8.encode(e.name);
    if (name.byteLength > 0xffff)
      throw new RangeError(`zip: name length ${name.byteLength} exceeds the 16-bit field: ${e.name.slice(0, 40)}…`);
    names.push(name);
    flags.push(/^[\x00-\x7f]*$/.test(e.name) ? 0 : FLAG_UTF8);
    // The header of this entry starts here; every offset must fit its 32-bit field.
    offsets.push(checkField(localBytes, MAX_U32, `${e.name}: offset`));
    localBytes += LOCAL_HEADER + name.byteLength + e.data.byteLength;
    centralBytes += CENTRAL_HEADER + name.byteLength;
  }
  checkField(localBytes, MAX_U32, 'central directory offset');
  checkField(centralBytes, MAX_U32, 'central directory size');

  /** Each entry's local header and data, then the central directory and its end record. */
  function* chunks(): Generator<Uint8Array> {
    for (const [i, e] of entries.entries()) {
      const name = names[i] as Uint8Array;
      const header = new Uint8Array(LOCAL_HEADER + name.byteLength);
      const view = new DataView(header.buffer);
      view.setUint32(0, 0x04034b50, true); // local file header signature
      writeSharedFields(view, 4, e, flags[i] as number, clock, date, name.byteLength);
      view.setUint16(28, 0, true); // extra field length
      header.set(name, LOCAL_HEADER);
      yield header;
      yield e.data;
    }
    const central = new Uint8Array(centralBytes + END_RECORD);
    const view = new DataView(central.buffer);
    let o = 0;
    for (const [i, e] of entries.entries()) {
      const name = names[i] as Uint8Array;
      view.setUint32(o, 0x02014b50, true); // central directory header signature
      view.setUint16(o + 4, VERSION_MADE_BY, true);
      writeSharedFields(view, o + 6, e, flags[i] as number, clock, date, name.byteLength);
      // Extra field length, comment length, disk number start, internal and external attributes:
      // all zero (the buffer starts zeroed; written out so the layout reads like the spec).
      view.setUint16(o + 30, 0, true);
      view.setUint16(o + 32, 0, true);
      view.setUint16(o + 34, 0, true);
      view.setUint16(o + 36, 0, true);
      view.setUint32(o + 38, 0, true);
      view.setUint32(o + 42, offsets[i] as number, true);
      central.set(name, o + CENTRAL_HEADER);
      o += CENTRAL_HEADER + name.byteLength;
    }
    view.setUint32(o, 0x06054b50, true); // end of central directory signature
    view.setUint16(o + 4, 0, true); // number of this disk
    view.setUint16(o + 6, 0, true); // disk where the central directory starts
    view.setUint16(o + 8, entries.length, true); // entries on this disk
    view.setUint16(o + 10, entries.length, true); // entries in total
    view.setUint32(o + 12, centralBytes, true); // size of the central directory
    view.setUint32(o + 16, localBytes, true); // offset of the central directory
    view.setUint16(o + 20, 0, true); // comment length
    yield central;
  }

  return {
    // The chunks gathered into pieces: one write each, not two per entry.
    *[Symbol.iterator](): Generator<Uint8Array> {
      let gathered: Uint8Array[] = [];
      let size = 0;
      for (const chunk of chunks()) {
        gathered.push(chunk);
        size += chunk.byteLength;
        if (size < PIECE_BYTES) continue;
        yield Buffer.concat(gathered, size);
        gathered = [];
        size = 0;
      }
      if (size > 0) yield Buffer.concat(gathered, size);
    },
  };
}

/**
 * The fields a local file header (from its offset 4) and a central directory header (from its
 * offset 6) share, in the same order: version needed, flags, method, time, date, CRC-32,
 * compressed and uncompressed size, file name length.
 */
function writeSharedFields(
  view: DataView,
  at: number,
  e: ZipEntryData,
  flag: number,
  clock: number,
  date: number,
  nameLength: number,
): void {
  view.setUint16(at, e.method === 8 ? VERSION_DEFLATE : VERSION_STORED, true);
  view.setUint16(at + 2, flag, true);
  view.setUint16(at + 4, e.method, true);
  view.setUint16(at + 6, clock, true);
  view.setUint16(at + 8, date, true);
  view.setUint32(at + 10, e.crc, true);
  view.setUint32(at + 14, e.data.byteLength, true);
  view.setUint32(at + 18, e.size, true);
  view.setUint16(at + 22, nameLength, true);
}
