// A rebuild renders again only the articles whose inputs changed: the other articles' files stay as
// they are (same inode), the books are re-packed from kept chapters, and every output equals a cold build's.
import assert from 'node:assert/strict';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import type { BuildTotals } from '../src/render/report.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startDeepLServer } from './deepl-server.js';
import { read, ROOT, runCli, sampleProject } from './helpers.js';

const A = '001_4a3d075f46cdf68a';
const B = '002_1f1ee89d9a986150';
const LAST = '004_b128dabdfb1e0af2';

/** Every file under `dir` (relative, `/`-separated); with `kept` false, without what a build keeps for the next (parts, stamps). */
function files(dir: string, kept = true): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => kept || !(f.startsWith('.parts/') || f === '.diglot-last-build.json'))
    .sort();
}

/** Each file's inode: a file written again (to a temp file renamed over it) gets a new one. */
function inodes(dir: string): Map<string, number> {
  return new Map(files(dir).map((f) => [f, statSync(path.join(dir, f)).ino]));
}

/** The files of `before` that were written again (or removed) since; an article's parts named `.parts/<id>.part`. */
function rewritten(before: Map<string, number>, dir: string): string[] {
  const now = inodes(dir);
  return [...before].filter(([f, ino]) => now.get(f) !== ino).map(([f]) => f.replace(/\.[0-9a-f]{64}\.part$/, '.part'));
}

/** What `build --json` prints, in part. */
interface Built {
  written: string[];
  kept: number;
  upToDate: boolean;
  findings: unknown[];
  totals: BuildTotals;
}

async function build(dir: string, ...args: string[]): Promise<Built> {
  return buildWith({}, dir, ...args);
}

async function buildWith(env: Record<string, string>, dir: string, ...args: string[]): Promise<Built> {
  const run = await runCli(['build', '--root', dir, '--json', ...args], env);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as Built;
}

/**
 * Asserts that the project's output equals, file for file and byte for byte, what a cold build of
 * a copy writes; `removed` are files left on purpose by articles no longer in the sources.
 */
