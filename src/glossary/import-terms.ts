// Merges imported terms into the glossary CSV text: the pure core of `diglot glossary import`.
import type { Message } from '../model.js';
import { formatMessage } from '../util/format-message.js';
import { renderGlossary } from './edit-glossary.js';
import { capitalised, type GlossaryTerm, type TermForm } from './glossary.js';
import { composedTerm, termOfRow } from './parse-glossary.js';
import { readGlossaryRows } from './read-glossary-rows.js';
import { validateTerms } from './validate-terms.js';

/** What an import did (or, not written, would do). Lines of `added` and `skipped` are the input's. */
export interface ImportOutcome {
  /** The new glossary text: every row kept, new rows added, sorted as `renderGlossary` sorts. */
  text: string;
  added: GlossaryTerm[];
  /** Rows replaced under `replace`: the glossary's row before (its line in the glossary) and the imported term. */
  replaced: Array<{ before: GlossaryTerm; after: GlossaryTerm }>;
  /** Imported terms the glossary already holds as they are. */
  unchanged: number;
  /** Terms (or forms) not taken, and why, at their input line. */
  skipped: Message[];
}

/**
 * Merges `terms` (read from `inputFile`) into the glossary `text`. A term whose German is not yet
 * in the glossary is added, minus any form another row already lists (reported). A term whose
 * German is a row's German: kept as it is when the same; otherwise the row wins and the term is
 * reported as skipped, unless `replace`: then the row takes the imported English and (when the
 * import has one) note, and keeps those of its forms the import lacks, so no form is lost. A term
 * whose German is another row's form, a German repeated in the input, or a term DeepL would
 * reject is skipped and reported. Every row not replaced keeps its cells as written. Returns the
 * problems instead when the glossary does not parse whole (nothing may be rewritten then).
 */
export function importTerms(
  text: string,
  glossaryFile: string,
  terms: readonly GlossaryTerm[],
  inputFile: string,
  options: { replace: boolean },
): ImportOutcome | { problems: string[] } {
  const read = readGlossaryRows(text, glossaryFile);
  if (read.problems.length > 0) return { problems: read.problems.map(formatMessage) };
  const rows: string[][] = read.rows.map((r) => r.cells);
  // Compared composed (NFC), as terms are matched: a term saved decomposed (a Mac, a PDF) is the same term.
  const existing: GlossaryTerm[] = read.rows.map(termOfRow);
  /** German term → its row; every German form (terms too) → the row that lists it. */
  const rowOf = new Map<string, number>();
  const ownerOf = new Map<string, number>();
  /** Every German form by its first letter capitalised, as it is matched (and sent to DeepL) at a sentence start: the row and the form. */
  const capitalOf = new Map<string, { row: number; de: string }>();
  const claim = (t: GlossaryTerm, i: number): void => {
    for (const de of [t.german, ...t.forms.map((f) => f.de)]) {
      if (!ownerOf.has(de)) ownerOf.set(de, i);
      if (!capitalOf.has(capitalised(de))) capitalOf.set(capitalised(de), { row: i, de });
    }
  };
  existing.forEach((t, i) => {
    if (!rowOf.has(t.german)) rowOf.set(t.german, i);
    claim(t, i);
  });
  /**
   * A form of `t` (to be row `self`) that another row has in the other letter case at its start:
   * `glossary check` would refuse the pair.
   */
  const caseClash = (t: GlossaryTerm, self: number): string | undefined => {
    for (const de of [t.german, ...t.forms.map((f) => f.de)]) {
      const other = capitalOf.get(capitalised(de));
      if (other && other.row !== self && other.de !== de)
        return (
          `"${de}" is "${other.de}" (${where(other.row)}) with its first letter in the other case, ` +
          'and a term is matched in either; skipped'
        );
    }
    return undefined;
  };
  const outcome: ImportOutcome = { text, added: [], replaced: [], unchanged: 0, skipped: [] };
  const skip = (line: number, message: string): void => {
    outcome.skipped.push({ file: inputFile, line, rule: 'import', severity: 'warning', message });
  };
  const where = (row: number): string => {
    const line = existing[row]?.line;
    return line === undefined || Number.isNaN(line) ? 'earlier in this import' : `${glossaryFile}:${line}`;
  };
  const firstLine = new Map<string, number>();
  let changed = false;

  for (const term of terms.map(composedTerm)) {
    const earlier = firstLine.get(term.german);
    if (earlier !== undefined) {
      skip(term.line, `"${term.german}" appears again (first at line ${earlier}); skipped`);
      continue;
    }
    firstLine.set(term.german, term.line);
    const row = rowOf.get(term.german);
    const problemsOf = formProblems(term, inputFile);
    // Forms another row lists stay with that row.
    const ownForms = (self: number | undefined): TermForm[] =>
      term.forms.filter((f) => {
        const owner = ownerOf.get(f.de);
        if (f.de === term.german) return false;
        if (owner !== undefined && owner !== self) {
          skip(term.line, `form "${f.de}" of "${term.german}" left out: ${where(owner)} lists it for "${existing[owner]?.german}"`);
          return false;
        }
        // A form the glossary cannot hold (a comma, `;` or `=` in it) goes alone; the term and its other forms come in.
        const problems = problemsOf(f);
        if (problems.length > 0) skip(term.line, `form "${f.de}" of "${term.german}" left out: ${problems.join('; ')}`);
        return problems.length === 0;
      });
    if (row === undefined) {
      const owner = ownerOf.get(term.german);
      if (owner !== undefined) {
        skip(term.line, `"${term.german}" is already a form of "${existing[owner]?.german}" (${where(owner)}); skipped`);
        continue;
      }
      const candidate: GlossaryTerm = { ...term, forms: dedupe(ownForms(undefined)) };
      const problems = checkTerm(candidate, inputFile);
      if (problems.length > 0) {
        for (const p of problems) skip(term.line, `"${term.german}": ${p}; skipped`);
        continue;
      }
      const index = rows.length;
      const clash = caseClash(candidate, index);
      if (clash) {
        skip(term.line, clash);
        continue;
      }
      rows.push(cellsOf(candidate));
      existing.push({ ...candidate, line: Number.NaN });
      rowOf.set(candidate.german, index);
      claim(candidate, index);
      outcome.added.push(candidate);
      changed = true;
      continue;
    }
    const before = existing[row] as GlossaryTerm;
    const forms = ownForms(row);
    // A form the import gives only the term's English (as TBX without cross-references does) keeps
    // the English of its own the row gave it; the old English of a form that followed the term
    // follows the new English.
    const own = new Map(before.forms.filter((g) => g.en !== before.english).map((g) => [g.de, g.en]));
    const taken = forms.map((f) => (f.en === term.english && own.has(f.de) ? { de: f.de, en: own.get(f.de) ?? f.en } : f));
    const kept = before.forms
      .filter((g) => !forms.some((f) => f.de === g.de))
      .map((g) => (g.en === before.english ? { de: g.de, en: term.english } : g));
    const after: GlossaryTerm = {
      german: term.german,
      english: term.english,
      forms: dedupe([...taken, ...kept]),
      note: term.note || before.note,
      line: term.line,
    };
    // The same row, forms in any order: nothing to change.
    const key = (t: GlossaryTerm): string => JSON.stringify([t.english, t.note, t.forms.map((f) => `${f.de}=${f.en}`).sort()]);
    if (key(after) === key(before)) {
      outcome.unchanged++;
      continue;
    }
    if (!options.replace) {
      const differs =
        before.english !== term.english
          ? `English "${before.english}" there, "${term.english}" here`
          : after.note !== before.note
            ? 'another note'
            : 'other forms';
      skip(term.line, `"${term.german}" is already in the glossary (${where(row)}; ${differs}); kept (--replace takes the imported one)`);
      continue;
    }
    const problems = checkTerm(after, inputFile);
    if (problems.length > 0) {
      for (const p of problems) skip(term.line, `"${term.german}": ${p}; skipped`);
      continue;
    }
    const clash = caseClash(after, row);
    if (clash) {
      skip(term.line, clash);
      continue;
    }
    rows[row] = cellsOf(after);
    existing[row] = { ...after, line: before.line };
    claim(after, row);
    outcome.replaced.push({ before, after });
    changed = true;
  }
  if (changed) outcome.text = renderGlossary(rows);
  return outcome;
}

