// `glossary import` (TBX 2/3 termbases, CSV/TSV term lists) and `glossary export --tbx`: rows,
// forms and notes as another tool exported them, round trips, skipped terms at their lines.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { addTerm, removeTerm, renderGlossary } from '../src/glossary/edit-glossary.js';
import type { GlossaryTerm } from '../src/glossary/glossary.js';
import { parseGlossary } from '../src/glossary/parse-glossary.js';
import { readGlossaryRows } from '../src/glossary/read-glossary-rows.js';
import { readTbx } from '../src/glossary/read-tbx.js';
import { writeTbx } from '../src/glossary/write-tbx.js';
import { importTerms } from '../src/glossary/import-terms.js';
import { readTermPairs } from '../src/glossary/read-term-pairs.js';
import { InputError } from '../src/util/errors.js';
import { ROOT, runCli, sampleProject } from './helpers.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'tbx');
const NATO = path.join(FIXTURES, 'nato-terms.tbx');
const shipped = readFileSync(path.join(ROOT, 'test', 'fixtures', 'terms.csv'), 'utf8');

/** The 1-based line of the first line of `file` that contains `text`. */
function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  assert.notEqual(index, -1, `${text} in ${file}`);
  return index + 1;
}

/** A sample project whose glossary is `csv` (empty: the header only). */
function projectWith(csv = 'german,english,forms,note\n'): { dir: string; glossary: string; cleanup: () => void } {
  const project = sampleProject();
  const glossary = path.join(project.dir, 'glossary', 'terms.csv');
  writeFileSync(glossary, csv);
  return { ...project, glossary };
}

/** The glossary's terms without their lines, and its problems. */
function termsOf(text: string): { terms: Array<Omit<GlossaryTerm, 'line'>>; problems: unknown[] } {
  const { glossary, problems } = parseGlossary(text, 'terms.csv');
  return { terms: glossary.terms.map(({ line: _line, ...t }) => t), problems };
}

test('a TBX 2 termbase exported by another tool imports with its forms and notes; an entry without English is skipped at its line', async () => {
  const project = projectWith();
  try {
    const run = await runCli(['glossary', 'import', NATO, '--root', project.dir]);
    assert.equal(run.code, 0, run.stderr);
    const { terms, problems } = termsOf(readFileSync(project.glossary, 'utf8'));
    assert.deepEqual(problems, []);
    assert.deepEqual(terms, [
      {
        german: 'Nato-Russland-Rat',
        english: 'NATO-Russia Council',
        forms: [{ de: 'NATO-Russland-Rat', en: 'NATO-Russia Council' }],
        note: '',
      },
      {
        german: 'Ostflanke',
        english: 'eastern flank',
        forms: [
          { de: 'Ostflanken', en: 'eastern flank' },
          { de: 'NATO-Ostflanke', en: 'eastern flank' },
        ],
        note: '',
      },
      {
        german: 'rote Linien',
        english: 'red lines',
        forms: [],
        note: 'Political limits; plural unless the German is singular. Not "redlines".',
      },
      // en-US is the project's English: the en-GB term is left out (and said so).
      {
        german: 'Verteidigungsausgaben',
        english: 'defense spending',
        forms: [],
        note: 'Military expenditure as NATO counts it (2 % target).',
      },
    ]);
    const file = path.basename(NATO);
    assert.ok(run.stderr.includes(`${file}:${lineOf(NATO, 'id="_1003"')}: entry "_1003" ("Zeitenwende") has no English term`), run.stderr);
    assert.ok(run.stderr.includes(`${file}:${lineOf(NATO, 'id="_1004"')}: "Verteidigungsausgaben": English "defence spending" left out`));
    assert.match(run.stderr, /English "redlines" \(deprecated\) left out/);
    assert.match(run.stderr, /4 terms added, 0 replaced, 0 already there, 3 skipped or left out/);
  } finally {
    project.cleanup();
  }
});

test('a TBX 3 termbase (conceptEntry/langSec/termSec): inflected forms in a term note, notes of the entry and the English term', () => {
  const file = path.join(FIXTURES, 'tbx3-terms.tbx');
  const { terms, skipped } = readTbx(readFileSync(file, 'utf8'), 'tbx3-terms.tbx');
  assert.deepEqual(terms, [
    {
      german: 'Gipfeltreffen',
      english: 'summit',
      forms: [
        { de: 'Gipfeltreffens', en: 'summit' },
        { de: 'Gipfel', en: 'summit' },
      ],
      note: 'Meeting of the heads of state and government. — lower case unless part of a name',
      line: lineOf(file, 'id="c12"'),
    },
  ]);
  assert.deepEqual(
    skipped.map((m) => [m.line, m.message]),
    [[lineOf(file, 'id="c13"'), 'entry "c13" has no German term (xml:lang "de" or "de-…"); skipped']],
  );
});

