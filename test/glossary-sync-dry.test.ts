// `glossary sync --dry-run`: the entry-level diff against the last synced state without a key (nothing
// sent), against DeepL's dictionary with one; a real sync records what it sent.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { deeplEntries } from '../src/glossary/deepl-entries.js';
import { parseGlossary } from '../src/glossary/parse-glossary.js';
import { readSyncedState, writeSyncedState } from '../src/glossary/synced-state.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { ROOT, runCli, sampleProject } from './helpers.js';

const shipped = readFileSync(path.join(ROOT, 'test', 'fixtures', 'terms.csv'), 'utf8');
/** The shipped glossary with one term added (hybride Kriegsführung), one removed (Nato-Russland-Rat) and one English changed (Ostflanke). */
const edited = shipped
  .split('\n')
  .filter((l) => !l.startsWith('Nato-Russland-Rat,'))
  .map((l) => (l.startsWith('Ostflanke,') ? l.replace('Ostflanke,eastern flank,', 'Ostflanke,Eastern Flank,') : l))
  .join('\n')
  .concat('hybride Kriegsführung,hybrid warfare,,\n');

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

/** A sample project holding `glossary`; its synced state is `glossary/terms.synced.json`. */
function projectWith(glossary: string): { dir: string; glossary: string; state: string; cleanup: () => void } {
  const project = sampleProject();
  const file = path.join(project.dir, 'glossary', 'terms.csv');
  writeFileSync(file, glossary);
  return { ...project, glossary: file, state: path.join(project.dir, 'glossary', 'terms.synced.json') };
}

const entriesOf = (csv: string): Array<[string, string]> => deeplEntries(parseGlossary(csv, 'terms.csv').glossary);

test('without a key, --dry-run lists the entries added, removed and changed since the last sync, and sends nothing', async () => {
  const project = projectWith(edited);
  try {
    await writeSyncedState(project.state, { glossary: 'diglot/x #000000000000', entries: entriesOf(shipped) });
    const state = readFileSync(project.state, 'utf8');
    server.requests.length = 0;
    // The server's URL is set, the key is not: nothing may reach it.
    const run = await runCli(['glossary', 'sync', '--dry-run', '--root', project.dir], { DEEPL_SERVER_URL: server.url });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(server.requests.length, 0, 'nothing sent');
    assert.equal(readFileSync(project.state, 'utf8'), state, 'the state is not rewritten');
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines[0], '(dry run) Compared with the last sync (glossary/terms.synced.json): 2 entries added, 6 removed, 1 changed.');
    assert.deepEqual(lines.slice(1), [
      // The capitalised entry DeepL gets for a lower-case term is folded into it.
      '  + hybride Kriegsführung → hybrid warfare  (and capitalised)',
      '  - NATO-Russland-Rat → NATO-Russia Council',
      '  - NATO-Russland-Rates → NATO-Russia Council',
      '  - NATO-Russland-Rats → NATO-Russia Council',
      '  - Nato-Russland-Rat → NATO-Russia Council',
      '  - Nato-Russland-Rates → NATO-Russia Council',
      '  - Nato-Russland-Rats → NATO-Russia Council',
      '  ~ Ostflanke: eastern flank → Eastern Flank',
    ]);

    const json = await runCli(['glossary', 'sync', '--dry-run', '--json', '--root', project.dir]);
    assert.equal(json.code, 0, json.stderr);
    const diff = JSON.parse(json.stdout) as { against: string; added: unknown[]; removed: unknown[]; changed: unknown[] };
    assert.equal(diff.against, 'synced-state');
    assert.deepEqual(diff.added, [
      ['Hybride Kriegsführung', 'hybrid warfare'],
      ['hybride Kriegsführung', 'hybrid warfare'],
    ]);
    assert.equal(diff.removed.length, 6);
    assert.deepEqual(diff.changed, [{ source: 'Ostflanke', from: 'eastern flank', to: 'Eastern Flank' }]);
  } finally {
    project.cleanup();
  }
});

