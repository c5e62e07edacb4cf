import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import type { MemoryEntry } from '../src/memory/entry.js';
import { build } from '../src/pipeline.js';
import { FuzzyMatcher } from '../src/review-file/fuzzy-match.js';
import { normalise } from '../src/segment/normalise.js';
import { UnimportedEditsError } from '../src/review-file/find-unimported-edits.js';
import { defaultReviewFiles, importReviews } from '../src/review-file/import-review.js';
import { parseReview } from '../src/review-file/parse-review.js';
import { OLD_STATE_FILE, recordPath, REVIEW_STATE_DIR, type FileRecord } from '../src/review-file/review-state.js';
import { LAST_BUILD_FILE } from '../src/write/last-build.js';
import { wordDiff } from '../src/review-file/word-diff.js';
import type { Segment, TranslatedArticle } from '../src/model.js';
import { MemoryLogger } from '../src/util/logger.js';
import { configOf, read, sampleProject } from './helpers.js';
import { englishOf, epubText, lineOf, segmentIds, setEnglish, snapshot } from './review-helpers.js';

const ARTICLE = '000_20a6b0fe2192dee9';
const log = (): MemoryLogger => new MemoryLogger();

async function builtSample(): Promise<{
  dir: string;
  cleanup: () => void;
  config: Awaited<ReturnType<typeof configOf>>;
  reviewFile: string;
}> {
  const project = sampleProject();
  const config = await configOf(project.dir);
  const result = await build(config, { engine: undefined, log: log() });
  assert.equal(result.exitCode, 0);
  return { ...project, config, reviewFile: path.join(project.dir, 'output', `${ARTICLE}.review.md`) };
}

/** The review file as it is now, for a copy in the project's `mail/` folder (made here), and that copy's path. */
function mailedCopy(project: { dir: string; reviewFile: string }): { copy: string; mailed: string } {
  mkdirSync(path.join(project.dir, 'mail'), { recursive: true });
  return { copy: path.join(project.dir, 'mail', path.basename(project.reviewFile)), mailed: read(project.reviewFile) };
}

/** Another reviewer's English for a pair, imported from a copy of the review file (mailed back): the file in output/ still shows the one before. */
async function importFromCopy(project: Awaited<ReturnType<typeof builtSample>>, id: string, english: string): Promise<void> {
  const { copy, mailed } = mailedCopy(project);
  writeFileSync(copy, setEnglish(mailed, id, english));
  const [other] = await importReviews(project.config, [{ path: copy, display: 'mail/copy' }], {
    log: log(),
    now: () => '2030-01-01T00:00:00Z',
  });
  assert.deepEqual(other?.problems, []);
}

async function importAll(config: Awaited<ReturnType<typeof configOf>>, now = '2030-01-01T00:00:00Z') {
  const files = (await defaultReviewFiles(config)).map((f) => ({ path: f, display: path.relative(config.root, f) }));
  return importReviews(config, files, { log: log(), now: () => now });
}

/** The built sample with pair 600cadbe a machine draft in the memory, built so: its German (the key) and its segment line. */
async function machineDraftSample(): Promise<{
  project: Awaited<ReturnType<typeof builtSample>>;
  key: string | undefined;
  machine: string;
}> {
  const project = await builtSample();
  const record = JSON.parse(read(recordPath(path.join(project.dir, 'output'), path.basename(project.reviewFile)))) as FileRecord;
  const key = record.segments.find((s) => s.id === '600cadbe')?.source;
  rewriteEntry(project.dir, key, (e) => ({ ...e, origin: 'deepl', status: 'draft' }));
  assert.equal((await build(project.config, { engine: undefined, log: log() })).exitCode, 0);
  const machine = '<!-- segment 600cadbe · paragraph · line 3 · machine (deepl) -->';
  assert.ok(read(project.reviewFile).includes(machine));
  return { project, key, machine };
}

/** Changes the memory entry of one German (its key) in a project's memory file. */
function rewriteEntry(dir: string, key: string | undefined, change: (entry: MemoryEntry) => MemoryEntry): void {
  const file = path.join(dir, 'memory', 'memory.jsonl');
  const entries = read(file)
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as MemoryEntry);
  writeFileSync(file, `${entries.map((e) => JSON.stringify(e.source === key ? change(e) : e)).join('\n')}\n`);
}

/** A memory entry of DeepL's English for `source` (its English: `EN ` and the German), a draft. */
function machineDraft(source: string, lang: string): MemoryEntry {
  return {
    source,
    target: `EN ${source}`,
    lang,
    origin: 'deepl',
    status: 'draft',
    created: '2030-01-01T00:00:00Z',
    updated: '2030-01-01T00:00:00Z',
  };
}

async function memoryOf(dir: string): Promise<TranslationMemory> {
  return (await TranslationMemory.open(path.join(dir, 'memory', 'memory.jsonl'))).memory;
}

test('word diff: similarity by characters of shared words, changes grouped', () => {
  const { parts, similarity } = wordDiff('Die Nato hat zwei Bataillone entsandt.', 'Die Nato hat drei Bataillone entsandt.');
  assert.deepEqual(
    parts.map((p) => [p.op, p.text]),
    [
      ['same', 'Die Nato hat '],
      ['removed', 'zwei'],
      ['added', 'drei'],
      ['same', ' Bataillone entsandt.'],
    ],
  );
  assert.ok(similarity > 0.85 && similarity < 1, String(similarity));
  assert.equal(wordDiff('gleich', 'gleich').similarity, 1);
  assert.equal(wordDiff('ganz anders', 'völlig neu').similarity, 0);
  const joined = wordDiff('Sie schickt zwei Bataillone nach Osten.', 'Sie schickt drei Kompanien nach Osten.').parts;
  assert.deepEqual(
    joined.filter((p) => p.op !== 'same').map((p) => [p.op, p.text]),
    [
      ['removed', 'zwei Bataillone'],
      ['added', 'drei Kompanien'],
    ],
  );
});

test('a review file parses back to one pair per segment, German and English separated', async () => {
  const project = await builtSample();
  try {
    const text = read(project.reviewFile);
    const parsed = parseReview(text, 'x.review.md');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.pairs.map((p) => p.id),
      segmentIds(text),
    );
    assert.equal(parsed.pairs.length, 9);
    const heading = parsed.pairs.find((p) => p.id === '461facee');
    assert.deepEqual(heading?.german, ['## Nicht in die Schlacht für die Ukraine']);
    assert.deepEqual(heading?.english, ['## Not going to war for Ukraine']);
    assert.equal(text.split('\n')[(heading?.englishLine ?? 0) - 1], '## Not going to war for Ukraine');
    assert.match(text, /To approve a pair, change the status/);
  } finally {
    project.cleanup();
  }
});

