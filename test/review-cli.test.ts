import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { projectFacts, read, runCli, sampleProject } from './helpers.js';
import { englishOf, epubText, lineOf, setEnglish, snapshot } from './review-helpers.js';

const ARTICLE = '000_20a6b0fe2192dee9';

const run = (cwd: string, args: string[]) => runCli(args, {}, cwd);

test('diglot review import, then build: three edits in the English Markdown and both EPUBs; the memory keeps the old texts', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    const edits = {
      '600cadbe': 'NATO was always going to reinforce its eastern flank, and the tension Putin created leaves the alliance no choice.',
      aa2a0559: englishOf(read(file), 'aa2a0559').replace('Deploying a few', 'Sending a few'),
      // A word put in after the first.
      '7196d3a2': englishOf(read(file), '7196d3a2').replace(/^(\S+) /, '$1 indeed '),
    };
    let text = read(file);
    for (const [id, english] of Object.entries(edits)) text = setEnglish(text, id, english);
    writeFileSync(file, text);

    const status = await run(dir, ['review', 'status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^article\s+machine\s+reviewed\s+approved\s+missing\s+copied\s+findings\s+unimported$/m);
    assert.match(status.stdout, new RegExp(`^${ARTICLE}\\s+0\\s+9\\s+0\\s+0\\s+0\\s+0\\s+3$`, 'm'));
    assert.match(status.stdout, /run `diglot review import`/);

    // A file import would refuse: every line it holds a change at counted, as the build names them
    // (the three edits, the fourth pair's English and its problem), each problem named at its line.
    const broken = setEnglish(text, 'c863f044', 'One paragraph.\n\nAnd another.');
    writeFileSync(file, broken);
    const refusing = await run(dir, ['review', 'status']);
    assert.match(refusing.stdout, new RegExp(`^${ARTICLE}\\s+0\\s+9\\s+0\\s+0\\s+0\\s+0\\s+5$`, 'm'));
    assert.match(
      refusing.stdout,
      /would refuse \(fix these lines first[^\n]*\n {2}output\/[^:]+\.review\.md:\d+: .*c863f044: the English has a blank line/,
    );
    // The German of a pair edited, and its English too: both lines are named, neither edit is dropped unsaid.
    const german = lineOf(text, (l) => l.startsWith('> ') && text.indexOf(l) > text.indexOf('<!-- segment c863f044 '));
    const englishLine = lineOf(text, (l) => l === englishOf(text, 'c863f044'));
    const edited = text.split('\n');
    edited[german - 1] = `${edited[german - 1]} Geändert.`;
    edited[englishLine - 1] = `${edited[englishLine - 1]} Edited.`;
    writeFileSync(file, edited.join('\n'));
    const both = await run(dir, ['build']);
    assert.equal(both.code, 2);
    assert.match(
      both.stderr,
      new RegExp(
        `${ARTICLE}\\.review\\.md: 3 edits not imported \\([^)]*\\); 2 changes that cannot be imported \\(lines ${german}, ${englishLine}\\)`,
      ),
    );
    const counted = JSON.parse((await run(dir, ['review', 'status', '--json'])).stdout) as {
      articles: Array<{ id: string; unimported: number }>;
    };
    assert.equal(
      counted.articles.find((a) => a.id === ARTICLE)?.unimported,
      5,
      'the German and English lines counted with the three edits',
    );
    const forced = await run(dir, ['build', '--force']);
    assert.match(forced.stderr, new RegExp(`held 5 edits \\([^)]*${german}[^)]*${englishLine}[^)]*\\) not imported`));
    writeFileSync(file, text);

    const imported = await run(dir, ['review', 'import']);
    assert.equal(imported.code, 0, imported.stderr);
    const lines = imported.stdout.trim().split('\n');
    assert.equal(lines.length, 3, imported.stdout);
    for (const id of Object.keys(edits)) {
      const line = lineOf(text, (l) => l === edits[id as keyof typeof edits]);
      assert.ok(
        lines.some((l) => l.startsWith(`output/${ARTICLE}.review.md:${line}: ${id} edited, reviewed: `)),
        `${id} at line ${line}:\n${imported.stdout}`,
      );
    }
    assert.match(imported.stdout, /aa2a0559 edited, reviewed: …military in nature\. \[-Deploying-\] \{\+Sending\+\} a few thousand…$/m);
    // A word put in keeps the spaces around it outside its marks.
    assert.match(imported.stdout, /7196d3a2 edited, reviewed: \S+ \{\+indeed\+\} \S/);
    assert.match(imported.stdout, /600cadbe edited, reviewed: rewritten: "NATO was always going to reinforce/);
    const { articles } = await projectFacts(dir);
    assert.match(
      imported.stderr,
      new RegExp(`Imported 3 changes \\(3 edited\\) from 1 of ${articles} review files into memory/memory\\.jsonl\\.`),
    );

    const again = await run(dir, ['review', 'import']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, '');
    assert.match(again.stderr, new RegExp(`^No edits to import in ${articles} review files\\.$`, 'm'));

    const built = await run(dir, ['build']);
    assert.equal(built.code, 0, built.stderr);
    const english = read(path.join(dir, 'output', `${ARTICLE}.en.md`));
    const bilingual = epubText(path.join(dir, 'output', 'edition.epub'));
    const englishOnly = epubText(path.join(dir, 'output', 'edition.en.epub'));
    for (const edit of Object.values(edits)) {
      assert.ok(english.includes(edit), edit);
      assert.ok(bilingual.includes(edit), edit);
      assert.ok(englishOnly.includes(edit), edit);
    }
    const { memory } = await TranslationMemory.open(path.join(dir, 'memory', 'memory.jsonl'));
    const reviewed = memory.entries().filter((e) => Object.values(edits).includes(e.target));
    assert.equal(reviewed.length, 3);
    for (const e of reviewed) {
      assert.equal(e.origin, 'human');
      assert.equal(e.status, 'reviewed');
      assert.equal(e.history?.length, 1);
      assert.ok(e.history?.[0]?.target && e.history[0].target !== e.target);
    }
    // Nothing left to import; the shortened edits now have findings (length, a missing number).
    assert.match((await run(dir, ['review', 'status'])).stdout, new RegExp(`^${ARTICLE}\\s+0\\s+9\\s+0\\s+0\\s+0\\s+[1-9]\\d*\\s+0$`, 'm'));
  } finally {
    project.cleanup();
  }
});

test('diglot review import says an English edited under an approval is no longer approved', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    writeFileSync(file, read(file).replace('line 5 · reviewed (human) -->', 'line 5 · approved -->'));
    assert.match((await run(dir, ['review', 'import'])).stdout, /aa2a0559 approved: /);
    assert.equal((await run(dir, ['build'])).code, 0);
    // Written and approved in one edit: counted as both.
    writeFileSync(
      file,
      setEnglish(read(file).replace('line 3 · reviewed (human) -->', 'line 3 · approved -->'), '600cadbe', 'Edited and approved.'),
    );
    assert.match((await run(dir, ['review', 'import'])).stderr, /Imported 1 change \(1 edited and approved\)/);
    assert.equal((await run(dir, ['build'])).code, 0);
    writeFileSync(file, setEnglish(read(file), 'aa2a0559', 'Edited after its approval.'));
    const imported = await run(dir, ['review', 'import']);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(
      imported.stdout,
      /aa2a0559 edited, reviewed \(its approval was of the English before: approve the new one again\): rewritten: "Edited after its approval\."/,
    );
    assert.equal((await run(dir, ['build'])).code, 0);
    assert.match(read(file), /line 5 · reviewed \(human\) -->/);
  } finally {
    project.cleanup();
  }
});

