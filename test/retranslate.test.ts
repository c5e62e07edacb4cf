// `diglot retranslate` through the DeepL test server: after a term's English changes it re-sends exactly
// the machine translations holding the term (never human or reviewed ones), a dry run sends nothing, the
// old English stays in history, and the next build carries the new English into every edition.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import type { RetranslateResult } from '../src/cli/retranslate-command.js';
import { compileTermMatcher } from '../src/glossary/match-terms.js';
import { loadProject } from '../src/load-project.js';
import { formatEntry, type MemoryEntry } from '../src/memory/entry.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import type { Finding } from '../src/model.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, read, runCli, sampleProject, startCli } from './helpers.js';
import { setEnglish } from './review-helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

/** An article of our own with the term in several forms, and one paragraph twice (one text, two segments). */
const ARTICLE = `---
title: Die Ostflanke der Allianz
---

# Die Ostflanke der Allianz

Die Ostflanke ist seit 2014 das Thema jedes Gipfels.

Die Staaten an der Ostflanke wollen mehr Truppen.

Ostflanke bleibt ein Wort, das man in jeder Rede hört.

Die NATO-Ostflanke reicht von Estland bis Rumänien.

Über die Ostflanken Europas wird viel gesprochen.

Die Staaten an der Ostflanke wollen mehr Truppen.

Ein Absatz ohne den Begriff, über Haushalte und Zahlen.

Noch ein Absatz über die Ostflanke und die Luftverteidigung.
`;

const OLD_ROW =
  'Ostflanke,eastern flank,Ostflanken=eastern flanks;NATO-Ostflanke=NATO\'s eastern flank,"NATO\'s member states bordering Russia, Belarus and Ukraine"';
const NEW_ROW =
  'Ostflanke,Eastern Flank,Ostflanken=Eastern Flanks;NATO-Ostflanke=NATO\'s Eastern Flank,"NATO\'s member states bordering Russia, Belarus and Ukraine"';

async function memoryOf(dir: string): Promise<TranslationMemory> {
  return (await TranslationMemory.open(path.join(dir, 'memory', 'memory.jsonl'))).memory;
}

/** The memory keys of the segments whose German holds the term, and the number of those segments. */
async function termSegments(dir: string, german: string): Promise<{ keys: string[]; segments: number }> {
  const config = await configOf(dir);
  const project = await loadProject(config, new MemoryLogger());
  const match = compileTermMatcher(project.glossary);
  const segments = project.articles.flatMap((a) => a.segments).filter((s) => match(s.plain).some((m) => m.term.german === german));
  return { keys: [...new Set(segments.map((s) => s.key))], segments: segments.length };
}

/** Appends an entry that supersedes the current one for the same text. */
function supersede(dir: string, entry: MemoryEntry): void {
  appendFileSync(path.join(dir, 'memory', 'memory.jsonl'), `${formatEntry(entry)}\n`);
}

/** The sample project (empty memory) with ARTICLE added, built once through the test server (its counters reset first). */
async function builtWithArticle(): Promise<{ project: { dir: string; cleanup: () => void }; env: Record<string, string>; root: string[] }> {
  const project = sampleProject({ emptyMemory: true });
  const env = { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: server.url };
  const root = ['--root', project.dir];
  try {
    writeFileSync(path.join(project.dir, 'sources', '900_ostflanke.md'), ARTICLE);
    server.reset();
    const first = await runCli(['build', ...root], env);
    assert.equal(first.code, 0, first.stderr);
    return { project, env, root };
  } catch (error) {
    project.cleanup();
    throw error;
  }
}