/** What `glossary check` would say against one term on its own (empty sides, white space, a form twice), and forms the file cannot hold. */
function checkTerm(term: GlossaryTerm, file: string): string[] {
  const problems: Message[] = [];
  validateTerms([{ ...term, line: 1 }], file, problems);
  // The forms column separates forms by `;` and a form from its English by `=`.
  for (const f of term.forms) {
    if (/[;=]/.test(f.de))
      problems.push({
        file,
        line: 1,
        rule: 'glossary',
        severity: 'error',
        message: `form "${f.de}" contains ";" or "=", which the forms column cannot hold`,
      });
    if (f.en.includes(';'))
      problems.push({
        file,
        line: 1,
        rule: 'glossary',
        severity: 'error',
        message: `English "${f.en}" of form "${f.de}" contains ";", which the forms column cannot hold`,
      });
  }
  return problems.map((p) => p.message);
}

/** What keeps each form of a term out of the glossary, but for the term's own problems (checked once). */
function formProblems(term: GlossaryTerm, file: string): (form: TermForm) => string[] {
  const alone = new Set(checkTerm({ ...term, forms: [] }, file));
  return (form) => checkTerm({ ...term, forms: [form] }, file).filter((p) => !alone.has(p));
}

/** Forms without repeats (the first of each German kept). */
function dedupe(forms: TermForm[]): TermForm[] {
  const seen = new Set<string>();
  return forms.filter((f) => !seen.has(f.de) && seen.add(f.de) !== undefined);
}

/** A term as the glossary file's cells; a form's English is written only where it is not the term's. */
function cellsOf(term: GlossaryTerm): string[] {
  const forms = term.forms.map((f) => (f.en === term.english ? f.de : `${f.de}=${f.en}`)).join(';');
  return [term.german, term.english, forms, term.note];
}