test('build after an edit not imported: exit 2, says how to import, output/ unchanged; --force overwrites', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    writeFileSync(file, setEnglish(read(file), 'aa2a0559', 'Not imported yet.'));
    const before = snapshot(path.join(dir, 'output'));
    const refused = await run(dir, ['build']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /review file holds edits that are not in the translation memory yet/);
    assert.match(refused.stderr, new RegExp(`output/${ARTICLE}\\.review\\.md: 1 edit not imported \\(line \\d+\\)`));
    assert.match(refused.stderr, /hint: run `diglot review import`/);
    assert.deepEqual(snapshot(path.join(dir, 'output')), before);

    const forced = await run(dir, ['build', '--force', '--json']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.doesNotMatch(read(file), /Not imported yet/);
    // --json gives each file written over with the copy kept of it.
    const { overwritten } = JSON.parse(forced.stdout) as { overwritten: Array<{ file: string; copy: string }> };
    assert.deepEqual(
      overwritten.map((o) => o.file),
      [`output/${ARTICLE}.review.md`],
    );
    // What it wrote over is kept, and named.
    const [copy] = readdirSync(path.join(dir, 'output', '.overwritten')).filter((n) => !n.startsWith('.'));
    assert.match(copy ?? '', new RegExp(`^${ARTICLE}\\.\\d{8}T\\d{6}Z\\.review\\.md$`));
    assert.match(read(path.join(dir, 'output', '.overwritten', copy ?? '')), /Not imported yet/);
    assert.equal(overwritten[0]?.copy, `output/.overwritten/${copy}`);
  } finally {
    project.cleanup();
  }
});

