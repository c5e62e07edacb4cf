/**
 * Full and read-only disks, made real with small tmpfs mounts over a temp project's folders (as
 * root, which CI is): diglot stops with a message naming the file and the errno and exit 7 (exit 2
 * before anything is sent), no stack trace, nothing billed that could not be kept, no temp file left.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { TranslationMemory } from '../../src/memory/translation-memory.js';
import { startDeepLServer, type DeepLServer } from '../deepl-server.js';
import { ROOT, runCli, sampleProject } from '../helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

/** Mounts a tmpfs of `size` over `dir`; `undefined` where this process may not mount (not root). */
function mountTmpfs(dir: string, size: string): { remountReadOnly: () => void; unmount: () => void } | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  return {
    remountReadOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir]),
    unmount: () => execFileSync('umount', [dir]),
  };
}

/** A project whose `folder` is a tmpfs of `size`; the test is skipped where mounting is not allowed. */
function projectWithTmpfs(t: TestContext, folder: string, size: string, options: { emptyMemory?: boolean } = {}) {
  const project = sampleProject(options);
  const dir = path.join(project.dir, folder);
  rmSync(dir, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', dir]);
  const mount = mountTmpfs(dir, size);
  if (!mount) {
    project.cleanup();
    t.skip('mounting a tmpfs needs root');
    return undefined;
  }
  return {
    dir: project.dir,
    folder: dir,
    ...mount,
    cleanup: () => {
      mount.unmount();
      project.cleanup();
    },
  };
}

/** Fills what is left of a small file system with one file. */
function fill(folder: string): string {
  const filler = path.join(folder, 'filler');
  const free = Number(execFileSync('df', ['--output=avail', '-B1', folder], { encoding: 'utf8' }).trim().split('\n')[1]);
  writeFileSync(filler, Buffer.alloc(free));
  return filler;
}

/** Many small articles, so a build makes many requests. */
function addArticles(dir: string, count = 20): void {
  for (let a = 0; a < count; a++) {
    const paragraphs = Array.from({ length: 5 }, (_, p) => `Artikel ${a}, Absatz ${p}: Die Allianz berät über die Ostflanke.`);
    writeFileSync(path.join(dir, 'sources', `extra-${String(a).padStart(2, '0')}.md`), `# Artikel ${a}\n\n${paragraphs.join('\n\n')}\n`);
  }
}

const withKey = (): Record<string, string> => ({ DEEPL_AUTH_KEY: 'storage-key', DEEPL_SERVER_URL: server.url, DIGLOT_RETRY_MS: '20' });

function assertNoTrace(stderr: string): void {
  assert.doesNotMatch(stderr, /internal error|This is a bug|\n\s+at /);
}

test('a read-only memory folder: build with a key stops before anything is sent (exit 2), naming the file and EROFS', async (t) => {
  const project = projectWithTmpfs(t, 'memory', '1m', { emptyMemory: true });
  if (!project) return;
  try {
    writeFileSync(path.join(project.folder, 'memory.jsonl'), '');
    project.remountReadOnly();
    server.reset();
    for (let run = 0; run < 2; run++) {
      const result = await runCli(['build', '--root', project.dir], withKey());
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /memory\/memory\.jsonl: the translation memory cannot be written \(EROFS\); nothing was sent/);
      assertNoTrace(result.stderr);
    }
    assert.equal(server.requests.length, 0, 'not a request, not even for the glossary');
  } finally {
    project.cleanup();
  }
});

test('the memory’s disk fills up during a build: the run stops sending, exit 7 naming the file and ENOSPC; after space is freed the next build completes', async (t) => {
  const project = projectWithTmpfs(t, 'memory', '1m', { emptyMemory: true });
  if (!project) return;
  try {
    // 100 articles, a request each, 4 at a time and 20 ms apiece: the first failed write (at the
    // first answer) comes long before the last request could go out.
    addArticles(project.dir, 100);
    writeFileSync(path.join(project.folder, 'memory.jsonl'), '');
    const filler = fill(project.folder);
    server.reset();
    server.setLatency(20);
    const result = await runCli(['build', '--root', project.dir], withKey());
    server.setLatency(0);
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stderr, /cannot write memory\/memory\.jsonl: the disk is full \(ENOSPC\)/);
    const kept =
      /(\d+) of (\d+) texts to translate were translated and kept in the memory; run `diglot build` again for the rest\. output\/ was left as it was/.exec(
        result.stderr,
      );
    assert.ok(kept, result.stderr);
    const stored = (await TranslationMemory.open(path.join(project.folder, 'memory.jsonl'))).memory.size;
    assert.equal(stored, Number(kept[1]), 'what the message says is kept is in the memory');
    assert.ok(stored < Number(kept[2]));
    assertNoTrace(result.stderr);
    const sentWhileFull = server.translateRequests().length;
    assert.deepEqual(readdirSync(project.folder).sort(), ['filler', 'memory.jsonl'], 'no temp file left in memory/');
    assert.equal(existsSync(path.join(project.dir, '.diglot.lock')), false, 'lock released');
    assert.deepEqual(
      existsSync(path.join(project.dir, 'output')) ? readdirSync(path.join(project.dir, 'output')) : [],
      [],
      'nothing in output/',
    );

    rmSync(filler);
    server.reset();
    const again = await runCli(['build', '--root', project.dir], withKey());
    assert.equal(again.code, 0, `${again.stderr}${again.stdout}`);
    assert.ok(
      sentWhileFull < server.translateRequests().length,
      `the full disk stopped the sending early (${sentWhileFull} requests, a whole build makes ${server.translateRequests().length})`,
    );
  } finally {
    project.cleanup();
  }
});

