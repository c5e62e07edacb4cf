// Where each segment sits in its article's structure (list item 2 of a numbered list, a table's cell,
// a quote, a note), and the blocks between segments that are not translated (code, raw HTML), for the review page.
import type { Nodes, Root } from 'mdast';
import type { TranslatedArticle } from '../model.js';
import { segmentsFinder } from './article-tree.js';

/** A segment's place: its containers from the outside in, how deep it is nested, its list marker. */
export interface SegmentPlace {
  /** E.g. `numbered list › item 2 › list › item 1`, `table › row 2 › column 3 “Preis”`, `quote`, `note 1`; empty at the top level. */
  path: string;
  /** Lists and quotes around it. */
  depth: number;
  /** A list item's first paragraph: its marker (`3.`, `•`, `☒`). */
  marker?: string;
}

/** A block of the article that is shown but not translated, placed after the segment at `after` (-1: before the first). */
export interface ContextBlock {
  after: number;
  kind: 'code' | 'html';
  /** The code's language, if the source names one. */
  lang?: string;
  text: string;
}

/** The places of an article's segments (by segment id) and its untranslated blocks, from its tree. */
export function segmentPlaces(tree: Root, article: TranslatedArticle): { places: Map<string, SegmentPlace>; context: ContextBlock[] } {
  const segmentsOf = segmentsFinder(article);
  const places = new Map<string, SegmentPlace>();
  const context: ContextBlock[] = [];
  let last = -1;
  /** `marker` is the list marker of the item `node` is the first paragraph of. */
  const walk = (node: Nodes, labels: readonly string[], depth: number, marker: string | undefined): void => {
    // A raw HTML block whose text is translated is a segment itself.
    const held = segmentsOf(node);
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell' || held.length > 0) {
      // (A paragraph holds several where a dialect writes a callout's title and body in one: each is placed there.)
      held.forEach(({ segment }, k) => {
        last = Math.max(last, segment.index);
        places.set(segment.id, { path: labels.join(' › '), depth, ...(marker && k === 0 ? { marker } : {}) });
      });
      return;
    }
    if (node.type === 'code' || (node.type === 'html' && !/^\s*<!--[\s\S]*-->\s*$/.test(node.value))) {
      context.push({ after: last, kind: node.type, ...(node.type === 'code' && node.lang ? { lang: node.lang } : {}), text: node.value });
      return;
    }
    if (!('children' in node)) return;
    (node.children as Nodes[]).forEach((child, i) => {
      const label = childLabel(child, i);
      const deeper = child.type === 'list' || child.type === 'blockquote' ? depth + 1 : depth;
      walk(child, label ? [...labels, label] : labels, deeper, itemMarker(node, child, i) ?? (i === 0 ? marker : undefined));
    });
  };
  walk(tree, [], 0, undefined);
  return { places, context };
}

/** How a container names its child in a place's path (undefined: the child adds nothing). */
function childLabel(child: Nodes, index: number): string | undefined {
  switch (child.type) {
    case 'list':
      return child.ordered ? 'numbered list' : 'list';
    case 'listItem':
      return `item ${index + 1}`;
    case 'blockquote':
      return 'quote';
    case 'table':
      return 'table';
    case 'tableRow':
      return index === 0 ? 'header row' : `row ${index}`;
    case 'tableCell':
      return `column ${index + 1}`;
    case 'footnoteDefinition':
      return `note ${child.label ?? child.identifier}`;
    default:
      return undefined;
  }
}

/** The marker a list shows for its item at `index`: its number, a bullet, or a task's box. */
function itemMarker(list: Nodes, item: Nodes, index: number): string | undefined {
  if (list.type !== 'list' || item.type !== 'listItem') return undefined;
  if (typeof item.checked === 'boolean') return item.checked ? '☒' : '☐';
  return list.ordered ? `${(list.start ?? 1) + index}.` : '•';
}
