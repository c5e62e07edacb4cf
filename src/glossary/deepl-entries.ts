import { capitalised, termForms, type Glossary } from './glossary.js';
import { byCodeUnits } from '../util/by-code-units.js';

/**
 * The source → target pairs sent to DeepL: every listed form as its own entry (DeepL does not
 * promise to match inflected sources), plus the capitalised form of each lower-case one, since a
 * term at the start of a sentence or in a heading is capitalised in German. Sorted, so the same
 * glossary always gives the same dictionary and the same content hash.
 */
export function deeplEntries(glossary: Glossary): Array<[string, string]> {
  const entries = new Map<string, string>();
  for (const term of glossary.terms) {
    for (const form of termForms(term)) {
      if (!entries.has(form.de)) entries.set(form.de, form.en);
      const atSentenceStart = capitalised(form.de);
      if (!entries.has(atSentenceStart)) entries.set(atSentenceStart, form.en);
    }
  }
  return [...entries.entries()].sort(([a], [b]) => byCodeUnits(a, b));
}