test('character references and internal entities are read as characters; a DOCTYPE with an external entity is refused at its line', () => {
  const tbx = (doctype: string, english: string): string =>
    `<?xml version="1.0" encoding="UTF-8"?>\n${doctype}\n<martif type="TBX" xml:lang="de"><text><body>\n` +
    `<termEntry id="x"><langSet xml:lang="de"><tig><term>Putins Angriffskrieg</term></tig></langSet>` +
    `<langSet xml:lang="en"><tig><term>${english}</term></tig></langSet></termEntry>\n</body></text></martif>\n`;
  const { terms } = readTbx(
    tbx('<!DOCTYPE martif [ <!ENTITY org "NATO"> ]>', 'Putin&#8217;s war &amp; &org; &#x2019;&apos;&quot;'),
    'ent.tbx',
  );
  assert.deepEqual(
    terms.map((t) => t.english),
    ['Putin\u2019s war & NATO \u2019\'"'],
  );
  assert.throws(
    () => readTbx(tbx('<!DOCTYPE martif [ <!ENTITY xxe SYSTEM "file:///etc/hostname"> ]>', '&xxe;'), 'xxe.tbx'),
    (error: Error) => error instanceof InputError && /^xxe\.tbx:2: cannot read this TBX file: .*external entities/i.test(error.message),
  );
});

test('export --tbx then import into an empty project gives the same rows: terms, forms with their own English, notes', async () => {
  const from = projectWith(shipped);
  const to = projectWith();
  try {
    const tbx = path.join(from.dir, 'out', 'terms.tbx');
    const exported = await runCli(['glossary', 'export', '--tbx', tbx, '--root', from.dir]);
    assert.equal(exported.code, 0, exported.stderr);
    const xml = readFileSync(tbx, 'utf8');
    assert.equal(XMLValidator.validate(xml), true);
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE martif/);
    const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['termEntry', 'langSet', 'tig'].includes(name) }).parse(xml);
    assert.equal(doc.martif['@_type'], 'TBX-Basic');
    assert.equal(doc.martif.text.body.termEntry.length, 3);
    // A form with its own English points to that English term of the entry.
    assert.match(xml, /<term>Ostflanken<\/term>[\s\S]*?<ref type="crossReference" target="(c\d-en\d)">eastern flanks<\/ref>/);

    // A folder for the file: refused as such (exit 2), no temp file left beside it.
    const folder = await runCli(['glossary', 'export', '--tbx', path.dirname(tbx), '--root', from.dir]);
    assert.equal(folder.code, 2, folder.stderr);
    assert.match(folder.stderr, /^error: cannot write .*\/out: it is a folder\n {2}hint: name the file to write/m);
    assert.deepEqual(
      readdirSync(from.dir).filter((n) => n.endsWith('.tmp')),
      [],
    );

    // A file there that is no TBX (a slip: the glossary itself) is not written over; an earlier export is.
    const glossaryBefore = readFileSync(from.glossary, 'utf8');
    const slip = await runCli(['glossary', 'export', '--tbx', from.glossary, '--root', from.dir]);
    assert.equal(slip.code, 2, slip.stderr);
    assert.match(slip.stderr, /^error: .*terms\.csv exists and is not a TBX file diglot exported: not written over/m);
    assert.equal(readFileSync(from.glossary, 'utf8'), glossaryBefore);
    assert.equal((await runCli(['glossary', 'export', '--tbx', tbx, '--root', from.dir])).code, 0);
    // Nor is a termbase another tool wrote (a colleague's, in more languages than diglot's two).
    const foreign = path.join(from.dir, 'multiterm.tbx');
    const theirs =
      '<?xml version="1.0"?>\n<martif type="TBX" xml:lang="en"><martifHeader><fileDesc><sourceDesc><p>MultiTerm</p></sourceDesc></fileDesc></martifHeader>' +
      '<text><body><termEntry><langSet xml:lang="de"><tig><term>Ostflanke</term></tig></langSet><langSet xml:lang="fr"><tig><term>flanc est</term></tig></langSet></termEntry></body></text></martif>\n';
    writeFileSync(foreign, theirs);
    const over = await runCli(['glossary', 'export', '--tbx', foreign, '--root', from.dir]);
    assert.equal(over.code, 2, over.stderr);
    assert.match(over.stderr, /multiterm\.tbx exists and is not a TBX file diglot exported: not written over/);
    assert.equal(readFileSync(foreign, 'utf8'), theirs);

    const imported = await runCli(['glossary', 'import', tbx, '--root', to.dir]);
    assert.equal(imported.code, 0, imported.stderr);
    const after = readFileSync(to.glossary, 'utf8');
    assert.deepEqual(termsOf(after), termsOf(shipped));
    // Row for row as the glossary writes them.
    assert.equal(after, renderGlossary(readGlossaryRows(shipped, 'x').rows.map((r) => r.cells)));
  } finally {
    from.cleanup();
    to.cleanup();
  }
});