test('three English edits: imported as human reviewed with the old text in the history, then in every edition', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    const edits: Record<string, string> = {
      '600cadbe':
        'NATO was always going to reinforce its eastern flank. The tension Putin created is so great that the alliance must signal it takes defending its members seriously.',
      aa2a0559:
        'For now the signal is political rather than military. Moving a few thousand soldiers would be far from enough to defend the eastern allies.',
      '461facee': '## No war for Ukraine',
    };
    const before = await memoryOf(project.dir);
    const oldTexts = Object.keys(edits).map((id) => englishOf(read(reviewFile), id).replace(/^## /, ''));
    let text = read(reviewFile);
    for (const [id, english] of Object.entries(edits)) text = setEnglish(text, id, english);
    writeFileSync(reviewFile, text);

    const results = await importAll(config);
    const changes = results.flatMap((r) => r.changes);
    assert.deepEqual(
      results.filter((r) => r.problems.length > 0),
      [],
    );
    assert.deepEqual(changes.map((c) => [c.segment.id, c.kind, c.status]).sort(), [
      ['461facee', 'edited', 'reviewed'],
      ['600cadbe', 'edited', 'reviewed'],
      ['aa2a0559', 'edited', 'reviewed'],
    ]);
    const memory = await memoryOf(project.dir);
    assert.equal(memory.size, before.size, 'changed entries, none added');
    for (const [i, c] of changes.entries()) {
      const entry = memory.lookup(c.segment.source, config.targetLang) as MemoryEntry;
      assert.equal(entry.target, edits[c.segment.id]?.replace(/^## /, ''));
      assert.equal(entry.origin, 'human');
      assert.equal(entry.status, 'reviewed');
      assert.equal(entry.updated, '2030-01-01T00:00:00Z');
      assert.equal(entry.created, '2026-11-23T09:00:00Z');
      assert.equal(entry.history?.length, 1);
      assert.ok(oldTexts.includes(entry.history?.[0]?.target ?? ''), `history of ${c.segment.id}: ${i}`);
    }
    // A second import finds nothing new.
    assert.equal((await importAll(config)).flatMap((r) => r.changes).length, 0);

    const rebuilt = await build(config, { engine: undefined, log: log() });
    assert.equal(rebuilt.exitCode, 0);
    const out = path.join(project.dir, 'output');
    const english = read(path.join(out, `${ARTICLE}.en.md`));
    const bilingual = epubText(path.join(out, 'edition.epub'));
    const englishOnly = epubText(path.join(out, 'edition.en.epub'));
    for (const edit of Object.values(edits)) {
      const plain = edit.replace(/^## /, '');
      assert.ok(english.includes(plain), `en.md: ${plain}`);
      assert.ok(bilingual.includes(plain), `edition.epub: ${plain}`);
      assert.ok(englishOnly.includes(plain), `edition.en.epub: ${plain}`);
    }
    for (const old of oldTexts) {
      assert.ok(!english.includes(old) && !englishOnly.includes(old), `old text gone: ${old}`);
    }
    assert.equal(englishOf(read(reviewFile), '461facee'), '## No war for Ukraine');
  } finally {
    project.cleanup();
  }
});

test('build refuses to overwrite a review file with edits not imported; output/ stays as it was; --force overwrites', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    const editedFile = setEnglish(read(reviewFile), 'aa2a0559', 'An edit nobody imported.');
    writeFileSync(reviewFile, editedFile);
    const out = path.join(project.dir, 'output');
    const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
    const before = snapshot(out);
    const memoryBefore = readFileSync(memoryFile, 'utf8');
    await assert.rejects(build(config, { engine: undefined, log: log() }), (error: unknown) => {
      assert.ok(error instanceof UnimportedEditsError);
      assert.equal(error.exitCode, 2);
      assert.match(
        error.message,
        new RegExp(
          `output/${ARTICLE}\\.review\\.md: 1 edit not imported \\(line ${lineOf(read(reviewFile), (l) => l === 'An edit nobody imported.')}\\)`,
        ),
      );
      assert.match(error.hint ?? '', /diglot review import/);
      assert.match(error.hint ?? '', /--force/);
      return true;
    });
    assert.deepEqual(snapshot(out), before, 'nothing in output/ changed');
    assert.equal(readFileSync(memoryFile, 'utf8'), memoryBefore);

    // Without the review state the edit is still found, by comparing with the memory.
    rmSync(path.join(out, REVIEW_STATE_DIR), { recursive: true });
    await assert.rejects(build(config, { engine: undefined, log: log() }), UnimportedEditsError);

    const forcedLog = log();
    const forced = await build(config, { engine: undefined, log: forcedLog, force: true, now: () => '2026-11-30T10:58:03.123Z' });
    assert.equal(forced.exitCode, 0);
    assert.doesNotMatch(read(reviewFile), /An edit nobody imported/);
    // The edits --force wrote over are named, file and line, and kept in a copy.
    const copy = `output/.overwritten/${ARTICLE}.20261130T105803Z.review.md`;
    assert.deepEqual(
      forcedLog.lines.filter((l) => l.level === 'warn').map((l) => l.message),
      [
        `output/${ARTICLE}.review.md: held 1 edit (line ${lineOf(editedFile, (l) => l === 'An edit nobody imported.')}) not imported; ` +
          `--force writes the file anew without them, kept as ${copy} (\`diglot review import ${copy}\` stores them)`,
      ],
    );
    assert.equal(read(path.join(project.dir, copy)), editedFile);
    // The copy's edit is importable, and the next build carries it.
    const imported = await importReviews(config, [{ path: path.join(project.dir, copy), display: copy }], { log: log() });
    assert.deepEqual(
      imported.flatMap((r) => r.changes.map((c) => c.segment.id)),
      ['aa2a0559'],
    );
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    assert.match(read(reviewFile), /An edit nobody imported/);
    // Another forced build in the same second keeps its own copy.
    writeFileSync(reviewFile, setEnglish(read(reviewFile), 'aa2a0559', 'A second edit nobody imported.'));
    await build(config, { engine: undefined, log: log(), force: true, now: () => '2026-11-30T10:58:03.900Z' });
    assert.match(read(path.join(project.dir, copy)), /An edit nobody imported/);
    assert.match(read(path.join(project.dir, copy.replace('Z.review.md', 'Z-2.review.md'))), /A second edit nobody imported/);
  } finally {
    project.cleanup();
  }
});

test('a file that differs from the record but matches the memory holds nothing to lose (a run stopped before the state was written)', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    const record = recordPath(path.join(project.dir, 'output'), path.basename(reviewFile));
    const state = read(record);
    writeFileSync(reviewFile, setEnglish(read(reviewFile), 'aa2a0559', 'Reviewed elsewhere and imported.'));
    assert.equal((await importAll(config)).flatMap((r) => r.changes).length, 1);
    assert.notEqual(read(record), state, "the import wrote the file's record anew");
    // The review file now differs from the old record, and the memory holds the same English.
    writeFileSync(record, state);
    const result = await build(config, { engine: undefined, log: log() });
    assert.equal(result.exitCode, 0);
    // Re-wrapping a paragraph or touching the findings is no edit either.
    const text = read(reviewFile);
    writeFileSync(reviewFile, text.replace('Reviewed elsewhere and imported.', 'Reviewed elsewhere\n   and imported.'));
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
  } finally {
    project.cleanup();
  }
});

test('edits to the German, to ids, or added and deleted pairs are refused with their lines; nothing of that file is imported', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
    const memoryBefore = readFileSync(memoryFile, 'utf8');
    const original = read(reviewFile);
    const withEnglish = setEnglish(original, 'c863f044', 'An English edit in the same file.');

    const german = withEnglish.replace('> Es war zu erwarten, dass die NATO', '> Es war zu befürchten, dass die NATO');
    writeFileSync(reviewFile, german);
    let [result] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log() });
    const germanLine = lineOf(german, (l) => l.startsWith('> Es war zu befürchten'));
    assert.deepEqual(
      result?.problems.map((p) => p.line),
      [germanLine],
    );
    assert.match(result?.problems[0]?.message ?? '', /the German of segment 600cadbe was edited; only the English may change/);
    assert.deepEqual(result?.changes, []);
    assert.equal(readFileSync(memoryFile, 'utf8'), memoryBefore, 'nothing imported');

    const id = withEnglish.replace('<!-- segment aa2a0559 ', '<!-- segment aa2a0560 ');
    writeFileSync(reviewFile, id);
    [result] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log() });
    const idLine = lineOf(id, (l) => l.startsWith('<!-- segment aa2a0560'));
    assert.deepEqual(
      result?.problems.map((p) => [p.line, /aa2a0560 is not one diglot wrote|aa2a0559 .* was deleted/.test(p.message)]),
      [
        [idLine, true],
        [lineOf(id, (l) => l.startsWith('<!-- segment 7196d3a2')), true],
      ],
    );

    const start = withEnglish.indexOf('<!-- segment 7196d3a2');
    const end = withEnglish.indexOf('<!-- segment ', start + 10);
    const deleted = withEnglish.slice(0, start) + withEnglish.slice(end);
    writeFileSync(reviewFile, deleted);
    [result] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log() });
    assert.equal(result?.problems.length, 1);
    assert.match(result?.problems[0]?.message ?? '', /segment 7196d3a2 .* was deleted before this line; pairs may not be deleted/);

    // Cut off after the pair before 7196d3a2 (an editor that crashed saving): the pairs missing are named at the file's end.
    const cut = `${withEnglish.slice(0, start).trimEnd()}\n`;
    writeFileSync(reviewFile, cut);
    [result] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log() });
    const lastLine = cut.trimEnd().split('\n').length;
    assert.ok((result?.problems.length ?? 0) > 1);
    for (const p of result?.problems ?? []) {
      assert.equal(p.line, lastLine, p.message);
      assert.match(p.message, /is missing after the file's last line: the file ends early \(cut off\?\), or the pair was deleted/);
    }
    assert.match(result?.problems[0]?.message ?? '', /^segment 7196d3a2 /);

    const added = withEnglish.replace('<!-- segment 7196d3a2', `${withEnglish.slice(start, end)}<!-- segment 7196d3a2`);
    writeFileSync(reviewFile, added);
    [result] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log() });
    assert.match(result?.problems[0]?.message ?? '', /segment 7196d3a2 appears twice/);

    const stray = withEnglish.replace(
      '<!-- /segment -->\n\n<!-- segment 600cadbe',
      '<!-- /segment -->\n\nA note of mine.\n\n<!-- segment 600cadbe',
    );
    writeFileSync(reviewFile, stray);
    [result] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log() });
    assert.deepEqual(
      result?.problems.map((p) => p.line),
      [lineOf(stray, (l) => l === 'A note of mine.')],
    );
    assert.match(result?.problems[0]?.message ?? '', /text outside a pair/);

    // A pair whose markers were broken (its closing line gone, its EN marker written otherwise) is said so, not "deleted".
    const unclosed = withEnglish.replace(/(<!-- segment 7196d3a2[\s\S]*?)<!-- \/segment -->/, '$1');
    const renamed = withEnglish.replace(/(<!-- segment 7196d3a2[\s\S]*?)<!-- EN -->/, '$1<!-- en -->');
    for (const [broken, said] of [
      [unclosed, /segment 7196d3a2 \(line \d+\) has no closing "<!-- \/segment -->" line/],
      [renamed, /segment 7196d3a2 \(line \d+\) has no EN marker before this line/],
    ] as const) {
      writeFileSync(reviewFile, broken);
      [result] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log() });
      const messages = result?.problems.map((p) => p.message) ?? [];
      assert.ok(
        messages.some((m) => said.test(m)),
        messages.join('\n'),
      );
      assert.ok(!messages.some((m) => /was deleted/.test(m)), messages.join('\n'));
    }

    const empty = setEnglish(original, '600cadbe', '');
    writeFileSync(reviewFile, empty);
    [result] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log() });
    assert.match(result?.problems[0]?.message ?? '', /English of segment 600cadbe is empty/);

    // Several problems of several kinds in one file: each named in one run, in the order of the lines.
    const many = setEnglish(setEnglish(german, 'aa2a0559', ''), 'c863f044', 'A first paragraph.\n\nAnd a second one.');
    writeFileSync(reviewFile, many);
    [result] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log() });
    const messages = result?.problems.map((p) => p.message) ?? [];
    assert.equal(messages.length, 3, messages.join('\n'));
    assert.ok(messages.some((m) => /c863f044: the English has a blank line/.test(m)));
    assert.ok(messages.some((m) => /the German of segment 600cadbe was edited/.test(m)));
    assert.ok(messages.some((m) => /English of segment aa2a0559 is empty/.test(m)));
    const lines = result?.problems.map((p) => p.line) ?? [];
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    );

    assert.equal(readFileSync(memoryFile, 'utf8'), memoryBefore, 'nothing imported from any of these');
    // And build will not overwrite a file with such changes either.
    writeFileSync(reviewFile, german);
    await assert.rejects(build(config, { engine: undefined, log: log() }), /1 change that cannot be imported/);
  } finally {
    project.cleanup();
  }
});

