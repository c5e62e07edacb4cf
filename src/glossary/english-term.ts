import { escapeRegExp } from '../text/escape.js';

/**
 * A pattern that finds an English term with its regular inflections: each word's small first letter
 * as a capital too (headings, sentence starts), never a capital as a small letter (the glossary's
 * "NATO-Russia Council" is not "NATO-Russia council"), the last word singular or plural, possessive or not
 * (red line / red lines, eastern flank's, NATO-Russia Council's), hyphens as hyphen or dash, and
 * the words joined by a hyphen where the term qualifies a noun (eastern-flank states, red-line issues),
 * an apostrophe or quotation mark straight or typographic. With `first word`, only the term's very first letter may
 * be a capital where the glossary has a small one (a sentence may begin with the term): the letter case the glossary gives it.
 */
export function englishPattern(term: string, initials: 'every word' | 'first word' = 'every word'): RegExp {
  const words = term.trim().split(/\s+/);
  const body = words
    .map((word, i) => {
      const last = i === words.length - 1;
      const [base, ending] = last ? numberForms(word) : [word, ''];
      const text = base
        .split('-')
        .map((part, j) => {
          // The first letter, after any quotation mark the term opens with ("turning point").
          const lead = /^[^\p{L}\d]*/u.exec(part)?.[0] ?? '';
          const first = part.charAt(lead.length);
          const small = first !== first.toUpperCase() && first === first.toLowerCase();
          const free = small && (initials === 'every word' || (i === 0 && j === 0));
          const letters = free ? `[${first.toLowerCase()}${first.toUpperCase()}]` : escapeRegExp(first);
          return anyQuotes(escapeRegExp(lead)) + letters + anyQuotes(escapeRegExp(part.slice(lead.length + 1)));
        })
        .join('[-\\u2010\\u2011\\u2013]');
      return last ? `${text}${ending}(?:['\\u2019]s?)?` : text;
    })
    .join('(?:[\\s\\u00A0]+|[-\\u2010\\u2011])');
  return new RegExp(`(?<![\\p{L}])${body}(?![\\p{L}])`, 'u');
}

/**
 * A pattern's text with each quotation mark or apostrophe matching its straight and typographic forms,
 * the same marks to a reader: Putin's and Putin’s, "turning point" and “turning point”.
 */
function anyQuotes(text: string): string {
  return text.replace(/["\u201C\u201D\u201E]/g, '["\\u201C\\u201D\\u201E]').replace(/['\u2018\u2019]/g, "['\\u2018\\u2019]");
}

/**
 * A term's last word as a stem and the pattern of its singular and plural endings: strategy and
 * strategies, crisis and crises, spokesman and spokesmen; otherwise the word with or without -s or
 * -es (a plural given, "red lines", is taken from its singular).
 */
function numberForms(word: string): [string, string] {
  if (/[^aeiou]ies$/i.test(word) && word.length > 4) return [word.slice(0, -3), '(?:y|ies)'];
  if (/[^aeiou]y$/i.test(word)) return [word.slice(0, -1), '(?:y|ies)'];
  if (/[^aeiou]is$/i.test(word) && word.length > 4) return [word.slice(0, -2), '(?:is|es)'];
  if (/.man$/i.test(word)) return [word.slice(0, -2), '(?:an|en)'];
  return [/[^s]s$/i.test(word) && word.length > 3 ? word.slice(0, -1) : word, '(?:s|es)?'];
}
