// Reads a term list handed to `glossary import` as CSV or TSV: German, English per line, with or
// without a header, the delimiter (tab, semicolon or comma) found from the file itself.
import { parse } from 'csv-parse/sync';
import type { Message } from '../model.js';
import { InputError } from '../util/errors.js';
import { csvRecordLines } from './csv-record-lines.js';
import type { GlossaryTerm } from './glossary.js';
import { parseForms } from './load-glossary.js';
import type { ImportedTerms } from './read-tbx.js';

/**
 * Reads CSV/TSV term pairs. The first column is the German, the second the English, an optional
 * third the note. A first row naming the columns (`german,english`, `Deutsch;Englisch`, `de\ten-US`,
 * `source,target` …) is a header; then columns it names `forms` and `note` are read too, so a
 * diglot glossary imports whole. Rows with an empty side or more columns are skipped, each reported
 * at its line; white space around and inside a term is tidied (DeepL rejects tabs and line breaks).
 * CSV that does not parse is an InputError naming file and line.
 */
export function readTermPairs(text: string, file: string): ImportedTerms {
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
        : (error as Error).message.replace(/ (at|on) line \d+/, '');
    throw new InputError(`${file}:${line}: not valid ${delimiter === '\t' ? 'TSV' : 'CSV'}: ${message}`);
  }
  const lineOf = (index: number): number => lines.records[index] ?? index + 1;
  const skipped: Message[] = [];
  const skip = (line: number, message: string): void => {
    skipped.push({ file, line, rule: 'csv', severity: 'warning', message });
  };
  let columns = { german: 0, english: 1, forms: -1, note: 2 };
  let first = 0;
  const header = records[0]?.map((cell) => cell.trim().toLowerCase());
  if (header !== undefined && GERMAN.test(header[0] ?? '') && ENGLISH.test(header[1] ?? '')) {
    first = 1;
    columns = { german: 0, english: 1, forms: header.findIndex((h) => FORMS.test(h)), note: header.findIndex((h) => NOTE.test(h)) };
  }
  const known = new Set(Object.values(columns).filter((c) => c >= 0));
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
    terms.push({ german, english, forms, note: (record[columns.note] ?? '').trim(), line });
  });
  return { terms, skipped };
}

/** Header names of the German, English, forms and note columns. */
const GERMAN = /^(german|deutsch|source|quelle|de([-_][a-z]{2})?)( term)?$/;
const ENGLISH = /^(english|englisch|target|ziel|en([-_][a-z]{2})?)( term)?$/;
const FORMS = /^(forms|formen)$/;
const NOTE = /^(note|notes|comment|comments|anmerkung|bemerkung|definition)$/;

/** A term with its runs of white space as one space, trimmed. */
function tidy(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * The delimiter of the first lines: a tab if any has one; else the one of `;` and `,` that
 * occurs (outside quotes) the same number of times, at least once, on each of them, `;` first
 * (what Excel writes in German locales); else `,`.
 */
function detectDelimiter(text: string): string {
  const sample = text
    .split(/\r\n|\n|\r/)
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  const count = (line: string, c: string): number => {
    let n = 0;
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === c && !quoted) n++;
    }
    return n;
  };
  if (sample.some((l) => count(l, '\t') > 0)) return '\t';
  for (const c of [';', ',']) {
    const counts = sample.map((l) => count(l, c));
    if (counts.length > 0 && counts.every((n) => n > 0 && n === counts[0])) return c;
  }
  return ',';
}