test('a review file saved with old Mac line ends (CR alone) is read as the file it is', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    writeFileSync(reviewFile, setEnglish(read(reviewFile), 'c863f044', 'An English edit saved on an old Mac.').replace(/\n/g, '\r'));
    const [result] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log() });
    assert.deepEqual(result?.problems, []);
    assert.deepEqual(
      result?.changes.map((c) => [c.segment.id, c.target]),
      [['c863f044', 'An English edit saved on an old Mac.']],
    );
  } finally {
    project.cleanup();
  }
});

test('approval: "approved" in the segment line sets the status; the text stays', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    let text = read(reviewFile).replace(
      '<!-- segment 600cadbe · paragraph · line 3 · reviewed (human) -->',
      '<!-- segment 600cadbe · paragraph · line 3 · approved -->',
    );
    text = setEnglish(
      text.replace(
        '<!-- segment aa2a0559 · paragraph · line 5 · reviewed (human) -->',
        '<!-- segment aa2a0559 · paragraph · line 5 · Approved -->',
      ),
      'aa2a0559',
      'Edited and approved at once.',
    );
    writeFileSync(reviewFile, text);
    const changes = (await importAll(config)).flatMap((r) => r.changes);
    assert.deepEqual(
      changes.map((c) => [c.segment.id, c.kind, c.status]),
      [
        ['600cadbe', 'approved', 'approved'],
        ['aa2a0559', 'edited', 'approved'],
      ],
    );
    const memory = await memoryOf(project.dir);
    const approved = memory.lookup(changes[0]?.segment.source ?? '', config.targetLang);
    assert.equal(approved?.status, 'approved');
    assert.equal(approved?.origin, 'human');
    assert.equal(approved?.history, undefined, 'an approval keeps the text: no history item');
    assert.equal(memory.lookup(changes[1]?.segment.source ?? '', config.targetLang)?.history?.length, 1);
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    assert.match(read(reviewFile), /<!-- segment 600cadbe · paragraph · line 3 · approved -->/);

    // Taking the approval back makes it reviewed again.
    writeFileSync(
      reviewFile,
      read(reviewFile).replace(
        '<!-- segment 600cadbe · paragraph · line 3 · approved -->',
        '<!-- segment 600cadbe · paragraph · line 3 · reviewed -->',
      ),
    );
    const back = (await importAll(config)).flatMap((r) => r.changes);
    assert.deepEqual(
      back.map((c) => [c.segment.id, c.kind, c.status]),
      [['600cadbe', 'unapproved', 'reviewed']],
    );

    // An English edited under an approval written before: that approval was of the old English, so it is withdrawn.
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    assert.match(read(reviewFile), /<!-- segment aa2a0559 · paragraph · line 5 · approved -->/);
    writeFileSync(reviewFile, setEnglish(read(reviewFile), 'aa2a0559', 'Edited after its approval.'));
    const edited = (await importAll(config)).flatMap((r) => r.changes);
    assert.deepEqual(
      edited.map((c) => [c.segment.id, c.kind, c.status, c.before?.status]),
      [['aa2a0559', 'edited', 'reviewed', 'approved']],
    );
    assert.equal((await memoryOf(project.dir)).lookup(edited[0]?.segment.source ?? '', config.targetLang)?.status, 'reviewed');
  } finally {
    project.cleanup();
  }
});

test('approval with the origin left in brackets counts; a status diglot does not know refuses the file at its line', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    const original = read(reviewFile);
    const lineOfSegment = (text: string, id: string): number => text.split('\n').findIndex((l) => l.includes(`segment ${id} `)) + 1;

    // "approved" typed over "reviewed" alone, the origin left as it was.
    writeFileSync(reviewFile, original.replace('line 3 · reviewed (human) -->', 'line 3 · approved (human) -->'));
    assert.deepEqual(
      (await importAll(config)).flatMap((r) => r.changes).map((c) => [c.segment.id, c.kind, c.status]),
      [['600cadbe', 'approved', 'approved']],
    );
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);

    // A mistyped status is no "nothing changed": the file is refused, naming the line and the word meant.
    const typo = read(reviewFile).replace('line 5 · reviewed (human) -->', 'line 5 · aproved -->');
    writeFileSync(reviewFile, typo);
    const [refused] = (await importAll(config)).filter((r) => r.problems.length > 0);
    assert.deepEqual(
      refused?.problems.map((p) => [p.line, p.message]),
      [
        [
          lineOfSegment(typo, 'aa2a0559'),
          'segment aa2a0559: "aproved" is no status (did you mean approved?); write approved to approve the pair, or leave the status as diglot wrote it',
        ],
      ],
    );
    assert.deepEqual(refused?.changes, []);
  } finally {
    project.cleanup();
  }
});

test('.txt English is unescaped to plain text; .md English is kept as inline Markdown on one line; a missing translation can be written', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    writeFileSync(path.join(project.dir, 'sources', 'neu.md'), '# Neuer Artikel\n\nEin Absatz mit *Betonung*\nüber zwei Zeilen.\n');
    writeFileSync(path.join(project.dir, 'sources', 'roh.txt'), 'Ein Preis von 5 * 3 Euro [sic] & mehr.\n');
    const first = await build(config, { engine: undefined, log: log() });
    assert.equal(first.exitCode, 1, 'three segments have no translation');
    const out = path.join(project.dir, 'output');
    const md = path.join(out, 'neu.review.md');
    const txt = path.join(out, 'roh.review.md');
    const [title, paragraph] = segmentIds(read(md));
    assert.match(read(md), /<!-- missing: no translation yet/);
    // The title's English written on the marker's line, as the marker says: the marker is no part of it.
    const marker = '<!-- missing: no translation yet; write the English here -->';
    const onMarker = read(md).replace(marker, `${marker} # A new article`);
    assert.notEqual(onMarker, read(md));
    assert.ok(segmentIds(read(md))[0] === title, 'the title is the first pair');
    writeFileSync(md, setEnglish(onMarker, paragraph as string, 'A paragraph with *emphasis*\n   across two lines.'));
    const [only] = segmentIds(read(txt));
    writeFileSync(txt, setEnglish(read(txt), only as string, 'A price of 5 \\* 3 euros \\[sic\\] &amp; more.'));

    const changes = (await importAll(config)).flatMap((r) => r.changes);
    assert.deepEqual(
      changes.map((c) => [c.kind, c.target]),
      [
        ['translated', 'A new article'],
        ['translated', 'A paragraph with *emphasis* across two lines.'],
        ['translated', 'A price of 5 * 3 euros [sic] & more.'],
      ],
    );
    const memory = await memoryOf(project.dir);
    assert.equal(memory.lookup('Ein Preis von 5 * 3 Euro [sic] & mehr.', config.targetLang)?.history, undefined);
    const rebuilt = await build(config, { engine: undefined, log: log() });
    assert.equal(rebuilt.exitCode, 0, 'every article complete now');
    assert.match(read(path.join(out, 'neu.en.md')), /^# A new article\n\nA paragraph with \*emphasis\* across two lines\.\n$/);
    assert.match(read(path.join(out, 'roh.en.md')), /A price of 5 \\\* 3 euros \\\[sic\] & more\./);
    assert.match(epubText(path.join(out, 'edition.en.epub')), /A paragraph with <em>emphasis<\/em> across two lines\./);
    // The rewritten files import as unchanged.
    assert.equal((await importAll(config)).flatMap((r) => r.changes).length, 0);
  } finally {
    project.cleanup();
  }
});

