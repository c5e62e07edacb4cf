// "Nothing lost" for the glossary (#19): edits refuse files they cannot read whole, clear stale temp
// files, and the git merge driver merges row by row, with real git repositories in temp folders.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { addTerm, removeTerm } from '../../src/glossary/edit-glossary.js';
import { parseGlossary } from '../../src/glossary/parse-glossary.js';
import { mergeGlossary } from '../../src/glossary/merge-glossary.js';
import { readGlossaryRows } from '../../src/glossary/read-glossary-rows.js';
import { GLOSSARY_DRIVER, gitSandbox, put, runCli } from '../helpers.js';

const HEADER = 'german,english,forms,note';

/** A project folder with only a config and `glossary/terms.csv`. */
function project(terms: string): { dir: string; file: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-glossary-'));
  writeFileSync(path.join(dir, 'diglot.config.json'), '{ "title": "t" }\n');
  mkdirSync(path.join(dir, 'glossary'));
  const file = path.join(dir, 'glossary', 'terms.csv');
  writeFileSync(file, terms);
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// Line 6 opens a quote that is never closed; csv-parse gives up at the end of the file (line 8).
const UNCLOSED = [
  HEADER,
  'Angriff,attack,,',
  'Bündnis,alliance,,',
  'Gipfel,summit,,',
  'Ostflanke,eastern flank,,',
  'Panzer,"tank,,',
  'Rat,council,,',
  'Verteidigung,defence,,',
  '',
].join('\n');

test('an unclosed quote is reported where the quoted field opens, not at the end of the file', () => {
  const { problems } = parseGlossary(UNCLOSED, 'glossary/terms.csv');
  assert.deepEqual(
    problems.map((p) => [p.line, p.severity]),
    [[6, 'error']],
  );
  assert.match(problems[0]?.message ?? '', /never closed/);
  // A quote closed only lines later: the record where it opened is named.
  const late = parseGlossary([HEADER, 'a,b,,', 'Panzer,"tank,,', 'x,"y",,', ''].join('\n'), 'g.csv').problems;
  assert.deepEqual(
    late.map((p) => p.line),
    [3],
  );
  // A record over two lines is named at its first; CRLF inside a quoted field counts once (csv-parse counts it twice).
  const crlf = parseGlossary(
    [HEADER, '"Rote', 'Linie",red line,,', '', 'Bündnis,,,', 'Gipfel ,summit,,', ''].join('\r\n'),
    'g.csv',
  ).problems;
  assert.deepEqual(
    crlf.map((p) => p.line),
    [2, 5, 6],
  );
});

test('glossary add and remove refuse a file that does not parse whole: exit 2, file:line, file untouched', async () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unclosed quote', UNCLOSED, /glossary\/terms\.csv:6: not valid CSV: a quoted field opens on this line and is never closed/],
    [
      'too many columns',
      [HEADER, 'Angriff,attack,,', 'Bündnis,alliance,NATO, in this corpus,x', 'Gipfel,summit,,', ''].join('\n'),
      /glossary\/terms\.csv:3: has text in column 5; expected at most 4 columns/,
    ],
    [
      'conflict markers',
      [HEADER, '<<<<<<< ours', 'Angriff,attack,,', '=======', 'Angriff,assault,,', '>>>>>>> theirs', 'Gipfel,summit,,', ''].join('\n'),
      /glossary\/terms\.csv:2: unresolved git merge conflict marker/,
    ],
    ['no header', ['Angriff,attack,,', 'Gipfel,summit,,', ''].join('\n'), /glossary\/terms\.csv:1: the first line must be the header/],
    // Read by place, a note would be taken as forms and sent to DeepL, and the next edit would write it there.
    [
      'columns in another order',
      ['german,english,note,forms', 'Zeta,zeta,"my note; important",', ''].join('\n'),
      /glossary\/terms\.csv:1: the first line must be the header "german,english,forms,note" \(its columns in that order, the last two optional\); found "german,english,note,forms"/,
    ],
    [
      'semicolons',
      ['german;english;forms;note', 'Gipfel;summit;;', ''].join('\n'),
      /glossary\/terms\.csv:1: the columns are separated by semicolons; the glossary is comma-separated/,
    ],
  ];
  for (const [name, text, expected] of cases) {
    const p = project(text);
    try {
      for (const args of [
        ['add', 'Waffe', 'weapon'],
        ['remove', 'Gipfel'],
      ]) {
        const r = await runCli(['glossary', ...args, '--root', p.dir]);
        assert.equal(r.code, 2, `${name}, ${args[0]}: ${r.stderr}`);
        assert.match(r.stderr, expected, `${name}, ${args[0]}`);
        assert.match(r.stderr, /nothing changed/);
        assert.doesNotMatch(r.stderr + r.stdout, /Added|Removed/);
        assert.equal(readFileSync(p.file, 'utf8'), text, `${name}, ${args[0]}: the file is byte for byte as it was`);
      }
      // Nor does list show one side of it as if it were settled.
      const listed = await runCli(['glossary', 'list', '--root', p.dir]);
      assert.equal(listed.code, 2, `${name}, list: ${listed.stdout}`);
      assert.match(listed.stderr, expected, `${name}, list`);
    } finally {
      p.cleanup();
    }
  }
});

