/**
 * Requests go out as articles are planned; outputs are rendered article by article while later
 * requests are in flight, and still land in output/ all at once at the end (or not at all).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Config } from '../src/config/config.js';
import { loadProject, type Project } from '../src/load-project.js';
import type { MemoryEntry } from '../src/memory/entry.js';
import type { TranslatedArticle } from '../src/model.js';
import { build } from '../src/pipeline.js';
import { compileTermMatcher } from '../src/glossary/match-terms.js';
import { FUZZY_THRESHOLD, FuzzyMatcher, type FuzzyMatch, type HeldBefore, type KeptMatches } from '../src/review-file/fuzzy-match.js';
import { OLD_STATE_FILE, REVIEW_STATE_DIR, ReviewState, reviewFileName } from '../src/review-file/review-state.js';
import { fileStamp } from '../src/write/write-atomic.js';
import type { DeepLEngine } from '../src/translate/deepl.js';
import { batchTexts, planTranslation } from '../src/translate/plan-translation.js';
import { fromMemoryOnly } from '../src/translate/memory-only.js';
import { sendBatches } from '../src/translate/send-batches.js';
import { translatedArticle } from '../src/translate/translated-article.js';
import { DiglotError, EXIT } from '../src/util/errors.js';
import { MemoryLogger } from '../src/util/logger.js';
import { linkTargets } from '../src/render/resolve-link.js';
import { germanTitle } from '../src/segment/article-title.js';
import { PARTS_DIR } from '../src/write/article-parts.js';
import { LAST_BUILD_FILE } from '../src/write/last-build.js';
import { SEGMENTS_FILE } from '../src/segment/segment-cache.js';
import { OutputWriter, type OutputWriterOptions } from '../src/write/output-writer.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, EMPTY_TOTALS, sampleProject } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

/** A writer of a project's outputs, driven directly by a test, with the matcher and the checks given. */
function projectWriter(
  config: Config,
  loaded: Project,
  options: Pick<OutputWriterOptions, 'fuzzy' | 'check' | 'signal' | 'reviewFilesAtStart'>,
): OutputWriter {
  return new OutputWriter({
    config,
    glossary: loaded.glossary,
    matchTerms: compileTermMatcher(loaded.glossary),
    targets: linkTargets(loaded.articles, () => 'missing'),
    state: new ReviewState(path.join(config.root, config.output)),
    contents: loaded.articles.map((a) => ({ id: a.doc.id, title: germanTitle(a) })),
    program: 'test',
    now: () => new Date().toISOString(),
    ...options,
  });
}

/** The totals the writer is given in the tests that drive it directly (the sample's five articles). */
const TOTALS = { ...EMPTY_TOTALS, articles: 5 };

const engineFor = (targetLang: 'en-US' | 'en-GB'): DeepLEngine => deeplEngine(server.url, { targetLang });

test('sendBatches sends exactly the plan estimate shows, in order, and settles each batch as its answer arrives', async () => {
  server.reset();
  server.setLatency(40);
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    const loaded = await loadProject(config, new MemoryLogger());
    const plan = planTranslation(loaded.articles, loaded.memory, config.targetLang);
    const answeredAt: number[] = [];
    const sending = sendBatches(plan, {
      engine: engineFor(config.targetLang),
      memory: loaded.memory,
      lang: config.targetLang,
      concurrency: 1,
      glossaryEntries: [],
      now: () => '2026-01-01T00:00:00.000Z',
      log: new MemoryLogger(),
    });
    sending.settled.forEach(
      (settled, i) => void settled.then(() => (answeredAt[i] = server.translateRequests().filter((r) => r.status === 200).length)),
    );
    const outcome = await sending.outcome;
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.requests, 5);
    // One request at a time: batch i settles only once its own answer is in, and the batches settle
    // in order (the next request may be answered while a batch's answers are still being written).
    assert.equal(answeredAt.length, 5);
    answeredAt.forEach((answered, i) => {
      assert.ok(answered >= i + 1, `batch ${i} settled after its own answer (${answeredAt.join(', ')})`);
      assert.ok(i === 0 || answered >= (answeredAt[i - 1] as number), `in order (${answeredAt.join(', ')})`);
    });
    assert.deepEqual(
      server.translateRequests().map((r) => r.translate.texts),
      plan.batches.map((b) => batchTexts(b).texts.map((t) => t.xml)),
      'the requests are the plan',
    );
    assert.equal(outcome.billedCharacters, server.billedCharacters());
    assert.deepEqual(outcome.texts, { planned: plan.uniqueTexts, stored: plan.uniqueTexts, unchanged: 0 });
    for (const article of loaded.articles) {
      assert.ok(
        translatedArticle(article, loaded.memory, config.targetLang).segments.every((t) => t.target !== undefined),
        'every answer is in the memory',
      );
    }
  } finally {
    server.setLatency(0);
    project.cleanup();
  }
});

