import type { Finding } from '../model.js';
import { finding, type CheckInput } from './check-context.js';

/** Whether brackets and double quotes pair up in a text. */
export function balanced(text: string): { ok: boolean; detail: string } {
  const count = (re: RegExp): number => (text.match(re) ?? []).length;
  const problems: string[] = [];
  if (count(/\(/g) !== count(/\)/g)) problems.push(`( ${count(/\(/g)} vs ) ${count(/\)/g)}`);
  if (count(/\[/g) !== count(/\]/g)) problems.push(`[ ${count(/\[/g)} vs ] ${count(/\]/g)}`);
  if (count(/"/g) % 2 !== 0) problems.push(`${count(/"/g)} straight double quotes`);
  const low = count(/„/g);
  const open = count(/“/g);
  const close = count(/”/g);
  // German „…“ closes with “; English “…” with ”. Either convention must pair up.
  if (low > 0 ? low !== open + close : open !== close) problems.push(`quotes „ ${low}, “ ${open}, ” ${close}`);
  if (count(/«/g) !== count(/»/g)) problems.push(`« ${count(/«/g)} vs » ${count(/»/g)}`);
  return { ok: problems.length === 0, detail: problems.join('; ') };
}

/** Quotes and brackets: unbalanced in the English although balanced in the German. */
export function checkBalance(input: CheckInput): Finding[] {
  const target = balanced(input.target);
  if (target.ok || !balanced(input.segment.plain).ok) return [];
  return [finding(input, 'balance', `unbalanced quotes or brackets in the English: ${target.detail}`, { actual: input.target })];
}
