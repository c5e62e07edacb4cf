// Decodes a file handed to an import (`glossary import`, `memory import`): UTF-8 (with or without a
// byte-order mark), UTF-16 as Trados and Excel's "Unicode text" write it, or the encoding an XML file declares.
import { decodeStrictUtf8 } from './strict-utf8.js';
import { InputError } from '../util/errors.js';

/**
 * The text of an import file. UTF-16 is recognised by its byte-order mark, or, in an XML file
 * without one, by its declaration's bytes (`<?` in UTF-16); an XML declaration's other encodings
 * (`ISO-8859-1`, `windows-1252` …) are honoured; anything else must be valid UTF-8, else an
 * InputError names the file and the line of the first bad byte.
 */
export function decodeImportText(bytes: Uint8Array, file: string): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0x3c && bytes[1] === 0 && bytes[2] === 0x3f && bytes[3] === 0) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0 && bytes[1] === 0x3c && bytes[2] === 0 && bytes[3] === 0x3f) return new TextDecoder('utf-16be').decode(bytes);
  const declared = declaredEncoding(bytes);
  if (declared && !/^utf-?(8|16)$/i.test(declared)) return decodeDeclared(bytes, declared, file);
  const text = decodeStrictUtf8(bytes);
  if (typeof text === 'string') return text;
  throw new InputError(
    `${file}:${text.line}: not valid UTF-8 (byte 0x${text.byte.toString(16)} at offset ${text.offset})`,
    `save the file as UTF-8 (or UTF-16 with a byte-order mark), e.g. ${text.convert}`,
  );
}

/** The encoding an XML declaration at the start of the bytes names (`<?xml version="1.0" encoding="…"?>`), if any. */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(bytes[0] === 0xef ? 3 : 0, 200));
  return /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/.exec(head)?.[1];
}

function decodeDeclared(bytes: Uint8Array, encoding: string, file: string): string {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new InputError(
      `${file}:1: declares the encoding "${encoding}", which diglot cannot read`,
      `save the file as UTF-8, e.g. iconv -f ${encoding} -t utf-8, and change its declaration to encoding="UTF-8"`,
    );
  }
  try {
    const text = decoder.decode(bytes);
    return decoder.encoding === 'windows-1252' ? text.replace(/[\u0080-\u009f]/g, windows1252) : text;
  } catch {
    throw new InputError(
      `${file}: not valid ${encoding}, the encoding its XML declaration names`,
      'save the file as UTF-8 and change its declaration to encoding="UTF-8"',
    );
  }
}

/**
 * Bytes 0x80–0x9F as windows-1252 reads them (`–`, `“`, `€` …): Node 20's TextDecoder gives the C1
 * control characters of ISO-8859-1 for them, though the labels `windows-1252`, `latin1` and
 * `ISO-8859-1` all mean windows-1252 on the web. Undefined bytes stay as they are.
 */
const WINDOWS_1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function windows1252(c: string): string {
  return WINDOWS_1252[c.charCodeAt(0) - 0x80] ?? c;
}
