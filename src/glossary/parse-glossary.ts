// Parses the glossary CSV's text into terms: rows as written, each a term (its forms with their
// English, composed NFC), then checked as a whole; what the loader, the editor and the merge share.
import type { Message } from '../model.js';
import type { Glossary, GlossaryTerm, TermForm } from './glossary.js';
import { readGlossaryRows, type GlossaryRow } from './read-glossary-rows.js';
import { validateTerms } from './validate-terms.js';

/** Parses glossary CSV text; see `loadGlossary` (load-glossary.ts). */
export function parseGlossary(text: string, file: string): { glossary: Glossary; problems: Message[] } {
  const { rows, problems } = readGlossaryRows(text, file);
  const valid = validateTerms(rows.map(termOfRow), file, problems);
  problems.sort((a, b) => a.line - b.line);
  return { glossary: { file, terms: valid }, problems };
}

/** A row of the glossary file as a term, its line the row's. */
export function termOfRow({ cells, line }: GlossaryRow): GlossaryTerm {
  const [german = '', english = '', forms = '', note = ''] = cells;
  return composedTerm({ german, english, forms: parseForms(forms, english), note, line });
}

/**
 * A term with its German and English composed (NFC), as the sources are typed: a term saved
 * decomposed (a Mac, a PDF) would never match, nor be seen as a duplicate.
 */
export function composedTerm(term: GlossaryTerm): GlossaryTerm {
  const nfc = (text: string): string => text.normalize('NFC');
  return {
    ...term,
    german: nfc(term.german),
    english: nfc(term.english),
    forms: term.forms.map((f) => ({ de: nfc(f.de), en: nfc(f.en) })),
  };
}

/** `Ostflanken=eastern flanks; NATO-Ostflanke` → forms with their English. */
export function parseForms(cell: string, english: string): TermForm[] {
  if (cell.trim() === '') return [];
  return cell.split(';').map((part) => {
    const eq = part.indexOf('=');
    const de = (eq === -1 ? part : part.slice(0, eq)).trim();
    const en = eq === -1 ? english : part.slice(eq + 1).trim();
    return { de, en };
  });
}
