/**
 * Ctrl-C and SIGTERM during a build, with requests held in flight at the test server: no request
 * goes out after the signal, the answers on their way are stored, the run says what it kept and
 * exits 130 with no lock or temp file left, and the next build sends only the rest.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { TranslationMemory } from '../../src/memory/translation-memory.js';
import { startDeepLServer, type DeepLServer } from '../deepl-server.js';
import { runCli, sampleProject, startCli } from '../helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

const env = (): Record<string, string> => ({ DEEPL_AUTH_KEY: 'interrupt-key', DEEPL_SERVER_URL: server.url });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} during a build: stops sending, keeps what came back, exits 130 and cleans up`, { timeout: 120_000 }, async (t) => {
    server.reset();
    const project = sampleProject({ emptyMemory: true });
    const release = server.holdTranslations();
    try {
      const child = startCli(['build', '--root', project.dir], env(), t.signal);
      const exited = child.done;
      // Every slot (the sample's concurrency: 4) holds a request, so none can go out before the
      // signal; the fifth article's request waits for a slot.
      await server.translateRequestsArrived(4);
      assert.equal(server.translateRequests().length, 4);
      child.kill(signal);
      await child.printed(`${signal}: stopping`);
      const sent = server.translateRequests().length;
      release();
      const code = await exited;
      const { stderr } = child.output;

      assert.equal(code, 130, stderr);
      assert.equal(server.translateRequests().length, sent, 'no request after the signal');
      const answered = new Set(server.textsSent());
      const kept =
        /interrupted: (\d+) of (\d+) texts to translate were translated and kept in the memory; run `diglot build` again for the rest\. output\/ was left as it was\./.exec(
          stderr,
        );
      assert.ok(kept, stderr);
      const { memory } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
      assert.equal(memory.size, answered.size, 'every answer that was on its way is in the memory');
      assert.equal(Number(kept[1]), answered.size);
      assert.ok(Number(kept[2]) > answered.size);
      assert.equal(existsSync(path.join(project.dir, '.diglot.lock')), false, 'the lock is released');
      for (const folder of ['memory', 'output']) {
        const dir = path.join(project.dir, folder);
        assert.deepEqual(existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.tmp')) : [], [], `no temp file in ${folder}/`);
      }

      server.reset();
      const rest = await runCli(['build', '--quiet', '--root', project.dir], env());
      assert.equal(rest.code, 0, rest.stderr);
      for (const text of server.textsSent()) assert.equal(answered.has(text), false, 'nothing kept is sent again');
    } finally {
      release();
      project.cleanup();
    }
  });
}

test('a second Ctrl-C quits at once, saying what is not kept; the next build removes the lock and temp files it left', {
  timeout: 120_000,
}, async (t) => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  const release = server.holdTranslations();
  try {
    const child = startCli(['build', '--root', project.dir], env(), t.signal);
    await server.translateRequestsArrived(4);
    child.kill('SIGINT');
    await child.printed('SIGINT: stopping');
    child.kill('SIGINT');
    assert.equal(await child.done, 130);
    assert.match(child.output.stderr, /SIGINT again: quitting at once; answers still on their way are not kept \(DeepL may bill them\)/);
    release();
    const next = await runCli(['build', '--quiet', '--root', project.dir], env());
    assert.equal(next.code, 0, next.stderr);
    assert.equal(existsSync(path.join(project.dir, '.diglot.lock')), false);
  } finally {
    release();
    project.cleanup();
  }
});

test('a signal while a failed request waits for its retry: the retry is not sent (it would be billed), the run stops at once', {
  timeout: 120_000,
}, async (t) => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  const configFile = path.join(project.dir, 'diglot.config.json');
  writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), concurrency: 1 }));
  server.failNext(503, 1, { path: '/v2/translate' });
  try {
    // A wait long enough that, were it not cut short, the retry would go out before the run ended.
    const child = startCli(['build', '--root', project.dir], { ...env(), DIGLOT_RETRIES: '2', DIGLOT_RETRY_MS: '30000' }, t.signal);
    await child.printed('retry 1 of 2 in 30000 ms');
    child.kill('SIGINT');
    assert.equal(await child.done, 130, child.output.stderr);
    assert.equal(server.translateRequests().length, 1, 'only the request that failed was sent');
    assert.equal(existsSync(path.join(project.dir, '.diglot.lock')), false, 'the lock is released');
  } finally {
    project.cleanup();
  }
});

test('a signal once every request is on its way: every answer is kept, and the run says so rather than "again for the rest"', {
  timeout: 120_000,
}, async (t) => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  // Room for every article's request at once: all five are in flight when the signal comes.
  const configFile = path.join(project.dir, 'diglot.config.json');
  writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), concurrency: 8 }));
  const release = server.holdTranslations();
  try {
    const child = startCli(['build', '--root', project.dir], env(), t.signal);
    await server.translateRequestsArrived(5);
    child.kill('SIGINT');
    await child.printed('SIGINT: stopping');
    release();
    assert.equal(await child.done, 130);
    const { stderr } = child.output;
    assert.match(
      stderr,
      /interrupted: every text to translate \((\d+)\) was translated and kept in the memory; run `diglot build` again to write the editions\. output\/ was left as it was\./,
    );
    assert.doesNotMatch(stderr, /for the rest/);
    const { memory } = await TranslationMemory.open(path.join(project.dir, 'memory', 'memory.jsonl'));
    assert.equal(memory.size, new Set(server.textsSent()).size);
  } finally {
    release();
    project.cleanup();
  }
});

test('a signal to a command that holds the lock and does not stop in its own way (review import, memory import …) ends it with 130, the lock released', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-lock-signal-'));
  /** A run holding the lock of `dir` (test/hold-lock.ts), once it says it holds it; its exit code, stdout and stderr. */
  const holding = async (signal: NodeJS.Signals, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '..', 'hold-lock.ts'), dir, ...args], {
      cwd: path.join(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const done = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('locked')) resolve();
      }),
    );
    assert.ok(existsSync(path.join(dir, '.diglot.lock')));
    child.kill(signal);
    return { code: await done, out, err };
  };
  try {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const ended = await holding(signal);
      assert.equal(ended.code, 130, ended.err);
      assert.match(ended.err, new RegExp(`${signal}: interrupted; nothing is half-written`));
      assert.equal(existsSync(path.join(dir, '.diglot.lock')), false, 'the lock is released');
    }
    // A command listening for the signal itself (build, retranslate) stops in its own way.
    const own = await holding('SIGINT', '--own-handler');
    assert.equal(own.code, 0, own.err);
    assert.match(own.out, /stopped in its own way/);
    assert.doesNotMatch(own.err, /interrupted/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
