import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import * as deepl from 'deepl-node';
import { addTerm, removeTerm } from '../src/glossary/edit-glossary.js';
import { parseGlossary } from '../src/glossary/parse-glossary.js';
import { deeplEntries } from '../src/glossary/deepl-entries.js';
import { suggestTerms } from '../src/glossary/suggest-terms.js';
import { termStats } from '../src/glossary/term-stats.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { deeplEngine, ROOT } from './helpers.js';

/** A copy of the sample's glossary, fixed here so that editing the sample does not change these tests. */
const shipped = readFileSync(path.join(ROOT, 'test', 'fixtures', 'terms.csv'), 'utf8');

test('add keeps the file sorted and valid; remove takes one row out; conflicts are refused', () => {
  const added = addTerm(shipped, 'terms.csv', {
    german: 'Bündnis',
    english: 'alliance',
    forms: ['Bündnisses', 'Bündnisse=alliances'],
    note: 'NATO, in this corpus',
  });
  assert.ok('text' in added);
  const lines = added.text.trim().split('\n');
  assert.equal(lines[0], 'german,english,forms,note');
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(',')[0]),
    ['Bündnis', 'Nato-Russland-Rat', 'Ostflanke', 'rote Linien'],
  );
  assert.equal(lines[1], 'Bündnis,alliance,Bündnisses;Bündnisse=alliances,"NATO, in this corpus"');
  const reparsed = parseGlossary(added.text, 'terms.csv');
  assert.deepEqual(reparsed.problems, []);
  assert.equal(reparsed.glossary.terms.length, 4);
  // Every other row survives the rewrite unchanged in meaning.
  assert.deepEqual(
    deeplEntries(reparsed.glossary).filter(([de]) => !de.startsWith('Bündnis')),
    deeplEntries(parseGlossary(shipped, 'x').glossary),
  );

  const conflict = addTerm(shipped, 'terms.csv', { german: 'Ostflanke', english: 'east wing', forms: [], note: '' });
  assert.ok('problems' in conflict);
  assert.match(conflict.problems.join('\n'), /"Ostflanke" conflicts with line/);
  assert.ok('problems' in addTerm(shipped, 'terms.csv', { german: 'Gipfel ', english: 'summit', forms: [], note: '' }));

  // A clash names the other row by its line in the file as it is (blank lines and all, not a sorted copy),
  // its English "there" and the new one "here", and the row to change.
  const spaced = 'german,english,forms,note\nOstflanke,eastern flank,,\n\nrote Linie,red line,,\n\nBündnis,alliance,Ostflanken,\n';
  const form = addTerm(spaced, 'terms.csv', { german: 'Ostflanken', english: 'eastern flanks', forms: [], note: '' });
  assert.deepEqual(form, {
    problems: ['"Ostflanken" conflicts with line 6: "alliance" there, "eastern flanks" here'],
    rows: ['Bündnis'],
  });
  const cased = addTerm(spaced, 'terms.csv', { german: 'ostflanke', english: 'Eastern Flank', forms: [], note: '' });
  assert.ok('problems' in cased);
  assert.match(
    cased.problems.join('\n'),
    /"ostflanke" conflicts with "Ostflanke" on line 2, .*: "eastern flank" there, "Eastern Flank" here/,
  );
  assert.deepEqual(cased.rows, ['Ostflanke']);

  const removed = removeTerm(shipped, 'Ostflanke');
  assert.ok(removed !== undefined);
  assert.deepEqual(
    removed.removed.map((r) => r.line),
    [3],
  );
  assert.deepEqual(
    parseGlossary(removed.text, 'x').glossary.terms.map((t) => t.german),
    ['Nato-Russland-Rat', 'rote Linien'],
  );
  assert.equal(removeTerm(shipped, 'Unbekannt'), undefined);
  // A term written on two rows (a conflict `glossary check` names) goes whole, and both rows are given to be named.
  const twice = removeTerm(`${shipped}Ostflanke,east flank,,\n`, 'Ostflanke');
  assert.deepEqual(
    twice?.removed.map((r) => [r.line, r.cells[1]]),
    [
      [3, 'eastern flank'],
      [5, 'east flank'],
    ],
  );
});