test("a slightly changed German paragraph shows the earlier version's translation as a fuzzy match with a word diff", async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const source = path.join(project.dir, 'sources', `${ARTICLE}.txt`);
    writeFileSync(
      source,
      read(source).replace('Die Verlegung von ein paar Tausend Soldaten', 'Die Verlegung von einigen Tausend Soldaten'),
    );
    const result = await build(config, { engine: undefined, log: log() });
    assert.equal(result.exitCode, 1, 'the changed paragraph has no translation');
    const review = read(path.join(project.dir, 'output', `${ARTICLE}.review.md`));
    const pair = review.slice(
      review.indexOf('> Noch ist das Signal'),
      review.indexOf('<!-- /segment -->', review.indexOf('> Noch ist das Signal')),
    );
    assert.match(
      pair,
      /^> ≈ \*\*fuzzy match 9\d%\*\*, German earlier → now: Noch ist das Signal .* Die Verlegung von ~~ein paar~~ \*\*einigen\*\* Tausend Soldaten/m,
    );
    assert.match(
      pair,
      /^> ≈ \*English of the earlier German \(reviewed, human\):\* For now, the signal is more political than military in nature\./m,
    );
    assert.match(pair, /<!-- EN -->\n\n<!-- missing/);
    // Another pair of the article edited and imported, and built: the match stays until its own pair is reviewed.
    const file = path.join(project.dir, 'output', `${ARTICLE}.review.md`);
    writeFileSync(file, setEnglish(review, 'c863f044', 'Another pair, edited meanwhile.'));
    assert.equal((await importAll(config)).flatMap((r) => r.changes).length, 1);
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 1);
    assert.match(read(file), /^> ≈ \*\*fuzzy match 9\d%\*\*, German earlier → now: Noch ist das Signal/m);
    // The fuzzy lines are information only: the file still imports, and a translation written under EN goes in.
    const id = segmentIds(review).find((i) => review.includes(`<!-- segment ${i} · paragraph · line 5 `)) as string;
    writeFileSync(
      file,
      setEnglish(
        read(file),
        id,
        'For now, the signal is more political than military. Moving several thousand soldiers would not be nearly enough.',
      ),
    );
    const changes = (await importAll(config)).flatMap((r) => r.changes);
    assert.deepEqual(
      changes.map((c) => c.kind),
      ['translated'],
    );
    const html = read(path.join(project.dir, 'output', 'review', `${ARTICLE}.html`));
    assert.match(html, /≈ 9\d% match/);
    assert.match(html, /<del>ein paar<\/del> <ins>einigen<\/ins>/);
  } finally {
    project.cleanup();
  }
});

test("a paragraph changed in one article is a fuzzy match there only: another article's similar draft gets none, and is kept as it was", async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const sentence = (n: number, how = 'wäre nicht genug') => `Die Verlegung von ein paar Tausend Soldaten ${how}, schreibt Bericht ${n}.`;
    const draft = (source: string): MemoryEntry => machineDraft(source, config.targetLang);
    (await memoryOf(project.dir)).append([draft(sentence(16)), draft(sentence(24))]);
    writeFileSync(path.join(project.dir, 'sources', 'quelle.txt'), `${sentence(16)}\n`);
    writeFileSync(path.join(project.dir, 'sources', 'kopie.txt'), `${sentence(24)}\n`);
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    const kopie = path.join(project.dir, 'output', 'kopie.review.md');
    const before = read(kopie);

    writeFileSync(path.join(project.dir, 'sources', 'quelle.txt'), `${sentence(16, 'wäre bei Weitem nicht genug')}\n`);
    const rebuilt = await build(config, { engine: undefined, log: log() });
    assert.equal(rebuilt.exitCode, 1, 'the changed paragraph has no translation');
    assert.match(
      read(path.join(project.dir, 'output', 'quelle.review.md')),
      /≈ \*\*fuzzy match \d+%\*\*, German earlier → now: .*Bericht 16/,
    );
    assert.equal(read(kopie), before, 'the other article has no earlier version of its paragraph: no match, not written again');
    // Kept: every article but the changed one and the one before it, whose page names it (its title changed).
    assert.equal(rebuilt.kept, 5);
  } finally {
    project.cleanup();
  }
});

test('fuzzy matching stays fast for thousands of segments and memory entries', () => {
  const words = Array.from({ length: 4000 }, (_, i) => `wort${i.toString(36)}`);
  const sentence = (seed: number, length = 30): string => {
    // mulberry32: a small seeded generator, so the corpus is the same every run.
    let state = seed + 0x6d2b79f5;
    const next = (): number => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    return `${Array.from({ length }, () => words[Math.floor(next() * words.length)]).join(' ')}.`;
  };
  const entries: MemoryEntry[] = Array.from({ length: 5000 }, (_, i) => ({
    source: sentence(i),
    target: `English ${i}`,
    lang: 'en-US',
    origin: 'human',
    status: 'reviewed',
    created: 'x',
    updated: 'x',
  }));
  const segments = Array.from({ length: 3000 }, (_, i) => {
    // Every third paragraph is an edited version of an old one; the rest are new.
    const text = i % 3 === 0 ? sentence(i).replace(/^\S+/, 'Geändert') : sentence(i + 100_000);
    return {
      segment: { id: `s${i}`, docId: 'd', source: text, key: normalise(text), plain: text, markdown: false } as Segment,
      target: undefined,
      origin: undefined,
      status: undefined,
      billedCharacters: 0,
    };
  });
  const article = { article: { doc: { id: 'd' }, segments: [], dropped: [] }, segments } as unknown as TranslatedArticle;
  const started = performance.now();
  const matches = new FuzzyMatcher(entries, new Set(segments.map((t) => normalise(t.segment.source))), 'en-US').matchArticle(article);
  const ms = performance.now() - started;
  assert.equal(matches?.size, 1000);
  assert.equal(matches?.get('s3')?.target, 'English 3');
  assert.ok((matches?.get('s3')?.similarity ?? 0) > 0.9);
  assert.ok(ms < 5000, `${Math.round(ms)} ms`);
});

test('an import that finds no edit writes nothing, with or without the record of the last build', async () => {
  const project = await builtSample();
  try {
    const { config } = project;
    const out = path.join(project.dir, 'output');
    const stampOf = (file: string): string => {
      const s = statSync(file);
      return `${s.ino} ${s.size} ${s.mtimeMs}`;
    };
    const record = recordPath(out, path.basename(project.reviewFile));
    const untouched = [record, path.join(project.dir, 'memory', 'memory.jsonl')];
    const before = untouched.map(stampOf);
    const files = (await defaultReviewFiles(config)).length;
    assert.ok(files > 1);

    // Every review file as the build left it (by its stamp against the build's record).
    const results = await importAll(config);
    assert.equal(results.length, files);
    assert.deepEqual(
      results.filter((r) => r.changes.length > 0 || r.problems.length > 0),
      [],
    );
    assert.deepEqual(untouched.map(stampOf), before, 'neither the review state nor the memory is written');

    // Without the record (a build that left gaps keeps none), each file is told unchanged by its hash.
    rmSync(path.join(out, LAST_BUILD_FILE));
    assert.deepEqual(
      (await importAll(config)).filter((r) => r.changes.length > 0 || r.problems.length > 0),
      [],
    );
    assert.deepEqual(untouched.map(stampOf), before);

    // An edit is imported as ever, and recorded.
    writeFileSync(
      project.reviewFile,
      setEnglish(read(project.reviewFile), '600cadbe', 'NATO was always going to reinforce its eastern flank.'),
    );
    const imported = (await importAll(config)).flatMap((r) => r.changes);
    assert.deepEqual(
      imported.map((c) => [c.kind, c.segment.id]),
      [['edited', '600cadbe']],
    );
    assert.notEqual(stampOf(record), before[0], "the file's review state record records the import");
    assert.deepEqual(
      (await importAll(config)).flatMap((r) => r.changes),
      [],
      'and the next import finds nothing',
    );
  } finally {
    project.cleanup();
  }
});

