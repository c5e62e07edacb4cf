// Finds glossary terms in German text in one pass per text, whatever the glossary's size. Written by
// hand: npm's multi-pattern matchers (Aho–Corasick and the like) find literal strings, not a stem with
// optional endings, an either-case first letter and a hyphenated head. An index from each form's first
// word (and second, for forms of several words) picks the few forms worth trying at a word of the text;
// each is then followed there by the rules of `germanPattern`, without a RegExp (compiling one costs
// about a millisecond for its Unicode classes).
import type { Segment } from '../model.js';
import { escapeRegExp } from '../text/escape.js';
import { termText } from '../text/prose.js';
import { termForms, type Glossary, type GlossaryTerm, type TermForm } from './glossary.js';

/** A glossary term found in a German text. */
export interface TermMatch {
  term: GlossaryTerm;
  /** The listed form whose pattern matched. */
  form: TermForm;
  /** The text as it stands in the German (e.g. "roten Linien"). */
  found: string;
  start: number;
  end: number;
}

/**
 * Regular German case, number and adjective endings a word may take, after the whole word
 * (Termin-e, Kreis-es, Abkommen-s, Bündnis-se) or after its stem (the word without one of
 * `STRIPPABLE`: rot-en, Verbündet-e; see `endingsOf`), and the plurals of nouns in -ion,
 * -in and -nis (Sanktion-en, Ministerin-nen, Bündnis-sen). A word of the text is looked up without
 * each one it ends with.
 */
const ENDING_LIST = [
  'e',
  'en',
  'em',
  'er',
  'es',
  'n',
  's',
  'ns',
  'ern',
  'ne',
  'nes',
  'nen',
  'nnen',
  'se',
  'ses',
  'sen',
  'sse',
  'sses',
  'ssen',
];
/**
 * The endings of a noun (the capitalised head of a form) after the whole word: not -er, -ern or -em,
 * which would make other nouns of it (Bank → Banker, Gewinn → Gewinner); a plural in -er (Kinder) is
 * listed as a form, as an umlaut plural is.
 */
const NOUN_ENDINGS: readonly string[] = ENDING_LIST.filter((e) => e !== 'er' && e !== 'ern' && e !== 'em');
/** An adjective's endings: what a noun made of one takes after its stem (Verbündet-er, -e, -en, -em, -es). */
const ADJECTIVE_ENDINGS: readonly string[] = ['e', 'en', 'em', 'er', 'es'];
/** The endings that may follow a word's whole form and its stem, as a pattern (see {@link endingsOf}). */
const endingPattern = (endings: readonly string[]): string => `(?:${endings.join('|')})`;
const STRIPPABLE = ['en', 'em', 'er', 'es', 'e', 'n', 's'];
const LETTER_BEFORE = '(?<![\\p{L}\\p{N}])';
const LETTER_AFTER = '(?![\\p{L}\\p{N}])';
/**
 * Not followed by a hyphen and a word (a modifier of a compound is not its head), nor by a hyphen and
 * a space (the first part of a shortened compound: "Bundes- und Landesbehörden").
 */
const NOT_MODIFIER = '(?![-\\u2010\\u2011][\\p{L}\\p{N}\\s])';
/** A letter or digit: what a word is made of, and what may not stand right before or after a term. */
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
/** Hyphens that join the words of a compound. */
const HYPHEN = new Set(['-', '\u2010', '\u2011']);
/** What separates the words of a form in the text (`[\s\u00A0]`; every such character is one code unit). */
const SPACE = /^[\s\u00A0]$/;

/** Finds the glossary's terms in a German text. */
export type TermMatcher = (text: string) => TermMatch[];

/**
 * The terms in each segment's German (its `plain` text, but code and bare web addresses), by segment id (segments without any are
 * left out): found once per build and read by the checks, the review page and the colophon.
 */
export type SegmentTerms = ReadonlyMap<string, readonly TermMatch[]>;

/** {@link SegmentTerms} of an article's segments. */
export function segmentTerms(
  segments: ReadonlyArray<{ segment: Pick<Segment, 'id' | 'plain' | 'phrasing'> }>,
  match: TermMatcher,
): SegmentTerms {
  const terms = new Map<string, TermMatch[]>();
  for (const { segment } of segments) {
    // Not in code or a bare web address: those stay as written in the English.
    const found = match(termText(segment));
    if (found.length > 0) terms.set(segment.id, found);
  }
  return terms;
}

