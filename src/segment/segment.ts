import type { SegmentedDocument, SourceDocument } from '../model.js';
import { InputError } from '../util/errors.js';
import type { CleanupRule } from './cleanup-rule.js';
import { type SegmentOptions, segmentMarkdown } from './segment-markdown.js';
import { segmentText } from './segment-txt.js';

/**
 * Segments an article by its format. Cleanup rules apply to raw `.txt` sources only.
 * Structure nested too deep is refused when the sources are read (`checkNesting`, with the line);
 * should a shape that check misses still exhaust the stack in the parser, it is refused here as
 * bad input rather than reported as a bug.
 */
export function segment(doc: SourceDocument, rules: readonly CleanupRule[], options: SegmentOptions = {}): SegmentedDocument {
  if (doc.format !== 'md') return segmentText(doc, rules);
  try {
    return segmentMarkdown(doc, options);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new InputError(
      `${doc.path}: nesting too deep to read (${error.message})`,
      'flatten the nested quotes, lists or emphasis and run again',
    );
  }
}
