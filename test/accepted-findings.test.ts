// Findings a reviewer accepts (`<!-- ok: rule -->` in a review file): recorded in the memory, left
// out of --strict, qa, the review page and the report, and dropped when the English changes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { MemoryEntry } from '../src/memory/entry.js';
import { mergeMemory } from '../src/memory/merge-memory.js';
import { fromTmx, toTmx } from '../src/memory/tmx.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { loadProject } from '../src/load-project.js';
import { MemoryLogger } from '../src/util/logger.js';
import { reviewerName } from '../src/review-file/reviewer-name.js';
import { configOf, read, runCli, sampleProject } from './helpers.js';
import { setEnglish } from './review-helpers.js';

const ARTICLE = '000_20a6b0fe2192dee9';
/** "Es war zu erwarten, dass die NATO ihre Ostflanke verstärken würde. …": its English must say "eastern flank". */
const SEGMENT = '600cadbe';
const TAIL =
  'The tensions Putin has created with his buildup on the border with Ukraine are so great that the alliance cannot avoid sending a signal that it at least takes the defense of its members seriously.';
const WITHOUT_TERM = `It was to be expected that NATO would strengthen its eastern border. ${TAIL}`;
const REWORDED = `It was always to be expected that NATO would reinforce its eastern border. ${TAIL}`;

/** The CLI run in the project at `dir` by the reviewer Bo. */
function asReviewer(dir: string): (args: string[]) => ReturnType<typeof runCli> {
  return (args) => runCli([...args, '--root', dir], { DIGLOT_REVIEWER: 'Bo' });
}

/** Inserts a line right above the pair's EN marker. */
function addAbove(text: string, id: string, line: string): string {
  const start = text.indexOf(`<!-- segment ${id} `);
  const en = text.indexOf('<!-- EN -->', start);
  return `${text.slice(0, en)}${line}\n\n${text.slice(en)}`;
}

/** The pair of a segment in a review file: from its segment line to its closing line. */
function pairOf(text: string, id: string): string {
  const start = text.indexOf(`<!-- segment ${id} `);
  return text.slice(start, text.indexOf('<!-- /segment -->', start));
}

/** The memory's entry for the segment's German. */
async function entryOf(dir: string, source: string): Promise<MemoryEntry | undefined> {
  const { memory } = await TranslationMemory.open(path.join(dir, 'memory', 'memory.jsonl'), 'memory/memory.jsonl');
  return memory.lookup(source, 'en-US');
}

/** The memory key of the segment's German. */
async function sourceOf(dir: string): Promise<string> {
  const { articles } = await loadProject(await configOf(dir), new MemoryLogger());
  const segment = articles.flatMap((a) => a.segments).find((s) => s.id === SEGMENT);
  assert.ok(segment);
  return segment.key;
}

