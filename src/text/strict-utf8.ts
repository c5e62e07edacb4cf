// Decodes text that must be UTF-8 (the sources, the files `glossary import` reads) and, when it is
// not, says where the first bad byte is and which conversion to UTF-8 fits the file.

/** Why bytes are not UTF-8: the first bad byte, where it is, and a command that converts the file. */
export interface NotUtf8 {
  byte: number;
  offset: number;
  /** 1-based line of the bad byte. */
  line: number;
  /** `iconv` from Windows-1252 when the file has its typographic quotes or dashes (bytes 0x80–0x9f), else from Latin-1. */
  convert: string;
}

/** The text of UTF-8 bytes (a byte-order mark dropped), or why they are not UTF-8. */
export function decodeStrictUtf8(bytes: Uint8Array): string | NotUtf8 {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalid(bytes);
    const line = lineOfByte(bytes, offset);
    const windows = bytes.some((b) => b >= 0x80 && b <= 0x9f);
    return { byte: bytes[offset] ?? 0, offset, line, convert: `iconv -f ${windows ? 'windows-1252' : 'latin1'} -t utf-8` };
  }
}

/** How a UTF-16 file begins: a byte-order mark (either order), or an ASCII character and a zero byte (either order). */
const UTF16_START = /^(?:\xFF\xFE|\xFE\xFF|[\x01-\x7F]\x00[\x01-\x7F]\x00|\x00[\x01-\x7F]\x00[\x01-\x7F])/;

/**
 * The text of a file diglot reads as UTF-8 (a source, the glossary), or where and why it is not: UTF-16,
 * binary, or another encoding (Excel's CSV and Notepad's ANSI on Windows are Windows-1252). A UTF-8
 * byte-order mark stays at the text's start (U+FEFF) when `keepMark` is set, for a rewrite to keep it.
 */
export function utf8Text(bytes: Uint8Array, keepMark = false): string | { line: number; message: string } {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4));
  if (/^(?:\xFF\xFE\x00\x00|\x00\x00\xFE\xFF)/.test(head))
    return { line: 1, message: 'is UTF-32 text; diglot reads UTF-8: convert it, e.g. iconv -f utf-32 -t utf-8' };
  // UTF-16 (Windows Notepad's and Excel's "Unicode"): a byte-order mark, or a zero byte beside each letter of the first.
  if (UTF16_START.test(head)) return { line: 1, message: 'is UTF-16 text; diglot reads UTF-8: convert it, e.g. iconv -f utf-16 -t utf-8' };
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return { line: lineOfByte(bytes, nul), message: 'looks like a binary file (it contains NUL bytes); diglot reads UTF-8 text' };
  }
  const text = decodeStrictUtf8(bytes);
  if (typeof text === 'string') return keepMark && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? `\uFEFF${text}` : text;
  return {
    line: text.line,
    message: `is not valid UTF-8 (byte 0x${text.byte.toString(16)} at offset ${text.offset}); convert it to UTF-8, e.g. ${text.convert}`,
  };
}

/** The 1-based line of the byte at `offset`: lines end at LF, CRLF or a lone CR (old Mac files), as the sources are read. */
export function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  return line;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalid(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] ?? 0;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    // Overlong forms and surrogates pass the byte pattern: the decoder tells.
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return Math.max(0, bytes.length - 1);
}
