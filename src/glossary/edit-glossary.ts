import { GLOSSARY_HEADER, type GlossaryTerm } from './glossary.js';
import { parseGlossary } from './load-glossary.js';

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
 * diffs by line), or the problems that stop it (the same checks as `glossary check`). Rows are
 * rewritten in one canonical CSV form.
 */
export function addTerm(text: string, file: string, term: NewTerm): { text: string } | { problems: string[] } {
  const rows = rowsOf(text);
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

/** Removes the row whose German term is `german`; `undefined` when there is none. */
export function removeTerm(text: string, german: string): string | undefined {
  const rows = rowsOf(text);
  const kept = rows.filter((row) => row[0] !== german);
  return kept.length === rows.length ? undefined : renderGlossary(kept);
}

/** The data rows of a glossary text (header dropped), every cell as written. */
function rowsOf(text: string): string[][] {
  const { glossary, problems } = parseGlossary(text, 'glossary');
  // Rows with problems are kept too: editing one term must never drop another.
  const valid = glossary.terms.map(rowOfTerm);
  const invalidLines = new Set(problems.map((p) => p.line));
  const raw = text.split(/\r?\n/);
  const invalid = [...invalidLines].filter((line) => line > 1).map((line) => splitCsvLine(raw[line - 1] ?? ''));
  return [...valid, ...invalid.filter((row) => row.some((cell) => cell !== ''))];
}

function rowOfTerm(term: GlossaryTerm): string[] {
  return [term.german, term.english, term.forms.map((f) => (f.en === term.english ? f.de : `${f.de}=${f.en}`)).join(';'), term.note];
}

/** Renders rows as the glossary CSV: header first, rows sorted by German term (German collation). */
export function renderGlossary(rows: readonly string[][]): string {
  const collator = new Intl.Collator('de', { sensitivity: 'base' });
  const sorted = [...rows].sort((a, b) => collator.compare(a[0] ?? '', b[0] ?? '') || (a[0] ?? '').localeCompare(b[0] ?? ''));
  return [GLOSSARY_HEADER.join(','), ...sorted.map((row) => row.map(csvCell).join(','))].join('\n') + '\n';
}

function csvCell(value: string): string {
  return /[",\r\n\t]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A minimal split of one CSV line, for rows the parser rejected (kept verbatim otherwise). */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}