/** What the build's outputs say about the segment's findings. */
function outputs(dir: string): {
  review: string;
  html: number;
  report: { findings: string[]; accepted: string[] };
  summary: { findings: Record<string, number>; accepted: number };
} {
  const page = read(path.join(dir, 'output', 'review', `${ARTICLE}.html`));
  const row = new RegExp(`data-findings="(\\d+)" data-segment="${SEGMENT}"`).exec(page);
  assert.ok(row, 'the segment has a row on the review page');
  // segments.jsonl: the segment's line; report.json: its article's counts.
  const segments = read(path.join(dir, 'output', 'segments.jsonl'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { docId: string; segmentId: string; findings: string[]; accepted: string[] });
  const segment = segments.find((s) => s.docId === ARTICLE && s.segmentId === SEGMENT);
  assert.ok(segment);
  const report = JSON.parse(read(path.join(dir, 'output', 'report.json'))) as {
    articles: Array<{ id: string; findings: Record<string, number>; accepted: number }>;
  };
  const summary = report.articles.find((a) => a.id === ARTICLE);
  assert.ok(summary);
  return { review: read(path.join(dir, 'output', `${ARTICLE}.review.md`)), html: Number(row[1]), report: segment, summary };
}

test('an accepted finding leaves --strict, qa, the review page and the report, and comes back when the English is edited', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    const run = (args: string[]) => runCli([...args, '--root', dir], { DIGLOT_REVIEWER: 'Alice Reviewer' });
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    assert.equal((await run(['build', '--strict'])).code, 0, 'the sample has no findings');
    const source = await sourceOf(dir);
    assert.match(source, /Ostflanke/);

    // A reviewer's English without the term: a term finding, everywhere.
    writeFileSync(file, setEnglish(read(file), SEGMENT, WITHOUT_TERM));
    assert.equal((await run(['review', 'import'])).code, 0);
    const strict = await run(['build', '--strict']);
    assert.equal(strict.code, 1, strict.stderr);
    assert.match(strict.stderr, new RegExp(`term \\[${SEGMENT}\\]`));
    let out = outputs(dir);
    assert.equal(out.html, 1);
    assert.deepEqual(out.report.findings, ['term']);
    assert.match(pairOf(out.review, SEGMENT), /> ⚠ \*\*term\*\*/);
    assert.doesNotMatch(pairOf(out.review, SEGMENT), /<!-- ok:/);
    assert.equal((await entryOf(dir, source))?.target, WITHOUT_TERM);

    // Accepted: the pair's "ok: term" line goes into the memory with who and when.
    writeFileSync(file, addAbove(read(file), SEGMENT, '<!-- ok: term -->'));
    const accepted = await run(['review', 'import']);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.match(accepted.stderr, /Imported 1 change \(1 accepted\)/);
    const entry = await entryOf(dir, source);
    assert.equal(entry?.target, WITHOUT_TERM, 'the English stays');
    assert.equal(entry?.accepted?.length, 1);
    assert.equal(entry?.accepted?.[0]?.rule, 'term');
    assert.equal(entry?.accepted?.[0]?.by, 'Alice Reviewer');
    assert.ok(!Number.isNaN(Date.parse(entry?.accepted?.[0]?.at ?? '')));

    const built = await run(['build', '--strict']);
    assert.equal(built.code, 0, built.stderr);
    assert.doesNotMatch(built.stderr, /\bterm\b/);
    const qa = await run(['qa']);
    assert.equal(qa.code, 0, qa.stdout);
    assert.match(qa.stdout, /^No findings\.$/m);
    assert.match(qa.stderr, /1 finding accepted by reviewers is not listed/);
    out = outputs(dir);
    assert.equal(out.html, 0);
    assert.deepEqual(out.report.findings, []);
    assert.deepEqual(out.report.accepted, ['term']);
    assert.deepEqual([out.summary.findings, out.summary.accepted], [{}, 1], 'report.json counts the accepted finding, not the finding');
    // The rebuilt review file shows the acceptance (so it survives), and no longer the finding.
    assert.match(pairOf(out.review, SEGMENT), /^<!-- ok: term -->$/m);
    assert.doesNotMatch(pairOf(out.review, SEGMENT), /⚠/);
    assert.equal((await run(['review', 'import'])).code, 0);
    assert.equal((await entryOf(dir, source))?.accepted?.length, 1, 'importing the rebuilt file changes nothing');

    // The English edited under the ok line: the acceptance held for the old English only.
    writeFileSync(file, setEnglish(read(file), SEGMENT, REWORDED));
    const edited = await run(['review', 'import']);
    assert.equal(edited.code, 0, edited.stderr);
    // Said, so that the ok line left in the file misleads no one.
    assert.match(
      edited.stdout,
      /edited, reviewed \(its acceptance of the term finding was of the English before: give again what holds for the new one\)/,
    );
    const after = await entryOf(dir, source);
    assert.equal(after?.target, REWORDED);
    assert.equal(after?.accepted, undefined);
    const again = await run(['build', '--strict']);
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, new RegExp(`term \\[${SEGMENT}\\]`));
    out = outputs(dir);
    assert.equal(out.html, 1);
    assert.deepEqual(out.report.findings, ['term']);
    assert.deepEqual(out.report.accepted, []);
    assert.doesNotMatch(pairOf(out.review, SEGMENT), /<!-- ok:/);
    assert.equal((await run(['qa'])).code, 1);
  } finally {
    project.cleanup();
  }
});

test('deleting the ok line withdraws the acceptance; an unknown rule refuses the file with its line', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    const run = asReviewer(dir);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    assert.equal((await run(['build'])).code, 0);
    writeFileSync(file, addAbove(setEnglish(read(file), SEGMENT, WITHOUT_TERM), SEGMENT, '<!-- ok: term -->'));
    // English and acceptance in one go: the acceptance is the reviewer's for the new English.
    assert.equal((await run(['review', 'import'])).code, 0);
    assert.equal((await run(['build', '--strict'])).code, 0);
    const withOk = read(file);
    assert.match(pairOf(withOk, SEGMENT), /^<!-- ok: term -->$/m);

    const typo = withOk.replace('<!-- ok: term -->', '<!-- ok: trem, number -->');
    writeFileSync(file, typo);
    const refused = await run(['review', 'import']);
    assert.equal(refused.code, 2);
    const line = typo.split('\n').indexOf('<!-- ok: trem, number -->') + 1;
    assert.match(refused.stderr, new RegExp(`${ARTICLE}\\.review\\.md:${line}(:\\d+)?: .*"ok: trem" names no rule of the checks`));

    writeFileSync(file, withOk.replace('<!-- ok: term -->\n\n', ''));
    const withdrawn = await run(['review', 'import']);
    assert.equal(withdrawn.code, 0, withdrawn.stderr);
    assert.match(withdrawn.stderr, /Imported 1 change \(1 acceptance withdrawn\)/);
    const strict = await run(['build', '--strict']);
    assert.equal(strict.code, 1);
    assert.doesNotMatch(pairOf(read(file), SEGMENT), /<!-- ok:/);
  } finally {
    project.cleanup();
  }
});

