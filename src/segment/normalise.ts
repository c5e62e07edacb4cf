/**
 * Invisible characters that are only noise in a German text: zero-width space, zero-width
 * non-joiner, word joiner, U+FEFF (a byte order mark inside the text), the marks and controls of
 * writing direction (left-to-right, right-to-left and Arabic letter marks, embeddings, overrides and isolates),
 * and a zero-width joiner except where it joins two pictographs into one emoji (👩‍💻: kept there,
 * the emoji stays whole).
 */
const INVISIBLE =
  /[\u061C\u200B\u200C\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]|\u200D(?!\p{Extended_Pictographic})|(?<!\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]?)\u200D/gu;

/**
 * Anything `normalise` would change once the text is NFC: soft hyphens, invisible characters, white
 * space other than single inner spaces.
 */
const NOT_NORMAL = /[\u00AD\u061C\t\n\v\f\r\u0085\u00A0\u1680\u2000-\u200F\u2028-\u202F\u205F\u2060\u2066-\u2069\u3000\uFEFF]| {2}|^ | $/;

/** The text without the invisible characters of {@link INVISIBLE}. */
export function removeInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * The memory key of a German text: Unicode NFC, soft hyphens and invisible characters (zero-width
 * space, non-joiner and joiner, word joiner, U+FEFF) removed, every run of white space (including
 * line breaks and no-break spaces) folded to one space, trimmed. Two paragraphs that differ only
 * in these ways are the same segment and are translated and billed once. A text without any of
 * them is its own key, so entries stored before invisible characters were removed are still found.
 */
export function normalise(text: string): string {
  const nfc = text.normalize('NFC');
  // Most texts are normal already (and keys are normalised again on every lookup): checking is
  // cheaper than rebuilding the string.
  if (!NOT_NORMAL.test(nfc)) return nfc;
  return (
    removeInvisible(nfc)
      .replace(/\u00AD/g, '')
      .replace(/[\s\u00A0\u2007\u202F]+/gu, ' ')
      .trim()
      // What was removed may have stood between a letter and its accent (A\u200B\u0308): NFC again.
      .normalize('NFC')
  );
}
