/**
 * The sample edition's EPUBs as the build writes them: reproducible to the byte, the layout from
 * the config and from `--layout`, and the parts of a real book (title page, contents, chapters
 * with date and byline, colophon with the glossary, package metadata).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EpubCheck } from '@likecoin/epubcheck-ts';
import { strFromU8, unzipSync } from 'fflate';
import { build } from '../src/pipeline.js';
import { MemoryLogger } from '../src/util/logger.js';
import { countPassages, describeTranslation } from '../src/render/build-edition.js';
import type { TranslatedSegment } from '../src/model.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, projectFacts, runCli, sampleProject } from './helpers.js';

const BOOKS = ['edition.epub', 'edition.en.epub'] as const;

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function hashes(dir: string): Record<string, string> {
  return Object.fromEntries(BOOKS.map((b) => [b, sha256(path.join(dir, 'output', b))]));
}

function files(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, data] of Object.entries(unzipSync(readFileSync(file)))) out[name] = strFromU8(data);
  return out;
}

async function problems(file: string): Promise<string[]> {
  const result = await EpubCheck.validate(new Uint8Array(readFileSync(file)));
  return result.messages
    .filter((m) => ['fatal', 'error', 'warning'].includes(m.severity.toLowerCase()))
    .map((m) => `${m.severity} ${m.id} ${m.location?.path ?? ''}:${m.location?.line ?? ''} ${m.message}`);
}

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

test('two builds of the same project give byte-identical EPUBs, wherever the project lies', async () => {
  const a = sampleProject();
  const b = sampleProject();
  try {
    const config = await configOf(a.dir);
    assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    const first = hashes(a.dir);
    // Let a second pass over the clock: nothing in the book may depend on it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    assert.deepEqual(hashes(a.dir), first, 'second build in the same folder');
    const savedTz = process.env.TZ;
    process.env.TZ = 'Pacific/Auckland';
    try {
      assert.equal((await build(await configOf(b.dir), { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    } finally {
      if (savedTz === undefined) delete process.env.TZ;
      else process.env.TZ = savedTz;
    }
    assert.deepEqual(hashes(b.dir), first, 'a build of a copy elsewhere, in another time zone');
    assert.notEqual(first['edition.epub'], first['edition.en.epub']);
  } finally {
    a.cleanup();
    b.cleanup();
  }
});

test('a DeepL build and the memory-only rebuild after it give the same books', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    const engine = deeplEngine(server.url, { targetLang: config.targetLang, retries: 2, retryBaseMs: 10 });
    let tick = 0;
    const now = (): string => new Date(Date.UTC(2025, 0, 2, 3, 4, 5 + tick++)).toISOString();
    const { segments } = await projectFacts(project.dir);
    assert.equal((await build(config, { engine, log: new MemoryLogger(), now })).exitCode, 0);
    const first = hashes(project.dir);
    const title = files(path.join(project.dir, 'output', 'edition.epub'))['OEBPS/title.xhtml']!;
    assert.ok(title.includes(`All ${segments} passages: ${segments} by DeepL; none reviewed yet.`), title);
    assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    assert.deepEqual(hashes(project.dir), first);
  } finally {
    project.cleanup();
  }
});

test('the sample edition is a real book: title page, contents, chapters, colophon, metadata', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const facts = await projectFacts(project.dir);
    await build(config, { engine: undefined, log: new MemoryLogger() });
    const bi = files(path.join(project.dir, 'output', 'edition.epub'));
    const en = files(path.join(project.dir, 'output', 'edition.en.epub'));

    const title = bi['OEBPS/title.xhtml']!;
    assert.match(title, /<h1 id="book-title">NATO, Russia and Ukraine: Commentary 2021–2024<\/h1>/);
    assert.match(title, /<p class="subtitle">German–English edition<\/p>/);
    assert.match(title, /<p class="languages">German and English \(US\), paragraph by paragraph<\/p>/);
    // The sample's articles run from December 2021 to May 2024 (an added article may widen the span).
    assert.match(
      title,
      new RegExp(
        `${facts.articles} articles, <time datetime="\\d{4}-\\d\\d">[A-Z][a-z]+ \\d{4}</time> – <time datetime="\\d{4}-\\d\\d">[A-Z][a-z]+ \\d{4}</time>`,
      ),
    );
    const [from, to] = [...title.matchAll(/<time datetime="([\d-]+)">/g)].map((m) => m[1]!);
    assert.ok(from! <= '2021-12' && to! >= '2024-05', `${from} – ${to}`);
    assert.ok(
      title.includes(
        `All ${facts.segments} passages: ${facts.segments} translated by people, none by DeepL; all ${facts.segments} reviewed.`,
      ),
      title,
    );
    const enTitle = en['OEBPS/title.xhtml']!;
    assert.match(enTitle, /<p class="subtitle">English edition<\/p>/);
    assert.match(enTitle, /<p class="languages">Translated from German into English \(US\)<\/p>/);

    // Contents: every article's English title, and its German title in the bilingual book only.
    const expected = [
      ['With its troop buildup, Russia is bringing about', 'Mit seinem Truppenaufmarsch befördert Russland'],
      ['In the Ukraine crisis, the tug-of-war between the powers', 'In der Ukraine-Krise geht das Tauziehen'],
      [
        'The US is preparing NATO to defend Ukraine on its own',
        'Die USA bereiten die NATO auf die eigenständige Verteidigung der Ukraine vor',
      ],
      ['Washington wants to talk with four NATO partners', 'Washington will zusammen mit vier Nato-Partnern'],
      ['US Secretary of State Blinken has warned Kazakhstan', 'US-Außenminister Blinken hat Kasachstan gewarnt'],
    ] as const;
    const tocItems = (nav: string) =>
      [...nav.matchAll(/<li><a href="(chapter-\d{3}\.xhtml)">(.*?)<\/a><\/li>/g)].map((m) => ({ file: m[1]!, label: m[2]! }));
    const biToc = tocItems(bi['OEBPS/nav.xhtml']!);
    const enToc = tocItems(en['OEBPS/nav.xhtml']!);
    const chapterFiles = Array.from({ length: facts.articles }, (_, i) => `chapter-${String(i + 1).padStart(3, '0')}.xhtml`);
    assert.deepEqual(
      biToc.map((t) => t.file),
      chapterFiles,
    );
    assert.deepEqual(
      enToc.map((t) => t.file),
      chapterFiles,
    );
    // The sample's chapter files, found by their titles (an added article may come between them).
    const sampleChapters: string[] = [];
    for (const [english, german] of expected) {
      const i = biToc.findIndex((t) => t.label.startsWith(`<span class="toc-en">${english}`));
      assert.ok(i >= 0, `no contents entry for "${english}"`);
      sampleChapters.push(biToc[i]!.file);
      assert.ok(biToc[i]!.label.includes(`<span class="toc-de" lang="de" xml:lang="de">${german}`), biToc[i]!.label);
      assert.ok(enToc[i]!.label.startsWith(`<span class="toc-en">${english}`), enToc[i]!.label);
      assert.ok(!enToc[i]!.label.includes('toc-de'));
    }
    for (const t of ['titlepage', 'toc', 'bodymatter', 'colophon'])
      assert.match(bi['OEBPS/nav.xhtml']!, new RegExp(`<a epub:type="${t}" href=`));

    // One chapter per article, with date and, where known, the author.
    const dates = ['2022-01', '2022-01', '2024-05', '2021-12', '2022-01'];
    for (const [i, date] of dates.entries()) {
      for (const book of [bi, en]) {
        const chapter = book[`OEBPS/${sampleChapters[i]}`]!;
        assert.match(
          chapter,
          /<section id="x-chapter" class="chapter (interleaved|english)" epub:type="chapter" role="doc-chapter" aria-labelledby="x-title">/,
        );
        assert.match(chapter, new RegExp(`<p class="byline"><span class="date"><time datetime="${date}">`));
      }
    }
    assert.match(bi[`OEBPS/${sampleChapters[2]}`]!, /<span class="author">Pjotr Akopow<\/span>/);

    // Every language block is marked, in both attributes.
    for (const [name, doc] of Object.entries(bi)) {
      if (!name.endsWith('.xhtml')) continue;
      for (const m of doc.matchAll(/<[a-z0-9]+ [^>]*class="(?:[^"]* )?(de|en|title-de|toc-de)(?: [^"]*)?"[^>]*>/g)) {
        const lang = m[1] === 'en' ? 'en-US' : 'de';
        assert.ok(m[0].includes(` lang="${lang}" xml:lang="${lang}"`), `${name}: ${m[0]}`);
      }
    }

    // Colophon: the glossary terms that occur, German marked as German.
    for (const book of [bi, en]) {
      const colophon = book['OEBPS/colophon.xhtml']!;
      assert.match(colophon, /<dt lang="de" xml:lang="de">Ostflanke<\/dt>\n<dd lang="en-US" xml:lang="en-US">eastern flank<\/dd>/);
      assert.match(colophon, /<dt lang="de" xml:lang="de">rote Linien<\/dt>/);
      assert.match(colophon, /<dt lang="de" xml:lang="de">Nato-Russland-Rat<\/dt>/);
    }

    // Package metadata.
    const opf = bi['OEBPS/content.opf']!;
    const enOpf = en['OEBPS/content.opf']!;
    assert.match(opf, /<dc:title id="title">NATO, Russia and Ukraine: Commentary 2021–2024<\/dc:title>/);
    assert.deepEqual(
      [...opf.matchAll(/<dc:language>([^<]*)</g)].map((m) => m[1]),
      ['en-US', 'de'],
    );
    assert.deepEqual(
      [...enOpf.matchAll(/<dc:language>([^<]*)</g)].map((m) => m[1]),
      ['en-US'],
    );
    assert.match(opf, /<meta property="dcterms:modified">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/meta>/);
    for (const p of ['accessMode', 'accessModeSufficient', 'accessibilityFeature', 'accessibilityHazard', 'accessibilitySummary']) {
      assert.match(opf, new RegExp(`<meta property="schema:${p}">[^<]+</meta>`));
      assert.match(enOpf, new RegExp(`<meta property="schema:${p}">[^<]+</meta>`));
    }
  } finally {
    project.cleanup();
  }
});

test('layout "facing" from the config reaches the bilingual book, not the English one', async () => {
  const project = sampleProject();
  try {
    const file = path.join(project.dir, 'diglot.config.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), layout: 'facing' }, null, 2));
    const config = await configOf(project.dir);
    assert.equal(config.layout, 'facing');
    assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    const out = path.join(project.dir, 'output');
    const bi = files(path.join(out, 'edition.epub'));
    const { articles } = await projectFacts(project.dir);
    for (let i = 1; i <= articles; i++)
      assert.match(bi[`OEBPS/chapter-${String(i).padStart(3, '0')}.xhtml`]!, /<section id="x-chapter" class="chapter facing"/);
    assert.match(bi['OEBPS/title.xhtml']!, /German and English \(US\) side by side/);
    assert.match(bi['OEBPS/style.css']!, /\.facing \.pair \{ display: grid; grid-template-columns: 1fr 1fr;[^}]*align-items: baseline;/);
    assert.match(bi['OEBPS/style.css']!, /@media \(max-width: 40em\) \{\n {2}\.facing \.pair \{ display: block; \}/);
    // Facing pairs: German then English, each with its language.
    const chapters = Object.entries(bi).filter(([name]) => /^OEBPS\/chapter-\d{3}\.xhtml$/.test(name));
    const pairs = chapters.flatMap(([, chapter]) => [
      ...chapter.matchAll(/<div class="pair [^"]*" id="[^"]+">(<p class="de[^>]*>.*?<\/p>)(<(?:p|h\d) class="en.*?)<\/div>/g),
    ]);
    assert.ok(pairs.length >= 8);
    for (const p of pairs) {
      assert.match(p[1]!, /class="de[ "][^>]*lang="de" xml:lang="de"/);
      assert.match(p[2]!, /class="en[ "][^>]*lang="en-US" xml:lang="en-US"/);
    }
    const en = files(path.join(out, 'edition.en.epub'));
    assert.match(en['OEBPS/chapter-001.xhtml']!, /class="chapter english"/);
    for (const book of BOOKS) assert.deepEqual(await problems(path.join(out, book)), [], book);
  } finally {
    project.cleanup();
  }
});

test("the config's author (one or a list) and publisher are the books' dc:creator and dc:publisher, and on their title pages", async () => {
  const project = sampleProject();
  try {
    const file = path.join(project.dir, 'diglot.config.json');
    const shipped = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...shipped, author: ['Anna Beispiel', 'Ben Muster & Co'], publisher: 'Verlag <Ost>' }, null, 2));
    assert.equal((await build(await configOf(project.dir), { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    for (const book of BOOKS) {
      const b = files(path.join(project.dir, 'output', book));
      assert.match(
        b['OEBPS/content.opf']!,
        /<dc:creator>Anna Beispiel<\/dc:creator>\s*<dc:creator>Ben Muster &amp; Co<\/dc:creator>\s*<dc:publisher>Verlag &lt;Ost&gt;<\/dc:publisher>/,
      );
      assert.match(
        b['OEBPS/title.xhtml']!,
        /<p class="authors">Anna Beispiel, Ben Muster &amp; Co<\/p>\n<p class="publisher">Verlag &lt;Ost&gt;<\/p>/,
      );
      assert.deepEqual(await problems(path.join(project.dir, 'output', book)), [], book);
    }
    // The config's identifier (diglot init makes one) is the seed of the books': another one, another book.
    const idOf = (): string =>
      /<dc:identifier id="pub-id">([^<]*)</.exec(files(path.join(project.dir, 'output', 'edition.epub'))['OEBPS/content.opf']!)?.[1] ?? '';
    const ids = new Set([idOf()]);
    for (const identifier of ['urn:uuid:11111111-2222-4333-8444-555555555555', 'urn:uuid:66666666-2222-4333-8444-555555555555']) {
      writeFileSync(file, JSON.stringify({ ...shipped, identifier }, null, 2));
      assert.equal((await build(await configOf(project.dir), { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
      ids.add(idOf());
    }
    assert.equal(ids.size, 3, 'the title alone, and each identifier, give books of their own');
    writeFileSync(file, JSON.stringify({ ...shipped, identifier: 'not an id' }, null, 2));
    await assert.rejects(configOf(project.dir), /\\"identifier\\": must be a URN or URL/);
    // One name alone; a name that is no text is refused at its line.
    writeFileSync(file, JSON.stringify({ ...shipped, author: 'Anna Beispiel' }, null, 2));
    assert.deepEqual((await configOf(project.dir)).authors, ['Anna Beispiel']);
    writeFileSync(file, JSON.stringify({ ...shipped, author: ['Anna', 3] }, null, 2));
    await assert.rejects(configOf(project.dir), /\\"author\\": must be a name, or a list of names/);
  } finally {
    project.cleanup();
  }
});

test('diglot build --layout facing overrides the config', async () => {
  const project = sampleProject();
  try {
    const run = await runCli(['build', '--layout', 'facing', '--quiet', '--root', project.dir]);
    assert.equal(run.code, 0, run.stderr);
    const bi = files(path.join(project.dir, 'output', 'edition.epub'));
    assert.match(bi['OEBPS/chapter-002.xhtml']!, /class="chapter facing"/);
    const bad = await runCli(['build', '--layout', 'sideways', '--root', project.dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--layout must be "interleaved" or "facing"/);
  } finally {
    project.cleanup();
  }
});

test('the translation line says where the passages come from and how many were reviewed', () => {
  const seg = (origin: TranslatedSegment['origin'], status: TranslatedSegment['status']): TranslatedSegment => ({
    segment: {} as TranslatedSegment['segment'],
    target: 'x',
    origin,
    status,
    billedCharacters: 0,
  });
  assert.equal(
    describeTranslation(countPassages([seg('human', 'reviewed'), seg('human', 'approved')])),
    'All 2 passages: 2 translated by people, none by DeepL; all 2 reviewed.',
  );
  assert.equal(
    describeTranslation(countPassages([seg('human', 'reviewed'), seg('deepl', 'draft'), seg('deepl', 'reviewed'), seg('tmx', 'approved')])),
    'All 4 passages: 1 translated by people, 1 imported from a translation tool (TMX), 2 by DeepL; 3 reviewed, 1 not yet reviewed.',
  );
  assert.equal(describeTranslation(countPassages([seg('deepl', 'draft')])), 'The one passage: 1 by DeepL; none reviewed yet.');
  // Passages kept as in the original (the memory holds them as reviewed) were neither translated nor reviewed.
  assert.equal(
    describeTranslation(countPassages([seg('deepl', 'draft'), seg('deepl', 'reviewed'), seg('copy', 'reviewed')])),
    'All 3 passages: 2 by DeepL, 1 kept as in the original (numbers, codes, names); of the 2 translated, 1 reviewed, 1 not yet reviewed.',
  );
  assert.equal(
    describeTranslation(countPassages([seg('copy', 'reviewed')])),
    'The one passage: none by DeepL, 1 kept as in the original (numbers, codes, names); nothing to review.',
  );
});

test("every heading has an id of its own in both books: an emoji heading's slug is empty, and slugs like a note's id are taken", async () => {
  const project = sampleProject({ emptyMemory: true });
  try {
    writeFileSync(
      path.join(project.dir, 'sources', '900_ids.md'),
      '# Kennungen\n\nSiehe [die Note](#fn-1) und [den Titel](#x-title).\n\n## 🎉\n\nText mit Note[^a].\n\n## Fn 1\n\nMehr.\n\n## X Title\n\nNoch mehr.\n\n[^a]: Die Note.\n',
    );
    const result = await build(await configOf(project.dir), { engine: deeplEngine(server.url), log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, JSON.stringify(result.error ?? result.missing));
    for (const book of BOOKS) {
      const file = path.join(project.dir, 'output', book);
      const chapter = Object.entries(files(file)).find(([name, text]) => /chapter/.test(name) && text.includes('Noch mehr'))?.[1] ?? '';
      const ids = [...chapter.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
      assert.ok(ids.length > 5, book);
      assert.deepEqual(
        ids.filter((id, i) => id === '' || ids.indexOf(id) !== i),
        [],
        `${book}: every id is non-empty and used once`,
      );
      // The heading "Fn 1" is linked to by its slug: the link lands on the heading, not on the note.
      const link = /href="#([^"]+)"[^>]*>EN: die Note|href="#([^"]+)"[^>]*>die Note/.exec(chapter);
      const target = link?.[1] ?? link?.[2];
      assert.ok(target && new RegExp(`<h2[^>]*id="${target}"`).test(chapter), `${book}: #fn-1 leads to the heading`);
      assert.deepEqual(await problems(file), [], book);
    }
  } finally {
    project.cleanup();
  }
});
