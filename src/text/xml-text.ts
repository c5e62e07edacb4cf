import { removeInvisible } from '../segment/normalise.js';

/**
 * Text as sent to DeepL with `tag_handling=xml`: XML special characters escaped, the soft line
 * breaks of a multi-line paragraph turned into spaces (DeepL would otherwise treat them as
 * paragraph boundaries), invisible characters (zero-width space, joiner, non-joiner, word
 * joiner, U+FEFF; see `normalise`) and soft hyphens left out, so they do not come back in the
 * English, and composed (NFC) as the memory's key is: DeepL bills every character sent, and its
 * glossary matches "Ostflanke" in neither "Ost\u00ADflanke" nor a decomposed "Übung".
 */
export function toXmlText(source: string): string {
  return removeInvisible(source.normalize('NFC'))
    .replace(/\u00AD/g, '')
    .replace(/[ \t]*\r?\n[ \t]*/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** The inverse of `toXmlText` for text that came back from DeepL. */
export function fromXmlText(xml: string): string {
  return xml
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}
