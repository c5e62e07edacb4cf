import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const codeCache = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli/code-cache.ts');
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Run {
  /** What runWithCodeCache returned: none, accepted or rejected. */
  use: string;
  /** What the program printed about itself. */
  out: { line: string; file: string; dir: string; sep: string; square: number; argv: string[] };
}

/**
 * A CommonJS program with a shebang line, and a runner (a separate Node process each time, as
 * the CLI is) that loads it through runWithCodeCache and writes what happened with the cache to
 * stderr.
 */
function setUp(): { dir: string; program: string; cache: string; run: (options?: { refresh?: boolean; cacheFile?: string }) => Run } {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-code-cache-'));
  dirs.push(dir);
  const program = path.join(dir, 'program.cjs');
  writeFileSync(
    program,
    [
      '#!/usr/bin/env node',
      "const here = new Error().stack.split('\\n')[1];",
      'module.exports.square = (n) => n * n;',
      "console.log(JSON.stringify({ line: /:(\\d+):\\d+\\)?$/.exec(here)[1], file: __filename, dir: __dirname, sep: require('node:path').sep, square: module.exports.square(12), argv: process.argv.slice(2) }));",
    ].join('\n'),
  );
  const runner = path.join(dir, 'runner.mts');
  writeFileSync(
    runner,
    `import { runWithCodeCache } from ${JSON.stringify(codeCache)};\n` +
      `const [program, cacheFile] = process.argv.splice(2, 2);\n` +
      `process.stderr.write(runWithCodeCache(program, { cacheFile, refresh: process.env.REFRESH === '1' }));\n`,
  );
  const cache = path.join(dir, 'program.cjs.cache');
  const run = ({ refresh = false, cacheFile = cache } = {}): Run => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', runner, program, cacheFile, 'an-argument'], {
      env: { ...process.env, REFRESH: refresh ? '1' : '0' },
      encoding: 'utf8',
    });
    assert.equal(child.status, 0, child.stderr);
    return { use: child.stderr, out: JSON.parse(child.stdout) as Run['out'] };
  };
  return { dir, program, cache, run };
}

test('runWithCodeCache runs a CommonJS file as Node would: its own require, __filename, __dirname, argv, line numbers past the shebang', () => {
  const { dir, program, run } = setUp();
  const { out } = run();
  assert.deepEqual(out, { line: '2', file: program, dir, sep: path.sep, square: 144, argv: ['an-argument'] });
});

test('the first run writes the code cache, the next one uses it and leaves it alone', () => {
  const { dir, cache, run } = setUp();
  const first = run();
  assert.equal(first.use, 'none');
  assert.ok(existsSync(cache), 'cache written on exit');
  const written = readFileSync(cache);
  assert.ok(written.length > 0);
  const second = run();
  assert.equal(second.use, 'accepted');
  assert.deepEqual(second.out, first.out);
  assert.deepEqual(readFileSync(cache), written, 'an accepted cache is not rewritten');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('a cache V8 rejects (corrupt, or made for other source) is rewritten, and the program still runs', () => {
  const { program, cache, run } = setUp();
  writeFileSync(cache, 'not a code cache at all');
  const corrupt = run();
  assert.equal(corrupt.use, 'rejected');
  assert.equal(corrupt.out.square, 144);
  assert.equal(run().use, 'accepted', 'the rewritten cache is good');

  // A rebuilt program: the old cache does not match its source.
  writeFileSync(program, readFileSync(program, 'utf8').replace('n * n', 'n * n * 1'));
  assert.equal(run().use, 'rejected');
  assert.equal(run().use, 'accepted');
});

test('refresh rewrites an accepted cache; a cache that cannot be written only costs the speed-up', () => {
  const { dir, cache, run } = setUp();
  run();
  // The cache is replaced by a rename, so a rewrite shows as a new inode.
  const inode = statSync(cache).ino;
  assert.equal(run().use, 'accepted');
  assert.equal(statSync(cache).ino, inode, 'not rewritten without refresh');
  assert.equal(run({ refresh: true }).use, 'accepted');
  assert.notEqual(statSync(cache).ino, inode, 'rewritten with refresh');
  assert.equal(run().use, 'accepted');

  const nowhere = path.join(dir, 'no-such-folder', 'program.cjs.cache');
  const unwritable = run({ cacheFile: nowhere });
  assert.equal(unwritable.use, 'none');
  assert.equal(unwritable.out.square, 144);
  assert.equal(existsSync(path.dirname(nowhere)), false);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});
