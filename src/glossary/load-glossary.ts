import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { GLOSSARY_HEADER, type Glossary, type GlossaryProblem, type GlossaryTerm, type TermForm } from './glossary.js';
import { validateTerms } from './validate-terms.js';

/**
 * Reads and validates the glossary CSV (`german,english,forms,note`; forms separated by `;`,
 * each optionally `Form=English`). A missing file is an empty glossary. Rows with errors are
 * reported and left out; the rest load.
 */
export async function loadGlossary(file: string, displayName = file): Promise<{ glossary: Glossary; problems: GlossaryProblem[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { glossary: { file: displayName, terms: [] }, problems: [] };
    throw error;
  }
  return parseGlossary(text, displayName);
}

/** Parses glossary CSV text; see `loadGlossary`. */
export function parseGlossary(text: string, file: string): { glossary: Glossary; problems: GlossaryProblem[] } {
  const problems: GlossaryProblem[] = [];
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: false,
    }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    problems.push({ file, line, severity: 'error', message: `not valid CSV: ${(error as Error).message.replace(/^Invalid Record Length: /, '')}` });
    return { glossary: { file, terms: [] }, problems };
  }
  const [header, ...rows] = records;
  if (!header || header.record.map((h) => h.trim().toLowerCase()).slice(0, 2).join(',') !== 'german,english') {
    problems.push({ file, line: 1, severity: 'error', message: `the first line must be the header "${GLOSSARY_HEADER.join(',')}"` });
    return { glossary: { file, terms: [] }, problems };
  }
  const terms: GlossaryTerm[] = [];
  for (const { record, info } of rows) {
    const line = info.lines;
    if (record.every((cell) => cell.trim() === '')) continue;
    if (record.length > GLOSSARY_HEADER.length) {
      problems.push({ file, line, severity: 'error', message: `has ${record.length} columns; expected at most ${GLOSSARY_HEADER.length} (${GLOSSARY_HEADER.join(', ')}); quote a field that contains a comma` });
      continue;
    }
    const [german = '', english = '', forms = '', note = ''] = record;
    terms.push({ german, english, forms: parseForms(forms, english), note, line });
  }
  const valid = validateTerms(terms, file, problems);
  problems.sort((a, b) => a.line - b.line);
  return { glossary: { file, terms: valid }, problems };
}

/** `Ostflanken=eastern flanks; NATO-Ostflanke` → forms with their English. */
function parseForms(cell: string, english: string): TermForm[] {
  if (cell.trim() === '') return [];
  return cell.split(';').map((part) => {
    const eq = part.indexOf('=');
    const de = (eq === -1 ? part : part.slice(0, eq)).trim();
    const en = eq === -1 ? english : part.slice(eq + 1).trim();
    return { de, en };
  });
}