test('a build renders outputs while requests are in flight, yet replaces nothing in output/ before the end', async () => {
  server.reset();
  server.setLatency(150);
  const project = sampleProject({ emptyMemory: true });
  try {
    const config = await configOf(project.dir);
    const out = path.join(project.dir, config.output);
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'report.json'), 'old');
    const seen: string[][] = [];
    let answered = 0;
    const poll = setInterval(() => {
      answered = server.translateRequests().filter((r) => r.status === 200).length;
      // The article pages, the kept parts and the review state's records are staged in their folders, which the build may create before the end.
      const folders = ['review', '.parts', REVIEW_STATE_DIR].map((f) => path.join(out, f));
      if (answered < 5)
        seen.push([
          ...readdirSync(out).filter((n) => !folders.includes(path.join(out, n))),
          ...folders.flatMap((f) => (existsSync(f) ? readdirSync(f) : [])),
        ]);
    }, 20);
    const result = await build({ ...config, concurrency: 1 }, { engine: engineFor(config.targetLang), log: new MemoryLogger() });
    clearInterval(poll);
    assert.equal(result.exitCode, 0);
    assert.equal(result.totals.requests, 5);
    const temps = seen.map((names) => names.filter((n) => n.endsWith('.tmp')));
    assert.ok(
      temps.some((names) => names.some((n) => n.includes('.review.md.'))),
      'review files were being written before the last request was answered',
    );
    assert.ok(
      seen.every((names) => names.filter((n) => !n.endsWith('.tmp')).join() === 'report.json'),
      'no output was in place before the end',
    );
    assert.notEqual(readFileSync(path.join(out, 'report.json'), 'utf8'), 'old');
    assert.deepEqual(
      readdirSync(out).filter((n) => n.endsWith('.tmp')),
      [],
      'no temp files left',
    );
    // The review state's records are renamed into place after everything else.
    const records = readdirSync(path.join(out, REVIEW_STATE_DIR));
    assert.equal(records.length, 5, 'a record for each review file');
    const stateTime = Math.min(...records.map((n) => statSync(path.join(out, REVIEW_STATE_DIR, n)).ctimeMs));
    // (The records' folder itself changes with each record renamed into it; the build's own record of
    // what it wrote comes after the outputs it describes, and the sources' segmentation, which describes no output, after them.)
    for (const name of readdirSync(out).filter((n) => n !== REVIEW_STATE_DIR && n !== LAST_BUILD_FILE && n !== SEGMENTS_FILE))
      assert.ok(statSync(path.join(out, name)).ctimeMs <= stateTime, name);
  } finally {
    server.setLatency(0);
    project.cleanup();
  }
});

/** The sample project with an old `output/report.json`, loaded, its articles translated from the memory. */
async function withOldOutput(): Promise<{
  project: ReturnType<typeof sampleProject>;
  config: Config;
  out: string;
  loaded: Project;
  articles: TranslatedArticle[];
}> {
  const project = sampleProject();
  const config = await configOf(project.dir);
  const out = path.join(project.dir, config.output);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'report.json'), 'old');
  const loaded = await loadProject(config, new MemoryLogger());
  return { project, config, out, loaded, articles: fromMemoryOnly(loaded) };
}

test('a failure while rendering one article leaves output/ as it was, without temp files', async () => {
  const { project, config, out, loaded, articles } = await withOldOutput();
  try {
    const writer = projectWriter(config, loaded, {
      fuzzy: new FuzzyMatcher([], new Set(), config.targetLang),
      // Fails while the third article is rendered, after the first two were rendered and written.
      check: (a) => {
        if (a === articles[2]) throw new Error('renderer bug');
        return { findings: [], terms: new Map() };
      },
    });
    for (const a of articles) writer.add(a);
    await assert.rejects(writer.finish(TOTALS), /renderer bug/);
    assert.deepEqual(readdirSync(out), ['report.json']);
    assert.equal(readFileSync(path.join(out, 'report.json'), 'utf8'), 'old');
  } finally {
    project.cleanup();
  }
});

