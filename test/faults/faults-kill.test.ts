/**
 * Kill at any point: a build killed with SIGKILL at 20 different moments of its translation, then
 * run again, completes; no text whose translation had reached diglot is sent again (only the
 * requests in flight at the kill may be), the memory stays readable, and output/ never holds a
 * half-written file. A second build started while the first holds the lock refuses; the memory is
 * never corrupted and nothing is billed twice.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { unzipSync } from 'fflate';
import { TranslationMemory } from '../../src/memory/translation-memory.js';
import { normalise } from '../../src/segment/normalise.js';
import { startDeepLServer, type DeepLServer } from '../deepl-server.js';
import { type BackgroundCli, projectFacts, sampleProject, startCli } from '../helpers.js';

const KEY = 'kill-test-key';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer({ latencyMs: 40 });
});
after(async () => {
  await server.close();
});

/** `diglot build` of a project in the background, against the test server. */
const start = (dir: string, signal: AbortSignal, key = KEY): BackgroundCli =>
  startCli(['build', '--quiet', '--root', dir], { DEEPL_AUTH_KEY: key, DEEPL_SERVER_URL: server.url, DIGLOT_RETRY_MS: '20' }, signal);

/** A project with many small articles, so a run makes many requests. */
function bigProject(): { dir: string; cleanup: () => void } {
  const project = sampleProject({ emptyMemory: true });
  for (let a = 0; a < 24; a++) {
    const paragraphs = Array.from(
      { length: 6 },
      (_, p) => `Artikel ${a}, Absatz ${p}: Die Allianz berät über die Ostflanke und die roten Linien.`,
    );
    writeFileSync(
      path.join(project.dir, 'sources', `extra-${String(a).padStart(2, '0')}.md`),
      `# Artikel ${a}\n\n${paragraphs.join('\n\n')}\n`,
    );
  }
  return project;
}

function checkOutputs(dir: string): void {
  const out = path.join(dir, 'output');
  if (!existsSync(out)) return;
  for (const name of readdirSync(out)) {
    const file = path.join(out, name);
    if (name.endsWith('.tmp')) continue; // a temp file of the killed run: never read as output
    if (name.endsWith('.epub')) assert.doesNotThrow(() => unzipSync(readFileSync(file)), name);
    if (name.endsWith('.json')) assert.doesNotThrow(() => JSON.parse(readFileSync(file, 'utf8')), name);
    if (name.endsWith('.md')) assert.match(readFileSync(file, 'utf8'), /\n$/, `${name} is complete`);
  }
}

test('SIGKILL at 20 moments during translation: the rerun completes and re-sends only what was in flight', {
  timeout: 240_000,
}, async (t) => {
  let resentTotal = 0;
  let inFlightTotal = 0;
  const probe = bigProject();
  const { distinct } = await projectFacts(probe.dir);
  probe.cleanup();
  for (let moment = 1; moment <= 20; moment++) {
    server.reset();
    const project = bigProject();
    try {
      // Kill when the server has received the moment-th request (it may be answered or not yet).
      const child = start(project.dir, t.signal);
      await Promise.race([server.translateRequestsArrived(moment), child.done]);
      // Vary the instant: right away, or a little later (a response may land meanwhile).
      if (moment % 4 !== 0) await new Promise((resolve) => setTimeout(resolve, (moment % 4) * 7));
      child.kill('SIGKILL');
      await child.done;

      const { memory, problems } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
      assert.ok(
        problems.every((p) => /incomplete last line/.test(p.message)),
        JSON.stringify(problems),
      );
      checkOutputs(project.dir);

      const firstRun = server.translateRequests().filter((r) => r.status === 200 && !r.aborted);
      const landed = new Set(firstRun.flatMap((r) => r.translate.texts).filter((t) => memory.lookup(normalise(t), 'en-US')));
      const inFlight = new Set(firstRun.flatMap((r) => r.translate.texts).filter((t) => !landed.has(t)));
      const before = server.requests.length;

      const rerun = start(project.dir, t.signal);
      const code = await rerun.done;
      assert.equal(code, 0, rerun.output.stderr);
      const resent = server
        .translateRequests()
        .filter((r) => server.requests.indexOf(r) >= before)
        .flatMap((r) => r.translate.texts);
      for (const text of resent) assert.ok(!landed.has(text), `moment ${moment}: "${text.slice(0, 40)}" was in the memory but sent again`);
      resentTotal += resent.filter((t) => inFlight.has(t)).length;
      inFlightTotal += inFlight.size;
      const final = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
      assert.equal(final.memory.size, distinct, 'every distinct text translated once');
      checkOutputs(project.dir);
      assert.deepEqual(
        readdirSync(path.join(project.dir, 'output')).filter((n) => n.endsWith('.tmp')),
        [],
        'temp files of the killed run cleared',
      );
      assert.ok(existsSync(path.join(project.dir, 'output', 'edition.epub')));
    } finally {
      project.cleanup();
    }
  }
  // Reported in the test output, for the record.
  console.log(
    `# kill test: 20 kills; ${inFlightTotal} texts in flight at the kills, ${resentTotal} of them sent again; 0 texts sent again that had landed`,
  );
  assert.ok(resentTotal <= inFlightTotal, `re-sent ${resentTotal} texts, ${inFlightTotal} were in flight`);
});

test('a second build while the first holds the lock refuses with a message; memory intact, nothing billed twice', {
  timeout: 120_000,
}, async (t) => {
  server.reset();
  const project = bigProject();
  // The first build's answers are held: it surely holds the lock while the second one starts.
  const release = server.holdTranslations();
  try {
    const { distinct } = await projectFacts(project.dir);
    const a = start(project.dir, t.signal);
    await Promise.race([server.translateRequestsArrived(1), a.done]);
    assert.equal(a.exitCode, null, a.output.stderr);
    // The second build has a key of its own, so its requests, if any, can be told apart.
    const b = start(project.dir, t.signal, 'second-build-key');
    assert.equal(await b.done, 6, b.output.stderr);
    assert.match(b.output.stderr, /another diglot run \(process \d+\) is working on this project/);
    assert.deepEqual(
      server.requests.filter((r) => r.authKey === 'second-build-key'),
      [],
      'the refused build sent nothing',
    );
    assert.equal(a.exitCode, null, 'the first build is still at work');
    release();
    assert.equal(await a.done, 0, a.output.stderr);
    const texts = server.textsSent();
    assert.equal(texts.length, new Set(texts).size, 'nothing billed twice');
    const { memory, problems } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
    assert.deepEqual(problems, []);
    assert.equal(memory.size, distinct);
    assert.ok(!existsSync(path.join(project.dir, '.diglot.lock')), 'lock released');
  } finally {
    release();
    project.cleanup();
  }
});
