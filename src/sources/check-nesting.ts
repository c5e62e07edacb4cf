/**
 * Refuses Markdown nested too deep to read safely, before it is parsed: a linear scan of line
 * prefixes (quotes, list markers, indentation) and of emphasis and bracket runs. Why a scan and not
 * a catch of RangeError around the parser: where the stack runs out depends on the stack size and
 * on which of several recursive libraries meets the tree first (micromark's GFM transforms,
 * unist-util-visit-parents, mdast-util-to-markdown, our writers), and long before it runs out
 * micromark's emphasis resolution takes minutes on thousands of open delimiters. The scan costs
 * one pass over the text, and it names the line.
 */
import { VOID_ELEMENTS } from '../text/html-parts.js';

/** Most containers (block quotes, list items) one line may sit in. */
export const MAX_CONTAINER_DEPTH = 100;
/** Most emphasis/strong delimiters, link/image brackets, or inline HTML tags open at once in a paragraph. */
export const MAX_INLINE_DEPTH = 100;

/** A line nested too deep, and the limit it breaks; `undefined` when the text is within both limits. */
export interface NestingProblem {
  line: number;
  limit: number;
  what: 'containers' | 'inline';
}

/** A line made of one thematic-break character and spaces (`* * * *`, `- - -`): not list markers. */
const THEMATIC_BREAK = /^(?:([-*_])[ \t]*){3,}$/;
const HEADING = /^#{1,6}(?:[ \t]|$)/;
const LIST_MARKER = /^(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/;
const WHITESPACE = /\s/;
const PUNCTUATION = /[\p{P}\p{S}]/u;
/** An HTML tag at the start of a text: a closing one (`</i>`), or an opening one and whether it closes itself (`<br/>`). */
const TAG = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*?)?(\/?)>/;

/**
 * The first line of a Markdown text nested deeper than the limits. Deliberately an upper bound of
 * the real depth (so nothing deeper than the limit reaches the parser): each `>` counts as a level,
 * each list marker as one (the spaces after either belong to the marker), and every two further
 * columns of indentation in the prefix as one more (a nested list needs at least two); within a
 * paragraph every `*`, `_` or `~` of a run that can open emphasis counts until a run of the same
 * character that can close it, every `[` until a `]`, and every HTML tag that opens an element
 * until an end tag. A text within the limits may be less
 * deep than counted: that only matters for lines indented by more than 200 columns or paragraphs
 * with more than 100 unclosed openers, which prose never has. (A catch of RangeError in
 * `segment()` remains as a last net, for a shape this count misses.)
 */
export function checkNesting(text: string, maxContainers = MAX_CONTAINER_DEPTH, maxInline = MAX_INLINE_DEPTH): NestingProblem | undefined {
  /** Delimiters open per character (`*`, `_`, `~`): a closer closes only its own kind. */
  const open = new Map<string, number>();
  let brackets = 0;
  /** Inline HTML elements open (`<i>` without its `</i>` yet): the HTML parser nests one in another. */
  let tags = 0;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end);
    start = end + 1;
    // Container prefix: `>` markers, list markers, and indentation, in any order.
    let depth = 0;
    let columns = 0;
    let items = 0;
    let i = 0;
    while (i < line.length) {
      const c = line[i];
      if (c === ' ') {
        columns += 1;
        i++;
      } else if (c === '\t') {
        columns += 4;
        i++;
      } else if (c === '>') {
        depth++;
        i++;
        // One space after `>` belongs to the marker.
        if (line[i] === ' ' || line[i] === '\t') i++;
      } else if (c === '\r') {
        i++;
      } else {
        const rest = line.slice(i, i + 12);
        const marker = LIST_MARKER.exec(rest);
        if (!marker || THEMATIC_BREAK.test(line.slice(i).trimEnd())) break;
        depth++;
        // Only a bullet or a list starting at 1 can interrupt a paragraph (and so start a new one).
        if (/^(?:[-+*]|0*1[.)])$/.test(marker[0])) items++;
        i += marker[0].length;
        // Up to four spaces after a list marker belong to it (the item's content starts there).
        for (let n = 0; n < 4 && line[i] === ' '; n++) i++;
      }
      if (depth + Math.ceil(columns / 2) > maxContainers) return { line: lineNo, limit: maxContainers, what: 'containers' };
    }
    const content = line.slice(i);
    // A blank line ends the paragraph, and a list item or heading starts a new one: what the
    // paragraph before left open is literal text.
    const blank = content.trim() === '';
    if ((blank && items === 0) || (!blank && (items > 0 || HEADING.test(content)))) {
      open.clear();
      brackets = 0;
      tags = 0;
    }
    if (blank) continue;
    if (THEMATIC_BREAK.test(content.trimEnd())) continue;
    for (let k = 0; k < content.length; k++) {
      const c = content[k] as string;
      if (c === '\\') {
        k++;
        continue;
      }
      if (c === '[') {
        if (++brackets > maxInline) return { line: lineNo, limit: maxInline, what: 'inline' };
        continue;
      }
      if (c === ']') {
        if (brackets > 0) brackets--;
        continue;
      }
      if (c === '<') {
        const tag = TAG.exec(content.slice(k, k + 500));
        if (!tag) continue;
        k += tag[0].length - 1;
        if (tag[1] === '/') tags = Math.max(0, tags - 1);
        else if (tag[3] !== '/' && !VOID_ELEMENTS.has((tag[2] as string).toLowerCase()) && ++tags > maxInline)
          return { line: lineNo, limit: maxInline, what: 'inline' };
        continue;
      }
      if (c !== '*' && c !== '_' && c !== '~') continue;
      let run = k;
      while (run < content.length && content[run] === c) run++;
      const length = run - k;
      const before = k === 0 ? ' ' : (content[k - 1] as string);
      const after = run >= content.length ? ' ' : (content[run] as string);
      k = run - 1;
      const afterSpace = WHITESPACE.test(after);
      const beforeSpace = WHITESPACE.test(before);
      const opens = !afterSpace && (!PUNCTUATION.test(after) || beforeSpace || PUNCTUATION.test(before));
      const closes = !beforeSpace && (!PUNCTUATION.test(before) || afterSpace || PUNCTUATION.test(after));
      const openBefore = open.get(c) ?? 0;
      if (closes && openBefore > 0) open.set(c, Math.max(0, openBefore - length));
      else if (opens) {
        open.set(c, openBefore + length);
        if ((open.get('*') ?? 0) + (open.get('_') ?? 0) + (open.get('~') ?? 0) > maxInline)
          return { line: lineNo, limit: maxInline, what: 'inline' };
      }
    }
  }
  return undefined;
}
