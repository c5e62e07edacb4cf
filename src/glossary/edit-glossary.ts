import { GLOSSARY_HEADER } from './glossary.js';
import { parseGlossary } from './load-glossary.js';
import { readGlossaryRows } from './read-glossary-rows.js';
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
export function addTerm(text: string, file: string, term: NewTerm): { text: string } | { problems: string[] } {
  const read = readGlossaryRows(text, file);
  if (read.problems.length > 0) return { problems: read.problems.map(formatMessage) };
  const rows = read.rows.map((row) => row.cells);
  const candidate = [...rows, [term.german, term.english, term.forms.join(';'), term.note]];
  const rendered = renderGlossary(candidate);
  const { problems } = parseGlossary(rendered, file);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    // Report the problems that concern the new term, under its own name.
    const before = new Set(parseGlossary(renderGlossary(rows), file).problems.map((p) => p.message));
    const fresh = errors.filter((p) => !before.has(p.message));
    if (fresh.length > 0) return { problems: fresh.map((p) => p.message) };
  }
  return { text: rendered };
}

/**
 * Removes the row(s) whose German term is `german`; `undefined` when there is none. Throws when
 * the text does not parse whole: check it with `readGlossaryRows` first (as `glossary remove` does),
 * since rewriting a file that was not understood would drop rows.
 */
export function removeTerm(text: string, german: string, file = 'glossary'): string | undefined {
  const { rows, problems } = readGlossaryRows(text, file);
  if (problems.length > 0) throw new Error(`removeTerm: ${file} does not parse whole:\n  ${problems.map(formatMessage).join('\n  ')}`);
  const kept = rows.filter((row) => row.cells[0] !== german);
  return kept.length === rows.length ? undefined : renderGlossary(kept.map((row) => row.cells));
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
