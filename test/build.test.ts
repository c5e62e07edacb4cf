import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { EpubCheck } from '@likecoin/epubcheck-ts';
import { strFromU8, unzipSync } from 'fflate';
import { articleTitle } from '../src/segment/article-title.js';
import { build } from '../src/pipeline.js';
import { UnimportedEditsError } from '../src/review-file/find-unimported-edits.js';
import { segment } from '../src/segment/segment.js';
import { readSources } from '../src/sources/read-sources.js';
import type { DeepLEngine } from '../src/translate/deepl.js';
import { translatedArticle } from '../src/translate/translated-article.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { InputError } from '../src/util/errors.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, projectFacts, read, runCli, sampleProject } from './helpers.js';
import { setEnglish } from './review-helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

function engineFor(config: Awaited<ReturnType<typeof configOf>>, authKey = 'test-key'): DeepLEngine {
  return deeplEngine(server.url, { authKey, targetLang: config.targetLang, retries: 2, retryBaseMs: 10 });
}

function glossaryCreations(): number {
  return server.requests.filter((r) => r.method === 'POST' && r.path === '/v3/glossaries').length;
}

test('memory-only build of the sample writes every output, aligned paragraph for paragraph', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const facts = await projectFacts(project.dir);
    const result = await build(config, { engine: undefined, log: new MemoryLogger() });
    assert.equal(result.exitCode, 0);
    assert.equal(result.totals.segments, facts.segments);
    assert.equal(result.totals.fromMemory, facts.segments);
    assert.equal(result.totals.requests, 0);

    const { memory } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
    const { documents } = await readSources(project.dir, 'sources');
    let bodyPairs = 0;
    for (const doc of documents) {
      const article = segment(doc, config.cleanup);
      const { segments } = article;
      // An article's title that is a whole body segment (an opening heading, a one-sentence lead) is shown once, as the chapter title.
      const title = articleTitle(translatedArticle(article, memory, config.targetLang));
      bodyPairs += segments.filter((s) => s.body && !(title.whole && s.id === title.segmentId)).length;
      const review = read(path.join(project.dir, 'output', `${doc.id}.review.md`));
      const english = read(path.join(project.dir, 'output', `${doc.id}.en.md`));
      // Every German paragraph exactly once, in order, in the review file…
      let cursor = 0;
      for (const s of segments) {
        const quoted = `> ${s.kind === 'heading' ? `${'#'.repeat(s.depth ?? 2)} ` : ''}`;
        const at = review.indexOf(`${quoted}${s.source}\n`, cursor);
        assert.ok(at >= cursor, `${doc.id}: segment ${s.id} missing or out of order`);
        const quotedLines = review.split('\n').filter((line) => line === `${quoted}${s.source}`);
        assert.equal(quotedLines.length, 1, `${doc.id}: segment ${s.id} appears more than once`);
        cursor = at;
        // … paired with its English, and never in the English edition.
        const pair = review.slice(at, review.indexOf('<!-- /segment -->', at));
        assert.match(pair, /<!-- EN -->\n\n\S/);
        assert.ok(!english.includes(s.source), `${doc.id}: German segment ${s.id} in the English Markdown`);
      }
    }

    const en = unzipSync(readFileSync(path.join(project.dir, 'output', 'edition.en.epub')));
    const bi = unzipSync(readFileSync(path.join(project.dir, 'output', 'edition.epub')));
    const enText = Object.entries(en)
      .filter(([n]) => n.endsWith('.xhtml'))
      .map(([, d]) => strFromU8(d))
      .join('\n');
    const biText = Object.entries(bi)
      .filter(([n]) => n.endsWith('.xhtml'))
      .map(([, d]) => strFromU8(d))
      .join('\n');
    assert.doesNotMatch(enText, /Truppenaufmarsch|Verpflichtung zum Beistand|Ostflanke verstärkt/);
    assert.match(biText, /Truppenaufmarsch/);
    assert.match(enText, /eastern flank/);
    assert.equal(
      (biText.match(/class="pair/g) ?? []).length,
      bodyPairs,
      'one pair per body segment; an opening heading (002) or one-sentence lead (000) is the chapter title',
    );
    assert.ok(bodyPairs < facts.segments, 'the sample has titles taken from its segments');
  } finally {
    project.cleanup();
  }
});

