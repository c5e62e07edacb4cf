import type { Segment } from '../model.js';
import { escapeBlockStart } from '../text/markdown-text.js';
import { joinLines } from './split-lines.js';

/**
 * Rebuilds an article's text with each segment's raw span replaced by `textOf(segment)`, encoded
 * for where it sits (continuation prefixes, table-cell pipes, YAML scalar). Spans are spliced from
 * the end backwards, so everything outside the segments stays byte-identical.
 * `glue(text, segments, s => s.source)` returns `text` unchanged.
 */
export function glue(text: string, segments: readonly Segment[], textOf: (segment: Segment) => string | undefined): string {
  const ordered = [...segments].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let cursor = text.length;
  for (let i = ordered.length - 1; i >= 0; i--) {
    const segment = ordered[i];
    if (!segment) continue;
    const replacement = textOf(segment);
    parts.push(text.slice(segment.end, cursor));
    parts.push(replacement === undefined ? text.slice(segment.start, segment.end) : encode(segment, replacement, text));
    cursor = segment.start;
  }
  parts.push(text.slice(0, cursor));
  return parts.reverse().join('');
}

/** Removes spans (dropped noise) from a text, from the end backwards. */
export function cut(text: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  let out = text;
  for (const span of [...spans].sort((a, b) => b.start - a.start)) out = out.slice(0, span.start) + out.slice(span.end);
  return out;
}

function encode(segment: Segment, value: string, text: string): string {
  switch (segment.encoding) {
    case 'yaml':
    // A TOML basic string reads as a JSON one does.
    case 'toml': {
      const written = text.slice(segment.start, segment.end);
      if (value === segment.source) return written;
      // A block scalar (`>`, `|`) runs to its line's end: the line break after it stays, before the next key.
      return JSON.stringify(value) + (/(?:\r?\n)+$/.exec(written)?.[0] ?? '');
    }
    case 'table-cell':
      return value.replace(/\n+/g, ' ').replace(/(^|[^\\])\|/g, '$1\\|');
    case 'inline':
      if (value === segment.source || segment.kind === 'html') return joinLines(value, segment.linePrefixes);
      // A heading is one line (its text follows its `#`); an English written on several is joined.
      if (segment.kind === 'heading') return value.replace(/[ \t]*\r?\n[ \t]*/g, ' ');
      // A text of its own stays text where any of its lines would start a block.
      return joinLines(escapeBlockStart(value), segment.linePrefixes);
  }
}
