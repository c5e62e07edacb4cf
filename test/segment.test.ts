import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { configOf, ROOT, sampleProject, segmentsOf } from './helpers.js';
import type { SourceDocument } from '../src/model.js';
import { glue } from '../src/segment/glue.js';
import { parseInline } from '../src/segment/parse-markdown.js';
import { segment } from '../src/segment/segment.js';
import { segmentMarkdown } from '../src/segment/segment-markdown.js';
import { readSources } from '../src/sources/read-sources.js';

// A copy of the sample project: the tests read its sources, never the live ones.
const sample = sampleProject();
after(() => sample.cleanup());
const config = await configOf(sample.dir);

function docFrom(file: string): SourceDocument {
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return { id: path.basename(file), path: file, format: file.endsWith('.md') ? 'md' : 'txt', text, meta: {} };
}

const fixtures = [
  ...readdirSync(path.join(sample.dir, 'sources')).map((f) => path.join(sample.dir, 'sources', f)),
  ...readdirSync(path.join(ROOT, 'test/fixtures'), { withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => path.join(ROOT, 'test/fixtures', f.name)),
  ...readdirSync(path.join(ROOT, 'test/fixtures/constructs/sources'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(ROOT, 'test/fixtures/constructs/sources', f)),
];

for (const file of fixtures) {
  test(`segment then glue gives ${path.basename(file)} back byte for byte`, () => {
    const doc = docFrom(file);
    const { segments } = segment(doc, config.cleanup);
    assert.ok(segments.length > 0);
    assert.equal(
      glue(doc.text, segments, (s) => s.source),
      doc.text,
    );
    // Segments are in order, do not overlap, and each one's raw span holds its text.
    segments.forEach((s, i) => {
      assert.ok(s.end > s.start);
      if (i > 0) assert.ok(s.start >= (segments[i - 1]?.end ?? 0));
      if (s.encoding !== 'yaml') assert.equal(doc.text.slice(s.start, s.end).replace(/\n(?:[ \t]*>[ \t]?)*[ \t]*/g, '\n'), s.source);
    });
  });
}

test('every sample paragraph is a segment or a dropped line, none lost', async () => {
  const { documents } = await readSources(sample.dir, 'sources');
  assert.equal(documents.length, 5);
  for (const doc of documents) {
    const { segments, dropped } = segment(doc, config.cleanup);
    const body = doc.text.replace(/^\s*date \d{4}-\d{2}\s+/, '');
    const blocks = body
      .split(/\n\s*\n/)
      .map((b) => b.trim())
      .filter((b) => b !== '');
    const covered = [...segments.map((s) => s.source), ...dropped.map((d) => d.text)].join('\n');
    for (const block of blocks) {
      for (const word of block.split(/\s+/)) assert.ok(covered.includes(word), `${doc.path}: "${word}" is lost`);
    }
    assert.equal(segments.length + dropped.filter((d) => d.text === blocks.find((b) => b === d.text)).length, blocks.length, doc.path);
  }
});

test('raw text: date marker, subheadings, byline, cleanup rules', () => {
  const doc = docFrom(path.join(ROOT, 'test/fixtures/raw.txt'));
  const result = segment(doc, config.cleanup);
  assert.deepEqual(
    result.segments.map((s) => [s.kind, s.source]),
    [
      ['paragraph', 'Ein erster Absatz ohne Titel.'],
      ['heading', 'Eine Zwischenzeile'],
      ['paragraph', 'Zweiter Absatz,\neingerückt fortgesetzt.'],
      ['paragraph', 'Von Anna Beispiel'],
      ['paragraph', 'Letzter Absatz.'],
    ],
  );
  assert.equal(result.doc.meta.author, 'Anna Beispiel');
  assert.deepEqual(result.segments[2]?.linePrefixes, ['  ']);

  const scraped = docFrom(path.join(sample.dir, 'sources/003_3fbf0cb9b090180e.txt'));
  const cleaned = segment(scraped, config.cleanup);
  assert.deepEqual(
    cleaned.dropped.map((d) => d.rule),
    ['updated-stamp', 'image-credit', 'author-follow', 'more-on-topic'],
  );
  assert.ok(cleaned.segments.every((s) => !/Bild: AP|Folgen Ich folge|Mehr zum Thema|Aktualisiert am/.test(s.source)));
  assert.ok(cleaned.segments.some((s) => s.source.endsWith('in der Region Donezk.')));
});

test('Markdown: every block kind is segmented, raw HTML blocks too; code and other front matter keys are not', () => {
  const doc = docFrom(path.join(ROOT, 'test/fixtures/structures.md'));
  const { segments } = segment(doc, config.cleanup);
  const kinds = segments.map((s) => `${s.kind}:${s.plain}`);
  assert.deepEqual(kinds.slice(0, 3), [
    'title:Die Ostflanke der NATO',
    'description:Ein Überblick über die *roten Linien*',
    'heading:Die Ostflanke im Überblick',
  ]);
  for (const expected of [
    'list-item:Erster Punkt',
    'list-item:Verschachtelter Punkt',
    'list-item:Nummeriert zwei (locker)',
    'blockquote:Ein verschachteltes Zitat.',
    'table-cell:Begriff',
    'table-cell:rote Linien | Grenzen',
    'footnote:Die Fußnote selbst.',
  ]) {
    assert.ok(kinds.includes(expected), `missing ${expected}`);
  }
  const all = segments.map((s) => s.source).join('\n');
  assert.doesNotMatch(all, /nichtÜbersetzen|eingerückter Code|nato, russland|Redaktion/);
  // A raw HTML block is one segment, its source the block as written; with `translateHtml: false` it is none.
  const html = segments.filter((s) => s.kind === 'html');
  assert.deepEqual(
    html.map((s) => [s.source, s.plain]),
    [['<div class="hinweis">HTML bleibt unberührt</div>', 'HTML bleibt unberührt']],
  );
  assert.equal(segment(doc, config.cleanup, { translateHtml: false }).segments.filter((s) => s.kind === 'html').length, 0);
  const quote = segments.find((s) => s.plain.startsWith('Ein Zitat'));
  assert.equal(quote?.source, 'Ein Zitat über rote Linien,\ndas über zwei Zeilen geht.');
  assert.deepEqual(quote?.linePrefixes, ['> ']);
});

test("a segment's plain text parts words at an HTML line break, and leaves other inline HTML out", () => {
  const doc: SourceDocument = {
    ...docFrom(path.join(ROOT, 'test/fixtures/structures.md')),
    text: 'Mit <kbd>Strg</kbd> steht<br>in zwei<br/>Zeilen.\n',
  };
  const [only] = segment(doc, config.cleanup).segments.filter((s) => s.kind === 'paragraph');
  assert.equal(only?.plain, 'Mit Strg steht in zwei Zeilen.');
});

test('translations are spliced in without touching anything else', () => {
  const doc = docFrom(path.join(ROOT, 'test/fixtures/structures.md'));
  const { segments } = segment(doc, config.cleanup);
  // A raw HTML block's English is HTML (see test/html-blocks.test.ts): here it is left as it is.
  const out = glue(doc.text, segments, (s) => (s.kind === 'html' ? s.source : `EN ${s.source.replace(/\n/g, ' ')}`));
  assert.match(out, /^title: "EN Die Ostflanke der NATO"$/m);
  assert.match(out, /^> EN Ein Zitat über rote Linien, das über zwei Zeilen geht\.$/m);
  assert.match(out, /^\| EN Ostflanke \| EN eastern flank \|$/m);
  assert.match(out, /^const nichtÜbersetzen = 'Ostflanke';$/m);
  assert.match(out, /^tags: \[nato, russland\]$/m);
  assert.match(out, /^<div class="hinweis">HTML bleibt unberührt<\/div>$/m);
});

test('segment ids are stable hashes, unique within an article', () => {
  const doc: SourceDocument = { id: 'x', path: 'x.txt', format: 'txt', text: 'Gleich.\n\nAnders.\n\nGleich.', meta: {} };
  const ids = segment(doc, []).segments.map((s) => s.id);
  assert.equal(new Set(ids).size, 3);
  assert.equal(ids[2], `${ids[0]}-2`);
  const moved: SourceDocument = { ...doc, text: 'Neu davor.\n\nGleich.' };
  assert.equal(segment(moved, []).segments[1]?.id, ids[0]);
});

test('a Markdown segment carries its inline content, parsed once as it parses alone', () => {
  const doc = docFrom(path.join(ROOT, 'test/fixtures/structures.md'));
  const { segments } = segment(doc, config.cleanup);
  for (const s of segments) {
    if (!s.markdown) assert.equal(s.phrasing, undefined, s.source);
    else assert.deepEqual(s.phrasing, parseInline(s.source, s.references), s.source);
  }
  const lead = segments.find((s) => s.source.startsWith('Einleitung'));
  assert.deepEqual(
    lead?.phrasing?.map((n) => n.type),
    ['text', 'emphasis', 'text', 'strong', 'text', 'inlineCode', 'text', 'link', 'text', 'footnoteReference', 'text'],
  );
  // A text that is not one run of inline content on its own has none: its stages fall back to escaped text.
  const numbered: SourceDocument = { id: 'n', path: 'n.md', format: 'md', text: '## 1. Einleitung\n', meta: {} };
  assert.equal(segment(numbered, []).segments[0]?.phrasing, undefined);
  const raw = docFrom(path.join(ROOT, 'test/fixtures/raw.txt'));
  assert.ok(segment(raw, config.cleanup).segments.every((s) => s.phrasing === undefined));
});

test('a footnote no reference points to is not a segment (no edition shows it), and is said at its line', () => {
  const text = ['Ein Satz[^1].', '', '[^1]: Die Fußnote.', '', '[^unbenutzt]: Steht nirgends.', ''].join('\n');
  const { segments, untranslated } = segmentMarkdown({ id: 'f', path: 'sources/f.md', format: 'md', text, meta: {} });
  assert.deepEqual(
    segments.map((s) => [s.kind, s.source]),
    [
      ['paragraph', 'Ein Satz[^1].'],
      ['footnote', 'Die Fußnote.'],
    ],
  );
  assert.deepEqual(
    untranslated?.map((m) => [m.line, m.message]),
    [[5, 'footnote [^unbenutzt] is referred to nowhere, so no edition shows it: it is not translated']],
  );
});

test("the front matter's subtitle, summary, linkTitle (Hugo's menus) and excerpt (Jekyll's) are translated like its title and description, in YAML and TOML", () => {
  const yaml = segmentsOf(
    '---\ntitle: Titel\nsubtitle: Die Unterzeile\nsummary: Die Zusammenfassung\nlinkTitle: Kurztitel\nexcerpt: Der Anriss\nimage: karte.png\n---\n\nText.\n',
  );
  assert.deepEqual(
    yaml.map((s) => [s.kind, s.source, s.body]),
    [
      ['title', 'Titel', false],
      ['subtitle', 'Die Unterzeile', false],
      ['summary', 'Die Zusammenfassung', false],
      ['linkTitle', 'Kurztitel', false],
      ['excerpt', 'Der Anriss', false],
      ['paragraph', 'Text.', true],
    ],
  );
  const toml = segmentsOf('+++\ntitle = "Titel"\nsummary = "Kurz gesagt"\n+++\n\nText.\n');
  assert.deepEqual(
    toml.map((s) => [s.kind, s.source]),
    [
      ['title', 'Titel'],
      ['summary', 'Kurz gesagt'],
      ['paragraph', 'Text.'],
    ],
  );
});

test('an article with old Mac line endings (a lone CR) gives each segment its own line', () => {
  const segments = segmentsOf('Titel\r\rErster Absatz.\r\rÜber die Grenze gehen wir.\r');
  assert.deepEqual(
    segments.map((s) => [s.source, s.line]),
    [
      ['Titel', 1],
      ['Erster Absatz.', 3],
      ['Über die Grenze gehen wir.', 5],
    ],
  );
});

test("each segment parses with the definitions it refers to, not the article's every one: a dossier of hundreds of notes segments in time linear in its length", () => {
  const n = 300;
  const body = Array.from(
    { length: n },
    (_, i) => `Absatz ${i} mit einer Behauptung.[^n${i}] Und ein [Verweis][R${i}] auf [Straße ${i}].`,
  ).join('\n\n');
  const defs = Array.from(
    { length: n },
    (_, i) => `[^n${i}]: Quelle Nummer ${i}.\n\n[r${i}]: https://example.org/${i}\n\n[STRASSE  ${i}]: https://example.org/s${i}`,
  ).join('\n\n');
  const { segments } = segmentMarkdown({ id: 'x', path: 'sources/x.md', format: 'md', text: `# Titel\n\n${body}\n\n${defs}\n`, meta: {} });
  const paragraph = segments.find((s) => s.source.startsWith('Absatz 7 '));
  // Its own three (labels matched as CommonMark matches them: case folded, ß as ss, white space collapsed), and those whose label its text holds too.
  assert.deepEqual(paragraph?.references?.split('\n').sort(), ['[STRASSE  7]: #', '[^n7]: -', '[r7]: #']);
  for (const s of segments) assert.ok((s.references?.split('\n').length ?? 0) <= 3, s.source);
  // Every reference resolves as in the article: links and notes, none left as text.
  assert.deepEqual(
    paragraph?.phrasing?.map((p) => p.type),
    ['text', 'footnoteReference', 'text', 'linkReference', 'text', 'linkReference', 'text'],
  );
});

test('front matter with old Mac line ends (a lone CR) is read: its title and description translated, broken YAML refused at its line', async () => {
  const text = '---\rtitle: Mein Titel\rdescription: Eine Beschreibung.\r---\r\rText hier.\r';
  const { segments } = segmentMarkdown({ id: 'a', path: 'sources/a.md', format: 'md', text, meta: {} });
  assert.deepEqual(
    segments.map((s) => [s.kind, s.source, s.line, text.slice(s.start, s.end)]),
    [
      ['title', 'Mein Titel', 2, 'Mein Titel'],
      ['description', 'Eine Beschreibung.', 3, 'Eine Beschreibung.'],
      ['paragraph', 'Text hier.', 6, 'Text hier.'],
    ],
  );
  const project = sampleProject();
  try {
    writeFileSync(path.join(project.dir, 'sources', 'cr.md'), '---\rtitle: Titel\rdate: [offen\r---\r\rText.\r');
    const read = await readSources(project.dir, 'sources');
    assert.deepEqual(
      read.problems.map((p) => [p.file, p.line]),
      [['sources/cr.md', 3]],
    );
    assert.match(read.problems[0]?.message ?? '', /front matter is not valid YAML/);
  } finally {
    project.cleanup();
  }
});
