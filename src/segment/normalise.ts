/**
 * The memory key of a German text: Unicode NFC, soft hyphens removed, every run of white space
 * (including line breaks and no-break spaces) folded to one space, trimmed. Two paragraphs that
 * differ only in these ways are the same segment and are translated and billed once.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\u00AD/g, '')
    .replace(/[\s\u00A0\u2007\u202F]+/gu, ' ')
    .trim();
}