test('Ctrl-C while the outputs are rendered: no article after it, nothing put in place, output/ as it was', async () => {
  const { project, config, out, loaded, articles } = await withOldOutput();
  try {
    const controller = new AbortController();
    const checked: string[] = [];
    const writer = projectWriter(config, loaded, {
      fuzzy: new FuzzyMatcher([], new Set(), config.targetLang),
      // The signal comes while the second article is rendered.
      check: (a) => {
        checked.push(a.article.doc.id);
        if (a === articles[1]) controller.abort();
        return { findings: [], terms: new Map() };
      },
      signal: controller.signal,
    });
    for (const a of articles) writer.add(a);
    await assert.rejects(writer.finish(TOTALS), (error: unknown) => error instanceof DiglotError && error.exitCode === EXIT.interrupted);
    assert.deepEqual(
      checked,
      articles.slice(0, 2).map((a) => a.article.doc.id),
      'no article rendered after the signal',
    );
    assert.deepEqual(readdirSync(out), ['report.json']);
    assert.equal(readFileSync(path.join(out, 'report.json'), 'utf8'), 'old');

    // Aborted once every article is rendered, before finish: still nothing in place.
    const late = new AbortController();
    const last = projectWriter(config, loaded, {
      fuzzy: new FuzzyMatcher([], new Set(), config.targetLang),
      check: () => ({ findings: [], terms: new Map() }),
      signal: late.signal,
    });
    for (const a of articles) last.add(a);
    late.abort();
    await assert.rejects(last.finish(TOTALS), (error: unknown) => error instanceof DiglotError && error.exitCode === EXIT.interrupted);
    assert.deepEqual(readdirSync(out), ['report.json']);
  } finally {
    project.cleanup();
  }
});

test('the writer gives the same files as before when every article is there at once', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const first = await build(config, { engine: undefined, log: new MemoryLogger() });
    const out = path.join(project.dir, config.output);
    const files = (): Record<string, string> =>
      Object.fromEntries(
        readdirSync(out, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => path.relative(out, path.join(e.parentPath, e.name)))
          // What a build keeps for the next records files' stamps, which differ from one build to the next.
          .filter((name) => !name.startsWith('.parts') && name !== '.diglot-last-build.json')
          .map((name) => [name, readFileSync(path.join(out, name), 'latin1')]),
      );
    const before = files();
    // Forced: every article rendered again (rebuild-reuse.test.ts tests the rebuilds that keep them).
    const second = await build(config, { engine: undefined, log: new MemoryLogger(), force: true });
    assert.equal(second.kept, 0);
    assert.deepEqual(second.written, first.written);
    assert.deepEqual(files(), before, 'a rebuild writes byte-identical outputs');
    assert.ok('findings.jsonl' in before && 'segments.jsonl' in before, 'findings.jsonl and segments.jsonl written');
    const report = JSON.parse(before['report.json']!) as { articles: unknown[]; totals: { segments: number } };
    assert.equal(report.articles.length, 5);
    assert.equal(report.totals.segments, first.totals.segments);
    const page = Buffer.from(before['review.html']!, 'latin1').toString('utf8');
    const pages = Object.keys(before).filter((n) => /^review\/.*\.html$/.test(n));
    assert.equal(pages.length, 5, 'every article has its review page');
    assert.ok(pages.every((n) => before[n]!.includes('<section class="article"')));
    assert.match(page, new RegExp(`5 articles · ${first.totals.segments} segments`), 'the index counts them all');
  } finally {
    project.cleanup();
  }
});