test('stats count every shipped term in the sample and the compliance of its translations', () => {
  const { glossary } = parseGlossary(`${shipped}Gipfeltreffen,summit,,\n`, 'terms.csv');
  const stats = termStats(glossary, [
    { german: 'Moskaus „rote Linien“ und die roten Linien', english: 'Moscow’s "red lines" and the red lines' },
    { german: 'Die Ostflanke', english: 'The eastern wing' },
    { german: 'Im Nato-Russland-Rat', english: undefined },
  ]);
  const by = new Map(stats.map((s) => [s.german, s]));
  assert.deepEqual([by.get('rote Linien')?.occurrences, by.get('rote Linien')?.compliant], [2, 1]);
  assert.deepEqual([by.get('Ostflanke')?.segments, by.get('Ostflanke')?.compliant], [1, 0]);
  assert.equal(by.get('Nato-Russland-Rat')?.untranslated, 1);
  assert.equal(by.get('Gipfeltreffen')?.occurrences, 0, 'never occurs');

  // As the term check judges: a form with an English of its own asks for it, and a capital the glossary gives stays one.
  const forms = parseGlossary(
    "german,english,forms,note\nOstflanke,eastern flank,NATO-Ostflanke=NATO's eastern flank,\n",
    'terms.csv',
  ).glossary;
  const own = new Map(
    termStats(forms, [
      { german: 'Die NATO-Ostflanke steht.', english: 'The eastern flank of NATO stands.' },
      { german: 'Die NATO-Ostflanke hält.', english: "NATO's eastern flank holds." },
    ]).map((s) => [s.german, s]),
  );
  assert.deepEqual([own.get('Ostflanke')?.segments, own.get('Ostflanke')?.compliant], [2, 1]);
  const council = termStats(glossary, [{ german: 'Der Nato-Russland-Rat tagt.', english: 'The NATO-Russia council meets.' }]);
  assert.equal(council.find((s) => s.german === 'Nato-Russland-Rat')?.compliant, 0);
});

test('suggest ranks recurring compounds and quoted names the glossary lacks', () => {
  const { glossary } = parseGlossary(shipped, 'terms.csv');
  const segs = [
    { text: 'Die Leitung der "Ramstein-Gruppe" geht an die NATO.', file: 'a.txt', line: 1 },
    { text: 'Der Ramstein-Gruppe gehören 50 Länder an; die Ramstein-Gruppe tagt.', file: 'a.txt', line: 3 },
    { text: 'Biden rief die „Bukarest Neun“ an. „NATO-Quint“ heißt dieses Format.', file: 'b.txt', line: 5 },
    { text: 'Die NATO-Ostflanke und der Nato-Russland-Rat sind schon im Glossar.', file: 'b.txt', line: 7 },
  ];
  const s = suggestTerms(glossary, segs);
  assert.deepEqual(
    s.map((x) => [x.term, x.count]),
    [
      ['Ramstein-Gruppe', 3],
      ['Bukarest Neun', 1],
      ['NATO-Quint', 1],
    ],
  );
  assert.equal(s[0]?.file, 'a.txt');
  assert.match(s[0]?.context ?? '', /Leitung der "Ramstein-Gruppe"/);
});

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

test('sync against DeepL: create once, nothing when unchanged, a glossary of its own on change, delete only own glossaries a day old', async () => {
  const engine = deeplEngine(server.url, { glossaryPrefix: 'diglot/sample' });
  const client = new deepl.DeepLClient('k', { serverUrl: server.url });
  const foreign = await client.createMultilingualGlossary('Someone else', [
    { sourceLangCode: 'de', targetLangCode: 'en', entries: new deepl.GlossaryEntries({ entries: { Haus: 'house' } }) },
  ]);
  const entries = deeplEntries(parseGlossary(shipped, 'x').glossary);
  const writes = (): number => server.requests.filter((r) => r.method !== 'GET').length;

  const created = await engine.syncGlossary(entries, { dryRun: false, deleteStale: true });
  assert.equal(created.action, 'created');
  assert.equal(server.glossaries.size, 2);

  const before = writes();
  const unchanged = await engine.syncGlossary(entries, { dryRun: false, deleteStale: true });
  assert.equal(unchanged.action, 'unchanged');
  assert.equal(unchanged.id, created.id);
  assert.equal(writes(), before, 'no write request when unchanged');

  const changed: Array<[string, string]> = [...entries, ['Gipfel', 'summit']];
  const dry = await engine.syncGlossary(changed, { dryRun: true, deleteStale: true });
  assert.deepEqual([dry.action, dry.id, dry.previous?.id], ['created', undefined, created.id]);
  assert.equal(writes(), before, 'a dry run writes nothing');
  const made = await engine.syncGlossary(changed, { dryRun: false, deleteStale: true });
  assert.equal(made.action, 'created');
  assert.notEqual(made.id, created.id, 'a glossary of its own: the one in use is never changed');
  assert.equal(server.glossaries.get(made.id!)?.dictionaries[0]?.entries.get('Gipfel'), 'summit');
  assert.equal(server.glossaries.get(created.id!)?.dictionaries[0]?.entries.get('Gipfel'), undefined);
  assert.deepEqual([made.stale, made.recent], [[], 1], 'made within the day: kept');

  // A day later the project's other glossaries are stale: deleted. The foreign one stays.
  const later = deeplEngine(server.url, { glossaryPrefix: 'diglot/sample', now: () => Date.now() + 25 * 60 * 60 * 1000 });
  const cleaned = await later.syncGlossary(changed, { dryRun: false, deleteStale: true });
  assert.equal(cleaned.action, 'unchanged');
  assert.deepEqual(
    cleaned.stale.map((g) => g.id),
    [created.id],
  );
  assert.deepEqual([...server.glossaries.keys()].sort(), [foreign.glossaryId, made.id].sort());
  assert.equal(cleaned.foreign, 1);
});