test('a project built before the review state had a folder: its single state file is read, and the next build moves it', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    const out = path.join(project.dir, 'output');
    // The records as the single state file held them.
    const folder = path.join(out, REVIEW_STATE_DIR);
    const files: Record<string, FileRecord> = {};
    for (const n of readdirSync(folder)) files[n.slice(0, -'.json'.length)] = JSON.parse(read(path.join(folder, n))) as FileRecord;
    writeFileSync(path.join(out, OLD_STATE_FILE), JSON.stringify({ version: 1, files }));
    rmSync(folder, { recursive: true });
    rmSync(path.join(out, LAST_BUILD_FILE));

    // The review app saved another English for one pair since the file was written: only the old
    // record tells that the file's English of it is no reviewer's edit.
    const saved = files[path.basename(reviewFile)]?.segments.find((s) => s.id === 'aa2a0559');
    assert.ok(saved);
    const memory = await memoryOf(project.dir);
    const entry = memory.lookup(saved.source, 'en-US') as MemoryEntry;
    memory.append([{ ...entry, target: 'Saved in the review app.', origin: 'human', updated: '2029-01-01T00:00:00Z' }]);

    writeFileSync(reviewFile, setEnglish(read(reviewFile), '600cadbe', 'NATO was always going to reinforce its eastern flank.'));
    const imported = (await importAll(config)).flatMap((r) => r.changes);
    assert.deepEqual(
      imported.map((c) => [c.kind, c.segment.id]),
      [['edited', '600cadbe']],
      'the other pair keeps the English saved in the app',
    );
    assert.equal((await memoryOf(project.dir)).lookup(saved.source, 'en-US')?.target, 'Saved in the review app.');

    const result = await build(config, { engine: undefined, log: log() });
    assert.equal(result.exitCode, 0);
    assert.equal(existsSync(path.join(out, OLD_STATE_FILE)), false);
    assert.deepEqual(
      readdirSync(folder).sort(),
      Object.keys(files)
        .map((n) => `${n}.json`)
        .sort(),
      'every record is in the folder',
    );
  } finally {
    project.cleanup();
  }
});

test('a copy of a review file older than the memory (sent back by mail, or an old buffer saved over it) restores no English it shows from before: the memory keeps the newer, and the import says so', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    const { copy, mailed } = mailedCopy(project);
    writeFileSync(copy, mailed);
    // In output/: one pair edited, imported and built (the file now shows that English).
    writeFileSync(reviewFile, setEnglish(read(reviewFile), '600cadbe', 'A newer English, reviewed here.'));
    const [newer] = (await importAll(config, '2030-01-01T00:00:00Z')).flatMap((r) => r.changes);
    assert.equal(newer?.segment.id, '600cadbe');
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);

    // The mailed copy comes back with another pair edited; its 600cadbe still shows the English from before.
    writeFileSync(copy, setEnglish(mailed, 'aa2a0559', 'The edit made in the mailed copy.'));
    const [result] = await importReviews(config, [{ path: copy, display: 'mail/copy' }], {
      log: log(),
      now: () => '2030-01-02T00:00:00Z',
    });
    assert.deepEqual(result?.problems, []);
    assert.deepEqual(
      result?.changes.map((c) => c.segment.id),
      ['aa2a0559'],
    );
    assert.equal(result?.earlier?.length, 1);
    assert.match(
      result?.earlier?.[0]?.message ?? '',
      /600cadbe shows an English the memory replaced since \(now: "A newer English, reviewed here\."/,
    );
    const memory = await memoryOf(project.dir);
    const englishIn = async (change: { segment: { source: string } } | undefined): Promise<string | undefined> =>
      (await memoryOf(project.dir)).lookup(change?.segment.source ?? '', config.targetLang)?.target;
    assert.equal(memory.size > 0, true);
    assert.equal(await englishIn(newer), 'A newer English, reviewed here.');
    assert.equal(await englishIn(result?.changes[0]), 'The edit made in the mailed copy.');

    // The same old file saved over the one in output/ (which the last build wrote with the newer English): an old
    // buffer, or a reviewer going back to the English from before? Nothing is decided unasked: the file is refused,
    // and the build does not write over it; --force does, keeping a copy.
    writeFileSync(reviewFile, mailed);
    const again = await importAll(config, '2030-01-03T00:00:00Z');
    assert.deepEqual(
      again.flatMap((r) => r.changes),
      [],
    );
    assert.match(
      again
        .flatMap((r) => r.problems)
        .map((m) => m.message)
        .join('\n'),
      /^segment 600cadbe shows an English the memory held before \(now: "A newer English, reviewed here\.".*import with --overwrite.*build --force/,
    );
    assert.equal(await englishIn(newer), 'A newer English, reviewed here.');
    await assert.rejects(build(config, { engine: undefined, log: log() }), UnimportedEditsError);
    assert.equal((await build(config, { engine: undefined, log: log(), force: true })).exitCode, 0);
    assert.equal(readdirSync(path.join(project.dir, 'output', '.overwritten')).filter((n) => !n.startsWith('.')).length, 1);

    // --overwrite brings the file's English back, as for any conflict.
    const [overwritten] = await importReviews(config, [{ path: copy, display: 'mail/copy' }], {
      log: log(),
      now: () => '2030-01-04T00:00:00Z',
      overwrite: true,
    });
    assert.deepEqual(
      overwritten?.changes.map((c) => c.segment.id),
      ['600cadbe'],
    );
    assert.notEqual(await englishIn(newer), 'A newer English, reviewed here.');
  } finally {
    project.cleanup();
  }
});

test('a copy mailed while a pair was a machine draft, whose pair was reviewed in the file since: its other edit of that pair is a conflict, not a silent replacement; --overwrite takes it', async () => {
  const { project } = await machineDraftSample();
  try {
    const { config, reviewFile } = project;
    const { copy, mailed } = mailedCopy(project);
    // In output/: the machine draft edited (so reviewed) and imported.
    writeFileSync(reviewFile, setEnglish(read(reviewFile), '600cadbe', 'The English reviewed here.'));
    assert.equal((await importAll(config, '2030-01-01T00:00:00Z')).flatMap((r) => r.changes).length, 1);
    // The mailed copy, still showing the machine draft, comes back with the same pair edited otherwise.
    writeFileSync(copy, setEnglish(mailed, '600cadbe', 'The English edited in the mailed copy.'));
    const importCopy = (overwrite: boolean) =>
      importReviews(config, [{ path: copy, display: 'mail/copy' }], { log: log(), now: () => '2030-01-02T00:00:00Z', overwrite });
    const [refused] = await importCopy(false);
    assert.deepEqual(refused?.changes, []);
    assert.match(
      refused?.problems.map((p) => p.message).join('\n') ?? '',
      /^segment 600cadbe: this copy shows it "machine", and its English in the memory was reviewed since \(now: "The English reviewed here\."/,
    );
    const english = async (): Promise<string | undefined> => {
      const record = JSON.parse(read(recordPath(path.join(project.dir, 'output'), path.basename(reviewFile)))) as FileRecord;
      const key = record.segments.find((s) => s.id === '600cadbe')?.source ?? '';
      return (await memoryOf(project.dir)).lookup(key, config.targetLang)?.target;
    };
    assert.equal(await english(), 'The English reviewed here.');
    const [taken] = await importCopy(true);
    assert.deepEqual(
      taken?.changes.map((c) => c.segment.id),
      ['600cadbe'],
    );
    assert.equal(await english(), 'The English edited in the mailed copy.');
  } finally {
    project.cleanup();
  }
});

test('a copy older than an approval (mailed before it) keeps the approval: its status line is no withdrawal, the import warns at it; --overwrite withdraws it', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    const { copy, mailed } = mailedCopy(project);
    const approve = (text: string, id: string): string => {
      const approved = text.replace(new RegExp(`(<!-- segment ${id} · .*· )reviewed \\(human\\)( -->)`), '$1approved$2');
      assert.notEqual(approved, text, `segment ${id} is reviewed (human) in the sample`);
      return approved;
    };
    // In output/: a pair approved and imported (no build since: the file there says approved).
    writeFileSync(reviewFile, approve(read(reviewFile), '600cadbe'));
    const [approval] = (await importAll(config, '2030-01-01T00:00:00Z')).flatMap((r) => r.changes);
    assert.equal(approval?.kind, 'approved');
    const status = async (): Promise<string | undefined> =>
      (await memoryOf(project.dir)).lookup(approval?.segment.source ?? '', config.targetLang)?.status;
    assert.equal(await status(), 'approved');

    // The mailed copy comes back with another pair edited; its 600cadbe still says reviewed (human).
    writeFileSync(copy, setEnglish(mailed, 'aa2a0559', 'The edit made in the mailed copy.'));
    const [result] = await importReviews(config, [{ path: copy, display: 'mail/copy' }], { log: log(), now: () => '2030-01-02T00:00:00Z' });
    assert.deepEqual(result?.problems, []);
    assert.deepEqual(
      result?.changes.map((c) => [c.segment.id, c.kind]),
      [['aa2a0559', 'edited']],
    );
    assert.match(
      result?.earlier?.[0]?.message ?? '',
      /600cadbe shows the status "reviewed", the memory's is now approved .*status is kept/,
    );
    assert.equal(await status(), 'approved', 'the approval is kept');

    const [overwritten] = await importReviews(config, [{ path: copy, display: 'mail/copy' }], {
      log: log(),
      now: () => '2030-01-03T00:00:00Z',
      overwrite: true,
    });
    assert.deepEqual(
      overwritten?.changes.map((c) => [c.segment.id, c.kind]),
      [['600cadbe', 'unapproved']],
    );
    assert.notEqual(await status(), 'approved');
  } finally {
    project.cleanup();
  }
});