test('a copy older than an acceptance (sent back by mail) does not withdraw it; with --overwrite it does', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    const run = asReviewer(dir);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    assert.equal((await run(['build'])).code, 0);
    writeFileSync(file, setEnglish(read(file), SEGMENT, WITHOUT_TERM));
    assert.equal((await run(['review', 'import'])).code, 0);
    assert.equal((await run(['build'])).code, 0);
    // The copy a reviewer took by mail, showing the finding not yet accepted.
    const copy = path.join(dir, 'sent-back.review.md');
    writeFileSync(copy, read(file));
    writeFileSync(file, addAbove(read(file), SEGMENT, '<!-- ok: term -->'));
    assert.equal((await run(['review', 'import'])).code, 0);
    assert.equal((await run(['build', '--strict'])).code, 0);

    const imported = await run(['review', 'import', copy]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(
      imported.stderr,
      new RegExp(`segment ${SEGMENT} shows no "ok: term", which the memory holds: the file is older than that acceptance, so it is kept`),
    );
    assert.equal((await run(['build', '--strict'])).code, 0, 'still accepted');
    assert.match(pairOf(read(file), SEGMENT), /^<!-- ok: term -->$/m);

    assert.equal((await run(['review', 'import', '--overwrite', copy])).code, 0);
    assert.equal((await run(['build', '--strict'])).code, 1, 'withdrawn');
  } finally {
    project.cleanup();
  }
});

test('an ok line for a finding the pair does not have is refused at its pair: it would hide a later finding of that rule', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    const run = asReviewer(dir);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    assert.equal((await run(['build', '--strict'])).code, 0, 'the sample has no findings');
    const built = read(file);
    writeFileSync(file, addAbove(built, SEGMENT, '<!-- ok: term, number -->'));
    const refused = await run(['review', 'import']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, new RegExp(`segment ${SEGMENT}: "ok: number, term" accepts findings the pair does not have`));
    assert.equal((await entryOf(dir, await sourceOf(dir)))?.accepted, undefined, 'nothing accepted');

    // Once the checks find one, it is accepted as before.
    writeFileSync(file, setEnglish(built, SEGMENT, WITHOUT_TERM));
    assert.equal((await run(['review', 'import'])).code, 0);
    assert.equal((await run(['build'])).code, 0);
    const shown = read(file);
    assert.match(pairOf(shown, SEGMENT), /⚠ \*\*term\*\*/);
    writeFileSync(file, addAbove(shown, SEGMENT, '<!-- ok: term -->'));
    assert.equal((await run(['review', 'import'])).code, 0);
    assert.deepEqual(
      (await entryOf(dir, await sourceOf(dir)))?.accepted?.map((a) => a.rule),
      ['term'],
    );
  } finally {
    project.cleanup();
  }
});

