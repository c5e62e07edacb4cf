import type { Finding, Segment } from '../model.js';

/** What every check sees: the segment, its English, and where it comes from. */
export interface CheckInput {
  segment: Segment;
  /** The English (inline Markdown for Markdown sources, else plain text). */
  target: string;
  /** Source file, for file:line in findings. */
  file: string;
}

/** Builds a finding located at the segment. */
export function finding(
  input: CheckInput,
  rule: string,
  message: string,
  extra: Pick<Finding, 'actual' | 'expected'> & { severity?: Finding['severity'] } = {},
): Finding {
  return {
    rule,
    severity: extra.severity ?? 'error',
    message,
    docId: input.segment.docId,
    segmentId: input.segment.id,
    file: input.file,
    line: input.segment.line,
    column: input.segment.column,
    ...(extra.actual !== undefined ? { actual: extra.actual } : {}),
    ...(extra.expected !== undefined ? { expected: extra.expected } : {}),
  };
}
