// Whether a review file came back in another encoding than UTF-8 (Windows-1252, as some editors on
// Windows save): said as such at its first bad byte, rather than as every pair changed.
import { readFileSync } from 'node:fs';
import type { Message } from '../model.js';
import { utf8Text } from '../text/strict-utf8.js';

/** The problem with a review file read as `text` (UTF-8, bad bytes replaced) when its bytes are not UTF-8; `undefined` when they are. */
export function encodingProblem(file: string, display: string, text: string): Message | undefined {
  if (!text.includes('\uFFFD')) return undefined;
  const decoded = utf8Text(readFileSync(file));
  if (typeof decoded === 'string') return undefined;
  return { file: display, line: decoded.line, rule: 'review', severity: 'error', message: `the file ${decoded.message}` };
}
