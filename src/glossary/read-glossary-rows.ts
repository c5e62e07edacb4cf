// Reads the glossary CSV into rows exactly as written, and says where it does not parse whole:
// the one reader behind `glossary check`, the build, the edit commands and the git merge driver.
import { parse } from 'csv-parse/sync';
import { csvProblem, csvRecordLines } from './csv-record-lines.js';
import type { Message } from '../model.js';
import { GLOSSARY_HEADER } from './glossary.js';

/** A data row of the glossary file: its cells as written (not trimmed, not padded) and its first line. */
export interface GlossaryRow {
  cells: string[];
  line: number;
}

/** What git leaves in a file it could not merge. */
const CONFLICT_MARKER = /^(<{7}|>{7}|\|{7})(\s|$)|^={7}$/;

/**
 * Parses glossary CSV text into its data rows (header dropped, blank rows skipped), every cell as
 * written. `problems` lists what keeps the file from being understood whole, each at the line where
 * it starts: CSV syntax (then no rows at all), a missing header, rows with more columns than the
 * header, unresolved git conflict markers. A command that rewrites the file must refuse when there
 * are any: rewriting what it did not understand would drop or mangle rows. Term-level checks
 * (empty sides, duplicates) are not made here; see `validateTerms`.
 */
export function readGlossaryRows(text: string, file: string): { rows: GlossaryRow[]; problems: Message[] } {
  const body = text.replace(/^\uFEFF/, '');
  const lines = csvRecordLines(body);
  const problems: Message[] = [];
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(body, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
      // Every line ending ends a record, as in an editor (csv-parse would otherwise keep to the first kind it sees).
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    const { code, records: parsed = 0, lines: end = 1 } = error as { code?: string; records?: number; lines?: number };
    if (code === 'CSV_QUOTE_NOT_CLOSED' && lines.unclosedQuote !== undefined) {
      // csv-parse reports this at the end of the file, where it gave up; the mistake is the opening quote.
      problems.push({
        file,
        line: lines.unclosedQuote,
        rule: 'glossary',
        severity: 'error',
        message: 'not valid CSV: a quoted field opens on this line and is never closed (a missing or extra ")',
      });
    } else {
      // csv-parse counts the records it completed before the failing one: that record starts at the next start line.
      const line = lines.records[parsed] ?? end;
      problems.push({ file, line, rule: 'glossary', severity: 'error', message: `not valid CSV: ${csvProblem(error as Error)}` });
    }
    return { rows: [], problems };
  }
  // The scanner and csv-parse read the same grammar; should they ever disagree, fall back to csv-parse's (end) lines.
  const lineOf = (index: number): number =>
    lines.records.length === records.length ? (lines.records[index] ?? 1) : (records[index]?.info.lines ?? 1);
  const [header, ...data] = records;
  const names = header?.record.map((h) => h.trim().toLowerCase()) ?? [];
  // The columns are read by their place: the header must name them in that order (a note read as forms would go to DeepL).
  if (names.length < 2 || names.some((name, i) => name !== (GLOSSARY_HEADER[i] ?? ''))) {
    const semicolons = names.length === 1 && /^german;english\b/.test(names[0] ?? '');
    problems.push({
      file,
      line: lineOf(0),
      rule: 'glossary',
      severity: 'error',
      message: semicolons
        ? 'the columns are separated by semicolons; the glossary is comma-separated: ' +
          'save it as CSV with commas (`diglot glossary import` takes a semicolon list)'
        : `the first line must be the header "${GLOSSARY_HEADER.join(',')}" (its columns in that order, the last two optional); ` +
          `found "${header?.record.join(',') ?? ''}"`,
    });
    return { rows: [], problems };
  }
  const rows: GlossaryRow[] = [];
  data.forEach(({ record }, i) => {
    const line = lineOf(i + 1);
    if (record.length === 1 && CONFLICT_MARKER.test(record[0] ?? '')) {
      problems.push({
        file,
        line,
        rule: 'glossary',
        severity: 'error',
        message: `unresolved git merge conflict marker "${record[0]}"; resolve the conflict (keep one version of each row) and remove the markers`,
      });
    } else if (record.slice(GLOSSARY_HEADER.length).some((cell) => cell.trim() !== '')) {
      // Empty cells after the note (a spreadsheet saves every row as wide as its widest) hold nothing to lose.
      const last = record.length - [...record].reverse().findIndex((cell) => cell.trim() !== '');
      problems.push({
        file,
        line,
        rule: 'glossary',
        severity: 'error',
        message:
          `has text in column ${last}; expected at most ${GLOSSARY_HEADER.length} columns (${GLOSSARY_HEADER.join(', ')}); ` +
          'quote a field that contains a comma',
      });
    } else if (!record.every((cell) => cell.trim() === '')) {
      rows.push({ cells: record, line });
    }
  });
  return { rows, problems };
}
