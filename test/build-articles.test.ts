// `diglot build ARTICLE…`: only the named articles are translated and written; the books, the
// review page and the report still cover every article; other articles' files stay as they were.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { unzipSync } from 'fflate';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { read, runCli, sampleProject } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer({ validKeys: ['good-key:fx'] });
});
after(async () => {
  await server.close();
});

const A = '001_4a3d075f46cdf68a';
const B = '002_1f1ee89d9a986150';

/** The chapters of a book. */
function chapters(epub: string): string[] {
  return Object.keys(unzipSync(readFileSync(epub))).filter((n) => /chapter-\d+\.xhtml$/.test(n));
}

test('build ARTICLE writes only that article, keeps the others, and the books still hold every article', async () => {
  const project = sampleProject();
  const out = (name: string): string => path.join(project.dir, 'output', name);
  try {
    const full = await runCli(['build', '--root', project.dir]);
    assert.equal(full.code, 0, full.stderr);
    const bookChapters = chapters(out('edition.epub')).length;
    assert.equal(bookChapters, 5);
    // Marks in both articles' files: the one built is written again, the other left as it is.
    for (const id of [A, B]) writeFileSync(out(`${id}.en.md`), 'left as it was\n');
    const otherReview = read(out(`${B}.review.md`));
    const otherTime = statSync(out(`${B}.review.md`)).mtimeMs;
    // A new article the memory lacks: not built, so its gaps do not fail the build.
    writeFileSync(path.join(project.dir, 'sources', 'neu.md'), '# Neu\n\nEin ganz neuer Absatz.\n');
    // Another one, before it, that shares a paragraph with it.
    writeFileSync(path.join(project.dir, 'sources', 'doppel.md'), 'Ein ganz neuer Absatz.\n');

    const one = await runCli(['build', '--root', project.dir, A, '--json']);
    assert.equal(one.code, 0, one.stderr);
    const json = JSON.parse(one.stdout) as {
      totals: { articles: number };
      written: string[];
      others: { articles: number; missing: number; incomplete: string[] };
    };
    assert.equal(json.totals.articles, 1);
    assert.deepEqual(json.others, { articles: 6, missing: 3, incomplete: ['sources/doppel.md', 'sources/neu.md'] });
    // Said, naming the articles the books leave out.
    const said = await runCli(['build', '--root', project.dir, A]);
    assert.equal(said.code, 0, said.stderr);
    assert.match(
      said.stderr,
      /3 segments of articles not built this time have no translation yet, so the books leave these 2 articles out until `diglot build` translates them:\n {2}sources\/doppel\.md\n {2}sources\/neu\.md/,
    );
    assert.ok(json.written.includes(`output/${A}.review.md`));
    // Every article keeps its review page (output/review/), as the index covers every article.
    assert.ok(!json.written.some((f) => (f.includes(B) || f.includes('neu.')) && !f.startsWith('output/review/')), json.written.join(' '));
    assert.notEqual(read(out(`${A}.en.md`)), 'left as it was\n', 'the article built is written');
    assert.equal(read(out(`${B}.en.md`)), 'left as it was\n', 'another article is not');
    assert.equal(read(out(`${B}.review.md`)), otherReview);
    assert.equal(statSync(out(`${B}.review.md`)).mtimeMs, otherTime);
    assert.throws(() => statSync(out('neu.review.md')), /ENOENT/);
    // The books, the report and the review page still cover every article (the new one, lacking its English, not in the books).
    assert.equal(chapters(out('edition.epub')).length, bookChapters);
    assert.equal(chapters(out('edition.en.epub')).length, bookChapters);
    const report = JSON.parse(read(out('report.json'))) as {
      articles: Array<{ id: string }>;
      totals: { articles: number; missing: number };
    };
    assert.equal(report.articles.length, 7);
    assert.equal(report.totals.articles, 7);
    assert.equal(report.totals.missing, 3);
    assert.match(read(out('review.html')), new RegExp(B));

    // Named by a path relative to the working folder, with DeepL: only its texts are sent.
    server.reset();
    const env = { DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url };
    const byPath = await runCli(['build', 'neu.md'], env, path.join(project.dir, 'sources'));
    assert.equal(byPath.code, 0, byPath.stderr);
    assert.deepEqual(server.textsSent().sort(), ['Ein ganz neuer Absatz.', 'Neu']);
    assert.match(read(out('neu.en.md')), /EN: Ein ganz neuer Absatz\./);
    assert.equal(read(out(`${B}.en.md`)), 'left as it was\n');
    // The new article, now whole, joins the books; so does the one sharing its paragraph (its own files not written).
    assert.equal(chapters(out('edition.epub')).length, bookChapters + 2);
    assert.equal(existsSync(out('doppel.en.md')), false);
  } finally {
    project.cleanup();
  }
});

