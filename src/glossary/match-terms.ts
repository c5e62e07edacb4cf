import { termForms, type Glossary, type GlossaryTerm, type TermForm } from './glossary.js';

/** A glossary term found in a German text. */
export interface TermMatch {
  term: GlossaryTerm;
  /** The listed form whose pattern matched. */
  form: TermForm;
  /** The text as it stands in the German (e.g. "roten Linien"). */
  found: string;
  start: number;
  end: number;
}

/** Regular German case, number and adjective endings a word may take. */
const ENDINGS = '(?:e|en|em|er|es|n|s|ns|ern)?';
const STRIPPABLE = ['en', 'em', 'er', 'es', 'e', 'n', 's'];
const LETTER_BEFORE = '(?<![\\p{L}\\p{N}])';
const LETTER_AFTER = '(?![\\p{L}\\p{N}])';

/** Finds the glossary's terms in a German text. */
export type TermMatcher = (text: string) => TermMatch[];

/**
 * Compiles a glossary into a matcher for German text. A term matches its listed forms and their
 * regular inflections: every word may take a case, number or adjective ending (Ostflanke →
 * Ostflanken, rote Linien → roten Linien, Rat → Rates), the first letter of each word may be
 * capitalised (sentence start, headings), and a term may be the head of a hyphenated compound
 * (NATO-Ostflanke). It never matches inside a larger word (Ostflankenschutz, Linienbus).
 * Overlapping matches keep the longest.
 */
export function compileTermMatcher(glossary: Glossary): TermMatcher {
  const patterns = glossary.terms.flatMap((term) =>
    termForms(term).map((form) => ({ term, form, re: new RegExp(germanPattern(form.de), 'gu') })),
  );
  return (text) => {
    const all: TermMatch[] = [];
    for (const { term, form, re } of patterns) {
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) all.push({ term, form, found: m[0], start: m.index, end: m.index + m[0].length });
    }
    all.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start));
    const kept: TermMatch[] = [];
    for (const m of all) {
      const last = kept[kept.length - 1];
      if (last && m.start < last.end) {
        if (m.end - m.start > last.end - last.start) kept[kept.length - 1] = m;
        continue;
      }
      kept.push(m);
    }
    return kept;
  };
}

/** The pattern for one German form: each word inflectable, first letters either case. */
export function germanPattern(form: string): string {
  const words = form.trim().split(/\s+/);
  const body = words
    .map((word) => {
      const parts = word.split('-');
      const head = parts.pop() ?? '';
      const modifiers = parts.map((p) => `${firstLetterEitherCase(p)}-`).join('');
      return `${modifiers}${firstLetterEitherCase(stem(head))}${ENDINGS}`;
    })
    .join('[\\s\\u00A0]+');
  return `${LETTER_BEFORE}${body}${LETTER_AFTER}`;
}

/** A word without one regular ending, when enough of it remains to be unambiguous. */
function stem(word: string): string {
  for (const ending of STRIPPABLE) {
    if (word.endsWith(ending) && word.length - ending.length >= 3) return word.slice(0, -ending.length);
  }
  return word;
}

function firstLetterEitherCase(word: string): string {
  const first = word.charAt(0);
  const rest = escapeRegExp(word.slice(1));
  const lower = first.toLocaleLowerCase('de');
  const upper = first.toLocaleUpperCase('de');
  return lower === upper ? escapeRegExp(first) + rest : `[${escapeRegExp(lower)}${escapeRegExp(upper)}]${rest}`;
}

/** Escapes a string for use in a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
