// Unit tests of the English-Markdown writer on tiny hand-made articles: a Markdown source keeps its
// structure with only the text replaced; a plain-text source becomes escaped Markdown; gaps throw.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import type { Node } from 'unist';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { parse } from 'yaml';
import type { TranslatedArticle } from '../src/model.js';
import { articleTree, segmentsFinder } from '../src/render/article-tree.js';
import { renderEnglishMarkdown } from '../src/render/english-markdown.js';
import type { EnglishPlace } from '../src/render/relocate-urls.js';
import { linkTargets } from '../src/render/resolve-link.js';
import { readSources } from '../src/sources/read-sources.js';
import { handMadeArticle } from './helpers.js';

const GERMAN = [
  '---',
  'title: Titel des Artikels',
  '---',
  '',
  '# Überschrift',
  '',
  'Ein Absatz mit [Link](https://example.org). <!-- Notiz -->',
  '',
  '- Punkt eins',
  '- Punkt zwei',
  '',
  '> Ein Zitat',
  '> über zwei Zeilen.',
  '',
  '| Spalte | Wert |',
  '|---|---|',
  '| Ost | 1 |',
  '',
].join('\n');

const ENGLISH = [
  'Title: "of the article"',
  'Heading',
  'A paragraph with [a link](https://example.org).',
  'Point one',
  'Point two',
  'A quote\nover two lines.',
  'Column',
  'Value',
  'East',
  '1',
];

test("a Markdown source keeps its structure: each segment's text replaced, in place, and nothing else", () => {
  const a = handMadeArticle(GERMAN, ENGLISH);
  assert.deepEqual(
    a.segments.map((t) => t.segment.kind),
    ['title', 'heading', 'paragraph', 'list-item', 'list-item', 'blockquote', 'table-cell', 'table-cell', 'table-cell', 'table-cell'],
  );
  const english = renderEnglishMarkdown(a);
  const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(english) ?? [];
  assert.deepEqual(parse(front ?? ''), { title: 'Title: "of the article"' }, 'the front matter stays valid YAML');
  assert.equal(
    body,
    [
      '',
      '# Heading',
      '',
      // The German's comment follows the English of its paragraph.
      'A paragraph with [a link](https://example.org). <!-- Notiz -->',
      '',
      '- Point one',
      '- Point two',
      '',
      '> A quote',
      '> over two lines.',
      '',
      '| Column | Value |',
      '|---|---|',
      '| East | 1 |',
      '',
    ].join('\n'),
  );
  assert.doesNotMatch(english, /Überschrift|Absatz|Punkt|Zitat|Spalte/);
});

test('a front-matter title or description written as a block scalar (> or |) is replaced up to its line end: the next key stays on its own line', () => {
  for (const indicator of ['>', '|', '>-', '|+']) {
    const german = `---\ntitle: Titel eins\ndescription: ${indicator}\n  Eine Beschreibung\n  über zwei Zeilen.\nauthor: Hans\ndate: 2024-03\n---\n\nEin Absatz.\n`;
    const source = handMadeArticle(german, []);
    const english = renderEnglishMarkdown(
      handMadeArticle(
        german,
        source.segments.map((t) => `EN ${t.segment.source}`),
      ),
    );
    const front = english.slice(4, english.indexOf('\n---\n', 4));
    const data = parse(front) as Record<string, unknown>;
    assert.equal(data['author'], 'Hans', `${indicator}: ${front}`);
    assert.equal(data['date'], '2024-03', indicator);
    assert.match(String(data['description']), /^EN Eine Beschreibung/, indicator);
  }
});