test('build ARTICLE checks only that article for unimported edits, and its own gaps make exit 1', async () => {
  const project = sampleProject();
  const out = (name: string): string => path.join(project.dir, 'output', name);
  try {
    assert.equal((await runCli(['build', '--root', project.dir])).code, 0);
    // A reviewer's edit in B's review file, not imported: building A leaves it alone.
    const review = read(out(`${B}.review.md`));
    const edited = review.replace(/^The alliance has said from the outset/m, 'The Alliance said from the start');
    assert.notEqual(edited, review);
    writeFileSync(out(`${B}.review.md`), edited);
    const other = await runCli(['build', '--root', project.dir, `sources/${A}.txt`]);
    assert.equal(other.code, 0, other.stderr);
    assert.equal(read(out(`${B}.review.md`)), edited);
    // Building B itself is refused: the edit would be lost.
    const same = await runCli(['build', '--root', project.dir, `output/${B}.review.md`]);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /not imported/);
    assert.equal(read(out(`${B}.review.md`)), edited);
    // A's own gap fails its build.
    appendFileSync(path.join(project.dir, 'sources', `${A}.txt`), '\nEin Absatz, den niemand übersetzt hat.\n');
    const gap = await runCli(['build', '--root', project.dir, A]);
    assert.equal(gap.code, 1);
    assert.match(gap.stderr, /1 segment has no translation/);
  } finally {
    project.cleanup();
  }
});