test("findings reach report.json after every article; the old state file's records move into the review state's folder", async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
    writeFileSync(memoryFile, readFileSync(memoryFile, 'utf8').replaceAll('about Moscow\'s \\"red lines', 'about Moscow\'s \\"redlines'));
    const out = path.join(project.dir, config.output);
    mkdirSync(out, { recursive: true });
    // The single state file of earlier versions, with a record of a review file whose article is gone from sources/.
    const old = {
      sha256: '',
      segments: [{ id: 'p1', kind: 'paragraph', markdown: false, source: 'Alt.', de: 'x', en: null, approved: false }],
    };
    writeFileSync(path.join(out, OLD_STATE_FILE), JSON.stringify({ version: 1, files: { 'zz-removed.review.md': old } }));
    const result = await build(config, { engine: undefined, log: new MemoryLogger() });
    assert.equal(result.findings.count, 1);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as {
      articles: Array<{ findings: Record<string, number> }>;
      totals: { findings: number };
    };
    const jsonl = (name: string): Array<Record<string, unknown>> =>
      readFileSync(path.join(out, name), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      jsonl('findings.jsonl').map((f) => f['rule']),
      ['term'],
    );
    assert.equal(report.totals.findings, 1);
    assert.deepEqual(
      report.articles.filter((a) => Object.keys(a.findings).length > 0).map((a) => a.findings),
      [{ term: 1 }],
      'the finding is counted on its article',
    );
    const segments = jsonl('segments.jsonl');
    assert.equal(segments.length, result.totals.segments);
    assert.equal(segments.flatMap((s) => s['findings'] as string[]).join(), 'term', 'the finding is on its segment too');
    const state = new ReviewState(out);
    const names = [...(await state.inFolder())].sort();
    assert.equal(names.length, 6, 'the five review files written and the old record');
    assert.deepEqual(await state.record('zz-removed.review.md'), old);
    assert.equal(existsSync(path.join(out, OLD_STATE_FILE)), false, 'the old state file is gone once its records are in the folder');
    let recorded = 0;
    for (const name of names.filter((n) => n !== 'zz-removed.review.md')) recorded += (await state.record(name))?.segments.length ?? 0;
    assert.equal(recorded, result.totals.segments);
  } finally {
    project.cleanup();
  }
});

test('a kept article’s review file saved after the writer took it, while later articles render, is edited meanwhile: left as saved, no record claims it', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const out = path.join(project.dir, config.output);
    const loaded = await loadProject(config, new MemoryLogger());
    const articles = fromMemoryOnly(loaded);
    const ids = articles.map((a) => a.article.doc.id);
    const check = () => ({ findings: [], terms: new Map() });
    const first = projectWriter(config, loaded, { fuzzy: new FuzzyMatcher([], new Set(), config.targetLang), check });
    for (const a of articles) first.add(a);
    await first.finish(TOTALS);
    const name = reviewFileName(ids[0] as string);
    const atStart = new Map(ids.map((id) => [reviewFileName(id), fileStamp(path.join(out, reviewFileName(id)))]));
    const edited = `${readFileSync(path.join(out, name), 'utf8')}\n`;
    /** Saves the first article's review file as the writer takes the last article: the first is kept by then. */
    class SavingMeanwhile extends FuzzyMatcher {
      override matchesOf(a: TranslatedArticle, kept?: KeptMatches): KeptMatches {
        if (a.article.doc.id === ids.at(-1)) writeFileSync(path.join(out, name), edited);
        return super.matchesOf(a, kept);
      }
    }
    const writer = projectWriter(config, loaded, {
      fuzzy: new SavingMeanwhile([], new Set(), config.targetLang),
      check,
      reviewFilesAtStart: atStart,
    });
    for (const a of articles) writer.add(a);
    const finished = await writer.finish(TOTALS);
    assert.equal(finished.kept, 5, 'every article kept');
    assert.deepEqual(finished.editedMeanwhile, [path.join(config.output, name)]);
    assert.equal(readFileSync(path.join(out, name), 'utf8'), edited);
  } finally {
    project.cleanup();
  }
});

