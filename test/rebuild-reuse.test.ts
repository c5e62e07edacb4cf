// A rebuild renders again only the articles whose inputs changed: the other articles' files stay as
// they are (same inode), the books are re-packed from kept chapters, and every output equals a cold build's.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { read, runCli, sampleProject } from './helpers.js';

const A = '001_4a3d075f46cdf68a';
const B = '002_1f1ee89d9a986150';
const LAST = '004_b128dabdfb1e0af2';

/** Every file under `dir` (relative, `/`-separated), with `.parts/` left out when `parts` is false. */
function files(dir: string, parts = true): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => parts || !f.startsWith('.parts/'))
    .sort();
}

/** Each file's inode: a file written again (to a temp file renamed over it) gets a new one. */
function inodes(dir: string): Map<string, number> {
  return new Map(files(dir).map((f) => [f, statSync(path.join(dir, f)).ino]));
}

/** The files of `before` that were written again (or removed) since. */
function rewritten(before: Map<string, number>, dir: string): string[] {
  const now = inodes(dir);
  return [...before].filter(([f, ino]) => now.get(f) !== ino).map(([f]) => f);
}

async function build(dir: string, ...args: string[]): Promise<{ written: string[]; kept: number }> {
  const run = await runCli(['build', '--root', dir, '--json', ...args]);
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as { written: string[]; kept: number };
}

/** Asserts that the project's output equals, file for file and byte for byte, what a cold build of a copy writes. */
async function assertEqualsColdBuild(dir: string): Promise<void> {
  const copy = mkdtempSync(path.join(tmpdir(), 'diglot-cold-'));
  try {
    for (const part of ['glossary', 'memory', 'sources', 'diglot.config.json'])
      cpSync(path.join(dir, part), path.join(copy, part), { recursive: true });
    await build(copy);
    const out = path.join(dir, 'output');
    const cold = path.join(copy, 'output');
    assert.deepEqual(files(out, false), files(cold, false));
    for (const f of files(cold, false))
      assert.ok(readFileSync(path.join(out, f)).equals(readFileSync(path.join(cold, f))), `${f} differs from a cold build's`);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

test('a rebuild with nothing changed writes no article file again and re-packs the same books', async () => {
  const project = sampleProject();
  const out = path.join(project.dir, 'output');
  try {
    const first = await build(project.dir);
    assert.equal(first.kept, 0);
    const epub = readFileSync(path.join(out, 'edition.epub'));
    const before = inodes(out);
    const again = await build(project.dir);
    assert.equal(again.kept, 5, 'every article kept');
    // Only what spans every article is written: the books, the review index, its search data, the report, the state.
    assert.deepEqual(
      rewritten(before, out).sort(),
      [
        '.diglot-review-state.json',
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
    assert.deepEqual(again.sort(), [`${B}.en.md`, `${B}.review.md`, `.parts/${B}.json`, `review/${B}.html`].sort());
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
    // A generated file changed or removed by hand is written again, with the rest of its article only.
    writeFileSync(path.join(out, `${A}.en.md`), 'changed by hand\n');
    rmSync(path.join(out, 'review', `${B}.html`));
    let before = inodes(out);
    let rebuilt = await build(project.dir);
    assert.equal(rebuilt.kept, 3);
    assert.deepEqual(
      rewritten(before, out)
        .filter((f) => f.includes('_'))
        .map((f) => f.replace(/^.*?(\d{3})_.*$/, '$1'))
        .sort(),
      // Article 002's page, removed, is written anew; its three other files again.
      ['001', '001', '001', '001', '002', '002', '002'],
    );
    await assertEqualsColdBuild(project.dir);

    // The glossary is an input of every article (the checks, the colophon, the review page's marks).
    appendFileSync(path.join(project.dir, 'glossary', 'terms.csv'), 'Bündnis,alliance,,\n');
    rebuilt = await build(project.dir);
    assert.equal(rebuilt.kept, 0);
    await assertEqualsColdBuild(project.dir);

    // --force writes every file again.
    before = inodes(out);
    rebuilt = await build(project.dir, '--force');
    assert.equal(rebuilt.kept, 0);
    assert.ok(rewritten(before, out).includes(`${LAST}.review.md`));
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
      [`${LAST}.en.md`, `${LAST}.review.md`, `.parts/${LAST}.json`, `review/${LAST}.html`].sort(),
    );
    assert.match(read(path.join(out, 'review', `${LAST}.html`)), /999_neu\.html/);
    await assertEqualsColdBuild(project.dir);
    // Removed again: its page and parts go (its review file stays, as always), and the page before it loses the link.
    rmSync(path.join(project.dir, 'sources', '999_neu.txt'));
    await build(project.dir);
    assert.deepEqual(
      files(out).filter((f) => f.includes('999_neu')),
      ['999_neu.en.md', '999_neu.review.md'],
    );
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
    writeFileSync(path.join(out, '.parts', `${A}.json`), '{"version":1,"parts":');
    const rebuilt = await build(project.dir);
    assert.equal(rebuilt.kept, 4);
    await assertEqualsColdBuild(project.dir);
  } finally {
    project.cleanup();
  }
});