async function assertEqualsColdBuild(dir: string, removed: string[] = []): Promise<void> {
  const copy = mkdtempSync(path.join(tmpdir(), 'diglot-cold-'));
  try {
    for (const part of ['glossary', 'memory', 'sources', 'diglot.config.json'])
      if (existsSync(path.join(dir, part))) cpSync(path.join(dir, part), path.join(copy, part), { recursive: true });
    await build(copy);
    const out = path.join(dir, 'output');
    const cold = path.join(copy, 'output');
    assert.deepEqual(
      files(out, false).filter((f) => !removed.includes(f)),
      files(cold, false),
    );
    for (const f of files(cold, false))
      assert.ok(readFileSync(path.join(out, f)).equals(readFileSync(path.join(cold, f))), `${f} differs from a cold build's`);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

test('a rebuild with nothing changed does nothing; with only a stamp changed it keeps every article and re-packs the same books', async () => {
  const project = sampleProject();
  const out = path.join(project.dir, 'output');
  try {
    const first = await build(project.dir);
    assert.equal(first.kept, 0);
    assert.equal(first.upToDate, false);
    const epub = readFileSync(path.join(out, 'edition.epub'));
    let before = inodes(out);
    const again = await build(project.dir);
    assert.equal(again.upToDate, true, 'the first build sent nothing and lacks nothing: the second has nothing to do');
    assert.deepEqual(again.written, []);
    assert.deepEqual(rewritten(before, out), []);

    // The memory saved again as it was: not up to date, yet every article is as it was.
    const memory = path.join(project.dir, 'memory', 'memory.jsonl');
    writeFileSync(memory, readFileSync(memory));
    before = inodes(out);
    const third = await build(project.dir);
    assert.equal(third.upToDate, false);
    assert.equal(third.kept, 5, 'every article kept');
    // Only what spans every article is written: the books, the review index, its search data, the report.
    assert.deepEqual(
      rewritten(before, out).sort(),
      [
        '.diglot-last-build.json',
        'edition.en.epub',
        'edition.epub',
        'findings.jsonl',
        'report.json',
        'review.html',
        'review/search.js',
        'segments.jsonl',
      ].sort(),
    );
    assert.ok(readFileSync(path.join(out, 'edition.epub')).equals(epub), 'the bilingual book is byte for byte the same');
    await assertEqualsColdBuild(project.dir);
  } finally {
    project.cleanup();
  }
});

test('articles kept after a build that billed them show nothing billed: the report and segments.jsonl are for this run', async () => {
  const server = await startDeepLServer();
  const project = sampleProject({ emptyMemory: true });
  const out = path.join(project.dir, 'output');
  try {
    await buildWith({ DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url }, project.dir);
    const billed = (): number[] =>
      (JSON.parse(read(path.join(out, 'report.json'))) as { articles: Array<{ billedCharacters: number }> }).articles.map(
        (a) => a.billedCharacters,
      );
    assert.ok(
      billed().every((n) => n > 0),
      'every article billed by the first build',
    );
    // It recorded what it wrote, and the memory as its own appends left it: the next build has nothing
    // to do, and says that nothing was sent.
    assert.ok(existsSync(path.join(out, '.diglot-last-build.json')));
    const next = await build(project.dir);
    assert.equal(next.upToDate, true);
    assert.deepEqual([next.totals.translated, next.totals.requests, next.totals.billedCharacters], [0, 0, 0]);
    assert.equal(next.totals.fromMemory, next.totals.segments - next.totals.copied);
    // The memory saved again as it was: every article kept, none sent.
    const memory = path.join(project.dir, 'memory', 'memory.jsonl');
    writeFileSync(memory, readFileSync(memory));
    const again = await build(project.dir);
    assert.equal(again.kept, 5);
    assert.deepEqual(billed(), [0, 0, 0, 0, 0]);
    assert.doesNotMatch(read(path.join(out, 'segments.jsonl')), /"billedCharacters":[1-9]/);
    await assertEqualsColdBuild(project.dir);
  } finally {
    await server.close();
    project.cleanup();
  }
});

test('an up-to-date build gives the last findings and exit code; a build that lacks translations is never up to date', async () => {
  const project = sampleProject();
  try {
    // A memory English that breaks the glossary ("rote Linien" → "red lines"): one finding.
    const memory = path.join(project.dir, 'memory', 'memory.jsonl');
    writeFileSync(memory, read(memory).replaceAll('about Moscow\'s \\"red lines', 'about Moscow\'s \\"redlines'));
    const first = await build(project.dir);
    assert.equal(first.findings.length, 1);
    const again = await build(project.dir);
    assert.equal(again.upToDate, true);
    assert.deepEqual(again.findings, first.findings);
    const strict = await runCli(['build', '--root', project.dir, '--strict']);
    assert.equal(strict.code, 1, '--strict fails on the findings of an up-to-date build');
    assert.match(strict.stderr + strict.stdout, /Nothing changed since the last build: output\/ is up to date/);
  } finally {
    project.cleanup();
  }
  const empty = sampleProject({ emptyMemory: true });
  try {
    const run = async (): Promise<{ upToDate: boolean; kept: number }> => {
      const r = await runCli(['build', '--root', empty.dir, '--json']);
      assert.equal(r.code, 1, 'segments missing');
      return JSON.parse(r.stdout) as { upToDate: boolean; kept: number };
    };
    await run();
    const second = await run();
    assert.equal(second.upToDate, false, 'what is missing may be translated now');
    assert.equal(second.kept, 5);
  } finally {
    empty.cleanup();
  }
});

test('a reviewed paragraph renders its article again; the others stay; the result equals a cold build', async () => {
  const project = sampleProject();
  const out = path.join(project.dir, 'output');
  try {
    await build(project.dir);
    const review = path.join(out, `${B}.review.md`);
    writeFileSync(review, read(review).replace(/^The alliance has said from the outset/m, 'The Alliance said from the start'));
    const imported = await runCli(['review', 'import', '--root', project.dir]);
    assert.equal(imported.code, 0, imported.stderr);
    const before = inodes(out);
    const rebuilt = await build(project.dir);
    assert.equal(rebuilt.kept, 4);
    const again = rewritten(before, out).filter((f) => f.includes('_'));
    assert.deepEqual(
      again.sort(),
      [`${B}.en.md`, `${B}.review.md`, `.parts/${B}.part`, `.review-state/${B}.review.md.json`, `review/${B}.html`].sort(),
    );
    assert.match(read(path.join(out, `${B}.en.md`)), /The Alliance said from the start/);
    await assertEqualsColdBuild(project.dir);
  } finally {
    project.cleanup();
  }
});

test('a glossary change, a deleted or hand-edited output and --force render articles again', async () => {
  const project = sampleProject();
  const out = path.join(project.dir, 'output');
  try {
    await build(project.dir);
    // A generated file changed or removed by hand is written again, with the rest of its article only;
    // English Markdown changed by hand is kept first, and said so.
    writeFileSync(path.join(out, `${A}.en.md`), 'changed by hand\n');
    rmSync(path.join(out, 'review', `${B}.html`));
    let before = inodes(out);
    const run = await runCli(['build', '--root', project.dir, '--json']);
    let rebuilt = JSON.parse(run.stdout) as Built & { overwritten?: Array<{ file: string; copy: string }> };
    assert.equal(rebuilt.kept, 3);
    const [kept] = rebuilt.overwritten ?? [];
    assert.deepEqual(rebuilt.overwritten, [{ file: `output/${A}.en.md`, copy: kept?.copy }]);
    assert.match(kept?.copy ?? '', new RegExp(`^output/\\.overwritten/${A}\\.\\d{8}T\\d{6}Z\\.en\\.md$`));
    assert.equal(read(path.join(project.dir, kept?.copy ?? '')), 'changed by hand\n');
    rmSync(path.join(out, '.overwritten'), { recursive: true });
    assert.deepEqual(
      rewritten(before, out)
        .filter((f) => f.includes('_'))
        .map((f) => f.replace(/^.*?(\d{3})_.*$/, '$1'))
        .sort(),
      // Article 001's four files and its review state record again; article 002's page, removed, is written anew, and so are its three other files.
      ['001', '001', '001', '001', '001', '002', '002', '002', '002'],
    );
    await assertEqualsColdBuild(project.dir);

    // The glossary is an input of every article (the checks, the colophon, the review page's marks).
    appendFileSync(path.join(project.dir, 'glossary', 'terms.csv'), 'Bündnis,alliance,,\n');
    rebuilt = await build(project.dir);
    assert.equal(rebuilt.kept, 0);
    await assertEqualsColdBuild(project.dir);

    // Only touched, the same text: written again, nothing to keep.
    utimesSync(path.join(out, `${A}.en.md`), new Date(), new Date('2030-01-01'));
    assert.equal((await build(project.dir)).kept, 4);
    assert.equal(existsSync(path.join(out, '.overwritten')), false);
    // Touched (a copy of the project) while its English changed (a pull brought a reviewer's edit): it holds what
    // diglot wrote, so nothing of it is kept, though it differs from what is written now.
    utimesSync(path.join(out, `${A}.en.md`), new Date(), new Date('2030-01-02'));
    const memory = path.join(project.dir, 'memory', 'memory.jsonl');
    // Its first paragraph, after the front matter.
    const english = read(path.join(out, `${A}.en.md`)).split('\n\n')[1] ?? '';
    assert.ok(read(memory).includes(`"target":${JSON.stringify(english).slice(0, -1)}`), english);
    writeFileSync(
      memory,
      read(memory).replace(
        `"target":${JSON.stringify(english).slice(0, -1)}`,
        `"target":${JSON.stringify(`Pulled: ${english}`).slice(0, -1)}`,
      ),
    );
    const pulled = await runCli(['build', '--root', project.dir]);
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.match(read(path.join(out, `${A}.en.md`)), /^Pulled: /m);
    assert.doesNotMatch(pulled.stderr, /changed by hand/);
    assert.equal(existsSync(path.join(out, '.overwritten')), false);

    // --force writes every file again; English Markdown changed by hand is kept first there too.
    appendFileSync(path.join(out, `${B}.en.md`), '\nA note of mine.\n');
    before = inodes(out);
    const forced = await runCli(['build', '--root', project.dir, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(
      forced.stderr,
      new RegExp(`output/${B}\\.en\\.md was changed by hand since the last build: kept as output/\\.overwritten/`),
    );
    assert.ok(rewritten(before, out).includes(`${LAST}.review.md`));
    assert.deepEqual(
      readdirSync(path.join(out, '.overwritten'))
        .filter((n) => !n.startsWith('.'))
        .map((n) => n.replace(/\d{8}T\d{6}Z/, 'TIME')),
      [`${B}.TIME.en.md`],
    );
    // English Markdown changed by hand and then removed, its article gone from the sources: kept first too.
    rmSync(path.join(out, '.overwritten'), { recursive: true });
    appendFileSync(path.join(out, `${LAST}.en.md`), '\nMy closing note.\n');
    const lastSource = readdirSync(path.join(project.dir, 'sources')).find((n) => n.startsWith(LAST)) as string;
    rmSync(path.join(project.dir, 'sources', lastSource));
    await build(project.dir);
    assert.equal(existsSync(path.join(out, `${LAST}.en.md`)), false);
    const [keptCopy] = readdirSync(path.join(out, '.overwritten')).filter((n) => !n.startsWith('.'));
    assert.match(read(path.join(out, '.overwritten', keptCopy as string)), /My closing note\./);
  } finally {
    project.cleanup();
  }
});

test('an article added at the end renders only itself and the article before it, whose page now links to it', async () => {
  const project = sampleProject();
  const out = path.join(project.dir, 'output');
  try {
    await build(project.dir);
    const before = inodes(out);
    // Its paragraph is one the memory holds: the build needs no DeepL.
    const text = read(path.join(project.dir, 'sources', `${LAST}.txt`));
    writeFileSync(path.join(project.dir, 'sources', '999_neu.txt'), text);
    const rebuilt = await build(project.dir);
    assert.equal(rebuilt.kept, 4);
    assert.deepEqual(
      rewritten(before, out)
        .filter((f) => f.includes('_'))
        .sort(),
      [`${LAST}.en.md`, `${LAST}.review.md`, `.parts/${LAST}.part`, `.review-state/${LAST}.review.md.json`, `review/${LAST}.html`].sort(),
    );
    assert.match(read(path.join(out, 'review', `${LAST}.html`)), /999_neu\.html/);
    await assertEqualsColdBuild(project.dir);
    // Removed again: its page, parts and English Markdown go (its review file stays, as always: it may hold edits,
    // and so does the record of what diglot wrote in it), and the page before it loses the link.
    rmSync(path.join(project.dir, 'sources', '999_neu.txt'));
    // Files of the same kinds that diglot did not write stay: a reader's notes, a page saved aside.
    const mine = ['nato.final.en.md', '999_neu-old.en.md', path.join('review', '999_neu-old.html')];
    for (const f of mine) writeFileSync(path.join(out, f), 'mine');
    await build(project.dir);
    assert.deepEqual(
      files(out).filter((f) => f.includes('999_neu')),
      ['.review-state/999_neu.review.md.json', '999_neu.review.md', '999_neu-old.en.md', 'review/999_neu-old.html'].sort(),
    );
    for (const f of mine) assert.equal(read(path.join(out, f)), 'mine', f);
    assert.doesNotMatch(read(path.join(out, 'review', `${LAST}.html`)), /999_neu\.html/);
  } finally {
    project.cleanup();
  }
});

test('kept parts that cannot be read are rendered again, not trusted', async () => {
  const project = sampleProject();
  const out = path.join(project.dir, 'output');
  try {
    await build(project.dir);
    const kept = readdirSync(path.join(out, '.parts')).find((n) => n.startsWith(`${A}.`));
    assert.ok(kept, "the article's parts are kept, named by its id and fingerprint");
    writeFileSync(path.join(out, '.parts', kept), Buffer.from([40, 0, 0, 0, 123]));
    const rebuilt = await build(project.dir);
    assert.equal(rebuilt.kept, 4);
    await assertEqualsColdBuild(project.dir);
  } finally {
    project.cleanup();
  }
});

test('a changed picture re-packs the books with it; a changed link target renders the article that links to it', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-constructs-'));
  try {
    cpSync(path.join(ROOT, 'test', 'fixtures', 'constructs'), dir, { recursive: true });
    await build(dir);
    assert.equal((await build(dir)).upToDate, true);
    // The picture beside the sources changes: every article is kept, the books carry the new bytes.
    appendFileSync(path.join(dir, 'sources', 'bilder', 'karte.png'), Buffer.from([0]));
    const repacked = await build(dir);
    assert.equal(repacked.upToDate, false);
    assert.equal(repacked.kept, 2);
    await assertEqualsColdBuild(dir);
    // zweiter.md, which a link of anleitung.md points at, is renamed: the link now leads nowhere, and
    // anleitung.md (its own text unchanged) is rendered again, as is the renamed article.
    renameSync(path.join(dir, 'sources', 'zweiter.md'), path.join(dir, 'sources', 'zweite.md'));
    const relinked = await build(dir);
    assert.equal(relinked.kept, 0);
    // The old name's review file stays (it may hold a reviewer's work), and so does its English Markdown.
    await assertEqualsColdBuild(dir, ['zweiter.en.md', 'zweiter.review.md', '.review-state/zweiter.review.md.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with volumes, an article added at the end renders only the article before it and itself; the books are re-packed', async () => {
  const project = sampleProject();
  const out = path.join(project.dir, 'output');
  try {
    const configFile = path.join(project.dir, 'diglot.config.json');
    writeFileSync(configFile, JSON.stringify({ ...JSON.parse(read(configFile)), volumes: { articles: 2 } }, null, 2));
    await build(project.dir);
    const before = inodes(out);
    writeFileSync(path.join(project.dir, 'sources', '999_neu.txt'), read(path.join(project.dir, 'sources', `${LAST}.txt`)));
    const rebuilt = await build(project.dir);
    assert.equal(rebuilt.kept, 4);
    // The first two volumes' books are re-packed from kept chapters, byte for byte as they were.
    for (const book of ['edition.vol-01.epub', 'edition.vol-02.epub']) assert.ok(existsSync(path.join(out, book)), book);
    assert.deepEqual(
      rewritten(before, out)
        .filter((f) => f.includes('_'))
        .sort(),
      [`${LAST}.en.md`, `${LAST}.review.md`, `.parts/${LAST}.part`, `.review-state/${LAST}.review.md.json`, `review/${LAST}.html`].sort(),
    );
    await assertEqualsColdBuild(project.dir);
  } finally {
    project.cleanup();
  }
});

test('an article built without a whole translation loses its English Markdown of an earlier build, and gets it back', async () => {
  const project = sampleProject();
  const out = path.join(project.dir, 'output');
  const source = path.join(project.dir, 'sources', `${A}.txt`);
  const text = read(source);
  try {
    await build(project.dir);
    assert.ok(existsSync(path.join(out, `${A}.en.md`)));
    // A paragraph the memory lacks, and no DeepL: the article is incomplete.
    writeFileSync(source, `${text.trimEnd()}\n\nEin neuer Absatz, den niemand übersetzt hat.\n`);
    const partial = await runCli(['build', '--root', project.dir, '--json']);
    assert.equal(partial.code, 1, 'a segment is missing');
    assert.equal(existsSync(path.join(out, `${A}.en.md`)), false, 'no English Markdown of an older text');
    assert.ok(existsSync(path.join(out, `${A}.review.md`)), 'its review file is written, with the gap');
    assert.ok(existsSync(path.join(out, `${B}.en.md`)), "the other articles' stay");
    writeFileSync(source, text);
    await build(project.dir);
    assert.ok(existsSync(path.join(out, `${A}.en.md`)));
    await assertEqualsColdBuild(project.dir);
  } finally {
    project.cleanup();
  }
});

test("a link in inline HTML to another article's heading renders its article again when the heading is renamed, as a cold build would", async () => {
  const server = await startDeepLServer();
  const project = sampleProject();
  try {
    const env = { DEEPL_AUTH_KEY: 'inline-html-key', DEEPL_SERVER_URL: server.url };
    const f = path.join(project.dir, 'output', 'f.en.md');
    const g = path.join(project.dir, 'sources', 'g.md');
    writeFileSync(path.join(project.dir, 'sources', 'f.md'), 'Siehe <a href="g.md#hintergrund">dort</a> nach.\n');
    writeFileSync(g, '# G\n\n## Hintergrund\n\nText.\n');
    await buildWith(env, project.dir);
    assert.match(read(f), /g\.en\.md#en-hintergrund/);
    writeFileSync(g, read(g).replace('## Hintergrund', '## Vorgeschichte'));
    await buildWith(env, project.dir);
    assert.doesNotMatch(read(f), /en-hintergrund/);
    // Once more without a key, the memory saved again as it was (else nothing changed): the report then shows
    // nothing billed, as a cold build's from the memory.
    const memory = path.join(project.dir, 'memory', 'memory.jsonl');
    writeFileSync(memory, readFileSync(memory));
    await build(project.dir);
    await assertEqualsColdBuild(project.dir);
  } finally {
    project.cleanup();
    await server.close();
  }
});

test('a source rewritten in place at its length, its modification time set back (cp -p, touch -d), is a change: its change time tells', async () => {
  const project = sampleProject();
  const source = path.join(project.dir, 'sources', `${A}.txt`);
  try {
    // A whole second, which a modification time set back keeps exactly.
    const stamped = new Date('2026-01-02T03:04:05Z');
    utimesSync(source, stamped, stamped);
    await build(project.dir);
    const english = (): string[] => read(path.join(project.dir, 'output', `${A}.en.md`)).split('\n\n');
    const before = english();
    // Its second and third paragraphs swapped: the same bytes in another order, written into the same file.
    const [first = '', second = '', third = '', ...rest] = read(source).split('\n\n');
    writeFileSync(source, [first, third, second, ...rest].join('\n\n'));
    utimesSync(source, stamped, stamped);
    const now = statSync(source);
    assert.equal(now.mtimeMs, stamped.getTime(), 'the modification time is set back exactly');
    const again = await build(project.dir);
    assert.equal(again.upToDate, false, 'the swapped paragraphs are seen');
    // Its English Markdown has them swapped too (after the front matter and the first paragraph).
    const after = english();
    assert.notDeepEqual(after, before);
    assert.deepEqual([after[2], after[3]], [before[3], before[2]]);
    // Nothing changed since: up to date again.
    assert.equal((await build(project.dir)).upToDate, true);
  } finally {
    project.cleanup();
  }
});