test('an emptied review file (an editor that crashed saving) holds no edit: import says it is empty, build writes it anew', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    const written = read(file);
    writeFileSync(file, '');
    const imported = await run(dir, ['review', 'import']);
    assert.equal(imported.code, 0, 'said, not refused: nothing is lost, and a --watch session builds on');
    assert.match(imported.stderr, new RegExp(`warning: output/${ARTICLE}\\.review\\.md:1: the file is empty: it holds nothing to import`));
    const built = await run(dir, ['build']);
    assert.equal(built.code, 0, built.stderr);
    assert.equal(read(file), written);
  } finally {
    project.cleanup();
  }
});

test('an edit in the review file of an article deleted from the sources: the build leaves the file, names the edit and how to import it; so does review status', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    const edited = setEnglish(read(file), 'aa2a0559', 'Edited before the article was deleted.');
    writeFileSync(file, edited);
    rmSync(path.join(dir, 'sources', `${ARTICLE}.txt`));
    const built = await run(dir, ['build']);
    assert.equal(built.code, 0, built.stderr);
    const line = lineOf(edited, (l) => l === 'Edited before the article was deleted.');
    assert.match(
      built.stderr,
      new RegExp(
        `warning: output/${ARTICLE}\\.review\\.md: its article is no longer in sources/, and it holds 1 edit not imported \\(line ${line}\\); ` +
          `\`diglot review import output/${ARTICLE}\\.review\\.md\` stores its edits`,
      ),
    );
    assert.equal(read(file), edited);
    // The next build has nothing to do and says nothing; review status still names the file.
    const status = await run(dir, ['review', 'status']);
    assert.match(
      status.stdout,
      new RegExp(`\\noutput/${ARTICLE}\\.review\\.md: its article is no longer in sources/, and it holds 1 edit not imported`),
    );
    const json = JSON.parse((await run(dir, ['review', 'status', '--json'])).stdout) as { orphaned: string[] };
    assert.equal(json.orphaned.length, 1);
    const imported = await run(dir, ['review', 'import', `output/${ARTICLE}.review.md`]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /aa2a0559 edited/);
  } finally {
    project.cleanup();
  }
});

test('diglot review import refuses a German edit with file:line and exit 2, importing nothing from that file', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    const edited = setEnglish(read(file), 'c863f044', 'An English edit that must wait.').replace(
      '> Noch ist das Signal mehr politischer',
      '> Noch ist das Signal viel politischer',
    );
    writeFileSync(file, edited);
    const memoryBefore = readFileSync(path.join(dir, 'memory', 'memory.jsonl'), 'utf8');
    const result = await run(dir, ['review', 'import', `output/${ARTICLE}.review.md`]);
    assert.equal(result.code, 2);
    const line = lineOf(edited, (l) => l.startsWith('> Noch ist das Signal viel'));
    assert.match(
      result.stderr,
      new RegExp(`output/${ARTICLE}\\.review\\.md:${line}: the German of segment aa2a0559 was edited; only the English may change`),
    );
    assert.match(result.stderr, /refused, nothing imported from it/);
    // The edit it holds is named: nothing of it is lost, it waits for the fix.
    const english = lineOf(edited, (l) => l === 'An English edit that must wait.');
    assert.match(result.stderr, new RegExp(`it holds 1 edit \\(line ${english}\\) too, imported once the lines above are fixed`));
    assert.equal(result.stdout, '');
    assert.equal(readFileSync(path.join(dir, 'memory', 'memory.jsonl'), 'utf8'), memoryBefore);
  } finally {
    project.cleanup();
  }
});

