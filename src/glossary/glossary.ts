/** A German form of a term and the English it takes (the term's English unless the file says otherwise). */
export interface TermForm {
  de: string;
  en: string;
}

/** One row of the glossary file. */
export interface GlossaryTerm {
  german: string;
  english: string;
  /** Other German forms listed in the file (inflections, spellings), each with its English. */
  forms: TermForm[];
  note: string;
  /** 1-based line in the glossary file. */
  line: number;
}

/** The loaded glossary. */
export interface Glossary {
  file: string;
  terms: GlossaryTerm[];
}

/** Header of the glossary CSV file. */
export const GLOSSARY_HEADER = ['german', 'english', 'forms', 'note'] as const;

/** A German term or form as it stands at a sentence start or in a heading: its first letter capitalised. */
export function capitalised(german: string): string {
  return german.charAt(0).toLocaleUpperCase('de') + german.slice(1);
}

/** Every German form of a term with its English: the term itself first. */
export function termForms(term: GlossaryTerm): TermForm[] {
  return [{ de: term.german, en: term.english }, ...term.forms];
}
