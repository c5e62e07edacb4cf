import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { deeplEntries } from '../src/glossary/deepl-entries.js';
import { compileTermMatcher } from '../src/glossary/match-terms.js';
import { loadGlossary } from '../src/glossary/load-glossary.js';
import { parseGlossary } from '../src/glossary/parse-glossary.js';
import { readGlossaryRows } from '../src/glossary/read-glossary-rows.js';
import { ROOT, sampleProject } from './helpers.js';

test("the sample project's glossary loads without problems", async () => {
  const project = sampleProject();
  try {
    const { glossary, problems } = await loadGlossary(path.join(project.dir, 'glossary', 'terms.csv'), 'glossary/terms.csv');
    assert.deepEqual(problems, []);
    assert.ok(glossary.terms.length > 0);
  } finally {
    project.cleanup();
  }
});

test("a glossary (the sample's, as a fixture) loads without problems and lists its forms", async () => {
  const { glossary, problems } = await loadGlossary(path.join(ROOT, 'test', 'fixtures', 'terms.csv'), 'glossary/terms.csv');
  assert.deepEqual(problems, []);
  assert.deepEqual(
    glossary.terms.map((t) => [t.german, t.english]),
    [
      ['Nato-Russland-Rat', 'NATO-Russia Council'],
      ['Ostflanke', 'eastern flank'],
      ['rote Linien', 'red lines'],
    ],
  );
  const entries = new Map(deeplEntries(glossary));
  assert.equal(entries.get('roten Linien'), 'red lines');
  assert.equal(entries.get('Roten Linien'), 'red lines');
  assert.equal(entries.get('Rote Linien'), 'red lines', 'capitalised form added for sentence starts');
  assert.equal(entries.get('Ostflanken'), 'eastern flanks');
  assert.equal(entries.get('NATO-Russland-Rat'), 'NATO-Russia Council');
  const keys = [...entries.keys()];
  assert.deepEqual(keys, [...keys].sort(), 'sorted, so the same glossary hashes the same');
});

test('every bad line is reported with its line number and left out', () => {
  const csv = [
    'german,english,forms,note',
    'Ostflanke,eastern flank,,',
    'Ostflanke,eastern flank,,', // duplicate
    'Ostflanke,east wing,,', // conflicting
    'Bündnis,,,', // empty target
    '"Rote\tLinie",red line,,', // tab
    'Gipfel ,summit,,', // trailing space
    'Rat,council,Rates;Rat,', // repeated in its row
    'Allianz,alliance,,,extra', // too many columns
    'rote Linie,red line,"roten Linien, rote Linien",', // forms run together with a comma
    '"koste es, was es wolle",at all costs,"koste es, was es kostet",', // a phrase with a comma, and its form
    'Verteidigung,defence,,ok',
    'ostflanke,Eastern Flank,,', // the term of line 2 at a sentence start
    'verteidigung,defence,,', // the same term again
    '# Begriffe der Nato,,,', // no comments in CSV
    'NATO-Russland-Rat,NATO-Russia Council,,',
    'NATO\u2011Russland\u2011Rat,NATO Russia Council,,', // the same term to the matcher: its hyphens are any
    'NATO\u2010Russland-Rat,NATO-Russia Council,,', // the same again, the same English
  ].join('\n');
  const { glossary, problems } = parseGlossary(csv, 'g.csv');
  const byLine = problems.map((p) => `${p.file}:${p.line}: ${p.message}`);
  assert.equal(byLine.length, 13, byLine.join('\n'));
  assert.deepEqual(byLine.slice(11), [
    'g.csv:17: "NATO\u2011Russland\u2011Rat" conflicts with "NATO-Russland-Rat" on line 16, the same term in a text (a term is matched with any hyphen for another: -, U+2010 or the non-breaking U+2011): "NATO-Russia Council" there, "NATO Russia Council" here',
    'g.csv:18: "NATO\u2010Russland-Rat" duplicates "NATO-Russland-Rat" on line 16: a term is matched with any hyphen for another: -, U+2010 or the non-breaking U+2011',
  ]);
  assert.equal(
    byLine[10],
    'g.csv:15: "# Begriffe der Nato": the glossary has no comment lines; put a remark in the note column, or remove the line',
  );
  assert.equal(
    byLine[8],
    'g.csv:13: "ostflanke" conflicts with "Ostflanke" on line 2, the same term at a sentence start (a term is matched with its first letter in either case): "eastern flank" there, "Eastern Flank" here',
  );
  assert.equal(
    byLine[9],
    'g.csv:14: "verteidigung" duplicates "Verteidigung" on line 12: a term is matched with its first letter in either case',
  );
  assert.match(byLine[0] ?? '', /^g\.csv:3: "Ostflanke" duplicates line 2/);
  assert.match(byLine[1] ?? '', /^g\.csv:4: "Ostflanke" conflicts with line 2/);
  assert.match(byLine[2] ?? '', /^g\.csv:5: English term is empty/);
  assert.match(byLine[3] ?? '', /^g\.csv:6: German term "Rote\\tLinie" contains a tab/);
  assert.match(byLine[4] ?? '', /^g\.csv:7: German term "Gipfel " has leading or trailing spaces/);
  assert.match(byLine[5] ?? '', /^g\.csv:8: "Rat" is listed twice in this row/);
  assert.match(byLine[6] ?? '', /^g\.csv:9: has text in column 5/);
  assert.equal(
    byLine[7],
    'g.csv:10: German form "roten Linien, rote Linien" holds a comma: forms are separated by ";" (roten Linien;rote Linien)',
  );
  assert.deepEqual(
    glossary.terms.map((t) => t.german),
    ['Ostflanke', 'koste es, was es wolle', 'Verteidigung', 'NATO-Russland-Rat'],
  );
});

