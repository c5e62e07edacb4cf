// Term matching at glossary scale: the one-pass matcher against the old one-pattern-per-form matcher
// on the sample articles, the work it does as the glossary grows, and the colophon's terms.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { generateTerms, glossaryCsv } from '../bench/glossary-terms.js';
import { termForms, type Glossary } from '../src/glossary/glossary.js';
import { parseGlossary } from '../src/glossary/parse-glossary.js';
import type { Config } from '../src/config/config.js';
import { validateConfig } from '../src/config/load-config.js';
import {
  compileTermMatcher,
  germanPattern,
  segmentTerms,
  termSet,
  type MatchWork,
  type TermMatch,
  type TermMatcher,
} from '../src/glossary/match-terms.js';
import { EditionBuilder } from '../src/render/build-edition.js';
import { linkTargets } from '../src/render/resolve-link.js';
import { handMadeArticle, sampleProject } from './helpers.js';

/** The matcher as it was before the index: every form's pattern run over the whole text, then the longest of overlapping matches. */
function referenceMatcher(glossary: Glossary): TermMatcher {
  const patterns = glossary.terms.flatMap((term) =>
    termForms(term).map((form) => ({ term, form, re: new RegExp(germanPattern(form.de), 'gu') })),
  );
  return (text) => {
    const all: TermMatch[] = [];
    for (const { term, form, re } of patterns) {
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) all.push({ term, form, found: m[0], start: m.index, end: m.index + m[0].length });
    }
    // Ties: the form written as the words stand before an inflected one, then glossary order (the sort is stable).
    const inflected = (m: TermMatch): number => (m.form.de.slice(1) === m.found.slice(1) ? 0 : 1);
    all.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || inflected(a) - inflected(b));
    const kept: TermMatch[] = [];
    for (const m of all) {
      const last = kept[kept.length - 1];
      if (last && m.start < last.end) {
        if (m.end - m.start > last.end - last.start) kept[kept.length - 1] = m;
        continue;
      }
      kept.push(m);
    }
    return kept;
  };
}

/** Forms the generator does not make: punctuation inside or at the start, digits, quotes, a bare hyphenated modifier, a ß. */
const EDGE_ROWS = [
  '100.000 Soldaten,"100,000 troops",,',
  '„Signal“,signal,,',
  '(assistiert,assisted,,',
  '-Format,format,,',
  'NATO-,NATO,Nato-,',
  'US-amerikanische,US American,US-amerikanischen,',
  'Straße,street,Strasse,',
  'Ex-Sowjetrepublik,ex-Soviet republic,Ex-Sowjetrepubliken,',
  'Ukraine,Ukraine,UKRAINE,',
  'Nato-Staat,NATO state,NATO-Staat,',
];

let texts: string[] = [];
let paragraphs: string[] = [];
let cleanup: () => void = () => {};
const sampleCsv = readFileSync(new URL('../glossary/terms.csv', import.meta.url), 'utf8').trimEnd();

before(() => {
  const project = sampleProject();
  cleanup = project.cleanup;
  const dir = path.join(project.dir, 'sources');
  texts = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8'));
  paragraphs = texts.flatMap((t) => t.split(/\n\s*\n/)).filter((p) => p.trim() !== '');
});
after(() => cleanup());

/** The sample glossary and `count` generated terms (and the edge rows), as the loader reads the file. */
function glossaryOf(count: number, options: Parameters<typeof generateTerms>[2] = {}, edges = true): Glossary {
  const own = parseGlossary([sampleCsv, ...(edges ? EDGE_ROWS : [])].join('\n'), 'terms.csv').glossary;
  const exclude = own.terms.flatMap((t) => termForms(t).map((f) => f.de));
  const generated = glossaryCsv(generateTerms(texts, count, { ...options, exclude }))
    .split('\n')
    .slice(1)
    .join('\n');
  const csv = [sampleCsv, ...(edges ? EDGE_ROWS : []), generated].join('\n');
  const { glossary, problems } = parseGlossary(csv, 'terms.csv');
  assert.deepEqual(problems, []);
  return glossary;
}

