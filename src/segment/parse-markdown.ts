import type { Nodes, PhrasingContent, Root, TableCell, Text } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Segment } from '../model.js';
import { plainMarkdown } from './plain-markdown.js';

/** The parser's configuration, frozen: set up once, not changed by parsing. */
const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml', 'toml']).use(remarkGfm).freeze();

/**
 * Parses CommonMark + GFM (tables, footnotes, strikethrough) with YAML (`---`) or TOML (`+++`, as
 * Hugo writes it) front matter. Each text is
 * parsed once: an article when it is segmented, each Markdown segment's source there too (its
 * `phrasing`), and English when it comes back from DeepL, the memory or a reviewer.
 */
export function parseMarkdown(text: string): Root {
  return plainMarkdown(text) ?? parser.parse(text);
}

/**
 * The text of a node without markup: text, inline code and image alt text, in order. A loop over
 * an explicit stack, not recursion: a tree is as deep as its source nests (the sources' nesting
 * check keeps that under 100 levels, but a walk should not be what decides how deep is too deep).
 */
export function plainText(
  node: Nodes,
  /** Nodes whose text comes out blanked: each character but white space as "·" (see `termText`). */
  blank?: (node: Nodes) => boolean,
): string {
  const out: string[] = [];
  const stack: Nodes[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as Nodes;
    if (blank?.(current)) out.push(plainText(current).replace(/\S/gu, '·'));
    else if ('value' in current && typeof current.value === 'string') {
      // An HTML line break parts words as a Markdown one does ("steht<br>in" reads "steht in").
      if (current.type === 'html') {
        if (/^<br\s*\/?>$/i.test(current.value.trim())) out.push('\n');
      } else if (current.type !== 'yaml' && (current.type as string) !== 'toml') out.push(current.value);
    } else if (current.type === 'image' || current.type === 'imageReference') out.push(current.alt ?? '');
    else if (current.type === 'break') out.push('\n');
    else if ('children' in current) {
      const children = current.children as Nodes[];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Nodes);
    }
  }
  return out.join('');
}

/**
 * Parses a segment's inline Markdown on its own, as it parses inside its article: the article's
 * reference and footnote labels are defined after it, so `[^1]` stays a footnote reference.
 * Returns the phrasing content, or `undefined` when the text is not one run of inline content.
 * A table cell's text (`cell`) reads as it does in its table: `\|` in a code span is a pipe there.
 */
export function parseInline(source: string, references = '', cell = false): PhrasingContent[] | undefined {
  // micromark drops a byte order mark that starts its input (and counts its offsets without it), where in
  // the article it is a character of the text (`- \uFEFF# Punkt` is a paragraph): read as a zero-width
  // space, of the same length, and given back after.
  if (source.startsWith('\uFEFF')) {
    const parsed = parseInline(`\u200B${source.slice(1)}`, references, cell);
    const first = parsed && firstText(parsed);
    if (first?.value.startsWith('\u200B')) first.value = `\uFEFF${first.value.slice(1)}`;
    return parsed;
  }
  const tree = parseMarkdown(references ? `${source}\n\n${references}` : source);
  const blocks = tree.children.filter((node) => node.type !== 'definition' && node.type !== 'footnoteDefinition');
  const first = blocks[0];
  // A cell's text is inline wherever it starts: in its row, `# 1` is no heading.
  const inline = blocks.length === 1 && (first?.type === 'paragraph' || (!cell && first?.type === 'heading'));
  if (!inline || !first) return cell ? cellContent(source, references) : undefined;
  if (cell && source.includes('\\|')) unescapeCellPipes(first.children);
  return first.type === 'heading' ? withHeadingMarks(source, first.children) : first.children;
}

/** The first text node of inline content, depth first. */
function firstText(nodes: readonly PhrasingContent[]): Text | undefined {
  const [first] = nodes;
  if (first?.type === 'text') return first;
  return first && 'children' in first ? firstText(first.children as PhrasingContent[]) : undefined;
}

/**
 * A text that parses as a heading on its own (an English "# Not a heading" in a paragraph's place):
 * its content with the marks around it (`# `, a closing ` #`, a setext underline) as text, as the
 * English Markdown writes them (escaped), so that a book shows what the text says.
 */
function withHeadingMarks(source: string, children: PhrasingContent[]): PhrasingContent[] {
  const start = children[0]?.position?.start.offset ?? source.length;
  const end = children[children.length - 1]?.position?.end.offset ?? source.length;
  const mark = (from: number, to: number): PhrasingContent[] =>
    to > from
      ? [{ type: 'text', value: source.slice(from, to), position: { start: pointAt(source, from), end: pointAt(source, to) } }]
      : [];
  return [...mark(0, Math.min(start, end)), ...children, ...mark(Math.max(start, end), source.length)];
}

/** The line, column and offset of an offset of a text. */
function pointAt(text: string, offset: number): { line: number; column: number; offset: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1, offset };
}

/**
 * A table cell's text that would read as a block of its own outside its table (`<img …>`, `- 5 %`,
 * `# 1`), parsed where it stands: in a row, where all is inline. Positions are the text's own.
 */
function cellContent(source: string, references: string): PhrasingContent[] | undefined {
  // A line break, or a pipe not escaped, would end the cell: such a text is no cell's content.
  if (/\n|(?:^|[^\\])\|/.test(source)) return undefined;
  const row = '| ';
  const table = parseMarkdown(`${row}${source} |\n| --- |${references ? `\n\n${references}` : ''}`).children[0];
  const cells = table?.type === 'table' ? table.children[0]?.children : undefined;
  if (cells?.length !== 1) return undefined;
  const children = (cells[0] as TableCell).children;
  shiftPositions(children, row.length);
  return children;
}

/** Moves the positions of freshly parsed nodes (and their children) back by `by` characters of their first line. */
function shiftPositions(nodes: readonly Nodes[], by: number): void {
  for (const node of nodes) {
    for (const point of [node.position?.start, node.position?.end]) {
      if (!point) continue;
      if (point.offset !== undefined) point.offset -= by;
      if (point.line === 1) point.column -= by;
    }
    if ('children' in node) shiftPositions(node.children as Nodes[], by);
  }
}

/**
 * A text in a segment's place (its English), parsed as the segment's German is: with the article's
 * references, and a table cell's as its table reads it.
 */
export function parseInSegment(text: string, segment: Partial<Pick<Segment, 'references' | 'encoding'>>): PhrasingContent[] | undefined {
  return parseInline(text, segment.references, segment.encoding === 'table-cell');
}

/** GFM's escaped pipes in the code spans of a table cell's content, as the table reads them. */
function unescapeCellPipes(nodes: readonly Nodes[]): void {
  for (const node of nodes) {
    if (node.type === 'inlineCode') node.value = node.value.replaceAll('\\|', '|');
    else if ('children' in node) unescapeCellPipes(node.children as Nodes[]);
  }
}
