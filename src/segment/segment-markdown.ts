import type { Nodes, Parents, Root } from 'mdast';
import { isMap, isScalar, parseDocument } from 'yaml';
import type { Segment, SegmentKind, SegmentedDocument, SourceDocument } from '../model.js';
import { LineIndex } from '../util/lines.js';
import { parseInline, parseMarkdown, plainText } from './parse-markdown.js';
import { onlyComments } from './html-comments.js';
import { normalise } from './normalise.js';
import { createSegmentIds } from './segment-id.js';
import { splitLines } from './split-lines.js';

/** What precedes the text on a continuation line: indentation and `>` markers of containers. */
const CONTINUATION_PREFIX = /^(?:[ \t]*>[ \t]?)*[ \t]*/;
const TRANSLATED_KEYS = ['title', 'description'] as const;

type Draft = Omit<Segment, 'id' | 'index' | 'docId' | 'phrasing' | 'references'>;

/**
 * Segments a Markdown article: every paragraph, heading, list-item paragraph, quote paragraph,
 * footnote paragraph and table cell, plus `title` and `description` in the front matter. Code,
 * HTML, HTML comments (a paragraph or cell of comments only is no segment) and other front matter
 * keys are left out of the segments and so never translated. Each body segment's source is parsed
 * here, once, on its own (as DeepL and the reviewers see it): its `phrasing` is what later stages read.
 */
export function segmentMarkdown(doc: SourceDocument): SegmentedDocument {
  const tree: Root = parseMarkdown(doc.text);
  const lines = new LineIndex(doc.text);
  const drafts: Draft[] = [];

  // Depth-first in document order over an explicit stack: the tree is as deep as the source nests.
  const stack: Array<{ node: Nodes; ancestors: Parents[] }> = [{ node: tree, ancestors: [] }];
  while (stack.length > 0) {
    const { node, ancestors } = stack.pop() as { node: Nodes; ancestors: Parents[] };
    if (node.type === 'yaml') {
      drafts.push(...frontMatterSegments(doc.text, node.position?.start.offset ?? 0, node.value, lines));
      continue;
    }
    if (node.type === 'heading' || node.type === 'paragraph' || node.type === 'tableCell') {
      const draft = inlineSegment(doc.text, node, kindOf(node, ancestors), lines);
      if (draft) drafts.push(draft);
      continue;
    }
    if ('children' in node) {
      const children = node.children as Nodes[];
      const inside = [...ancestors, node];
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i] as Nodes, ancestors: inside });
    }
  }

  const references = referenceStandIns(tree);
  const nextId = createSegmentIds();
  const segments = drafts.map((draft, index): Segment => {
    const phrasing = draft.markdown ? parseInline(draft.source, references) : undefined;
    return {
      ...draft,
      // Front matter segments are named by their key, so adding a title never renumbers the body.
      id: draft.body ? nextId(draft.key) : draft.kind,
      docId: doc.id,
      index,
      ...(phrasing ? { phrasing } : {}),
      ...(draft.markdown && references ? { references } : {}),
    };
  });
  return { doc, segments, dropped: [] };
}

/** Stand-in definitions for every link reference and footnote label of the article. */
function referenceStandIns(tree: Root): string {
  const lines: string[] = [];
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as Nodes;
    if (node.type === 'definition') lines.push(`[${node.label ?? node.identifier}]: #`);
    else if (node.type === 'footnoteDefinition') lines.push(`[^${node.label ?? node.identifier}]: -`);
    if ('children' in node) {
      const children = node.children as Nodes[];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Nodes);
    }
  }
  return [...new Set(lines)].join('\n');
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

/** A segment over the inline content of a heading, paragraph or table cell. */
function inlineSegment(text: string, node: Nodes, kind: SegmentKind, lines: LineIndex): Draft | undefined {
  if (!('children' in node) || node.children.length === 0) return undefined;
  const children = node.children as Nodes[];
  // A paragraph, heading or cell holding only a comment has nothing to translate or publish.
  if (onlyComments(children)) return undefined;
  const start = children[0]?.position?.start.offset;
  const end = children[children.length - 1]?.position?.end.offset;
  if (start === undefined || end === undefined || end <= start) return undefined;
  const { text: source, prefixes } = splitLines(text.slice(start, end), CONTINUATION_PREFIX);
  const at = lines.at(start);
  return {
    kind,
    ...(node.type === 'heading' ? { depth: node.depth } : {}),
    source,
    key: normalise(source),
    start,
    end,
    linePrefixes: prefixes,
    encoding: kind === 'table-cell' ? 'table-cell' : 'inline',
    line: at.line,
    column: at.column,
    plain: plainText(node).replace(/\s+/g, ' ').trim(),
    markdown: true,
    body: true,
  };
}

/** Segments for the `title` and `description` scalars of the front matter. */
function frontMatterSegments(text: string, nodeStart: number, value: string, lines: LineIndex): Draft[] {
  const contentStart = text.indexOf('\n', nodeStart) + 1;
  const yaml = parseDocument(value, { keepSourceTokens: false });
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