test('an article whose file name is stored decomposed (NFD, as macOS writes "ü") is found by its name typed composed, and the other way round', async () => {
  const project = sampleProject();
  try {
    writeFileSync(path.join(project.dir, 'sources', 'fu\u0308r.md'), 'Ein Text für alle.\n');
    writeFileSync(path.join(project.dir, 'sources', 'gr\u00fc\u00df.md'), 'Ein Gruß.\n');
    for (const name of ['sources/f\u00fcr.md', 'f\u00fcr', 'sources/gru\u0308\u00df.md']) {
      const r = await runCli(['build', '--root', project.dir, name]);
      assert.equal(r.code, 1, `${name}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /no article/);
    }
  } finally {
    project.cleanup();
  }
});

test('an unknown article is a usage error with the near id suggested, and nothing is written', async () => {
  const project = sampleProject();
  try {
    const r = await runCli(['build', '--root', project.dir, A.slice(0, -1)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`no article "${A.slice(0, -1)}" in this project\\. Did you mean "${A}"\\?`));
    assert.throws(() => statSync(path.join(project.dir, 'output')), /ENOENT/);
    const far = await runCli(['build', '--root', project.dir, 'sources/nothing-like-it.md']);
    assert.equal(far.code, 2);
    assert.doesNotMatch(far.stderr, /Did you mean/);
    // An article renamed to a longer name (`nato.md` to `nato-ostflanke.md`): the one id that holds the old name.
    renameSync(path.join(project.dir, 'sources', `${A}.txt`), path.join(project.dir, 'sources', `${A}-ostflanke.txt`));
    const renamed = await runCli(['build', '--root', project.dir, `sources/${A}.txt`]);
    assert.equal(renamed.code, 2);
    assert.match(renamed.stderr, new RegExp(`no article "sources/${A}\\.txt" in this project\\. Did you mean "${A}-ostflanke"\\?`));
    renameSync(path.join(project.dir, 'sources', `${A}-ostflanke.txt`), path.join(project.dir, 'sources', `${A}.txt`));
    // A file whose name has spaces (its id is "Über-die-Grenze"), named as the file is, with or without its extension.
    writeFileSync(path.join(project.dir, 'sources', 'Über die Grenze.md'), '# Über die Grenze\n\nEin Absatz.\n');
    for (const name of ['Über die Grenze', 'Über die Grenze.md']) {
      const spaced = await runCli(['build', '--root', project.dir, name]);
      assert.equal(spaced.code, 1, `${name}: built, its texts missing without a key: ${spaced.stderr}`);
      assert.match(spaced.stderr, /Über die Grenze\.md/);
      assert.doesNotMatch(spaced.stderr, /no article/);
    }
    rmSync(path.join(project.dir, 'sources', 'Über die Grenze.md'));
    rmSync(path.join(project.dir, 'output'), { recursive: true, force: true });
    // A source that is there but empty: named as no article, by its id or its path, not as "no article in this project".
    writeFileSync(path.join(project.dir, 'sources', 'leer.md'), '');
    for (const name of ['leer', 'sources/leer.md']) {
      const empty = await runCli(['build', '--root', project.dir, name]);
      assert.equal(empty.code, 2, empty.stderr);
      assert.match(empty.stderr, /^warning: sources\/leer\.md:1: is empty; skipped$/m);
      assert.match(empty.stderr, /^error: build: sources\/leer\.md is no article \(see the warning above\): nothing to build$/m);
    }
    // A raw file kept beside an article's source by `import` shares its stem, and is no name of that article.
    mkdirSync(path.join(project.dir, 'sources', 'raw'));
    writeFileSync(path.join(project.dir, 'sources', 'raw', `${A}.txt`), 'Roh.\n');
    const raw = await runCli(['build', '--root', project.dir, `sources/raw/${A}.txt`]);
    assert.equal(raw.code, 2);
    assert.match(raw.stderr, new RegExp(`no article "sources/raw/${A}\\.txt" in this project`));
    assert.doesNotMatch(raw.stderr, /is no article \(see the warning above\)/);
  } finally {
    project.cleanup();
  }
});

test("build --json lists every finding the build told of, past the first 50 it holds; build ARTICLE --json only that article's", async () => {
  // An empty memory through the test server, whose English reads as German: 51 findings.
  const project = sampleProject({ emptyMemory: true });
  const env = { DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url };
  const listed = async (...args: string[]): Promise<{ count: number; findings: Array<{ docId: string }>; upToDate: boolean }> => {
    const run = await runCli(['build', '--root', project.dir, '--json', ...args], env);
    assert.equal(run.code, 0, run.stderr);
    const json = JSON.parse(run.stdout) as { totals: { findings: number }; findings: Array<{ docId: string }>; upToDate: boolean };
    return { count: json.totals.findings, findings: json.findings, upToDate: json.upToDate };
  };
  try {
    const written = (): Array<{ docId: string }> =>
      read(path.join(project.dir, 'output', 'findings.jsonl'))
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { docId: string });
    const all = await listed();
    assert.ok(all.count > 50, `${all.count} findings`);
    assert.deepEqual(all.findings, written());
    const again = await listed();
    assert.equal(again.upToDate, true);
    assert.deepEqual(again.findings, written(), 'an up-to-date build lists them all too');
    const one = await listed(A);
    assert.ok(one.count > 0);
    assert.deepEqual(
      one.findings,
      written().filter((f) => f.docId === A),
    );
    assert.equal(one.count, one.findings.length);
    // Told in text: the first 50, then how many more.
    const text = await runCli(['build', '--root', project.dir, '--force'], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stderr, new RegExp(`… and ${all.count - 50} more \\(see output/findings\\.jsonl\\)`));
  } finally {
    project.cleanup();
  }
});

test('of two files named as their ids but for case, the one built before keeps its id: the other takes a number; an empty file takes none', async () => {
  const project = sampleProject();
  try {
    const source = (name: string): string => path.join(project.dir, 'sources', name);
    writeFileSync(source('wahl.md'), '# Wahl\n\nArtikel klein geschrieben.\n');
    await runCli(['build', '--root', project.dir]);
    const out = (name: string): string => path.join(project.dir, 'output', name);
    assert.match(readFileSync(out('wahl.review.md'), 'utf8'), /Artikel klein geschrieben/);
    // Added beside it, sorting first: it takes a number, not the built article's id.
    writeFileSync(source('WAHL.md'), '# Wahl\n\nGanz anderer Artikel.\n');
    await runCli(['build', '--root', project.dir]);
    assert.match(readFileSync(out('wahl.review.md'), 'utf8'), /Artikel klein geschrieben/);
    assert.match(readFileSync(out('WAHL-2.review.md'), 'utf8'), /Ganz anderer Artikel/);
    // An empty file (or one of invisible characters) is skipped, and takes no id: `z.md` sorts before the built `z.txt`.
    writeFileSync(source('z.txt'), 'Ein Artikel als Text.\n');
    await runCli(['build', '--root', project.dir]);
    writeFileSync(source('z.md'), '\u200B\n');
    const skipped = await runCli(['build', '--root', project.dir]);
    assert.match(skipped.stderr, /sources\/z\.md:1: is empty; skipped/);
    assert.match(readFileSync(out('z.review.md'), 'utf8'), /Ein Artikel als Text/);
    assert.equal(existsSync(out('z-2.review.md')), false, 'z.txt keeps its id');
  } finally {
    project.cleanup();
  }
});