test('a kept article keeps its fuzzy matches from its parts while the entries to match against and its pairs are as they were', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const out = path.join(project.dir, config.output);
    const loaded = await loadProject(config, new MemoryLogger());
    // Every pair a machine draft, so that every pair is matched.
    const drafts = fromMemoryOnly(loaded).map((a) => ({
      ...a,
      segments: a.segments.map((t) => (t.origin === 'copy' ? t : { ...t, origin: 'deepl' as const, status: 'draft' as const })),
    }));
    const used = new Set(drafts.flatMap((a) => a.segments.map((t) => t.segment.key)));
    const pair = drafts[0]?.segments.find((t) => t.origin !== 'copy' && t.segment.key.split(' ').length > 12);
    assert.ok(pair);
    const entry = (source: string, target: string): MemoryEntry => ({
      source,
      target,
      lang: config.targetLang,
      origin: 'human',
      status: 'reviewed',
      created: '2020-01-01T00:00:00.000Z',
      updated: '2020-01-01T00:00:00.000Z',
    });
    // An earlier version of that pair's German: an entry no pair uses.
    const earlier = entry(pair.segment.key.replace(/\S+$/, 'anders.'), 'An earlier English of it.');
    /** Writes the articles with a matcher over `entries`; which articles it matched, and how many were kept. */
    const write = async (
      entries: MemoryEntry[],
      articles: TranslatedArticle[],
      held?: HeldBefore,
    ): Promise<{ matched: string[]; kept: number }> => {
      const matched: string[] = [];
      /** The matcher, telling which articles it matches. */
      class Counting extends FuzzyMatcher {
        override matchArticle(a: TranslatedArticle): Map<string, FuzzyMatch> {
          matched.push(a.article.doc.id);
          return super.matchArticle(a);
        }
      }
      const writer = projectWriter(config, loaded, {
        fuzzy: new Counting(entries, used, config.targetLang, FUZZY_THRESHOLD, held),
        check: () => ({ findings: [], terms: new Map() }),
      });
      for (const a of articles) writer.add(a);
      const { kept } = await writer.finish(TOTALS);
      return { matched, kept };
    };
    const ids = drafts.map((a) => a.article.doc.id);

    assert.deepEqual(await write([earlier], drafts), { matched: ids, kept: 0 });
    const reviewFile = path.join(out, `${ids[0]}.review.md`);
    assert.match(readFileSync(reviewFile, 'utf8'), /An earlier English of it\./, 'the match is in the review file');
    const written = readFileSync(reviewFile, 'utf8');

    // The same entries and pairs: every article kept, none matched again.
    assert.deepEqual(await write([earlier], drafts), { matched: [], kept: 5 });
    assert.equal(readFileSync(reviewFile, 'utf8'), written);

    // One pair of the third article reviewed: that article alone is matched again.
    const reviewed = drafts.map((a, i) =>
      i !== 2
        ? a
        : { ...a, segments: a.segments.map((t, j) => (j === 1 ? { ...t, origin: 'human' as const, status: 'reviewed' as const } : t)) },
    );
    assert.deepEqual(await write([earlier], reviewed), { matched: [ids[2]], kept: 4 });

    // Another entry no pair uses: every article is matched again; those whose matches are the same stay kept.
    const other = entry('Ein ganz anderer Satz, den kein Artikel hat.', 'Another sentence.');
    assert.deepEqual(await write([earlier, other], reviewed), { matched: ids, kept: 5 });
    assert.equal(readFileSync(reviewFile, 'utf8'), written);
    // Their parts now say so: the next build matches none.
    assert.deepEqual(await write([earlier, other], reviewed), { matched: [], kept: 5 });

    // What each review file held before narrows the entries: an article that held none of them is
    // matched with nothing, and stays as it is (parts too) whatever other entries come and go.
    const none = new Set<string>();
    const own: HeldBefore = new Map(
      reviewed.map((a) => [a.article.doc.id, { german: new Set(a.segments.map((t) => t.segment.key)), unmatched: none }]),
    );
    const heldEarlier: HeldBefore = new Map([...own, [ids[0] as string, { german: new Set([earlier.source]), unmatched: none }]]);
    assert.deepEqual(await write([earlier], reviewed, heldEarlier), { matched: [ids[0]], kept: 5 });
    /** The parts of every article but the first (which the entries match), with their inodes: a file written again has another. */
    const parts = (): string[] =>
      readdirSync(path.join(out, PARTS_DIR))
        .filter((n) => !n.startsWith(`${ids[0]}.`))
        .map((n) => `${n} ${statSync(path.join(out, PARTS_DIR, n)).ino}`)
        .sort();
    const partsBefore = parts();
    const third = entry('Noch ein Satz, den kein Artikel hat, und keiner hielt.', 'Yet another sentence.');
    assert.deepEqual(await write([earlier, third], reviewed, heldEarlier), { matched: [ids[0]], kept: 5 });
    assert.equal(partsBefore.length, 4);
    assert.deepEqual(parts(), partsBefore, 'the parts of the articles that held none of the entries are not written again');
  } finally {
    project.cleanup();
  }
});