test('both sample EPUBs pass epubcheck-ts with no errors or warnings', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    await build(config, { engine: undefined, log: new MemoryLogger() });
    for (const name of ['edition.epub', 'edition.en.epub']) {
      const result = await EpubCheck.validate(new Uint8Array(readFileSync(path.join(project.dir, 'output', name))));
      const serious = result.messages.filter((m: { severity: string }) => ['FATAL', 'ERROR', 'WARNING'].includes(m.severity.toUpperCase()));
      assert.deepEqual(serious, [], name);
    }
  } finally {
    project.cleanup();
  }
});

test('a cold build through DeepL: one request per article, glossary created once and sent each time', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    const result = await build(config, { engine: engineFor(config), log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, result.error?.message);
    const facts = await projectFacts(project.dir);
    const requests = server.translateRequests();
    assert.equal(requests.length, facts.requests, 'one request per article of up to 50 paragraphs');
    assert.equal(glossaryCreations(), 1);
    const glossaryId = [...server.glossaries.keys()][0];
    for (const r of requests) {
      assert.equal(r.translate.glossaryId, glossaryId);
      assert.equal(r.translate.sourceLang?.toLowerCase(), 'de');
      assert.equal(r.translate.targetLang?.toUpperCase(), 'EN-US');
      assert.equal(r.translate.tagHandling, 'xml');
      assert.ok(r.translate.texts.length <= 50);
      assert.ok((r.translate.context ?? '').length > 0, 'title and lead as context');
    }
    const sent = server.textsSent();
    assert.equal(sent.length, facts.distinct);
    assert.equal(new Set(sent).size, facts.distinct, 'no text sent twice');
    assert.equal(result.totals.billedCharacters, server.billedCharacters());
    // The glossary reached DeepL and its terms came back in the fake English.
    const en = read(path.join(project.dir, 'output', '004_b128dabdfb1e0af2.en.md'));
    assert.match(en, /NATO-Russia Council/);
    assert.match(en, /red lines/);
    const { memory } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
    assert.equal(memory.size, facts.distinct);
    assert.ok(memory.entries().every((e) => e.origin === 'deepl' && e.status === 'draft'));

    // Second run: nothing to translate, no glossary work at all.
    const before = server.requests.length;
    const again = await build(config, { engine: engineFor(config), log: new MemoryLogger() });
    assert.equal(again.exitCode, 0);
    assert.equal(again.totals.requests, 0);
    assert.equal(server.requests.length, before, 'no request of any kind');
  } finally {
    project.cleanup();
  }
});

test('a new article costs one request; identical paragraphs are sent once', async () => {
  server.reset();
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const shared = 'Dieser Absatz steht in beiden neuen Artikeln.';
    const paragraphs = Array.from({ length: 40 }, (_, i) => `Absatz Nummer ${i + 1} über die Ostflanke und die roten Linien.`);
    writeFileSync(path.join(project.dir, 'sources', 'neu-a.md'), `# Neuer Artikel\n\n${paragraphs.join('\n\n')}\n\n${shared}\n`);
    writeFileSync(path.join(project.dir, 'sources', 'neu-b.md'), `# Zweiter neuer Artikel\n\n${shared}\n`);
    const result = await build(config, { engine: engineFor(config), log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, result.error?.message);
    const requests = server.translateRequests();
    assert.equal(requests.length, 2, 'one per new article');
    assert.equal(requests[0]?.translate.texts.length, 42);
    assert.equal(server.textsSent().filter((t) => t === shared).length, 1, 'the shared paragraph is sent once');
    assert.equal(glossaryCreations() >= 0, true);
    const report = JSON.parse(read(path.join(project.dir, 'output', 'report.json'))) as { articles: Array<{ billedCharacters: number }> };
    const billed = report.articles.reduce((n, a) => n + a.billedCharacters, 0);
    assert.equal(billed, server.billedCharacters(), 'report.json bills each character once');
    const segments = read(path.join(project.dir, 'output', 'segments.jsonl'))
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { billedCharacters: number });
    assert.equal(
      segments.reduce((n, s) => n + s.billedCharacters, 0),
      billed,
      'segments.jsonl: the same characters, segment by segment',
    );
    assert.match(read(path.join(project.dir, 'output', 'neu-a.en.md')), /eastern flank/);
  } finally {
    project.cleanup();
  }
});