/** The glossary terms found anywhere in an article (the search data and the colophon need no more). */
export function termSet(terms: SegmentTerms): Set<GlossaryTerm> {
  const found = new Set<GlossaryTerm>();
  for (const matches of terms.values()) for (const m of matches) found.add(m.term);
  return found;
}

/** Work a matcher did, for tests and benchmarks: how many times a form was tried at a word of the text. */
export interface MatchWork {
  verified: number;
}

/** One listed form in the index, with its place in the glossary (which decides ties) and its shape. */
interface IndexedForm {
  term: GlossaryTerm;
  form: TermForm;
  order: number;
  shape: FormShape;
}

/**
 * What `germanPattern` asks of a form, word by word: each word a run of pieces (a compound's
 * modifiers, each followed by a hyphen piece, then the head's stem), then an ending; white space
 * between the words.
 */
type FormShape = Piece[][];

/** One code point of `first` (when the first letter may take either case), then `rest` as written. */
interface Piece {
  first: string[] | undefined;
  rest: string;
  /** On a word's last piece: the endings its word may take (see {@link endingsOf}). */
  endings?: WordEndings;
}

/** A match and the place of its form in the glossary. */
interface Found {
  match: TermMatch;
  order: number;
}

/**
 * Compiles a glossary into a matcher for German text. A term matches its listed forms and their
 * regular inflections: every word may take a case, number or adjective ending (Ostflanke →
 * Ostflanken, rote Linien → roten Linien, Rat → Rates), the first letter of each word may be
 * capitalised (sentence start, headings) but a capital head stays one (a noun: "Macht", not
 * "macht"), and a term may be the head of a hyphenated compound (NATO-Ostflanke), not a modifier
 * (Ostflanken-Staat). It never matches inside a larger word (Ostflankenschutz, Linienbus).
 * Overlapping matches keep the longest. The cost per text grows with its words, not with the
 * glossary: only forms whose first word fits a word of the text are tried there. `work`, when
 * given, counts those tries.
 */
export function compileTermMatcher(glossary: Glossary, work?: MatchWork): TermMatcher {
  const index = formIndex(glossary);
  const otherStarts = nonWordStarts(index);
  // Only the words that begin as some key does are candidates: one regular expression finds just those.
  const firsts = [...new Set([...index.keys()].map((key) => String.fromCodePoint(key.codePointAt(0) ?? 0)))].filter((c) =>
    WORD_CHAR.test(c),
  );
  const wordsThatStart = new RegExp(`(?<![\\p{L}\\p{N}])[${firsts.map(escapeRegExp).join('')}][\\p{L}\\p{N}]*`, 'gu');
  return (text) => {
    const found: Found[] = [];
    const runAt = wordRunReader(text);
    /** Per form, where its last match ended: a form's matches do not overlap each other. */
    const endOf = new Map<number, number>();
    const tryForms = (forms: readonly IndexedForm[] | undefined, at: number): void => {
      for (const entry of forms ?? []) {
        if (at < (endOf.get(entry.order) ?? 0)) continue;
        if (work) work.verified++;
        const end = matchShape(entry.shape, text, at, runAt);
        if (end < 0) continue;
        endOf.set(entry.order, end);
        found.push({ match: { term: entry.term, form: entry.form, found: text.slice(at, end), start: at, end }, order: entry.order });
      }
    };
    for (const [at, word] of candidateWords(text, otherStarts, wordsThatStart)) {
      /** The keys of the word that follows, looked up once, and only where some form needs them. */
      let nextKeys: string[] | undefined;
      for (const key of lookupKeys(word)) {
        const keyed = index.get(key);
        if (!keyed) continue;
        tryForms(keyed.any, at);
        if (keyed.bySecond.size === 0) continue;
        nextKeys ??= lookupKeys(nextWord(text, at + word.length, runAt));
        for (const next of nextKeys) tryForms(keyed.bySecond.get(next), at);
      }
    }
    return keepLongest(found);
  };
}

/**
 * Where a form's match starting at `at` ends, or -1: `germanPattern(form)` anchored at `at`, for a
 * start that is not right after a letter or digit (every candidate word is). Each word's ending is
 * the rest of its run of letters and digits: the pattern's ending must be followed by white space or
 * a character that is neither, so no shorter ending can succeed, and the pattern has no other choice.
 */
function matchShape(shape: FormShape, text: string, at: number, runAt: (pos: number) => string): number {
  const end = shapeEnd(shape, text, at, runAt);
  // A term is no modifier of a hyphenated compound ("Ostflanken-Staat"), only its head ("NATO-Ostflanke"); nor the first
  // part of a shortened one ("Bundes- und Landesbehörden").
  if (end < 0 || !HYPHEN.has(text.charAt(end))) return end;
  const next = String.fromCodePoint(text.codePointAt(end + 1) ?? 0);
  return WORD_CHAR.test(next) || SPACE.test(next) ? -1 : end;
}