test('an approval in a file that shows an English the memory replaced since (saved in the app, imported from a copy) is refused: it would approve an English the reviewer has not seen', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    // Another reviewer's English for 600cadbe comes in from a copy; output/'s file still shows the one before.
    await importFromCopy(project, '600cadbe', 'The English another reviewer wrote.');
    const approved = read(reviewFile).replace(/(<!-- segment 600cadbe · .*· )reviewed \(human\)( -->)/, '$1approved$2');
    assert.notEqual(approved, read(reviewFile));
    writeFileSync(reviewFile, approved);
    const [refused] = await importAll(config, '2030-01-02T00:00:00Z');
    assert.deepEqual(refused?.changes, []);
    assert.match(
      refused?.problems.map((p) => p.message).join('\n') ?? '',
      /segment 600cadbe approves an English the memory no longer holds \(now: "The English another reviewer wrote\.", human/,
    );
    const entry = [...(await memoryOf(project.dir)).entriesIn(config.targetLang)].find((e) => e.target.startsWith('The English another'));
    assert.equal(entry?.target, 'The English another reviewer wrote.');
    assert.notEqual(entry?.status, 'approved');

    // Built, the file shows the memory's English: approved there, it is.
    assert.equal((await build(config, { engine: undefined, log: log(), force: true })).exitCode, 0);
    writeFileSync(reviewFile, read(reviewFile).replace(/(<!-- segment 600cadbe · .*· )reviewed \(human\)( -->)/, '$1approved$2'));
    const [accepted] = await importAll(config, '2030-01-03T00:00:00Z');
    assert.deepEqual(
      accepted?.changes.map((c) => [c.segment.id, c.kind, c.target]),
      [['600cadbe', 'approved', 'The English another reviewer wrote.']],
    );
  } finally {
    project.cleanup();
  }
});

test('a review mark (machine → reviewed) in a file whose English the memory replaced since is refused as such, not as a status diglot did not write', async () => {
  const { project, machine } = await machineDraftSample();
  try {
    const { config, reviewFile } = project;
    await importFromCopy(project, '600cadbe', 'Another reviewer’s English.');
    // output/'s file still shows the machine's English under its machine line; the reviewer marks it reviewed.
    writeFileSync(reviewFile, read(reviewFile).replace(machine, machine.replace('machine (deepl)', 'reviewed')));
    const [refused] = await importAll(config, '2030-01-02T00:00:00Z');
    assert.deepEqual(refused?.changes, []);
    const said = refused?.problems.map((p) => p.message).join('\n') ?? '';
    assert.match(said, /segment 600cadbe marks reviewed an English the memory no longer holds \(now: "Another reviewer’s English\."/);
    assert.doesNotMatch(said, /cannot be set here/);
  } finally {
    project.cleanup();
  }
});

test('a copy older than a machine draft marked reviewed keeps the review, with --overwrite too: a status no reviewer sets back is no edit', async () => {
  const project = await builtSample();
  try {
    const { config } = project;
    const german = 'Die Minister reisen am Abend ab.';
    (await memoryOf(project.dir)).append([
      {
        source: german,
        target: 'EN: Die Minister reisen am Abend ab.',
        lang: config.targetLang,
        origin: 'deepl',
        status: 'draft',
        created: '2030-01-01T00:00:00Z',
        updated: '2030-01-01T00:00:00Z',
      },
    ]);
    writeFileSync(path.join(project.dir, 'sources', 'abreise.txt'), `${german}\n`);
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    const file = path.join(project.dir, 'output', 'abreise.review.md');
    const mailed = read(file);
    assert.match(mailed, / · machine \(deepl\) -->/);
    writeFileSync(file, mailed.replace(/ · machine \(deepl\) -->/, ' · reviewed -->'));
    const [marked] = (await importAll(config, '2030-01-02T00:00:00Z')).flatMap((r) => r.changes);
    assert.equal(marked?.kind, 'reviewed');

    mkdirSync(path.join(project.dir, 'mail'));
    const copy = path.join(project.dir, 'mail', 'abreise.review.md');
    writeFileSync(copy, mailed);
    for (const overwrite of [false, true]) {
      const [result] = await importReviews(config, [{ path: copy, display: 'mail/copy' }], { log: log(), overwrite });
      assert.deepEqual(result?.problems, [], `--overwrite ${overwrite}: not refused`);
      assert.deepEqual(result?.changes, []);
      assert.match(result?.earlier?.[0]?.message ?? '', /shows the status "machine", the memory's is now reviewed .*status is kept$/);
      assert.equal((await memoryOf(project.dir)).lookup(german, config.targetLang)?.status, 'reviewed');
    }
  } finally {
    project.cleanup();
  }
});

test("a review file whose source was away during a build is not taken for that build's own: its edit is found once the source is back", async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    writeFileSync(reviewFile, setEnglish(read(reviewFile), '600cadbe', 'Edited while the source was away.'));
    const source = path.join(project.dir, 'sources', `${ARTICLE}.txt`);
    const away = path.join(project.dir, 'away.txt');
    renameSync(source, away);
    // A build of the other articles: nothing to send, nothing missing, so it records what it left.
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    const last = JSON.parse(read(path.join(project.dir, 'output', LAST_BUILD_FILE))) as { unchecked?: string[] };
    assert.deepEqual(last.unchecked, [path.join('output', path.basename(reviewFile))]);
    renameSync(away, source);
    await assert.rejects(build(config, { engine: undefined, log: log() }), UnimportedEditsError);
    const changes = (await importAll(config)).flatMap((r) => r.changes);
    assert.deepEqual(
      changes.map((c) => c.segment.id),
      ['600cadbe'],
    );
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    assert.match(read(reviewFile), /Edited while the source was away\./);
  } finally {
    project.cleanup();
  }
});

test('an English title edited in the head is refused at its line, not lost (the build writes it anew from its pair); a copy whose head is only older imports', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    const original = read(reviewFile);
    const retitled = original.replace(/^- English title: .*$/m, '- English title: The tug of war enters a new round');
    assert.notEqual(retitled, original);
    writeFileSync(reviewFile, setEnglish(retitled, 'aa2a0559', 'An English edit in the same file.'));
    const [result] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log() });
    assert.deepEqual(
      result?.problems.map((p) => p.line),
      [lineOf(retitled, (l) => l.startsWith('- English title:'))],
    );
    assert.match(
      result?.problems[0]?.message ?? '',
      /the English title is the English of segment \w+ \(line \d+\), written here anew by every build: edit it there/,
    );
    // The build names both the edit and the change it cannot import.
    await assert.rejects(build(config, { engine: undefined, log: log() }), (error: unknown) => {
      assert.ok(error instanceof UnimportedEditsError);
      assert.match(error.message, /1 edit not imported \(line \d+\); 1 change that cannot be imported/);
      return true;
    });
    // Other lines of the head (the counts, which change with the memory) are the build's: an older copy's count imports.
    writeFileSync(
      reviewFile,
      setEnglish(original.replace(/^- Segments: .*$/m, '- Segments: 99 · reviewed 99'), 'aa2a0559', 'An English edit in the same file.'),
    );
    assert.deepEqual(
      (await importAll(config)).flatMap((r) => r.changes.map((c) => c.segment.id)),
      ['aa2a0559'],
    );
  } finally {
    project.cleanup();
  }
});

test('a status changed to "reviewed" marks a machine English reviewed as it stands; another status set by hand is refused at its line', async () => {
  const { project, key, machine } = await machineDraftSample();
  try {
    const { config, reviewFile } = project;

    writeFileSync(reviewFile, read(reviewFile).replace(machine, '<!-- segment 600cadbe · paragraph · line 3 · reviewed -->'));
    const [marked] = (await importAll(config)).flatMap((r) => r.changes);
    assert.deepEqual([marked?.segment.id, marked?.kind, marked?.status], ['600cadbe', 'reviewed', 'reviewed']);
    const entry = (await memoryOf(project.dir)).lookup(key ?? '', config.targetLang);
    assert.deepEqual([entry?.origin, entry?.status, entry?.history], ['deepl', 'reviewed', undefined], 'the text and its origin stay');
    // The same file edited again before a build: the pair marked reviewed is no status set by hand now.
    writeFileSync(reviewFile, setEnglish(read(reviewFile), 'c863f044', 'Another edit in the same file.'));
    const [again] = await importAll(config);
    assert.deepEqual(again?.problems, []);
    assert.deepEqual(
      again?.changes.map((c) => c.segment.id),
      ['c863f044'],
    );

    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    const reviewed = '<!-- segment aa2a0559 · paragraph · line 5 · reviewed (human) -->';
    const relabelled = read(reviewFile).replace(reviewed, '<!-- segment aa2a0559 · paragraph · line 5 · missing -->');
    writeFileSync(reviewFile, relabelled);
    const [refused] = await importAll(config);
    assert.deepEqual(
      refused?.problems.map((p) => p.line),
      [lineOf(relabelled, (l) => l.startsWith('<!-- segment aa2a0559'))],
    );
    assert.match(refused?.problems[0]?.message ?? '', /the status "missing" cannot be set here \(diglot wrote "reviewed"\)/);
    // A reviewer's English under the `machine` line it had before their edit (a teammate's file, imported but not built
    // since) is what the memory holds: nothing to import, and no status set by hand.
    writeFileSync(reviewFile, relabelled.replace('line 5 · missing -->', 'line 5 · machine (deepl) -->'));
    const [stale] = await importAll(config);
    assert.deepEqual([stale?.problems, stale?.changes], [[], []]);
  } finally {
    project.cleanup();
  }
});

