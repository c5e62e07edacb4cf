// The segment cache (`output/.diglot-segments.jsonl`): a source segmented from it is the source segmented
// afresh, and a rebuild segments again only the sources that changed.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { Config } from '../src/config/config.js';
import { segmentSources } from '../src/load-project.js';
import type { SegmentedDocument, SourceDocument } from '../src/model.js';
import { build } from '../src/pipeline.js';
import { SEGMENTS_FILE, SegmentCache } from '../src/segment/segment-cache.js';
import { readSources } from '../src/sources/read-sources.js';
import { MemoryLogger } from '../src/util/logger.js';
import { programSeed } from '../src/write/article-parts.js';
import { configOf, ROOT, sampleProject } from './helpers.js';

/** Markdown of many kinds: front matter, dialect syntax, references, footnotes, tables, HTML, protected tokens. */
const RICH = `---
title: "Die Ostflanke"
description: Ein Überblick über die *Lage*
date: 2024-05-10
---

# Die Ostflanke {#ostflanke}

Ein Absatz mit **Fettem**, _Kursivem_, \`Code\`, einem [Link](https://example.org "Titel") und einem [Verweis][ref].
Er geht auf der nächsten Zeile weiter,\\
nach einem harten Umbruch.

> [!NOTE] Hinweis
> Ein Zitat über die NATO[^1] mit {{< figure src="a.png" >}} darin.

- Erster Punkt mit <abbr title="Nordatlantikpakt">NATO</abbr>
  - Verschachtelt: {% include karte.html %}
- Zweiter Punkt

| Land | Truppen |
| ---- | ------- |
| Polen | *viele* |

Begriff
: Seine Erklärung, mit $x^2$ darin.

<div class="kasten">
<p>Ein Kasten aus HTML.</p>
</div>

\`\`\`js
const nicht = 'übersetzt';
\`\`\`

[ref]: https://example.org/verweis
[^1]: Die Fußnote.
`;

/** A project folder of its own, its sources, and where the tests put the cache. */
interface Corpus {
  dir: string;
  config: Config;
  documents: SourceDocument[];
  file: string;
}

/**
 * Runs `work` on every kind of source the fixtures hold, the sample's and {@link RICH}, in a project
 * folder of their own (removed after).
 */