test('without a key and no synced state yet, every entry counts as added; a broken state file is named with its line', async () => {
  const project = projectWith('german,english,forms,note\nGipfel,summit,,\nrote Linien,red lines,,\n');
  try {
    const run = await runCli(['glossary', 'sync', '--dry-run', '--root', project.dir]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /No glossary\/terms\.synced\.json yet/);
    assert.match(run.stdout, /Compared with an empty glossary \(no sync yet\): 3 entries added/);
    assert.match(
      run.stdout,
      /3 entries added, 0 removed, 0 changed\.\n {2}\+ Gipfel → summit\n {2}\+ rote Linien → red lines {2}\(and capitalised\)\n$/,
    );
    assert.equal(existsSync(project.state), false);

    writeFileSync(project.state, '{\n  "glossary": "x",\n  "entries": {\n    "Gipfel": "summit",\n  }\n}\n');
    const broken = await runCli(['glossary', 'sync', '--dry-run', '--root', project.dir]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /glossary\/terms\.synced\.json:5: not valid JSON/);
    // Two clones synced on two branches: git's markers are named as such, with the way out.
    writeFileSync(project.state, '{\n<<<<<<< HEAD\n  "glossary": "a",\n=======\n  "glossary": "b",\n>>>>>>> theirs\n  "entries": {}\n}\n');
    const unmerged = await runCli(['glossary', 'sync', '--dry-run', '--root', project.dir]);
    assert.equal(unmerged.code, 2);
    assert.match(unmerged.stderr, /glossary\/terms\.synced\.json:2: git left it unmerged/);
    assert.match(unmerged.stderr, /git checkout --theirs glossary\/terms\.synced\.json/);
    // Without --dry-run a key is still needed.
    const real = await runCli(['glossary', 'sync', '--root', project.dir]);
    assert.equal(real.code, 2);
    assert.match(real.stderr, /needs DEEPL_AUTH_KEY/);
  } finally {
    project.cleanup();
  }
});

test('a real sync records what DeepL holds; with a key, --dry-run compares with DeepL and writes nothing', async () => {
  const project = projectWith(shipped);
  const env = { DEEPL_AUTH_KEY: 'good-key:fx', DEEPL_SERVER_URL: server.url, DIGLOT_RETRIES: '0' };
  try {
    const synced = await runCli(['glossary', 'sync', '--root', project.dir], env);
    assert.equal(synced.code, 0, synced.stderr);
    const state = await readSyncedState(project.state);
    assert.deepEqual(state?.entries, entriesOf(shipped));
    const id = [...server.glossaries.values()].find((g) => g.name === state?.glossary)?.glossaryId;
    assert.ok(id !== undefined, 'the state names the DeepL glossary');

    writeFileSync(project.glossary, edited);
    // Someone changed DeepL's copy by hand: the dry run with a key sees it, the state does not.
    server.glossaries.get(id)?.dictionaries[0]?.entries.set('Ostflanken', 'east flanks');
    const stateText = readFileSync(project.state, 'utf8');
    const writes = server.requests.filter((r) => r.method !== 'GET').length;
    const dry = await runCli(['glossary', 'sync', '--dry-run', '--root', project.dir], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(server.requests.filter((r) => r.method !== 'GET').length, writes, 'a dry run writes nothing to DeepL');
    assert.equal(readFileSync(project.state, 'utf8'), stateText, 'nor to the state');
    assert.match(dry.stdout, /\(dry run\) DeepL glossary "diglot\/[^"]+ #[0-9a-f]+" would be created\./);
    assert.match(dry.stdout, new RegExp(`Compared with DeepL's dictionary of ${id}: 2 entries added, 6 removed, 2 changed\\.`));
    assert.match(dry.stdout, / {2}~ Ostflanken: east flanks → eastern flanks\n/);
    assert.match(dry.stdout, / {2}~ Ostflanke: eastern flank → Eastern Flank\n/);
    const keyless = await runCli(['glossary', 'sync', '--dry-run', '--root', project.dir]);
    assert.doesNotMatch(keyless.stdout, /Ostflanken:/);

    // The real sync makes a glossary of the new entries (the old one, made today, is kept) and records the new state.
    const real = await runCli(['glossary', 'sync', '--root', project.dir], env);
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /Kept: 1 other glossary of this project made within the last day/);
    assert.equal(
      server.glossaries.get(id)?.dictionaries[0]?.entries.get('Ostflanken'),
      'east flanks',
      'the glossary in use is not changed',
    );
    assert.deepEqual((await readSyncedState(project.state))?.entries, entriesOf(edited));
    const none = await runCli(['glossary', 'sync', '--dry-run', '--root', project.dir]);
    assert.match(none.stdout, /0 entries added, 0 removed, 0 changed\.\n$/);
  } finally {
    project.cleanup();
  }
});