test('review --help, unknown actions and --json', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    const help = await run(dir, ['review', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /import \[FILE…\]/);
    assert.match((await run(dir, ['--help'])).stdout, /review\s+import reviewers' edits/);
    const unknown = await run(dir, ['review', 'export']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown action "export"/);
    assert.equal((await run(dir, ['build'])).code, 0);
    const facts = await projectFacts(dir);
    const status = JSON.parse((await run(dir, ['review', 'status', '--json'])).stdout) as {
      articles: Array<{ id: string; statuses: Record<string, number>; findings: number; unimported: number }>;
    };
    assert.equal(status.articles.length, facts.articles);
    assert.equal(
      status.articles.reduce((n, a) => n + (a.statuses['reviewed'] ?? 0), 0),
      facts.segments,
    );
    const imported = JSON.parse((await run(dir, ['review', 'import', '--json'])).stdout) as {
      changed: number;
      refused: number;
      files: unknown[];
    };
    assert.deepEqual([imported.changed, imported.refused, imported.files.length], [0, 0, facts.articles]);
  } finally {
    project.cleanup();
  }
});

test('a review file saved as Windows-1252 is refused as not UTF-8, at the line of its first such byte, with how to convert it', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    const text = setEnglish(read(file), 'aa2a0559', 'An edit “quoted” by Word.');
    const bytes = Buffer.from(
      text.replace(/[“”]/g, (q) => (q === '“' ? '\x93' : '\x94')),
      'latin1',
    );
    writeFileSync(file, bytes);
    const imported = await run(dir, ['review', 'import']);
    assert.equal(imported.code, 2);
    // The line of the first byte that UTF-8 has not (an umlaut of the German, say).
    const first = bytes.findIndex((b) => b >= 0x80);
    const line = bytes.subarray(0, first).filter((b) => b === 0x0a).length + 1;
    assert.match(
      imported.stderr,
      new RegExp(
        `output/${ARTICLE}\\.review\\.md:${line}: the file is not valid UTF-8 \\(byte 0x[89a-f][0-9a-f] at offset ${first}\\); convert it to UTF-8, e\\.g\\. iconv -f windows-1252`,
      ),
    );
    // The build's guard counts it so too, at that line (not every pair, at line 1).
    const built = await run(dir, ['build']);
    assert.equal(built.code, 2);
    assert.match(built.stderr, new RegExp(`output/${ARTICLE}\\.review\\.md: 1 change that cannot be imported \\(line ${line}\\)`));

    // Saved as UTF-16 (Notepad's "Unicode"): said so, with the conversion that fits (not one from Latin-1).
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const utf16 = await run(dir, ['review', 'import']);
    assert.equal(utf16.code, 2);
    assert.match(
      utf16.stderr,
      new RegExp(
        `output/${ARTICLE}\\.review\\.md:1: the file is UTF-16 text; diglot reads UTF-8: convert it, e\\.g\\. iconv -f utf-16 -t utf-8`,
      ),
    );
  } finally {
    project.cleanup();
  }
});

test('review import into a memory gone since the build is refused: no new memory that the next build would bill every other text beside', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    writeFileSync(file, setEnglish(read(file), '600cadbe', 'An edit to import.'));
    const memory = path.join(dir, 'memory', 'memory.jsonl');
    rmSync(memory);
    const refused = await run(dir, ['review', 'import']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      /memory\/memory\.jsonl is gone, but output\/ holds a build made with a memory: storing edits now would start a new memory holding only them/,
    );
    assert.match(refused.stderr, /git checkout -- memory\/memory\.jsonl/);
    assert.equal(readdirSync(path.join(dir, 'memory')).length, 0, 'no memory made');
    assert.match(read(file), /An edit to import\./, 'the edit stays in its file');
  } finally {
    project.cleanup();
  }
});

