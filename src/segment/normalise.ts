/** Anything `normalise` would change once the text is NFC: soft hyphens, white space other than single inner spaces. */
const NOT_NORMAL = /[\u00AD\t\n\v\f\r\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF]| {2}|^ | $/;

/**
 * The memory key of a German text: Unicode NFC, soft hyphens removed, every run of white space
 * (including line breaks and no-break spaces) folded to one space, trimmed. Two paragraphs that
 * differ only in these ways are the same segment and are translated and billed once.
 */
export function normalise(text: string): string {
  const nfc = text.normalize('NFC');
  // Most texts are normal already (and keys are normalised again on every lookup): checking is
  // cheaper than rebuilding the string.
  if (!NOT_NORMAL.test(nfc)) return nfc;
  return nfc
    .replace(/\u00AD/g, '')
    .replace(/[\s\u00A0\u2007\u202F]+/gu, ' ')
    .trim();
}
