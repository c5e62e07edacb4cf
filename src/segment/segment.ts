import type { SegmentedDocument, SourceDocument } from '../model.js';
import type { CleanupRule } from './cleanup-rule.js';
import { segmentMarkdown } from './segment-markdown.js';
import { segmentText } from './segment-txt.js';

/** Segments an article by its format. Cleanup rules apply to raw `.txt` sources only. */
export function segment(doc: SourceDocument, rules: readonly CleanupRule[]): SegmentedDocument {
  return doc.format === 'md' ? segmentMarkdown(doc) : segmentText(doc, rules);
}
