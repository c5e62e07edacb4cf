import type { DroppedText, Segment, SegmentedDocument, SourceDocument } from '../model.js';
import { dateMarker } from '../text/date-marker.js';
import { LineIndex } from '../util/lines.js';
import { matchCleanup, type CleanupRule } from './cleanup-rule.js';
import { normalise } from './normalise.js';
import { createSegmentIds } from './segment-id.js';
import { splitLines } from './split-lines.js';

const CONTINUATION_PREFIX = /^[ \t]*/;
const MAX_HEADING_CHARS = 100;
const MAX_HEADING_WORDS = 14;
const BYLINE = /^Von (\p{Lu}[\p{L}.'-]*(?: \p{Lu}[\p{L}.'-]*){0,3})$/u;

interface RawBlock {
  start: number;
  end: number;
}

/**
 * Segments a raw `.txt` article: the leading date marker is metadata, blank lines separate
 * blocks, a short standalone line without closing punctuation that is followed by a paragraph is
 * a subheading (a level-1 heading when it opens the article), and cleanup rules drop noise.
 * Every character outside the segments stays in the document text, so gluing is exact.
 */
export function segmentText(doc: SourceDocument, rules: readonly CleanupRule[]): SegmentedDocument {
  const text = doc.text;
  const lines = new LineIndex(text);
  const dropped: DroppedText[] = [];
  const kept: RawBlock[] = [];

  for (const block of rawBlocks(text, dateMarker(text).length)) {
    let { start, end } = block;
    const cut: DroppedText[] = [];
    for (;;) {
      const raw = text.slice(start, end);
      const hit = matchCleanup(raw, rules);
      if (!hit) break;
      cut.push({
        docId: doc.id,
        rule: hit.rule.id,
        text: raw.slice(hit.start, hit.end).trim(),
        start: start + hit.start,
        end: start + hit.end,
        line: lines.at(start + hit.start).line,
        beforeSegment: kept.length,
      });
      if (hit.start === 0 && hit.end === raw.length) {
        start = end;
        break;
      }
      if (hit.start === 0) start += hit.end;
      else end = start + hit.start;
      while (start < end && /\s/.test(text[start] ?? '')) start++;
      while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
    }
    // Text cut from the end of a block that stays is listed after that block's segment.
    const keeps = end > start;
    for (const d of cut) dropped.push(keeps && d.start >= end ? { ...d, beforeSegment: kept.length + 1 } : d);
    if (keeps) kept.push({ start, end });
  }

  const nextId = createSegmentIds();
  const segments: Segment[] = kept.map((block, index) => {
    const raw = text.slice(block.start, block.end);
    const { text: source, prefixes } = splitLines(raw, CONTINUATION_PREFIX);
    const next = kept[index + 1];
    const heading = next !== undefined && isSubheading(source) && !isSubheading(text.slice(next.start, next.end));
    const at = lines.at(block.start);
    const key = normalise(source);
    return {
      id: nextId(key),
      docId: doc.id,
      index,
      kind: heading ? 'heading' : 'paragraph',
      ...(heading ? { depth: index === 0 ? 1 : 2 } : {}),
      source,
      key,
      start: block.start,
      end: block.end,
      linePrefixes: prefixes,
      encoding: 'inline',
      line: at.line,
      column: at.column,
      plain: source,
      markdown: false,
      body: true,
    };
  });

  const meta = { ...doc.meta };
  const byline = segments.map((s) => BYLINE.exec(s.source)).find((m) => m !== null);
  if (byline?.[1] && meta.author === undefined) meta.author = byline[1];
  return { doc: { ...doc, meta }, segments, dropped };
}

/** Blocks of non-blank lines after `from`, trimmed of surrounding white space. */
function rawBlocks(text: string, from: number): RawBlock[] {
  const blocks: RawBlock[] = [];
  const re = /\S(?:[^\n]|\n(?![ \t\r]*(?:\n|$)))*/g;
  re.lastIndex = from;
  for (let match = re.exec(text); match !== null; match = re.exec(text)) {
    const trimmed = match[0].replace(/\s+$/, '');
    blocks.push({ start: match.index, end: match.index + trimmed.length });
  }
  return blocks;
}

/** A short single line that does not end a sentence: a subheading candidate. */
function isSubheading(source: string): boolean {
  if (source.includes('\n') || source.length > MAX_HEADING_CHARS) return false;
  if (source.split(/\s+/).length > MAX_HEADING_WORDS || BYLINE.test(source)) return false;
  const ending = source.replace(/[\s"'„“”‚‘’»«)\]]+$/u, '');
  return !/[.!:;,…]$/u.test(ending);
}
