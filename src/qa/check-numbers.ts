import type { Finding } from '../model.js';
import { finding, type CheckInput } from './check-context.js';

const GERMAN_NUMBER = /(?<![\p{L}\d])\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d)|(?<![\p{L}\d])\d+(?:,\d+)?(?!\d)/gu;
const ENGLISH_NUMBER = /\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?(?!\d)/g;
const WORDS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  dozen: 12,
  hundred: 100,
  thousand: 1000,
};

/** The number words, as whole words in any case. */
const NUMBER_WORD = new RegExp(`(?<!\\p{L})(?:${Object.keys(WORDS).join('|')})(?!\\p{L})`, 'giu');

/** Figures in German notation: 100.000 → 100000, 2,5 → 2.5, "5. Dezember" → 5. */
export function germanNumbers(text: string): number[] {
  return [...text.matchAll(GERMAN_NUMBER)].map((m) => Number(m[0].replace(/\./g, '').replace(',', '.')));
}

/** Figures in English notation (100,000; 2.5; 5th; December 5) and small number words. */
export function englishNumbers(text: string): number[] {
  const figures = [...text.matchAll(ENGLISH_NUMBER)].map((m) => Number(m[0].replace(/,/g, '')));
  const words = [...text.matchAll(NUMBER_WORD)].map((m) => WORDS[m[0].toLowerCase()] as number);
  return [...figures, ...words];
}

/**
 * Numbers: every figure in the German appears in the English, in English notation
 * (100.000 → 100,000; 2,5 → 2.5; "5. Dezember" → "December 5"; small numbers may be words).
 */
export function checkNumbers(input: CheckInput): Finding[] {
  const german = germanNumbers(input.segment.plain);
  if (german.length === 0) return [];
  const english = englishNumbers(input.target);
  const missing: number[] = [];
  const pool = [...english];
  for (const n of german) {
    const at = pool.indexOf(n);
    if (at !== -1) pool.splice(at, 1);
    else if (!english.includes(n)) missing.push(n);
  }
  if (missing.length === 0) return [];
  const shown = missing.map((n) => n.toLocaleString('en-US'));
  return [
    finding(input, 'number', `figure${missing.length > 1 ? 's' : ''} ${shown.join(', ')} from the German missing in the English`, {
      actual: input.target,
      expected: shown.join(', '),
    }),
  ];
}
