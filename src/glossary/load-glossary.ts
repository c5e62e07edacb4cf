import { readFile } from 'node:fs/promises';
import { utf8Text } from '../text/strict-utf8.js';
import { leftAsOurs } from '../util/git-unmerged.js';
import type { Message } from '../model.js';
import type { Glossary, GlossaryTerm, TermForm } from './glossary.js';
import { readGlossaryRows, type GlossaryRow } from './read-glossary-rows.js';
import { validateTerms } from './validate-terms.js';

/**
 * Reads and validates the glossary CSV (`german,english,forms,note`; forms separated by `;`,
 * each optionally `Form=English`). A missing file is an empty glossary. Rows with errors are
 * reported and left out; the rest load.
 */
export async function loadGlossary(file: string, displayName = file): Promise<{ glossary: Glossary; problems: Message[] }> {
  const text = await readGlossaryText(file, displayName);
  if (text === undefined || typeof text !== 'string')
    return { glossary: { file: displayName, terms: [] }, problems: text === undefined ? [] : [text] };
  const parsed = parseGlossary(text, displayName);
  const unmerged = unmergedGlossary(file, text, displayName);
  return unmerged ? { ...parsed, problems: [unmerged, ...parsed.problems] } : parsed;
}

/**
 * The glossary file's text (a UTF-8 byte-order mark kept, for a rewrite to keep it); `undefined`
 * when there is no file; the error when it is not UTF-8 (Excel's CSV on Windows is Windows-1252):
 * read as UTF-8 anyway, its umlauts would match nothing, and a rewrite would destroy them.
 */
export async function readGlossaryText(file: string, displayName = file): Promise<string | Message | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const text = utf8Text(bytes, true);
  if (typeof text === 'string') return text;
  return {
    file: displayName,
    line: text.line,
    rule: 'glossary',
    severity: 'error',
    message: `${text.message} (in a spreadsheet: save as "CSV UTF-8")`,
  };
}

/**
 * The error of a glossary (`text`, read from `file`) git left unmerged and as our side (its merge
 * driver did not run, the other side's rows are not in it); `undefined` once it is merged, or where git is not used.
 */
export function unmergedGlossary(file: string, text: string, displayName = file): Message | undefined {
  if (!leftAsOurs(file, text)) return undefined;
  return {
    file: displayName,
    line: 1,
    rule: 'conflict',
    severity: 'error',
    message:
      'unmerged in git: the merge driver did not merge it (not set up, missing, or a version it could not read), ' +
      "so the file may lack the other side's rows; " +
      "run `diglot glossary merge` to merge git's three versions row by row, then `git add` the file",
  };
}

/** Parses glossary CSV text; see `loadGlossary`. */
export function parseGlossary(text: string, file: string): { glossary: Glossary; problems: Message[] } {
  const { rows, problems } = readGlossaryRows(text, file);
  const valid = validateTerms(rows.map(termOfRow), file, problems);
  problems.sort((a, b) => a.line - b.line);
  return { glossary: { file, terms: valid }, problems };
}

/** A row of the glossary file as a term, its line the row's. */
export function termOfRow({ cells, line }: GlossaryRow): GlossaryTerm {
  const [german = '', english = '', forms = '', note = ''] = cells;
  return composedTerm({ german, english, forms: parseForms(forms, english), note, line });
}

/**
 * A term with its German and English composed (NFC), as the sources are typed: a term saved
 * decomposed (a Mac, a PDF) would never match, nor be seen as a duplicate.
 */
export function composedTerm(term: GlossaryTerm): GlossaryTerm {
  const nfc = (text: string): string => text.normalize('NFC');
  return {
    ...term,
    german: nfc(term.german),
    english: nfc(term.english),
    forms: term.forms.map((f) => ({ de: nfc(f.de), en: nfc(f.en) })),
  };
}

/** `Ostflanken=eastern flanks; NATO-Ostflanke` → forms with their English. */
export function parseForms(cell: string, english: string): TermForm[] {
  if (cell.trim() === '') return [];
  return cell.split(';').map((part) => {
    const eq = part.indexOf('=');
    const de = (eq === -1 ? part : part.slice(0, eq)).trim();
    const en = eq === -1 ? english : part.slice(eq + 1).trim();
    return { de, en };
  });
}
