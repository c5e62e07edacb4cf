/**
 * Kill at any point: a build killed with SIGKILL at 20 different moments of its translation, then
 * run again, completes; no text whose translation had reached diglot is sent again (only the
 * requests in flight at the kill may be), the memory stays readable, and output/ never holds a
 * half-written file. Two builds started at once never corrupt the memory or bill twice.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { unzipSync } from 'fflate';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { normalise } from '../src/segment/normalise.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { ROOT, sampleProject } from './helpers.js';

const CLI = path.join(ROOT, 'src', 'cli', 'main.ts');
const KEY = 'kill-test-key';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer({ latencyMs: 40 });
});
after(async () => {
  await server.close();
});

function start(dir: string): ChildProcess & { done: Promise<number | null>; output: { stderr: string } } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'build', '--quiet', '--root', dir], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', DEEPL_AUTH_KEY: KEY, DEEPL_SERVER_URL: server.url, DIGLOT_RETRY_MS: '20' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const output = { stderr: '' };
  child.stderr?.on('data', (d: Buffer) => (output.stderr += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return Object.assign(child, { done, output });
}

/** A project with many small articles, so a run makes many requests. */
function bigProject(): { dir: string; cleanup: () => void } {
  const project = sampleProject({ emptyMemory: true });
  for (let a = 0; a < 24; a++) {
    const paragraphs = Array.from({ length: 6 }, (_, p) => `Artikel ${a}, Absatz ${p}: Die Allianz berät über die Ostflanke und die roten Linien.`);
    writeFileSync(path.join(project.dir, 'sources', `extra-${String(a).padStart(2, '0')}.md`), `# Artikel ${a}\n\n${paragraphs.join('\n\n')}\n`);
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

test('SIGKILL at 20 moments during translation: the rerun completes and re-sends only what was in flight', { timeout: 240_000 }, async () => {
  let resentTotal = 0;
  let inFlightTotal = 0;
  for (let moment = 1; moment <= 20; moment++) {
    server.reset();
    const project = bigProject();
    try {
      // Kill when the server has received the moment-th request (it may be answered or not yet).
      const child = start(project.dir);
      const killAt = moment;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (server.translateRequests().length >= killAt || child.exitCode !== null) {
            clearInterval(timer);
            // Vary the instant: right away, or a little later (a response may land meanwhile).
            setTimeout(() => {
              child.kill('SIGKILL');
              resolve();
            }, (moment % 4) * 7);
          }
        }, 1);
      });
      await child.done;

      const { memory, problems } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
      assert.ok(problems.every((p) => /incomplete last line/.test(p.message)), JSON.stringify(problems));
      checkOutputs(project.dir);

      const firstRun = server.translateRequests().filter((r) => r.status === 200 && !r.aborted);
      const landed = new Set(firstRun.flatMap((r) => r.translate.texts).filter((t) => memory.lookup(normalise(t), 'en-US')));
      const inFlight = new Set(firstRun.flatMap((r) => r.translate.texts).filter((t) => !landed.has(t)));
      const before = server.requests.length;

      const rerun = start(project.dir);
      const code = await rerun.done;
      assert.equal(code, 0, rerun.output.stderr);
      const resent = server.translateRequests().filter((r) => server.requests.indexOf(r) >= before).flatMap((r) => r.translate.texts);
      for (const text of resent) assert.ok(!landed.has(text), `moment ${moment}: "${text.slice(0, 40)}" was in the memory but sent again`);
      resentTotal += resent.filter((t) => inFlight.has(t)).length;
      inFlightTotal += inFlight.size;
      const final = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
      assert.equal(final.memory.size, 64 + 24 * 7);
      checkOutputs(project.dir);
      assert.deepEqual(readdirSync(path.join(project.dir, 'output')).filter((n) => n.endsWith('.tmp')), [], 'temp files of the killed run cleared');
      assert.ok(existsSync(path.join(project.dir, 'output', 'edition.epub')));
    } finally {
      project.cleanup();
    }
  }
  // Reported in the test output, for the record.
  console.log(`# kill test: 20 kills; ${inFlightTotal} texts in flight at the kills, ${resentTotal} of them sent again; 0 texts sent again that had landed`);
  assert.ok(resentTotal <= inFlightTotal, `re-sent ${resentTotal} texts, ${inFlightTotal} were in flight`);
});

test('two builds at once: the second refuses with a message; memory intact, nothing billed twice', { timeout: 60_000 }, async () => {
  server.reset();
  // Slow answers keep the first build at work (holding the lock) while the second starts.
  server.setLatency(200);
  const project = bigProject();
  try {
    const a = start(project.dir);
    while (server.translateRequests().length === 0) await new Promise((r) => setTimeout(r, 20));
    const b = start(project.dir);
    const [codeA, codeB] = await Promise.all([a.done, b.done]);
    const codes = [codeA, codeB].sort();
    assert.deepEqual(codes, [0, 6], `${a.output.stderr}\n${b.output.stderr}`);
    assert.match(a.output.stderr + b.output.stderr, /another diglot run \(process \d+\) is working on this project/);
    const texts = server.textsSent();
    assert.equal(texts.length, new Set(texts).size, 'nothing billed twice');
    const { memory, problems } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
    assert.deepEqual(problems, []);
    assert.equal(memory.size, 64 + 24 * 7);
    assert.ok(!existsSync(path.join(project.dir, '.diglot.lock')), 'lock released');
  } finally {
    server.setLatency(0);
    project.cleanup();
  }
});
