import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { build } from '../src/pipeline.js';
import { MemoryLogger } from '../src/util/logger.js';
import { configOf, sampleProject, runCli } from './helpers.js';

const run = (args: string[]) => runCli(args);

test('import turns the five raw samples into clean Markdown that builds aligned from the memory', async () => {
  const project = sampleProject();
  try {
    const before = await build(await configOf(project.dir), { engine: undefined, log: new MemoryLogger() });
    const reviewBefore = (id: string): string[] =>
      readFileSync(path.join(project.dir, 'output', `${id}.review.md`), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('<!-- segment '));
    const pairsBefore = new Map(
      readdirSync(path.join(project.dir, 'sources')).map((f) => [f.replace('.txt', ''), reviewBefore(f.replace('.txt', ''))]),
    );

    const raw = readdirSync(path.join(project.dir, 'sources')).map((f) => path.join(project.dir, 'sources', f));
    const result = await run(['import', '--root', project.dir, ...raw]);
    assert.equal(result.code, 0, result.stderr);
    // Every dropped line is printed with its rule.
    assert.match(result.stdout, /003_3fbf0cb9b090180e\.txt:1: dropped by rule "updated-stamp": Aktualisiert am/);
    assert.match(result.stdout, /003_3fbf0cb9b090180e\.txt:5: dropped by rule "image-credit": Bild: AP/);
    assert.match(result.stdout, /000_20a6b0fe2192dee9\.txt:\d+: dropped by rule "more-on-topic": Mehr zum Thema 1\//);
    assert.equal((result.stdout.match(/dropped by rule/g) ?? []).length, 5);

    const md = readFileSync(path.join(project.dir, 'sources', '002_1f1ee89d9a986150.md'), 'utf8');
    assert.match(
      md,
      /^---\ntitle: Die USA bereiten die NATO auf die eigenständige Verteidigung der Ukraine vor\ndate: 2024-05\nauthor: Pjotr Akopow\nsource: 002_1f1ee89d9a986150\.txt\n---\n\nDie Allianz hat/,
    );
    assert.match(md, /^## Vorbereitung auf Bidens Niederlage bei der US-Wahl$/m);
    assert.doesNotMatch(
      readFileSync(path.join(project.dir, 'sources', '003_3fbf0cb9b090180e.md'), 'utf8'),
      /Aktualisiert am|Bild: AP|Folgen Ich folge|Mehr zum Thema/,
    );
    assert.ok(existsSync(path.join(project.dir, 'sources', 'raw', '003_3fbf0cb9b090180e.txt')), 'raw file archived');
    assert.deepEqual(
      readdirSync(path.join(project.dir, 'sources')).filter((f) => f.endsWith('.txt')),
      [],
    );

    // The build from the Markdown needs nothing new: the same paragraphs, in the same order.
    const after = await build(await configOf(project.dir), { engine: undefined, log: new MemoryLogger() });
    assert.equal(after.exitCode, 0, after.missing.map((m) => m.segment.plain).join('\n'));
    assert.equal(
      after.totals.segments,
      before.totals.segments + 4,
      "a front matter title for each article; 002's replaces its opening heading",
    );
    for (const [id, pairs] of pairsBefore) {
      const now = reviewBefore(id).filter((l) => !l.includes(' · title · '));
      assert.deepEqual(
        now.map((l) => l.split(' · ')[0]),
        pairs.map((l) => l.split(' · ')[0]).filter((_, i) => !(id.startsWith('002') && i === 0)),
        id,
      );
    }

    const again = await run(['import', '--root', project.dir, path.join(project.dir, 'sources', 'raw', '000_20a6b0fe2192dee9.txt')]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /sources\/000_20a6b0fe2192dee9\.md already exists; nothing was written[\s\S]*--force/);
    assert.equal(
      (await run(['import', '--force', '--root', project.dir, path.join(project.dir, 'sources', 'raw', '000_20a6b0fe2192dee9.txt')])).code,
      0,
    );
  } finally {
    project.cleanup();
  }
});

test('import never writes over a raw file or a source of this run: two raw files of one name are refused, an earlier archived raw file kept', async () => {
  const project = sampleProject();
  try {
    const sources = path.join(project.dir, 'sources');
    for (const dir of ['a', 'b']) mkdirSync(path.join(project.dir, dir));
    writeFileSync(path.join(project.dir, 'a', 'x.txt'), 'Anderer Text.\n');
    writeFileSync(path.join(project.dir, 'b', 'x.txt'), 'Dritter Text.\n');
    const twins = await run([
      'import',
      '--force',
      '--root',
      project.dir,
      path.join(project.dir, 'a', 'x.txt'),
      path.join(project.dir, 'b', 'x.txt'),
    ]);
    assert.equal(twins.code, 2);
    assert.match(twins.stderr, /a\/x\.txt and .*b\/x\.txt would both become sources\/x\.md; nothing was written/);
    assert.equal(existsSync(path.join(sources, 'x.md')), false);

    // A raw file in sources/ is moved to sources/raw/: a second one of that name goes beside the first.
    writeFileSync(path.join(sources, 'roh.txt'), 'Erste Fassung.\n');
    assert.equal((await run(['import', '--root', project.dir, path.join(sources, 'roh.txt')])).code, 0);
    rmSync(path.join(sources, 'roh.md'));
    writeFileSync(path.join(sources, 'roh.txt'), 'Zweite Fassung.\n');
    const second = await run(['import', '--root', project.dir, path.join(sources, 'roh.txt')]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /Moved the raw file to sources\/raw\/roh-2\.txt \(raw\/roh\.txt holds an earlier one\)\./);
    assert.equal(readFileSync(path.join(sources, 'raw', 'roh.txt'), 'utf8'), 'Erste Fassung.\n');
    assert.equal(readFileSync(path.join(sources, 'raw', 'roh-2.txt'), 'utf8'), 'Zweite Fassung.\n');
  } finally {
    project.cleanup();
  }
});