test('a status set back by hand is refused at its line; an approval taken back to reviewed leaves the pair reviewed', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    // One pair DeepL's English, approved: the memory's first entry.
    const memory = path.join(dir, 'memory', 'memory.jsonl');
    const lines = read(memory).split('\n');
    const entry = JSON.parse(lines[0] as string) as { source: string; origin: string; status: string };
    lines[0] = JSON.stringify({ ...entry, origin: 'deepl', status: 'approved' });
    writeFileSync(memory, lines.join('\n'));
    assert.equal((await run(dir, ['build'])).code, 0);
    const files = readdirSync(path.join(dir, 'output')).filter((f) => f.endsWith('.review.md'));
    const [name] = files.filter((f) => read(path.join(dir, 'output', f)).includes('· approved -->'));
    assert.ok(name, 'the approved pair is in a review file');
    const file = path.join(dir, 'output', name);
    const built = read(file);

    // A bare `machine` over a reviewed pair: a status set by hand, so the file is refused there, not passed over
    // (`machine (deepl)`, the line as diglot wrote it before an edit, is a teammate's file imported but not built since).
    const reviewedAt = built.split('\n').findIndex((l) => l.endsWith('· reviewed (human) -->')) + 1;
    writeFileSync(file, built.replace(/· reviewed \(human\) -->/, '· machine -->'));
    const refused = await run(dir, ['review', 'import']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(`${name.replace('.', '\\.')}:${reviewedAt}: .*the status "machine" cannot be set here \\(diglot wrote "reviewed"\\)`),
    );

    // `reviewed` over an approved DeepL pair: no longer approved, and reviewed as it stands.
    writeFileSync(file, built.replace('· approved -->', '· reviewed -->'));
    const taken = await run(dir, ['review', 'import']);
    assert.equal(taken.code, 0, taken.stderr);
    assert.match(taken.stdout + taken.stderr, /no longer approved \(reviewed\)/);
    const { memory: after } = await TranslationMemory.open(memory);
    const now = after.lookup(entry.source, 'en-US');
    assert.deepEqual([now?.origin, now?.status], ['deepl', 'reviewed']);
  } finally {
    project.cleanup();
  }
});

test("another article's review file saved under this one's name, with an edit: the build keeps it in a copy before writing the file anew, and the copy imports", async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const other = '001_4a3d075f46cdf68a';
    const file = path.join(dir, 'output', `${other}.review.md`);
    const edited = setEnglish(read(path.join(dir, 'output', `${ARTICLE}.review.md`)), 'aa2a0559', 'Saved under the wrong name.');
    writeFileSync(file, edited);
    const built = await run(dir, ['build']);
    assert.equal(built.code, 0, built.stderr);
    const said = new RegExp(`output/${other}\\.review\\.md: an older version saved over it .*kept as (\\S+\\.review\\.md)`).exec(
      built.stderr,
    );
    assert.ok(said, built.stderr);
    const copy = said[1] as string;
    assert.equal(readdirSync(path.join(dir, 'output', '.overwritten')).filter((n) => !n.startsWith('.')).length, 1);
    assert.equal(read(path.join(dir, copy)), edited);
    assert.doesNotMatch(read(file), /Saved under the wrong name/);
    const imported = await run(dir, ['review', 'import', copy]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(read(path.join(dir, 'memory', 'memory.jsonl')), /Saved under the wrong name\./);
  } finally {
    project.cleanup();
  }
});

