import type { Nodes } from 'mdast';
import type { Finding } from '../model.js';
import { parseInSegment } from '../segment/parse-markdown.js';
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

/** A byte of an IPv4 address, 0–255. */
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** A group of an IPv6 address. */
const HEXTET = '[0-9a-f]{1,4}';

/**
 * Tokens whose digits are not figures, in the order they are taken out: URLs, e-mail addresses,
 * IPv4 (with port or prefix length), IPv6 (full, or shortened with `::`), and versions written
 * with a letter (`v2.0`, `ES2015`, `HTML5.2`).
 */
const NOT_FIGURES: ReadonlyArray<{ hint: RegExp; pattern: RegExp }> = [
  { hint: /:\/\/|www\.|mailto:/i, pattern: /(?<![\p{L}\d+.-])(?:\p{L}[\p{L}\d+.-]*:\/\/|www\.|mailto:)[^\s<>"'`]+/giu },
  { hint: /@/, pattern: /(?<![\p{L}\d._%+-])[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)+/gu },
  {
    hint: /\d\.\d+\.\d/,
    pattern: new RegExp(`(?<![\\p{L}\\d.])${OCTET}(?:\\.${OCTET}){3}(?::\\d{1,5})?(?:/\\d{1,2})?(?!\\d|\\.\\d)`, 'gu'),
  },
  {
    hint: /::|[0-9a-f]:[0-9a-f]/i,
    pattern: new RegExp(
      `(?<![\\p{L}\\d:.])(?:${HEXTET}(?::${HEXTET}){7}|(?:${HEXTET}(?::${HEXTET})*)?::(?:${HEXTET}(?::${HEXTET})*)?)(?:/\\d{1,3})?(?![\\p{L}\\d:])`,
      'giu',
    ),
  },
  { hint: /\p{L}\d/u, pattern: /(?<![\p{L}\d])\p{L}+\d+(?:\.\d+)*(?![\p{L}\d])/gu },
];

/** Three or more dotted numbers, with a pre-release or build suffix: `1.2.3`, `10.0.19045`, `1.2.3-beta.2`. */
const DOTTED = /(?<![\p{L}\d.])\d+(?:\.\d+){2,}(?:[-+]\p{L}[\p{L}\d.]*)?(?!\d|\.\d)/gu;
/** Two dotted numbers: a section (3.2) or a version (2.0) kept as it is in the English, or a German thousand (2.000). */
const TWO_PART = /(?<![\p{L}\d.])\d+\.\d+(?!\d|\.\d)/gu;
/** German thousands grouping: 1.000.000 is a million, not a version. */
const GERMAN_GROUPED = /^\d{1,3}(?:\.\d{3})+$/;
/** A German date, day.month.year (5.12.2021), its month captured. */
const DATE = '(?:0?[1-9]|[12]\\d|3[01])\\.(0?[1-9]|1[0-2])\\.\\d{4}';
/** A German date alone (its figures are checked as they are today). */
const GERMAN_DATE = new RegExp(`^${DATE}$`, 'u');
const CODE_SPAN = /(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g;
/** German dates within a text. */
const GERMAN_DATES = new RegExp(`(?<![\\p{L}\\d.])${DATE}(?!\\d|\\.\\d)`, 'gu');
/** English month names, whole or abbreviated (Jan., Sept.), January first: each begins with its three letters. */
const MONTHS = [
  'jan(?:uary)?',
  'feb(?:ruary)?',
  'mar(?:ch)?',
  'apr(?:il)?',
  'may',
  'june?',
  'july?',
  'aug(?:ust)?',
  'sept?(?:ember)?',
  'oct(?:ober)?',
  'nov(?:ember)?',
  'dec(?:ember)?',
];
const MONTH_NAMES = new RegExp(`(?<!\\p{L})(?:${MONTHS.join('|')})(?!\\p{L})`, 'giu');

/** German times: an hour before `Uhr` (`18 Uhr`, `18.45 Uhr`), or `18:45`; the hour captured. */
const GERMAN_TIMES = [
  /(?<![\p{L}\d.,:])([01]?\d|2[0-4])(?:[:.][0-5]\d)?\s*Uhr(?!\p{L})/gu,
  /(?<![\p{L}\d.,:])([01]?\d|2[0-3]):[0-5]\d(?![\d:])/gu,
];
/** An English 12-hour clock time's mark: p.m., PM, pm. */
const PM = /(?<![\p{L}.])p\.?\s?m(?:\.|(?!\p{L}))/iu;

/**
 * Whether an hour of a German time the English lacks is there on the 12-hour clock: 18 as
 * 6 p.m., 12 as noon, 0 or 24 as midnight.
 */
function twelveHour(hour: number, englishText: string, english: readonly number[]): boolean {
  if (hour > 12 && hour < 24) return english.includes(hour - 12) && PM.test(englishText);
  if (hour === 12) return /(?<!\p{L})noon(?!\p{L})/iu.test(englishText);
  return (hour === 0 || hour === 24) && /(?<!\p{L})midnight(?!\p{L})/iu.test(englishText);
}

/** The months an English text names, as numbers (1–12). */
function namedMonths(english: string): Set<number> {
  const months = new Set<number>();
  for (const [name] of english.matchAll(MONTH_NAMES)) {
    const first3 = name.slice(0, 3).toLowerCase();
    months.add(MONTHS.findIndex((month) => month.startsWith(first3)) + 1);
  }
  return months;
}

/** The text of inline Markdown without its code spans and HTML: text, image alt text, line breaks. */
function prose(nodes: readonly Nodes[]): string {
  const out: string[] = [];
  const stack: Nodes[] = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as Nodes;
    if (node.type === 'inlineCode' || node.type === 'html' || node.type === 'code') continue;
    if (node.type === 'text') out.push(node.value);
    else if (node.type === 'image' || node.type === 'imageReference') out.push(node.alt ?? '');
    else if (node.type === 'break') out.push('\n');
    else if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  return out.join('');
}

/**
 * Markup that may hold or touch a figure, where a text is read as a reader sees it (its prose) rather
 * than as written: a code span, emphasis next to a digit (`2*3*4` is 2, an emphasised 3, then 4).
 */
const MARKUP_BY_FIGURES = /`|\d[*_~]|[*_~]\d/;

/** Takes out code spans, protected tokens, URLs, e-mail and IP addresses and versions, leaving a space each. */
function maskTokens(text: string, tokens: readonly string[]): string {
  let masked = text;
  for (const token of tokens) masked = masked.split(token).join(' ');
  // Each pattern only where a cheap test says it may match: most texts hold none of these.
  for (const { hint, pattern } of NOT_FIGURES) if (hint.test(masked)) masked = masked.replace(pattern, ' ');
  return masked;
}

/**
 * The German whose figures must reach the English: the plain text, for Markdown without its code
 * spans; URLs, addresses, versions and protected tokens taken out. A dotted number the English
 * repeats as it is (section 3.2, version 2.0) is not a German decimal or thousand either.
 */
export function germanFigureText(input: CheckInput, english: string): string {
  const { segment } = input;
  let text = segment.plain;
  if (segment.markdown && MARKUP_BY_FIGURES.test(segment.source))
    text = segment.phrasing ? prose(segment.phrasing) : segment.source.replace(CODE_SPAN, ' ');
  return maskTokens(text, segment.protected ?? [])
    .replace(DOTTED, (m) => (GERMAN_GROUPED.test(m) || GERMAN_DATE.test(m) ? m : ' '))
    .replace(TWO_PART, (m) => (!GERMAN_GROUPED.test(m) && repeats(english, m) ? ' ' : m));
}

/**
 * The English with the same tokens taken out; three or more dotted numbers are never an English
 * figure, but a date kept as the German wrote it (14.03.2026) holds its three.
 */
export function englishFigureText(input: CheckInput): string {
  return englishWords(input).replace(DOTTED, (m) => (GERMAN_DATE.test(m) ? m.replace(/\./g, ' ') : ' '));
}

/** The English as a reader reads it, but code, addresses, versions and protected tokens (see `maskTokens`). */
function englishWords({ segment, target }: CheckInput): string {
  let text = target;
  if (segment.markdown && MARKUP_BY_FIGURES.test(target)) {
    const nodes = parseInSegment(target, segment);
    text = nodes ? prose(nodes) : target.replace(CODE_SPAN, ' ');
  }
  return maskTokens(text, segment.protected ?? []);
}

/** A date written the German way: day.month.year (14.03.2026), or a day with its ordinal dot before a month's name (5. December). */
const GERMAN_DATE_NOTATION = new RegExp(
  `(?<![\\p{L}\\d.])(?:${DATE}(?!\\d|\\.\\d)|(?:0?[1-9]|[12]\\d|3[01])\\.[ \\u00A0]+(?:${MONTHS.join('|')})(?!\\p{L}))`,
  'giu',
);

/** Dates the English still writes the German way, which English readers do not write (14.03.2026, 5. December). */
function germanDateNotation(input: CheckInput): Finding[] {
  if (!/\d\./.test(input.target)) return [];
  const found = [...englishWords(input).matchAll(GERMAN_DATE_NOTATION)].map((m) => m[0]);
  if (found.length === 0) return [];
  return [
    finding(
      input,
      'number',
      `date${found.length > 1 ? 's' : ''} in German notation in the English: ${found.map((d) => `"${d}"`).join(', ')} ` +
        '(English writes March 14, 2026, or 14 March 2026; December 5, or 5 December)',
      { actual: input.target },
    ),
  ];
}

/** Whether `token` stands on its own in `text` (not inside a longer number). */
function repeats(text: string, token: string): boolean {
  for (let at = text.indexOf(token); at !== -1; at = text.indexOf(token, at + 1)) {
    const before = text[at - 1] ?? ' ';
    const after = text.slice(at + token.length, at + token.length + 2);
    if (!/[\p{L}\d.,]/u.test(before) && !/^(?:\d|[.,]\d)/.test(after)) return true;
  }
  return false;
}

/**
 * Numbers: every figure in the German appears in the English, in English notation
 * (100.000 → 100,000; 2,5 → 2.5; "5. Dezember" → "December 5"; small numbers may be words), and
 * no date is left in German notation (14.03.2026, 5. December). Digits that are not figures are
 * left out on both sides: code spans, URLs, e-mail and IP addresses, versions (1.2.3, v2.0,
 * ES2015), protected tokens.
 */
export function checkNumbers(input: CheckInput): Finding[] {
  if (!/\d/.test(input.segment.plain)) return [];
  return [...missingFigures(input), ...germanDateNotation(input)];
}

/** The figures of the German the English lacks (see {@link checkNumbers}), as one finding. */
function missingFigures(input: CheckInput): Finding[] {
  const englishText = englishFigureText(input);
  const germanText = germanFigureText(input, englishText);
  const german = germanNumbers(germanText);
  if (german.length === 0) return [];
  const english = englishNumbers(englishText);
  const missing: number[] = [];
  const pool = [...english];
  for (const n of german) {
    const at = pool.indexOf(n);
    if (at !== -1) pool.splice(at, 1);
    else if (!english.includes(n)) missing.push(n);
  }
  // A German date's month the English names (14.03.2026 → March 14, 2026) is there, and so is a
  // German time's hour on the 12-hour clock (18:45 Uhr → 6:45 p.m.).
  // Each date or time excuses one figure.
  const named = namedMonths(englishText);
  const excused = [
    ...[...germanText.matchAll(GERMAN_DATES)].map((m) => Number(m[1])).filter((month) => named.has(month)),
    ...GERMAN_TIMES.flatMap((pattern) => [...germanText.matchAll(pattern)].map((m) => Number(m[1]))).filter((hour) =>
      twelveHour(hour, englishText, english),
    ),
  ];
  const absent = missing.filter((n) => {
    const at = excused.indexOf(n);
    if (at !== -1) excused.splice(at, 1);
    return at === -1;
  });
  if (absent.length === 0) return [];
  // Figures from 1,000 to 9,999 are shown without a separator, as years are written (2026, not 2,026).
  const shown = absent.map((n) => (n >= 1000 && n < 10000 && Number.isInteger(n) ? String(n) : n.toLocaleString('en-US')));
  return [
    finding(input, 'number', `figure${absent.length > 1 ? 's' : ''} ${shown.join(', ')} from the German missing in the English`, {
      actual: input.target,
      expected: shown.join(', '),
    }),
  ];
}