test("a teammate's review file that shows the memory as a pull left it (their import) holds nothing to import, and the build goes on", async () => {
  const { project, key, machine } = await machineDraftSample();
  try {
    const { config, reviewFile } = project;
    // A teammate reviewed it: the pull brings their memory line, and their review file comes by mail (or git).
    const theirs = 'NATO reinforces its eastern flank, as agreed.';
    rewriteEntry(project.dir, key, (e) => ({
      ...e,
      target: theirs,
      origin: 'human',
      status: 'reviewed',
      updated: '2031-01-01T00:00:00.000Z',
    }));
    const mailed = setEnglish(read(reviewFile), '600cadbe', theirs).replace(
      machine,
      machine.replace('machine (deepl)', 'reviewed (human)'),
    );
    writeFileSync(reviewFile, mailed);

    const [imported] = await importAll(config);
    assert.deepEqual(imported?.problems, []);
    assert.deepEqual(imported?.changes, []);
    const result = await build(config, { engine: undefined, log: log() });
    assert.equal(result.exitCode, 0);
    assert.ok(read(reviewFile).includes(machine.replace('machine (deepl)', 'reviewed (human)')));
    assert.equal(englishOf(read(reviewFile), '600cadbe'), theirs);
    assert.equal((await memoryOf(project.dir)).lookup(key ?? '', config.targetLang)?.target, theirs);
  } finally {
    project.cleanup();
  }
});

test("a reviewer's English the memory lost since the last build (a merge that took the other side) is kept in a copy of the review file, which imports it again", async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
    const before = read(memoryFile);
    const reviewed = 'NATO was always going to reinforce its eastern flank, and it says so.';
    writeFileSync(reviewFile, setEnglish(read(reviewFile), '600cadbe', reviewed));
    assert.equal((await importAll(config)).flatMap((r) => r.changes).length, 1);
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    // A merge resolved by taking the other side: git writes the memory anew, as it was before the import.
    writeFileSync(`${memoryFile}.merged`, before);
    renameSync(`${memoryFile}.merged`, memoryFile);

    const logger = log();
    const result = await build(config, { engine: undefined, log: logger });
    assert.equal(result.exitCode, 0);
    const copy = result.overwritten?.[0]?.copy ?? '';
    assert.deepEqual(result.overwritten, [{ file: path.join('output', `${ARTICLE}.review.md`), copy }]);
    const warnings = logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
    assert.ok(
      warnings.some((w) => w.includes('no longer holds the reviewed English of 1 pair (segment 600cadbe)') && w.includes(copy)),
      warnings.join('\n'),
    );
    assert.notEqual(englishOf(read(reviewFile), '600cadbe'), reviewed, 'the file shows what the memory holds');
    assert.equal(englishOf(read(path.join(project.dir, copy)), '600cadbe'), reviewed);
    // The next build finds nothing lost: the memory was only read, not replaced, since.
    const again = log();
    assert.equal((await build(config, { engine: undefined, log: again, force: true })).overwritten, undefined);
    assert.ok(!again.lines.some((l) => l.message.includes('no longer holds')));

    const [imported] = await importReviews(config, [{ path: path.join(project.dir, copy), display: copy }], { log: log() });
    assert.deepEqual(
      imported?.changes.map((c) => [c.segment.id, c.target, c.status]),
      [['600cadbe', reviewed, 'reviewed']],
    );
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    assert.equal(englishOf(read(reviewFile), '600cadbe'), reviewed);

    // An edit imported but not built yet, then the memory written over in place as the last build left it
    // (same file, same size: `cp` of a saved copy): the file's record says its English was imported.
    const built = read(memoryFile);
    const second = 'For now the signal is political, not military.';
    writeFileSync(reviewFile, setEnglish(read(reviewFile), 'aa2a0559', second));
    assert.equal((await importAll(config)).flatMap((r) => r.changes).length, 1);
    writeFileSync(memoryFile, built);
    const again2 = await build(config, { engine: undefined, log: log() });
    assert.equal(again2.overwritten?.length, 1);
    assert.equal(englishOf(read(path.join(project.dir, again2.overwritten?.[0]?.copy ?? '')), 'aa2a0559'), second);
  } finally {
    project.cleanup();
  }
});

test('a review file saved with decomposed letters (NFD, as some macOS tools write) imports its edit and nothing else', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    // The English title (pair c863f044) with letters that decompose too: the head shows it so.
    writeFileSync(reviewFile, setEnglish(read(reviewFile), 'c863f044', 'Über Zürich'));
    assert.equal((await importAll(config)).flatMap((r) => r.changes).length, 1);
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    assert.match(read(reviewFile), /^- English title: Über Zürich$/m);
    const edited = setEnglish(read(reviewFile), 'aa2a0559', 'Zürich and Gdańsk, edited in a decomposing editor.');
    assert.ok(/[äöüß]/.test(edited), 'the German has letters that decompose');
    writeFileSync(reviewFile, edited.normalize('NFD'));
    const [result] = await importAll(config);
    assert.deepEqual(result?.problems, []);
    assert.deepEqual(
      result?.changes.map((c) => [c.segment.id, c.target]),
      [['aa2a0559', 'Zürich and Gdańsk, edited in a decomposing editor.'.normalize('NFC')]],
    );
  } finally {
    project.cleanup();
  }
});

test("a review file renamed on its way back (as mail clients save attachments, or under another article's name) imports as the file of the source its head names", async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    mkdirSync(path.join(project.dir, 'mail'));
    // Both ways attachments are saved twice: the number before the last extension, or before `.review.md`.
    // And saved under another article's name (a mix-up in the mail): the head's source decides, not the name.
    const other = readdirSync(path.join(project.dir, 'output')).find((n) => n.endsWith('.review.md') && !n.startsWith(ARTICLE));
    assert.ok(other);
    for (const [name, id] of [
      [`${ARTICLE}.review (1).md`, 'aa2a0559'],
      [`${ARTICLE} (1).review.md`, '600cadbe'],
      [other, segmentIds(read(reviewFile)).find((i) => i !== 'aa2a0559' && i !== '600cadbe') as string],
    ] as const) {
      const renamed = path.join(project.dir, 'mail', name);
      writeFileSync(renamed, setEnglish(read(reviewFile), id, `Sent back as ${name}.`));
      const [result] = await importReviews(config, [{ path: renamed, display: `mail/${name}` }], { log: log() });
      assert.deepEqual(result?.problems, [], name);
      assert.deepEqual(
        result?.changes.map((c) => c.segment.id),
        [id],
      );
    }
  } finally {
    project.cleanup();
  }
});

test("a copy sent back after the article's German changed imports its edits of the pairs still there and names the ones whose German is gone", async () => {
  const project = await builtSample();
  try {
    const { config } = project;
    const { copy, mailed } = mailedCopy(project);
    // Meanwhile the editor changes the German of the paragraph of pair 600cadbe, and builds (its translation is missing now).
    const source = path.join(project.dir, 'sources', `${ARTICLE}.txt`);
    const german = read(source);
    // The first words of that pair's German quote, found in the source and changed there.
    const quote = /<!-- segment 600cadbe [^\n]*\n\n> ([^\n]+)/.exec(mailed)?.[1] ?? '';
    const words = quote.split(' ').slice(0, 4).join(' ');
    assert.ok(words.length > 10 && german.includes(words), words);
    const changed = german.replace(words, `${words} nun`);
    assert.notEqual(changed, german);
    writeFileSync(source, changed);
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 1, 'the changed paragraph has no translation yet');
    // The copy comes back with two edits: one of a pair still there, one of the pair whose German changed.
    writeFileSync(
      copy,
      setEnglish(setEnglish(mailed, 'aa2a0559', 'Edited in the mailed copy.'), '600cadbe', 'Edited, but its German is gone.'),
    );
    const [result] = await importReviews(config, [{ path: copy, display: 'mail/copy' }], { log: log() });
    assert.deepEqual(result?.problems, []);
    assert.deepEqual(
      result?.changes.map((c) => c.segment.id),
      ['aa2a0559'],
    );
    assert.equal(result?.earlier?.length, 1);
    assert.match(
      result?.earlier?.[0]?.message ?? '',
      /^segment 600cadbe is no longer in the article \(its German changed since this copy was written\)/,
    );
  } finally {
    project.cleanup();
  }
});

