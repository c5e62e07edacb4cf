import assert from 'node:assert/strict';
import { formatFindings } from '../src/cli/print-findings.js';
import { FindingsTally } from '../src/qa/tally-findings.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readSources } from '../src/sources/read-sources.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { projectFacts, runCli, sampleProject } from './helpers.js';

const run = (args: string[], env: Record<string, string> = {}) => runCli(args, env);

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer({ validKeys: ['good-key:fx'] });
});
after(async () => {
  await server.close();
});

test('help, version, unknown commands and flags', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Commands:[\s\S]*build[\s\S]*memory[\s\S]*glossary/);
  assert.match(help.stdout, /Exit codes/);
  const buildHelp = await run(['build', '--help']);
  assert.equal(buildHelp.code, 0);
  assert.match(buildHelp.stdout, /--max-characters/);
  // `diglot help build` as `diglot build --help`.
  const helpBuild = await run(['help', 'build']);
  assert.equal(helpBuild.code, 0);
  assert.equal(helpBuild.stdout, buildHelp.stdout);
  const helpTypo = await run(['help', 'buidl']);
  assert.equal(helpTypo.code, 2);
  assert.match(helpTypo.stderr, /unknown command "buidl"\. Did you mean "build"\?/);
  const openTypo = await run(['open', 'boo']);
  assert.equal(openTypo.code, 2);
  assert.match(openTypo.stderr, /open: unknown target "boo"\. Did you mean "book"\?/);
  assert.match((await run(['--version'])).stdout, /^\d+\.\d+\.\d+\n$/);
  const unknownFlag = await run(['build', '--colour']);
  assert.equal(unknownFlag.code, 2);
  assert.match(unknownFlag.stderr, /build: Unknown option '--colour'[\s\S]*diglot build --help/);
  const unknownCommand = await run(['translate']);
  assert.equal(unknownCommand.code, 2);
  assert.match(unknownCommand.stderr, /unknown command "translate"/);
});

test("every command's --help lists the flags every command takes", async () => {
  const commands = ['build', 'estimate', 'import', 'init', 'open', 'memory', 'glossary', 'qa', 'retranslate', 'review'];
  for (const command of commands) {
    const help = await run([command, '--help']);
    assert.equal(help.code, 0, command);
    // init takes its folder as DIR, and refuses --root.
    for (const flag of command === 'init'
      ? ['--json', '-q, --quiet', '-h, --help']
      : ['--root <dir>', '--json', '-q, --quiet', '-h, --help'])
      assert.match(help.stdout, new RegExp(`^  ${flag.replace(/[-<>]/g, '\\$&')} `, 'm'), `${command} --help: ${flag}`);
  }
});

test('large counts read with thousands separators: the findings and their rules', () => {
  const findings = Array.from({ length: 1234 }, (_, i) => ({
    file: 'sources/a.md',
    line: i + 1,
    column: 1,
    docId: 'a',
    segmentId: 's',
    rule: i < 1001 ? 'untranslated' : 'number',
    severity: 'warning' as const,
    message: 'm',
  }));
  // Told as a build tells them: counted, the first 50 in full.
  const tally = new FindingsTally();
  tally.add(
    findings.map((f) => f.rule),
    () => findings,
  );
  const told = formatFindings(tally.summary()) ?? '';
  assert.match(told, /^1,234 findings \(untranslated 1,001, number 233\):\n/);
  assert.match(told, /\n… and 1,184 more \(see output\/findings\.jsonl\)$/);
  assert.equal(told.split('\n').filter((l) => l.startsWith('sources/a.md:')).length, 50);
});

