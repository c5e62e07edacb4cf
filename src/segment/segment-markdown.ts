import type { Code, Html, Nodes, Paragraph, Parents, Root } from 'mdast';
import { parse as parseToml } from 'smol-toml';
import { isMap, isScalar, parseDocument } from 'yaml';
import type { Message, Segment, SegmentKind, SegmentedDocument, SourceDocument } from '../model.js';
import { htmlParts, htmlPlain } from '../text/html-parts.js';
import { LineIndex } from '../util/lines.js';
import { parseInSegment, parseMarkdown, plainText } from './parse-markdown.js';
import { ALERT, DIV_OPEN, onlySyntax, TRAILER } from './dialect-syntax.js';
import { verbatimBlocks } from './verbatim-blocks.js';
import { onlyComments } from './html-comments.js';
import { normalise } from './normalise.js';
import { createSegmentIds } from './segment-id.js';
import { splitLines } from './split-lines.js';

/** What precedes the text on a continuation line: indentation and `>` markers of containers. */
export const CONTINUATION_PREFIX = /^(?:[ \t]*>[ \t]?)*[ \t]*/;
/** The front matter's keys a reader meets as text, as Hugo and Jekyll name them: translated; the rest is left as it is. */
const TRANSLATED_KEYS = ['title', 'description', 'subtitle', 'summary', 'linkTitle', 'excerpt'] as const;

type Draft = Omit<Segment, 'id' | 'index' | 'docId' | 'phrasing' | 'references'>;

/** How to segment: whether raw HTML blocks are translated (`translateHtml` in the config, on by default). */
export interface SegmentOptions {
  translateHtml?: boolean;
}

/**
 * Segments a Markdown article: every paragraph, heading, list-item paragraph, quote paragraph,
 * footnote paragraph and table cell, plus `title`, `description`, `subtitle` and `summary` in the front matter, and each
 * raw HTML block with text of its own (unless `translateHtml` is false; see `htmlSegment`). Code,
 * HTML comments (a paragraph or cell of comments only is no segment) and other front matter
 * keys are left out of the segments and so never translated. Each body segment's source is parsed
 * here, once, on its own (as DeepL and the reviewers see it): its `phrasing` is what later stages read.
 */
