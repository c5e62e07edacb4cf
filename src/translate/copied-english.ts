// The English of a segment without words (a figure, a date, a sign, a lone macro), which is not sent: its
// German with the figures and dates in English notation (4.800 → 4,800; 2,5 % → 2.5%; 14.03.2026 → 03/14/2026), all else as written.
import type { Nodes } from 'mdast';
import type { Segment } from '../model.js';

/** Why a copied pair's English is refused where a reviewer edits it (the review file, the review app), after "this pair". */
export const COPY_NOT_EDITABLE =
  'has no words to translate and is copied from the German (figures in English notation); its English cannot be edited';

/**
 * A figure in German notation that English writes otherwise: digits grouped by dots (with or
 * without a decimal comma), or a decimal comma. Not a date (14.03.2026), a version or an address:
 * a figure neither begins nor ends next to another digit, dot-and-digit or letter.
 */
const GERMAN_FIGURE = /(?<![\p{L}\d.,])(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+)(?![\p{L}\d]|[.,]\d)/gu;

/**
 * A date in German notation, day.month.year (14.03.2026), its parts captured: English writes it
 * month/day/year in the United States, day/month/year elsewhere. Not one within a longer dotted number.
 */
const GERMAN_DATE = /(?<![\p{L}\d.,])(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.(\d{4})(?![\p{L}\d]|[.,]\d)/gu;

/** A space before a percent sign, which German writes and English does not (25 % → 25%). */
const PERCENT_SPACE = /(?<=\d)[ \u00a0\u202f](?=%)/g;

/**
 * The English of a segment `needsTranslation` says has no words: its German, but that in its text
 * (not in code, link targets, HTML or protected tokens) figures and dates are in English notation,
 * the dates as `lang` writes them (en-US: month first). A Markdown segment that is not one run of
 * inline content (an HTML block) stays as written.
 */
export function copiedEnglish(segment: Pick<Segment, 'source' | 'markdown' | 'phrasing' | 'protected'>, lang = 'en-US'): string {
  const { source } = segment;
  const englishFigures = (text: string): string => figuresAndDates(text, /^en-US$/i.test(lang));
  if (!segment.markdown) return convertBetween(source, segment.protected ?? [], englishFigures);
  if (!segment.phrasing) return source;
  let english = '';
  let at = 0;
  for (const { start, end } of textRanges(segment.phrasing)) {
    english += source.slice(at, start) + englishFigures(source.slice(start, end));
    at = end;
  }
  return english + source.slice(at);
}

/** Plain text: converted everywhere but in its protected tokens, found in order. */
function convertBetween(text: string, tokens: readonly string[], englishFigures: (text: string) => string): string {
  let english = '';
  let at = 0;
  for (const token of tokens) {
    const found = text.indexOf(token, at);
    if (found < 0) continue;
    english += englishFigures(text.slice(at, found)) + token;
    at = found + token.length;
  }
  return english + englishFigures(text.slice(at));
}

/** Where the text nodes of inline Markdown sit in its source, in order. */
function textRanges(nodes: readonly Nodes[]): Array<{ start: number; end: number }> {
  return nodes.flatMap((node) => {
    if (node.type === 'text') {
      const start = node.position?.start.offset;
      const end = node.position?.end.offset;
      return start === undefined || end === undefined ? [] : [{ start, end }];
    }
    return 'children' in node ? textRanges(node.children as Nodes[]) : [];
  });
}

/** A stretch of German text with its dates and figures in English notation (dates month first in American English). */
function figuresAndDates(text: string, american: boolean): string {
  return text
    .replace(GERMAN_DATE, (_date, day: string, month: string, year: string) =>
      american ? `${month}/${day}/${year}` : `${day}/${month}/${year}`,
    )
    .replace(GERMAN_FIGURE, (figure) => figure.replace(/[.,]/g, (mark) => (mark === '.' ? ',' : '.')))
    .replace(PERCENT_SPACE, '');
}