test('without a key, segments the memory lacks are listed and nothing else is lost', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    writeFileSync(path.join(project.dir, 'sources', 'neu.md'), '# Neu\n\nEin Absatz, den niemand übersetzt hat.\n');
    const result = await build(config, { engine: undefined, log: new MemoryLogger() });
    assert.equal(result.exitCode, 1);
    assert.deepEqual(
      result.missing.map((m) => [m.file, m.segment.line]),
      [
        ['sources/neu.md', 1],
        ['sources/neu.md', 3],
      ],
    );
    const out = path.join(project.dir, 'output');
    assert.match(read(path.join(out, 'neu.review.md')), /<!-- missing: no translation yet/);
    assert.equal(existsSync(path.join(out, 'neu.en.md')), false);
    assert.equal(existsSync(path.join(out, '000_20a6b0fe2192dee9.en.md')), true);
    assert.equal(existsSync(path.join(out, 'edition.epub')), true);
  } finally {
    project.cleanup();
  }
});

test('quota exceeded mid-run: finished batches are kept, and the rerun sends only the rest', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    config.concurrency = 1;
    server.setUsageLimit(6000);
    const first = await build(config, { engine: engineFor(config), log: new MemoryLogger() });
    assert.equal(first.exitCode, 4);
    assert.match(first.error?.message ?? '', /quota/i);
    const sentFirst = server.textsSent();
    const facts = await projectFacts(project.dir);
    assert.ok(sentFirst.length > 0 && sentFirst.length < facts.distinct);
    const { memory } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
    assert.equal(memory.size, sentFirst.length, 'every billed text is in the memory');

    server.setUsageLimit(1e9);
    const second = await build(config, { engine: engineFor(config), log: new MemoryLogger() });
    assert.equal(second.exitCode, 0);
    const all = server.textsSent();
    assert.equal(all.length, facts.distinct, 'each text billed exactly once over both runs');
    assert.equal(new Set(all).size, facts.distinct);
  } finally {
    project.cleanup();
  }
});

test('a rejected key ends with exit 3 and a message without the key', async () => {
  const bad = await startDeepLServer({ rejectKey: 'secret-key-123' });
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    const engine = deeplEngine(bad.url, { authKey: 'secret-key-123' });
    const result = await build(config, { engine, log: new MemoryLogger() });
    assert.equal(result.exitCode, 3);
    assert.match(result.error?.message ?? '', /DeepL rejected the key/);
    assert.doesNotMatch(`${result.error?.message} ${result.error?.hint}`, /secret-key-123/);
    assert.doesNotMatch(read(path.join(project.dir, 'output', 'report.json')), /secret-key-123/);
  } finally {
    project.cleanup();
    await bad.close();
  }
});