test('CSV and TSV term lists: header optional, delimiter found, empty sides skipped at their lines, UTF-16 read', async () => {
  const project = projectWith();
  try {
    const csv = path.join(project.dir, 'pairs.csv');
    writeFileSync(
      csv,
      'Deutsch;Englisch\nBündnis;alliance\n"Gipfel; Treffen";summit meeting\nBeitritt;\n\n  Zeitenwende ; turning point \n',
    );
    const run = await runCli(['glossary', 'import', csv, '--root', project.dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stderr.includes('pairs.csv:4: no English term for "Beitritt"; skipped'), run.stderr);

    const tsv = path.join(project.dir, 'pairs.tsv');
    const text = 'Ostflanke\teastern flank\tNATO usage\nrote Linien\tred lines\n\tred line\n';
    writeFileSync(tsv, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    // Quiet: not a line on stdout.
    const quiet = await runCli(['glossary', 'import', tsv, '--root', project.dir, '--dry-run', '--quiet']);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout, '');
    const tsvRun = await runCli(['glossary', 'import', tsv, '--root', project.dir]);
    assert.equal(tsvRun.code, 0, tsvRun.stderr);
    assert.ok(tsvRun.stderr.includes('pairs.tsv:3: no German term for "red line"; skipped'), tsvRun.stderr);

    assert.deepEqual(termsOf(readFileSync(project.glossary, 'utf8')), {
      terms: [
        { german: 'Bündnis', english: 'alliance', forms: [], note: '' },
        { german: 'Gipfel; Treffen', english: 'summit meeting', forms: [], note: '' },
        { german: 'Ostflanke', english: 'eastern flank', forms: [], note: 'NATO usage' },
        { german: 'rote Linien', english: 'red lines', forms: [], note: '' },
        { german: 'Zeitenwende', english: 'turning point', forms: [], note: '' },
      ],
      problems: [],
    });
  } finally {
    project.cleanup();
  }
});

test('a CSV header is read by its names in any order: English first, term_de/term_en, other columns left out; a quoted note may hold line breaks', () => {
  const german = (text: string) => readTermPairs(text, 'x.csv').terms.map((t) => [t.german, t.english, t.note]);
  assert.deepEqual(german('Englisch;Deutsch\nhousing shortage;Wohnungsnot\n'), [['Wohnungsnot', 'housing shortage', '']]);
  assert.deepEqual(german('en,de\nhousing shortage,Wohnungsnot\n'), [['Wohnungsnot', 'housing shortage', '']]);
  assert.deepEqual(german('term_en;term_de;note\nday care;Kita;x\n'), [['Kita', 'day care', 'x']]);
  assert.deepEqual(german('target,source\nday care,Kita\n'), [['Kita', 'day care', '']]);
  const extra = readTermPairs('Deutsch;Französisch;Englisch;Anmerkung;Status\nKita;crèche;day care;Kinder;ok\n', 'x.csv');
  assert.deepEqual(
    extra.terms.map((t) => [t.german, t.english, t.note]),
    [['Kita', 'day care', 'Kinder']],
  );
  assert.deepEqual(
    extra.skipped.map((m) => [m.line, m.message]),
    [[1, 'columns 2 ("Französisch"), 5 ("Status") not read: a glossary holds German, English, forms and a note']],
  );
  // A CAT tool's export: languages with their variant in brackets, a status column left out.
  assert.deepEqual(german('German (Germany),English (United States),Status\nOstflanke,eastern flank,approved\n'), [
    ['Ostflanke', 'eastern flank', ''],
  ]);
  // A semicolon list whose rows differ in length (a note on some, a comma in it, a row of one cell): still read by ";".
  assert.deepEqual(german('Ostflanke;eastern flank;NATO, Osten\nKiew;Kyiv\nrote Linie;red line;Politik\n'), [
    ['Ostflanke', 'eastern flank', 'NATO, Osten'],
    ['Kiew', 'Kyiv', ''],
    ['rote Linie', 'red line', 'Politik'],
  ]);
  // A stray tab in a note of a comma list is no delimiter; a list of tabs whose rows differ in length is read by tabs.
  assert.deepEqual(german('german,english,note\nOstflanke,eastern flank,see\there\nBündnis,alliance,\n'), [
    ['Ostflanke', 'eastern flank', 'see\there'],
    ['Bündnis', 'alliance', ''],
  ]);
  assert.deepEqual(german('de\ten\tnote\nKiew\tKyiv\nOstflanke\teastern flank\tNATO, Osten\n'), [
    ['Kiew', 'Kyiv', ''],
    ['Ostflanke', 'eastern flank', 'NATO, Osten'],
  ]);
  const oneCell = readTermPairs('Sanktion;sanction\nMinisterin\nOstflanke;eastern flank\n', 'x.csv');
  assert.deepEqual(
    oneCell.terms.map((t) => [t.german, t.english]),
    [
      ['Sanktion', 'sanction'],
      ['Ostflanke', 'eastern flank'],
    ],
  );
  assert.deepEqual(
    oneCell.skipped.map((m) => [m.line, m.message]),
    [[2, 'no English term for "Ministerin"; skipped']],
  );
  // Excel's ";" with a multi-line note in quotes.
  assert.deepEqual(german('Deutsch;Englisch;Bemerkung\nKita;daycare center;\nElterngeld;parental allowance;"Zeile\nzwei"\n'), [
    ['Kita', 'daycare center', ''],
    ['Elterngeld', 'parental allowance', 'Zeile\nzwei'],
  ]);
  // Saved on Windows: the note's line break is a line break, not a carriage return left in it.
  assert.deepEqual(german('Deutsch;Englisch;Bemerkung\r\nElterngeld;parental allowance;"Zeile\r\nzwei"\r\n'), [
    ['Elterngeld', 'parental allowance', 'Zeile\nzwei'],
  ]);
});

test('a malformed TBX or CSV is refused naming file and line; the glossary stays as it was', async () => {
  const project = projectWith(shipped);
  try {
    const bad = path.join(project.dir, 'bad.tbx');
    const good = readFileSync(NATO, 'utf8');
    // An unclosed <term> on the line of "Ostflanken".
    writeFileSync(bad, good.replace('<term>Ostflanken</term>', '<term>Ostflanken'));
    const run = await runCli(['glossary', 'import', bad, '--root', project.dir]);
    assert.equal(run.code, 2);
    // Where the parser noticed (the closing </tig>), and where the <term> opened.
    const opened = lineOf(bad, '<term>Ostflanken');
    assert.match(
      run.stderr,
      new RegExp(`bad\\.tbx:${opened + 2}:\\d+: not well-formed XML: .*'term' \\(opened in line ${opened}, col \\d+\\)`),
    );

    const notTbx = path.join(project.dir, 'other.xml');
    writeFileSync(notTbx, '<?xml version="1.0"?>\n<tmx version="1.4"><body/></tmx>\n');
    const other = await runCli(['glossary', 'import', notTbx, '--root', project.dir]);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /other\.xml:2: not a TBX file: the root element is <tmx>/);

    const csv = path.join(project.dir, 'bad.csv');
    writeFileSync(csv, 'german,english\nBündnis,alliance\n"Gipfel,summit\nBeitritt,accession\n');
    const csvRun = await runCli(['glossary', 'import', csv, '--root', project.dir]);
    assert.equal(csvRun.code, 2);
    assert.match(csvRun.stderr, /bad\.csv:3: not valid CSV: a quoted field opens on this line and is never closed/);

    // A file that gives no pair at all (empty; a termbase without German) is a failure that says why, not "0 terms added".
    const empty = path.join(project.dir, 'empty.csv');
    writeFileSync(empty, '');
    const french = path.join(project.dir, 'fr.tbx');
    writeFileSync(french, good.replace(/xml:lang="de(?:-DE)?"/g, 'xml:lang="fr"'));
    for (const [file, why] of [
      [empty, /empty\.csv holds no German term with its English\n {2}hint: a term list needs a German and an English column/],
      [french, /fr\.tbx holds no German term with its English\n {2}\S*fr\.tbx:19: entry "_1001" has no German term/],
    ] as const) {
      const none = await runCli(['glossary', 'import', file, '--root', project.dir]);
      assert.equal(none.code, 2, none.stderr);
      assert.match(none.stderr, why);
      assert.doesNotMatch(none.stderr, /terms added/);
    }
    assert.equal(readFileSync(project.glossary, 'utf8'), shipped);
  } finally {
    project.cleanup();
  }
});

