import { GLOSSARY_HEADER } from './glossary.js';
import type { Message } from '../model.js';
import { termOfRow } from './parse-glossary.js';
import { readGlossaryRows, type GlossaryRow } from './read-glossary-rows.js';
import { validateTerms } from './validate-terms.js';
import { formatMessage } from '../util/format-message.js';

/** A new row for the glossary file. */
export interface NewTerm {
  german: string;
  english: string;
  /** `Form` or `Form=English`, as in the file's forms column. */
  forms: string[];
  note: string;
}

/**
 * Adds a term to the glossary text and returns the new text, sorted by German term (so the file
 * diffs by line), or the problems that stop it: a file that does not parse whole (`file:line:
 * message`, nothing rewritten), or the new term failing the checks of `glossary check`. Every
 * other row is kept with its cells as written, including rows that fail those checks.
 */
export function addTerm(
  text: string,
  file: string,
  term: NewTerm,
): { text: string } | { problems: string[] /** The German terms of the rows it clashes with, at their lines. */; rows: string[] } {
  const read = readGlossaryRows(text, file);
  if (read.problems.length > 0) return { problems: read.problems.map(formatMessage), rows: [] };
  // Composed (NFC), as an import writes terms: a term typed decomposed (a Mac's keyboard, a PDF) diffs as itself.
  const cells = [term.german, term.english, term.forms.join(';'), term.note].map((cell) => cell.normalize('NFC'));
  // Checked after the rows as the file has them: a clash is the new term's, and names the other row by its line in the file.
  const existing = read.rows.map(termOfRow);
  const problems: Message[] = [];
  validateTerms([...existing, termOfRow({ cells, line: NEW_ROW })], file, problems);
  const fresh = problems.filter((p) => p.severity === 'error' && p.line === NEW_ROW);
  if (fresh.length > 0) {
    const lines = fresh.flatMap((p) => [...p.message.matchAll(/\bline (\d+)\b/g)].map((m) => Number(m[1])));
    const rows = [...new Set(existing.filter((t) => lines.includes(t.line)).map((t) => t.german))];
    return { problems: fresh.map((p) => p.message), rows };
  }
  return { text: renderGlossary([...read.rows.map((row) => row.cells), cells]) };
}

/** The line the term being added is checked at: after every row of any file. */
const NEW_ROW = Number.MAX_SAFE_INTEGER;

/**
 * Removes the row(s) whose German term is `german`, and gives them (to be named: a term written
 * twice goes whole); `undefined` when there is none. Throws when the text does not parse whole:
 * check it with `readGlossaryRows` first (as `glossary remove` does), since rewriting a file that was
 * not understood would drop rows.
 */
export function removeTerm(text: string, german: string, file = 'glossary'): { text: string; removed: GlossaryRow[] } | undefined {
  const { rows, problems } = readGlossaryRows(text, file);
  if (problems.length > 0) throw new Error(`removeTerm: ${file} does not parse whole:\n  ${problems.map(formatMessage).join('\n  ')}`);
  // Compared composed (NFC), as terms are matched: a row saved decomposed (a Mac) is the term typed.
  const term = german.normalize('NFC');
  const named = (row: GlossaryRow): boolean => (row.cells[0] ?? '').normalize('NFC') === term;
  const kept = rows.filter((row) => !named(row));
  const removed = rows.filter(named);
  return removed.length === 0 ? undefined : { text: renderGlossary(kept.map((row) => row.cells)), removed };
}

/**
 * `next` in the style of the file's text `was`: its byte-order mark, and its line ends (`\r\n` when
 * its first line ends so), so that a file saved by Excel or on Windows changes by the rows edited
 * rather than on every line.
 */
export function inFileStyle(was: string, next: string): string {
  const body = next.replace(/^\uFEFF/, '');
  const lines = /^[^\n]*\r\n/.test(was) ? body.replace(/\r?\n/g, '\r\n') : body;
  return was.startsWith('\uFEFF') ? `\uFEFF${lines}` : lines;
}

/** Renders rows as the glossary CSV: header first, rows sorted by German term (German collation). */
export function renderGlossary(rows: readonly string[][]): string {
  const sorted = [...rows].sort((a, b) => compareGerman(a[0] ?? '', b[0] ?? ''));
  return `${[GLOSSARY_HEADER.join(','), ...sorted.map(renderRow)].join('\n')}\n`;
}

/** The glossary's row order: German collation, ties (case, accents) broken by the default locale order. */
export function compareGerman(a: string, b: string): number {
  return collator.compare(a, b) || a.localeCompare(b);
}

const collator = new Intl.Collator('de', { sensitivity: 'base' });

/** One row as a CSV line in the canonical form: always four cells, quoted only where needed. */
export function renderRow(row: readonly string[]): string {
  const cells = [...row];
  while (cells.length < GLOSSARY_HEADER.length) cells.push('');
  return cells.map(csvCell).join(',');
}

function csvCell(value: string): string {
  return /[",\r\n\t]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