test('TOML front matter (+++, as Hugo writes it) is front matter: its title and description translated and written back as TOML strings, its other keys and dates read and kept', async () => {
  const german = [
    '+++',
    'title = "Bahnstreik: \\"Heute\\" fällt alles aus"',
    'description = "Was Reisende wissen müssen"',
    'date = 2024-05-20T06:15:00+02:00',
    "slug = 'bahnstreik'",
    'tags = ["Bahn", "Streik"]',
    '+++',
    '',
    'Der Streik beginnt am Montag.',
    '',
  ].join('\n');
  const source = handMadeArticle(german, []);
  assert.deepEqual(
    source.segments.map((t) => [t.segment.kind, t.segment.source]),
    [
      ['title', 'Bahnstreik: "Heute" fällt alles aus'],
      ['description', 'Was Reisende wissen müssen'],
      ['paragraph', 'Der Streik beginnt am Montag.'],
    ],
  );
  const english = renderEnglishMarkdown(
    handMadeArticle(
      german,
      source.segments.map((t) => `EN ${t.segment.source}`),
    ),
  );
  const front = parseToml(english.slice(4, english.indexOf('\n+++\n', 4)));
  assert.equal(front['title'], 'EN Bahnstreik: "Heute" fällt alles aus');
  assert.equal(front['description'], 'EN Was Reisende wissen müssen');
  assert.equal(front['slug'], 'bahnstreik');
  assert.match(english, /\ndate = 2024-05-20T06:15:00\+02:00\n/);
  assert.match(english, /\+\+\+\n\nEN Der Streik beginnt am Montag\.\n$/);

  // Literal and multi-line strings are read too; a table's keys (`[params]`, as Hugo themes have them) are not the article's.
  const hugo = [
    '+++',
    "title = 'Einfache Anführung'",
    'description = """',
    'Zwei Zeilen',
    'Beschreibung"""',
    '[params]',
    'title = "Param-Titel"',
    "description = 'Param-Beschreibung'",
    '+++',
    '',
    'Text.',
    '',
  ].join('\n');
  const read = handMadeArticle(hugo, []);
  assert.deepEqual(
    read.segments.map((t) => [t.segment.kind, t.segment.source]),
    [
      ['title', 'Einfache Anführung'],
      ['description', 'Zwei Zeilen\nBeschreibung'],
      ['paragraph', 'Text.'],
    ],
  );
  const hugoEnglish = renderEnglishMarkdown(
    handMadeArticle(
      hugo,
      read.segments.map((t) => `EN ${t.segment.source}`),
    ),
  );
  const hugoFront = parseToml(hugoEnglish.slice(4, hugoEnglish.indexOf('\n+++\n', 4)));
  assert.equal(hugoFront['title'], 'EN Einfache Anführung');
  assert.equal(hugoFront['description'], 'EN Zwei Zeilen\nBeschreibung');
  assert.deepEqual({ ...(hugoFront['params'] as object) }, { title: 'Param-Titel', description: 'Param-Beschreibung' });

  // The date is the article's day; a broken TOML front matter is refused at its line.
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-toml-'));
  try {
    writeFileSync(path.join(dir, 'a.md'), german);
    writeFileSync(path.join(dir, 'b.md'), '+++\ntitle = "Offen\n+++\n\nText.\n');
    // And YAML's quote left open, at the line where it opens (the parser names the end).
    writeFileSync(path.join(dir, 'c.md'), '---\ndate: 2024-01-01\ntitle: "Offen\nauthor: x\n---\n\nText.\n');
    const { documents, problems } = await readSources(dir, '.');
    assert.deepEqual(
      documents.map((d) => [d.id, d.meta.date]),
      [['a', '2024-05-20']],
    );
    const said = problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');
    assert.match(said, /^b\.md:2: front matter is not valid TOML/m);
    assert.match(said, /^c\.md:3: front matter is not valid YAML: Missing closing "quote/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an English that begins like another block (a list marker, "1.", a quote, a heading, a rule) stays text in its block', () => {
  const german = ['Erster Absatz.', '', '- Punkt eins', '', '> Ein Zitat', '', '[^1]: Eine Fußnote.', '', 'Zweiter Absatz[^1].', ''].join(
    '\n',
  );
  const english = ['1. December was cold.', '- Point one', '> A quote', '# Not a heading', '---'];
  const a = handMadeArticle(german, english);
  const shape = (markdown: string): unknown => {
    const strip = (node: Node): unknown => ({
      type: node.type,
      ...('value' in node ? { value: node.value } : {}),
      ...('children' in node ? { children: (node.children as Node[]).map(strip) } : {}),
    });
    return strip(unified().use(remarkParse).use(remarkGfm).parse(markdown));
  };
  const written = renderEnglishMarkdown(a);
  // The German's blocks, each holding its English as text: no new list, quote, heading or rule.
  const blocks = (tree: unknown): string[] => (tree as { children: Array<{ type: string }> }).children.map((c) => c.type);
  assert.deepEqual(blocks(shape(written)), blocks(shape(german)));
  const texts: string[] = [];
  const collect = (node: unknown): void => {
    const n = node as { type: string; value?: string; children?: unknown[] };
    if (n.type === 'text') texts.push(n.value ?? '');
    for (const c of n.children ?? []) collect(c);
  };
  collect(shape(written));
  assert.deepEqual(texts, english);
  // Their own German is written back byte for byte.
  assert.equal(
    renderEnglishMarkdown(
      handMadeArticle(
        german,
        a.segments.map((t) => t.segment.source),
      ),
    ),
    german,
  );
});

test('an English on several lines (a TMX import, a review edit) keeps its blocks: a heading is joined, later lines that would start a block stay text', () => {
  const german = ['## Ein Teil', '', '- Punkt zwei', '', 'Ein Absatz.', ''].join('\n');
  const a = handMadeArticle(german, ['Extra\nmaterial', 'Item two:\n# Estonia', 'One line\n===\n- and\n--']);
  const written = renderEnglishMarkdown(a);
  const tree = unified().use(remarkParse).use(remarkGfm).parse(written);
  assert.deepEqual(
    tree.children.map((c) => c.type),
    ['heading', 'list', 'paragraph'],
    written,
  );
  assert.match(written, /^## Extra material\n/);
  assert.match(written, /^- Item two:\n\\# Estonia$/m);
  assert.match(written, /^One line\n\\===\n\\- and\n\\--$/m);
});

test('a comment the English already holds is not repeated', () => {
  const a = handMadeArticle('Ein Absatz. <!-- Notiz -->\n', ['A paragraph. <!-- Notiz -->']);
  assert.equal(renderEnglishMarkdown(a), 'A paragraph. <!-- Notiz -->\n');
});

test('an article with a missing translation is refused, naming the segment', () => {
  const a = handMadeArticle(GERMAN, ENGLISH.slice(0, 4));
  const missing = a.segments[4]!.segment.id;
  assert.throws(() => renderEnglishMarkdown(a), new RegExp(`segment ${missing} of sources/hand\\.md has no translation`));
});

test('a plain-text source becomes Markdown: front matter, headings, paragraphs escaped', () => {
  const a = handMadeArticle(
    'Ein Titel\n\nPreis: 5 * 3 Euro [sic] & mehr.\n\nZweiter Absatz.\n',
    ['A title', 'Price: 5 * 3 euros [sic] & <b>more</b>.', 'Second\nparagraph.'],
    {
      format: 'txt',
      meta: { date: '2024-05-01', author: 'Anna Beispiel' },
    },
  );
  assert.equal(a.segments[0]!.segment.kind, 'heading');
  const english = renderEnglishMarkdown(a);
  const [, front, body] = /^---\n([\s\S]*?)\n---\n\n([\s\S]*)$/.exec(english) ?? [];
  assert.deepEqual(parse(front ?? ''), { title: 'A title', date: '2024-05-01', author: 'Anna Beispiel', source: 'sources/hand.txt' });
  assert.equal(body, '# A title\n\nPrice: 5 \\* 3 euros \\[sic] & \\<b>more\\</b>.\n\nSecond paragraph.\n');
});

/** Where the writer puts the English Markdown (`output/<id>.en.md`), with these articles to link to. */
function placeIn(...articles: TranslatedArticle[]): EnglishPlace {
  return {
    output: 'output',
    targets: linkTargets(
      articles.map((a) => a.article),
      () => 'image/png',
    ),
    englishFile: (id) => `${id}.en.md`,
  };
}

test("written to the output folder, relative links and pictures point from there: pictures at the sources', articles at their English Markdown", () => {
  const other = handMadeArticle('# Abschnitt\n\nText.\n', ['Section', 'Text.'], { id: 'other' });
  const german = [
    '# Werkzeuge und Bilder',
    '',
    'Zu den [Werkzeugen](#werkzeuge-und-bilder), zum [anderen](other.md#abschnitt), zum [Namenlosen](#nirgends) und ins [Netz](https://example.org/a.md).',
    '',
    '![Karte](bilder/meine%20karte.png "Karte") und ![Foto](<bilder/foto (1).png>) und ![Ref][k]',
    '',
    '<p><img alt="Plan" src="bilder/plan.png"> <a href=\'other.md\'>dort</a></p>',
    '',
    '[k]: ./bilder/k\\_2.png',
    '',
  ].join('\n');
  const a = handMadeArticle(
    german,
    [
      'Tools and Pictures',
      'To the [tools](#werkzeuge-und-bilder), to the [other](other.md#abschnitt), to the [nameless](#nirgends) and onto the [web](https://example.org/a.md).',
      '![Map](bilder/meine%20karte.png "Karte") and ![Photo](<bilder/foto (1).png>) and ![Ref][k]',
      '<p><img alt="Plan" src="bilder/plan.png"> <a href=\'other.md\'>there</a></p>',
    ],
    { id: 'here' },
  );
  const english = renderEnglishMarkdown(a, placeIn(a, other));
  assert.equal(
    english,
    [
      '# Tools and Pictures',
      '',
      'To the [tools](#tools-and-pictures), to the [other](other.en.md#abschnitt), to the [nameless](#nirgends) and onto the [web](https://example.org/a.md).',
      '',
      '![Map](../sources/bilder/meine%20karte.png "Karte") and ![Photo](<../sources/bilder/foto%20%281%29.png>) and ![Ref][k]',
      '',
      '<p><img alt="Plan" src="../sources/bilder/plan.png"> <a href=\'other.en.md\'>there</a></p>',
      '',
      '[k]: ../sources/bilder/k_2.png',
      '',
    ].join('\n'),
  );
  const asWritten = renderEnglishMarkdown(a);
  for (const url of [
    '(#werkzeuge-und-bilder)',
    '(other.md#abschnitt)',
    '(<bilder/foto (1).png>)',
    'src="bilder/plan.png"',
    '[k]: ./bilder/k\\_2.png',
  ])
    assert.ok(asWritten.includes(url), `without a place, ${url} as written`);
});

test("the pictures a srcset names (an img's sizes, a picture's dark mode) point from the output folder too", () => {
  const german = [
    '<picture>',
    '  <source srcset="bilder/karte-dunkel.png" media="(prefers-color-scheme: dark)">',
    '  <img src="bilder/karte.png" srcset="bilder/karte.png 1x, bilder/karte@2x.png 2x,https://example.org/k.png 3x" alt="Karte">',
    '</picture>',
    '',
  ].join('\n');
  const a = handMadeArticle(german, [german.trimEnd().replace('alt="Karte"', 'alt="Map"')]);
  assert.equal(
    renderEnglishMarkdown(a, placeIn(a)),
    [
      '<picture>',
      '  <source srcset="../sources/bilder/karte-dunkel.png" media="(prefers-color-scheme: dark)">',
      '  <img src="../sources/bilder/karte.png" srcset="../sources/bilder/karte.png 1x, ../sources/bilder/karte@2x.png 2x,https://example.org/k.png 3x" alt="Map">',
      '</picture>',
      '',
    ].join('\n'),
  );
});

test('a relocated URL stays one destination or attribute value: quotes, spaces and parentheses in a file name are percent-encoded', () => {
  const a = handMadeArticle('<img src="bilder/it&#39;s &quot;neu&quot; (2).png">\n', [
    '<img src="bilder/it&#39;s &quot;neu&quot; (2).png">',
  ]);
  assert.equal(renderEnglishMarkdown(a, placeIn(a)), '<img src="../sources/bilder/it%27s%20%22neu%22%20%282%29.png">\n');
});

test("a link to a folder keeps its closing slash (a site serves the folder's index there)", () => {
  const a = handMadeArticle('Die [Seite](../andere/seite/#anker) und [hier](dokumente/).\n', [
    'Die [Seite](../andere/seite/#anker) und [hier](dokumente/).',
  ]);
  assert.equal(renderEnglishMarkdown(a, placeIn(a)), 'Die [Seite](../andere/seite/#anker) und [hier](../sources/dokumente/).\n');
});

test("a quote's alert marker (GitHub's > [!NOTE], Obsidian's callouts) stays as written, alone on its line; the text after it is the pair", () => {
  const a = handMadeArticle('> [!NOTE]\n> Ein Hinweis für Leser.\n\n> [!WARNING]\n', ['A note for readers.']);
  assert.deepEqual(
    a.segments.map((t) => t.segment.source),
    ['Ein Hinweis für Leser.'],
    'the marker is no text to translate; a marker alone is no pair',
  );
  assert.equal(a.segments[0]?.segment.plain, 'Ein Hinweis für Leser.');
  assert.equal(renderEnglishMarkdown(a, placeIn(a)), '> [!NOTE]\n> A note for readers.\n\n> [!WARNING]\n');
  // The books find the pair of the quote's paragraph, which begins with the marker.
  const [quote] = articleTree(a.article).children;
  const paragraph = quote?.type === 'blockquote' ? quote.children[0] : undefined;
  assert.equal(paragraph && segmentsFinder(a)(paragraph)[0]?.target, 'A note for readers.');
});

test("code in Jekyll's or Hugo's highlight tags and display math ($$) are kept as written and never sent, across blank lines", () => {
  const code = '{% highlight ruby %}\ndef foo\n  puts "Hallo"\n\n  x = 1\nend\n{% endhighlight %}';
  const hugo = '{{< highlight go >}}\nfmt.Println("Hallo")\n{{< /highlight >}}';
  const math = '$$\nE = mc^2\n$$';
  const quoted = '> {% highlight sh %}\n> echo "Zitat"\n> {% endhighlight %}';
  const a = handMadeArticle(`${code}\n\n${hugo}\n\n${math}\n\nEin Satz mit $$ darin.\n\n${code}\nDirekt danach Text.\n\n${quoted}\n`, [
    'A sentence with $$ in it.',
    'Text right after.',
  ]);
  assert.deepEqual(
    a.segments.map((t) => [t.segment.source, t.segment.plain]),
    [
      ['Ein Satz mit $$ darin.', 'Ein Satz mit $$ darin.'],
      ['Direkt danach Text.', 'Direkt danach Text.'],
    ],
  );
  assert.equal(
    renderEnglishMarkdown(a, placeIn(a)),
    `${code}\n\n${hugo}\n\n${math}\n\nA sentence with $$ in it.\n\n${code}\nText right after.\n\n${quoted}\n`,
  );
});

test('relocating leaves a file with Windows line ends byte for byte but for the URLs', () => {
  const a = handMadeArticle('Ein [Bild](b.png).\r\n\r\nZweiter <img src="c.png">.\r\n', [
    'A [picture](b.png).',
    'Second <img src="c.png">.',
  ]);
  assert.equal(renderEnglishMarkdown(a, placeIn(a)), 'A [picture](../sources/b.png).\r\n\r\nSecond <img src="../sources/c.png">.\r\n');
});
