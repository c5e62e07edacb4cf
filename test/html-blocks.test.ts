// Raw HTML blocks in Markdown articles: their text is translated through the DeepL test server, their
// markup comes back byte for byte, `translateHtml: false` sends none of it, and reviewers' edits import.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { build } from '../src/pipeline.js';
import { defaultReviewFiles, importReviews } from '../src/review-file/import-review.js';
import { segmentMarkdown } from '../src/segment/segment-markdown.js';
import { inlineCodec } from '../src/text/inline-xml.js';
import { checkHtml } from '../src/qa/check-html.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, writtenFindings } from './helpers.js';
import { setEnglish } from './review-helpers.js';

const NOTE = '<div class="hinweis"><p>Ein <b>Hinweis</b> in HTML.</p></div>';
const TABLE = [
  '<table class="standard">',
  '  <tr>',
  '    <th scope="row">Voraussetzungen:</th>',
  '    <td>Ein Editor &amp; ein&nbsp;Browser <!-- kein Text --> <code>npm start</code></td>',
  '  </tr>',
  '</table>',
].join('\n');
const ARTICLE = [
  '# Eine Seite',
  '',
  'Ein Absatz davor.',
  '',
  NOTE,
  '',
  TABLE,
  '',
  '> <p>Ein Zitat',
  '> in HTML.</p>',
  '',
  '<!-- nur ein Kommentar -->',
  '',
  '<pre>',
  'code bleibt',
  '</pre>',
  '',
].join('\n');

let server: DeepLServer;
let identity: DeepLServer;
before(async () => {
  server = await startDeepLServer();
  identity = await startDeepLServer({ identity: true });
});
after(async () => {
  await server.close();
  await identity.close();
});

