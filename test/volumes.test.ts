// Volumes: the config's `volumes` splits the edition into book pairs by count or by date, each a
// whole book (title page, contents, colophon, identifier) that passes W3C epubcheck; links between
// volumes leave the book (to the site with baseUrl, else text); each volume is finished as soon as
// its last article is in.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { whatToOpen } from '../src/cli/open-command.js';
import { loadConfig } from '../src/config/load-config.js';
import type { Glossary } from '../src/glossary/glossary.js';
import { articleTree } from '../src/render/article-tree.js';
import { linkTargets } from '../src/render/resolve-link.js';
import { MemoryLogger } from '../src/util/logger.js';
import { EditionBooks } from '../src/write/edition-books.js';
import { configOf, handMadeArticle, runCli } from './helpers.js';
import { buildBooks, project, tempDir } from './volume-projects.js';

function book(books: Map<string, Record<string, string>>, name: string): Record<string, string> {
  const b = books.get(name);
  assert.ok(b, `${name} among ${[...books.keys()].join(', ')}`);
  return b;
}

/** The chapter titles the contents list, in order. */
function contents(b: Record<string, string>): string[] {
  // The test server's English is the German with "EN: " before it.
  return [...(b['OEBPS/nav.xhtml'] ?? '').matchAll(/<span class="toc-en">EN: ([^<]*)<\/span>/g)].map((m) => m[1] as string);
}

function identifier(b: Record<string, string>): string {
  return /<dc:identifier id="pub-id">([^<]*)</.exec(b['OEBPS/content.opf'] ?? '')?.[1] ?? '';
}

test('by count: three volume pairs, each its own book with its articles, title, colophon and identifier', async () => {
  const dir = project({ volumes: { articles: 3 } });
  const books = await buildBooks(dir);
  assert.deepEqual(
    [...books.keys()],
    [
      'edition.vol-01.en.epub',
      'edition.vol-01.epub',
      'edition.vol-02.en.epub',
      'edition.vol-02.epub',
      'edition.vol-03.en.epub',
      'edition.vol-03.epub',
    ],
  );
  const expected = [['Artikel 1', 'Artikel 2', 'Artikel 3'], ['Artikel 4', 'Artikel 5', 'Artikel 6'], ['Artikel 7']];
  const ids = new Set<string>();
  for (const [i, titles] of expected.entries()) {
    for (const suffix of ['.epub', '.en.epub']) {
      const b = book(books, `edition.vol-0${i + 1}${suffix}`);
      assert.deepEqual(contents(b), titles);
      assert.deepEqual(Object.keys(b).filter((k) => /chapter-\d+\.xhtml$/.test(k)).length, titles.length);
      assert.match(b['OEBPS/title.xhtml'] ?? '', new RegExp(`<p class="subtitle volume">Volume ${i + 1}</p>`));
      assert.match(
        b['OEBPS/title.xhtml'] ?? '',
        titles.length === 1 ? /<p class="dates">1 article<\/p>/ : new RegExp(`<p class="dates">${titles.length} articles, <time`),
      );
      assert.match(b['OEBPS/content.opf'] ?? '', new RegExp(`<dc:title id="title">Volumes Test — Volume ${i + 1}</dc:title>`));
      assert.match(b['OEBPS/content.opf'] ?? '', new RegExp(`<meta refines="#edition" property="group-position">${i + 1}</meta>`));
      assert.match(b['OEBPS/colophon.xhtml'] ?? '', new RegExp(`Volume:</span> ${i + 1} of 3</p>`));
      // The glossary term occurs in the first article only: only the first volume's colophon lists it.
      assert.equal((b['OEBPS/colophon.xhtml'] ?? '').includes('>Bündnis</dt>'), i === 0);
      ids.add(identifier(b));
    }
  }
  assert.equal(ids.size, 6, 'every book has its own identifier');

  // The same sources build the same books; a changed word or an added article makes a new version
  // of the same books: each keeps its identifier (e-readers keep reading places and notes by it).
  const again = await buildBooks(dir);
  for (const [name, b] of books) assert.equal(identifier(book(again, name)), identifier(b), name);
  const first = path.join(dir, 'sources', '01-artikel.md');
  writeFileSync(first, readFileSync(first, 'utf8').replace('Artikel 1', 'Artikel 1 (korrigiert)'));
  writeFileSync(path.join(dir, 'sources', '08-artikel.md'), '# Artikel 8\n\nEin neuer Absatz.\n');
  const changed = await buildBooks(dir);
  assert.deepEqual(
    [...changed.keys()].map((name) => [name, identifier(book(changed, name))]),
    [...books.keys()].map((name) => [name, identifier(book(books, name))]),
  );
  assert.deepEqual(contents(book(changed, 'edition.vol-01.epub')), ['Artikel 1 (korrigiert)', 'Artikel 2', 'Artikel 3']);
  assert.deepEqual(contents(book(changed, 'edition.vol-03.epub')), ['Artikel 7', 'Artikel 8']);
});

