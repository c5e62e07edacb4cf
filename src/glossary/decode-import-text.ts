// Decodes a termbase or term list handed to `glossary import`: UTF-8 (with or without a byte-order
// mark) or UTF-16 with its mark, as Trados MultiTerm and Excel's "Unicode text" write them.
import { decodeStrictUtf8 } from '../text/strict-utf8.js';
import { InputError } from '../util/errors.js';

/**
 * The text of an import file. A UTF-16 byte-order mark selects UTF-16 (little or big endian);
 * anything else must be valid UTF-8, else an InputError names the file and the line of the first
 * bad byte.
 */
export function decodeImportText(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const text = decodeStrictUtf8(bytes);
  if (typeof text === 'string') return text;
  throw new InputError(
    `${file}:${text.line}: not valid UTF-8 (byte 0x${text.byte.toString(16)} at offset ${text.offset})`,
    `save the file as UTF-8 (or UTF-16 with a byte-order mark), e.g. ${text.convert}`,
  );
}
