// Reads a term list handed to `glossary import` as CSV or TSV: German, English per line, with or
// without a header, the delimiter (tab, semicolon or comma) found from the file itself.
import { parse } from 'csv-parse/sync';
import type { Message } from '../model.js';
import { InputError } from '../util/errors.js';
import { csvProblem, csvRecordLines } from './csv-record-lines.js';
import type { GlossaryTerm } from './glossary.js';
import { parseForms } from './parse-glossary.js';
import type { ImportedTerms } from './read-tbx.js';

/**
 * Reads CSV/TSV term pairs. Without a header the first column is the German, the second the
 * English, an optional third the note. A first row naming a German and an English column, in any
 * order (`german,english`, `Englisch;Deutsch`, `de\ten-US`, `term_en,term_de`, `source,target`,
 * `Begriff;Übersetzung`, `Term (de),Term (en)` …), is a header: the columns are read by their names,
 * `forms` and `note` too (so a diglot glossary imports whole), the English of `targetLang` where there
 * are several, and columns of anything else (another language, a status) are left out, said once.
 * Rows with an empty side, or without a header more columns, are skipped, each reported at its
 * line; white space around and inside a term is tidied (DeepL rejects tabs and line breaks). CSV
 * that does not parse is an InputError naming file and line.
 */
export function readTermPairs(text: string, file: string, targetLang = 'en-US'): ImportedTerms {
  const body = text.replace(/^\uFEFF/, '');
  const delimiter = detectDelimiter(body);
  const lines = csvRecordLines(body, delimiter);
  let records: string[][];
  try {
    records = parse(body, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: false,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as string[][];
  } catch (error) {
    const { code, records: parsed = 0, lines: end = 1 } = error as { code?: string; records?: number; lines?: number };
    const line = code === 'CSV_QUOTE_NOT_CLOSED' ? (lines.unclosedQuote ?? end) : (lines.records[parsed] ?? end);
    const message =
      code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted field opens on this line and is never closed (a missing or extra ")'
        : csvProblem(error as Error);
    throw new InputError(`${file}:${line}: not valid ${delimiter === '\t' ? 'TSV' : 'CSV'}: ${message}`);
  }
  const lineOf = (index: number): number => lines.records[index] ?? index + 1;
  const skipped: Message[] = [];
  const skip = (line: number, message: string): void => {
    skipped.push({ file, line, rule: 'csv', severity: 'warning', message });
  };
  let columns = { german: 0, english: 1, forms: -1, note: 2 };
  let first = 0;
  let ignored = new Set<number>();
  const header = records[0]?.map((cell) => cell.trim().toLowerCase());
  const named = (pattern: RegExp): number => header?.findIndex((h) => pattern.test(h)) ?? -1;
  // Of several English columns (`en-GB`, `en-US`, `English (UK)`), the project's variant.
  const region = targetLang.toLowerCase().split(/[-_]/)[1];
  const english = header?.findIndex((h) => ENGLISH.test(h) && region !== undefined && regionOf(h) === region) ?? -1;
  if (named(GERMAN) >= 0 && named(ENGLISH) >= 0) {
    first = 1;
    columns = { german: named(GERMAN), english: english >= 0 ? english : named(ENGLISH), forms: named(FORMS), note: named(NOTE) };
    const read = new Set(Object.values(columns));
    ignored = new Set((header ?? []).flatMap((_, column) => (read.has(column) ? [] : [column])));
    if (ignored.size > 0)
      skip(
        lineOf(0),
        `column${ignored.size === 1 ? '' : 's'} ${[...ignored].map((c) => `${c + 1} ("${records[0]?.[c]?.trim()}")`).join(', ')} ` +
          'not read: a glossary holds German, English, forms and a note',
      );
  }
  const known = new Set([...Object.values(columns).filter((c) => c >= 0), ...ignored]);
  const terms: GlossaryTerm[] = [];
  records.forEach((record, index) => {
    if (index < first) return;
    const line = lineOf(index);
    const cell = (column: number): string => (column < 0 ? '' : tidy(record[column] ?? ''));
    const extra = record.findIndex((value, column) => !known.has(column) && value.trim() !== '');
    if (extra !== -1) {
      skip(
        line,
        `has a value in column ${extra + 1} ("${tidy(record[extra] ?? '')}"); expected German, English and an optional note; skipped`,
      );
      return;
    }
    const german = cell(columns.german);
    const english = cell(columns.english);
    if (german === '' && english === '') return;
    if (german === '' || english === '') {
      skip(line, `no ${german === '' ? 'German' : 'English'} term${german === '' ? ` for "${english}"` : ` for "${german}"`}; skipped`);
      return;
    }
    const forms = parseForms(cell(columns.forms), english).map((f) => ({ de: tidy(f.de), en: tidy(f.en) }));
    terms.push({ german, english, forms, note: (record[columns.note] ?? '').trim().replace(/\r\n?/g, '\n'), line });
  });
  return { terms, skipped };
}

/**
 * Header names of the German, English, forms and note columns. A language may name its variant in
 * brackets, as CAT tools write it (`German (Germany)`, `English (United States)`), or be the bracket
 * after "term" (`Term (de)`); a bare "Begriff" or "Term" beside "Übersetzung" or "Translation" is
 * the German beside the English, and so is "Source language" beside "Target language".
 */
const GERMAN = headerPattern('german|deutsch|source|quelle|de', 'source|ausgangs', true);
const ENGLISH = headerPattern('english|englisch|target|ziel|en', 'target|ziel', false);
const FORMS = /^(forms|formen)$/;
const NOTE = /^(note|notes|comment|comments|kommentar|anmerkung|bemerkung|hinweis|definition)$/;

function headerPattern(language: string, side: string, german: boolean): RegExp {
  const term = '(term|begriff|terminus)';
  const code = `(${language})([-_][a-z]{2})?`;
  return new RegExp(
    [
      `^(${term}[-_ ]?)?${code}([-_ ]${term})?( ?\\([^()]*\\))?$`,
      `^${term} ?\\(${code}\\)$`,
      `^(${side})[-_ ]?(language|sprache)$`,
      german ? `^${term}$` : '^(übersetzung|translation)$',
    ].join('|'),
  );
}

/**
 * The region a header's English names, as a lower-case country code: `en-US`, `term_en_us`, `English (UK)`,
 * `Term (en-US)` → us, us, gb, us.
 */
function regionOf(header: string): string | undefined {
  const named = /\(([^()]*)\)\s*$/.exec(header)?.[1]?.trim();
  const code = /[-_ (]([a-z]{2})\)?\s*$/.exec(header)?.[1];
  const tagged = named === undefined ? undefined : /^[a-z]{2,3}[-_]([a-z]{2})$/.exec(named)?.[1];
  const region = tagged ?? (named !== undefined && named.length > 2 ? REGIONS.get(named) : (named ?? code));
  return region === 'uk' ? 'gb' : region;
}

/** Countries as CAT tools and spreadsheets name an English variant in brackets. */
const REGIONS = new Map([
  ['united states', 'us'],
  ['usa', 'us'],
  ['amerikanisch', 'us'],
  ['united kingdom', 'gb'],
  ['great britain', 'gb'],
  ['britisch', 'gb'],
]);

/** A term with its runs of white space as one space, trimmed. */
function tidy(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * The delimiter of the first records: the one of tab, `;` and `,` that occurs (outside quotes) the
 * same number of times, at least once, in each of them, in that order (`;` is what Excel writes in
 * German locales; a stray tab in a note of a comma file is no delimiter); else the one that more of
 * them hold, in that order on a tie; else `,`. A quoted cell may hold line breaks: a record ends at a line break outside quotes.
 */
function detectDelimiter(text: string): string {
  const records: Array<Record<string, number>> = [];
  let counts: Record<string, number> = { '\t': 0, ';': 0, ',': 0 };
  let blank = true;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (!blank) records.push(counts);
      if (records.length === 20) break;
      counts = { '\t': 0, ';': 0, ',': 0 };
      blank = true;
      continue;
    } else if (!quoted && ch in counts) counts[ch] = (counts[ch] ?? 0) + 1;
    if (ch.trim() !== '') blank = false;
  }
  if (!blank && records.length < 20) records.push(counts);
  const found = (c: string): number[] => records.map((r) => r[c] ?? 0);
  for (const c of ['\t', ';', ',']) {
    const n = found(c);
    if (n.length > 0 && n.every((k) => k > 0 && k === n[0])) return c;
  }
  // Rows of different lengths (a note on some rows only, a row with one cell): the one in more of them, a tab
  // then `;` on a tie.
  const rows = (c: string): number => found(c).filter((k) => k > 0).length;
  const most = Math.max(rows('\t'), rows(';'), rows(','));
  return most === 0 ? ',' : (['\t', ';', ','].find((c) => rows(c) === most) as string);
}