test('output/ on a full disk: exit 7 naming the file and ENOSPC, no temp or partial file left, the memory untouched', async (t) => {
  const project = projectWithTmpfs(t, 'output', '64k');
  if (!project) return;
  try {
    const memory = readFileSync(path.join(project.dir, 'memory', 'memory.jsonl'), 'utf8');
    const result = await runCli(['build', '--root', project.dir]);
    assert.equal(result.code, 7, result.stderr);
    assert.match(
      result.stderr,
      /cannot write output\/\S+: the disk is full \(ENOSPC\); every translation is kept in the memory; output\/ was left as it was/,
    );
    assertNoTrace(result.stderr);
    assert.deepEqual(readdirSync(project.folder), []);
    assert.equal(readFileSync(path.join(project.dir, 'memory', 'memory.jsonl'), 'utf8'), memory);
  } finally {
    project.cleanup();
  }
});

test('memory compact on a full disk: exit 7, the memory as it was, its temp file removed', async (t) => {
  const project = projectWithTmpfs(t, 'memory', '128k');
  if (!project) return;
  try {
    const file = path.join(project.folder, 'memory.jsonl');
    copyFileSync(path.join(ROOT, 'memory', 'memory.jsonl'), file);
    // Out of order, so compact has something to rewrite.
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n').reverse();
    writeFileSync(file, `${lines.join('\n')}\n`);
    const before = readFileSync(file, 'utf8');
    fill(project.folder);
    const result = await runCli(['memory', 'compact', '--root', project.dir]);
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stderr, /cannot write memory\/memory\.jsonl: the disk is full \(ENOSPC\); the memory file is as it was/);
    assertNoTrace(result.stderr);
    assert.equal(readFileSync(file, 'utf8'), before);
    assert.deepEqual(readdirSync(project.folder).sort(), ['filler', 'memory.jsonl']);
  } finally {
    project.cleanup();
  }
});

test('a read-only project: commands stop at the lock, exit 7 naming it and EROFS, nothing left; a folder where an output goes: exit 7', async (t) => {
  const project = sampleProject();
  const root = path.join(project.dir, 'ro');
  execFileSync('mkdir', ['-p', root]);
  const mount = mountTmpfs(root, '16m');
  if (!mount) {
    project.cleanup();
    t.skip('mounting a tmpfs needs root');
    return;
  }
  try {
    execFileSync('cp', ['-r', ...['diglot.config.json', 'sources', 'memory', 'glossary'].map((f) => path.join(project.dir, f)), root]);
    mount.remountReadOnly();
    for (const args of [['build'], ['memory', 'compact'], ['glossary', 'add', 'Gipfel', 'summit']]) {
      const result = await runCli([...args, '--root', root]);
      assert.equal(result.code, 7, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /cannot write \.diglot\.lock: the file system is read-only \(EROFS\); nothing was changed/);
      assertNoTrace(result.stderr);
    }
    assert.deepEqual(readdirSync(root).sort(), ['diglot.config.json', 'glossary', 'memory', 'sources']);
  } finally {
    mount.unmount();
    project.cleanup();
  }

  const writable = sampleProject();
  try {
    execFileSync('mkdir', ['-p', path.join(writable.dir, 'output', 'review.html')]);
    const result = await runCli(['build', '--root', writable.dir]);
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stderr, /^error: \S*output\/review\.html: it is a folder, where a file belongs \(EISDIR\)/m);
    assertNoTrace(result.stderr);
  } finally {
    writable.cleanup();
  }
});

test('init on a full disk: exit 7 naming the file and ENOSPC, and nothing left behind (no empty config that would block the next init)', async (t) => {
  const project = projectWithTmpfs(t, 'new', '64k');
  if (!project) return;
  try {
    fill(project.folder);
    const result = await runCli(['init', path.join(project.folder, 'edition')]);
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stderr, /cannot write \S+: the disk is full \(ENOSPC\); nothing was left behind/);
    assertNoTrace(result.stderr);
    assert.deepEqual(readdirSync(project.folder), ['filler']);
  } finally {
    project.cleanup();
  }
});