test('rows already in the glossary win unless --replace; --replace keeps the forms and notes the import lacks', async () => {
  const project = projectWith(shipped);
  try {
    const tsv = path.join(project.dir, 'changed.tsv');
    writeFileSync(tsv, 'Ostflanke\tEastern Flank\nrote Linie\tred line\nBündnis\talliance\n');
    const before = termsOf(shipped).terms;

    const dry = await runCli(['glossary', 'import', tsv, '--dry-run', '--root', project.dir]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\(dry run\) would add \S*changed\.tsv:3: Bündnis → alliance/);
    assert.equal(readFileSync(project.glossary, 'utf8'), shipped, 'a dry run writes nothing');

    const kept = await runCli(['glossary', 'import', tsv, '--root', project.dir]);
    assert.equal(kept.code, 0, kept.stderr);
    assert.ok(
      kept.stderr.includes(
        'changed.tsv:1: "Ostflanke" is already in the glossary (glossary/terms.csv:3; English "eastern flank" there, "Eastern Flank" here); kept (--replace takes the imported one)',
      ),
      kept.stderr,
    );
    assert.ok(
      kept.stderr.includes('changed.tsv:2: "rote Linie" is already a form of "rote Linien" (glossary/terms.csv:4); skipped'),
      kept.stderr,
    );
    const afterKeep = termsOf(readFileSync(project.glossary, 'utf8')).terms;
    assert.deepEqual(
      afterKeep.filter((t) => t.german !== 'Bündnis'),
      before,
      'every row as it was',
    );
    assert.equal(afterKeep.length, before.length + 1);

    const replaced = await runCli(['glossary', 'import', tsv, '--replace', '--root', project.dir]);
    assert.equal(replaced.code, 0, replaced.stderr);
    assert.match(replaced.stdout, /Replaced glossary\/terms\.csv:4: Ostflanke → eastern flank/);
    const ostflanke = termsOf(readFileSync(project.glossary, 'utf8')).terms.find((t) => t.german === 'Ostflanke');
    assert.deepEqual(ostflanke, {
      german: 'Ostflanke',
      english: 'Eastern Flank',
      // Forms with an English of their own keep it; the note stays (the import has none).
      forms: [
        { de: 'Ostflanken', en: 'eastern flanks' },
        { de: 'NATO-Ostflanke', en: "NATO's eastern flank" },
      ],
      note: "NATO's member states bordering Russia, Belarus and Ukraine",
    });
    assert.match(replaced.stderr, /0 terms added, 1 replaced, 1 already there, 1 skipped/);
  } finally {
    project.cleanup();
  }
});

