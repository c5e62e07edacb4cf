// Where each CSV record starts, counted the way an editor counts lines: csv-parse's own counter
// reports where a record ends (and counts a CRLF inside a quoted field twice), past the mistake.

/** The start lines of a CSV text's records, and the line of a quote that is never closed. */
export interface CsvLines {
  /** 1-based start line of each record, empty lines skipped (as csv-parse's `skip_empty_lines` does). */
  records: number[];
  /** The line of the opening quote of a field that runs to the end of the text, if any. */
  unclosedQuote: number | undefined;
}

/**
 * Scans CSV text with the grammar csv-parse applies with our options (`delimiter`, by default `,`,
 * between fields; CRLF, LF or CR between records; a field opened by `"` runs to the next single
 * `"`, `""` being a quote inside it) and says where each record starts. It never rejects anything: csv-parse decides what
 * is valid; this only locates what csv-parse found, so the two agree on every record before an error.
 */
export function csvRecordLines(text: string, delimiter = ','): CsvLines {
  const records: number[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    let empty = true;
    let fieldStart = true;
    let quoteLine: number | undefined;
    for (; i < text.length; i++) {
      const c = text[i];
      if (quoteLine !== undefined) {
        if (c === '"') {
          if (text[i + 1] === '"') i++;
          else quoteLine = undefined;
        } else if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        continue;
      }
      if (c === '\r' || c === '\n') break;
      empty = false;
      if (c === '"' && fieldStart) quoteLine = line;
      fieldStart = c === delimiter;
    }
    if (quoteLine !== undefined) {
      records.push(start);
      return { records, unclosedQuote: quoteLine };
    }
    if (!empty) records.push(start);
    // Past the record delimiter (CRLF counts as one line break).
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    i++;
    line++;
  }
  return { records, unclosedQuote: undefined };
}

/**
 * csv-parse's message for a record it refused, as a user reads it: without its own (end) line
 * (the caller names the record's), columns counted from 1 as a spreadsheet counts them, and what
 * to do about a stray quote.
 */
export function csvProblem(error: Error): string {
  const message = error.message.replace(/^Invalid Record Length: /, '').replace(/ (at|on) line \d+/, '');
  const opening = /^Invalid Opening Quote: a quote is found on field (\d+), value is (.*)$/.exec(message);
  if (opening) return `a quote stands inside column ${Number(opening[1]) + 1} (${opening[2]}); ${QUOTING}`;
  if (/^Invalid Closing Quote: /.test(message)) return `text follows a quoted field's closing quote; ${QUOTING}`;
  return message;
}

const QUOTING = 'put the whole field in quotes, and write a quote inside it twice ("")';