test('articles in a folder of sources/ or in another format are not read and are said to be; raw/, where import keeps raw files, is not', async () => {
  const project = sampleProject();
  try {
    for (const [file, text] of <Array<[string, string]>>[
      ['2024/a.md', 'Ein Artikel im Ordner.\n'],
      ['2024/b.txt', 'Noch einer.\n'],
      ['2025/mai/c.md', 'Zwei Ordner tief.\n'],
      ['._000_ziel.md', 'Was macOS auf geteilten Laufwerken hinterlässt.\n'],
      ['2024/notes.json', '{}'],
      ['raw/roh.txt', 'Ein roher Text.\n'],
      ['leer/nichts.json', '{}'],
      ['alt.markdown', '# Alt\n'],
      ['brief.docx', 'PK'],
      ['karte.png', 'PNG'],
      // A project of its own, built there: its article and the files its build wrote are its own.
      ['innen/diglot.config.json', '{ "title": "Innen" }'],
      ['innen/sources/x.md', 'Ein Artikel des inneren Projekts.\n'],
      ['innen/output/x.review.md', 'x'],
      ['innen/output/x.en.md', 'x'],
    ]) {
      mkdirSync(path.dirname(path.join(project.dir, 'sources', file)), { recursive: true });
      writeFileSync(path.join(project.dir, 'sources', file), text);
    }
    symlinkSync(path.join(project.dir, 'sources', '2024'), path.join(project.dir, 'sources', 'verlinkt'));
    // Named like articles, yet a folder and a pipe: said, and neither takes an article's id (001_… keeps its own).
    mkdirSync(path.join(project.dir, 'sources', '001_4a3d075f46cdf68a.md'));
    assert.equal(spawnSync('mkfifo', [path.join(project.dir, 'sources', 'rohr.md')]).status, 0);
    const config = await configOf(project.dir);
    const warned = [
      'sources/001_4a3d075f46cdf68a.md/: is a folder, not an article: not read',
      'sources/2024/: holds 2 articles that are not read: diglot reads the .md and .txt files directly in sources/, not in its folders',
      'sources/2025/: holds 1 article that is not read: diglot reads the .md and .txt files directly in sources/, not in its folders',
      'sources/alt.markdown: is not read: diglot reads .md (Markdown) and .txt (plain text) articles; rename or convert it to one of those',
      'sources/brief.docx: is not read: diglot reads .md (Markdown) and .txt (plain text) articles; rename or convert it to one of those',
      'sources/innen/: is a diglot project of its own (it holds diglot.config.json): not read here; build it with --root sources/innen',
      'sources/rohr.md: is not a regular file (a pipe, a socket or a device): not read as an article',
      'sources/verlinkt/: is a link to a folder, and is not read: diglot reads the .md and .txt files directly in sources/',
    ];
    const log = new MemoryLogger();
    const result = await build(config, { engine: undefined, log });
    assert.equal(result.exitCode, 0);
    assert.equal(result.totals.articles, (await projectFacts(project.dir)).articles, 'the folders add no article');
    assert.ok(existsSync(path.join(project.dir, 'output', '001_4a3d075f46cdf68a.en.md')), 'the article keeps its id');
    assert.deepEqual(
      log.lines.filter((l) => l.level === 'warn' && l.message.startsWith('sources/')).map((l) => l.message),
      warned,
    );
    // A build with nothing to do says it again: those articles are still in no edition.
    const again = new MemoryLogger();
    assert.ok((await build(config, { engine: undefined, log: again })).upToDate);
    assert.deepEqual(
      again.lines.filter((l) => l.level === 'warn' && l.message.startsWith('sources/')).map((l) => l.message),
      warned,
    );
  } finally {
    project.cleanup();
  }
});

test('what a build says of its sources (a fence never closed, a footnote defined twice) a build with nothing to do says again', async () => {
  const project = sampleProject();
  try {
    writeFileSync(
      path.join(project.dir, 'sources', 'zaun.md'),
      'Ein Absatz mit Fußnote.[^a]\n\n[^a]: Die erste.\n\n[^a]: Die zweite.\n\n```\nCode ohne Ende\n',
    );
    const config = await configOf(project.dir);
    // The first build translates what the memory lacks; the second finds nothing changed since (the memory as its appends left it).
    const first = new MemoryLogger();
    await build(config, { engine: engineFor(config), log: first });
    const said = (log: MemoryLogger): string[] =>
      log.lines.filter((l) => l.level === 'warn' && l.message.startsWith('sources/zaun.md')).map((l) => l.message);
    assert.equal(said(first).length, 2, first.lines.map((l) => l.message).join('\n'));
    const second = new MemoryLogger();
    assert.ok((await build(config, { engine: undefined, log: second })).upToDate);
    assert.deepEqual(said(second), said(first));
  } finally {
    project.cleanup();
  }
});

test('an article marked a draft (draft: true, YAML or TOML) is said to go into the editions like any other', async () => {
  const project = sampleProject();
  try {
    writeFileSync(path.join(project.dir, 'sources', 'entwurf.md'), '---\ntitle: Entwurf\ndraft: true\n---\n\nNoch nicht fertig.\n');
    writeFileSync(path.join(project.dir, 'sources', 'hugo.md'), '+++\ntitle = "Hugo"\ndraft = true\n+++\n\nAuch nicht.\n');
    const log = new MemoryLogger();
    await build(await configOf(project.dir), { engine: undefined, log });
    assert.ok(
      log.lines.some(
        (l) =>
          l.level === 'warn' &&
          /^2 articles are marked drafts \(sources\/entwurf\.md, sources\/hugo\.md\) \(draft: true\): built into every edition like any article/.test(
            l.message,
          ),
      ),
      log.lines.map((l) => l.message).join('\n'),
    );
  } finally {
    project.cleanup();
  }
});

test('with a key and an invalid source, nothing reaches DeepL: not even the glossary', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    writeFileSync(path.join(project.dir, 'sources', 'zz-latin1.txt'), Buffer.from('Gr\xfc\xdfe\n', 'latin1'));
    const config = await configOf(project.dir);
    await assert.rejects(
      build(config, { engine: engineFor(config), log: new MemoryLogger() }),
      (error: unknown) => error instanceof InputError && /zz-latin1\.txt:1/.test(error.message),
    );
    assert.equal(server.requests.length, 0, 'no request of any kind');
  } finally {
    project.cleanup();
  }
});