test('add, remove and import keep a glossary saved with a byte-order mark and Windows line ends in that style: only the rows edited change', async () => {
  const windows = `\uFEFF${shipped.replace(/\n/g, '\r\n')}`;
  const project = projectWith(windows);
  try {
    const lines = (): string[] => readFileSync(project.glossary, 'utf8').split('\r\n');
    const added = await runCli(['glossary', 'add', 'Abschreckung', 'deterrence', '--root', project.dir]);
    assert.equal(added.code, 0, added.stderr);
    const text = readFileSync(project.glossary, 'utf8');
    assert.ok(text.startsWith('\uFEFFgerman,english,forms,note\r\n'), 'the mark and the line end stay');
    assert.equal(text.replace(/\r\n/g, '').includes('\n'), false, 'no line ends in "\\n" alone');
    assert.deepEqual(
      lines().filter((l) => !windows.split('\r\n').includes(l)),
      ['Abschreckung,deterrence,,'],
      'the one row added is all that differs',
    );

    const csv = path.join(project.dir, 'pairs.csv');
    writeFileSync(csv, 'Zeitenwende;turning point\n');
    assert.equal((await runCli(['glossary', 'import', csv, '--root', project.dir])).code, 0);
    assert.equal((await runCli(['glossary', 'remove', 'Abschreckung', '--root', project.dir])).code, 0);
    // A term already there is not added, its row named with the file.
    const twice = await runCli(['glossary', 'add', 'Ostflanke', 'east wing', '--root', project.dir]);
    assert.equal(twice.code, 2);
    assert.match(
      twice.stderr,
      /glossary add: not added to glossary\/terms\.csv:\n {2}"Ostflanke" conflicts with line \d+: "eastern flank" there, "east wing" here/,
    );
    // An option of another action is refused, and nothing changes: remove has no dry run.
    const glossaryNow = readFileSync(project.glossary, 'utf8');
    const dry = await runCli(['glossary', 'remove', 'Ostflanke', '--dry-run', '--root', project.dir]);
    assert.equal(dry.code, 2);
    assert.match(dry.stderr, /glossary remove: --dry-run is an option of glossary import and sync/);
    assert.equal(readFileSync(project.glossary, 'utf8'), glossaryNow);
    // A form is no term of its own: the row listing it is named.
    const form = await runCli(['glossary', 'remove', 'Ostflanken', '--root', project.dir]);
    assert.equal(form.code, 2);
    assert.match(form.stderr, /"Ostflanken" is a form of "Ostflanke" \(glossary\/terms\.csv:\d+\), not a term of its own/);
    assert.deepEqual(
      lines().filter((l) => !windows.split('\r\n').includes(l)),
      ['Zeitenwende,turning point,,'],
    );
    assert.ok(readFileSync(project.glossary, 'utf8').startsWith('\uFEFFgerman'));
  } finally {
    project.cleanup();
  }
});