export function segmentMarkdown(doc: SourceDocument, options: SegmentOptions = {}): SegmentedDocument {
  const tree: Root = parseMarkdown(doc.text);
  const lines = new LineIndex(doc.text);
  const drafts: Draft[] = [];
  const untranslated: Message[] = [];
  /** Says that the text of `node` stays untranslated, and why, at its line. */
  const leftOut = (node: Nodes, message: string): void => {
    const at = lines.at(node.position?.start.offset ?? 0);
    untranslated.push({ file: doc.path, line: at.line, column: at.column, rule: 'source', severity: 'warning', message });
  };
  const { standIns, footnotes: referenced, undefinedNotes } = referencesOf(tree, doc.text);
  for (const at of undefinedNotes) {
    const place = lines.at(at.offset);
    const message = `footnote ${at.label} is referred to, but defined nowhere: every edition shows "${at.label}" as written`;
    untranslated.push({ file: doc.path, line: place.line, column: place.column, rule: 'source', severity: 'warning', message });
  }
  /** The line of each footnote's first definition. */
  const defined = new Map<string, number>();
  const verbatim = verbatimBlocks(doc.text);
  /** Where the verbatim block a node begins in ends, if it begins in one. */
  const verbatimEnd = (node: Nodes): number | undefined => {
    const at = node.position?.start.offset ?? -1;
    return verbatim.find(([start, end]) => at >= start && at < end)?.[1];
  };

  // Depth-first in document order over an explicit stack: the tree is as deep as the source nests.
  const stack: Array<{ node: Nodes; ancestors: Parents[] }> = [{ node: tree, ancestors: [] }];
  while (stack.length > 0) {
    const { node, ancestors } = stack.pop() as { node: Nodes; ancestors: Parents[] };
    if (node.type === 'yaml') {
      drafts.push(...frontMatterSegments(doc.text, node.position?.start.offset ?? 0, node.value, lines));
      continue;
    }
    // TOML front matter (`+++`, mdast's node of remark-frontmatter: not in mdast's types).
    if ((node.type as string) === 'toml') {
      drafts.push(...tomlSegments(doc.text, node.position?.start.offset ?? 0, (node as unknown as { value: string }).value, lines));
      continue;
    }
    if (node.type === 'heading' || node.type === 'paragraph' || node.type === 'tableCell') {
      // Code or math in template tags or `$$`: kept as written (see `verbatimBlocks`); a text on the lines after it, in
      // the same paragraph, is the paragraph's segment.
      const after = verbatim.length > 0 ? verbatimEnd(node) : undefined;
      if (after !== undefined && (node.position?.end.offset ?? 0) <= after) continue;
      const kind = kindOf(node, ancestors);
      // A paragraph a dialect writes several texts in (a callout's title and body, a term and its definitions): one segment each.
      const pieces =
        node.type === 'paragraph' && after === undefined
          ? dialectPieces(doc.text, node, kind, verbatim, followsTerm(node, ancestors))
          : undefined;
      if (pieces) drafts.push(...pieces.flatMap((piece) => rangeSegment(doc.text, piece, kind, lines, standIns) ?? []));
      else {
        const draft = inlineSegment(doc.text, node, kind, lines, after);
        if (draft) drafts.push(draft);
      }
      continue;
    }
    if (node.type === 'code' && !closedFence(doc.text, node)) {
      leftOut(
        node,
        'this code fence is never closed, so everything after it to the end of its block is read as code: ' +
          'kept in German in every edition; close it with a line of the same fence',
      );
      continue;
    }
    if (node.type === 'html') {
      // A comment never closed runs on to the end of its block (CommonMark): the text after it is no text of any edition.
      if (/^\s*<!--/.test(node.value) && !node.value.includes('-->')) {
        leftOut(
          node,
          'this HTML comment is never closed (no "-->"), so everything after it to the end of its block is read as ' +
            'the comment: neither translated nor shown; close it',
        );
        continue;
      }
      const draft = options.translateHtml === false ? undefined : htmlSegment(doc.text, node, lines);
      if (draft) drafts.push(draft);
      else if (options.translateHtml !== false && unparsedWords(node))
        leftOut(
          node,
          'this HTML block does not parse cleanly (a tag left open or closed twice), so it is kept as written, in German, ' +
            'and the books show it as text; mend its tags to have it translated',
        );
      continue;
    }
    // A note no reference points to is shown by no edition (as GitHub shows none): not sent, and said.
    if (node.type === 'footnoteDefinition' && !referenced.has(node.identifier)) {
      leftOut(node, `footnote [^${node.label ?? node.identifier}] is referred to nowhere, so no edition shows it: it is not translated`);
      continue;
    }
    // A note defined again: every edition shows the first definition, none this one.
    if (node.type === 'footnoteDefinition') {
      const first = defined.get(node.identifier);
      if (first !== undefined) {
        leftOut(
          node,
          `footnote [^${node.label ?? node.identifier}] is defined again (first at line ${first}), and every edition shows ` +
            'the first: this one is not translated; remove it or give it a label of its own',
        );
        continue;
      }
      defined.set(node.identifier, lines.at(node.position?.start.offset ?? 0).line);
    }
    if ('children' in node) {
      const children = node.children as Nodes[];
      const inside = [...ancestors, node];
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i] as Nodes, ancestors: inside });
    }
  }

  const nextId = createSegmentIds();
  const segments = drafts.map((draft, index): Segment => {
    // An HTML block is read as HTML (`htmlParts`), never as inline Markdown.
    const inline = draft.markdown && draft.kind !== 'html';
    const references = inline ? standInsFor(draft.source, standIns) : '';
    const phrasing = inline ? parseInSegment(draft.source, { references, encoding: draft.encoding }) : undefined;
    // Copied onto a new object, not spread: a spread of drafts of many shapes gave every segment a hidden
    // class of its own in V8, a third of what a build held per article before its requests (issue 21).
    const segment: Segment = Object.assign({}, draft, {
      // Front matter segments are named by their key, so adding a title never renumbers the body.
      id: draft.body ? nextId(draft.key) : draft.kind,
      docId: doc.id,
      index,
    });
    if (phrasing) segment.phrasing = phrasing;
    if (inline && references) segment.references = references;
    return segment;
  });
  return { doc, segments, dropped: [], ...(untranslated.length > 0 ? { untranslated } : {}) };
}