test('glossary add and remove refuse a file with a comment line, which a rewrite would sort away from its rows', async () => {
  const text = [HEADER, 'Ostflanke,eastern flank,,', '# the Council rows follow', '', 'Rat,Council,,', ''].join('\n');
  const p = project(text);
  try {
    for (const args of [
      ['add', 'Zeta', 'zeta'],
      ['remove', 'Rat'],
    ]) {
      const r = await runCli(['glossary', ...args, '--root', p.dir]);
      assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
      assert.match(
        r.stderr,
        /glossary\/terms\.csv:3: a comment line, which the glossary does not have: .*put the remark in the note column/,
      );
      assert.equal(readFileSync(p.file, 'utf8'), text, `${args[0]}: the file is byte for byte as it was`);
    }
  } finally {
    p.cleanup();
  }
});

test('rows that parse but fail the checks are kept, cells as written, through add and remove', async () => {
  // A German term holding a line break (a quoted field over two lines), an empty English, a duplicate.
  const text = [HEADER, '"Rote', 'Linie",red line,,note', 'Bündnis,,,', 'Gipfel,summit,,', 'Gipfel,summit,,', ''].join('\n');
  const rowsBefore = readGlossaryRows(text, 'g').rows.map((r) => r.cells);
  const added = addTerm(text, 'g', { german: 'Waffe', english: 'weapon', forms: [], note: '' });
  assert.ok('text' in added, JSON.stringify(added));
  const after = readGlossaryRows(added.text, 'g').rows.map((r) => r.cells);
  for (const row of rowsBefore)
    assert.ok(
      after.some((cells) => JSON.stringify(cells) === JSON.stringify(row)),
      `kept: ${JSON.stringify(row)}`,
    );
  assert.equal(after.length, rowsBefore.length + 1);
  const removed = removeTerm(added.text, 'Waffe', 'g');
  assert.deepEqual(
    readGlossaryRows(removed?.text ?? '', 'g').rows.map((r) => r.cells),
    after.filter((cells) => cells[0] !== 'Waffe'),
  );
  assert.throws(() => removeTerm(UNCLOSED, 'Gipfel', 'g'), /g:6: not valid CSV/);

  const p = project(text);
  try {
    const r = await runCli(['glossary', 'add', 'Waffe', 'weapon', '--root', p.dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(p.file, 'utf8'), added.text);
  } finally {
    p.cleanup();
  }
});

test('a temp file left by a killed glossary add is removed by the next edit', async () => {
  const p = project([HEADER, 'Gipfel,summit,,', ''].join('\n'));
  try {
    const stale = path.join(p.dir, 'glossary', '.terms.csv.4194301.tmp');
    const other = path.join(p.dir, 'glossary', 'notes.txt');
    writeFileSync(stale, `${HEADER}\nhalf`);
    writeFileSync(other, 'mine');
    const r = await runCli(['glossary', 'add', 'Waffe', 'weapon', '--root', p.dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(stale), false, 'stale temp file removed');
    assert.equal(readFileSync(other, 'utf8'), 'mine', 'other files left alone');
    assert.match(r.stderr, /Removed 1 temp file left by an interrupted run: \.terms\.csv\.4194301\.tmp/);
    assert.deepEqual(
      parseGlossary(readFileSync(p.file, 'utf8'), 'g').glossary.terms.map((t) => t.german),
      ['Gipfel', 'Waffe'],
    );
  } finally {
    p.cleanup();
  }
});

const csv = (...rows: string[]): string => [HEADER, ...rows, ''].join('\n');
const merge = (base: string, ours: string, theirs: string) =>
  mergeGlossary({ base: { text: base, name: 'O' }, ours: { text: ours, name: 'A' }, theirs: { text: theirs, name: 'B' } });

test("merge: each side's additions, changes and removals are kept; same change once; sorted output", () => {
  const base = csv('Angriff,attack,,', 'Gipfel,summit,,', 'Rat,council,,', 'Zug,train,,');
  const ours = csv('Angriff,assault,,', 'Bündnis,alliance,,', 'Gipfel,summit,,', 'Rat,council,,', 'Zug,train,,');
  const theirs = csv('Angriff,assault,,', 'Gipfel,summit,,', 'Panzer,tank,,', '"Rat",council,,');
  const result = merge(base, ours, theirs);
  assert.ok('text' in result);
  assert.deepEqual(result.conflicts, []);
  assert.equal(result.text, csv('Angriff,assault,,', 'Bündnis,alliance,,', 'Gipfel,summit,,', 'Panzer,tank,,', 'Rat,council,,'));
  // Both sides added the file (git passes an empty base).
  const added = merge('', csv('Gipfel,summit,,'), csv('Rat,council,,'));
  assert.ok('text' in added);
  assert.equal(added.text, csv('Gipfel,summit,,', 'Rat,council,,'));
});

test('merge: a term changed differently on both sides, or changed and removed, is a conflict with both versions', () => {
  const base = csv('Angriff,attack,,', 'Gipfel,summit,,', 'Rat,council,,');
  const result = merge(base, csv('Angriff,assault,,', 'Gipfel,summit,,', 'Rat,council,,'), csv('Angriff,offensive,,', 'Gipfel,summit,,'));
  assert.ok('text' in result);
  assert.deepEqual(result.conflicts, ['Angriff']);
  assert.equal(
    result.text,
    csv('<<<<<<< ours', 'Angriff,assault,,', '=======', 'Angriff,offensive,,', '>>>>>>> theirs', 'Gipfel,summit,,'),
  );
  const removedOnOne = merge(base, csv('Angriff,attack,,', 'Gipfel,summit,,', 'Rat,council,,'), csv('Gipfel,summit,,', 'Rat,council,,'));
  assert.ok('text' in removedOnOne && removedOnOne.conflicts.length === 0);
  const changedAndRemoved = merge(
    base,
    csv('Angriff,attack,,', 'Gipfel,summit,,', 'Rat,board,,'),
    csv('Angriff,attack,,', 'Gipfel,summit,,'),
  );
  assert.ok('text' in changedAndRemoved);
  assert.equal(
    changedAndRemoved.text,
    csv('Angriff,attack,,', 'Gipfel,summit,,', '<<<<<<< ours', 'Rat,board,,', '=======', '>>>>>>> theirs'),
  );
  const unreadable = merge(base, UNCLOSED, base);
  assert.deepEqual(unreadable, {
    problems: ['ours: A:6: not valid CSV: a quoted field opens on this line and is never closed (a missing or extra ")'],
  });
});

test("merge: a row one side left without English takes nothing over the other side's English: a conflict with both rows", () => {
  const base = csv('Gipfel,summit,,', 'Ostflanke,eastern flank,,');
  const result = merge(base, base, csv('Gipfel,summit,,', 'Ostflanke,,,'));
  assert.ok('text' in result);
  assert.deepEqual(result.conflicts, ['Ostflanke']);
  assert.equal(
    result.text,
    csv('Gipfel,summit,,', '<<<<<<< ours', 'Ostflanke,eastern flank,,', '=======', 'Ostflanke,,,', '>>>>>>> theirs'),
  );
  // Our own emptied row likewise; and where both sides have no English, there is nothing to lose.
  const ours = merge(base, csv('Gipfel,summit,,', 'Ostflanke,,,'), base);
  assert.ok('text' in ours);
  assert.deepEqual(ours.conflicts, ['Ostflanke']);
  const both = merge(csv('Ostflanke,,,'), csv('Ostflanke,,note,'), csv('Ostflanke,,,'));
  assert.ok('text' in both);
  assert.deepEqual(both.conflicts, []);
});

test('glossary merge on a version that does not parse: exit 1, ours left as it was, the reason on stderr', async () => {
  const p = project('');
  try {
    const [o, a, b] = ['base.csv', 'ours.csv', 'theirs.csv'].map((f) => path.join(p.dir, f)) as [string, string, string];
    writeFileSync(o, csv('Gipfel,summit,,'));
    writeFileSync(a, UNCLOSED);
    writeFileSync(b, csv('Gipfel,summit,,', 'Rat,council,,'));
    const r = await runCli(['glossary', 'merge', o, a, b], {}, p.dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /ours: .*ours\.csv:6: not valid CSV/);
    assert.equal(readFileSync(a, 'utf8'), UNCLOSED);
    // Given the file's path in the project (git's %P), the messages name it rather than git's temp files.
    const named = await runCli(['glossary', 'merge', o, a, b, 'glossary/terms.csv'], {}, p.dir);
    assert.equal(named.code, 1, named.stderr);
    assert.match(named.stderr, /ours: glossary\/terms\.csv:6: not valid CSV/);
    assert.match(named.stderr, /fix the lines in the file, then run `diglot glossary merge`/);
    assert.equal(readFileSync(a, 'utf8'), UNCLOSED);
  } finally {
    p.cleanup();
  }
});

/** Two clones of a repository whose glossary has Angriff and Zug; `driver` installs the merge driver in the second. */
function team(driver: boolean) {
  const box = gitSandbox();
  const a = box.clone('anna');
  put(a, '.gitattributes', 'glossary/*.csv merge=diglot-glossary\n');
  put(a, 'glossary/terms.csv', csv('Angriff,attack,,', 'Zug,train,,'));
  const ok = (r: { code: number; out: string }): string => {
    assert.equal(r.code, 0, r.out);
    return r.out;
  };
  ok(box.git(a, 'add', '.'));
  ok(box.git(a, 'commit', '-m', 'glossary'));
  ok(box.git(a, 'push', '-u', 'origin', 'main'));
  const b = box.clone('ben');
  if (driver) ok(box.git(b, 'config', 'merge.diglot-glossary.driver', GLOSSARY_DRIVER));
  const commit = (dir: string, message: string): void => {
    ok(box.git(dir, 'commit', '-am', message));
  };
  const terms = (dir: string): string => readFileSync(path.join(dir, 'glossary', 'terms.csv'), 'utf8');
  return { ...box, a, b, ok, commit, terms };
}

test('git with the driver: terms added at neighbouring rows in two clones merge without a conflict', async () => {
  const t = team(true);
  try {
    assert.equal((await runCli(['glossary', 'add', 'Bündnis', 'alliance', '--root', t.a])).code, 0);
    t.commit(t.a, 'Bündnis');
    t.ok(t.git(t.a, 'push'));
    assert.equal((await runCli(['glossary', 'add', 'Gipfel', 'summit', '--root', t.b])).code, 0);
    t.commit(t.b, 'Gipfel');
    const pull = t.git(t.b, 'pull', '--no-rebase');
    assert.equal(pull.code, 0, pull.out);
    assert.doesNotMatch(pull.out, /CONFLICT/);
    assert.equal(t.terms(t.b), csv('Angriff,attack,,', 'Bündnis,alliance,,', 'Gipfel,summit,,', 'Zug,train,,'));
    assert.equal(t.git(t.b, 'status', '--porcelain').out, '', 'merge committed, nothing left over');
  } finally {
    t.cleanup();
  }
});

test('git without the driver: the same neighbouring additions conflict (the driver is what fixes it)', async () => {
  const t = team(false);
  try {
    put(t.a, 'glossary/terms.csv', csv('Angriff,attack,,', 'Bündnis,alliance,,', 'Zug,train,,'));
    t.commit(t.a, 'Bündnis');
    t.ok(t.git(t.a, 'push'));
    put(t.b, 'glossary/terms.csv', csv('Angriff,attack,,', 'Gipfel,summit,,', 'Zug,train,,'));
    t.commit(t.b, 'Gipfel');
    const pull = t.git(t.b, 'pull', '--no-rebase');
    assert.notEqual(pull.code, 0);
    assert.match(pull.out, /CONFLICT \(content\): Merge conflict in glossary\/terms\.csv/);
  } finally {
    t.cleanup();
  }
});

test('git with the driver: one term changed differently in both clones is a conflict holding both versions', async () => {
  const t = team(true);
  try {
    put(t.a, 'glossary/terms.csv', csv('Angriff,assault,,', 'Zug,train,,'));
    t.commit(t.a, 'assault');
    t.ok(t.git(t.a, 'push'));
    put(t.b, 'glossary/terms.csv', csv('Angriff,offensive,,', 'Rat,council,,', 'Zug,train,,'));
    t.commit(t.b, 'offensive');
    const pull = t.git(t.b, 'pull', '--no-rebase');
    assert.notEqual(pull.code, 0);
    assert.match(pull.out, /CONFLICT \(content\): Merge conflict in glossary\/terms\.csv/);
    assert.match(pull.out, /1 term changed differently on both sides \("Angriff"\)/);
    // Only the one row is in conflict; the other side's other edits are merged around it.
    assert.equal(
      t.terms(t.b),
      csv('<<<<<<< ours', 'Angriff,offensive,,', '=======', 'Angriff,assault,,', '>>>>>>> theirs', 'Rat,council,,', 'Zug,train,,'),
    );
    const check = await runCli(['glossary', 'check', '--root', t.b]);
    assert.equal(check.code, 2, 'the conflicted file is refused until resolved');
    assert.match(check.stdout, /glossary\/terms\.csv:2: error: unresolved git merge conflict marker/);
    // Named as the conflict it is: the driver merged the rest, nothing of the other side is missing.
    assert.doesNotMatch(check.stdout, /lacks rows of the other side|the merge driver did not merge it/);

    // Settled by hand, keeping our row: only `git add` is left to do, and that is what is said (not `glossary merge`, which would put the markers back).
    put(t.b, 'glossary/terms.csv', csv('Angriff,offensive,,', 'Rat,council,,', 'Zug,train,,'));
    const settled = await runCli(['glossary', 'check', '--root', t.b]);
    assert.equal(settled.code, 2, settled.stdout);
    assert.match(
      settled.stdout,
      /glossary\/terms\.csv:2: error: unmerged in git: "Angriff", changed on both sides, stands as this file has it, not as the other side has it; if that is how you settle the conflict, `git add` the file/,
    );
    assert.doesNotMatch(settled.stdout, /lacks rows of the other side/);
    t.ok(t.git(t.b, 'add', 'glossary/terms.csv'));
    assert.equal((await runCli(['glossary', 'check', '--root', t.b])).code, 0);
  } finally {
    t.cleanup();
  }
});

test('git with the driver: a version that does not parse is a conflict; ours stays in the file, theirs in the index', () => {
  const t = team(true);
  try {
    put(t.a, 'glossary/terms.csv', csv('Angriff,attack,,', 'Panzer,"tank,,', 'Zug,train,,'));
    t.commit(t.a, 'broken');
    t.ok(t.git(t.a, 'push'));
    const ours = csv('Angriff,attack,,', 'Gipfel,summit,,', 'Zug,train,,');
    put(t.b, 'glossary/terms.csv', ours);
    t.commit(t.b, 'Gipfel');
    const pull = t.git(t.b, 'pull', '--no-rebase');
    assert.notEqual(pull.code, 0);
    assert.match(pull.out, /CONFLICT \(content\): Merge conflict in glossary\/terms\.csv/);
    // Named by the file's path (the driver is given git's %P), and where to fix it: where it was written.
    assert.match(
      pull.out,
      /theirs: glossary\/terms\.csv \(theirs\):3: not valid CSV: a quoted field opens on this line and is never closed/,
    );
    assert.match(pull.out, /`git show :3:<file>`\) is fixed where it was written/);
    assert.equal(t.terms(t.b), ours);
    assert.equal(t.git(t.b, 'show', ':3:glossary/terms.csv').out, csv('Angriff,attack,,', 'Panzer,"tank,,', 'Zug,train,,'));
  } finally {
    t.cleanup();
  }
});

test("merge: rows that merge cleanly but clash (one side's new term is a form of the other's) are named, not taken as merged", () => {
  const base = csv('Gipfel,summit,,');
  const result = merge(base, csv('Gipfel,summit,,', 'Kosten,costs,Kostenpunkt,'), csv('Gipfel,summit,,', 'Kostenpunkt,cost item,,'));
  assert.ok('text' in result);
  assert.deepEqual(result.conflicts, []);
  assert.equal(result.text, csv('Gipfel,summit,,', 'Kosten,costs,Kostenpunkt,', 'Kostenpunkt,cost item,,'), 'every row kept');
  assert.equal(result.clashes.length, 1);
  assert.match(result.clashes[0] ?? '', /^line 4: "Kostenpunkt" conflicts with line 3/);
  const clean = merge(base, csv('Gipfel,summit,,', 'Kosten,costs,,'), csv('Gipfel,summit,,', 'Rat,council,,'));
  assert.ok('text' in clean);
  assert.deepEqual(clean.clashes, []);
  // A problem both sides had already (a row without English, from the base) is no clash of this merge.
  const todo = csv('Bündnis,,,TODO', 'Ostflanke,eastern flank,,');
  const untouched = merge(
    todo,
    csv('Abschreckung,deterrence,,', 'Bündnis,,,TODO', 'Ostflanke,eastern flank,,'),
    csv('Bündnis,,,TODO', 'Ostflanke,eastern flank,,', 'Zeitenwende,turning point,,'),
  );
  assert.ok('text' in untouched);
  assert.deepEqual(untouched.conflicts, []);
  assert.deepEqual(untouched.clashes, []);
  // So is one that names its lines (two terms listing the same form), which the rows added on each side move.
  const shared = csv('Rat,council,Rates,', 'Rate,rate,Rates,');
  const moved = merge(
    shared,
    csv('Abwehr,defence,,', 'Rat,council,Rates,', 'Rate,rate,Rates,'),
    csv('Angriff,attack,,', 'Rat,council,Rates,', 'Rate,rate,Rates,'),
  );
  assert.ok('text' in moved);
  assert.deepEqual(moved.clashes, []);
});