test('a term written decomposed (NFD, from a Mac or a PDF) is the same term to import and remove, as to matching', () => {
  const nfd = (text: string): string => text.normalize('NFD');
  const glossary = [
    'german,english,forms,note',
    'Bündnis,alliance,Bündnisse,',
    `${nfd('Straße')},road,,`,
    `${nfd('Übung')},exercise,,`,
    '',
  ].join('\n');
  const term = (german: string, english: string, line: number): GlossaryTerm => ({ german, english, forms: [], note: '', line });
  const outcome = importTerms(
    glossary,
    'glossary/terms.csv',
    [term(nfd('Bündnis'), 'alliance', 2), term(nfd('Bündnisse'), 'alliances', 3), term('Straße', 'street', 4)],
    'import.csv',
    { replace: false },
  );
  assert.ok('text' in outcome);
  assert.deepEqual(outcome.added, []);
  assert.equal(outcome.unchanged, 1);
  assert.deepEqual(
    outcome.skipped.map((m) => m.line),
    [3, 4],
  );
  assert.deepEqual(parseGlossary(outcome.text, 'terms.csv').problems, []);
  // Typed composed, the decomposed row is found and removed; the other rows stay as written.
  const removed = removeTerm(glossary, 'Übung');
  assert.deepEqual(
    removed?.removed.map((r) => r.line),
    [4],
  );
  assert.ok(removed?.text.includes(nfd('Straße')));
  // Added decomposed, it is written composed, as an import writes it.
  const added = addTerm(glossary, 'glossary/terms.csv', {
    german: nfd('Größe'),
    english: 'size',
    forms: [nfd('Größen')],
    note: nfd('für Ärmel'),
  });
  assert.ok('text' in added);
  assert.match(added.text, /^Größe,size,Größen,für Ärmel$/m);
});

test('an import never writes a glossary that check refuses: a term in the other letter case of another is skipped at its line', () => {
  const glossary = ['german,english,forms,note', 'Ostflanke,eastern flank,,', 'rote Linie,red line,,', ''].join('\n');
  const term = (german: string, english: string, line: number): GlossaryTerm => ({ german, english, forms: [], note: '', line });
  const outcome = importTerms(
    glossary,
    'glossary/terms.csv',
    [
      term('ostflanke', 'eastern flank', 2),
      term('Rote Linie', 'Red Line', 3),
      term('Russland', 'Russia', 4),
      term('russland', 'russia', 5),
    ],
    'import.csv',
    { replace: false },
  );
  assert.ok('text' in outcome);
  assert.deepEqual(
    outcome.added.map((t) => t.german),
    ['Russland'],
  );
  assert.deepEqual(
    outcome.skipped.map((m) => [m.line, m.message]),
    [
      [
        2,
        '"ostflanke" is "Ostflanke" (glossary/terms.csv:2) with its first letter in the other case, and a term is matched in either; skipped',
      ],
      [
        3,
        '"Rote Linie" is "rote Linie" (glossary/terms.csv:3) with its first letter in the other case, and a term is matched in either; skipped',
      ],
      [
        5,
        '"russland" is "Russland" (earlier in this import) with its first letter in the other case, and a term is matched in either; skipped',
      ],
    ],
  );
  assert.deepEqual(parseGlossary(outcome.text, 'g.csv').problems, [], 'the glossary written passes the check');
});