/** Where the words of a form's match starting at `at` end, or -1 (see {@link matchShape}). */
function shapeEnd(shape: FormShape, text: string, at: number, runAt: (pos: number) => string): number {
  let pos = at;
  for (const [w, pieces] of shape.entries()) {
    if (w > 0) {
      const start = pos;
      while (pos < text.length && SPACE.test(text.charAt(pos))) pos++;
      if (pos === start) return -1;
    }
    for (const { first, rest } of pieces) {
      if (first) {
        const c = String.fromCodePoint(text.codePointAt(pos) ?? 0);
        if (pos >= text.length || !first.includes(c)) return -1;
        pos += c.length;
      }
      if (!text.startsWith(rest, pos)) return -1;
      pos += rest.length;
    }
    const ending = runAt(pos);
    if (!endingFits(ending, pieces[pieces.length - 1])) return -1;
    pos += ending.length;
  }
  return pos;
}

/** Whether the rest of a word of the text after a form's word (its last piece) is one of its regular endings. */
function endingFits(ending: string, last: Piece | undefined): boolean {
  const { tail = '', afterWord = [], afterStem = [] } = last?.endings ?? {};
  // The word as written, bare or with an ending (Abkommen, Abkommens; Außenministers; Probleme).
  if (ending.startsWith(tail) && (ending.length === tail.length || afterWord.includes(ending.slice(tail.length)))) return true;
  // Its stem with another ending (roten, roter for rote; Zentren for Zentrum).
  return afterStem.includes(ending);
}

/** The word after the white space at `pos` (empty where no white space or no letter or digit follows). */
function nextWord(text: string, pos: number, runAt: (pos: number) => string): string {
  let p = pos;
  while (p < text.length && SPACE.test(text.charAt(p))) p++;
  return p === pos ? '' : runAt(p);
}

/** The run of letters and digits at a position of the text (empty if there is none). */
function wordRunReader(text: string): (pos: number) => string {
  const run = /[\p{L}\p{N}]*/uy;
  return (pos) => {
    run.lastIndex = pos;
    return run.exec(text)?.[0] ?? '';
  };
}

/** The matches in text order, of overlapping ones the longest (of equally long ones the form listed first). */
function keepLongest(found: Found[]): TermMatch[] {
  // Of two forms that match the same words, the one written as they are ("rote Linie" for "rote Linie",
  // not "rote Linien" inflected), then the glossary's order.
  const inflected = (f: Found): number => (f.match.form.de.slice(1) === f.match.found.slice(1) ? 0 : 1);
  found.sort(
    (a, b) =>
      a.match.start - b.match.start ||
      b.match.end - b.match.start - (a.match.end - a.match.start) ||
      inflected(a) - inflected(b) ||
      a.order - b.order,
  );
  const kept: TermMatch[] = [];
  for (const { match: m } of found) {
    const last = kept[kept.length - 1];
    if (last && m.start < last.end) {
      if (m.end - m.start > last.end - last.start) kept[kept.length - 1] = m;
      continue;
    }
    kept.push(m);
  }
  return kept;
}

/**
 * The forms under a key of their first word. A form of several words whose first word the key holds
 * whole (letters and digits alone) is filed again by its second word's keys, and tried only where
 * such a word follows: a glossary of thousands of terms shares first words ("Verteidigung …") far
 * more often than first two.
 */
interface KeyedForms {
  any: IndexedForm[];
  bySecond: Map<string, IndexedForm[]>;
}

/** Every listed form of the glossary under each way its first word can begin a word of the text. */
function formIndex(glossary: Glossary): Map<string, KeyedForms> {
  const index = new Map<string, KeyedForms>();
  const file = (list: Map<string, IndexedForm[]>, key: string, entry: IndexedForm): void => {
    const forms = list.get(key);
    if (forms) forms.push(entry);
    else list.set(key, [entry]);
  };
  let order = 0;
  for (const term of glossary.terms) {
    for (const form of termForms(term)) {
      const entry: IndexedForm = { term, form, order: order++, shape: formShape(form.de) };
      const [first = [], second] = entry.shape;
      const seconds = second && wordOnly(first) && startsAsWord(second) ? wordKeys(second) : undefined;
      for (const key of wordKeys(first)) {
        let keyed = index.get(key);
        if (!keyed) index.set(key, (keyed = { any: [], bySecond: new Map() }));
        if (seconds) for (const next of seconds) file(keyed.bySecond, next, entry);
        else keyed.any.push(entry);
      }
    }
  }
  return index;
}