test('by count without baseUrl: a link into another volume is its text; one within the volume points at the chapter', async () => {
  const log = new MemoryLogger();
  const books = await buildBooks(project({ volumes: { articles: 3 } }), log);
  // Warned of at its line, as every link a book shows as text.
  const warnings = log.lines.filter((l) => l.level === 'warn').map((l) => l.message);
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(
    warnings[0] ?? '',
    /^sources\/01-artikel\.md:6: link \[\w+\]: link "06-artikel\.md#abschnitt" shows as text in the books: it points into another volume \(Volume 2\): set "baseUrl" in diglot\.config\.json to link it to the site$/,
  );
  for (const name of ['edition.vol-01.epub', 'edition.vol-01.en.epub']) {
    const chapter = book(books, name)['OEBPS/chapter-001.xhtml'] ?? '';
    assert.match(chapter, /<a href="chapter-002\.xhtml">[^<]*zweiten Artikel<\/a>/);
    assert.match(chapter, /sechsten Artikel/);
    assert.doesNotMatch(chapter, /<a [^>]*>[^<]*sechsten Artikel/);
    assert.doesNotMatch(chapter, /diglot:article/);
  }
});

test('by count with baseUrl: a link into another volume points at the article on the site', async () => {
  const books = await buildBooks(project({ volumes: { articles: 3 }, baseUrl: 'https://example.org/texte/' }));
  const chapter = book(books, 'edition.vol-01.en.epub')['OEBPS/chapter-001.xhtml'] ?? '';
  assert.match(chapter, /<a href="https:\/\/example\.org\/texte\/06-artikel\.md#abschnitt">[^<]*sechsten Artikel<\/a>/);
  assert.match(chapter, /<a href="chapter-002\.xhtml">/);
  // The site's address without its final slash is the same folder.
  const bare = await buildBooks(project({ volumes: { articles: 3 }, baseUrl: 'https://example.org/texte' }));
  assert.match(
    book(bare, 'edition.vol-01.en.epub')['OEBPS/chapter-001.xhtml'] ?? '',
    /<a href="https:\/\/example\.org\/texte\/06-artikel\.md#abschnitt">/,
  );
});

