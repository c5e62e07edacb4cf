// W3C epubcheck on every book of a split edition (volumes of three articles): slow (a Java run a
// book), so it runs with the other slow tests (npm run test:slow, which CI runs), not in npm test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildBooks, project } from '../volume-projects.js';

const JAR = '/usr/share/java/epubcheck.jar';
const haveEpubcheck = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0 && existsSync(JAR);

test('W3C epubcheck reports nothing on any volume (default settings)', {
  skip: haveEpubcheck ? false : 'java or epubcheck.jar not available',
  timeout: 300_000,
}, async () => {
  const dir = project({ volumes: { articles: 3 }, baseUrl: 'https://example.org/' });
  await buildBooks(dir);
  const files = readdirSync(path.join(dir, 'output')).filter((n) => n.endsWith('.epub'));
  assert.equal(files.length, 6);
  for (const name of files) {
    const run = spawnSync('java', ['-jar', JAR, '--failonwarnings', path.join(dir, 'output', name)], { encoding: 'utf8' });
    const problems = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => /^(?:FATAL|ERROR|WARNING)/.test(l));
    assert.deepEqual(problems, [], name);
    assert.equal(run.status, 0, name);
  }
});
