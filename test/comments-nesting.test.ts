// HTML comments in Markdown are neither sent, billed nor published (one never closed, like a code fence
// never closed or a note defined twice or nowhere, is said at its line); Markdown nested deeper than the
// documented limits is refused with file:line (exit 2) before anything is sent or written.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { build } from '../src/pipeline.js';
import { segmentMarkdown } from '../src/segment/segment-markdown.js';
import { checkNesting, MAX_CONTAINER_DEPTH, MAX_INLINE_DEPTH } from '../src/sources/check-nesting.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, read, ROOT, runCli } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

/** A project in a temp folder with the sample config, the given sources, an empty memory and glossary. */
function project(sources: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-comments-'));
  writeFileSync(path.join(dir, 'diglot.config.json'), readFileSync(path.join(ROOT, 'diglot.config.json')));
  for (const sub of ['sources', 'glossary', 'memory']) mkdirSync(path.join(dir, sub));
  writeFileSync(path.join(dir, 'glossary', 'terms.csv'), 'german,english,forms,note\n');
  writeFileSync(path.join(dir, 'memory', 'memory.jsonl'), '');
  for (const [name, text] of Object.entries(sources)) writeFileSync(path.join(dir, 'sources', name), text);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every XHTML file of an EPUB, joined. */
function xhtmlOf(file: string): string {
  return Object.entries(unzipSync(readFileSync(file)))
    .filter(([name]) => name.endsWith('.xhtml'))
    .map(([, data]) => strFromU8(data))
    .join('\n');
}

const COMMENTED = [
  '---',
  'title: Ein Titel',
  '---',
  '',
  'Erster Absatz mit <!-- interne Notiz --> einem Kommentar.',
  '',
  '<!-- nur ein Kommentar -->',
  '',
  '## Zweite <!-- Überschriftnotiz --> Überschrift',
  '',
  '| Spalte | Wert |',
  '| --- | --- |',
  '| Zeile | <!-- Zellnotiz --> |',
  '',
  '- Punkt mit *Betonung <!-- Listennotiz -->* am Ende.',
  '',
].join('\n');

test('a paragraph, heading or cell holding only a comment is no segment; comments stay in the segment text they sit in', () => {
  const { segments } = segmentMarkdown({ id: 'a', path: 'sources/a.md', format: 'md', text: COMMENTED, meta: {} });
  assert.deepEqual(
    segments.map((s) => s.source),
    [
      'Ein Titel',
      'Erster Absatz mit <!-- interne Notiz --> einem Kommentar.',
      'Zweite <!-- Überschriftnotiz --> Überschrift',
      'Spalte',
      'Wert',
      'Zeile',
      'Punkt mit *Betonung <!-- Listennotiz -->* am Ende.',
    ],
  );
  assert.ok(segments.every((s) => !s.plain.includes('Notiz')));
});

test('HTML comments are not sent, not billed, not in either EPUB; the English Markdown keeps them after the English', async () => {
  server.reset();
  const p = project({ 'a.md': COMMENTED });
  try {
    const config = await configOf(p.dir);
    const engine = deeplEngine(server.url, { targetLang: config.targetLang });
    const result = await build(config, { engine, log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, result.error?.message);

    const sent = server.textsSent();
    assert.deepEqual(
      [...sent].sort(),
      [
        'Ein Titel',
        'Erster Absatz mit einem Kommentar.',
        'Punkt mit <em>Betonung</em> am Ende.',
        'Spalte',
        'Wert',
        'Zeile',
        'Zweite Überschrift',
      ].sort(),
    );
    for (const r of server.translateRequests())
      assert.doesNotMatch(`${r.translate?.texts.join('\n')}\n${r.translate?.context ?? ''}`, /Notiz|<!--/);
    const characters = sent.reduce((n, t) => n + [...t].length, 0);
    assert.equal(server.billedCharacters(), characters);
    assert.equal(result.totals.billedCharacters, characters);

    for (const book of ['edition.epub', 'edition.en.epub']) {
      const xhtml = xhtmlOf(path.join(p.dir, 'output', book));
      assert.doesNotMatch(xhtml, /Notiz|&lt;!--|<!--/, book);
      assert.match(xhtml, /EN: Erster Absatz mit einem Kommentar\./, book);
    }
    const { memory } = await TranslationMemory.open(path.join(p.dir, 'memory', 'memory.jsonl'));
    assert.ok(
      memory.entries().every((e) => !e.target.includes('Notiz')),
      'the memory holds English, not the German notes',
    );

    const english = read(path.join(p.dir, 'output', 'a.en.md'));
    assert.match(english, /^EN: Erster Absatz mit einem Kommentar\. <!-- interne Notiz -->$/m);
    assert.match(english, /^## EN: Zweite Überschrift <!-- Überschriftnotiz -->$/m);
    assert.match(english, /^<!-- nur ein Kommentar -->$/m);
    assert.match(english, /^\| EN: Zeile \| <!-- Zellnotiz --> \|$/m);
    assert.match(english, /^- EN: Punkt mit \*Betonung\* am Ende\. <!-- Listennotiz -->$/m);
  } finally {
    p.cleanup();
  }
});

test('the nesting limits: 100 levels are read, 101 refused, and prose with stars, breaks and brackets passes', () => {
  assert.equal(MAX_CONTAINER_DEPTH, 100);
  assert.equal(MAX_INLINE_DEPTH, 100);
  assert.equal(checkNesting(`Absatz.\n\n${'>'.repeat(100)} Text\n`), undefined);
  assert.deepEqual(checkNesting(`Absatz.\n\n${'>'.repeat(101)} Text\n`), { line: 3, limit: 100, what: 'containers' });
  assert.deepEqual(checkNesting(`${'- '.repeat(101)}x\n`), { line: 1, limit: 100, what: 'containers' });
  const indented = Array.from({ length: 120 }, (_, i) => `${'  '.repeat(i)}- Punkt ${i}`).join('\n');
  assert.equal(checkNesting(indented)?.line, 101);
  assert.equal(checkNesting(`${'*'.repeat(100)}x${'*'.repeat(100)}\n`), undefined);
  assert.deepEqual(checkNesting(`a\n${'*'.repeat(101)}x${'*'.repeat(101)}\n`), { line: 2, limit: 100, what: 'inline' });
  assert.equal(checkNesting(`${'*a '.repeat(150)}b\n`)?.what, 'inline');
  assert.equal(checkNesting(`${'['.repeat(101)}a${']'.repeat(101)}\n`)?.what, 'inline');
  // Inline HTML tags left open, one in another: 100 read, 101 refused; closed, void or self-closing ones count nothing.
  assert.equal(checkNesting(`${'Wort <i> '.repeat(100)}\n`), undefined);
  assert.deepEqual(checkNesting(`a\n\n${'Wort <i class="x"> '.repeat(101)}\n`), { line: 3, limit: 100, what: 'inline' });
  assert.equal(checkNesting(`${'<b>fett</b> <br> <img src="a.png" alt="x"> <span/> '.repeat(300)}\n`), undefined);
  assert.equal(checkNesting(`${'<i>\n\n'.repeat(300)}`), undefined, 'a blank line ends the paragraph');
  // Lines that do not end a paragraph do not reset the count: an empty item, a list not starting at 1, a #tag.
  for (const between of ['-', '2. zwei', '#tag'])
    assert.equal(checkNesting(`${'*'.repeat(60)}a\n${between}\n${'*'.repeat(60)}b\n`)?.line, 3, between);
  // Not nesting: thematic breaks of any length, gender stars, balanced emphasis, arithmetic, blank lines resetting.
  const prose = [
    '*'.repeat(20000),
    '',
    '* * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * * *',
    '',
    Array.from({ length: 300 }, () => 'Lehrer*innen und *betonte* Wörter, 5 * 3 und [1] Quellen').join(' '),
    '',
    ...Array.from({ length: 150 }, () => '*offen\n'),
    ...Array.from({ length: 150 }, () => '- *offen'),
  ].join('\n');
  assert.equal(checkNesting(prose), undefined);
  assert.equal(checkNesting(read(path.join(ROOT, 'test', 'fixtures', 'structures.md'))), undefined);
});

for (const [name, text, line] of [
  ['5,000 nested quotes', `# Titel\n\nEin Absatz.\n\n${'>'.repeat(5000)} Zitat\n`, 5],
  ['20,000 emphasis stars', `# Titel\n\nEin Absatz.\n\n${'*'.repeat(10000)}Text${'*'.repeat(10000)}\n`, 5],
  ['3,000 inline HTML tags left open', `# Titel\n\nEin Absatz.\n\n${'Wort <i> '.repeat(3000)}\n`, 5],
] as const) {
  test(`${name}: refused with file:line and exit 2, nothing sent, nothing written`, async () => {
    server.reset();
    const p = project({ 'a.md': 'Ein gutes Dokument.\n', 'deep.md': text });
    try {
      const result = await runCli(['build', '--root', p.dir], { DEEPL_AUTH_KEY: 'k', DEEPL_SERVER_URL: server.url });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, new RegExp(`sources/deep\\.md:${line}: nesting deeper than 100\\b`));
      assert.doesNotMatch(result.stderr, /RangeError|internal error/);
      assert.equal(server.requests.length, 0, 'nothing sent');
      const output = path.join(p.dir, 'output');
      assert.deepEqual(existsSync(output) ? readdirSync(output) : [], []);
      assert.equal(read(path.join(p.dir, 'memory', 'memory.jsonl')), '');
    } finally {
      p.cleanup();
    }
  });
}

test('a document nested right at the limits builds through DeepL into both books', async () => {
  server.reset();
  const deep = [
    '# Titel',
    '',
    `${'>'.repeat(100)} Tief zitierter Absatz.`,
    '',
    Array.from({ length: 50 }, (_, i) => `${'  '.repeat(i)}- Ebene ${i + 1}`).join('\n'),
    '',
    `Betont: ${'*'.repeat(50)}sehr${'*'.repeat(50)} und ${'['.repeat(40)}Klammern${']'.repeat(40)}.`,
    '',
  ].join('\n');
  assert.equal(checkNesting(deep), undefined);
  const p = project({ 'a.md': deep });
  try {
    const config = await configOf(p.dir);
    const engine = deeplEngine(server.url, { targetLang: config.targetLang });
    const result = await build(config, { engine, log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, result.error?.message);
    assert.match(xhtmlOf(path.join(p.dir, 'output', 'edition.en.epub')), /EN: Tief zitierter Absatz\./);
    assert.match(read(path.join(p.dir, 'output', 'a.en.md')), /^>{100} EN: Tief zitierter Absatz\.$/m);
  } finally {
    p.cleanup();
  }
});

test('a comment or a code fence never closed, a note defined twice or nowhere: each said at its line, nothing of it sent', () => {
  const said = (text: string) => {
    const { segments, untranslated } = segmentMarkdown({ id: 'x', path: 'sources/x.md', format: 'md', meta: {}, text });
    return { sources: segments.map((s) => s.source), said: (untranslated ?? []).map((m) => [m.line, m.message]) };
  };
  // CommonMark reads the rest of the block as the comment, or as code: it is said, not lost without a word.
  const comment = said('Absatz davor.\n\n<!-- TODO Redaktion: prüfen\n\nDieser Absatz ist Text.\n\nUnd dieser auch.\n');
  assert.deepEqual(comment.sources, ['Absatz davor.']);
  assert.deepEqual(
    comment.said.map(([line]) => line),
    [3],
  );
  assert.match(
    String(comment.said[0]?.[1]),
    /HTML comment is never closed \(no "-->"\), so everything after it .* neither translated nor shown/,
  );
  const fence = said('Absatz davor.\n\n```\ncode ohne Ende\n\nDieser Absatz ist Text.\n');
  assert.deepEqual(fence.sources, ['Absatz davor.']);
  assert.deepEqual(
    fence.said.map(([line]) => line),
    [3],
  );
  assert.match(String(fence.said[0]?.[1]), /code fence is never closed/);
  // Closed ones, in a quote, with a longer closing fence, and indented code: nothing to say.
  assert.deepEqual(said('A\n\n```js\nx\n```\n\n> ```\n> y\n> ```\n\n~~~~\nz\n~~~~~\n\n    indented\n\n<!-- a\nb -->\n').said, []);

  const notes = said('Verweis.[^nix] Kein Verweis: \\[^esc]. Eine doppelte.[^d]\n\n[^d]: Erste Definition.\n[^d]: Zweite Definition.\n');
  assert.deepEqual(notes.sources, ['Verweis.[^nix] Kein Verweis: \\[^esc]. Eine doppelte.[^d]', 'Erste Definition.']);
  assert.deepEqual(notes.said, [
    [1, 'footnote [^nix] is referred to, but defined nowhere: every edition shows "[^nix]" as written'],
    [
      4,
      'footnote [^d] is defined again (first at line 3), and every edition shows the first: this one is not translated; ' +
        'remove it or give it a label of its own',
    ],
  ]);
});