test('a form of a term with "=" in it, written with its "=", is refused: the forms column would read it as a form and its English', () => {
  const { glossary, problems } = parseGlossary(
    'german,english,forms,note\nA=B-Regel,A=B rule,A=B-Regeln,\nOstflanke,eastern flank,Ostflanken=eastern flanks,\n',
    'g.csv',
  );
  assert.deepEqual(
    problems.map((p) => [p.line, p.message]),
    [
      [
        2,
        'German form "A=B-Regeln" holds "=", which in the forms column separates a form from its English: a form with "=" in it cannot be listed',
      ],
    ],
  );
  assert.deepEqual(
    glossary.terms.map((t) => t.german),
    ['Ostflanke'],
  );
});

test('empty columns after the note, as a spreadsheet saves them, are no problem; a text there is, at its column', () => {
  const { glossary, problems } = parseGlossary(
    'german,english,forms,note,,,\nOstflanke,eastern flank,,,,,\nGipfel,summit,,Treffen,, ,\nRat,council,,,,x,\n',
    'g.csv',
  );
  assert.deepEqual(
    glossary.terms.map((t) => [t.german, t.english, t.note]),
    [
      ['Ostflanke', 'eastern flank', ''],
      ['Gipfel', 'summit', 'Treffen'],
    ],
  );
  assert.deepEqual(
    problems.map((p) => `${p.line}: ${p.message}`),
    ['4: has text in column 6; expected at most 4 columns (german, english, forms, note); quote a field that contains a comma'],
  );
});

test('a file without the header is refused at line 1', () => {
  const { problems } = parseGlossary('Ostflanke,eastern flank\n', 'g.csv');
  assert.equal(problems[0]?.line, 1);
  assert.match(problems[0]?.message ?? '', /header/);
});

test('a term saved decomposed (NFD, as a Mac or a PDF gives it) is read composed: it matches the sources and is seen as a duplicate', () => {
  const nfd = 'Übung'.normalize('NFD');
  assert.notEqual(nfd, 'Übung');
  const csv = ['german,english,forms,note', `${nfd},exercise,${nfd}en=exercises,`, 'Übung,drill,,', ''].join('\n');
  const { glossary, problems } = parseGlossary(csv, 'g.csv');
  assert.deepEqual(
    glossary.terms.map((t) => [t.german, t.forms.map((f) => f.de)]),
    [['Übung', ['Übungen']]],
  );
  assert.deepEqual(
    problems.map((p) => p.line),
    [3],
    'the composed twin conflicts with it',
  );
  assert.equal(compileTermMatcher(glossary)('Die Übungen waren gut.')[0]?.found, 'Übungen');
});

test('a stray quote is refused at its row, naming the column as a spreadsheet counts it and how to quote', () => {
  const messages = (row: string): string[] =>
    readGlossaryRows(`german,english,forms,note\nOstflanke,eastern flank,,\n${row}\n`, 'g.csv').problems.map(
      (p) => `${p.line}: ${p.message}`,
    );
  assert.deepEqual(messages('Gipfel,the "summit",,'), [
    '3: not valid CSV: a quote stands inside column 2 ("the "); put the whole field in quotes, and write a quote inside it twice ("")',
  ]);
  assert.deepEqual(messages('Gipfel,"summit" meeting,,'), [
    `3: not valid CSV: text follows a quoted field's closing quote; put the whole field in quotes, and write a quote inside it twice ("")`,
  ]);
});

test('a term DeepL would refuse for its length is refused at its line; a second row of a term with other forms or a note is to merge, not to delete', () => {
  const long = 'Langwort'.repeat(130);
  const csv = [
    'german,english,forms,note',
    `${long},long word,,`,
    `Kurz,${'x'.repeat(1100)},,`,
    'Gamma,gamma,Gammas,',
    'Gamma,gamma,,"never Γ; see the style guide"',
    'Delta,delta,,',
    'Delta,delta,,',
  ].join('\n');
  const { glossary, problems } = parseGlossary(csv, 'g.csv');
  assert.deepEqual(
    problems.map((p) => `${p.line}: ${p.message}`),
    [
      `2: German term "${long.slice(0, 40)}…" is 1,040 bytes in UTF-8, and DeepL takes at most 1,024 a term`,
      `3: English term "${'x'.repeat(40)}…" is 1,100 bytes in UTF-8, and DeepL takes at most 1,024 a term`,
      '5: "Gamma" is on line 4 too, with other forms or another note: merge the two rows into one, keeping the forms and notes of both',
      '7: "Delta" duplicates line 6',
    ],
  );
  assert.deepEqual(
    glossary.terms.map((t) => t.german),
    ['Gamma', 'Delta'],
  );
});