test('the reviewer: DIGLOT_REVIEWER, else git user.name, else none', () => {
  const home = mkdtempSync(path.join(tmpdir(), 'diglot-git-'));
  try {
    const config = path.join(home, 'gitconfig');
    writeFileSync(config, '[user]\n\tname = Bea Git\n');
    const base = { PATH: process.env['PATH'] ?? '', HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
    assert.equal(reviewerName(home, { ...base, DIGLOT_REVIEWER: ' Ann ', GIT_CONFIG_GLOBAL: config }), 'Ann');
    assert.equal(reviewerName(home, { ...base, GIT_CONFIG_GLOBAL: config }), 'Bea Git');
    assert.equal(reviewerName(home, { ...base, GIT_CONFIG_GLOBAL: path.join(home, 'none') }), undefined);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

const ENTRY: MemoryEntry = {
  source: 'Die Ostflanke hält.',
  target: 'The eastern border holds.',
  lang: 'en-US',
  origin: 'human',
  status: 'reviewed',
  created: '2024-01-01T00:00:00.000Z',
  updated: '2024-01-01T00:00:00.000Z',
};
const ACCEPTED: MemoryEntry = {
  ...ENTRY,
  updated: '2024-02-01T00:00:00.000Z',
  accepted: [{ rule: 'term', by: 'Ann', at: '2024-02-01T00:00:00.000Z' }],
};
const lines = (...entries: MemoryEntry[]): string => entries.map((e) => `${JSON.stringify(e)}\n`).join('');
const merged = (base: MemoryEntry, ours: MemoryEntry, theirs: MemoryEntry): MemoryEntry[] =>
  mergeMemory(lines(base), lines(ours), lines(theirs))
    .text.trim()
    .split('\n')
    .map((l) => JSON.parse(l) as MemoryEntry);

test('merge: an acceptance never attaches to another English; the same English keeps both sides’ acceptances', () => {
  const newer: MemoryEntry = { ...ENTRY, target: 'The eastern flank holds.', status: 'approved', updated: '2024-03-01T00:00:00.000Z' };
  // Theirs wins (approved) with another English: our acceptance of the old English goes.
  const other = merged(ENTRY, ACCEPTED, newer).at(-1);
  assert.equal(other?.target, newer.target);
  assert.equal(other?.accepted, undefined);
  assert.deepEqual(
    other?.history?.map((h) => h.target),
    [ENTRY.target],
  );
  // Ours wins (approved) keeping its English: its acceptance stays.
  const oursWins = merged(ENTRY, { ...ACCEPTED, status: 'approved' }, { ...newer, status: 'reviewed' }).at(-1);
  assert.equal(oursWins?.target, ENTRY.target);
  assert.deepEqual(oursWins?.accepted, ACCEPTED.accepted);
  // Theirs approved the same English we accepted a finding of: both kept.
  const approved: MemoryEntry = { ...ENTRY, status: 'approved', updated: '2024-03-01T00:00:00.000Z' };
  const same = merged(ENTRY, ACCEPTED, approved).at(-1);
  assert.equal(same?.status, 'approved');
  assert.deepEqual(same?.accepted, ACCEPTED.accepted);
});

test('merge: the same English made again with other DeepL settings on one side, a finding accepted on the other: both kept', () => {
  const draft: MemoryEntry = { ...ENTRY, origin: 'deepl', status: 'draft', settings: 'old-settings' };
  // Ours: retranslate --settings-changed brought the same English back (its settings are new, its time is not).
  const resent: MemoryEntry = { ...draft, settings: 'new-settings' };
  // Theirs: a reviewer accepted a finding since (a later time wins the entry).
  const accepted: MemoryEntry = { ...draft, updated: '2024-02-01T00:00:00.000Z', accepted: ACCEPTED.accepted };
  for (const [ours, theirs] of [
    [resent, accepted],
    [accepted, resent],
  ] as const) {
    const kept = merged(draft, ours, theirs).at(-1);
    assert.deepEqual([kept?.target, kept?.settings, kept?.accepted], [draft.target, 'new-settings', ACCEPTED.accepted]);
  }
});

test('a TMX export carries the accepted findings: read back they hold for the same English, not for one edited in another tool', () => {
  const xml = toTmx([ACCEPTED], 'de');
  assert.deepEqual(fromTmx(xml, 'en-US', ENTRY.updated).entries[0]?.accepted, ACCEPTED.accepted);
  const edited = xml.replace('The eastern border holds.', 'The eastern border stands.');
  assert.equal(fromTmx(edited, 'en-US', ENTRY.updated).entries[0]?.accepted, undefined);
  // A findings list that is no list of acceptances is left out, not stored.
  const broken = xml.replace(/(<prop type="x-diglot-accepted">)[^<]*/, '$1{&quot;for&quot;:1}');
  assert.equal(fromTmx(broken, 'en-US', ENTRY.updated).entries[0]?.accepted, undefined);
});

test('memory import --tmx: a new English drops the acceptance, the same English keeps it', async () => {
  const project = sampleProject({ emptyMemory: true });
  try {
    const { dir } = project;
    const second: MemoryEntry = { ...ACCEPTED, source: 'Die Nato wartet.', target: 'NATO waits.' };
    writeFileSync(path.join(dir, 'memory', 'memory.jsonl'), lines(ACCEPTED, second));
    const tmx = path.join(dir, 'in.tmx');
    // Edited in a CAT tool after the acceptance: its change date is later.
    writeFileSync(tmx, toTmx([{ ...ENTRY, target: 'The eastern flank holds.', updated: '2024-03-01T00:00:00.000Z' }, second], 'de'));
    const imported = await runCli(['memory', 'import', '--tmx', tmx, '--root', dir]);
    assert.equal(imported.code, 0, imported.stderr);
    const changed = await entryOf(dir, ENTRY.source);
    assert.equal(changed?.target, 'The eastern flank holds.');
    assert.equal(changed?.accepted, undefined);
    assert.deepEqual(
      changed?.history?.map((h) => h.target),
      [ENTRY.target],
    );
    assert.deepEqual((await entryOf(dir, second.source))?.accepted, ACCEPTED.accepted);
  } finally {
    project.cleanup();
  }
});