test('retranslate --term re-sends exactly the machine segments holding a changed term; the next build carries them into every edition', async () => {
  const { project, env, root } = await builtWithArticle();
  try {
    // One translation holding the term becomes a human one, another a reviewed machine one.
    const { keys, segments } = await termSegments(project.dir, 'Ostflanke');
    assert.ok(keys.length >= 6, `the project holds the term in ${keys.length} texts`);
    const [humanKey, reviewedKey] = keys as [string, string];
    const memory = await memoryOf(project.dir);
    const machine = memory.lookupKey(reviewedKey, 'en-US') as MemoryEntry;
    assert.equal(machine.origin, 'deepl');
    assert.match(machine.target, /eastern flank/);
    supersede(project.dir, { ...machine, status: 'reviewed', updated: '2026-11-01T00:00:00Z' });
    const human = { ...(memory.lookupKey(humanKey, 'en-US') as MemoryEntry), origin: 'human' as const, status: 'reviewed' as const };
    supersede(project.dir, { ...human, target: 'A human sentence on the eastern flank.', updated: '2026-11-01T00:00:00Z' });
    const kept = (key: string): number => (key === humanKey || key === reviewedKey ? 1 : 0);

    // The term's English changes.
    const glossaryFile = path.join(project.dir, 'glossary', 'terms.csv');
    const csv = read(glossaryFile);
    assert.ok(csv.includes(OLD_ROW));
    writeFileSync(glossaryFile, csv.replace(OLD_ROW, NEW_ROW));

    // `glossary stats` counts the segments holding the term: the human and reviewed ones among them.
    const stats = JSON.parse((await runCli(['glossary', 'stats', '--json', ...root])).stdout) as {
      terms: Array<{ german: string; segments: number }>;
    };
    assert.equal(stats.terms.find((t) => t.german === 'Ostflanke')?.segments, segments);
    const config = await configOf(project.dir);
    const loaded = await loadProject(config, new MemoryLogger());
    const keptSegments = loaded.articles.flatMap((a) => a.segments).filter((s) => kept(s.key)).length;

    // A dry run shows the estimate and sends nothing at all.
    server.reset();
    const dry = await runCli(['retranslate', '--term', 'Ostflanke', '--dry-run', '--json', ...root]);
    assert.equal(dry.code, 0, dry.stderr);
    const estimate = JSON.parse(dry.stdout) as RetranslateResult;
    assert.equal(estimate.segments, segments - keptSegments, 'every machine segment holding the term, nothing kept');
    assert.equal(estimate.texts, keys.length - 2);
    assert.ok(estimate.billableCharacters > 0);
    assert.deepEqual(estimate.kept, { human: 1, reviewed: 1 });
    assert.equal(estimate.sent, null);
    assert.equal(server.requests.length, 0, 'a dry run sends nothing');
    // The kept translations that break the term are listed with the term's English now.
    assert.equal(estimate.findings.length, 2);
    for (const f of estimate.findings) {
      assert.equal(f.expected, 'Eastern Flank');
      // Fixed by hand in the review file: where its pair's English is there.
      const [file, line] = (f.reviewFile ?? '').split(':');
      assert.equal(file, path.join('output', `${f.docId}.review.md`));
      const lines = read(path.join(project.dir, file as string)).split('\n');
      assert.equal(lines[Number(line) - 3], '<!-- EN -->', `${f.reviewFile} is the English of ${f.segmentId}`);
    }
    const text = await runCli(['retranslate', '--term', 'Ostflanke', '--dry-run', ...root]);
    assert.match(text.stdout, /; its English: output\/[^:]+\.review\.md:\d+$/m);
    assert.match(text.stdout, /Would re-send \d+ segments/);
    assert.match(text.stdout, /Eastern Flank/);
    assert.match(text.stdout, /Dry run: nothing was sent/);

    // Sent for real: exactly the machine drafts holding the term, each once.
    server.reset();
    const sent = await runCli(['retranslate', '--term', 'Ostflanke', '--json', ...root], env);
    assert.equal(sent.code, 0, sent.stderr);
    const result = JSON.parse(sent.stdout) as RetranslateResult;
    assert.equal(result.sent?.stored, keys.length - 2);
    const texts = server.textsSent();
    assert.equal(texts.length, keys.length - 2);
    assert.ok(texts.every((t) => t.includes('Ostflanke')));
    const after = await memoryOf(project.dir);
    for (const key of keys) {
      const entry = after.lookupKey(key, 'en-US') as MemoryEntry;
      if (key === humanKey) assert.equal(entry.target, 'A human sentence on the eastern flank.');
      else if (key === reviewedKey) assert.deepEqual(entry, { ...machine, status: 'reviewed', updated: '2026-11-01T00:00:00Z' });
      else {
        assert.match(entry.target, /Eastern Flank/);
        assert.doesNotMatch(entry.target, /eastern flank/);
        assert.match(entry.history?.at(-1)?.target ?? '', /eastern flank/, 'the old English is kept in history');
        assert.equal(entry.origin, 'deepl');
        assert.equal(entry.settings, result.settings);
      }
    }
    // Nothing left to re-send for the term; the kept ones are still listed.
    const again = JSON.parse(
      (await runCli(['retranslate', '--term', 'Ostflanke', '--dry-run', '--json', ...root])).stdout,
    ) as RetranslateResult;
    assert.equal(again.segments, 0);
    assert.equal(again.findings.length, 2);

    // The next build carries the new English into the English Markdown, the review file and both books.
    const rebuilt = await runCli(['build', ...root], env);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    const out = path.join(project.dir, 'output');
    assert.match(read(path.join(out, '900_ostflanke.en.md')), /Eastern Flank/);
    assert.match(read(path.join(out, '900_ostflanke.review.md')), /Eastern Flank/);
    for (const book of ['edition.epub', 'edition.en.epub']) {
      const files = unzipSync(readFileSync(path.join(out, book)));
      const chapters = Object.entries(files)
        .filter(([name]) => name.endsWith('.xhtml'))
        .map(([, data]) => strFromU8(data))
        .join('\n');
      assert.match(chapters, /Eastern Flank/, `${book} has the new English`);
      assert.doesNotMatch(chapters, /an der eastern flank/, `${book} lost the old English of the re-sent segments`);
    }
    assert.ok(readdirSync(out).includes('edition.en.epub'));

    // --include-reviewed re-sends the reviewed machine translation as well; the human one never.
    server.reset();
    const reviewed = JSON.parse(
      (await runCli(['retranslate', '--term', 'Ostflanke', '--include-reviewed', '--json', ...root], env)).stdout,
    ) as RetranslateResult;
    assert.equal(reviewed.texts, 1);
    assert.deepEqual(reviewed.kept, { human: 1, reviewed: 0 });
    assert.equal(server.textsSent().length, 1);
    const nowReviewed = (await memoryOf(project.dir)).lookupKey(reviewedKey, 'en-US') as MemoryEntry;
    assert.equal(nowReviewed.status, 'draft');
    // The English it replaced, with the settings that made it (a machine translation brought back is known for one).
    assert.deepEqual(nowReviewed.history?.at(-1), {
      target: machine.target,
      origin: 'deepl',
      status: 'reviewed',
      updated: '2026-11-01T00:00:00Z',
      settings: machine.settings,
    });
  } finally {
    project.cleanup();
  }
});