test('a form the glossary cannot hold (a comma, ";" or "=" in it) is left out alone: the term and its other forms come in', () => {
  const glossary = 'german,english,forms,note\n';
  const forms = (...de: string[]) => de.map((d) => ({ de: d, en: 'eastern flank' }));
  const outcome = importTerms(
    glossary,
    'glossary/terms.csv',
    [
      {
        german: 'Ostflanke',
        english: 'eastern flank',
        forms: forms('Ost,Flanke', 'Ost;Flanke', 'Ostflanke=Ostgrenze', 'Ostflanken'),
        note: '',
        line: 4,
      },
    ],
    'x.tbx',
    { replace: false },
  );
  assert.ok('text' in outcome);
  assert.deepEqual(
    outcome.added.map((t) => [t.german, t.forms.map((f) => f.de)]),
    [['Ostflanke', ['Ostflanken']]],
  );
  assert.deepEqual(
    outcome.skipped.map((m) => [m.line, m.message.replace(/ left out: .*/, ' left out')]),
    [
      [4, 'form "Ost,Flanke" of "Ostflanke" left out'],
      [4, 'form "Ost;Flanke" of "Ostflanke" left out'],
      [4, 'form "Ostflanke=Ostgrenze" of "Ostflanke" left out'],
    ],
  );
  assert.deepEqual(parseGlossary(outcome.text, 'g.csv').problems, []);
});

test("a term of the project's English variant is taken before another variant's, whatever their status", () => {
  const tbx = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<martif type="TBX-Basic" xml:lang="en"><text><body>',
    '<termEntry id="c1">',
    '<langSet xml:lang="de"><tig><term>Ostflanke</term></tig></langSet>',
    '<langSet xml:lang="en-GB"><tig><term>eastern flank</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>',
    '<langSet xml:lang="en-US"><tig><term>Eastern Flank</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></tig></langSet>',
    '</termEntry>',
    '</body></text></martif>',
    '',
  ].join('\n');
  assert.deepEqual(
    readTbx(tbx, 'x.tbx', 'en-US').terms.map((t) => [t.german, t.english]),
    [['Ostflanke', 'Eastern Flank']],
  );
  assert.deepEqual(
    readTbx(tbx, 'x.tbx', 'en-GB').terms.map((t) => [t.german, t.english]),
    [['Ostflanke', 'eastern flank']],
  );
});

test('a note with line breaks or runs of spaces comes back from an export as it was; a pretty-printed note of another tool is tidied', () => {
  const notes = ['Line one\nLine two', 'A & B <c>  two  spaces ', 'Plain note.'];
  const glossary = {
    file: 'terms.csv',
    terms: notes.map((note, i) => ({ german: `Begriff${i}`, english: `term${i}`, forms: [], note, line: i + 2 })),
  };
  const tbx = writeTbx(glossary, { title: 'T', source: 'terms.csv', targetLang: 'en-US' });
  assert.match(tbx, /<note xml:space="preserve">Line one\nLine two<\/note>/);
  assert.match(tbx, /<note>Plain note\.<\/note>/);
  assert.deepEqual(
    readTbx(tbx, 'x.tbx', 'en-US').terms.map((t) => t.note),
    notes,
  );
  const pretty = tbx.replace('<note>Plain note.</note>', '<note>\n          Plain\n          note.\n        </note>');
  assert.equal(readTbx(pretty, 'x.tbx', 'en-US').terms[2]?.note, 'Plain note.');
});

