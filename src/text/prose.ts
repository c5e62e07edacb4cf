// What of a segment's inline Markdown a reader reads as prose: not its code spans, not a web
// address written as itself (<https://…>, www.…). Nothing in those is translated or held to the glossary.
import type { Nodes, PhrasingContent } from 'mdast';
import { plainText } from '../segment/parse-markdown.js';

/** A code span, or an autolink: a link whose text is its address (<https://…>, www.…, an e-mail address). */
export function isUnprose(node: Nodes): boolean {
  if (node.type === 'inlineCode') return true;
  if (node.type !== 'link' || node.children.length !== 1 || node.children[0]?.type !== 'text') return false;
  const bare = (address: string): string => address.replace(/^(?:https?:\/\/|mailto:)/i, '');
  return bare(node.children[0].value) === bare(node.url);
}

/** The words of inline Markdown a reader reads as text: what {@link isUnprose} and raw HTML hold left out. */
export function proseText(node: Nodes): string {
  if (node.type === 'html' || isUnprose(node)) return ' ';
  if (node.type === 'text') return node.value;
  if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? '';
  return 'children' in node ? (node.children as Nodes[]).map(proseText).join('') : ' ';
}

/**
 * The text a segment's glossary terms are looked for in (composed, without soft hyphens, as it is
 * sent to DeepL): its `plain` text with the characters of
 * its code spans and bare addresses (but white space) blanked to "·", so that offsets still point
 * into it; `plain` itself when the two do not line up (a text parsed otherwise in its article).
 */
export function termText(segment: { plain: string; phrasing?: PhrasingContent[] }): string {
  const plain = asRead(segment.plain);
  if (!segment.phrasing?.some(holdsUnprose)) return plain;
  const blanked = asRead(plainText({ type: 'paragraph', children: segment.phrasing }, isUnprose).replace(/\s+/g, ' ').trim());
  return blanked.length === plain.length ? blanked : plain;
}

/** A text as a reader reads it, and as it goes to DeepL: composed (NFC), without soft hyphens ("Ost\u00ADflanke" is "Ostflanke"). */
export function asRead(text: string): string {
  return text.normalize('NFC').replace(/\u00AD/g, '');
}

/**
 * {@link asRead}, with where each of its offsets lies in `text` (`from`, one longer than the text read:
 * its end is `text`'s), so that what is found in the text as read can be marked in the text as written.
 * Composed a letter and its marks at a time, as NFC composes them.
 */
export function asReadAt(text: string): { read: string; from: number[] } {
  let read = '';
  const from: number[] = [];
  for (const m of text.matchAll(/\P{M}\p{M}*|\p{M}+/gu)) {
    if (m[0] === '\u00AD') continue;
    const composed = m[0].normalize('NFC');
    read += composed;
    for (let k = 0; k < composed.length; k++) from.push(m.index);
  }
  from.push(text.length);
  return { read, from };
}

function holdsUnprose(node: Nodes): boolean {
  return isUnprose(node) || ('children' in node && (node.children as Nodes[]).some(holdsUnprose));
}