test('retranslate: selectors by article and segment, --max-characters, the lock, and bad input', async () => {
  const { project, env, root } = await builtWithArticle();
  try {
    const config = await configOf(project.dir);
    const loaded = await loadProject(config, new MemoryLogger());
    const article = loaded.articles.find((a) => a.doc.id === '900_ostflanke');
    assert.ok(article);
    const distinct = new Set(article.segments.map((s) => s.key)).size;

    // One article: every segment of it (a repeated paragraph counted each time, sent once).
    const byArticle = JSON.parse(
      (await runCli(['retranslate', '--article', '900_ostflanke.md', '--dry-run', '--json', ...root])).stdout,
    ) as RetranslateResult;
    assert.equal(byArticle.segments, article.segments.length);
    assert.equal(byArticle.texts, distinct);
    assert.ok(byArticle.resent.every((r) => r.file === 'sources/900_ostflanke.md'));

    // One segment, and selectors narrowing each other.
    const one = article.segments[2];
    assert.ok(one);
    const bySegment = JSON.parse(
      (await runCli(['retranslate', '--segment', one.id, '--article', 'sources/900_ostflanke.md', '--dry-run', '--json', ...root])).stdout,
    ) as RetranslateResult;
    assert.deepEqual(
      bySegment.resent.map((r) => r.id),
      [one.id],
    );
    // As the review files name them: the article by its review file, the id copied in capitals, a rule in any case.
    const asWritten = JSON.parse(
      (
        await runCli([
          'retranslate',
          '--segment',
          one.id.toUpperCase(),
          '--article',
          'output/900_ostflanke.review.md',
          '--dry-run',
          '--json',
          ...root,
        ])
      ).stdout,
    ) as RetranslateResult;
    assert.deepEqual(
      asWritten.resent.map((r) => r.id),
      [one.id],
    );
    assert.equal((await runCli(['retranslate', '--rule', 'Term', '--dry-run', ...root])).code, 0);
    // `title` is every article's title: with two such articles, which one is asked.
    writeFileSync(path.join(project.dir, 'sources', '901_zweiter.md'), '---\ntitle: Ein zweiter Titel\n---\n\nEin Absatz.\n');
    const ambiguous = await runCli(['retranslate', '--segment', 'title', '--dry-run', ...root]);
    assert.equal(ambiguous.code, 2, ambiguous.stderr);
    assert.match(
      ambiguous.stderr,
      /segment "title" is in 2 articles \(sources\/900_ostflanke\.md, sources\/901_zweiter\.md\)\n {2}hint: add --article/,
    );
    const named = await runCli(['retranslate', '--segment', 'title', '--article', '900_ostflanke', '--dry-run', '--json', ...root]);
    assert.equal(named.code, 0, named.stderr);
    assert.deepEqual(
      (JSON.parse(named.stdout) as RetranslateResult).resent.map((r) => [r.file, r.id]),
      [['sources/900_ostflanke.md', 'title']],
    );

    // --max-characters below the first request: nothing is sent, exit 1, the memory as it was.
    const before = read(path.join(project.dir, 'memory', 'memory.jsonl'));
    server.reset();
    const capped = await runCli(['retranslate', '--article', '900_ostflanke', '--max-characters', '10', ...root], env);
    assert.equal(capped.code, 1, capped.stderr);
    assert.match(capped.stderr, /--max-characters 10/);
    assert.equal(server.translateRequests().length, 0);
    assert.equal(read(path.join(project.dir, 'memory', 'memory.jsonl')), before);

    // A budget that lets the first article through: the run stops, and says how to send the rest without
    // sending (and billing) again what it re-sent; the command it gives selects just that rest.
    const [a, b] = ['000_20a6b0fe2192dee9', '001_4a3d075f46cdf68a'];
    const firstArticle = JSON.parse(
      (await runCli(['retranslate', '--article', a, '--dry-run', '--json', ...root])).stdout,
    ) as RetranslateResult;
    const second = JSON.parse((await runCli(['retranslate', '--article', b, '--dry-run', '--json', ...root])).stdout) as RetranslateResult;
    const both = ['--article', a, '--article', b];
    const stopped = await runCli(
      ['retranslate', ...both, '--max-characters', String(firstArticle.billableCharacters), '--json', ...root],
      env,
    );
    assert.equal(stopped.code, 1, stopped.stderr);
    const partly = JSON.parse(stopped.stdout) as RetranslateResult;
    assert.equal(partly.sent?.billedCharacters, firstArticle.billableCharacters);
    assert.deepEqual(partly.rest, second.resent);
    const told = /for the rest, run `(diglot retranslate [^`]+)`/.exec(stopped.stderr)?.[1];
    assert.ok(told, stopped.stderr);
    assert.match(told, new RegExp(`^diglot retranslate --article ${b} --segment `));
    const restRun = JSON.parse((await runCli([...told.split(' ').slice(1), '--dry-run', '--json', ...root])).stdout) as RetranslateResult;
    assert.deepEqual(restRun.resent, second.resent);
    assert.equal(restRun.billableCharacters, second.billableCharacters);

    // The project lock is taken like build's.
    server.reset();
    writeFileSync(path.join(project.dir, '.diglot.lock'), `${JSON.stringify({ pid: process.pid })}\n`);
    const locked = await runCli(['retranslate', '--article', '900_ostflanke', ...root], env);
    assert.equal(locked.code, 6, locked.stderr);
    assert.equal(server.translateRequests().length, 0);

    // Bad input: no selector, an unknown term, article or segment, no key without --dry-run (run side by side).
    const runs: Array<Promise<void>> = [];
    for (const args of [
      [],
      ['--term', 'Westflanke'],
      ['--article', 'nope.md'],
      ['--segment', 'deadbeef'],
      ['--rule', 'spelling'],
      ['--max-characters', 'x', '--term', 'Ostflanke'],
    ].map((args) => ['retranslate', ...args, '--dry-run', ...root])) {
      runs.push(runCli(args).then((bad) => assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stderr}`)));
    }
    runs.push(
      runCli(['retranslate', '--term', 'Ostflanke', ...root]).then((noKey) => {
        assert.equal(noKey.code, 2);
        assert.match(noKey.stderr, /DEEPL_AUTH_KEY/);
      }),
      runCli(['retranslate', '--term', 'Ostflank', '--dry-run', ...root]).then((typo) => {
        assert.equal(typo.code, 2);
        assert.match(typo.stderr, /"Ostflank" is not a term of glossary\/terms\.csv \(did you mean "Ostflanke"\?\)/);
      }),
      runCli(['retranslate', '--help']).then((help) => {
        assert.equal(help.code, 0);
        assert.match(help.stdout, /--settings-changed/);
      }),
      runCli(['--help']).then((help) => assert.match(help.stdout, /retranslate/)),
    );
    await Promise.all(runs);
  } finally {
    project.cleanup();
  }
});