/** Whether a raw HTML block with words of its own (not a comment, nor code) does not parse cleanly as HTML. */
function unparsedWords(node: Html): boolean {
  if (/\n[ \t]*\n/.test(node.value) || onlyComments([node]) || htmlParts(node.value)) return false;
  return /\p{L}/u.test(node.value.replace(/<!--[\s\S]*?-->|<(script|style|pre|code)\b[\s\S]*?<\/\1>|<[^>]*>/gi, ' '));
}

/** A stand-in definition (see `Segment.references`), and its label in brackets as labels are matched (`[^n1]`, `[r1]`). */
interface StandIn {
  line: string;
  label: string;
}

/** Text as CommonMark matches labels: case folded (`ß` as `ss`), white space collapsed, none inside a label's brackets. */
function labelKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/\s+/g, ' ')
    .replace(/\[(\^?) /g, '[$1')
    .replace(/ \]/g, ']');
}

/**
 * The stand-in definitions a segment's text may refer to: those whose label it holds. Each segment
 * parses with these alone, not the article's every definition: with hundreds of notes, parsing
 * every segment with all of them took time in segments × notes.
 */
function standInsFor(source: string, standIns: readonly StandIn[]): string {
  if (standIns.length === 0 || !source.includes('[')) return '';
  const key = labelKey(source);
  return standIns
    .filter((d) => key.includes(d.label))
    .map((d) => d.line)
    .join('\n');
}

/**
 * One walk over the article's tree: stand-in definitions for every link reference and footnote
 * label (see `Segment.references`), and the identifiers of the footnotes it refers to.
 */
function referencesOf(
  tree: Root,
  text: string,
): { standIns: StandIn[]; footnotes: Set<string>; undefinedNotes: Array<{ label: string; offset: number }> } {
  const lines: string[] = [];
  const footnotes = new Set<string>();
  const undefinedNotes: Array<{ label: string; offset: number }> = [];
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as Nodes;
    if (node.type === 'definition') lines.push(`[${node.label ?? node.identifier}]: #`);
    else if (node.type === 'footnoteDefinition') lines.push(`[^${node.label ?? node.identifier}]: -`);
    else if (node.type === 'footnoteReference') footnotes.add(node.identifier);
    // A reference to a note defined nowhere is no reference to GFM: it stays text, as written (unless escaped).
    else if (node.type === 'text' && node.value.includes('[^')) {
      const start = node.position?.start.offset ?? 0;
      for (const m of text.slice(start, node.position?.end.offset ?? start).matchAll(/(?<!\\)\[\^[^\]\s]+\]/g))
        undefinedNotes.push({ label: m[0], offset: start + m.index });
    }
    if ('children' in node) {
      const children = node.children as Nodes[];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Nodes);
    }
  }
  const standIns = [...new Set(lines)].map((line) => ({ line, label: labelKey(line.slice(0, line.lastIndexOf(']:') + 1)) }));
  return { standIns, footnotes, undefinedNotes };
}