/** A project in a temp folder with the article and an empty memory. */
function project(config: Record<string, unknown> = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-html-'));
  mkdirSync(path.join(dir, 'sources'));
  mkdirSync(path.join(dir, 'memory'));
  writeFileSync(path.join(dir, 'memory', 'memory.jsonl'), '');
  writeFileSync(path.join(dir, 'diglot.config.json'), JSON.stringify({ title: 'HTML', ...config }));
  writeFileSync(path.join(dir, 'sources', 'seite.md'), ARTICLE);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Builds the project through a test server; the English Markdown, and the HTML segments' findings. */
async function buildWith(dir: string, at: DeepLServer): Promise<string> {
  const result = await build(await configOf(dir), { engine: deeplEngine(at.url), log: new MemoryLogger() });
  assert.equal(result.exitCode, 0, result.error?.message ?? JSON.stringify(result.missing.map((m) => m.segment.source)));
  // The checks read an HTML block's text between its tags: markup, numbers, quotes are as in the
  // German (the test server translates only a text's first words, so `untranslated` may be right).
  assert.deepEqual(
    writtenFindings(dir).filter((f) => f.line >= 5 && f.line <= 17 && f.rule !== 'untranslated'),
    [],
  );
  return readFileSync(path.join(dir, 'output', 'seite.en.md'), 'utf8');
}

test('an HTML block is one segment; every tag travels as a placeholder and comes back byte for byte', () => {
  const { segments } = segmentMarkdown({ id: 'seite', path: 'sources/seite.md', format: 'md', text: ARTICLE, meta: {} });
  const html = segments.filter((s) => s.kind === 'html');
  // The comment-only block and the <pre> block (no words outside code) are no segments.
  assert.deepEqual(
    html.map((s) => s.plain),
    ['Ein Hinweis in HTML.', 'Voraussetzungen: Ein Editor & ein Browser', 'Ein Zitat in HTML.'],
  );
  const quote = html[2];
  assert.equal(quote?.source, '<p>Ein Zitat\nin HTML.</p>');
  assert.deepEqual(quote?.linePrefixes, ['> ']);
  const codec = inlineCodec(html[0]!);
  assert.equal(codec.xml, '<t i="0"><t i="1">Ein <t i="2">Hinweis</t> in HTML.</t></t>');
  assert.equal(
    codec.restore('<t i="0"><t i="1">A <t i="2">note</t> in HTML &amp; more.</t></t>'),
    '<div class="hinweis"><p>A <b>note</b> in HTML &amp; more.</p></div>',
  );
  // Placeholders missing, repeated, unknown or moved into another element: no English.
  assert.equal(codec.restore('<t i="0"><t i="1">A note.</t></t>'), undefined);
  assert.equal(codec.restore('<t i="0"><t i="1">A <t i="2">note</t></t> <t i="2">x</t></t>'), undefined);
  assert.equal(codec.restore('<t i="0"><t i="2">note</t><t i="1">A</t></t>'), undefined);
  const table = inlineCodec(html[1]!);
  // The comment and the code go as placeholders: their text is not sent.
  assert.doesNotMatch(table.xml, /kein Text|npm start|scope|standard/);
  assert.equal(table.restore(table.xml), TABLE);
});

test("a picture's alt and an element's title in an HTML block are translated: each travels as a sentence of its own, back into its attribute", () => {
  const figure =
    '<figure><img src="k.png" alt="Karte der Ostflanke"><figcaption title=\'Ein "Hinweis"\'>Die <abbr title=Nato>NATO</abbr> plant.</figcaption></figure>';
  const text = ['<img src="k.png" alt="Karte">', '', figure, '', '<p><img src="leer.png" alt=""></p>', ''].join('\n');
  const { segments } = segmentMarkdown({ id: 'bild', path: 'sources/bild.md', format: 'md', text, meta: {} });
  // A picture with words in its alt is a segment now (its alt is what a reader meets); one with none is not.
  assert.deepEqual(
    segments.map((s) => s.plain),
    ['Karte', 'Karte der Ostflanke Ein "Hinweis" Die Nato NATO plant.'],
  );
  const codec = inlineCodec(segments[1]!);
  assert.equal(
    codec.xml,
    '<t i="0"><x i="1"/><t i="2">Die <t i="3">NATO</t> plant.</t></t> <title i="0">Karte der Ostflanke</title> <title i="1">Ein "Hinweis"</title> <title i="2">Nato</title>',
  );
  const english = codec.restore(
    '<t i="0"><x i="1"/><t i="2">The <t i="3">NATO</t> plans.</t></t> <title i="0">Map of the eastern flank</title> ' +
      '<title i="1">A \'note\' &amp; more</title> <title i="2">North Atlantic Treaty</title>',
  );
  // Each value in its attribute, escaped for the quotes around it (a value without quotes gets them when it needs them).
  assert.equal(
    english,
    '<figure><img src="k.png" alt="Map of the eastern flank"><figcaption title=\'A &#39;note&#39; &amp; more\'>The <abbr title="North Atlantic Treaty">NATO</abbr> plans.</figcaption></figure>',
  );
  assert.equal(codec.restore(codec.xml), figure, 'what comes back as it was sent is the German byte for byte');
  assert.equal(codec.restore(codec.xml.replace(/ <title i="1">[^<]*<\/title>/, '')), undefined, 'a value missing: no English');
  // The markup check takes the translated values for the same markup.
  assert.deepEqual(checkHtml({ segment: segments[1]!, target: english as string, file: 'sources/bild.md' }), []);
});

test('an aria-label (read out by screen readers) and a placeholder are translated like a title', () => {
  const text = '<p><a href="x.html" aria-label="Zum Bericht">Mehr</a> <input placeholder="Suchbegriff"></p>\n';
  const [segment] = segmentMarkdown({ id: 'aria', path: 'sources/aria.md', format: 'md', text, meta: {} }).segments;
  const codec = inlineCodec(segment!);
  assert.match(codec.xml, /<title i="\d">Zum Bericht<\/title> <title i="\d">Suchbegriff<\/title>$/);
  const english = codec.restore(
    codec.xml.replace('Mehr', 'More').replace('Zum Bericht', 'To the report').replace('Suchbegriff', 'Search term'),
  );
  assert.equal(english, '<p><a href="x.html" aria-label="To the report">More</a> <input placeholder="Search term"></p>');
});

test('an HTML block with words that does not parse cleanly is no segment, and is said at its line: it stays German', () => {
  const text = [
    '# Seite',
    '',
    'Davor.',
    '',
    '<div class="box"><p><strong>Zur Person: Petra Lang.</p><p>Sie hat zwei Kinder.</p></div>',
    '',
    '<!-- nur ein Kommentar -->',
    '',
  ].join('\n');
  const { segments, untranslated } = segmentMarkdown({ id: 'box', path: 'sources/box.md', format: 'md', text, meta: {} });
  assert.deepEqual(
    segments.map((s) => s.kind),
    ['heading', 'paragraph'],
  );
  assert.deepEqual(
    untranslated?.map((m) => [m.file, m.line, m.severity]),
    [['sources/box.md', 5, 'warning']],
  );
  assert.match(untranslated?.[0]?.message ?? '', /does not parse cleanly .* kept as written, in German/);
});

test('through DeepL the text inside HTML blocks is translated and the markup kept as written', async () => {
  const { dir, cleanup } = project();
  try {
    server.reset();
    const english = await buildWith(dir, server);
    const sent = server.textsSent();
    assert.ok(sent.includes('<t i="0"><t i="1">Ein <t i="2">Hinweis</t> in HTML.</t></t>'), sent.join('\n'));
    for (const text of sent) assert.doesNotMatch(text, /hinweis"|scope=|kein Text|npm start|code bleibt/);
    assert.ok(english.includes('<div class="hinweis"><p>EN: Ein <b>Hinweis</b> in HTML.</p></div>'), english);
    assert.ok(
      english.includes(
        [
          '<table class="standard">',
          '  <tr>',
          '    <th scope="row">EN: Voraussetzungen:</th>',
          '    <td>Ein Editor &amp; ein&nbsp;Browser <!-- kein Text --> <code>npm start</code></td>',
          '  </tr>',
          '</table>',
        ].join('\n'),
      ),
      english,
    );
    assert.ok(english.includes('> <p>EN: Ein Zitat in HTML.</p>'), english);
    // Apart from the words, the English Markdown is the German.
    assert.equal(english.replace(/EN: /g, '').replace('Ein Zitat in HTML.', 'Ein Zitat\n> in HTML.'), ARTICLE);
  } finally {
    cleanup();
  }
});

test('with an identity translation the English Markdown of HTML blocks is the German byte for byte', async () => {
  const { dir, cleanup } = project();
  try {
    identity.reset();
    assert.equal(await buildWith(dir, identity), ARTICLE);
  } finally {
    cleanup();
  }
});

test('translateHtml: false sends nothing of an HTML block and copies it as it is', async () => {
  const { dir, cleanup } = project({ translateHtml: false });
  try {
    server.reset();
    const english = await buildWith(dir, server);
    for (const text of server.textsSent()) assert.doesNotMatch(text, /Hinweis|Voraussetzungen|Zitat/);
    assert.ok(english.includes(`\n${NOTE}\n\n${TABLE}\n\n> <p>Ein Zitat\n> in HTML.</p>\n`), english);
    // In both books the German blocks say they are German (a screen reader reads them with a German
    // voice); the code block, without German words, does not.
    for (const name of ['edition.epub', 'edition.en.epub']) {
      const files = unzipSync(new Uint8Array(readFileSync(path.join(dir, 'output', name))));
      const chapter = strFromU8(files['OEBPS/chapter-001.xhtml'] as Uint8Array);
      assert.match(
        chapter,
        /<div lang="de" xml:lang="de">\n<div class="html"><div><p>Ein <b>Hinweis<\/b> in HTML\.<\/p><\/div><\/div>\n<\/div>/,
        name,
      );
      assert.match(chapter, /<div lang="de" xml:lang="de">\n<div class="html"><table>/, name);
      assert.match(chapter, /<\/blockquote>\n<div class="html"><pre>code bleibt/, name);
    }
  } finally {
    cleanup();
  }
  const bad = project({ translateHtml: 'nein' });
  try {
    await assert.rejects(configOf(bad.dir), /translateHtml/);
  } finally {
    bad.cleanup();
  }
});

test("a reviewer's edit of an HTML block's English imports and reaches the English Markdown", async () => {
  const { dir, cleanup } = project();
  try {
    server.reset();
    await buildWith(dir, server);
    const config = await configOf(dir);
    const reviewFile = path.join(dir, 'output', 'seite.review.md');
    const review = readFileSync(reviewFile, 'utf8');
    // The block is shown as written, lines and indentation kept; left as it is, it is no edit.
    assert.ok(
      review.includes(
        `\n\n${TABLE.split('\n')
          .map((l) => `> ${l}`)
          .join('\n')}\n\n`,
      ),
      review,
    );
    const files = (await defaultReviewFiles(config)).map((f) => ({ path: f, display: path.relative(dir, f) }));
    const [unchanged] = await importReviews(config, files, { log: new MemoryLogger() });
    assert.deepEqual([unchanged?.problems, unchanged?.changes.length], [[], 0]);
    const id = /^<!-- segment (\S+) · html · line 7 /m.exec(review)?.[1];
    assert.ok(id, review);
    const edited = TABLE.replace('Voraussetzungen:', 'Requirements:').replace(
      'Ein Editor &amp; ein&nbsp;Browser',
      'An editor &amp; a browser',
    );
    writeFileSync(reviewFile, setEnglish(review, id, edited));
    const [result] = await importReviews(config, files, { log: new MemoryLogger() });
    assert.deepEqual(result?.problems ?? [], []);
    assert.equal(result?.changes.length, 1);
    const english = await buildWith(dir, server);
    assert.ok(english.includes(edited), english);
  } finally {
    cleanup();
  }
});

test("an HTML block's lang attributes that name German say the English's language once translated (an embedded post)", () => {
  const tweet =
    '<blockquote class="twitter-tweet"><p lang="de" dir="ltr">Ein Beitrag auf Deutsch.</p>' +
    '&mdash; Name <span xml:lang=\'de-AT\'>Servus</span> <q lang=fr>Bonjour</q> <i data-lang="de">x</i></blockquote>';
  const { segments } = segmentMarkdown({ id: 'post', path: 'sources/post.md', format: 'md', text: `${tweet}\n`, meta: {} });
  const codec = inlineCodec(segments.find((s) => s.kind === 'html')!);
  const answer = codec.xml.replace('Ein Beitrag auf Deutsch.', 'A post in German.');
  assert.equal(
    codec.restore(answer, 'en-US'),
    '<blockquote class="twitter-tweet"><p lang="en-US" dir="ltr">A post in German.</p>' +
      '&mdash; Name <span xml:lang=\'en-US\'>Servus</span> <q lang=fr>Bonjour</q> <i data-lang="de">x</i></blockquote>',
  );
  // Without a language (a review's English as written), the markup stays as it is.
  assert.match(codec.restore(answer) ?? '', /<p lang="de" dir="ltr">A post in German\.<\/p>/);
  // The markup check reads the languages as the language they name, not as markup changed.
  const segment = segments.find((s) => s.kind === 'html')!;
  assert.deepEqual(checkHtml({ segment, target: codec.restore(answer, 'en-US') as string, file: 'sources/post.md' }), []);
  assert.equal(
    checkHtml({ segment, target: (codec.restore(answer, 'en-US') as string).replace(' dir="ltr"', ''), file: 'sources/post.md' }).length,
    1,
  );
});