test("retranslate keeps a reviewer's verdicts on an English that comes back as it was, and refuses pairs with edits not imported", async () => {
  const { project, env, root } = await builtWithArticle();
  try {
    const config = await configOf(project.dir);
    const article = (await loadProject(config, new MemoryLogger())).articles.find((a) => a.doc.id === '900_ostflanke');
    const plain = article?.segments.find((s) => s.plain.startsWith('Ein Absatz ohne den Begriff'));
    const other = article?.segments.find((s) => s.plain.startsWith('Noch ein Absatz'));
    assert.ok(plain && other);
    // Approved, with a finding accepted: the same English re-sent comes back the same (same settings, same server).
    const machine = (await memoryOf(project.dir)).lookupKey(plain.key, 'en-US') as MemoryEntry;
    const approved: MemoryEntry = {
      ...machine,
      status: 'approved',
      updated: '2026-11-02T00:00:00Z',
      accepted: [{ rule: 'length', at: '2026-11-02T00:00:00Z' }],
    };
    supersede(project.dir, approved);
    const resent = await runCli(['retranslate', '--segment', plain.id, '--include-reviewed', ...root], env);
    assert.equal(resent.code, 0, resent.stderr);
    assert.match(
      resent.stdout,
      /Re-sent 1 text in 1 request \(\d+ characters billed\); it came back as it was, its review status and accepted findings kept/,
    );
    assert.doesNotMatch(resent.stdout, /Run `diglot build`/, 'no English changed: nothing for a build to carry');
    const after = (await memoryOf(project.dir)).lookupKey(plain.key, 'en-US');
    assert.deepEqual(
      { ...after, settings: approved.settings },
      approved,
      'the English, its status, its acceptance and its dates as they were',
    );
    assert.equal(after?.history, undefined, 'nothing replaced, nothing in the history');

    // An edit of a pair to re-send, not imported: nothing is sent, the file and line are named.
    assert.equal((await runCli(['build', ...root], env)).code, 0);
    const file = path.join(project.dir, 'output', '900_ostflanke.review.md');
    const edited = setEnglish(read(file), other.id, 'A reviewer rewrote this paragraph.');
    writeFileSync(file, edited);
    const line = edited.split('\n').indexOf('A reviewer rewrote this paragraph.') + 1;
    server.reset();
    const refused = await runCli(['retranslate', '--article', '900_ostflanke', ...root], env);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(
        `a segment to re-send holds an edit not imported from the review files:\\n  output/900_ostflanke\\.review\\.md:${line}\\n`,
      ),
    );
    assert.match(refused.stderr, /hint: run `diglot review import` first/);
    assert.equal(server.translateRequests().length, 0);
    // A dry run says so and goes on; a selection without that pair is sent.
    const dry = await runCli(['retranslate', '--article', '900_ostflanke', '--dry-run', ...root]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /holds an edit not imported/);
    assert.equal((await runCli(['retranslate', '--segment', plain.id, '--include-reviewed', ...root], env)).code, 0);
  } finally {
    project.cleanup();
  }
});

