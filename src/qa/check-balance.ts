import type { Finding } from '../model.js';
import { finding, type CheckInput } from './check-context.js';

/** The characters `balanced` counts. */
const PAIRED = '()[]"„“”«»';

/** Whether brackets and double quotes pair up in a text. */
export function balanced(text: string): { ok: boolean; detail: string } {
  // One pass over the text, counting each character of PAIRED.
  const counts = new Array<number>(PAIRED.length).fill(0);
  for (let i = 0; i < text.length; i++) {
    const at = PAIRED.indexOf(text[i] as string);
    if (at !== -1) counts[at] = (counts[at] as number) + 1;
  }
  const [openParen, closeParen, openBracket, closeBracket, straight, low, open, close, openGuillemet, closeGuillemet] = counts as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const problems: string[] = [];
  if (openParen !== closeParen) problems.push(`( ${openParen} vs ) ${closeParen}`);
  if (openBracket !== closeBracket) problems.push(`[ ${openBracket} vs ] ${closeBracket}`);
  if (straight % 2 !== 0) problems.push(`${straight} straight double quotes`);
  // German „…“ closes with “; English “…” with ”. Either convention must pair up.
  if (low > 0 ? low !== open + close : open !== close) problems.push(`quotes „ ${low}, “ ${open}, ” ${close}`);
  if (openGuillemet !== closeGuillemet) problems.push(`« ${openGuillemet} vs » ${closeGuillemet}`);
  return { ok: problems.length === 0, detail: problems.join('; ') };
}

/** Quotes and brackets: unbalanced in the English although balanced in the German. */
export function checkBalance(input: CheckInput): Finding[] {
  const target = balanced(input.target);
  if (target.ok || !balanced(input.segment.plain).ok) return [];
  return [finding(input, 'balance', `unbalanced quotes or brackets in the English: ${target.detail}`, { actual: input.target })];
}
