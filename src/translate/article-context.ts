import type { SegmentedDocument } from '../model.js';
import { needsTranslation } from './needs-translation.js';

const MAX_CONTEXT = 1500;

/**
 * The context DeepL gets with every request of an article: its title and lead paragraph. It
 * helps with pronouns and ambiguous words, is not billed, and counts towards the request size.
 */
export function articleContext(article: SegmentedDocument): string | undefined {
  const title = article.doc.meta.title ?? article.segments.find((s) => s.kind === 'heading')?.plain;
  // The first paragraph with words of its own: a line that is only a macro or a number is no lead.
  const lead = article.segments.find((s) => s.body && s.kind === 'paragraph' && needsTranslation(s))?.plain;
  const context = [title, lead].filter((t): t is string => t !== undefined && t.trim() !== '').join('\n\n');
  return context === '' ? undefined : context.slice(0, MAX_CONTEXT);
}