test("a link into another volume to that article's opening heading names the heading on the site, not the chapter's own id", async () => {
  const dir = project({ volumes: { articles: 3 }, baseUrl: 'https://example.org/texte/' });
  writeFileSync(path.join(dir, 'sources', '06-artikel.md'), '# Sechster Titel\n\nDer Text des sechsten Artikels.\n');
  const first = path.join(dir, 'sources', '01-artikel.md');
  writeFileSync(first, readFileSync(first, 'utf8').replace('06-artikel.md#abschnitt', '06-artikel.md#sechster-titel'));
  const books = await buildBooks(dir);
  const chapter = book(books, 'edition.vol-01.en.epub')['OEBPS/chapter-001.xhtml'] ?? '';
  assert.match(chapter, /<a href="https:\/\/example\.org\/texte\/06-artikel\.md#sechster-titel">/);
  assert.doesNotMatch(chapter, /#x-title/);
});

test('by month: one volume pair a month in date order, the undated article in a volume of its own, last', async () => {
  const books = await buildBooks(project({ volumes: { by: 'month' } }));
  const expected: Array<[string, string, string[], RegExp]> = [
    [
      '2024-03',
      'March 2024',
      ['Artikel 1', 'Artikel 2'],
      /2 articles, <time datetime="2024-03-05">March 5, 2024<\/time> – <time datetime="2024-03-20">/,
    ],
    ['2024-04', 'April 2024', ['Artikel 3', 'Artikel 4'], /2 articles, <time datetime="2024-04-02">/],
    ['2024-05', 'May 2024', ['Artikel 5', 'Artikel 6'], /2 articles, <time datetime="2024-05-01">/],
    ['undated', 'Undated', ['Artikel 7'], /<p class="dates">1 article<\/p>/],
  ];
  assert.deepEqual(
    [...books.keys()].filter((n) => !n.endsWith('.en.epub')),
    expected.map(([key]) => `edition.${key}.epub`),
  );
  for (const [i, [key, label, titles, dates]] of expected.entries()) {
    for (const name of [`edition.${key}.epub`, `edition.${key}.en.epub`]) {
      const b = book(books, name);
      assert.deepEqual(contents(b), titles, name);
      assert.match(b['OEBPS/title.xhtml'] ?? '', new RegExp(`<p class="subtitle volume">${label}</p>`));
      assert.match(b['OEBPS/title.xhtml'] ?? '', dates);
      assert.match(b['OEBPS/colophon.xhtml'] ?? '', new RegExp(`Volume:</span> ${i + 1} of 4 \\(${label}\\)</p>`));
    }
  }
  // The sixth article is in May, the first in March: the link is text.
  assert.doesNotMatch(book(books, 'edition.2024-03.epub')['OEBPS/chapter-001.xhtml'] ?? '', /<a [^>]*>[^<]*sechsten/);
});

test('by year: one volume pair a year', async () => {
  const books = await buildBooks(project({ volumes: { by: 'year' } }));
  assert.deepEqual([...books.keys()], ['edition.2024.en.epub', 'edition.2024.epub', 'edition.undated.en.epub', 'edition.undated.epub']);
  assert.deepEqual(contents(book(books, 'edition.2024.epub')), [
    'Artikel 1',
    'Artikel 2',
    'Artikel 3',
    'Artikel 4',
    'Artikel 5',
    'Artikel 6',
  ]);
  // Within one volume the link to the sixth article points at its chapter and heading.
  assert.match(book(books, 'edition.2024.epub')['OEBPS/chapter-001.xhtml'] ?? '', /<a href="chapter-006\.xhtml#abschnitt">/);
});

test('a volume is finished as soon as its last article is added, not at the end', async () => {
  const dir = project({ volumes: { articles: 2 } });
  const config = await configOf(dir);
  const articles = [1, 2, 3].map((n) =>
    handMadeArticle(`Text ${n}.\n`, [`Text ${n} EN.`], { id: `0${n}-artikel`, meta: { title: `Artikel ${n}` } }),
  );
  const targets = linkTargets(
    articles.map((a) => a.article),
    () => 'missing',
    undefined,
    config,
  );
  const glossary: Glossary = { file: 'glossary/terms.csv', terms: [] };
  const books = new EditionBooks(config, glossary, targets);
  const add = (i: number, complete = true): string[] => {
    const a = articles[i];
    assert.ok(a);
    return books.add(a, new Set(), articleTree(a.article), complete).finished.map((b) => b.name);
  };
  assert.deepEqual(add(0), []);
  assert.deepEqual(add(1), ['edition.vol-01.epub', 'edition.vol-01.en.epub']);
  // An incomplete article is no chapter, yet it is the last of its volume: the volume is done, and has no book.
  assert.deepEqual(add(2, false), []);
  assert.deepEqual(books.finish(), []);
});

test('an invalid "volumes" is an error at its line of the config', async () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ articles: 0 }, /"volumes\.articles": must be a whole number of articles a volume, 1 or more \(got 0\)/],
    [{ by: 'week' }, /"volumes\.by": must be "month" or "year" \(got "week"\)/],
    ['monthly', /"volumes": must be \{"articles": N\}/],
    [{ articles: 3, by: 'year' }, /"volumes": must be \{"articles": N\}/],
  ];
  for (const [volumes, message] of cases) {
    const dir = tempDir('diglot-volumes-config-');
    writeFileSync(path.join(dir, 'diglot.config.json'), JSON.stringify({ title: 'T', volumes }, null, 2));
    const { value, errors } = await loadConfig(dir);
    assert.equal(value, undefined);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    const [error] = errors;
    assert.match(error?.message ?? '', message);
    // JSON.stringify puts "volumes" on line 3, its keys on line 4.
    assert.equal(error?.line, typeof volumes === 'object' && Object.keys(volumes as object).length === 1 ? 4 : 3, JSON.stringify(volumes));
  }
  // A number too large for JSON to write back is shown as read.
  const dir = tempDir('diglot-volumes-config-');
  writeFileSync(path.join(dir, 'diglot.config.json'), '{ "title": "T", "volumes": { "articles": 1e400 } }');
  assert.match((await loadConfig(dir)).errors[0]?.message ?? '', /\(got Infinity\)/);
});

