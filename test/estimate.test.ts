import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Estimate } from '../src/cli/estimate-command.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { projectFacts, runCli, sampleProject } from './helpers.js';
import { setEnglish } from './review-helpers.js';

const run = (args: string[], env: Record<string, string> = {}) => runCli(args, env);

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer({ validKeys: ['estimate-key'] });
});
after(async () => {
  await server.close();
});

test('estimate --help, and a listed command', async () => {
  const help = await run(['estimate', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: diglot estimate/);
  assert.match(help.stdout, /--json/);
  assert.match((await run(['--help'])).stdout, /estimate/);
  const bad = await run(['estimate', '--max']);
  assert.equal(bad.code, 2);
});

test('with an empty memory the estimate is exactly what the following build is billed', async () => {
  const project = sampleProject({ emptyMemory: true });
  try {
    server.reset();
    server.setUsageLimit(500_000, 1_234);
    const env = { DEEPL_AUTH_KEY: 'estimate-key', DEEPL_SERVER_URL: server.url };
    const estimated = await run(['estimate', '--root', project.dir, '--json'], env);
    assert.equal(estimated.code, 0, estimated.stderr);
    const e = JSON.parse(estimated.stdout) as Estimate;
    const facts = await projectFacts(project.dir);
    assert.equal(e.segments, facts.segments);
    assert.equal(e.fromMemory, 0);
    assert.equal(e.newSegments, facts.segments);
    assert.equal(e.distinctNewTexts, facts.distinct);
    assert.equal(e.requests, facts.requests);
    assert.ok(e.billedCharacters > 10_000);
    assert.deepEqual(e.usage, { characterCount: 1_234, characterLimit: 500_000, remaining: 498_766, fits: true });
    assert.equal(server.translateRequests().length, 0, 'estimate sends nothing to translate');

    const built = await run(['build', '--root', project.dir, '--json'], env);
    assert.equal(built.code, 0, built.stderr);
    assert.equal(server.billedCharacters(), e.billedCharacters, 'billed characters predicted exactly');
    assert.equal(server.translateRequests().length, e.requests, 'requests predicted exactly');

    // Afterwards everything is in the memory: nothing to send.
    const again = JSON.parse((await run(['estimate', '--root', project.dir, '--json'], env)).stdout) as Estimate;
    assert.equal(again.billedCharacters, 0);
    assert.equal(again.requests, 0);
    assert.equal(again.fromMemory, facts.segments);
  } finally {
    project.cleanup();
  }
});

test('with the shipped memory the estimate is 0 characters and 0 requests; no key, no usage', async () => {
  const project = sampleProject();
  try {
    const { segments } = await projectFacts(project.dir);
    const json = await run(['estimate', '--root', project.dir, '--json']);
    assert.equal(json.code, 0, json.stderr);
    const e = JSON.parse(json.stdout) as Estimate;
    assert.deepEqual(
      {
        segments: e.segments,
        fromMemory: e.fromMemory,
        newSegments: e.newSegments,
        billed: e.billedCharacters,
        requests: e.requests,
        usage: e.usage,
      },
      { segments, fromMemory: segments, newSegments: 0, billed: 0, requests: 0, usage: null },
    );
    const text = await run(['estimate', '--root', project.dir]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, new RegExp(`Segments: +${segments}\\n +in the memory: +${segments}\\n +new: +0 `));
    assert.match(text.stdout, /Characters to bill: +0\n/);
    assert.match(text.stdout, /Requests: +0\n/);
    assert.match(text.stdout, /set DEEPL_AUTH_KEY/);
    assert.doesNotMatch(text.stderr, /would refuse/);

    // A review file holding an edit not imported: the build would refuse, and the estimate says so.
    assert.equal((await run(['build', '--root', project.dir])).code, 0);
    const file = path.join(project.dir, 'output', '000_20a6b0fe2192dee9.review.md');
    writeFileSync(file, setEnglish(readFileSync(file, 'utf8'), 'aa2a0559', 'Edited, not imported.'));
    const pending = await run(['estimate', '--root', project.dir]);
    assert.equal(pending.code, 0, pending.stderr);
    assert.match(
      pending.stderr,
      /warning: build would refuse to run: a review file holds edits not imported yet:\n {2}output\/000_20a6b0fe2192dee9\.review\.md: 1 edit not imported \(line \d+\)\n {2}hint: run `diglot review import` first$/m,
    );
    const listed = JSON.parse((await run(['estimate', '--root', project.dir, '--json'])).stdout) as Estimate;
    assert.deepEqual(
      listed.unimportedEdits.map((f) => [f.file, f.edits.length, f.refused]),
      [['output/000_20a6b0fe2192dee9.review.md', 1, []]],
    );
  } finally {
    project.cleanup();
  }
});

test('repeats are counted once, and a run larger than what is left does not fit', async () => {
  const project = sampleProject();
  try {
    server.reset();
    const para = 'Dieser Absatz steht zweimal im neuen Artikel und wird trotzdem nur einmal berechnet.';
    writeFileSync(path.join(project.dir, 'sources', 'neu.md'), `# Neu\n\n${para}\n\n${para}\n`);
    server.setUsageLimit(1_000, 990);
    const env = { DEEPL_AUTH_KEY: 'estimate-key', DEEPL_SERVER_URL: server.url };
    const e = JSON.parse((await run(['estimate', '--root', project.dir, '--json'], env)).stdout) as Estimate;
    assert.equal(e.newSegments, 3);
    assert.equal(e.distinctNewTexts, 2);
    assert.equal(e.billedCharacters, 'Neu'.length + para.length);
    assert.equal(e.requests, 1);
    assert.equal(e.usage?.fits, false);
    const text = await run(['estimate', '--root', project.dir], env);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /990 of 1,000 characters this period \(10 left\)/);
    assert.match(text.stdout, /does NOT fit/);
    // Its one request needs more than the 10 left: no --max-characters would translate anything, and it says so.
    assert.deepEqual(e.usage?.withinLimit, { requests: 0, characters: 0 });
    assert.match(text.stdout, /No request fits in the 10 characters left/);
    assert.doesNotMatch(text.stdout, /--max-characters/);
    // With room for the first of two requests (another article), it names what that limit would translate.
    writeFileSync(path.join(project.dir, 'sources', 'zweiter.md'), '# Zwei\n\nEin kurzer zweiter Artikel.\n');
    server.setUsageLimit(1_000, 1_000 - (e.billedCharacters + 5));
    const two = await run(['estimate', '--root', project.dir], env);
    assert.match(
      two.stdout,
      new RegExp(
        `\`diglot build --max-characters ${e.billedCharacters + 5}\` translates what fits: 1 request \\(${e.billedCharacters} characters\\)`,
      ),
    );

    const rejected = await run(['estimate', '--root', project.dir], {
      DEEPL_AUTH_KEY: 'wrong-key',
      DEEPL_SERVER_URL: server.url,
      DIGLOT_RETRIES: '0',
    });
    assert.equal(rejected.code, 3);
    assert.match(rejected.stdout, /Characters to bill/, 'the plan is still shown');
    assert.match(rejected.stderr, /DeepL rejected the key/);
    assert.doesNotMatch(rejected.stdout + rejected.stderr, /wrong-key/);
  } finally {
    project.cleanup();
  }
});
