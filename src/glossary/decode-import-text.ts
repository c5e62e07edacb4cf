// Decodes a termbase or term list handed to `glossary import`: UTF-8 (with or without a byte-order
// mark) or UTF-16 with its mark, as Trados MultiTerm and Excel's "Unicode text" write them.
import { InputError } from '../util/errors.js';

/**
 * The text of an import file. A UTF-16 byte-order mark selects UTF-16 (little or big endian);
 * anything else must be valid UTF-8, else an InputError names the file and the line of the first
 * bad byte.
 */
export function decodeImportText(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < bad; i++) if (bytes[i] === 0x0a) line++;
    throw new InputError(
      `${file}:${line}: not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16)} at offset ${bad})`,
      'save the file as UTF-8 (or UTF-16 with a byte-order mark), e.g. iconv -f latin1 -t utf-8',
    );
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}