test('retranslate names how many of the segments it re-sends hold a text listed but lie outside the selection', async () => {
  const project = sampleProject({ emptyMemory: true });
  const env = { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: server.url };
  try {
    for (const name of readdirSync(path.join(project.dir, 'sources'))) rmSync(path.join(project.dir, 'sources', name));
    writeFileSync(path.join(project.dir, 'sources', 'a.md'), '# Erster\n\nEin gemeinsamer Absatz in beiden Artikeln.\n');
    writeFileSync(path.join(project.dir, 'sources', 'b.md'), '# Zweiter\n\nEin gemeinsamer Absatz in beiden Artikeln.\n');
    assert.equal((await runCli(['build', '--root', project.dir], env)).code, 0);
    const dry = await runCli(['retranslate', '--article', 'a', '--dry-run', '--root', project.dir]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /^Would re-send 3 segments \(2 distinct texts; 1 segment not listed below holds the same text as one listed\): /m,
    );
    assert.equal((dry.stdout.match(/^ {2}sources\/a\.md:/gm) ?? []).length, 2);
  } finally {
    project.cleanup();
  }
});

test('retranslate --rule picks the segments with a finding of that check', async () => {
  const { project, env, root } = await builtWithArticle();
  try {
    // A machine translation that lost a number: the number check flags it.
    const config = await configOf(project.dir);
    const loaded = await loadProject(config, new MemoryLogger());
    const segment = loaded.articles.flatMap((a) => a.segments).find((s) => s.plain.startsWith('Die Ostflanke ist seit 2014'));
    assert.ok(segment);
    const entry = loaded.memory.lookupKey(segment.key, 'en-US') as MemoryEntry;
    supersede(project.dir, { ...entry, target: 'The eastern flank has been the topic of every summit.' });
    const qa = JSON.parse((await runCli(['qa', '--json', ...root])).stdout) as { findings: Finding[] };
    assert.ok(qa.findings.some((f) => f.rule === 'number' && f.segmentId === segment.id));

    const picked = JSON.parse(
      (await runCli(['retranslate', '--rule', 'number', '--dry-run', '--json', ...root])).stdout,
    ) as RetranslateResult;
    assert.ok(picked.resent.some((r) => r.id === segment.id));
    server.reset();
    const sent = await runCli(['retranslate', '--rule', 'number', '--segment', segment.id, ...root], env);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(server.textsSent().length, 1);
    const now = (await memoryOf(project.dir)).lookupKey(segment.key, 'en-US') as MemoryEntry;
    assert.match(now.target, /2014/);
    assert.equal(now.history?.at(-1)?.target, 'The eastern flank has been the topic of every summit.');
  } finally {
    project.cleanup();
  }
});

