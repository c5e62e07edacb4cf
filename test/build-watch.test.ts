// `diglot build --watch`, run as a user runs it: each change to a source or a review file builds
// that article again (edits imported first, a broken file refused), another run's change to the
// memory builds every article, and Ctrl-C leaves no lock.
// Every wait is for a line the command prints, never for a time.
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { CLI, read, runCli, sampleProject, startCli } from './helpers.js';
import { setEnglish } from './review-helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer({ validKeys: ['good-key:fx'] });
});
after(async () => {
  await server.close();
});

/** `diglot build --watch` on a project, with the test server's key. */
function watch(dir: string, signal: AbortSignal, cli?: string): ReturnType<typeof startCli> {
  return startCli(['build', '--watch', '--root', dir], { DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url }, signal, cli);
}

const A = '001_4a3d075f46cdf68a';
const B = '002_1f1ee89d9a986150';
const C = '003_3fbf0cb9b090180e';
const D = '004_b128dabdfb1e0af2';

test('--watch builds a changed source, imports an edited review file, refuses a broken one, and stops cleanly', {
  timeout: 120_000,
}, async (t) => {
  const project = sampleProject();
  const out = (name: string): string => path.join(project.dir, 'output', name);
  server.reset();
  const cli = watch(project.dir, t.signal);
  try {
    await cli.printed('watching');
    assert.match(cli.output.stderr, /built 5 articles: /, cli.output.stderr);
    assert.equal(server.translateRequests().length, 0, 'the memory holds the sample');

    // A paragraph added to a source: that article alone is built, its new text sent to DeepL.
    appendFileSync(path.join(project.dir, 'sources', `${A}.txt`), '\nEin ganz neuer Absatz über das Wetter.\n');
    await cli.printed(`sources/${A}.txt changed: built 1 article of 5`);
    assert.deepEqual(server.textsSent(), ['Ein ganz neuer Absatz über das Wetter.']);
    assert.match(read(out(`${A}.en.md`)), /EN: Ein ganz neuer Absatz über das Wetter\./);

    // A reviewer's edit: imported into the memory, then the article built with it.
    const review = read(out(`${B}.review.md`));
    writeFileSync(out(`${B}.review.md`), review.replace(/^The alliance has said from the outset/m, 'The Alliance said from the start'));
    await cli.printed(`1 edit imported from output/${B}.review.md: built 1 article of 5`);
    // A heading's English changed: every article is built (another's English Markdown may link to it by that English).
    writeFileSync(
      out(`${B}.review.md`),
      read(out(`${B}.review.md`)).replace(/^## Preparing for Biden's defeat in the US election$/m, "## Preparing for Biden's defeat"),
    );
    await cli.printed(`1 edit imported from output/${B}.review.md: built 5 articles`);
    const olderBuffer = read(out(`${B}.review.md`));
    const entries = read(path.join(project.dir, 'memory', 'memory.jsonl'))
      .split('\n')
      .filter((l) => l.includes('The Alliance said from the start'))
      .map((l) => JSON.parse(l) as { target: string; origin: string; status: string });
    assert.deepEqual(
      entries.map((e) => [e.target.slice(0, 32), e.origin, e.status]),
      [['The Alliance said from the start', 'human', 'reviewed']],
    );
    assert.match(read(out(`${B}.en.md`)), /The Alliance said from the start/);

    // A changed German is refused whole, as `review import` refuses it, and the file is not overwritten.
    const broken = read(out(`${C}.review.md`)).replace(/(<!-- segment [^\n]*-->\n\n> )/, '$1Verändert ');
    writeFileSync(out(`${C}.review.md`), broken);
    await cli.printed('refused: not built');
    assert.equal(read(out(`${C}.review.md`)), broken);

    // The glossary: every article is built again (the refused file's article too, so the build refuses as a whole).
    appendFileSync(path.join(project.dir, 'glossary', 'terms.csv'), 'Wetterbericht,weather report,,\n');
    await cli.printed('glossary/terms.csv changed: build stopped (exit 2)');
    assert.equal(read(out(`${C}.review.md`)), broken);
    // The file mended: the build the glossary asked for, which stopped, is owed and runs now.
    writeFileSync(out(`${C}.review.md`), read(out(`${C}.review.md`)).replace('Verändert ', ''));
    await cli.printed('what the last failed build left: built 5 articles');
    appendFileSync(path.join(project.dir, 'glossary', 'terms.csv'), 'Regenschirm,umbrella,,\n');
    await cli.printed('glossary/terms.csv changed: built 5 articles');

    // Another run changes the memory (the review app saving a pair): the editions follow.
    const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
    const line = read(memoryFile)
      .split('\n')
      .find((l) => l.includes('The Alliance said from the start')) as string;
    appendFileSync(
      memoryFile,
      `${JSON.stringify({ ...JSON.parse(line), target: 'Saved in the review app.', updated: '2030-01-01T00:00:00.000Z' })}\n`,
    );
    await cli.printed('memory/memory.jsonl changed: built 5 articles');
    assert.match(read(out(`${B}.en.md`)), /Saved in the review app\./);

    // An editor's older buffer saved over the review file the build wrote: an English the memory held before. The
    // memory's newer English is kept, and the file refused, as `review import` refuses it; saved again as it was, it is fine.
    const current = read(out(`${B}.review.md`));
    writeFileSync(out(`${B}.review.md`), olderBuffer);
    await cli.printed('shows an English the memory held before');
    writeFileSync(out(`${B}.review.md`), current);

    // A source removed is said to be removed, and every article built (the books lose it).
    rmSync(path.join(project.dir, 'sources', `${C}.txt`));
    await cli.printed(`sources/${C}.txt removed: built 4 articles`);
    // A source emptied is no article any more, as a build skips it: every article built, and its files gone.
    writeFileSync(path.join(project.dir, 'sources', `${D}.txt`), '\n');
    await cli.printed(`sources/${D}.txt emptied: built 3 articles`);
    assert.equal(existsSync(out(`${D}.en.md`)), false, cli.output.stderr);
    // A review file deleted (to start afresh): written again.
    rmSync(out(`${B}.review.md`));
    await cli.printed(`output/${B}.review.md removed: built 1 article of 3`);
    assert.ok(existsSync(out(`${B}.review.md`)));
    // So is one emptied (an editor that crashed saving).
    writeFileSync(out(`${B}.review.md`), '');
    await cli.printed(`output/${B}.review.md emptied: built 1 article of 3`);
    assert.match(read(out(`${B}.review.md`)), /<!-- segment /, cli.output.stderr);

    cli.kill('SIGINT');
    assert.equal(await cli.done, 0, cli.output.stderr);
    // diglot's own writes (the translations and imports above went into the memory) never set off a build: one line per change above.
    assert.equal(cli.output.stderr.match(/ built \d+ articles?/g)?.length, 11, cli.output.stderr);
    assert.equal(existsSync(path.join(project.dir, '.diglot.lock')), false);
    assert.deepEqual(
      readdirSync(out('')).filter((n) => n.endsWith('.tmp')),
      [],
    );
  } finally {
    cli.kill('SIGKILL');
    project.cleanup();
  }
});

test('--watch builds the articles that link to a changed source too, and every article for one added', {
  timeout: 120_000,
}, async (t) => {
  const project = sampleProject();
  const out = (name: string): string => path.join(project.dir, 'output', name);
  const source = (name: string): string => path.join(project.dir, 'sources', name);
  writeFileSync(source('x.md'), 'Siehe [dort](y.md#abschnitt-eins) und [hier](z.md).\n');
  writeFileSync(source('y.md'), '# Titel Y\n\nText.\n\n## Abschnitt eins\n\nMehr Text.\n');
  const cli = watch(project.dir, t.signal);
  try {
    await cli.printed('watching');
    assert.match(read(out('x.en.md')), /\(y\.en\.md#en-abschnitt-eins\)/, 'linked by the English heading');
    assert.match(read(out('x.en.md')), /\(\.\.\/sources\/z\.md\)/, 'not there yet: to the file as written');

    // The heading renamed: x's link no longer finds it, and x is built with y, as a build of every article would.
    writeFileSync(source('y.md'), read(source('y.md')).replace('## Abschnitt eins', '## Abschnitt zwei'));
    await cli.printed('sources/y.md changed: built 2 articles of 7');
    assert.doesNotMatch(read(out('x.en.md')), /en-abschnitt-eins/);
    // An article added: the books hold it, and every link to it finds it.
    writeFileSync(source('z.md'), '# Titel Z\n\nText Z.\n');
    await cli.printed('sources/z.md added: built 8 articles');
    assert.match(read(out('x.en.md')), /\(z\.en\.md\)/);
    cli.kill('SIGINT');
    assert.equal(await cli.done, 0, cli.output.stderr);
  } finally {
    cli.kill('SIGKILL');
    project.cleanup();
  }
});

test('a build that stops is owed: after a memory with a conflict is mended, every article is built, with the edit saved meanwhile', {
  timeout: 120_000,
}, async (t) => {
  const project = sampleProject();
  const out = (name: string): string => path.join(project.dir, 'output', name);
  const memoryFile = path.join(project.dir, 'memory', 'memory.jsonl');
  const cli = startCli(['build', '--watch', '--root', project.dir], {}, t.signal);
  try {
    await cli.printed('watching');
    const good = read(memoryFile);
    // Another run changes a pair of article A and leaves a conflict marker: the build of every article stops.
    const line = good.split('\n').find((l) => l.includes('The alliance has said from the outset')) as string;
    const changed = `${JSON.stringify({ ...JSON.parse(line), target: 'Changed elsewhere.', updated: '2030-01-01T00:00:00.000Z' })}\n`;
    writeFileSync(memoryFile, `${good}${changed}<<<<<<< HEAD\n`);
    await cli.printed('memory/memory.jsonl changed: build stopped (exit 2)');
    // A reviewer saves an edit of article C meanwhile: it cannot be imported into that memory.
    const review = read(out(`${C}.review.md`));
    const edited = review.replace(/(<!-- EN -->\n\n)([^\n]+)/, '$1Edited while the memory was broken.');
    assert.notEqual(edited, review);
    writeFileSync(out(`${C}.review.md`), edited);
    await cli.printed('git conflict marker');
    // The memory mended: the edit is imported and every article built, the pair changed elsewhere too.
    writeFileSync(memoryFile, `${good}${changed}`);
    await cli.printed('what the last failed build left: built 5 articles');
    assert.match(read(out(`${B}.en.md`)), /Changed elsewhere\./);
    assert.match(read(out(`${C}.en.md`)), /Edited while the memory was broken\./);
    cli.kill('SIGINT');
    assert.equal(await cli.done, 0, cli.output.stderr);
  } finally {
    cli.kill('SIGKILL');
    project.cleanup();
  }
});

test('a config that does not load holds a --watch session back: no build with the old one, and an edit saved meanwhile is imported once it is fixed', {
  timeout: 120_000,
}, async (t) => {
  const project = sampleProject();
  const out = (name: string): string => path.join(project.dir, 'output', name);
  const configFile = path.join(project.dir, 'diglot.config.json');
  const glossaryFile = path.join(project.dir, 'glossary', 'terms.csv');
  const cli = startCli(['build', '--watch', '--root', project.dir], {}, t.signal);
  try {
    await cli.printed('watching');
    const good = read(configFile);
    writeFileSync(configFile, good.replace(/\}\s*$/, ''));
    await cli.printed('diglot.config.json changed: not built (the config above must be fixed first).');
    // A reviewer saves an edit meanwhile, and the glossary changes: neither is built with the old config.
    const review = read(out(`${C}.review.md`));
    writeFileSync(out(`${C}.review.md`), review.replace(/(<!-- EN -->\n\n)([^\n]+)/, '$1Edited while the config was broken.'));
    await cli.printed('must be fixed first', 2);
    appendFileSync(glossaryFile, 'Kanzleramt,Chancellery,,\n');
    await cli.printed('must be fixed first', 3);
    const held = cli.output.stderr.slice(cli.output.stderr.indexOf('must be fixed first'));
    assert.doesNotMatch(held, /built \d+ articles?/, 'nothing built with the old config');
    writeFileSync(configFile, good);
    await cli.printed('1 edit imported from');
    assert.match(read(out(`${C}.en.md`)), /Edited while the config was broken\./);
    assert.doesNotMatch(cli.output.stderr, /build stopped/);
    cli.kill('SIGINT');
    assert.equal(await cli.done, 0, cli.output.stderr);
  } finally {
    cli.kill('SIGKILL');
    project.cleanup();
  }
});

test('Ctrl-C during a --watch build stops it: exit 130, what came back kept, output/ untouched, no lock', {
  timeout: 120_000,
}, async (t) => {
  const project = sampleProject({ emptyMemory: true });
  server.reset();
  const release = server.holdTranslations();
  const cli = watch(project.dir, t.signal);
  try {
    await server.translateRequestsArrived(1);
    cli.kill('SIGINT');
    await cli.printed('SIGINT: stopping');
    release();
    assert.equal(await cli.done, 130, cli.output.stderr);
    assert.match(cli.output.stderr, /build stopped \(exit 130\)/);
    assert.doesNotMatch(cli.output.stderr, /watching/);
    assert.equal(existsSync(path.join(project.dir, '.diglot.lock')), false);
    const written = existsSync(path.join(project.dir, 'output')) ? readdirSync(path.join(project.dir, 'output')) : [];
    assert.deepEqual(written, [], 'output/ was left as it was: no file, no temp file');
    assert.notEqual(read(path.join(project.dir, 'memory', 'memory.jsonl')), '', 'the answers on their way were kept');
  } finally {
    release();
    cli.kill('SIGKILL');
    project.cleanup();
  }
});

test('a --watch session keys what it keeps by the program it runs: after an upgrade installed meanwhile, the new one renders every article again', {
  timeout: 120_000,
}, async (t) => {
  const project = sampleProject();
  // A copy of the command, to be "upgraded" while the session runs: another build of the same code (a byte more).
  const pkg = mkdtempSync(path.join(tmpdir(), 'diglot-pkg-'));
  const bundle = path.join(pkg, 'dist', 'cli', 'main.js');
  mkdirSync(path.dirname(bundle), { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ type: 'module', version: '0.0.0-test' }));
  cpSync(CLI, bundle);
  server.reset();
  const cli = watch(project.dir, t.signal, bundle);
  try {
    await cli.printed('watching');
    writeFileSync(`${bundle}.new`, `${read(CLI)}\n// the next version\n`);
    renameSync(`${bundle}.new`, bundle);
    appendFileSync(path.join(project.dir, 'sources', `${A}.txt`), '\nEin ganz neuer Absatz über das Wetter.\n');
    await cli.printed(`sources/${A}.txt changed: built 1 article of 5`);
    cli.kill('SIGINT');
    assert.equal(await cli.done, 0, cli.output.stderr);

    // The session's build was the old program's: the new one finds nothing it made, and renders every article.
    const upgraded = await runCli(
      ['build', '--root', project.dir, '--json'],
      { DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url },
      tmpdir(),
      bundle,
    );
    assert.equal(upgraded.code, 0, upgraded.stderr);
    const built = JSON.parse(upgraded.stdout) as { upToDate: boolean; kept: number };
    assert.equal(built.upToDate, false);
    assert.equal(built.kept, 0);
  } finally {
    cli.kill('SIGKILL');
    project.cleanup();
    rmSync(pkg, { recursive: true, force: true });
  }
});

test('--watch imports an edit saved in the review file of an article renamed since, or in a mailed copy, and builds every article: no stuck session', {
  timeout: 120_000,
}, async (t) => {
  const project = sampleProject();
  const out = (name: string): string => path.join(project.dir, 'output', name);
  const cli = watch(project.dir, t.signal);
  try {
    await cli.printed('watching');
    renameSync(path.join(project.dir, 'sources', `${A}.txt`), path.join(project.dir, 'sources', 'umbenannt.txt'));
    await cli.printed(`sources/umbenannt.txt added: built 5 articles`);
    // The old file, left as it was, edited: imported, and the renamed article built with the edit.
    writeFileSync(out(`${A}.review.md`), setEnglish(read(out(`${A}.review.md`)), '3d738bd5', 'Edited in the old file.'));
    await cli.printed(`1 edit imported from output/${A}.review.md: built 5 articles`);
    assert.match(read(out('umbenannt.en.md')), /Edited in the old file\./);
    // A copy sent back by mail, saved beside the files: the same.
    writeFileSync(out(`${B} (1).review.md`), setEnglish(read(out(`${B}.review.md`)), '24646f98', 'Mailed back.'));
    await cli.printed(`1 edit imported from output/${B} (1).review.md: built 5 articles`);
    assert.match(read(out(`${B}.en.md`)), /Mailed back\./);
    // And the session goes on building what changes.
    appendFileSync(path.join(project.dir, 'sources', `${C}.txt`), '\nEin letzter Absatz.\n');
    await cli.printed(`sources/${C}.txt changed: built 1 article of 5`);
    assert.doesNotMatch(cli.output.stderr, /no article/);
    cli.kill('SIGINT');
    assert.equal(await cli.done, 0, cli.output.stderr);
  } finally {
    cli.kill('SIGKILL');
    project.cleanup();
  }
});

test('--watch waits while git is in the middle of a rebase or merge, and builds what changed once it is done', {
  timeout: 120_000,
}, async (t) => {
  const project = sampleProject();
  const git = (...args: string[]) => spawnSync('git', args, { cwd: project.dir, encoding: 'utf8' });
  assert.equal(git('init', '-q').status, 0);
  const cli = watch(project.dir, t.signal);
  try {
    await cli.printed('watching');
    // What git leaves while a merge waits to be resolved (a rebase leaves .git/rebase-merge).
    writeFileSync(path.join(project.dir, '.git', 'MERGE_HEAD'), `${'0'.repeat(40)}\n`);
    appendFileSync(path.join(project.dir, 'sources', `${A}.txt`), '\nEin Absatz mitten im Merge.\n');
    await cli.printed('git is in the middle of a merge: not built until it is done.');
    assert.doesNotMatch(cli.output.stderr, /Ein Absatz mitten im Merge|built 1 article/);
    rmSync(path.join(project.dir, '.git', 'MERGE_HEAD'));
    await cli.printed(`sources/${A}.txt changed: built 1 article of 5`);
    cli.kill('SIGINT');
    assert.equal(await cli.done, 0, cli.output.stderr);
  } finally {
    cli.kill('SIGKILL');
    project.cleanup();
  }
});
