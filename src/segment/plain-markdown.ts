import type { Heading, Paragraph, Root, Text } from 'mdast';

/**
 * What CommonMark + GFM could read as syntax anywhere in a line: escapes, code, emphasis,
 * strikethrough, links, images, footnotes, HTML, autolinks, entities, table pipes; control
 * characters (tabs, carriage returns, NUL) too, whose handling differs from plain text.
 */
const INLINE_SYNTAX = /[\\`*_~[\]<>&|@\u0000-\u0009\u000b-\u001f\u007f]|[Ww]{3}\.|:\/\//;
/** What starts a block other than a paragraph: headings, quotes, lists, breaks, fences, front matter. */
const BLOCK_START = /^(?:[#>+\-=]|\d{1,9}[.)])/;
/** An ATX heading whose text is plain: one space after the marks, no closing marks. */
const HEADING = /^(#{1,6}) ([^#]*)$/;

type Point = { line: number; column: number; offset: number };

/**
 * The tree remark gives for a text with no Markdown syntax beyond one-line paragraphs and
 * one-line `#` headings, separated by blank lines (as most articles of prose are), built without
 * the parser; `undefined` when the text has anything else that might be syntax, and then only the
 * parser can tell. Parsing is the slowest step of a build: micromark reads about 1.5 MB/s and sets
 * itself up anew for every call (about 0.6 ms), and every article and each of its paragraphs is
 * parsed once; without this short cut, segmenting plain prose takes about ten times as long.
 * `test/plain-markdown.test.ts` checks it against the parser.
 */
export function plainMarkdown(text: string): Root | undefined {
  if (text === '') return undefined;
  const lines = text.split('\n');
  const children: Array<Paragraph | Heading> = [];
  let offset = 0;
  let previousEmpty = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const start: Point = { line: i + 1, column: 1, offset };
    offset += line.length + 1;
    if (line === '') {
      previousEmpty = true;
      continue;
    }
    // Two lines in a row could be one paragraph, a setext heading, a table…: leave those to the parser.
    if (!previousEmpty) return undefined;
    previousEmpty = false;
    const end: Point = { line: i + 1, column: line.length + 1, offset: start.offset + line.length };
    const heading = HEADING.exec(line);
    if (heading) {
      const marks = heading[1]!.length;
      const content = heading[2]!;
      if (!isPlain(content)) return undefined;
      const at: Point = { line: i + 1, column: marks + 2, offset: start.offset + marks + 1 };
      children.push({
        type: 'heading',
        depth: marks as Heading['depth'],
        children: [textNode(content, at, end)],
        position: { start, end },
      });
      continue;
    }
    if (BLOCK_START.test(line) || !isPlain(line)) return undefined;
    children.push({ type: 'paragraph', children: [textNode(line, start, end)], position: { start: { ...start }, end: { ...end } } });
  }
  if (children.length === 0) return undefined;
  const last = lines[lines.length - 1]!;
  return {
    type: 'root',
    children,
    position: { start: { line: 1, column: 1, offset: 0 }, end: { line: lines.length, column: last.length + 1, offset: text.length } },
  };
}

function isPlain(content: string): boolean {
  return content !== '' && content.trim() === content && !INLINE_SYNTAX.test(content) && !BLOCK_START.test(content);
}

function textNode(value: string, start: Point, end: Point): Text {
  return { type: 'text', value, position: { start: { ...start }, end: { ...end } } };
}