test('a build refused for review edits not imported sends nothing to DeepL, not even the glossary', async () => {
  server.reset();
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    const reviewFile = path.join(project.dir, 'output', '000_20a6b0fe2192dee9.review.md');
    writeFileSync(reviewFile, setEnglish(read(reviewFile), 'aa2a0559', 'An edit nobody imported.'));
    // A new article needs DeepL, but the review-edit guard runs before the plan is sent.
    writeFileSync(path.join(project.dir, 'sources', 'zz-neu.md'), '# Ein neuer Artikel\n\nEin Absatz, den das Gedächtnis nicht kennt.\n');
    const engine = deeplEngine(server.url, { targetLang: config.targetLang, retries: 2, retryBaseMs: 300 });
    await assert.rejects(build(config, { engine, log: new MemoryLogger() }), UnimportedEditsError);
    assert.deepEqual(server.requests, [], 'no request of any kind');
    assert.equal(existsSync(path.join(project.dir, '.diglot.lock')), false, 'the lock is released');
  } finally {
    project.cleanup();
  }
});

test("an article's id stays when a file whose name comes out the same is added; a name too long for the output files is refused before anything is sent", async () => {
  const project = sampleProject({ emptyMemory: true });
  try {
    const sources = path.join(project.dir, 'sources');
    writeFileSync(path.join(sources, 'a-b.md'), 'Zweiter Text.\n');
    writeFileSync(path.join(sources, 'a b.md'), 'Anderer Artikel.\n');
    const log = new MemoryLogger();
    const result = await build(await configOf(project.dir), { engine: deeplEngine(server.url), log });
    assert.equal(result.exitCode, 0, JSON.stringify(result.error));
    const report = JSON.parse(readFileSync(path.join(project.dir, 'output', 'report.json'), 'utf8')) as {
      articles: Array<{ id: string; source: string }>;
    };
    assert.deepEqual(
      report.articles.filter((a) => a.id.startsWith('a-b')).map((a) => [a.id, a.source]),
      [
        ['a-b-2', 'sources/a b.md'],
        ['a-b', 'sources/a-b.md'],
      ],
    );
    server.reset();
    writeFileSync(path.join(sources, `${'ä'.repeat(90)}.md`), 'Ein Text mit langem Namen.\n');
    await assert.rejects(build(await configOf(project.dir), { engine: deeplEngine(server.url), log: new MemoryLogger() }), (error: Error) =>
      /sources\/ä+\.md:1: .*its name is too long \(180 bytes\).*rename it to at most 150 bytes/.test(error.message),
    );
    assert.equal(server.textsSent().length, 0, 'nothing sent');
  } finally {
    project.cleanup();
  }
});

test('a memory file gone or emptied while output/ holds a build made with one: nothing is sent or written; a lock that is a folder is said to be', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    rmSync(path.join(project.dir, 'memory', 'memory.jsonl'));
    server.reset();
    const reviewFile = path.join(
      project.dir,
      'output',
      readdirSync(path.join(project.dir, 'output')).find((f) => f.endsWith('.review.md')) ?? '',
    );
    const review = readFileSync(reviewFile, 'utf8');
    // With a key, or without (which would write the review files again without their English), and again after that.
    for (const engine of [deeplEngine(server.url), undefined, deeplEngine(server.url)])
      await assert.rejects(build(config, { engine, log: new MemoryLogger() }), (error: Error) =>
        /memory\/memory\.jsonl is gone, but output\/ holds a build made with a memory: .*nothing was sent or written/.test(error.message),
      );
    assert.equal(server.textsSent().length, 0);
    assert.equal(readFileSync(reviewFile, 'utf8'), review, 'the review file keeps its English');
    // An emptied memory likewise.
    writeFileSync(path.join(project.dir, 'memory', 'memory.jsonl'), '');
    await assert.rejects(build(config, { engine: undefined, log: new MemoryLogger() }), /memory\/memory\.jsonl is empty, but output\//);

    mkdirSync(path.join(project.dir, '.diglot.lock'));
    await assert.rejects(
      build(config, { engine: undefined, log: new MemoryLogger() }),
      /\.diglot\.lock is a folder, where diglot keeps its lock file/,
    );
    assert.deepEqual(
      readdirSync(project.dir).filter((f) => f.startsWith('.diglot.lock')),
      ['.diglot.lock'],
      'nothing left beside it',
    );
  } finally {
    project.cleanup();
  }
});