test('TBX 3 in DCT style gives statuses and definitions as elements; MultiTerm capitalises its descrip types', () => {
  const dct = `<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2" xmlns:min="http://www.tbxinfo.net/ns/min" xmlns:basic="http://www.tbxinfo.net/ns/basic"><text><body>
 <conceptEntry id="c1"><basic:definition>Verbot des Handels</basic:definition>
  <langSec xml:lang="de"><termSec><term>Embargo</term></termSec></langSec>
  <langSec xml:lang="en"><termSec><term>boycott</term><min:administrativeStatus>deprecatedTerm-admn-sts</min:administrativeStatus></termSec><termSec><term>embargo</term><min:administrativeStatus>preferredTerm-admn-sts</min:administrativeStatus></termSec></langSec></conceptEntry>
 <conceptEntry id="c2"><langSec xml:lang="de"><termSec><term>Waffenstillstandsabkommen</term><min:administrativeStatus>deprecatedTerm-admn-sts</min:administrativeStatus></termSec><termSec><term>Waffenstillstand</term><min:administrativeStatus>preferredTerm-admn-sts</min:administrativeStatus></termSec></langSec><langSec xml:lang="en"><termSec><term>ceasefire</term></termSec></langSec></conceptEntry>
</body></text></tbx>`;
  const read = readTbx(dct, 'dct.tbx');
  assert.deepEqual(
    read.terms.map((t) => [t.german, t.english, t.forms.map((f) => f.de), t.note]),
    [
      ['Embargo', 'embargo', [], 'Verbot des Handels'],
      ['Waffenstillstand', 'ceasefire', ['Waffenstillstandsabkommen'], ''],
    ],
  );
  assert.deepEqual(
    read.skipped.map((m) => m.message),
    ['"Embargo": English "boycott" (deprecated) left out; the glossary keeps one English per term ("embargo")'],
  );
  const multiterm = `<?xml version="1.0" encoding="UTF-8"?><martif type="TBX"><text><body>
<termEntry><descripGrp><descrip type="Definition">Militärisches Bündnis</descrip></descripGrp>
<langSet xml:lang="DE-DE"><tig><term>Nordatlantikpakt</term></tig><descrip type="Note">Auch NATO.</descrip></langSet>
<langSet xml:lang="EN-US"><tig><term>North Atlantic Treaty</term></tig></langSet></termEntry>
</body></text></martif>`;
  assert.deepEqual(
    readTbx(multiterm, 'multiterm.tbx').terms.map((t) => [t.german, t.english, t.note]),
    [['Nordatlantikpakt', 'North Atlantic Treaty', 'Militärisches Bündnis — Auch NATO.']],
  );
});

test("term lists: of several English columns the project's variant is read; CAT tools' and translators' headers are headers", () => {
  const variants = readTermPairs('de-DE;en-GB;en-US\nOstflanke;eastern flank (UK);eastern flank\n', 'v.csv', 'en-US');
  assert.deepEqual(
    variants.terms.map((t) => [t.german, t.english]),
    [['Ostflanke', 'eastern flank']],
  );
  assert.match(variants.skipped[0]?.message ?? '', /column 2 \("en-GB"\) not read/);
  assert.equal(readTermPairs('de;en-GB;en-US\nOst;east (UK);east\n', 'v.csv', 'en-GB').terms[0]?.english, 'east (UK)');
  // Variants named in brackets, as spreadsheets write them.
  assert.equal(readTermPairs('German,English (UK),English (US)\nHaus,flat,house\n', 'v.csv', 'en-US').terms[0]?.english, 'house');
  assert.equal(
    readTermPairs('Term (de),Term (en-GB),Term (en-US)\nOstflanke,GB value,US value\n', 'v.csv', 'en-US').terms[0]?.english,
    'US value',
  );
  assert.equal(
    readTermPairs('German;English (United States);English (United Kingdom)\nA;us;gb\n', 'v.csv', 'en-GB').terms[0]?.english,
    'gb',
  );
  for (const header of ['Begriff;Übersetzung;Kommentar', 'Term (de);Term (en);Note', 'Source Language;Target Language;Hinweis']) {
    const read = readTermPairs(`${header}\nGipfel;summit;Treffen\n`, 'h.csv', 'en-US');
    assert.deepEqual(
      read.terms.map((t) => [t.german, t.english, t.note, t.line]),
      [['Gipfel', 'summit', 'Treffen', 2]],
      header,
    );
  }
});

test('a forbidden or deprecated English never becomes the English, whatever case and data category the tool writes its status in', () => {
  const entry = (status: string): string =>
    `<termEntry><langSet xml:lang="de"><tig><term>Straßensperre</term></tig></langSet><langSet xml:lang="en"><tig><term>road block</term>${status}</tig><tig><term>barricade</term></tig></langSet></termEntry>`;
  for (const status of [
    '<termNote type="administrativeStatus">Forbidden</termNote>',
    '<termNote type="administrativeStatus">DeprecatedTerm-admn-sts</termNote>',
    '<termNote type="normativeAuthorization">deprecatedTerm</termNote>',
    '<termNote type="Usage">Forbidden</termNote>',
    '<termNote type="normativeAuthorization">not recommended</termNote>',
  ]) {
    const read = readTbx(`<?xml version="1.0"?><martif type="TBX"><text><body>${entry(status)}</body></text></martif>`, 't.tbx');
    assert.deepEqual(
      read.terms.map((t) => t.english),
      ['barricade'],
      status,
    );
  }
});