test('the one-pass matcher finds exactly what one pattern per form finds, on the sample articles', () => {
  const glossary = glossaryOf(600);
  assert.ok(glossary.terms.length > 600);
  const fast = compileTermMatcher(glossary);
  const slow = referenceMatcher(glossary);
  const found: TermMatch[] = [];
  for (const text of [...paragraphs, ...texts]) {
    const expected = slow(text);
    assert.deepEqual(fast(text), expected, text.slice(0, 80));
    found.push(...expected);
  }
  // The comparison covers every rule: inflected forms, several words, compound heads, edge forms.
  assert.ok(found.length > 500, `${found.length} matches`);
  assert.ok(found.some((m) => /\s/.test(m.found) && m.found !== m.form.de));
  assert.ok(found.some((m) => m.found !== m.form.de && !/\s/.test(m.found)));
  assert.ok(found.some((m) => m.form.de === 'Ostflanke' && m.found === 'Ostflanke' && m.start > 0));
  assert.ok(found.some((m) => m.term.german === '100.000 Soldaten'));
  assert.ok(found.some((m) => m.term.german === '„Signal“' || m.term.german === 'NATO-'));
  assert.ok(
    found.some((m) => m.found.charAt(0) !== m.form.de.charAt(0)),
    'a capitalised first letter',
  );
});

test('matches keep their shape, in text order, and the longest of overlapping terms wins', () => {
  const glossary = glossaryOf(200);
  const match = compileTermMatcher(glossary);
  const text = 'Die NATO-Ostflanke und der Nato-Russland-Rat: rote Linien, die roten Linien.';
  const found = match(text);
  assert.deepEqual(found, referenceMatcher(glossary)(text));
  for (const m of found) assert.deepEqual(Object.keys(m), ['term', 'form', 'found', 'start', 'end']);
  assert.deepEqual(
    found.map((m) => m.found),
    ['NATO-Ostflanke', 'Nato-Russland-Rat', 'rote Linien', 'roten Linien'],
  );
  for (let i = 1; i < found.length; i++) assert.ok(found[i]!.start >= found[i - 1]!.end);
});

/** Pattern tries and words over the sample's paragraphs. */
function workOver(glossary: Glossary): { verified: number; words: number; worst: number } {
  const work: MatchWork = { verified: 0 };
  const match = compileTermMatcher(glossary, work);
  let words = 0;
  let worst = 0;
  for (const p of paragraphs) {
    const before = work.verified;
    match(p);
    const n = p.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;
    words += n;
    worst = Math.max(worst, (work.verified - before) / Math.max(1, n));
  }
  return { verified: work.verified, words, worst };
}

test('the work per paragraph follows its words, not the glossary', () => {
  const three = workOver(glossaryOf(0, {}, false));
  assert.equal(parseGlossary(sampleCsv, 't.csv').glossary.terms.length, 3);
  // 10,000 terms no word of the sample begins: not one more pattern is tried.
  const invented = workOver(glossaryOf(10_000, { occurring: 0, nearMissesPerWord: 0 }, false));
  assert.equal(invented.verified, three.verified);
  // 10,000 terms, hundreds of them from the sample and thousands sharing its first words: a form of
  // several words is tried only where its second word follows too, so hardly more than a try a word.
  const big = glossaryOf(10_000);
  const forms = big.terms.reduce((n, t) => n + termForms(t).length, 0);
  const large = workOver(big);
  assert.ok(large.verified <= 2 * large.words, `${large.verified} tries for ${large.words} words`);
  assert.ok(large.worst <= 5, `at most ${large.worst} tries a word in a paragraph`);
  // The old matcher ran every form's pattern over every paragraph: over a hundred times the work.
  assert.ok(large.verified * 100 < forms * paragraphs.length, `${large.verified} tries against ${forms} × ${paragraphs.length}`);
});

test('the colophon lists the glossary terms the matcher found in the articles, inflected ones too, in glossary order', () => {
  const glossary = parseGlossary(
    'german,english,forms,note\nOstflanke,eastern flank,,\nrote Linien,red lines,,\nNato-Russland-Rat,NATO-Russia Council,,\nBaltikum,Baltic states,,\n',
    'terms.csv',
  ).glossary;
  const match = compileTermMatcher(glossary);
  const config = validateConfig({ title: 'T', subtitle: 'S' }, '/nowhere').value as Config;
  const edition = new EditionBuilder(
    config,
    glossary,
    linkTargets([], () => 'missing'),
  );
  for (const [id, text] of [
    ['a', 'Die roten Linien der NATO.\n'],
    ['b', 'Der Nato-Russland-Rates tagte; an der Ostflanken nichts Neues.\n'],
  ] as const) {
    const article = handMadeArticle(text, [`EN ${id}`], { id });
    edition.add(article, termSet(segmentTerms(article.segments, match)));
  }
  // Baltikum occurs in no article; the others only inflected.
  assert.deepEqual(
    edition.front().glossary.map((t) => t.de),
    ['Ostflanke', 'rote Linien', 'Nato-Russland-Rat'],
  );
});