/** Whether a word of a form is letters and digits alone, so that a key holds it whole. */
function wordOnly(pieces: Piece[]): boolean {
  return pieces.every(
    ({ first, rest }) => (first ?? []).every((c) => WORD_CHAR.test(c)) && Array.from(rest).every((c) => WORD_CHAR.test(c)),
  );
}

/** Whether a word of a form begins with a letter or digit, as the text's next word does. */
function startsAsWord([piece]: Piece[]): boolean {
  const first = piece?.first ?? (piece?.rest ? [String.fromCodePoint(piece.rest.codePointAt(0) ?? 0)] : []);
  return first.length > 0 && first.every((c) => WORD_CHAR.test(c));
}

/** A form as `germanPattern` reads it. */
function formShape(form: string): FormShape {
  const words = form.trim().split(/\s+/);
  return words.map((word, w) => {
    const parts = word.split('-');
    const head = parts.pop() ?? '';
    const endings = endingsOf(head, w === words.length - 1);
    const { base } = endings;
    return [
      // A hyphen of the form is any of them in the text (a non-breaking one too).
      ...parts.flatMap((p) => [eitherCase(p), { first: [...HYPHEN], rest: '' }]),
      { ...(endings.noun ? { first: undefined, rest: base } : eitherCase(base)), endings },
    ];
  });
}

/**
 * A word of a form as a stem (`base`) and what may follow it in the text: `tail`, the rest of the
 * word, bare or with one of `afterWord`; or, in its place, one of `afterStem`.
 */
interface WordEndings {
  base: string;
  tail: string;
  /** The form's last word, with a capital: a noun. */
  noun: boolean;
  afterWord: readonly string[];
  afterStem: readonly string[];
}

/**
 * The {@link WordEndings} of a word of a form (`last`: the form's last word). Every word but a noun
 * takes any regular ending after its stem (rote → rot-en). A noun takes a noun's endings after the
 * whole word; after its stem only a plural's singular (Linien → Linie), an adjective's endings where
 * it is made of one (Verbündeter → Verbündete, a stem in t, d, n, ch, ig, lich, los, bar or sam) and a
 * foreign plural (Zentrum → Zentren, Virus → Viren, Thema → Themen, Risiko → Risiken). Any other
 * noun's stem would make other words (Lage → Lager).
 */
function endingsOf(head: string, last: boolean): WordEndings {
  const base = stem(head);
  const noun = last && isCapital(base);
  if (!noun) return { base, tail: head.slice(base.length), noun, afterWord: ENDING_LIST, afterStem: base === head ? [] : ENDING_LIST };
  const foreign = /^(.{3,}?)(um|us|a|o)$/.exec(head);
  if (foreign) return { base: foreign[1] as string, tail: foreign[2] as string, noun, afterWord: NOUN_ENDINGS, afterStem: ['en'] };
  const tail = head.slice(base.length);
  const adjective = (tail === 'e' || tail === 'er') && /(?:[tdn]|ch|ig|lich|los|bar|sam)$/.test(base) && !/ft$/.test(base);
  return { base, tail, noun, afterWord: NOUN_ENDINGS, afterStem: tail === 'en' ? ['e'] : adjective ? ADJECTIVE_ENDINGS : [] };
}

/**
 * Whether a word begins with a capital letter. The head of a form (its last word's) that does is a
 * noun, and keeps its capital in the text: "macht" is no "Macht", "raten" no "Rat".
 */
function isCapital(word: string): boolean {
  const first = word.charAt(0);
  return first !== first.toLocaleLowerCase('de');
}

/** `firstLetterEitherCase` as a piece. */
function eitherCase(word: string): Piece {
  const first = word.charAt(0);
  const lower = first.toLocaleLowerCase('de');
  const upper = first.toLocaleUpperCase('de');
  return lower === upper ? { first: undefined, rest: word } : { first: [...new Set([...lower, ...upper])], rest: word.slice(1) };
}

/**
 * The words of the text a word of a form can be, as `candidateWords` cuts them, with the form's
 * ending left off: its first code point (in either case where the pattern allows both) and the
 * letters and digits it requires after it, up to the first character that ends a word.
 */