test('a review file replaced by a pipe is refused at once, never read (which would block, Ctrl-C too)', { timeout: 60_000 }, async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    const name = readdirSync(path.join(project.dir, 'output')).find((f) => f.endsWith('.review.md')) as string;
    rmSync(path.join(project.dir, 'output', name));
    if (spawnSync('mkfifo', [path.join(project.dir, 'output', name)]).status !== 0) return;
    await assert.rejects(
      build(config, { engine: undefined, log: new MemoryLogger() }),
      new RegExp(`output/${name.replace(/\./g, '\\.')} is not a regular file`),
    );
    const imported = await runCli(['review', 'import', '--root', project.dir]);
    assert.equal(imported.code, 2, imported.stderr);
    assert.match(imported.stderr, /cannot read the file: not a regular file/);
  } finally {
    project.cleanup();
  }
});

test("the English Markdown's link to another article's heading lands on that heading's English, in the build that translates it and after a review changes it", async () => {
  const project = sampleProject({ emptyMemory: true });
  try {
    const sources = path.join(project.dir, 'sources');
    for (const name of readdirSync(sources)) rmSync(path.join(sources, name));
    writeFileSync(path.join(sources, 'a.md'), '# Erster Artikel\n\nSiehe [den Abschnitt](b.md#die-lage-im-osten).\n');
    writeFileSync(path.join(sources, 'b.md'), '# Zweiter Artikel\n\n## Die Lage im Osten\n\nInhalt.\n');
    const config = await configOf(project.dir);
    // b is built after a, its heading translated by the same build.
    const cold = await build(config, { engine: engineFor(config), log: new MemoryLogger() });
    assert.equal(cold.exitCode, 0);
    const english = (): string => read(path.join(project.dir, 'output', 'a.en.md'));
    assert.match(english(), /\[den Abschnitt\]\(b\.en\.md#en-die-lage-im-osten\)/);
    // A reviewer renames the heading in English: the link follows, though a's own text did not change.
    const reviewFile = path.join(project.dir, 'output', 'b.review.md');
    writeFileSync(reviewFile, read(reviewFile).replace('## EN: Die Lage im Osten', '## The situation in the east'));
    assert.equal((await runCli(['review', 'import', '--root', project.dir])).code, 0);
    assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    assert.match(english(), /\(b\.en\.md#the-situation-in-the-east\)/);
  } finally {
    project.cleanup();
  }
});

test('a warning said again at the same place (five inline pictures on one line) is printed once, with its count', async () => {
  const project = sampleProject();
  try {
    writeFileSync(path.join(project.dir, 'sources', 'bilder.md'), `# Bilder\n\n${'<img src="fehlt.png" alt="Karte"> '.repeat(5)}\n`);
    const log = new MemoryLogger();
    await build(await configOf(project.dir), { engine: undefined, log });
    const said = log.lines.filter((l) => l.level === 'warn' && l.message.includes('picture written as HTML within a sentence'));
    assert.equal(said.length, 1, said.map((l) => l.message).join('\n'));
    assert.match(said[0]?.message ?? '', /^sources\/bilder\.md:3: picture \[[0-9a-f]+\]: .* \(5 times\)$/);
  } finally {
    project.cleanup();
  }
});

test('of two files named the same but for composition (Ärger.md composed, and as macOS writes it, decomposed), the composed one keeps the id', async () => {
  const project = sampleProject();
  try {
    const sources = path.join(project.dir, 'sources');
    // The decomposed one sorts first (A before Ä): the order read must not decide.
    writeFileSync(path.join(sources, 'A\u0308rger.md'), 'Zerlegt.\n');
    writeFileSync(path.join(sources, '\u00C4rger.md'), 'Zusammengesetzt.\n');
    const { documents } = await readSources(project.dir, 'sources');
    const ids = Object.fromEntries(documents.filter((d) => /rger/.test(d.id)).map((d) => [d.text.trim(), d.id]));
    assert.deepEqual(ids, { 'Zusammengesetzt.': '\u00C4rger', 'Zerlegt.': '\u00C4rger-2' });
  } finally {
    project.cleanup();
  }
});
