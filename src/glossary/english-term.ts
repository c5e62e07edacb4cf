import { escapeRegExp } from './match-terms.js';

/**
 * A pattern that finds an English term with its regular inflections: each word's first letter in
 * either case (headings, sentence starts), the last word singular or plural, possessive or not
 * (red line / red lines, eastern flank's, NATO-Russia Council's), hyphens as hyphen or dash, and
 * the words joined by a hyphen where the term qualifies a noun (eastern-flank states, red-line issues).
 */
export function englishPattern(term: string): RegExp {
  const words = term.trim().split(/\s+/);
  const body = words
    .map((word, i) => {
      const last = i === words.length - 1;
      const base = last && /[^s]s$/i.test(word) && word.length > 3 ? word.slice(0, -1) : word;
      const text = base
        .split('-')
        .map((part) => {
          const first = part.charAt(0);
          const letters =
            first.toLowerCase() === first.toUpperCase() ? escapeRegExp(first) : `[${first.toLowerCase()}${first.toUpperCase()}]`;
          return letters + escapeRegExp(part.slice(1));
        })
        .join('[-\\u2010\\u2011\\u2013]');
      return last ? `${text}(?:s|es)?(?:['\\u2019]s?)?` : text;
    })
    .join('(?:[\\s\\u00A0]+|[-\\u2010\\u2011])');
  return new RegExp(`(?<![\\p{L}])${body}(?![\\p{L}])`, 'u');
}