function wordKeys(pieces: Piece[]): string[] {
  // The whole word (Abkommen, which Abkommens is looked up by), and its stem where the stem takes an ending (rot for roten).
  const last = pieces[pieces.length - 1];
  const tail = last?.endings?.tail ?? '';
  const whole = last && tail !== '' ? [...pieces.slice(0, -1), { ...last, rest: last.rest + tail }] : pieces;
  return [...new Set([...keysOf(whole), ...(tail !== '' && (last?.endings?.afterStem.length ?? 0) > 0 ? keysOf(pieces) : [])])];
}

/** The keys of {@link wordKeys} for pieces as they are. */
function keysOf(pieces: Piece[]): string[] {
  const slots = pieces.flatMap(({ first, rest }) => [...(first ? [first] : []), ...Array.from(rest, (c) => [c])]);
  let growing = [''];
  const done = new Set<string>();
  for (const [i, slot] of slots.entries()) {
    const next: string[] = [];
    for (const key of growing) {
      for (const c of slot) {
        if (i > 0 && !WORD_CHAR.test(c)) done.add(key);
        else next.push(key + c);
      }
    }
    growing = next;
  }
  for (const key of growing) done.add(key);
  return [...done];
}

/** The first code points of index keys that do not begin with a letter or digit (a form like "-Ost" or "„Nein“"). */
function nonWordStarts(index: Map<string, KeyedForms>): RegExp | undefined {
  const starts = new Set<string>();
  for (const key of index.keys()) {
    const first = String.fromCodePoint(key.codePointAt(0) ?? 0);
    if (!WORD_CHAR.test(first)) starts.add(first);
  }
  if (starts.size === 0) return undefined;
  return new RegExp(`[${[...starts].map(escapeRegExp).join('')}]`, 'gu');
}

/**
 * Where a term can start in the text, in text order, with the word there: every run of letters and
 * digits that begins as some key does; and, if some form starts otherwise, every such character not right after a letter or
 * digit, with the letters and digits that follow it.
 */
function candidateWords(text: string, otherStarts: RegExp | undefined, wordsThatStart: RegExp): Array<[number, string]> {
  const words: Array<[number, string]> = [];
  for (const m of text.matchAll(wordsThatStart)) words.push([m.index, m[0]]);
  if (!otherStarts) return words;
  const before = /(?<![\p{L}\p{N}])/uy;
  const after = /[\p{L}\p{N}]*/uy;
  for (const m of text.matchAll(otherStarts)) {
    before.lastIndex = m.index;
    if (!before.test(text)) continue;
    after.lastIndex = m.index + m[0].length;
    words.push([m.index, m[0] + (after.exec(text)?.[0] ?? '')]);
  }
  return words.sort((a, b) => a[0] - b[0]);
}

/** The keys a word of the text is looked up by: as written, and without each regular ending it has. */
function lookupKeys(word: string): string[] {
  const keys = [word];
  for (const ending of ENDING_LIST) {
    if (word.length > ending.length && word.endsWith(ending)) keys.push(word.slice(0, -ending.length));
  }
  return keys;
}

/** The pattern for one German form: each word inflectable, first letters either case. */
export function germanPattern(form: string): string {
  const words = form.trim().split(/\s+/);
  const body = words
    .map((word, w) => {
      const parts = word.split('-');
      const head = parts.pop() ?? '';
      const modifiers = parts.map((p) => `${firstLetterEitherCase(p)}[-\\u2010\\u2011]`).join('');
      const { base, tail, noun, afterWord, afterStem } = endingsOf(head, w === words.length - 1);
      const letters = noun ? escapeRegExp(base) : firstLetterEitherCase(base);
      // The word, bare or with an ending; or its stem with another ending ("Wie" alone is not "Wien").
      const stemmed = afterStem.length > 0 ? `|${endingPattern(afterStem)}` : '';
      return `${modifiers}${letters}(?:${escapeRegExp(tail)}${endingPattern(afterWord)}?${stemmed})`;
    })
    .join('[\\s\\u00A0]+');
  return `${LETTER_BEFORE}${body}${LETTER_AFTER}${NOT_MODIFIER}`;
}

/** A word without one regular ending, when enough of it remains to be unambiguous. */
function stem(word: string): string {
  for (const ending of STRIPPABLE) {
    if (word.endsWith(ending) && word.length - ending.length >= 3) return word.slice(0, -ending.length);
  }
  return word;
}

function firstLetterEitherCase(word: string): string {
  const first = word.charAt(0);
  const rest = escapeRegExp(word.slice(1));
  const lower = first.toLocaleLowerCase('de');
  const upper = first.toLocaleUpperCase('de');
  return lower === upper ? escapeRegExp(first) + rest : `[${escapeRegExp(lower)}${escapeRegExp(upper)}]${rest}`;
}