test('Ctrl-C during retranslate: no new requests, the answers on their way kept, exit 130, no lock', {
  timeout: 120_000,
}, async (t) => {
  const project = sampleProject({ emptyMemory: true });
  server.reset();
  const env = { DEEPL_AUTH_KEY: 'retranslate-key', DEEPL_SERVER_URL: server.url };
  try {
    assert.equal((await runCli(['build', '--root', project.dir], env)).code, 0);
    // Other settings: every machine translation is "made otherwise" and is sent again.
    const configFile = path.join(project.dir, 'diglot.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), concurrency: 1, deepl: { formality: 'prefer_less' } }),
    );
    const before = (await memoryOf(project.dir)).entries();
    server.reset();
    const release = server.holdTranslations();
    const cli = startCli(['retranslate', '--settings-changed', '--root', project.dir], env, t.signal);
    try {
      await server.translateRequestsArrived(1);
      cli.kill('SIGINT');
      await cli.printed('SIGINT: stopping');
      release();
      assert.equal(await cli.done, 130, cli.output.stderr);
      assert.match(cli.output.stderr, /interrupted: \d+ of \d+ texts were translated again and kept in the memory;/);
      // The test server's English comes back as it was: no earlier English went into a history, and none is said to.
      assert.doesNotMatch(cli.output.stderr, /in their history/);
    } finally {
      release();
      cli.kill('SIGKILL');
    }
    assert.equal(existsSync(path.join(project.dir, '.diglot.lock')), false, 'the lock is released');
    // One request went out (concurrency 1) and its answers are stored, made with the new settings;
    // the rest keep the old ones, for the next retranslate. (The test server's English is the same
    // as before, so no history is added: an unchanged English is not kept twice.)
    const sent = new Set(server.textsSent());
    assert.ok(sent.size > 0 && sent.size < before.length, `${sent.size} of ${before.length} sent`);
    const settingsBefore = new Map(before.map((e) => [e.source, e.settings]));
    const redone = (await memoryOf(project.dir)).entries().filter((e) => e.settings !== settingsBefore.get(e.source));
    assert.equal(redone.length, sent.size);
  } finally {
    project.cleanup();
  }
});
