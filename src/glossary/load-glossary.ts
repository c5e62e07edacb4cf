// Reads the glossary file: strict UTF-8, parsed into terms, and refused while git left it unmerged
// without the other side's rows.
import { readFile } from 'node:fs/promises';
import { utf8Text } from '../text/strict-utf8.js';
import type { Message } from '../model.js';
import type { Glossary } from './glossary.js';
import { unmergedGlossary } from './merge-glossary.js';
import { parseGlossary } from './parse-glossary.js';

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