test('counts of one read in the singular: 1 term, 1 entry, 1 segment, 1 occurrence', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-one-'));
  try {
    assert.equal((await run(['init', dir])).code, 0);
    const root = ['--root', dir];
    writeFileSync(path.join(dir, 'sources', 'a.md'), 'Die Ostflanke.\n');
    const tmx = path.join(dir, 'one.tmx');
    writeFileSync(
      tmx,
      '<?xml version="1.0"?><tmx version="1.4"><header srclang="de"/><body><tu><tuv xml:lang="de"><seg>Die Ostflanke.</seg></tuv><tuv xml:lang="en-US"><seg>The eastern flank.</seg></tuv></tu></body></tmx>',
    );
    const messages = async (args: string[]): Promise<string> => {
      const r = await run([...args, ...root]);
      assert.ok(r.code === 0 || r.code === 1, `${args.join(' ')}: ${r.stderr}`);
      return r.stdout + r.stderr;
    };
    assert.match(await messages(['glossary', 'add', 'Ostflanke', 'eastern flank']), /Added "Ostflanke"/);
    // The same term again, with another English: refused, with how to change a term.
    const again = await run(['glossary', 'add', 'Ostflanke', 'east wing', ...root]);
    assert.equal(again.code, 2);
    assert.match(
      again.stderr,
      /"Ostflanke" conflicts with line 2[^\n]*\n\s*hint: to change the row of "Ostflanke", `diglot glossary remove "Ostflanke"` first/,
    );
    assert.match(await messages(['glossary', 'check']), /: 1 term, no problems\./);
    assert.match(await messages(['glossary', 'stats']), /Ostflanke → eastern flank: 1 occurrence in 1 segment;/);
    const unfinished = await run(['qa', ...root]);
    assert.equal(unfinished.code, 1, 'a segment without a translation is unfinished work');
    assert.match(unfinished.stderr, /1 segment has no translation yet and was not checked\./);
    assert.match(await messages(['memory', 'import', '--tmx', tmx]), /Imported 1 entry from/);
    assert.match(await messages(['memory', 'export', '--tmx', `${tmx}.out`]), /Exported 1 entry to/);
    assert.match(await messages(['memory', 'compact']), /: 1 entry\./);
    assert.match(await messages(['build']), /1 article, 1 segment: 1 from the memory/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('glossary stats counts a term in the text, not in a code span or a web address (as the checks read it)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-stats-'));
  try {
    assert.equal((await run(['init', dir])).code, 0);
    writeFileSync(path.join(dir, 'sources', 'a.md'), 'Die Ostflanke, siehe `Ostflanke` und https://example.org/Ostflanke.\n');
    assert.equal((await run(['glossary', 'add', 'Ostflanke', 'eastern flank', '--root', dir])).code, 0);
    const stats = await run(['glossary', 'stats', '--root', dir]);
    assert.match(stats.stdout + stats.stderr, /Ostflanke → eastern flank: 1 occurrence in 1 segment;/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a glossary saved in Windows-1252 (Excel on Windows) or UTF-16 is refused at its line, and no edit rewrites it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-ansi-'));
  try {
    assert.equal((await run(['init', dir])).code, 0);
    const terms = path.join(dir, 'glossary', 'terms.csv');
    writeFileSync(path.join(dir, 'sources', 'a.md'), '# T\n\nDas Bündnis wächst.\n');
    // "Bündnis" and "Straße" as Excel's "CSV" writes them on Windows: ü is 0xfc, ß 0xdf.
    const ansi = Buffer.from('german,english,forms,note\r\nB\xfcndnis,alliance,B\xfcndnisse,\r\nStra\xdfe,road,,\r\n', 'latin1');
    writeFileSync(terms, ansi);
    for (const args of [
      ['glossary', 'check'],
      ['glossary', 'add', 'Zeitenwende', 'turning point'],
      ['glossary', 'remove', 'Straße'],
      ['build'],
    ]) {
      const refused = await run([...args, '--root', dir]);
      assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
      assert.match(
        refused.stdout + refused.stderr,
        /glossary\/terms\.csv:2: .*not valid UTF-8 \(byte 0xfc.*iconv -f latin1 -t utf-8/,
        args.join(' '),
      );
    }
    assert.deepEqual(readFileSync(terms), ansi, 'the file is as it was');

    writeFileSync(
      terms,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('german,english,forms,note\r\nBündnis,alliance,,\r\n', 'utf16le')]),
    );
    const utf16 = await run(['glossary', 'add', 'Zeitenwende', 'turning point', '--root', dir]);
    assert.equal(utf16.code, 2, utf16.stderr);
    assert.match(utf16.stderr, /glossary\/terms\.csv:1: is UTF-16 text; diglot reads UTF-8/);

    // Saved as "CSV UTF-8" (with its byte-order mark): read, and the mark kept by an edit.
    writeFileSync(terms, '\uFEFFgerman,english,forms,note\r\nBündnis,alliance,,\r\n');
    assert.equal((await run(['glossary', 'add', 'Zeitenwende', 'turning point', '--root', dir])).code, 0);
    assert.equal(readFileSync(terms, 'utf8'), '\uFEFFgerman,english,forms,note\r\nBündnis,alliance,,\r\nZeitenwende,turning point,,\r\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('build without a key uses the memory and exits 0', async () => {
  const project = sampleProject();
  try {
    const { segments } = await projectFacts(project.dir);
    const result = await run(['build', '--root', project.dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /No DEEPL_AUTH_KEY/);
    assert.match(result.stderr, new RegExp(`${segments} from the memory, 0 translated by DeepL in 0 requests`));
    for (const file of [
      'edition.epub',
      'edition.en.epub',
      'report.json',
      'findings.jsonl',
      'segments.jsonl',
      '004_b128dabdfb1e0af2.review.md',
      '004_b128dabdfb1e0af2.en.md',
    ]) {
      assert.ok(existsSync(path.join(project.dir, 'output', file)), file);
    }
  } finally {
    project.cleanup();
  }
});

test('the summary tells segments that repeat a text of this run from texts translated and from the memory', async () => {
  const project = sampleProject({ emptyMemory: true });
  try {
    server.reset();
    writeFileSync(path.join(project.dir, 'sources', '900_zweimal.md'), 'Ein Satz, der zweimal steht.\n\nEin Satz, der zweimal steht.\n');
    const env = { DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url };
    const facts = await projectFacts(project.dir);
    const repeats = facts.segments - facts.distinct;
    assert.ok(repeats >= 1);
    const result = await run(['build', '--root', project.dir], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(
        `${facts.segments} segments: 0 from the memory, ${facts.segments} translated by DeepL \\(${facts.distinct} texts, ${repeats} segments? repeats? one of this run\\) in `,
      ),
    );
    assert.equal(new Set(server.textsSent()).size, server.textsSent().length, 'each text sent once');
  } finally {
    project.cleanup();
  }
});

test('build with DEEPL_AUTH_KEY and DEEPL_SERVER_URL translates, never printing the key', async () => {
  const project = sampleProject({ emptyMemory: true });
  try {
    server.reset();
    const env = { DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url };
    const result = await run(['build', '--root', project.dir, '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse(result.stdout) as { totals: { requests: number; translated: number; textsTranslated: number } };
    const facts = await projectFacts(project.dir);
    assert.equal(json.totals.requests, facts.requests, 'one request per article of up to 50 paragraphs');
    assert.equal(json.totals.translated, facts.segments);
    assert.equal(json.totals.textsTranslated, facts.distinct, 'a text repeated within the run is translated once');
    assert.doesNotMatch(result.stdout + result.stderr, /good-key/);

    const rejected = await run(['build', '--root', project.dir], { DEEPL_AUTH_KEY: 'wrong-key-42', DEEPL_SERVER_URL: server.url });
    assert.equal(rejected.code, 0, 'nothing left to translate: DeepL is not asked');
    writeFileSync(path.join(project.dir, 'sources', 'neu.md'), 'Ein neuer Absatz.\n');
    const denied = await run(['build', '--root', project.dir], {
      DEEPL_AUTH_KEY: 'wrong-key-42',
      DEEPL_SERVER_URL: server.url,
      DIGLOT_RETRIES: '0',
    });
    assert.equal(denied.code, 3);
    assert.match(denied.stderr, /DeepL rejected the key/);
    assert.doesNotMatch(denied.stdout + denied.stderr, /wrong-key-42/);
  } finally {
    project.cleanup();
  }
});

test('missing translations without a key: exit 1 and a list with file, line and first words', async () => {
  const project = sampleProject();
  try {
    writeFileSync(
      path.join(project.dir, 'sources', 'neu.txt'),
      ' date 2024-01 Ein Absatz, den es in keinem Speicher gibt, mit vielen Wörtern darin.\n',
    );
    const result = await run(['build', '--root', project.dir]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /1 segment has no translation/);
    assert.match(result.stderr, /sources\/neu\.txt:1: paragraph \[[0-9a-f]{8}\]: "Ein Absatz, den es in keinem Speicher gibt, …"/);
    assert.match(result.stderr, /Set DEEPL_AUTH_KEY/);
  } finally {
    project.cleanup();
  }
});

test('bad config and bad sources are refused with the key or file:line, exit 2', async () => {
  const project = sampleProject();
  try {
    const configFile = path.join(project.dir, 'diglot.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(configFile, JSON.stringify({ ...config, layout: 'sideways', concurrency: 0, output: '../elsewhere' }));
    const badConfig = await run(['build', '--root', project.dir]);
    assert.equal(badConfig.code, 2);
    assert.match(badConfig.stderr, /"layout": must be one of "interleaved", "facing"/);
    assert.match(badConfig.stderr, /"concurrency": must be a whole number/);
    assert.match(badConfig.stderr, /"output": must be a path inside the project/);
    writeFileSync(configFile, JSON.stringify(config));

    writeFileSync(path.join(project.dir, 'sources', 'latin1.txt'), Buffer.from('Gr\xfc\xdfe aus M\xfcnchen\n', 'latin1'));
    writeFileSync(path.join(project.dir, 'sources', 'broken.md'), '---\ntitle: [unclosed\n---\n\nText\n');
    writeFileSync(path.join(project.dir, 'sources', 'open.md'), '---\ntitle: Nie geschlossen\n\n# Titel\n\nText\n');
    writeFileSync(path.join(project.dir, 'sources', 'monat.md'), '---\ntitle: Falsch\ndate: 2024-13-05\n---\n\nText\n');
    writeFileSync(path.join(project.dir, 'sources', 'tag.md'), '---\ndate: "2024-02-30"\n---\n\nText\n');
    writeFileSync(path.join(project.dir, 'sources', 'marke.txt'), ' date 2023-5 Ein Kommentar.\n');
    // A date with its time, as Hugo writes it, is its day; a time after a day that is none is still refused.
    writeFileSync(path.join(project.dir, 'sources', 'zeit.md'), '---\ndate: 2024-05-03T10:00:00+02:00\n---\n\nText\n');
    writeFileSync(path.join(project.dir, 'sources', 'spaet.md'), '---\ndate: 2024-02-30 10:00\n---\n\nText\n');
    const badSources = await run(['build', '--root', project.dir]);
    assert.equal(badSources.code, 2);
    assert.match(badSources.stderr, /sources\/broken\.md:\d+: front matter is not valid YAML/);
    assert.match(badSources.stderr, /sources\/open\.md:1: front matter opened here is never closed/);
    assert.match(badSources.stderr, /sources\/monat\.md:3: date "2024-13-05" is not one diglot reads: write YYYY, YYYY-MM or YYYY-MM-DD/);
    assert.match(badSources.stderr, /sources\/tag\.md:2: date "2024-02-30" is not one diglot reads/);
    assert.match(badSources.stderr, /sources\/marke\.txt:1: the date marker is not one diglot reads/);
    assert.match(badSources.stderr, /sources\/spaet\.md:2: date "2024-02-30" is not one diglot reads/);
    assert.doesNotMatch(badSources.stderr, /zeit\.md/);
    const timed = (await readSources(project.dir, 'sources')).documents.find((d) => d.id === 'zeit');
    assert.equal(timed?.meta.date, '2024-05-03');
    assert.match(badSources.stderr, /sources\/latin1\.txt:1: is not valid UTF-8/);
    assert.equal(existsSync(path.join(project.dir, 'output', 'report.json')), false, 'nothing written');
  } finally {
    project.cleanup();
  }
});

test('glossary check prints file:line problems; memory exports and imports TMX', async () => {
  const project = sampleProject();
  try {
    const { memoryEntries } = await projectFacts(project.dir);
    const ok = await run(['glossary', 'check', '--root', project.dir]);
    assert.equal(ok.code, 0);
    writeFileSync(
      path.join(project.dir, 'glossary', 'terms.csv'),
      'german,english,forms,note\nOstflanke,eastern flank,,\nOstflanke,east wing,,\nGipfel ,summit,,\n',
    );
    const bad = await run(['glossary', 'check', '--root', project.dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.stdout, /^glossary\/terms\.csv:3: error: "Ostflanke" conflicts with line 2/m);
    assert.match(bad.stdout, /^glossary\/terms\.csv:4: error: German term "Gipfel " has leading or trailing spaces/m);

    const tmx = path.join(project.dir, 'memory.tmx');
    const exported = await run(['memory', 'export', '--tmx', tmx, '--root', project.dir]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal((await run(['memory', 'export', '--tmx', tmx, '--root', project.dir])).code, 0, 'an earlier export is written over');
    // A file there that is no TMX (a slip: the memory itself, a source) is not written over.
    const ownMemory = path.join(project.dir, 'memory', 'memory.jsonl');
    const memoryBefore = readFileSync(ownMemory, 'utf8');
    const slip = await run(['memory', 'export', '--tmx', ownMemory, '--root', project.dir]);
    assert.equal(slip.code, 2);
    assert.match(slip.stderr, /memory\.jsonl exists and is not a TMX file diglot exported: not written over/);
    // Nor is a memory another tool wrote (OmegaT's project memory).
    const omegat = path.join(project.dir, 'omegat.tmx');
    const theirs = '<?xml version="1.0"?>\n<tmx version="1.4"><header creationtool="OmegaT" srclang="de"/><body/></tmx>\n';
    writeFileSync(omegat, theirs);
    const over = await run(['memory', 'export', '--tmx', omegat, '--root', project.dir]);
    assert.equal(over.code, 2, over.stderr);
    assert.equal(readFileSync(omegat, 'utf8'), theirs);
    assert.equal(readFileSync(ownMemory, 'utf8'), memoryBefore);
    // Not even when a text in it quotes a TMX's root element; nor a TMX of Trados's (UTF-16, big-endian).
    const quoting = path.join(project.dir, 'quoting.jsonl');
    writeFileSync(quoting, `{"source":"<tmx version=\\"1.4\\">","target":"x"}\n`);
    assert.equal((await run(['memory', 'export', '--tmx', quoting, '--root', project.dir])).code, 2);
    const bigEndian = path.join(project.dir, 'trados.tmx');
    writeFileSync(
      bigEndian,
      Buffer.from(Buffer.from('\uFEFF<?xml version="1.0" encoding="UTF-16"?><tmx version="1.4"/>', 'utf16le').swap16()),
    );
    assert.equal((await run(['memory', 'export', '--tmx', bigEndian, '--root', project.dir])).code, 2);
    assert.equal((readFileSync(tmx, 'utf8').match(/<tu /g) ?? []).length, memoryEntries);
    writeFileSync(path.join(project.dir, 'memory', 'memory.jsonl'), '');
    const imported = await run(['memory', 'import', '--tmx', tmx, '--root', project.dir]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, new RegExp(`Imported ${memoryEntries} entries`));
    const rebuilt = await run(['build', '--root', project.dir]);
    assert.equal(rebuilt.code, 2, 'the broken glossary still stops the build');

    // Two units of one file with the same German and other English: the later is kept, the earlier in its history.
    const twice = path.join(project.dir, 'twice.tmx');
    const unit = (english: string): string =>
      `<tu><tuv xml:lang="de"><seg>Ein ganz neuer Satz.</seg></tuv><tuv xml:lang="en-US"><seg>${english}</seg></tuv></tu>`;
    writeFileSync(
      twice,
      `<?xml version="1.0"?><tmx version="1.4"><header srclang="de"/><body>${unit('First English.')}${unit('Second English.')}${unit('Second English.')}</body></tmx>`,
    );
    const both = await run(['memory', 'import', '--tmx', twice, '--json', '--root', project.dir]);
    assert.equal(both.code, 0, both.stderr);
    const counts = JSON.parse(both.stdout);
    assert.deepEqual([counts.imported, counts.unchanged, counts.repeated, counts.conflicts], [1, 0, 1, 1]);
    assert.deepEqual(
      counts.problems.map((p: { line: number; message: string }) => `${p.line}: ${p.message}`),
      [
        "1: translation units 1 and 3 give different English for the same German; unit 3's taken (the newer, or the later), unit 1's kept in the history",
      ],
    );
    // Its German is no paragraph of the sources: kept, and said.
    assert.equal(JSON.parse(both.stdout).unmatched, 1);
    // The same file again changes nothing.
    const journal = path.join(project.dir, 'memory', 'memory.jsonl');
    const before = readFileSync(journal, 'utf8');
    const twiceAgain = await run(['memory', 'import', '--tmx', twice, '--json', '--root', project.dir]);
    assert.equal(JSON.parse(twiceAgain.stdout).imported, 0, twiceAgain.stderr);
    assert.equal(readFileSync(journal, 'utf8'), before);
    const lines = readFileSync(path.join(project.dir, 'memory', 'memory.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: string; target: string; history?: Array<{ target: string }> })
      .filter((e) => e.source === 'Ein ganz neuer Satz.');
    assert.deepEqual(
      lines.map((e) => [e.target, e.history?.map((h) => h.target)]),
      [['Second English.', ['First English.']]],
    );

    // A vendor's file exported before a reviewer's edit: its English (dated on the <tuv>, as OmegaT
    // writes it) joins the history and the reviewer's stays; a later one replaces it. Twice: no change.
    const vendor = path.join(project.dir, 'vendor.tmx');
    const dated = (english: string, date: string): string =>
      `<tu><tuv xml:lang="de"><seg>Ein ganz neuer Satz.</seg></tuv><tuv xml:lang="en-US" changedate="${date}" changeid="anna"><seg>${english}</seg></tuv></tu>`;
    const tmxOf = (...units: string[]): string =>
      `<?xml version="1.0"?><tmx version="1.4"><header srclang="de"/><body>${units.join('')}</body></tmx>`;
    writeFileSync(vendor, tmxOf(dated('Vendor English.', '20200101T120000Z')));
    const stale = await run(['memory', 'import', '--tmx', vendor, '--json', '--root', project.dir]);
    assert.equal(stale.code, 0, stale.stderr);
    assert.deepEqual([JSON.parse(stale.stdout).imported, JSON.parse(stale.stdout).older], [0, 1]);
    const again = await run(['memory', 'import', '--tmx', vendor, '--root', project.dir]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stderr,
      /Imported 0 entries .*\(0 already in the memory unchanged, 1 older than the memory's English and kept in its history/,
    );
    writeFileSync(vendor, tmxOf(dated('Later English.', '20990101T120000Z')));
    const later = await run(['memory', 'import', '--tmx', vendor, '--root', project.dir]);
    assert.equal(later.code, 0, later.stderr);
    assert.match(later.stderr, /1 unit imported matches no paragraph of sources\/: kept in the memory, but no build uses them/);
    const current = new Map(
      readFileSync(path.join(project.dir, 'memory', 'memory.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { source: string; target: string; updated: string; history?: Array<{ target: string }> })
        .map((e) => [e.source, e]),
    ).get('Ein ganz neuer Satz.');
    assert.deepEqual(
      [current?.target, current?.updated, current?.history?.map((h) => h.target)],
      ['Later English.', '2099-01-01T12:00:00Z', ['First English.', 'Vendor English.', 'Second English.']],
    );

    // Exported, one English edited in the file (its date kept, to the second as TMX writes it), imported: the edit is taken.
    const roundTrip = path.join(project.dir, 'export.tmx');
    const exporting = await run(['memory', 'export', '--tmx', roundTrip, '--root', project.dir]);
    assert.equal(exporting.code, 0, exporting.stderr);
    writeFileSync(roundTrip, readFileSync(roundTrip, 'utf8').replace('<seg>Later English.</seg>', '<seg>Edited in a CAT tool.</seg>'));
    const edited = await run(['memory', 'import', '--tmx', roundTrip, '--json', '--root', project.dir]);
    assert.equal(edited.code, 0, edited.stderr);
    assert.deepEqual([JSON.parse(edited.stdout).imported, JSON.parse(edited.stdout).older], [1, 0]);

    // Labelled a machine draft (as memory export labels DeepL's English), with an English no machine wrote: imported English.
    writeFileSync(
      roundTrip,
      tmxOf(
        `<tu><prop type="x-diglot-origin">deepl</prop><prop type="x-diglot-status">draft</prop><tuv xml:lang="de"><seg>Ein ganz neuer Satz.</seg></tuv><tuv xml:lang="en-US" changedate="20990202T120000Z"><seg>Reworded in a CAT tool.</seg></tuv></tu>`,
      ),
    );
    assert.equal((await run(['memory', 'import', '--tmx', roundTrip, '--root', project.dir])).code, 0);
    const reworded = readFileSync(path.join(project.dir, 'memory', 'memory.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: string; target: string; origin: string })
      .filter((e) => e.source === 'Ein ganz neuer Satz.')
      .at(-1);
    assert.deepEqual([reworded?.target, reworded?.origin], ['Reworded in a CAT tool.', 'tmx'], 'never re-sent by retranslate');

    // The same English approved in a CAT tool (its status and date changed): the approval is taken, the English and origin stay.
    const approve = (date: string): string =>
      tmxOf(
        `<tu><prop type="x-diglot-origin">tmx</prop><prop type="x-diglot-status">approved</prop><tuv xml:lang="de"><seg>Ein ganz neuer Satz.</seg></tuv><tuv xml:lang="en-US" changedate="${date}"><seg>Reworded in a CAT tool.</seg></tuv></tu>`,
      );
    writeFileSync(roundTrip, approve('20200101T000000Z'));
    const olderUnit = JSON.parse((await run(['memory', 'import', '--tmx', roundTrip, '--json', '--root', project.dir])).stdout);
    assert.deepEqual([olderUnit.statusChanged, olderUnit.unchanged], [0, 1], 'a unit older than the memory changes nothing');
    writeFileSync(roundTrip, approve('20990303T120000Z'));
    const approved = await run(['memory', 'import', '--tmx', roundTrip, '--root', project.dir]);
    assert.match(approved.stderr + approved.stdout, /1 status changed, the English the same/);
    const entry = readFileSync(path.join(project.dir, 'memory', 'memory.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: string; target: string; origin: string; status: string })
      .filter((e) => e.source === 'Ein ganz neuer Satz.')
      .at(-1);
    assert.deepEqual([entry?.target, entry?.origin, entry?.status], ['Reworded in a CAT tool.', 'tmx', 'approved']);

    // A memory an editor saved with a byte-order mark reads as it is.
    const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
    writeFileSync(memoryFile, `\uFEFF${readFileSync(memoryFile, 'utf8')}`);
    const read = await run(['memory', 'export', '--tmx', path.join(project.dir, 'again.tmx'), '--root', project.dir]);
    assert.equal(read.code, 0, read.stderr);
  } finally {
    project.cleanup();
  }
});

test('a TMX round trip into a new project keeps DeepL’s English as machine translations with their settings; one edited in another tool comes in as imported', async () => {
  const from = sampleProject({ emptyMemory: true });
  const to = sampleProject({ emptyMemory: true });
  try {
    const entry = (source: string, target: string): string =>
      JSON.stringify({
        source,
        target,
        lang: 'en-US',
        origin: 'deepl',
        status: 'draft',
        created: '2026-01-01T00:00:00Z',
        updated: '2026-01-01T00:00:00Z',
        settings: 'abc123',
      });
    writeFileSync(
      path.join(from.dir, 'memory', 'memory.jsonl'),
      `${entry('Erster Satz.', 'First sentence.')}\n${entry('Zweiter Satz.', 'Second sentence.')}\n`,
    );
    const tmx = path.join(from.dir, 'export.tmx');
    assert.equal((await run(['memory', 'export', '--tmx', tmx, '--root', from.dir])).code, 0);
    writeFileSync(tmx, readFileSync(tmx, 'utf8').replace('<seg>Second sentence.</seg>', '<seg>Second sentence, edited.</seg>'));
    const imported = await run(['memory', 'import', '--tmx', tmx, '--root', to.dir]);
    assert.equal(imported.code, 0, imported.stderr);
    const entries = readFileSync(path.join(to.dir, 'memory', 'memory.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { source: string; target: string; origin: string; status: string; settings?: string });
    assert.deepEqual(
      entries.map((e) => [e.source, e.target, e.origin, e.status, e.settings]),
      [
        ['Erster Satz.', 'First sentence.', 'deepl', 'draft', 'abc123'],
        ['Zweiter Satz.', 'Second sentence, edited.', 'tmx', 'draft', undefined],
      ],
    );
  } finally {
    from.cleanup();
    to.cleanup();
  }
});

test('diglot qa: no findings on the sample; "redlines" in one translation is that one finding, exit 1', async () => {
  const project = sampleProject();
  try {
    const clean = await run(['qa', '--root', project.dir]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /No findings/);
    const quiet = await run(['qa', '--quiet', '--root', project.dir]);
    assert.deepEqual([quiet.code, quiet.stdout], [0, ''], '--quiet: nothing to say');
    const file = path.join(project.dir, 'memory', 'memory.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('about Moscow\'s \\"red lines', 'about Moscow\'s \\"redlines'));
    const broken = await run(['qa', '--root', project.dir]);
    assert.equal(broken.code, 1);
    const lines = broken.stdout.trim().split('\n');
    assert.equal(lines[0], '1 finding (term 1):');
    assert.match(
      lines[1] ?? '',
      // At the term itself, not at the paragraph's start.
      /^sources\/003_3fbf0cb9b090180e\.txt:3:76: term \[[0-9a-f]{8}\]: glossary term "rote Linien" \(found "rote Linien"\)/,
    );
    const strict = await run(['build', '--strict', '--root', project.dir]);
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /--strict: 1 finding/);
  } finally {
    project.cleanup();
  }
});

test('arguments that would be ignored are refused; a missing --root folder or a folder that is no project says so (exit 2)', async () => {
  const project = sampleProject();
  const empty = mkdtempSync(path.join(tmpdir(), 'diglot-empty-'));
  try {
    for (const args of [
      ['estimate', 'extra'],
      ['qa', 'x'],
      ['review', 'status', 'x'],
      ['memory', 'compact', 'x'],
      ...['check', 'list', 'stats', 'suggest', 'sync'].map((action) => ['glossary', action, 'x']),
    ]) {
      const r = await runCli([...args, '--root', project.dir]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${args.slice(0, -1).join(' ')}: unexpected argument "${args.at(-1)}"`));
    }
    // An option of another action: refused, the memory untouched (compact would have rewritten it).
    const memoryBefore = readFileSync(path.join(project.dir, 'memory', 'memory.jsonl'), 'utf8');
    for (const [args, said] of [
      [['memory', 'compact', '--tmx', 'x.tmx'], 'memory compact: --tmx is an option of memory export and import'],
      [['memory', 'export', '--tmx', 'y.tmx', '--quarantine'], 'memory export: --quarantine is an option of memory compact'],
      [['review', 'status', '--port', '5'], 'review status: --port is an option of review serve'],
      [['review', 'serve', '--overwrite'], 'review serve: --overwrite is an option of review import'],
      // A value given twice would lose the first.
      [['glossary', 'add', 'Brüssel', 'Brussels', '--note', 'a', '--note', 'b'], 'glossary: --note is given 2 times; give it once'],
      [['memory', 'export', '--tmx', 'a.tmx', '--tmx', 'b.tmx'], 'memory: --tmx is given 2 times; give it once'],
    ] as const) {
      const r = await runCli([...args, '--root', project.dir], {}, project.dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stderr.includes(said), `${args.join(' ')}: ${r.stderr}`);
    }
    // A mistyped action gets the near one suggested.
    for (const [args, near] of [
      [['glossary', 'lst'], 'glossary: unknown action "lst". Did you mean "list"?'],
      [['memory', 'exprt'], 'memory: unknown action "exprt". Did you mean "export"?'],
      [['review', 'stat'], 'review: unknown action "stat". Did you mean "status"?'],
    ] as const) {
      const r = await runCli([...args, '--root', project.dir]);
      assert.equal(r.code, 2, r.stderr);
      assert.ok(r.stderr.includes(near), r.stderr);
    }
    assert.equal(readFileSync(path.join(project.dir, 'memory', 'memory.jsonl'), 'utf8'), memoryBefore);
    assert.equal(existsSync(path.join(project.dir, 'y.tmx')) || existsSync(path.join(project.dir, 'b.tmx')), false);
    assert.equal(existsSync(path.join(project.dir, 'output')), false, 'nothing was built');
    const missing = await runCli(['build', '--root', path.join(empty, 'no', 'such', 'dir')]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /no such folder/);
    assert.doesNotMatch(missing.stderr, /internal error/);
    const none = await runCli(['build', '--root', empty]);
    assert.equal(none.code, 2, none.stderr);
    assert.match(none.stderr, /is not a diglot project: it has no diglot\.config\.json, sources\/, glossary\/ or memory\//);
    // An option every command takes, given before the command, says where it goes.
    const early = await runCli(['--root', project.dir, 'build']);
    assert.equal(early.code, 2, early.stderr);
    assert.match(early.stderr, /"--root" goes after the command: diglot build --root DIR/);
  } finally {
    project.cleanup();
    rmSync(empty, { recursive: true, force: true });
  }
});

test('memory import: an undated unit leaves a reviewed English in place; Latin-1 and UTF-16 files are read as they declare', async () => {
  const project = sampleProject();
  try {
    const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
    const entries = () =>
      readFileSync(memoryFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { source: string; target: string; status: string; history?: Array<{ target: string }> });
    const reviewed = entries().find((e) => e.status === 'reviewed' && e.source.length < 200);
    assert.ok(reviewed, 'the samples hold a reviewed translation');
    const xmlText = (t: string): string => t.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
    const tmxOf = (units: string, declaration = ''): string =>
      `<?xml version="1.0"${declaration}?>\n<tmx version="1.4"><header srclang="de"/><body>\n${units}\n</body></tmx>\n`;
    const unit = (german: string, english: string, attributes = ''): string =>
      `<tu${attributes}><tuv xml:lang="de"><seg>${xmlText(german)}</seg></tuv><tuv xml:lang="en-US"><seg>${xmlText(english)}</seg></tuv></tu>`;

    const undated = path.join(project.dir, 'undated.tmx');
    writeFileSync(undated, tmxOf(unit(reviewed.source, 'Summit happens Vilnius.')));
    const kept = await run(['memory', 'import', '--tmx', undated, '--json', '--root', project.dir]);
    assert.equal(kept.code, 0, kept.stderr);
    assert.deepEqual([JSON.parse(kept.stdout).imported, JSON.parse(kept.stdout).undated], [0, 1]);
    assert.match(
      JSON.parse(kept.stdout).problems[0].message,
      /^1 unit without a date gives another English .*\(unit 1 \(line 3\)\): the memory's English kept/,
    );
    const after = entries().filter((e) => e.source === reviewed.source);
    const current = after[after.length - 1];
    assert.equal(current?.target, reviewed.target, "the reviewer's English stays");
    assert.ok(
      current?.history?.some((h) => h.target === 'Summit happens Vilnius.'),
      "the file's English is in the history",
    );
    // With a date after the review (the samples were reviewed on 2026-11-23), it is taken.
    writeFileSync(undated, tmxOf(unit(reviewed.source, 'Summit happens Vilnius.', ' changedate="20261124T000000Z"')));
    const taken = await run(['memory', 'import', '--tmx', undated, '--json', '--root', project.dir]);
    assert.equal(JSON.parse(taken.stdout).imported, 1, taken.stderr);
    // An imported English no reviewer checked is replaced by a later file's, dated or not (a vendor's update).
    writeFileSync(undated, tmxOf(unit(reviewed.source, 'The summit takes place in Vilnius.')));
    const update = await run(['memory', 'import', '--tmx', undated, '--json', '--root', project.dir]);
    assert.deepEqual([JSON.parse(update.stdout).imported, JSON.parse(update.stdout).undated], [1, 0], update.stderr);

    // Latin-1, as declared: not read as UTF-8 with replacement characters.
    const latin1 = path.join(project.dir, 'latin1.tmx');
    writeFileSync(latin1, Buffer.from(tmxOf(unit('Ein Café für Bürger.', 'A café for citizens.'), ' encoding="ISO-8859-1"'), 'latin1'));
    const read = await run(['memory', 'import', '--tmx', latin1, '--root', project.dir]);
    assert.equal(read.code, 0, read.stderr);
    assert.ok(entries().some((e) => e.source === 'Ein Café für Bürger.' && e.target === 'A café for citizens.'));
    // windows-1252, as Windows tools write it: its typographic characters (bytes 0x80–0x9F) are read as such.
    const cp1252 = path.join(project.dir, 'cp1252.tmx');
    const typographic = tmxOf(unit('Größe – „zitiert“ €.', 'Size – “quoted” €.'), ' encoding="windows-1252"');
    const bytes = Buffer.from(typographic, 'latin1');
    for (const [char, byte] of [
      ['–', 0x96],
      ['„', 0x84],
      ['“', 0x93],
      ['”', 0x94],
      ['€', 0x80],
    ] as const)
      typographic.split('').forEach((c, i) => {
        if (c === char) bytes[i] = byte;
      });
    writeFileSync(cp1252, bytes);
    assert.equal((await run(['memory', 'import', '--tmx', cp1252, '--root', project.dir])).code, 0);
    assert.ok(entries().some((e) => e.source === 'Größe – „zitiert“ €.' && e.target === 'Size – “quoted” €.'));
    // UTF-16 with its byte-order mark, as Trados Studio exports.
    const utf16 = path.join(project.dir, 'trados.tmx');
    const text = tmxOf(unit('Ein Gruß aus Köln.', 'Greetings from Cologne.'), ' encoding="UTF-16"');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const wide = await run(['memory', 'import', '--tmx', utf16, '--root', project.dir]);
    assert.equal(wide.code, 0, wide.stderr);
    assert.ok(entries().some((e) => e.source === 'Ein Gruß aus Köln.' && e.target === 'Greetings from Cologne.'));
    // An encoding nobody can read is refused, naming it.
    writeFileSync(latin1, tmxOf(unit('Eins.', 'One.'), ' encoding="x-no-such-encoding"'));
    const refused = await run(['memory', 'import', '--tmx', latin1, '--root', project.dir]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /latin1\.tmx:1: declares the encoding "x-no-such-encoding", which diglot cannot read/);
  } finally {
    project.cleanup();
  }
});

test('the list of paragraphs without a translation shows their first words, a giant first word cut short', async () => {
  const project = sampleProject();
  try {
    writeFileSync(path.join(project.dir, 'sources', 'lang.md'), `# Lang\n\nDer ${'ü'.repeat(30_000)} Mann.\n`);
    const r = await run(['build', '--root', project.dir]);
    assert.equal(r.code, 1, r.stderr);
    const line = r.stderr.split('\n').find((l) => l.startsWith('  sources/lang.md:3: paragraph')) ?? '';
    assert.match(line, /: "Der ü+ …"$/);
    assert.ok(line.length < 160, `${line.length} characters`);
  } finally {
    project.cleanup();
  }
});
