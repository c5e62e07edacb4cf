import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { MemoryEntry } from '../src/memory/entry.js';
import { fromTmx, toTmx } from '../src/memory/tmx.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { loadProject } from '../src/load-project.js';
import { InputError } from '../src/util/errors.js';
import { MemoryLogger } from '../src/util/logger.js';
import { configOf, sampleProject } from './helpers.js';
import { fileStamp } from '../src/write/write-atomic.js';

const T = '2026-01-01T00:00:00Z';
const entry = (source: string, target: string, extra: Partial<MemoryEntry> = {}): MemoryEntry => ({
  source,
  target,
  lang: 'en-US',
  origin: 'deepl',
  status: 'draft',
  created: T,
  updated: T,
  ...extra,
});

function tempFile(): { file: string; done: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-mem-'));
  return { file: path.join(dir, 'memory.jsonl'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('lookup is by normalised source and target language; the last line wins', async () => {
  const { file, done } = tempFile();
  try {
    const { memory } = await TranslationMemory.open(file);
    memory.append([entry('Die  Ostflanke\nder NATO', 'NATO’s eastern flank'), entry('Hallo', 'Hello')]);
    memory.append([entry('Hallo', 'Hi', { origin: 'human', status: 'reviewed' })]);
    const { memory: reloaded, problems } = await TranslationMemory.open(file);
    assert.deepEqual(problems, []);
    assert.equal(reloaded.lookup('Die Ostflanke der NATO', 'en-US')?.target, 'NATO’s eastern flank');
    assert.equal(
      reloaded.lookup('Die Ost\u00ADflanke der\u00A0NATO ', 'en-US')?.target,
      'NATO’s eastern flank',
      'soft hyphen and NBSP fold away',
    );
    assert.equal(reloaded.lookup('Die Ostflanke der NATO', 'en-GB'), undefined);
    // lookupKey takes a key already normalised (a segment's segmentKey) and finds the same entry.
    assert.equal(reloaded.lookupKey('Die Ostflanke der NATO', 'en-US')?.target, 'NATO’s eastern flank');
    assert.equal(reloaded.lookupKey('Die Ostflanke der NATO', 'en-GB'), undefined);
    assert.equal(reloaded.lookup('Hallo', 'en-US')?.target, 'Hi');
    assert.equal(reloaded.size, 2);
    assert.equal(readFileSync(file, 'utf8').split('\n').filter(Boolean).length, 3, 'appends only, one line per entry');
  } finally {
    done();
  }
});

test('a corrupt line refuses the whole file, naming its line; the file is not rewritten', async () => {
  const { file, done } = tempFile();
  try {
    const { memory } = await TranslationMemory.open(file);
    memory.append([entry('Eins', 'One')]);
    appendFileSync(file, '{"source": broken\n');
    memory.append([entry('Zwei', 'Two')]);
    const before = readFileSync(file, 'utf8');
    await assert.rejects(TranslationMemory.open(file, 'memory/memory.jsonl'), (error: Error) => {
      assert.equal(error.name, 'InputError');
      assert.match(error.message, /memory\/memory\.jsonl:2: not valid JSON/);
      assert.match((error as InputError).hint ?? '', /compact --quarantine/);
      return true;
    });
    assert.equal(readFileSync(file, 'utf8'), before);
  } finally {
    done();
  }
});

test('a language tag written in another case (en-us, EN-US) is the same language; a history that is no list of earlier English refuses its line', async () => {
  const { file, done } = tempFile();
  try {
    writeFileSync(
      file,
      `${JSON.stringify(entry('Eins', 'One', { lang: 'en-us' }))}\n${JSON.stringify(entry('Zwei', 'Two', { lang: 'EN-GB' }))}\n`,
    );
    const { memory, problems } = await TranslationMemory.open(file);
    assert.deepEqual(problems, []);
    assert.equal(memory.lookup('Eins', 'en-US')?.target, 'One');
    assert.equal(memory.lookup('Zwei', 'en-GB')?.target, 'Two');
    assert.deepEqual(
      memory
        .entries()
        .map((e) => e.lang)
        .sort(),
      ['en-GB', 'en-US'],
    );

    appendFileSync(file, `${JSON.stringify({ ...entry('Drei', 'Three'), history: { target: 'old' } })}\n`);
    await assert.rejects(TranslationMemory.open(file, 'memory/memory.jsonl'), /memory\/memory\.jsonl:3: "history" must be a list/);
  } finally {
    done();
  }
});

test('a cut-off last line (a killed write) is reported and skipped, and the next append moves it to <file>.rejected', async () => {
  const { file, done } = tempFile();
  try {
    const { memory } = await TranslationMemory.open(file);
    memory.append([entry('Eins', 'One'), entry('Zwei', 'Two')]);
    appendFileSync(file, '{"source":"Drei","target":"Thr'); // a write cut off by a kill
    const before = readFileSync(file, 'utf8');
    const { memory: reloaded, problems } = await TranslationMemory.open(file);
    assert.deepEqual(
      problems.map((p) => p.line),
      [3],
    );
    assert.match(problems[0]?.message ?? '', /incomplete last line/);
    assert.equal(reloaded.size, 2);
    assert.equal(readFileSync(file, 'utf8'), before, 'reading changes nothing');
    reloaded.append([entry('Vier', 'Four')]);
    const third = await TranslationMemory.open(file);
    assert.deepEqual(third.problems, []);
    assert.equal(third.memory.lookup('Vier', 'en-US')?.target, 'Four');
    assert.equal(third.memory.size, 3);
    assert.equal(readFileSync(`${file}.rejected`, 'utf8'), '{"source":"Drei","target":"Thr\n');
  } finally {
    done();
  }
});

test('compact rewrites the file sorted, one line per entry', async () => {
  const { file, done } = tempFile();
  try {
    const { memory } = await TranslationMemory.open(file);
    memory.append([entry('b', 'B1'), entry('a', 'A')]);
    memory.append([entry('b', 'B2')]);
    await memory.compact();
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as MemoryEntry);
    assert.deepEqual(
      lines.map((l) => [l.source, l.target]),
      [
        ['a', 'A'],
        ['b', 'B2'],
      ],
    );
  } finally {
    done();
  }
});

test('TMX export then import gives the same entries; foreign TMX is read too', () => {
  const entries = [
    entry('Ostflanke & „rote Linien“ <b>', 'eastern flank & "red lines" <b>', { origin: 'human', status: 'reviewed' }),
    entry('Zwei', 'Two'),
  ];
  const xml = toTmx(entries);
  assert.match(xml, /<tmx version="1.4">/);
  assert.match(xml, /srclang="de"/);
  const { entries: back, problems } = fromTmx(xml, 'en-US', T);
  assert.deepEqual(problems, []);
  assert.deepEqual(back, entries);

  const omegat = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="DE" segtype="paragraph" datatype="plaintext" o-tmf="OmegaT" adminlang="EN-US" creationtool="OmegaT" creationtoolversion="6"/>
<body>
<tu><tuv xml:lang="DE"><seg>Der <bpt i="1">&lt;b&gt;</bpt>Rat<ept i="1">&lt;/b&gt;</ept> tagt.</seg></tuv><tuv xml:lang="EN-GB" changedate="20240101T000000Z"><seg>The Council meets.</seg></tuv></tu>
<tu><tuv xml:lang="DE"><seg>Nur Deutsch</seg></tuv></tu>
</body></tmx>`;
  const foreign = fromTmx(omegat, 'en-US', T);
  assert.deepEqual(
    foreign.entries.map((e) => [e.source, e.target, e.origin]),
    [['Der Rat tagt.', 'The Council meets.', 'tmx']],
  );
  assert.deepEqual(
    foreign.problems.map((p) => p.message),
    ['translation unit 2 needs a German and an English <tuv> with text; skipped'],
  );
  // British English taken for the project's American is counted, to be said; a locale written with "_" is the same language.
  assert.deepEqual(foreign.otherEnglish, { 'EN-GB': 1 });
  assert.deepEqual(fromTmx(omegat.replaceAll('EN-GB', 'en_US').replaceAll('"DE"', '"de_DE"'), 'en-US', T).otherEnglish, {});
  assert.deepEqual(fromTmx(xml, 'en-US', T).otherEnglish, {});
  assert.throws(() => fromTmx('<html></html>', 'en-US', T), /not a TMX file/);

  // memoQ's and Trados's self-closing placeholders hold nothing, and take no text with them; CDATA is text.
  const trados = `<?xml version="1.0"?><tmx version="1.4"><header srclang="de-DE"/><body>
<tu><tuv xml:lang="de-DE"><seg>Erster Satz mit <ph x="1"/>Platzhalter und <ph x="2">&lt;br/&gt;</ph> Umbruch.</seg></tuv><tuv xml:lang="en-US"><seg>First sentence with <ph x="1"/>placeholder and <ph x="2">&lt;br/&gt;</ph> break.</seg></tuv></tu>
<tu><tuv xml:lang="de-DE"><seg><![CDATA[Zweiter Satz: a < b.]]></seg></tuv><tuv xml:lang="en-US"><seg>Second <![CDATA[sentence: a < b.]]></seg></tuv></tu>
</body></tmx>`;
  assert.deepEqual(
    fromTmx(trados, 'en-US', T).entries.map((e) => [e.source, e.target]),
    [
      ['Erster Satz mit Platzhalter und Umbruch.', 'First sentence with placeholder and break.'],
      ['Zweiter Satz: a < b.', 'Second sentence: a < b.'],
    ],
  );
});

test('the sample memory is complete, human and reviewed', async () => {
  const project = sampleProject();
  try {
    const { memory, problems } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
    assert.deepEqual(problems, []);
    // Every paragraph and heading, and the titles of the articles whose title is a sentence.
    const config = await configOf(project.dir);
    const { articles } = await loadProject(config, new MemoryLogger());
    const segments = articles.flatMap((a) => a.segments);
    assert.ok(segments.length > 0);
    for (const s of segments) assert.ok(memory.lookup(s.key, config.targetLang), `${s.docId}:${s.line}: not in the memory`);
    for (const e of memory.entries()) {
      assert.equal(e.origin, 'human');
      assert.equal(e.status, 'reviewed');
      assert.notEqual(e.target, e.source);
      assert.doesNotMatch(e.target, /[„“]|\bNato\b/, 'English quotes and NATO spelling');
    }
  } finally {
    project.cleanup();
  }
});

test('ownWritesSince: the file as its own appends left it, unless another writer came between or it was stamped before another change', async () => {
  const { file, done } = tempFile();
  try {
    writeFileSync(file, `${JSON.stringify(entry('Eins', 'One'))}\n`);
    const before = fileStamp(file);
    const { memory } = await TranslationMemory.open(file);
    assert.deepEqual(memory.ownWritesSince(before), before, 'not written: as it was read');
    memory.append([entry('Zwei', 'Two')]);
    await memory.appendSoon([entry('Drei', 'Three')]);
    assert.deepEqual(memory.ownWritesSince(before), fileStamp(file));
    assert.equal(memory.ownWritesSince(undefined), undefined, 'the file was there when the build stamped it');

    // A line another writer appended after the last own write, or between two of them.
    appendFileSync(file, `${JSON.stringify(entry('Vier', 'Four'))}\n`);
    assert.equal(memory.ownWritesSince(before), undefined);
    await memory.appendSoon([entry('Fünf', 'Five')]);
    assert.equal(memory.ownWritesSince(before), undefined, 'once another writer came between, never again');

    // Stamped, then changed by another before it was read.
    const stamped = fileStamp(file);
    appendFileSync(file, `${JSON.stringify(entry('Sechs', 'Six'))}\n`);
    const { memory: later } = await TranslationMemory.open(file);
    assert.equal(later.ownWritesSince(stamped), undefined);
  } finally {
    done();
  }
});

test('appending writes complete lines even from a fresh file with no trailing newline', async () => {
  const { file, done } = tempFile();
  try {
    writeFileSync(file, JSON.stringify(entry('Eins', 'One')));
    const { memory } = await TranslationMemory.open(file);
    memory.append([entry('Zwei', 'Two')]);
    assert.equal(readFileSync(file, 'utf8').split('\n').filter(Boolean).length, 2);
  } finally {
    done();
  }
});

test('TMX units are read with their lines: several English versions give the newest, a blank line in one skips it', () => {
  const xml = `<?xml version="1.0"?>
<tmx version="1.4"><header srclang="de-DE"/><body>
<!-- <tu> in a comment is no unit -->
<tu><tuv xml:lang="de-DE"><seg>Russland reagiert verärgert.</seg></tuv>
  <tuv xml:lang="en-US" changedate="20240101T000000Z"><seg>Russia reacts angrily.</seg></tuv>
  <tuv xml:lang="en-US" changedate="20240601T000000Z"><seg>Russia responds with irritation.</seg></tuv></tu>
<tu><tuv xml:lang="de-DE"><seg>Ein Absatz.</seg></tuv><tuv xml:lang="en-US"><seg>One paragraph.

&lt;!-- /segment --&gt;</seg></tuv></tu>
<tu><tuv xml:lang="de-DE"><seg>Ohne Datum.</seg></tuv><tuv xml:lang="en-US"><seg>Undated.</seg></tuv></tu>
</body></tmx>`;
  const read = fromTmx(xml, 'en-US', T, 'vendor.tmx');
  assert.deepEqual(
    read.entries.map((e) => [e.source, e.target, e.updated]),
    [
      ['Russland reagiert verärgert.', 'Russia responds with irritation.', '2024-06-01T00:00:00Z'],
      ['Ohne Datum.', 'Undated.', T],
    ],
  );
  assert.deepEqual(
    read.entries.map((e) => read.units.get(e)),
    [
      { unit: 1, line: 4, dated: true },
      { unit: 3, line: 10, dated: false },
    ],
  );
  assert.deepEqual(
    read.problems.map((p) => `${p.file}:${p.line}: ${p.message}`),
    [
      'vendor.tmx:4: translation unit 1 has 2 English <tuv>s; the newest taken, "Russia reacts angrily." left out',
      "vendor.tmx:7: translation unit 2 has a blank line in its English, and a paragraph's English is one paragraph; skipped",
    ],
  );
});

test("Trados's confirmation levels are statuses: a draft needs a review, a signed-off translation is approved", () => {
  const unit = (level: string, german: string): string =>
    `<tu><prop type="x-ConfirmationLevel">${level}</prop><prop type="x-Origin">MachineTranslation</prop>` +
    `<tuv xml:lang="de-DE"><seg>${german}</seg></tuv><tuv xml:lang="en-US"><seg>EN ${german}</seg></tuv></tu>`;
  const xml = `<?xml version="1.0"?><tmx version="1.4"><header srclang="de-DE"/><body>${unit('Draft', 'Eins.')}${unit('Translated', 'Zwei.')}${unit('ApprovedSignOff', 'Drei.')}${unit('constructor', 'Vier.')}</body></tmx>`;
  const read = fromTmx(xml, 'en-US', T);
  assert.deepEqual(
    read.entries.map((e) => [e.source, e.status, read.stated.has(e)]),
    [
      ['Eins.', 'draft', true],
      ['Zwei.', 'reviewed', true],
      ['Drei.', 'approved', true],
      ['Vier.', 'reviewed', false],
    ],
  );
});

test("TMX inline codes: a line break's placeholder keeps the words apart, <ut> goes with its code, a DOCTYPE's entities are read", () => {
  const xml = `<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd" [<!ENTITY ndash "&#8211;">]>
<tmx version="1.4"><header srclang="de-DE"/><body>
<tu><tuv xml:lang="de-DE"><seg>Der Minister sagt:<ph type="lb">&lt;br/&gt;</ph>Wir bleiben.</seg></tuv><tuv xml:lang="en-US"><seg>The minister says:<ph x="1">&lt;br&gt;</ph>We stay.</seg></tuv></tu>
<tu><tuv xml:lang="de-DE"><seg>Das ist <ut>{\\b}</ut>wichtig<ut>{\\b0}</ut> &ndash; heute.</seg></tuv><tuv xml:lang="en-US"><seg>That is <ut>{\\b}</ut>important<ut>{\\b0}</ut> &ndash; today.</seg></tuv></tu>
</body></tmx>`;
  assert.deepEqual(
    fromTmx(xml, 'en-US', T).entries.map((e) => [e.source, e.target]),
    [
      ['Der Minister sagt: Wir bleiben.', 'The minister says: We stay.'],
      ['Das ist wichtig – heute.', 'That is important – today.'],
    ],
  );
});

test('a TMX unit whose English is blank or inline codes alone is skipped, never stored as an empty English', () => {
  const unit = (german: string, english: string): string =>
    `<tu><tuv xml:lang="de"><seg>${german}</seg></tuv><tuv xml:lang="en-US"><seg>${english}</seg></tuv></tu>`;
  const xml = `<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="de"/><body>\n${unit('Leer.', ' ')}\n${unit('Nur ein Code.', '<ph x="1">&lt;br/&gt;</ph>')}\n${unit('Gut.', 'Good.')}\n${unit(' ', 'No German.')}\n</body></tmx>`;
  const read = fromTmx(xml, 'en-US', T, 'ws.tmx');
  assert.deepEqual(
    read.entries.map((e) => [e.source, e.target]),
    [['Gut.', 'Good.']],
  );
  assert.deepEqual(
    read.problems.map((p) => `${p.file}:${p.line}: ${p.message}`),
    [3, 4, 6].map((line, i) => `ws.tmx:${line}: translation unit ${[1, 2, 4][i]} needs a German and an English <tuv> with text; skipped`),
  );
  assert.equal(read.skipped, 3);
});

test("a TMX DOCTYPE's entities: those named in others are put in; an external one, one that names itself or a bomb is refused at its line", () => {
  const tmx = (doctype: string, english: string): string =>
    `<?xml version="1.0"?>\n<!DOCTYPE tmx [\n${doctype}\n]>\n<tmx version="1.4"><header srclang="de"/><body>\n<tu><tuv xml:lang="de"><seg>Ein Satz.</seg></tuv><tuv xml:lang="en-US"><seg>${english}</seg></tuv></tu>\n</body></tmx>`;
  const nested = fromTmx(tmx('<!ENTITY a "Moscow">\n<!ENTITY b "&a; and &a;">', 'To &b;.'), 'en-US', T, 'nest.tmx');
  assert.deepEqual(
    nested.entries.map((e) => e.target),
    ['To Moscow and Moscow.'],
  );
  assert.throws(
    () => fromTmx(tmx('<!ENTITY x "x">\n<!ENTITY xxe SYSTEM "file:///etc/hostname">', '&xxe;'), 'en-US', T, 'xxe.tmx'),
    (error: Error & { hint?: string }) =>
      error instanceof InputError &&
      /^xxe\.tmx:4: the DOCTYPE declares "xxe" as an external entity; diglot reads no other file or address a TMX names$/.test(
        error.message,
      ) &&
      /<!ENTITY xxe "text">/.test(error.hint ?? ''),
  );
  assert.throws(
    () => fromTmx(tmx('<!ENTITY a "&b;">\n<!ENTITY b "x &a;">', '&a;'), 'en-US', T, 'loop.tmx'),
    /loop\.tmx:3: the entity "a" names itself \(a → b → a\)/,
  );
  const bomb = ['<!ENTITY l0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`)].join('\n');
  assert.throws(
    () => fromTmx(tmx(bomb, '&l9;'), 'en-US', T, 'lol.tmx'),
    /lol\.tmx:8: the entity "l5" grows to 300,000 characters as the entities it names are put in \(more than 65,536: an entity bomb/,
  );
});

test('a TMX file that is not well-formed is refused at its line and column, with what to do', () => {
  assert.throws(() => fromTmx('', 'en-US', T, 'empty.tmx'), /empty\.tmx:1: not valid XML: /);
  assert.throws(
    () =>
      fromTmx(
        '<?xml version="1.0"?>\n<tmx version="1.4"><body>\n<tu><tuv xml:lang="de"><seg>A & B</seg></tuv></tu>\n</body></tmx>',
        'en-US',
        T,
        'bad.tmx',
      ),
    (error: Error & { hint?: string }) =>
      /^bad\.tmx:3:\d+: not valid XML: /.test(error.message) && /fix the file there/.test(error.hint ?? ''),
  );
});

test('TMX units with an entity XML does not define are skipped at their line; a file cut off is named at its end; an empty body and an empty target variant', () => {
  const unit = (de: string, en: string, lang = 'en-US'): string =>
    `<tu><tuv xml:lang="de"><seg>${de}</seg></tuv><tuv xml:lang="${lang}"><seg>${en}</seg></tuv></tu>`;
  const read = fromTmx(
    `<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="de"/><body>\n${unit('Ein&nbsp;Satz&hellip;', 'A sentence')}\n${unit('Zwei', 'Two')}\n</body></tmx>`,
    'en-US',
    T,
    'html.tmx',
  );
  assert.deepEqual(
    read.entries.map((e) => e.target),
    ['Two'],
  );
  assert.equal(read.skipped, 1);
  assert.match(
    read.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'),
    /^html\.tmx:3: translation unit 1 uses &nbsp;, &hellip;, which XML does not define/,
  );

  const whole = `<?xml version="1.0"?>\n<tmx version="1.4">\n<header srclang="de"/>\n<body>\n${unit('Eins', 'One')}\n${unit('Zwei', 'Two')}\n</body>\n</tmx>\n`;
  const cut = whole.split('\n').slice(0, 5).join('\n');
  assert.throws(
    () => fromTmx(cut, 'en-US', T, 'cut.tmx'),
    /^InputError: cut\.tmx:5: the file ends before <tmx>, <body> are closed: it may be cut off/,
  );
  // Cut inside a tag: the parser's error, and what most likely caused it.
  const inTag = whole.slice(0, whole.indexOf('<tuv', whole.indexOf('Zwei') - 40) + 8);
  assert.throws(() => fromTmx(inTag, 'en-US', T, 'cut.tmx'), /not valid XML: .*; the file ends without <\/tmx>: it may be cut off/);

  for (const empty of ['<body/>', '<body></body>', '<body>\n</body>'])
    assert.deepEqual(fromTmx(`<tmx version="1.4"><header srclang="de"/>${empty}</tmx>`, 'en-US', T).entries, [], empty);

  // An empty en-US beside a filled en-GB: the en-GB English is taken (said as another variant).
  const variants = fromTmx(
    `<tmx version="1.4"><header srclang="de"/><body><tu><tuv xml:lang="de"><seg>Drei</seg></tuv><tuv xml:lang="en-US"><seg></seg></tuv><tuv xml:lang="en-GB"><seg>Three</seg></tuv></tu></body></tmx>`,
    'en-US',
    T,
  );
  assert.deepEqual(
    variants.entries.map((e) => e.target),
    ['Three'],
  );
  assert.deepEqual(variants.otherEnglish, { 'en-GB': 1 });
});
