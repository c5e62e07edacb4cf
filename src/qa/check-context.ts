import { asReadAt } from '../text/prose.js';
import { escapeRegExp } from '../text/escape.js';
import type { Finding, Segment } from '../model.js';

/** What every check sees: the segment, its English, and where it comes from. */
export interface CheckInput {
  segment: Segment;
  /** The English (inline Markdown for Markdown sources, else plain text). */
  target: string;
  /** Source file, for file:line in findings. */
  file: string;
}

/**
 * Builds a finding located at the segment, or at `at` (German it holds, e.g. a term as found) where
 * its inline text spells it: a paragraph's fifth line is found on its fifth line.
 */
export function finding(
  input: CheckInput,
  rule: string,
  message: string,
  extra: Pick<Finding, 'actual' | 'expected'> & { severity?: Finding['severity']; at?: string } = {},
): Finding {
  const { line, column } = placeOf(input.segment, extra.at);
  return {
    rule,
    severity: extra.severity ?? 'error',
    message,
    docId: input.segment.docId,
    segmentId: input.segment.id,
    file: input.file,
    line,
    column,
    ...(extra.actual !== undefined ? { actual: extra.actual } : {}),
    ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
  };
}

/** Where `text` first stands in a segment's source (lines and prefixes as `splitLines` took them out); the segment's start if not there. */
function placeOf(segment: Segment, text: string | undefined): { line: number; column: number } {
  const at = text === undefined || segment.encoding !== 'inline' ? -1 : indexIn(segment.source, text);
  if (at < 0) return { line: segment.line, column: segment.column };
  const before = segment.source.slice(0, at).split('\n');
  const row = before.length - 1;
  const offset = (before[row] as string).length;
  // A continuation line starts after its container prefix (`> `, a list's indentation).
  return row === 0
    ? { line: segment.line, column: segment.column + offset }
    : { line: segment.line + row, column: (segment.linePrefixes[row - 1]?.length ?? 0) + offset + 1 };
}

/**
 * Where a text read as plain (a term as found) stands in inline Markdown: as written, or with
 * emphasis marks, escapes or soft hyphens between its letters ("**roten** Linien", "Ost\u00ADflanke"),
 * or written decomposed (NFD) where it was found composed; -1 if nowhere.
 */
function indexIn(source: string, text: string): number {
  const at = source.indexOf(text);
  if (at >= 0 || text === '') return at;
  const between = '(?:[*_~`\\\\])*';
  const pattern = Array.from(text, (c) => (/\s/.test(c) ? '\\s+' : escapeRegExp(c))).join(between);
  const { read, from } = asReadAt(source);
  const found = new RegExp(pattern, 'u').exec(read)?.index;
  return found === undefined ? -1 : (from[found] ?? -1);
}
