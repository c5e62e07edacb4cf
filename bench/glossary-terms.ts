// Generates glossaries of any size, deterministically, for the glossary benchmark and the term-matching
// tests: terms taken from German texts (nouns, phrases, compounds, prefixes, inflected forms) and made-up ones.
import { capitalised } from '../src/glossary/glossary.js';
import { prng } from './corpus.js';

/** One generated glossary row: German, English and the other German forms with their English. */
export interface GeneratedTerm {
  german: string;
  english: string;
  forms: Array<{ de: string; en: string }>;
}

/** What to generate besides the number of terms. */
export interface TermOptions {
  seed?: number;
  /** At most this many terms taken from the texts, which occur there (the rest never occur). */
  occurring?: number;
  /** Made-up terms whose first word is a word of the texts ("Verteidigung Kalobrat"), at most this many per word. */
  nearMissesPerWord?: number;
  /** German forms the glossary already has (generated terms never repeat them). */
  exclude?: readonly string[];
  /**
   * Each form's English is the German form itself, so that an English which keeps the German (the
   * test server's "EN: " + German) complies: terms are found and checked, yet no finding is made.
   */
  englishAsGerman?: boolean;
}

const WORD = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;
/** An adjective and a noun ("östlichen Verbündeten"); not a determiner ("diesen", "keine") and a noun. */
const PAIR = /(?<![\p{L}\p{N}-])(\p{Ll}{3,}(?:e|en|er|es|em)) (\p{Lu}\p{Ll}{3,})(?![\p{L}\p{N}-])/gu;
const DETERMINER = /^(?:d|ein|kein|sein|ihr|unser|eur|mein|dein|jed|welch|solch|manch|all|viel|weni|ande|beide)/;
const SYLLABLES = ['ka', 'lo', 'bri', 'tan', 'vel', 'mor', 'qu', 'zi', 'fen', 'dal', 'xo', 'rup', 'sel', 'ny', 'gor', 'wim'];

/**
 * `count` terms from the texts' vocabulary and made up, every German form distinct, also in the
 * case of its first letter (as the loader requires). Kinds alternate, so a glossary of any size has
 * some of each: nouns with a plural form, lower-case nouns (where the capitalised one is not a term yet), adjective + noun phrases with another ending, hyphenated compounds with a
 * spelling variant, compound heads, prefixes of words (which must not match inside them), and
 * made-up terms: sharing a first word with the texts, as compounds of their words, and pure inventions.
 */
export function generateTerms(texts: readonly string[], count: number, options: TermOptions = {}): GeneratedTerm[] {
  const random = prng(options.seed ?? 7);
  // A German form is the same term with its first letter in either case (as the loader requires).
  const used = new Set<string>((options.exclude ?? []).map(capitalised));
  const terms: GeneratedTerm[] = [];
  const add = (german: string, forms: string[]): boolean => {
    const all = [german, ...forms].filter((f, i, list) => list.findIndex((g) => capitalised(g) === capitalised(f)) === i);
    if (terms.length >= count || all.some((f) => used.has(capitalised(f)) || /[;=,"]/.test(f))) return false;
    for (const f of all) used.add(capitalised(f));
    const english = options.englishAsGerman ? german : `term ${terms.length + 1}`;
    terms.push({ german, english, forms: all.slice(1).map((de) => ({ de, en: options.englishAsGerman ? de : english })) });
    return true;
  };
  const invent = (syllables: number): string => {
    let word = '';
    for (let i = 0; i < syllables; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    return word.charAt(0).toUpperCase() + word.slice(1);
  };

  const words = distinct(texts.flatMap((t) => Array.from(t.matchAll(WORD), (m) => m[0])));
  const nouns = words.filter((w) => /^\p{Lu}\p{Ll}{4,}$/u.test(w));
  const compounds = words.filter((w) => /^[\p{L}\p{N}]+-[\p{L}\p{N}-]*\p{L}$/u.test(w));
  const perAdjective = new Map<string, number>();
  const pairs = distinct(texts.flatMap((t) => Array.from(t.matchAll(PAIR), (m) => `${m[1]} ${m[2]}`))).filter((p) => {
    const adjective = p.slice(0, p.indexOf(' '));
    const n = perAdjective.get(adjective) ?? 0;
    perAdjective.set(adjective, n + 1);
    return !DETERMINER.test(adjective) && n < 2;
  });
  const occurring: Array<() => void> = [
    ...nouns.map((n) => () => void add(n, [n.endsWith('e') ? `${n}n` : `${n}en`])),
    ...nouns.filter((_, i) => i % 5 === 0).map((n) => () => void add(n.toLowerCase(), [])),
    ...pairs.map((p) => () => {
      const [adjective = '', noun = ''] = p.split(' ');
      const other = adjective.endsWith('en') ? `${adjective.slice(0, -1)}` : `${adjective.replace(/e[nmrs]?$/, '')}en`;
      add(p, [`${other} ${noun}`]);
    }),
    ...compounds.map((c) => () => void add(c, [c.replace(/^[^-]+/, (m) => m.toUpperCase())])),
    ...compounds.map((c) => () => void add(c.slice(c.lastIndexOf('-') + 1), [])),
    ...nouns.filter((_, i) => i % 3 === 1).map((n) => () => void add(n.slice(0, Math.max(3, n.length - 4)), [])),
  ];
  const nearMisses: Array<() => void> = nouns.flatMap((n) =>
    Array.from({ length: options.nearMissesPerWord ?? 2 }, () => () => void add(`${n} ${invent(3)}`, [`${n} ${invent(2)}`])),
  );
  const compoundsOfWords: Array<() => void> = nouns.map((n) => () => void add(`${n}${invent(2).toLowerCase()}`, [`${invent(2)}-${n}`]));

  let taken = 0;
  const limit = options.occurring ?? Number.POSITIVE_INFINITY;
  for (const kinds of interleave(shuffle(occurring, random), shuffle(nearMisses, random), shuffle(compoundsOfWords, random))) {
    if (terms.length >= count) break;
    if (kinds.kind === 0) {
      if (taken >= limit) continue;
      const before = terms.length;
      kinds.make();
      if (terms.length > before) taken++;
    } else kinds.make();
  }
  while (terms.length < count) {
    const word = invent(3 + Math.floor(random() * 2));
    if (random() < 0.3) add(`${invent(3).toLowerCase()}e ${word}`, [`${invent(3).toLowerCase()}en ${word}`]);
    else add(word, [`${word}en`]);
  }
  return terms;
}

/** The glossary file: `german,english,forms,note`, forms separated by `;`. */
export function glossaryCsv(terms: readonly GeneratedTerm[]): string {
  const forms = (t: GeneratedTerm): string => t.forms.map((f) => (f.en === t.english ? f.de : `${f.de}=${f.en}`)).join(';');
  return `german,english,forms,note\n${terms.map((t) => `${t.german},${t.english},${forms(t)},`).join('\n')}\n`;
}

/** Makers of every list in turn (first of each, second of each, …), tagged with the list they come from. */
function* interleave(...lists: Array<Array<() => void>>): Generator<{ kind: number; make: () => void }> {
  const longest = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) {
    for (const [kind, list] of lists.entries()) {
      const make = list[i];
      if (make) yield { kind, make };
    }
  }
}

function shuffle<T>(list: T[], random: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

function distinct(list: readonly string[]): string[] {
  return [...new Set(list)];
}