test('a copy of a review file saved beside it (sent back by mail) with an edit is named by review status and the build until imported', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const copy = `output/${ARTICLE} (1).review.md`;
    writeFileSync(path.join(dir, copy), setEnglish(read(path.join(dir, 'output', `${ARTICLE}.review.md`)), 'aa2a0559', 'Mailed back.'));
    const line = lineOf(read(path.join(dir, copy)), (l) => l === 'Mailed back.');
    const said = new RegExp(
      `${copy.replace(/[.()]/g, '\\$&')}: a copy of output/${ARTICLE}\\.review\\.md diglot did not write, and it holds 1 edit not imported \\(line ${line}\\)`,
    );
    const status = await run(dir, ['review', 'status']);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout + status.stderr, said);
    // The command to run, quoted to paste into a shell.
    assert.ok((status.stdout + status.stderr).includes(`\`diglot review import '${copy}'\` stores its edits`), status.stdout);
    const built = await run(dir, ['build']);
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stderr, said);
    assert.equal((await run(dir, ['review', 'import'])).code, 0);
    assert.match(read(path.join(dir, 'memory', 'memory.jsonl')), /Mailed back\./);
    const after = await run(dir, ['review', 'status']);
    assert.doesNotMatch(after.stdout + after.stderr, /diglot did not write|edits not imported/);
    // The article's own file, as the build left it, is no file with an edit for having a copy imported.
    const table = JSON.parse((await run(dir, ['review', 'status', '--json'])).stdout) as { articles: Array<{ unimported: number }> };
    assert.deepEqual(
      table.articles.filter((a) => a.unimported > 0),
      [],
    );
    // The pair edited again in the article's own file: the copy shows an English the memory held before, which is no
    // change of it (kept as the memory has it), not a file to mend for ever after.
    const own = path.join(dir, 'output', `${ARTICLE}.review.md`);
    assert.equal((await run(dir, ['build'])).code, 0);
    writeFileSync(own, setEnglish(read(own), 'aa2a0559', 'Edited again.'));
    assert.equal((await run(dir, ['review', 'import'])).code, 0);
    const rebuilt = await run(dir, ['build']);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.doesNotMatch(rebuilt.stderr, /diglot did not write|cannot be imported/);
    assert.match(read(path.join(dir, 'memory', 'memory.jsonl')), /Edited again\./);
  } finally {
    project.cleanup();
  }
});

test('review import FILE run from a folder of the project takes a path relative to the project too, as diglot prints them', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    writeFileSync(file, setEnglish(read(file), 'aa2a0559', 'Imported from sources/.'));
    const imported = await run(path.join(dir, 'sources'), ['review', 'import', `output/${ARTICLE}.review.md`]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(read(path.join(dir, 'memory', 'memory.jsonl')), /Imported from sources\/\./);
    // A bare file name is looked for in the output folder too.
    writeFileSync(file, setEnglish(read(file), 'aa2a0559', 'Imported by its bare name.'));
    const bare = await run(path.join(dir, 'sources'), ['review', 'import', `${ARTICLE}.review.md`]);
    assert.equal(bare.code, 0, bare.stderr);
    assert.match(read(path.join(dir, 'memory', 'memory.jsonl')), /Imported by its bare name\./);
  } finally {
    project.cleanup();
  }
});

test('a source with old Mac line ends (a lone CR) reads as lines: its review file holds no CR and imports an edit; the English has none', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    const source = path.join(dir, 'sources', `${ARTICLE}.txt`);
    // Every line end a CR alone, and one line broken within a paragraph by one.
    const text = read(source)
      .replace(/\n/g, '\r')
      .replace(/^(\S+ \S+ \S+ \S+) /m, '$1\r');
    writeFileSync(source, text);
    const built = await run(dir, ['build']);
    assert.equal(built.code, 0, built.stderr);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    const review = read(file);
    assert.doesNotMatch(review, /\r/);
    assert.doesNotMatch(read(path.join(dir, 'output', `${ARTICLE}.en.md`)), /\r/);
    const id = /<!-- segment (\w+) /.exec(review)?.[1] ?? '';
    writeFileSync(file, setEnglish(review, id, 'A reviewed first paragraph.'));
    const imported = await run(dir, ['review', 'import']);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal((await run(dir, ['build'])).code, 0);
    assert.equal(englishOf(read(file), id), 'A reviewed first paragraph.');
  } finally {
    project.cleanup();
  }
});