test('diglot open book / english: the first volume, or the one named, listing the others', async () => {
  const dir = project({ volumes: { articles: 3 } });
  await buildBooks(dir);
  const first = await runCli(['open', 'book', '--json', '--root', dir]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(JSON.parse(first.stdout).file, path.join(dir, 'output', 'edition.vol-01.epub'));
  const second = await runCli(['open', 'english', '2', '--json', '--root', dir]);
  assert.equal(JSON.parse(second.stdout).file, path.join(dir, 'output', 'edition.vol-02.en.epub'));
  const named = await runCli(['open', 'book', 'vol-03', '--json', '--root', dir]);
  assert.equal(JSON.parse(named.stdout).file, path.join(dir, 'output', 'edition.vol-03.epub'));
  const missing = await runCli(['open', 'book', '9', '--root', dir]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no volume "9"/);
  // Without --json the list goes to the log, the chosen volume marked.
  // The build's last lines name the volumes.
  const written = [
    'output/01-artikel.review.md',
    'output/edition.vol-01.epub',
    'output/edition.vol-01.en.epub',
    'output/edition.vol-02.epub',
    'output/edition.vol-02.en.epub',
  ];
  assert.match(
    whatToOpen(await configOf(dir), written).join('\n'),
    /Books: 2 volumes \(output\/edition\.vol-01\.epub … output\/edition\.vol-02\.epub, each with its \.en\.epub\) — `diglot open book \[VOLUME\]`/,
  );
  // By date: in the volumes' order, whatever order the build wrote them in; undated last.
  const byDate = ['output/edition.2024-05.epub', 'output/edition.undated.epub', 'output/edition.2023-12.epub'];
  assert.match(
    whatToOpen({ ...(await configOf(dir)), volumes: { by: 'month' } }, byDate).join('\n'),
    /Books: 3 volumes \(output\/edition\.2023-12\.epub … output\/edition\.undated\.epub,/,
  );
  const listed = await runCli(['open', 'book', '2', '--root', dir], { PATH: '' });
  assert.match(listed.stderr, / {2}1 {2}vol-01 .*edition\.vol-01\.epub\n\* 2 {2}vol-02 /);
  // A volume without a book (none of its articles whole in English): the others keep their numbers, as their title pages say.
  for (const name of ['edition.vol-02.epub', 'edition.vol-02.en.epub']) rmSync(path.join(dir, 'output', name));
  const third = await runCli(['open', 'book', '3', '--json', '--root', dir]);
  assert.equal(JSON.parse(third.stdout).file, path.join(dir, 'output', 'edition.vol-03.epub'));
  assert.equal((await runCli(['open', 'book', '2', '--root', dir])).code, 2);
});

test('a change of split leaves only the books of the edition as it is now: the one book, or the volumes', async () => {
  const dir = project({});
  const configFile = path.join(dir, 'diglot.config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  const books = (): string[] =>
    readdirSync(path.join(dir, 'output'))
      .filter((n) => n.endsWith('.epub'))
      .sort();
  await buildBooks(dir);
  assert.deepEqual(books(), ['edition.en.epub', 'edition.epub']);
  writeFileSync(configFile, JSON.stringify({ ...config, volumes: { articles: 3 } }));
  // Split but not built yet: the one book's files are no volumes ("en" is not a volume's key).
  const early = await runCli(['open', 'book', '--json', '--root', dir]);
  assert.equal(early.code, 1, early.stdout);
  assert.match(early.stderr, /edition\.\*\.epub is not there yet/);
  await buildBooks(dir);
  const byCount = ['vol-01', 'vol-02', 'vol-03'].flatMap((v) => [`edition.${v}.en.epub`, `edition.${v}.epub`]);
  assert.deepEqual(books(), byCount);
  // A file of the reader's own beside them stays, and so does a copy of a book saved under a name of its own.
  writeFileSync(path.join(dir, 'output', 'notes.epub'), zipSync({ 'notes.txt': strToU8('mine') }));
  copyFileSync(path.join(dir, 'output', 'edition.vol-01.en.epub'), path.join(dir, 'output', 'edition.before-review.en.epub'));
  writeFileSync(configFile, JSON.stringify({ ...config, volumes: { by: 'year' } }));
  await buildBooks(dir);
  const mine = ['edition.before-review.en.epub', 'notes.epub'];
  assert.deepEqual(
    books(),
    ['edition.2024.en.epub', 'edition.2024.epub', ...mine, 'edition.undated.en.epub', 'edition.undated.epub'].sort(),
  );
  writeFileSync(configFile, JSON.stringify(config));
  await buildBooks(dir);
  assert.deepEqual(books(), ['edition.en.epub', 'edition.epub', ...mine].sort());
});
