import type { Message } from '../model.js';
import { capitalised, termForms, type GlossaryTerm } from './glossary.js';

/** The longest term DeepL takes in a glossary, in UTF-8 bytes (each side of an entry). */
const MAX_TERM_BYTES = 1024;

/**
 * Checks terms the way DeepL would reject them, and more: empty sides, tabs or line breaks,
 * leading or trailing white space, more than 1,024 bytes, duplicate German terms or forms, conflicting targets, forms
 * run together with a comma.
 * Appends problems and returns the terms that are safe to use.
 */
export function validateTerms(terms: readonly GlossaryTerm[], file: string, problems: Message[]): GlossaryTerm[] {
  const valid: GlossaryTerm[] = [];
  const seen = new Map<string, { en: string; term: GlossaryTerm }>();
  /** By the German with its first letter capitalised, as DeepL gets each lower-case term too (see `deeplEntries`). */
  const atSentenceStart = new Map<string, { line: number; de: string; en: string }>();
  for (const term of terms) {
    const errors: string[] = [];
    const side = (label: string, value: string): void => {
      const size = Buffer.byteLength(value);
      if (value.trim() === '') errors.push(`${label} is empty`);
      else if (/[\t\r\n]/.test(value)) errors.push(`${label} "${visible(value)}" contains a tab or line break, which DeepL rejects`);
      else if (value !== value.trim()) errors.push(`${label} "${visible(value)}" has leading or trailing spaces, which DeepL rejects`);
      else if (/[\u0000-\u001f\u007f]/.test(value)) errors.push(`${label} "${visible(value)}" contains a control character`);
      else if (size > MAX_TERM_BYTES)
        errors.push(
          `${label} "${visible(value).slice(0, 40)}…" is ${size.toLocaleString('en-US')} bytes in UTF-8, ` +
            `and DeepL takes at most ${MAX_TERM_BYTES.toLocaleString('en-US')} a term`,
        );
    };
    if (term.german.startsWith('#'))
      errors.push(`"${term.german}": the glossary has no comment lines; put a remark in the note column, or remove the line`);
    else {
      side('German term', term.german);
      side('English term', term.english);
    }
    for (const form of term.forms) {
      side('German form', form.de);
      side(`English for form "${form.de}"`, form.en);
      // Two forms run together with a comma (`--forms "a,b"`) match nothing; a phrase term with a comma may have one.
      if (form.de.includes(',') && !term.german.includes(','))
        errors.push(`German form "${form.de}" holds a comma: forms are separated by ";" (${form.de.split(/\s*,\s*/).join(';')})`);
      // A term with "=" in it (A=B-Regel) and a form written as it (A=B-Regeln): the forms column read "A" with the English "B-Regeln".
      const eq = term.german.indexOf('=');
      if (eq > 0 && form.en !== term.english && `${form.de}=${form.en}`.startsWith(term.german.slice(0, eq + 1)))
        errors.push(
          `German form "${form.de}=${form.en}" holds "=", which in the forms column separates a form from its English: ` +
            'a form with "=" in it cannot be listed',
        );
    }
    if (errors.length === 0) {
      const forms = termForms(term);
      for (const form of forms) {
        const previous = seen.get(form.de);
        if (!previous) {
          seen.set(form.de, { en: form.en, term });
          continue;
        }
        if (previous.term.line === term.line) errors.push(`"${form.de}" is listed twice in this row`);
        else if (previous.en === form.en && sameRow(previous.term, term)) errors.push(`"${form.de}" duplicates line ${previous.term.line}`);
        else if (previous.en === form.en)
          // Not a copy to delete: each row may hold forms or a note the other lacks.
          errors.push(
            `"${form.de}" is on line ${previous.term.line} too, with other forms or another note: ` +
              'merge the two rows into one, keeping the forms and notes of both',
          );
        else errors.push(`"${form.de}" conflicts with line ${previous.term.line}: "${previous.en}" there, "${form.en}" here`);
      }
      // "ostflanke" is matched, and sent to DeepL, as "Ostflanke" too: another row's "Ostflanke" is the same term.
      // So is "NATO‑Ostflanke" (a non-breaking hyphen) as "NATO-Ostflanke": the text's hyphens are any of them.
      for (const form of forms) {
        const key = capitalised(form.de).replace(OTHER_HYPHENS, '-');
        const other = atSentenceStart.get(key);
        if (!other) atSentenceStart.set(key, { line: term.line, de: form.de, en: form.en });
        else if (other.de !== form.de && other.line !== term.line) {
          const hyphens = other.de.slice(1) !== form.de.slice(1);
          const how = [
            ...(other.de.charAt(0) !== form.de.charAt(0) ? ['with its first letter in either case'] : []),
            ...(hyphens ? ['with any hyphen for another: -, U+2010 or the non-breaking U+2011'] : []),
          ].join(' and ');
          errors.push(
            other.en === form.en
              ? `"${form.de}" duplicates "${other.de}" on line ${other.line}: a term is matched ${how}`
              : `"${form.de}" conflicts with "${other.de}" on line ${other.line}, ` +
                  `the same term ${hyphens ? 'in a text' : 'at a sentence start'} ` +
                  `(a term is matched ${how}): "${other.en}" there, "${form.en}" here`,
          );
        }
      }
    }
    for (const message of errors) problems.push({ file, line: term.line, rule: 'glossary', severity: 'error', message });
    if (errors.length === 0) valid.push(term);
  }
  return valid;
}

/** The hyphens the term matcher takes for "-" (see `match-terms.ts`): a hyphen (U+2010) and a non-breaking one (U+2011). */
const OTHER_HYPHENS = /[\u2010\u2011]/g;

function visible(value: string): string {
  return value.replace(/\t/g, '\\t').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** Whether two rows say the same: German, English, forms (with their English) and note. */
function sameRow(a: GlossaryTerm, b: GlossaryTerm): boolean {
  const forms = (t: GlossaryTerm): string => JSON.stringify(t.forms.map((f) => [f.de, f.en]));
  return a.german === b.german && a.english === b.english && a.note === b.note && forms(a) === forms(b);
}