test("the copy build --force keeps is compared as the file it was: an edit over another reviewer's English imported since is refused, not taken silently", async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    const written = read(file);
    const id = [...written.matchAll(/<!-- segment (\w+) /g)][2]?.[1] ?? '';
    // Reviewer B edits the file in place; reviewer A a copy sent by mail, which is imported first.
    writeFileSync(file, setEnglish(written, id, 'There is no rain (B).'));
    const mailed = path.join(dir, 'from-a.review.md');
    writeFileSync(mailed, setEnglish(written, id, 'No rain falls (A).'));
    assert.equal((await run(dir, ['review', 'import', mailed])).code, 0);
    assert.equal((await run(dir, ['review', 'import'])).code, 2, "B's edit is refused: the memory's English changed since");
    const forced = await run(dir, ['build', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    const copy = /kept as (output\/\.overwritten\/\S+\.review\.md)/.exec(forced.stderr)?.[1];
    assert.ok(copy, forced.stderr);

    const again = await run(dir, ['review', 'import', copy]);
    assert.equal(again.code, 2, again.stderr);
    assert.match(
      again.stderr,
      new RegExp(`segment ${id}: its English in the memory changed since this file was written \\(now: "No rain falls \\(A\\)\\."`),
    );
    assert.equal(englishOf(read(file), id), 'No rain falls (A).');
    // With --overwrite, B's English wins, as for the file itself.
    assert.equal((await run(dir, ['review', 'import', '--overwrite', copy])).code, 0);
    assert.equal((await run(dir, ['build'])).code, 0);
    assert.equal(englishOf(read(file), id), 'There is no rain (B).');
  } finally {
    project.cleanup();
  }
});

test('two pairs of one German changed differently are refused naming what differs: an English made the same but approved in one only names the status', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    const heading = 'Nicht in die Schlacht für die Ukraine';
    writeFileSync(path.join(dir, 'sources', 'zwilling.md'), `# ${heading}\n\nText davor.\n\n## ${heading}\n`);
    await run(dir, ['build']);
    const file = path.join(dir, 'output', 'zwilling.review.md');
    const written = read(file);
    const ids = [...written.matchAll(/<!-- segment ([\w-]+) · heading/g)].map((m) => m[1] as string);
    assert.equal(ids.length, 2, written);
    let edited = setEnglish(setEnglish(written, ids[0] as string, 'Not into battle'), ids[1] as string, 'Not into battle');
    edited = edited.replace(new RegExp(`(<!-- segment ${ids[1]} · heading [^>]*· )[^>]*-->`), '$1approved -->');
    writeFileSync(file, edited);
    const refused = await run(dir, ['review', 'import']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(
        `segments ${ids[0]} \\(line \\d+\\) and ${ids[1]} have the same German but were changed differently \\(their status \\(reviewed there, approved here\\)\\)`,
      ),
    );
  } finally {
    project.cleanup();
  }
});

test('the copy build --force keeps, once its pair’s German changed in the source, is read as a mailed copy: that edit is said, not stored under German gone', async () => {
  const project = sampleProject();
  try {
    const { dir } = project;
    assert.equal((await run(dir, ['build'])).code, 0);
    const file = path.join(dir, 'output', `${ARTICLE}.review.md`);
    writeFileSync(file, setEnglish(read(file), 'aa2a0559', 'An edit of German since changed.'));
    const source = path.join(dir, 'sources', `${ARTICLE}.txt`);
    writeFileSync(source, read(source).replace('Noch ist das Signal', 'Doch ist das Signal'));
    const forced = await run(dir, ['build', '--force']);
    const copy = /kept as (output\/\.overwritten\/\S+\.review\.md)/.exec(forced.stderr)?.[1];
    assert.ok(copy, forced.stderr);
    const imported = await run(dir, ['review', 'import', copy]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, /segment aa2a0559 is no longer in the article/);
    assert.doesNotMatch(read(path.join(dir, 'memory', 'memory.jsonl')), /An edit of German since changed/);
  } finally {
    project.cleanup();
  }
});