/** Whether a fenced code block ends with its closing fence (an indented one has none to close). */
function closedFence(text: string, node: Code): boolean {
  const raw = text.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);
  const open = /^[ \t]*(`{3,}|~{3,})/.exec(raw);
  if (!open) return true;
  const fence = open[1] as string;
  const last = raw.slice(raw.lastIndexOf('\n') + 1);
  return raw.includes('\n') && new RegExp(`^[ \\t>]*\\${fence[0]}{${fence.length},}[ \\t]*$`).test(last);
}

function kindOf(node: Nodes, ancestors: Parents[]): SegmentKind {
  if (node.type === 'heading') return 'heading';
  if (node.type === 'tableCell') return 'table-cell';
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const type = ancestors[i]?.type;
    if (type === 'listItem') return 'list-item';
    if (type === 'blockquote') return 'blockquote';
    if (type === 'footnoteDefinition') return 'footnote';
  }
  return 'paragraph';
}

/**
 * The texts of a paragraph a Markdown dialect writes several in, as ranges of the article's text:
 * an Obsidian callout's title and its body (`> [!tip] Titel` then `> Text`), Pandoc's definition
 * list, a term and each definition after its `: ` marker, and the text before and after display
 * math that starts within the paragraph (`$$` … `$$`, see `verbatimBlocks`). `undefined` for a
 * paragraph of one text.
 */
function dialectPieces(
  text: string,
  node: Paragraph,
  kind: SegmentKind,
  verbatim: ReadonlyArray<[number, number]>,
  /** Whether a paragraph (a term) comes right before this one: only then is a `: ` it starts with a definition's marker. */
  afterTerm: boolean,
): Array<[number, number]> | undefined {
  const start = node.children[0]?.position?.start.offset;
  const end = node.children[node.children.length - 1]?.position?.end.offset;
  if (start === undefined || end === undefined || end <= start || onlyComments(node.children)) return undefined;
  const whole = text.slice(start, end);
  const { lead, trail } = dialectEdges(whole, kind);
  const [from, to] = [start + lead, end - trail];
  if (from >= to) return undefined;
  const cuts: Array<[number, number]> = [];
  // A callout's title: the rest of the marker's line (a marker alone on its line has its line end in the lead).
  const titled = kind === 'blockquote' && lead > 0 && !whole.slice(0, lead).includes('\n');
  const titleEnd = titled ? text.indexOf('\n', from) : -1;
  if (titleEnd !== -1 && titleEnd < to) cuts.push([titleEnd, titleEnd + 1]);
  // Definition lines: `: ` at the start of a line (after a quote's or list's prefix), and of the paragraph after a term
  // (a paragraph that starts so after anything else, a heading or a list's marker, is text that starts with a colon).
  for (const m of text.slice(from, to).matchAll(/(?:^|\n)[ \t>]*:[ \t]+/g))
    if (m.index > 0 || afterTerm) cuts.push([from + m.index, from + m.index + m[0].length]);
  // Display math from one of its lines on: kept as written, never sent.
  for (const [blockStart, blockEnd] of verbatim) if (blockStart > from && blockStart < to) cuts.push([blockStart, blockEnd]);
  if (cuts.length === 0) return undefined;
  const pieces: Array<[number, number]> = [];
  let at = from;
  for (const [cutStart, cutEnd] of [...cuts.sort((a, b) => a[0] - b[0]), [to, to] as [number, number]]) {
    // Each piece without the white space and line prefixes at its ends.
    let a = at;
    let b = cutStart;
    while (a < b && /[\s>]/.test(text.charAt(a))) a++;
    while (b > a && /\s/.test(text.charAt(b - 1))) b--;
    if (b > a) pieces.push([a, b]);
    at = Math.max(at, cutEnd);
  }
  return pieces;
}

/** Whether the node before a paragraph in its parent is a paragraph: a term a definition (`: …`) may follow. */
function followsTerm(node: Paragraph, ancestors: readonly Parents[]): boolean {
  const siblings = ancestors[ancestors.length - 1]?.children ?? [];
  return siblings[siblings.indexOf(node) - 1]?.type === 'paragraph';
}

/**
 * How much of a paragraph's text (`whole`) is a dialect's syntax on lines of its own at its edges: `lead`
 * at its start (a quote's alert marker, a fenced div's opening; or as given), `trail` at its end.
 */
function dialectEdges(
  whole: string,
  kind: SegmentKind,
  lead = (kind === 'blockquote' ? ALERT : DIV_OPEN).exec(whole)?.[0].length ?? 0,
): { lead: number; trail: number } {
  return { lead, trail: TRAILER.exec(whole.slice(lead))?.[0].length ?? 0 };
}

/** A segment over a range of a paragraph's text (see {@link dialectPieces}). */
function rangeSegment(
  text: string,
  [from, to]: [number, number],
  kind: SegmentKind,
  lines: LineIndex,
  standIns: readonly StandIn[],
): Draft | undefined {
  const { text: source, prefixes } = splitLines(text.slice(from, to), CONTINUATION_PREFIX);
  const phrasing = parseInSegment(source, { references: standInsFor(source, standIns) });
  const plain = phrasing ? plainText({ type: 'paragraph', children: phrasing }).replace(/\s+/g, ' ').trim() : source;
  if (plain === '') return undefined;
  const at = lines.at(from);
  return {
    kind,
    source,
    key: normalise(source),
    start: from,
    end: to,
    linePrefixes: prefixes,
    encoding: kind === 'table-cell' ? 'table-cell' : 'inline',
    line: at.line,
    column: at.column,
    plain: plain === source ? source : plain,
    markdown: true,
    body: true,
  };
}

/** A segment over the inline content of a heading, paragraph or table cell. */
function inlineSegment(text: string, node: Nodes, kind: SegmentKind, lines: LineIndex, after?: number): Draft | undefined {
  if (!('children' in node) || node.children.length === 0) return undefined;
  const children = node.children as Nodes[];
  // A paragraph, heading or cell holding only a comment has nothing to translate or publish.
  if (onlyComments(children)) return undefined;
  const start = children[0]?.position?.start.offset;
  const end = children[children.length - 1]?.position?.end.offset;
  if (start === undefined || end === undefined || end <= start) return undefined;
  // Syntax of Markdown dialects on lines of their own at a paragraph's edges is no text to translate, and stays on
  // its lines: a quote's alert marker (`> [!NOTE]`, GitHub, Obsidian), Pandoc's fenced div (`::: {.hinweis}` … `:::`),
  // kramdown's attribute list (`{: .lead}`). The segment lies between; a paragraph of nothing else is none.
  const whole = text.slice(start, end);
  // After a verbatim block (see `verbatimBlocks`): from the next line on.
  const past = after === undefined ? undefined : after - start + (/^[ \t]*\r?\n[ \t>]*/.exec(text.slice(after))?.[0].length ?? 0);
  const { lead, trail } = node.type === 'paragraph' ? dialectEdges(whole, kind, past) : { lead: past ?? 0, trail: 0 };
  if (start + lead >= end - trail || (node.type === 'paragraph' && onlySyntax(whole))) return undefined;
  const from = start + lead;
  const raw = text.slice(from, end - trail);
  // A heading's own id or attributes after its text (`{#id}`, `{#id .class}`, `{.unnumbered}`): not text to
  // translate; the segment ends before it.
  const attributes = node.type === 'heading' ? HEADING_ID.exec(raw) : null;
  const { text: source, prefixes } = splitLines(attributes ? raw.slice(0, attributes.index) : raw, CONTINUATION_PREFIX);
  const at = lines.at(from);
  const shown = plainText(node);
  // After a verbatim block, the node's text after the block's last line (`{% endhighlight %}`).
  const closer = after === undefined ? '' : text.slice(text.lastIndexOf('\n', after - 1) + 1, after).trim();
  const cut =
    after !== undefined
      ? shown.slice(shown.lastIndexOf(closer) + closer.length)
      : lead > 0 || trail > 0
        ? shown.replace(kind === 'blockquote' ? ALERT : DIV_OPEN, '').replace(TRAILER, '')
        : shown;
  const flat = cut.replace(/\s+/g, ' ').trim();
  // A paragraph without markup reads as it is written: then its plain text is its source, one string
  // (a copy would hold each article's prose twice, its largest share of a build's memory).
  const plain = flat === source ? source : flat;
  return {
    kind,
    ...(node.type === 'heading' ? { depth: node.depth } : {}),
    ...(attributes?.[1] !== undefined ? { headingId: attributes[1] } : {}),
    source,
    key: normalise(source),
    start: from,
    end: attributes ? from + attributes.index : end - trail,
    linePrefixes: prefixes,
    encoding: kind === 'table-cell' ? 'table-cell' : 'inline',
    line: at.line,
    column: at.column,
    plain: attributes ? plain.replace(HEADING_ID, '') : plain,
    markdown: true,
    body: true,
  };
}

/**
 * The attribute block a heading may end with (Hugo, kramdown, Pandoc), with the space before it:
 * `{#id}`, `{#id .class key=value}` (the id its first group), or one without an id, `{.unnumbered}`, `{-}`.
 */
export const HEADING_ID = /[ \t]+\{(?:#([A-Za-z][\w:.-]*)(?:[ \t]+[^{}]*)?|[.-][^{}]*)\}[ \t]*$/;

/**
 * A segment over a raw HTML block (an `html` node at block level): its source the block as written
 * (container prefixes aside), its plain text the text between the tags. None when the block does
 * not parse cleanly as HTML, holds a blank line (a `<pre>` or comment block) or has no words
 * outside comments and code: such a block is copied as it is.
 */
function htmlSegment(text: string, node: Html, lines: LineIndex): Draft | undefined {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined || end <= start) return undefined;
  const source = node.value;
  if (/\n[ \t]*\n/.test(source)) return undefined;
  // Each raw line is its container prefix (`> `, list indentation) followed by the node's line.
  const rawLines = text.slice(start, end).split('\n');
  const valueLines = source.split('\n');
  if (rawLines.length !== valueLines.length || rawLines[0] !== valueLines[0]) return undefined;
  const prefixes: string[] = [];
  for (let i = 1; i < rawLines.length; i++) {
    const raw = rawLines[i] as string;
    const value = valueLines[i] as string;
    if (!raw.endsWith(value)) return undefined;
    prefixes.push(raw.slice(0, raw.length - value.length));
  }
  const parts = htmlParts(source);
  if (!parts) return undefined;
  const plain = htmlPlain(parts);
  if (!/\p{L}/u.test(plain)) return undefined;
  const at = lines.at(start);
  return {
    kind: 'html',
    source,
    key: normalise(source),
    start,
    end,
    linePrefixes: prefixes,
    encoding: 'inline',
    line: at.line,
    column: at.column,
    plain,
    markdown: true,
    body: true,
  };
}

/**
 * A translated key of TOML with a string (`title = "…"`, `'…'`, `"""…"""` or `'''…'''`): the string as
 * written, quotes included.
 */
const TOML_STRING =
  /^(title|description|subtitle|summary)[ \t]*=[ \t]*("{3}[\s\S]*?"{3,5}|'{3}[\s\S]*?'{3,5}|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')[ \t]*(?:#.*)?$/gm;

/** The first table header (`[params]`, `[[menu]]`) of TOML: the keys after it are the table's, not the article's. */
const TOML_TABLE = /^[ \t]*\[/m;

/**
 * Segments for the translated keys (`title`, `description` …) of TOML front matter, each a string
 * at the top level (as Hugo writes them; a `[params]` table's `title` is not the article's).
 */
function tomlSegments(text: string, nodeStart: number, value: string, lines: LineIndex): Draft[] {
  const contentStart = text.indexOf('\n', nodeStart) + 1;
  const drafts: Draft[] = [];
  let document: Record<string, unknown>;
  try {
    document = parseToml(value);
  } catch {
    return drafts; // Not TOML: the front matter's own check reports it.
  }
  const table = TOML_TABLE.exec(value);
  const topLevel = table ? value.slice(0, table.index) : value;
  for (const m of topLevel.matchAll(TOML_STRING)) {
    const [, key, written = ''] = m;
    const parsed = document[key as string];
    // The string read where it is written is the key's value (not a line of another string that looks like one).
    if (typeof parsed !== 'string' || parsed.trim() === '' || tomlString(written) !== parsed) continue;
    const start = contentStart + m.index + m[0].indexOf(written, (key as string).length);
    const at = lines.at(start);
    drafts.push({
      kind: key as (typeof TRANSLATED_KEYS)[number],
      source: parsed,
      key: normalise(parsed),
      start,
      end: start + written.length,
      linePrefixes: [],
      encoding: 'toml',
      line: at.line,
      column: at.column,
      plain: parsed,
      markdown: false,
      body: false,
    });
  }
  return drafts;
}

/** A TOML string as written (quotes included) read; `undefined` when it is none. */
function tomlString(written: string): unknown {
  try {
    return parseToml(`v = ${written}`)['v'];
  } catch {
    return undefined;
  }
}

/** Segments for the front matter's scalars a reader meets (`title`, `description`, `subtitle`, `summary`). */
function frontMatterSegments(text: string, nodeStart: number, value: string, lines: LineIndex): Draft[] {
  // After the opening line's end: LF, CRLF or an old Mac file's lone CR.
  const lineEnd = /\r\n|\r|\n/g;
  lineEnd.lastIndex = nodeStart;
  const opened = lineEnd.exec(text);
  const contentStart = opened ? opened.index + opened[0].length : text.length;
  // A lone CR read as LF, which the YAML parser takes for a line end: the offsets stay as they are.
  const yaml = parseDocument(value.replace(/\r(?!\n)/g, '\n'), { keepSourceTokens: false });
  if (yaml.errors.length > 0 || !isMap(yaml.contents)) return [];
  const drafts: Draft[] = [];
  for (const key of TRANSLATED_KEYS) {
    const scalar = yaml.contents.get(key, true);
    if (!isScalar(scalar) || !scalar.range) continue;
    const source: unknown = scalar.value;
    if (typeof source !== 'string' || source.trim() === '') continue;
    // The YAML text inside the node has no CR characters removed, so offsets map one to one.
    const start = contentStart + scalar.range[0];
    const end = contentStart + scalar.range[1];
    const at = lines.at(start);
    drafts.push({
      kind: key,
      source,
      key: normalise(source),
      start,
      end,
      linePrefixes: [],
      encoding: 'yaml',
      line: at.line,
      column: at.column,
      plain: source,
      markdown: false,
      body: false,
    });
  }
  return drafts;
}