async function withCorpus(work: (corpus: Corpus) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-segcache-'));
  try {
    const sources = path.join(dir, 'sources');
    mkdirSync(sources);
    for (const file of ['structures.md', 'crlf-bom.md', 'raw.txt'])
      cpSync(path.join(ROOT, 'test', 'fixtures', file), path.join(sources, file));
    for (const file of readdirSync(path.join(ROOT, 'test', 'fixtures', 'constructs', 'sources')).filter((f) => f.endsWith('.md')))
      cpSync(path.join(ROOT, 'test', 'fixtures', 'constructs', 'sources', file), path.join(sources, `c-${file}`));
    for (const file of readdirSync(path.join(ROOT, 'sources')).filter((f) => /\.(md|txt)$/.test(f)))
      cpSync(path.join(ROOT, 'sources', file), path.join(sources, file));
    writeFileSync(path.join(sources, 'reich.md'), RICH);
    cpSync(path.join(ROOT, 'glossary'), path.join(dir, 'glossary'), { recursive: true });
    const settings = JSON.parse(readFileSync(path.join(ROOT, 'diglot.config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(dir, 'diglot.config.json'), JSON.stringify({ ...settings, protect: ['shortcodes'] }));
    const config = await configOf(dir);
    const { documents, problems } = await readSources(config.root, config.sources, config.output);
    assert.deepEqual(
      problems.filter((p) => p.severity === 'error'),
      [],
    );
    await work({ dir, config, documents, file: path.join(dir, 'cache.jsonl') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each article's segmentation through `cache`, counting those made afresh. */
function throughCache(
  cache: SegmentCache,
  config: Config,
  documents: readonly SourceDocument[],
): { made: number; articles: SegmentedDocument[] } {
  let made = 0;
  const articles = documents.map((doc) =>
    cache.segmented(doc, () => {
      made++;
      return segmentSources(config, [doc])[0] as SegmentedDocument;
    }),
  );
  return { made, articles };
}

test('a source segmented from the cache is the source segmented afresh, for every kind of source', async () => {
  await withCorpus(async ({ config, documents, file }) => {
    assert.ok(documents.length >= 10, `${documents.length} sources`);
    const fresh = segmentSources(config, documents);
    // A shortcode, a footnote, a byline (a .txt's author), dropped text: the corpus holds what the cache must keep.
    assert.ok(fresh.some((a) => a.segments.some((s) => s.protected !== undefined)));
    assert.ok(fresh.some((a) => a.doc.meta.author !== undefined && documents.find((d) => d.id === a.doc.id)?.meta.author === undefined));
    const first = await SegmentCache.open(file, 'seed');
    assert.equal(throughCache(first, config, documents).made, documents.length);
    await first.save();
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, documents.length);

    const { made, articles } = throughCache(await SegmentCache.open(file, 'seed'), config, documents);
    assert.equal(made, 0, 'every source from the cache');
    assert.deepStrictEqual(articles, fresh);
  });
});

test('a source changed, renamed or made by another program is segmented again; the file is written anew only then', async () => {
  await withCorpus(async ({ config, documents, file }) => {
    const first = await SegmentCache.open(file, 'seed');
    throughCache(first, config, documents);
    await first.save();
    const written = statSync(file).ino;

    // Nothing changed: nothing segmented, the file left as it is.
    const same = await SegmentCache.open(file, 'seed');
    assert.equal(throughCache(same, config, documents).made, 0);
    await same.save();
    assert.equal(statSync(file).ino, written, 'not written again');

    // A source gone, nothing else changed: the file written anew without its line.
    const without = await SegmentCache.open(file, 'seed');
    assert.equal(throughCache(without, config, documents.slice(1)).made, 0);
    await without.save();
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, documents.length - 1);
    const back = await SegmentCache.open(file, 'seed');
    assert.equal(throughCache(back, config, documents).made, 1);
    await back.save();

    // Another program or config: every source again.
    assert.equal(throughCache(await SegmentCache.open(file, 'other seed'), config, documents).made, documents.length);

    // One source edited, one gone: that one segmented again, the gone one's line dropped.
    const [edited, gone, ...rest] = documents as [SourceDocument, SourceDocument, ...SourceDocument[]];
    const changed = { ...edited, text: `${edited.text}\n\nEin neuer Absatz.\n` };
    const next = await SegmentCache.open(file, 'seed');
    const { made, articles } = throughCache(next, config, [changed, ...rest]);
    assert.equal(made, 1);
    assert.deepStrictEqual(articles[0], segmentSources(config, [changed])[0]);
    await next.save();
    const paths = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { path: string }).path);
    assert.deepEqual(
      paths,
      [changed, ...rest].map((d) => d.path),
    );
    assert.ok(!paths.includes(gone.path));

    // A damaged line: its source segmented again, the others still read.
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = `${(lines[1] as string).slice(0, 200)}`;
    writeFileSync(file, lines.join('\n'));
    assert.equal(throughCache(await SegmentCache.open(file, 'seed'), config, [changed, ...rest]).made, 1);
    // A line changed by hand and still valid JSON (its key kept): not trusted, its source segmented again.
    const valid = readFileSync(file, 'utf8').split('\n');
    valid[2] = (valid[2] as string).replace(/"meta":\{[^}]*\}/, '"meta":null').replace('"kind":"heading"', '"kind":"paragraph"');
    assert.notEqual(valid[2], readFileSync(file, 'utf8').split('\n')[2]);
    writeFileSync(file, valid.join('\n'));
    const trusted = throughCache(await SegmentCache.open(file, 'seed'), config, [changed, ...rest]);
    assert.equal(trusted.made, 2, 'the damaged line and the hand-edited one');
    assert.deepStrictEqual(trusted.articles, segmentSources(config, [changed, ...rest]));

    // Unreadable as a whole: every source again, nothing thrown.
    writeFileSync(file, Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
    assert.equal(throughCache(await SegmentCache.open(file, 'seed'), config, [changed, ...rest]).made, rest.length + 1);
  });
});

test('a cache that cannot be written leaves the build as it is: no error, no temp file', async () => {
  await withCorpus(async ({ dir, config, documents, file }) => {
    // A folder where the file goes: the rename fails, as on a full disk.
    mkdirSync(path.join(file, 'inside'), { recursive: true });
    const cache = await SegmentCache.open(file, 'seed');
    assert.equal(throughCache(cache, config, documents).made, documents.length);
    await cache.save();
    assert.ok(statSync(file).isDirectory());
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });
});

test('a build keeps each source segmented for the next; an edited source is segmented again, a build that fails leaves the cache as it was', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const file = path.join(project.dir, 'output', SEGMENTS_FILE);
    const first = await build(config, { engine: undefined, log: new MemoryLogger() });
    assert.equal(first.missing.length, 0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 5);

    // A paragraph added to a source: the next build reads it (the memory lacks its English), the other lines stay.
    const source = path.join(project.dir, 'sources', '001_4a3d075f46cdf68a.txt');
    writeFileSync(source, `${readFileSync(source, 'utf8')}\nEin ganz neuer Absatz über die Ostflanke.\n`);
    const second = await build(config, { engine: undefined, log: new MemoryLogger() });
    assert.deepEqual(
      second.missing.map((m) => m.segment.source),
      ['Ein ganz neuer Absatz über die Ostflanke.'],
    );
    const after = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(
      after.map((l, i) => l === lines[i]),
      [true, false, true, true, true],
    );

    // A build that stops (a review file with an edit not imported): the cache stays as it was, no temp file left.
    writeFileSync(source, `${readFileSync(source, 'utf8')}\nNoch ein Absatz.\n`);
    const review = path.join(project.dir, 'output', '000_20a6b0fe2192dee9.review.md');
    writeFileSync(review, readFileSync(review, 'utf8').replace(/(<!-- EN -->\n\n)([^\n]+)/, '$1$2 Edited.'));
    const kept = readFileSync(file);
    await assert.rejects(build(config, { engine: undefined, log: new MemoryLogger() }), /not imported/);
    assert.ok(readFileSync(file).equals(kept));
    assert.deepEqual(
      readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tmp')),
      [],
    );

    // A cache removed or damaged by hand: made again, the build as before.
    rmSync(review);
    writeFileSync(file, 'garbage\n');
    const third = await build(config, { engine: undefined, log: new MemoryLogger() });
    assert.equal(third.missing.length, 2);
    assert.equal(readFileSync(file, 'utf8').trimEnd().split('\n').length, 5);
    assert.ok(existsSync(file));
  } finally {
    project.cleanup();
  }
});

test('what a build keeps is keyed by the runtime too: another Node, zlib, ICU or Unicode version gives another seed', async () => {
  const config = await configOf(ROOT);
  const seed = programSeed(config);
  assert.equal(programSeed(config, process.versions), seed);
  for (const name of ['node', 'v8', 'zlib', 'icu', 'unicode'])
    assert.notEqual(programSeed(config, { ...process.versions, [name]: 'another' }), seed, name);
  assert.notEqual(programSeed({ ...config, protect: ['shortcodes'] }), seed, 'the config');
  assert.equal(programSeed({ ...config, root: '/elsewhere' }), seed, 'not where the project lies');
});