test("an editor's buffer from before the German changed, saved over the review file, imports as such a copy does; what it held is kept", async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    const buffer = read(reviewFile);
    const source = path.join(project.dir, 'sources', `${ARTICLE}.txt`);
    const quote = /<!-- segment 600cadbe [^\n]*\n\n> ([^\n]+)/.exec(buffer)?.[1] ?? '';
    const words = quote.split(' ').slice(0, 4).join(' ');
    writeFileSync(source, read(source).replace(words, `${words} nun`));
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 1, 'the changed paragraph has no translation yet');
    // The editor saves the old buffer, with an edit, over the file the build wrote.
    const saved = setEnglish(setEnglish(buffer, 'aa2a0559', 'Edited in a stale buffer.'), '600cadbe', 'Edited, but its German is gone.');
    writeFileSync(reviewFile, saved);
    // The build reads it as the import does: an edit not imported, nothing that cannot be.
    await assert.rejects(build(config, { engine: undefined, log: log() }), (error: Error) => {
      assert.match(error.message, new RegExp(`output/${ARTICLE}\\.review\\.md: 1 edit not imported \\(line \\d+\\)$`, 'm'));
      return true;
    });
    const [result] = await importReviews(config, [{ path: reviewFile, display: `output/${ARTICLE}.review.md` }], {
      log: log(),
      now: () => '2026-11-30T12:00:00Z',
    });
    assert.deepEqual(result?.problems, []);
    assert.deepEqual(
      result?.changes.map((c) => c.segment.id),
      ['aa2a0559'],
    );
    const copy = `output/.overwritten/${ARTICLE}.20261130T120000Z.review.md`;
    assert.match(result?.earlier?.map((m) => m.message).join('\n') ?? '', new RegExp(`kept as ${copy.replaceAll('.', '\\.')}`));
    assert.equal(read(path.join(project.dir, copy)), saved);
    // The next build writes the file anew, with the edit.
    await build(config, { engine: undefined, log: log() });
    assert.match(read(reviewFile), /Edited in a stale buffer\./);
  } finally {
    project.cleanup();
  }
});

test('a reviewer going back to an English the memory held before is never overwritten unasked: refused until --overwrite takes it', async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    for (const [english, at] of [
      ['Version A.', '2030-01-01T00:00:00Z'],
      ['Version B.', '2030-01-02T00:00:00Z'],
    ] as const) {
      writeFileSync(reviewFile, setEnglish(read(reviewFile), 'aa2a0559', english));
      assert.equal((await importAll(config, at)).flatMap((r) => r.changes).length, 1);
      assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    }
    const reverted = setEnglish(read(reviewFile), 'aa2a0559', 'Version A.');
    writeFileSync(reviewFile, reverted);
    const [refused] = await importAll(config, '2030-01-03T00:00:00Z');
    assert.match(refused?.problems[0]?.message ?? '', /aa2a0559 shows an English the memory held before \(now: "Version B\."/);
    await assert.rejects(build(config, { engine: undefined, log: log() }), UnimportedEditsError);
    assert.equal(read(reviewFile), reverted, 'not written over');
    const [taken] = await importReviews(config, [{ path: reviewFile, display: 'r.md' }], { log: log(), overwrite: true });
    assert.deepEqual(
      taken?.changes.map((c) => c.segment.id),
      ['aa2a0559'],
    );
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    assert.equal(englishOf(read(reviewFile), 'aa2a0559'), 'Version A.');
  } finally {
    project.cleanup();
  }
});

test("a reviewer's English typed without the escaping diglot writes (`[Y]` in a plain-text article) is no English lost when the memory is rewritten", async () => {
  const project = await builtSample();
  try {
    const { config, reviewFile } = project;
    writeFileSync(reviewFile, setEnglish(read(reviewFile), '600cadbe', '[X] NATO was always going to reinforce its eastern flank.'));
    assert.equal((await importAll(config)).flatMap((r) => r.changes).length, 1);
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    assert.equal(englishOf(read(reviewFile), '600cadbe'), '\\[X] NATO was always going to reinforce its eastern flank.');
    writeFileSync(reviewFile, setEnglish(read(reviewFile), '600cadbe', '[Y] NATO was always going to reinforce its eastern flank.'));
    assert.equal((await importAll(config, '2030-01-02T00:00:00Z')).flatMap((r) => r.changes).length, 1);
    // Compacted: the memory written anew, as a merge would.
    await (await memoryOf(project.dir)).compact();
    const logger = log();
    const result = await build(config, { engine: undefined, log: logger });
    assert.equal(result.exitCode, 0);
    assert.equal(result.overwritten, undefined);
    assert.ok(!logger.lines.some((l) => l.message.includes('no longer holds')), logger.lines.map((l) => l.message).join('\n'));
    assert.equal(englishOf(read(reviewFile), '600cadbe'), '\\[Y] NATO was always going to reinforce its eastern flank.');
  } finally {
    project.cleanup();
  }
});

test('a paragraph changed among drafts much like it gets the fuzzy match; its unchanged neighbours get none, and the match stays on later builds', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const text = (n: string) => `Der Bericht zur Lage an der Ostgrenze des Landes, Nummer ${n}.`;
    const draft = (source: string): MemoryEntry => machineDraft(source, config.targetLang);
    (await memoryOf(project.dir)).append(['eins', 'zwei', 'drei'].map((n) => draft(text(n))));
    const source = path.join(project.dir, 'sources', 'lage.txt');
    writeFileSync(source, `${text('eins')}\n\n${text('zwei')}\n\n${text('drei')}\n`);
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    // The second paragraph changed: no translation yet, and the earlier one's English shown beside it.
    writeFileSync(source, `${text('eins')}\n\n${text('vier')}\n\n${text('drei')}\n`);
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 1);
    const file = path.join(project.dir, 'output', 'lage.review.md');
    /** Each pair's number, and the earlier number its match shows. */
    const matched = (): string[] =>
      read(file)
        .split('<!-- segment ')
        .slice(1)
        .map((pair) => `${/Nummer (\w+)\./.exec(pair)?.[1]} ← ${/≈ \*\*fuzzy match.*?~~(\w+)~~/.exec(pair)?.[1] ?? 'none'}`);
    assert.deepEqual(matched(), ['eins ← none', 'vier ← zwei', 'drei ← none']);
    assert.equal((await build(config, { engine: undefined, log: log(), force: true })).exitCode, 1);
    assert.deepEqual(matched(), ['eins ← none', 'vier ← zwei', 'drei ← none'], 'kept from build to build until its pair is reviewed');
  } finally {
    project.cleanup();
  }
});

test('a paragraph edited twice keeps the reviewed English of its first version as its match, not the machine draft of the second', async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    const source = path.join(project.dir, 'sources', `${ARTICLE}.txt`);
    const file = path.join(project.dir, 'output', `${ARTICLE}.review.md`);
    const pairOf = (text: string): string =>
      text.slice(text.indexOf('> Noch ist das Signal'), text.indexOf('<!-- /segment -->', text.indexOf('> Noch ist das Signal')));
    writeFileSync(source, read(source).replace('Die Verlegung von ein paar Tausend', 'Die Verlegung von einigen Tausend'));
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 1);
    assert.match(pairOf(read(file)), /English of the earlier German \(reviewed, human\)/);
    // DeepL's draft of the in-between version, then the paragraph edited again.
    const between =
      read(source)
        .split('\n')
        .find((l) => l.startsWith('Noch ist das Signal')) ?? '';
    (await memoryOf(project.dir)).append([machineDraft(normalise(between), config.targetLang)]);
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    // Nearer the in-between version than the first: that draft is the most similar German.
    writeFileSync(source, read(source).replace('Die Verlegung von einigen Tausend', 'Die Verlegung von einigen wenigen Tausend'));
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 1);
    assert.match(pairOf(read(file)), /English of the earlier German \(reviewed, human\):\* For now, the signal is more political/);
  } finally {
    project.cleanup();
  }
});

test('a mailed copy whose title pair was edited imports, and imports again (nothing to import) after a build, its head showing the English it replaced', async () => {
  const project = await builtSample();
  try {
    const { config } = project;
    const { copy, mailed } = mailedCopy(project);
    writeFileSync(copy, setEnglish(mailed, 'c863f044', 'Russia brings about what it claims to prevent.'));
    const importCopy = async () =>
      (await importReviews(config, [{ path: copy, display: 'mail/copy' }], { log: log(), now: () => '2030-01-01T00:00:00Z' }))[0];
    assert.deepEqual(
      (await importCopy())?.changes.map((c) => c.segment.id),
      ['c863f044'],
    );
    assert.equal((await build(config, { engine: undefined, log: log() })).exitCode, 0);
    assert.match(read(project.reviewFile), /^- English title: Russia brings about what it claims to prevent\.$/m);
    const again = await importCopy();
    assert.deepEqual([again?.problems, again?.changes], [[], []]);
    // A head edited by hand is still refused: no English the pair ever had.
    writeFileSync(copy, read(copy).replace(/^- English title: .*$/m, '- English title: A title of my own'));
    assert.match((await importCopy())?.problems[0]?.message ?? '', /the English title is the English of segment c863f044/);
  } finally {
    project.cleanup();
  }
});
