// Unit tests of the chapter renderer (render/article-tree, book-tree, chapter-xhtml, resolve-link)
// on hand-made articles: what each Markdown construct becomes in each book.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articleTree } from '../src/render/article-tree.js';
import { bookTree, englishPhrasing, type Book } from '../src/render/book-tree.js';
import { chapterXhtml } from '../src/render/chapter-xhtml.js';
import { renderEnglishMarkdown } from '../src/render/english-markdown.js';
import { articleTitle } from '../src/segment/article-title.js';
import { linkTargets, type LinkTargets } from '../src/render/resolve-link.js';
import type { PictureType, TranslatedArticle } from '../src/model.js';
import { checkLinks } from '../src/qa/check-links.js';
import { checkMarkup } from '../src/qa/check-markup.js';
import { needsTranslation } from '../src/translate/needs-translation.js';
import { formatMessage } from '../src/util/format-message.js';
import { handMadeArticle } from './helpers.js';

/** The article with every segment translated as `EN ` + its German (a raw HTML block: its first text). */
function translated(text: string, options: { id?: string; format?: 'md' | 'txt' } = {}): TranslatedArticle {
  const sources = handMadeArticle(text, [], options).segments.map((t) =>
    t.segment.kind === 'html' ? t.segment.source.replace(/>(?=[^<>]*\p{L})/u, '>EN ') : `EN ${t.segment.source}`,
  );
  return handMadeArticle(text, sources, options);
}

function render(
  article: TranslatedArticle,
  book: Book,
  options: { targets?: LinkTargets; picture?: (file: string) => PictureType } = {},
): { xhtml: string; images: string[] } {
  const made = bookTree(articleTree(article.article), article, {
    book,
    de: 'de',
    en: 'en-US',
    targets: options.targets ?? linkTargets([article.article], options.picture ?? (() => 'missing')),
    english: englishPhrasing(article),
  });
  return { xhtml: chapterXhtml(made.tree), images: made.images.map((i) => `${i.file} → ${i.href} ${i.mediaType}`) };
}

test('bilingual: each text block is a pair of German then English, each marked with its language', () => {
  const a = translated('# Titel\n\nErster Absatz mit *Betonung*.\n\n## Teil\n\nZweiter Absatz.\n');
  const { xhtml } = render(a, 'bilingual');
  // The opening heading is the chapter's title (its <h1>), not repeated in the text.
  assert.doesNotMatch(xhtml, /Titel/);
  assert.ok(
    xhtml.includes(
      '<div class="pair paragraph" id="s-' +
        a.segments[1]!.segment.id +
        '"><p class="de" lang="de" xml:lang="de">Erster Absatz mit <em>Betonung</em>.</p><p class="en" lang="en-US" xml:lang="en-US">EN Erster Absatz mit <em>Betonung</em>.</p></div>',
    ),
    xhtml,
  );
  // A heading's German is a paragraph styled as one; its English the heading, with the source's id.
  assert.match(
    xhtml,
    /<div class="pair heading" id="s-[\w-]+"><p class="de h" lang="de" xml:lang="de">Teil<\/p><h2 class="en" lang="en-US" xml:lang="en-US" id="teil">EN Teil<\/h2><\/div>/,
  );
});

test('English: the English document alone, headings at levels that never skip, ids kept', () => {
  const a = translated('Einleitung.\n\n## Eins\n\n#### Tief\n\n## Zwei\n\nText.\n');
  const { xhtml } = render(a, 'english');
  assert.doesNotMatch(xhtml, /lang="de"|class="de/);
  assert.deepEqual(
    [...xhtml.matchAll(/<h(\d) id="([^"]+)">([^<]*)</g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`),
    ['2 eins EN Eins', '3 tief EN Tief', '2 zwei EN Zwei'],
  );
  assert.match(xhtml, /<p id="s-[\w-]+">EN Text\.<\/p>/);
});

test('lists keep their kind, numbering and nesting; the structure appears once around the pairs', () => {
  const a = translated('Vorweg.\n\n3. Drei\n4. Vier\n   - innen\n\n- [x] erledigt\n- [ ] offen\n');
  const bi = render(a, 'bilingual').xhtml;
  assert.match(
    bi,
    /<ol start="3">\n<li>\n<div class="pair list-item" id="s-[\w-]+"><p class="de"[^>]*>Drei<\/p><p class="en"[^>]*>EN Drei<\/p><\/div>\n<\/li>/,
  );
  assert.match(bi, /EN Vier<\/p><\/div>\n<ul>\n<li>\n<div class="pair list-item"[^>]*><p class="de"[^>]*>innen/);
  // A book has no form controls: a task's box is the character a reader prints.
  assert.doesNotMatch(bi, /<input/);
  assert.match(bi, /<p class="de"[^>]*>☒ erledigt<\/p><p class="en"[^>]*>☒ EN erledigt<\/p>/);
  assert.match(bi, /☐ EN offen/);
  assert.equal(bi.split('<ol').length - 1, 1);
  // In the English book a tight item's text keeps its id on a span.
  const en = render(a, 'english').xhtml;
  assert.match(en, /<li>\n<span id="s-[\w-]+">EN Drei<\/span>\n<\/li>/);
});

test('a table stays one table: each cell holds German then English, alignment as classes', () => {
  const a = translated('| Begriff | Zahl |\n| :-- | --: |\n| Ostflanke | 3 |\n');
  const bi = render(a, 'bilingual').xhtml;
  assert.equal(bi.split('<table>').length - 1, 1);
  assert.match(
    bi,
    /<th class="align-left" id="s-[\w-]+"><span class="de" lang="de" xml:lang="de">Begriff<\/span> <span class="en" lang="en-US" xml:lang="en-US">EN Begriff<\/span><\/th>/,
  );
  assert.match(bi, /<td class="align-right" id="s-[\w-]+">/);
  assert.doesNotMatch(bi, /align="/);
  const en = render(a, 'english').xhtml;
  assert.match(en, /<td class="align-left" id="s-[\w-]+">EN Ostflanke<\/td>/);
});

test('code is shown once, verbatim, and never as a pair', () => {
  const a = translated('Vorher.\n\n```js\nconst a = "<Ostflanke>";\n```\n\n    eingerückt & roh\n');
  const bi = render(a, 'bilingual').xhtml;
  assert.ok(bi.includes('<pre><code class="language-js">const a = "&#x3C;Ostflanke>";\n</code></pre>'), bi);
  assert.ok(bi.includes('<pre><code>eingerückt &#x26; roh\n</code></pre>'), bi);
  assert.equal(bi.split('<pre>').length - 1, 2);
});

test('footnotes become EPUB notes after the text, referred to from both languages, back-linked to the English', () => {
  const a = translated('# Titel\n\nSatz[^a] und[^b] wieder[^a].\n\n[^b]: Zweite.\n[^a]: Erste.\n[^c]: Nie erwähnt.\n');
  const bi = render(a, 'bilingual').xhtml;
  assert.match(bi, /<a href="#fn-1" id="fnref-1-de" class="noteref" epub:type="noteref" role="doc-noteref">1<\/a>/);
  assert.match(bi, /<a href="#fn-1" id="fnref-1" class="noteref" epub:type="noteref" role="doc-noteref">1<\/a>/);
  assert.match(bi, /<a href="#fn-1" id="fnref-1-2"/);
  // Numbered by first reference; an unreferenced note is left out, as the source's renderer does.
  const asides = [
    ...bi.matchAll(
      /<aside id="(fn-\d)" class="note" epub:type="footnote" role="doc-footnote">\n<p class="backlink"><a href="#([^"]+)" role="doc-backlink"/g,
    ),
  ];
  assert.deepEqual(
    asides.map((m) => `${m[1]} ← ${m[2]}`),
    ['fn-1 ← fnref-1', 'fn-2 ← fnref-2'],
  );
  assert.match(bi, /id="fn-1"[\s\S]*<p class="de"[^>]*>Erste\.<\/p><p class="en"[^>]*>EN Erste\.<\/p>[\s\S]*id="fn-2"[\s\S]*Zweite/);
  assert.doesNotMatch(bi, /Nie erwähnt/);
  // The English book has the English references alone.
  const en = render(a, 'english').xhtml;
  assert.deepEqual(
    [...en.matchAll(/id="(fnref-[\w-]+)"/g)].map((m) => m[1]),
    ['fnref-1', 'fnref-2', 'fnref-1-2'],
  );
  assert.match(en, /<aside id="fn-1"[^>]*>\n<p class="backlink"><a href="#fnref-1" /);
  assert.ok(bi.lastIndexOf('</aside>') > bi.lastIndexOf('wieder'));
  // A note referred to twice has a back-link to each place, in both books (to the English ones in the bilingual).
  for (const xhtml of [en, bi]) {
    const backlinks = /<aside id="fn-1"[^>]*>\n<p class="backlink">(.*?)<\/p>/.exec(xhtml)?.[1] ?? '';
    assert.deepEqual(
      [...backlinks.matchAll(/<a href="#([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => `${m[2]} → ${m[1]}`),
      ['1 → fnref-1', '1.2 → fnref-1-2'],
    );
  }
});

test('a code span with an escaped pipe in a table cell reads as the table reads it, in both languages and the markup check', () => {
  const a = translated('| Was | Code |\n|---|---|\n| Pipe im Code | `a \\| b` |\n');
  const cell = a.segments.find((t) => t.segment.source.includes('\\|'));
  assert.ok(cell);
  assert.deepEqual(
    cell.segment.phrasing?.filter((n) => n.type === 'inlineCode').map((n) => n.value),
    ['a | b'],
  );
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(a, book);
    assert.match(xhtml, /<code>a \| b<\/code>/, book);
    assert.doesNotMatch(xhtml, /a \\\| b/, book);
  }
  assert.deepEqual(checkMarkup({ segment: cell.segment, target: cell.target as string, file: 'sources/a.md' }), []);
});

test("a table cell that would start a block outside its table (`<img …>`, `- 5 %`, `# 1`) reads inline, as in its row; a picture's alt alone is sent", () => {
  const a = translated('| Bild | Wert |\n|---|---|\n| <img src="k.png" alt="Karte"> | - 5 % |\n| # 1 | *Mehr* |\n');
  const cell = (start: string): TranslatedArticle['segments'][number] => {
    const found = a.segments.find((t) => t.segment.source.startsWith(start));
    assert.ok(found, start);
    return found;
  };
  const picture = cell('<img');
  assert.deepEqual(
    picture.segment.phrasing?.map((n) => [n.type, n.position?.start.offset, n.position?.end.offset]),
    [['html', 0, 29]],
    'one inline HTML node, its positions in the text itself',
  );
  assert.equal(needsTranslation(picture.segment), true, 'its alt is a word a reader meets');
  assert.deepEqual(
    cell('- 5').segment.phrasing?.map((n) => n.type),
    ['text'],
  );
  assert.deepEqual(
    cell('# 1').segment.phrasing?.map((n) => (n.type === 'text' ? n.value : n.type)),
    ['# 1'],
  );
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(a, book);
    assert.doesNotMatch(xhtml, /&#x3C;img|&lt;img/, `${book}: no markup shown as text`);
    assert.match(xhtml, />EN Karte</, `${book}: the picture in a sentence reads as its alt text`);
    assert.match(xhtml, />EN # 1</, book);
  }
});

test('links: in-page fragments land on headings, other articles on their chapters, the rest stays text', () => {
  const a = translated(
    [
      'Vorweg.',
      '',
      '## Über uns',
      '',
      'Zu [oben](#über-uns), [nirgends](#challenge), [B](b.md#teil-zwei), [B ohne Anker](./b.md#fehlt), [B oben](b.md#b), [fremd](c.md),',
      '[Seite](/de/docs/x), [Web](https://example.org/a?b=1&c), [Post](mailto:a@b.de), [böse](javascript:alert(1)) und [Ref][r].',
      '',
      '[r]: https://example.org/ref',
      '',
    ].join('\n'),
    { id: 'a' },
  );
  const b = translated('# B\n\n## Teil zwei\n\nText.\n', { id: 'b' });
  const targets = linkTargets([a.article, b.article], () => 'missing');
  const en = render(a, 'english', { targets }).xhtml;
  const links = (xhtml: string) => [...xhtml.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((m) => `${m[2]} → ${m[1]}`);
  assert.deepEqual(links(en), [
    'oben → #über-uns',
    'B → diglot:article/b#teil-zwei',
    'B ohne Anker → diglot:article/b',
    // B's first heading is its chapter's title, whose id is the chapter's.
    'B oben → diglot:article/b#x-title',
    'Web → https://example.org/a?b=1&#x26;c',
    'Post → mailto:a@b.de',
    'Ref → https://example.org/ref',
  ]);
  assert.match(en, /nirgends, /);
  assert.match(en, /fremd,/);
  // A link's title goes with it.
  const titled = translated('Mit [Titel](https://example.org/t "Ein Titel") und [B](b.md "Zu B").\n', { id: 'c' });
  const withTitles = render(titled, 'english', { targets: linkTargets([titled.article, b.article], () => 'missing') }).xhtml;
  assert.match(withTitles, /<a href="https:\/\/example\.org\/t" title="Ein Titel">Titel<\/a>/);
  assert.match(withTitles, /<a href="diglot:article\/b" title="Zu B">B<\/a>/);
  assert.match(en, /Seite, /);
  assert.match(en, /böse und/);
  // With the site's address, a site-relative link is made absolute.
  const withBase = render(a, 'english', {
    targets: linkTargets([a.article, b.article], () => 'missing', 'https://developer.mozilla.org/'),
  }).xhtml;
  assert.match(withBase, /<a href="https:\/\/developer.mozilla.org\/de\/docs\/x">Seite<\/a>/);
});

test('pictures: a local one is packed, a remote one becomes a link, a missing one its alt text; the bilingual book shows each once', () => {
  const a = translated(
    '# Bilder\n\n![Karte](bilder/karte.png "Titel")\n\n![Foto](https://example.org/f.jpg)\n\n![Fehlt](bilder/weg.png)\n\n![Format](bilder/x.tiff)\n',
    { id: 'a' },
  );
  const picture = (file: string): PictureType =>
    file === 'sources/bilder/karte.png' ? 'image/png' : file === 'sources/bilder/x.tiff' ? 'other' : 'missing';
  const en = render(a, 'english', { picture });
  assert.equal(en.images.length, 1);
  assert.match(en.images[0]!, /^sources\/bilder\/karte\.png → images\/[0-9a-f]{16}\.png image\/png$/);
  assert.match(en.xhtml, /<img src="images\/[0-9a-f]{16}\.png" alt="Karte" title="Titel"><\/img>/);
  assert.match(en.xhtml, /<a href="https:\/\/example.org\/f.jpg">Foto<\/a>/);
  assert.match(en.xhtml, /<p id="s-[\w-]+">EN Fehlt<\/p>/);
  assert.match(en.xhtml, /<p id="s-[\w-]+">EN Format<\/p>/, 'not a core media type: its alt text');
  const bi = render(a, 'bilingual', { picture }).xhtml;
  assert.equal(bi.split('<img').length - 1, 1);
  assert.match(bi, /<p class="de" lang="de" xml:lang="de">Karte<\/p><p class="en"[^>]*>EN <img /);
});

test('raw HTML pictures and links are resolved as Markdown ones are: packed, linked or their text; the bilingual book shows a picture once', () => {
  const a = translated(
    [
      '# Bilder',
      '',
      '<p><img src="bilder/karte.png" alt="Karte"> Ein Bild im HTML-Block.</p>',
      '',
      '<figure><img src="https://example.org/remote.png" alt="Entferntes Bild"><figcaption>Eine Bildunterschrift</figcaption></figure>',
      '',
      '<div>Ein Hinweis <img src="bilder/weg.png" alt="Fehlt"> und <a href="b.md#teil-zwei">B</a>, <a href="c.md">fremd</a>, <a href="https://example.org/x">Web</a>.</div>',
      '',
      '<p><img src="bilder/karte.png" alt="Karte"></p>',
      '',
    ].join('\n'),
    { id: 'a' },
  );
  const b = translated('# B\n\n## Teil zwei\n\nText.\n', { id: 'b' });
  const picture = (file: string): PictureType => (file === 'sources/bilder/karte.png' ? 'image/png' : 'missing');
  const targets = linkTargets([a.article, b.article], picture);
  const en = render(a, 'english', { targets });
  assert.equal(en.images.length, 1, 'one file, packed once');
  const packed = /images\/[0-9a-f]{16}\.png/.exec(en.images[0]!)?.[0] as string;
  assert.equal(en.xhtml.split(`<img src="${packed}" alt="Karte"></img>`).length - 1, 2, en.xhtml);
  // A figure keeps its caption apart from its picture.
  assert.match(
    en.xhtml,
    /<figure><a href="https:\/\/example.org\/remote.png">Entferntes Bild<\/a><figcaption>EN Eine Bildunterschrift<\/figcaption><\/figure>/,
  );
  // A caption XHTML does not allow there (between two pictures) is a div.
  const middle = render(
    translated('# C\n\n<figure><img src="x.png" alt="A"><figcaption>Mitte</figcaption><img src="y.png" alt="B"></figure>\n'),
    'english',
  );
  assert.match(middle.xhtml, /<figure>A<div>EN Mitte<\/div>B<\/figure>/);
  assert.doesNotMatch(middle.xhtml, /figcaption/);
  assert.match(
    en.xhtml,
    /Ein Hinweis Fehlt und <a href="diglot:article\/b#teil-zwei">B<\/a>, fremd, <a href="https:\/\/example.org\/x">Web<\/a>\./,
  );
  assert.doesNotMatch(en.xhtml, /bilder\/|remote\.png" alt|c\.md/, 'no reference the book cannot follow');
  const bi = render(a, 'bilingual', { targets });
  // The German HTML gives the alt text, the English the picture; a block without words shows it once.
  assert.equal(bi.xhtml.split('<img').length - 1, 2, bi.xhtml);
  assert.match(bi.xhtml, /<div class="de" lang="de" xml:lang="de">\n<div class="html"><p>Karte Ein Bild im HTML-Block\.<\/p>/);
});

test('a <picture> is its <img> in the books: its <source> files are neither packed nor pointed at, and the German side keeps no empty picture', () => {
  const a = translated(
    [
      '# Karte',
      '',
      '<picture>',
      '  <source srcset="bilder/karte-breit.png" media="(min-width: 600px)">',
      '  <img src="bilder/karte.png" alt="Karte als Picture-Element">',
      '</picture>',
      '',
    ].join('\n'),
    { id: 'a' },
  );
  const picture = (file: string): PictureType => (file.startsWith('sources/bilder/') ? 'image/png' : 'missing');
  const targets = linkTargets([a.article], picture);
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml, images } = render(a, book, { targets });
    assert.doesNotMatch(xhtml, /<picture|<source|srcset|karte-breit/, book);
    assert.equal(images.length, 1, book);
    assert.match(xhtml, /<img src="images\/[0-9a-f]{16}\.png" alt="Karte als Picture-Element"><\/img>/, book);
  }
  assert.match(
    render(a, 'bilingual', { targets }).xhtml,
    /<div class="de" lang="de" xml:lang="de">\n<div class="html">Karte als Picture-Element<\/div>/,
  );
});

test('raw HTML: a block that parses is carried over, cleaned (no script or style, nor their text); the rest shows as text; comments never', () => {
  const a = translated(
    [
      'Davor.',
      '',
      '<div class="hinweis" onclick="x()"><p>Ein <b>Hinweis</b>.</p><style>p{color:red}</style><script>alert(1)</script></div>',
      '',
      '<th scope="row">Voraussetzungen:</th>',
      '',
      '<!-- eine Notiz -->',
      '',
      'Mit <kbd>Strg</kbd> und <!-- Kommentar --> Ende, <img src="icon.png" alt="klein"> im Text.',
      '',
    ].join('\n'),
  );
  const en = render(a, 'english').xhtml;
  // A block's text is translated (the English book shows the English HTML, cleaned).
  assert.ok(en.includes('<div class="html"><div><p>EN Ein <b>Hinweis</b>.</p></div></div>'), en);
  // The bilingual book: the German block, then the English, each marked with its language.
  const bi = render(a, 'bilingual').xhtml;
  assert.match(
    bi,
    /<div class="pair html" id="s-[\w-]+">\n<div class="de" lang="de" xml:lang="de">\n<div class="html"><div><p>Ein <b>Hinweis<\/b>\.<\/p><\/div><\/div>\n<\/div>\n<div class="en" lang="en-US" xml:lang="en-US">\n<div class="html"><div><p>EN Ein <b>Hinweis<\/b>\.<\/p><\/div><\/div>\n<\/div>\n<\/div>/,
  );
  // Neither a script's nor a style sheet's text is left behind as text.
  assert.doesNotMatch(bi, /script|alert|color:red|onclick|Notiz|Kommentar/);
  assert.doesNotMatch(en, /script|alert|color:red|onclick|Notiz|Kommentar/);
  assert.ok(en.includes('<p class="html">&#x3C;th scope="row">Voraussetzungen:&#x3C;/th></p>') || en.includes('Voraussetzungen:'), en);
  assert.match(en, /Mit <kbd>Strg<\/kbd> und +Ende, klein im Text\./, 'an inline picture shows its alt text');
  // A formatting tag left open, which the parser carries on into the next paragraph (a paragraph in a
  // <strong>, invalid in a book): the block shows as the text it is.
  const open = translated('Davor.\n\n<div><p><strong>Zur Person: Petra Lang.</p>\n<p>Sie hat zwei Kinder.</p></div>\n');
  const shown = render(open, 'english').xhtml;
  assert.match(shown, /<p class="html">&#x3C;div>&#x3C;p>&#x3C;strong>/);
  assert.doesNotMatch(shown, /<strong>\s*<p/);
  // A block with nothing to show once cleaned (a script alone, an end tag alone) leaves no empty block.
  const bare = translated('Davor.\n\n<script>alert(1)</script>\n\n</details>\n\nDanach.\n');
  for (const book of ['english', 'bilingual'] as const) assert.doesNotMatch(render(bare, book).xhtml, /class="html"/, book);
});

test('inline HTML: its tags make elements around the text, cleaned to phrasing XHTML; what the Markdown makes is kept as it is', () => {
  const a = translated(
    [
      '# Titel',
      '',
      'H<sub>2</sub>O, mc<sup>**2**</sup>, <span onclick="x()" lang="en" class="c" style="color:red">this</span> [Link](https://example.org).',
      '',
      'Eins<br>zwei, <script>alert(1)</script><a href="https://evil.example/">Anker</a>, </b> allein, <div>Block</div> <img src="x.png" alt="Bild"> und <span lang="no language">Text</span>.',
      '',
      '| Stoff |',
      '|---|',
      '| CO<sub>2</sub> |',
      '',
    ].join('\n'),
  );
  for (const book of ['english', 'bilingual'] as const) {
    const xhtml = render(a, book).xhtml;
    // The tags are elements: sub, sup (with the Markdown's strong inside), span with its language only.
    assert.match(
      xhtml,
      /EN H<sub>2<\/sub>O, mc<sup><strong>2<\/strong><\/sup>, <span lang="en">this<\/span> <a href="https:\/\/example\.org">Link<\/a>\./,
      book,
    );
    // A break is an element; a script goes with its text; a link, a block, a picture and a stray end tag leave their text (a picture its alt text) or nothing.
    assert.match(xhtml, /EN Eins<br><\/br>zwei, Anker, +allein, Block Bild und <span>Text<\/span>\./, book);
    // A table's cell too (its row renders it, not a handler of its own).
    assert.match(xhtml, /EN CO<sub>2<\/sub>/, book);
    assert.doesNotMatch(xhtml, /onclick|style=|class="c"|alert|evil|<img|<div>Block|&#x3C;/, book);
  }
});

test('an article of one short paragraph keeps it in the text (its first sentence is also the title)', () => {
  for (const format of ['txt', 'md'] as const) {
    const a = translated('Ein einziger Satz.\n', { format });
    for (const book of ['english', 'bilingual'] as const)
      assert.match(render(a, book).xhtml, /EN Ein einziger Satz\./, `${format} ${book}`);
  }
});

test('a plain-text article: its headings and paragraphs', () => {
  const a = translated('Die Überschrift\n\nErster Absatz, lang genug für einen Absatz.\n\nZweiter Absatz.\n', { format: 'txt' });
  const en = render(a, 'english').xhtml;
  assert.match(en, /<p id="s-[\w-]+">EN Zweiter Absatz\.<\/p>/);
  const bi = render(a, 'bilingual').xhtml;
  assert.match(
    bi,
    /<p class="de" lang="de" xml:lang="de">Zweiter Absatz\.<\/p><p class="en" lang="en-US" xml:lang="en-US">EN Zweiter Absatz\.<\/p>/,
  );
});

test('a heading that gives itself an id ({#id}, as Hugo, kramdown and Pandoc write it) has that id in both books, not as text; links to it land', () => {
  const a = translated(['# Wahl', '', '## Wer darf wählen? {#wahlberechtigt}', '', 'Siehe [oben](#wahlberechtigt).', ''].join('\n'));
  const heading = a.segments[1]!.segment;
  assert.deepEqual([heading.source, heading.plain, heading.headingId], ['Wer darf wählen?', 'Wer darf wählen?', 'wahlberechtigt']);
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(a, book);
    assert.match(xhtml, /<h2 [^>]*id="wahlberechtigt"[^>]*>EN Wer darf wählen\?<\/h2>/, book);
    assert.match(xhtml, /<a href="#wahlberechtigt">oben<\/a>/, book);
    assert.doesNotMatch(xhtml, /\{#/, book);
  }
  assert.deepEqual(
    checkLinks(
      [a.article],
      linkTargets([a.article], () => 'missing'),
    ),
    [],
    'no link warned of',
  );
  // The English Markdown keeps it after the English heading.
  assert.match(renderEnglishMarkdown(a), /^## EN Wer darf wählen\? \{#wahlberechtigt\}$/m);
});

test('links and pictures the books cannot follow or show are warned of at their line, with the reason', () => {
  const a = translated(
    [
      '# A',
      '',
      '## Teil',
      '',
      'Zu [Teil](#teil) und [nirgends](#fehlt),',
      '[Seite](/de/x), [Datei](anhang.pdf) und [Web](https://example.org).',
      '',
      '![Karte](bilder/karte.png) ![Weg](bilder/weg.png) ![Alt](x.tiff) ![Fern](https://example.org/f.jpg) ![Fremd](../../anderswo/bild.png)',
      '',
      '<div>Mit <img src="bilder/karte.png" alt="Karte">',
      '<img src="bilder/html-weg.png" alt="Weg"> und <a href="anhang.pdf">Anhang</a>.</div>',
      '',
      '- In einer Liste:',
      '',
      '  <img src="bilder/listen-weg.png" alt="Weg">',
      '',
    ].join('\n'),
    { id: 'a' },
  );
  const picture = (file: string): PictureType =>
    file === 'sources/bilder/karte.png' ? 'image/png' : file === 'sources/x.tiff' ? 'other' : 'missing';
  const messages = checkLinks([a.article], linkTargets([a.article], picture)).map(formatMessage);
  assert.deepEqual(messages, [
    `sources/a.md:5: link [${a.segments[2]!.segment.id}]: link "#fehlt" shows as text in the books: no heading or HTML element of this article has that id`,
    `sources/a.md:6: link [${a.segments[2]!.segment.id}]: link "/de/x" shows as text in the books: it is site-relative: set "baseUrl" in diglot.config.json to link it`,
    `sources/a.md:6: link [${a.segments[2]!.segment.id}]: link "anhang.pdf" shows as text in the books: it names no article of the sources`,
    `sources/a.md:8: picture [${a.segments[3]!.segment.id}]: picture "bilder/weg.png" shows as text in the books: sources/bilder/weg.png does not exist`,
    `sources/a.md:8: picture [${a.segments[3]!.segment.id}]: picture "x.tiff" shows as text in the books: a book shows PNG, JPEG, GIF and SVG pictures only, and sources/x.tiff holds none of them`,
    // Outside the project, whether or not it exists there: said as such, not as missing.
    `sources/a.md:8: picture [${a.segments[3]!.segment.id}]: picture "../../anderswo/bild.png" shows as text in the books: ../../anderswo/bild.png lies outside the project: copy it beside the sources (or into a folder of them)`,
    // Raw HTML's pictures and links, at their own lines.
    'sources/a.md:11: picture "bilder/html-weg.png" in HTML shows as its alt text in the books: sources/bilder/html-weg.png does not exist',
    'sources/a.md:11: link "anhang.pdf" in HTML shows as its text in the books: it names no article of the sources',
    // A list item's HTML block too.
    'sources/a.md:15: picture "bilder/listen-weg.png" in HTML shows as its alt text in the books: sources/bilder/listen-weg.png does not exist',
  ]);
  // With the site's address, the site-relative link is followed.
  assert.equal(checkLinks([a.article], linkTargets([a.article], picture, 'https://example.org/')).length, 8);

  // A link or picture written as HTML within a sentence: the books keep only its text, and say so.
  const inline = translated(
    '# B\n\nEin Satz mit Bild <img src="bilder/karte.png" alt="Karte"> und\n<a href="https://example.org">Link</a>.\n',
    {
      id: 'b',
    },
  );
  assert.deepEqual(checkLinks([inline.article], linkTargets([inline.article], picture)).map(formatMessage), [
    `sources/b.md:3: picture [${inline.segments[1]!.segment.id}]: picture written as HTML within a sentence (<img>) shows as its alt text in the books: write it in Markdown (![alt](file)) or as an HTML block of its own`,
    `sources/b.md:4: link [${inline.segments[1]!.segment.id}]: link written as HTML within a sentence (<a>) shows as its text in the books: write it in Markdown ([text](url))`,
  ]);
});

test('a text holding "]]>" (not allowed in XML text) is written with its ">" escaped', () => {
  const a = translated('# T\n\nDas Ende ]]> einer Sektion & mehr.\n');
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(a, book);
    assert.doesNotMatch(xhtml, /\]\]>/, book);
    assert.match(xhtml, /EN Das Ende \]\]&gt; einer Sektion &amp; mehr\./, book);
  }
});

test('headings keep their hierarchy under the chapter title: # and ## are two levels; a heading without text is left out', () => {
  const a = translated('---\ntitle: Gliederung\n---\n\nEinleitung.\n\n# Teil A\n\n## Abschnitt A.1\n\n#\n\n# Teil B\n\nText.\n');
  const { xhtml } = render(a, 'english');
  assert.deepEqual(
    [...xhtml.matchAll(/<h(\d)[^>]*>([^<]*)<\/h\d>/g)].map((m) => `h${m[1]} ${m[2]}`),
    ['h2 EN Teil A', 'h3 EN Abschnitt A.1', 'h2 EN Teil B'],
  );
});

test('an opening heading that repeats the front matter title is the chapter title, shown once; links to it land on the title', () => {
  const a = translated(
    '---\ntitle: Die Lage an der Ostflanke\n---\n\n# Die Lage an der Ostflanke\n\nText, [oben](#die-lage-an-der-ostflanke).\n',
  );
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(a, book);
    assert.doesNotMatch(xhtml, /Die Lage an der Ostflanke<\/h/, `${book}: ${xhtml}`);
    assert.match(xhtml, /<a href="#x-title">/, book);
  }
  // Another opening heading stays in the text.
  const other = translated('---\ntitle: Die Lage an der Ostflanke\n---\n\n# Vorgeschichte\n\nText.\n');
  assert.match(render(other, 'english').xhtml, /<h2[^>]*>EN Vorgeschichte<\/h2>/);
});

test('a reference-style link or picture that shows as text is warned of as an inline one is; so is a link to another article whose heading is not there', () => {
  const b = translated('# B\n\n## Ziele\n\nText.\n', { id: 'b' });
  const a = translated(
    [
      'Ein [Dokument][r1], ein [Bild][fb] als ![Bild][fb], [gut][ok], [Ziel](b.md#ziele) und [falsch](b.md#gibt-es-nicht).',
      '',
      '> [r1]: unterlagen/plan.pdf',
      '',
      '[fb]: bilder/nichtda.png',
      '[ok]: b.md',
      '[r1]: https://example.org/second-definition-ignored',
      '',
    ].join('\n'),
    { id: 'a' },
  );
  const id = a.segments[0]!.segment.id;
  assert.deepEqual(
    checkLinks(
      [a.article, b.article],
      linkTargets([a.article, b.article], () => 'missing'),
    ).map(formatMessage),
    [
      `sources/a.md:1: link [${id}]: link "unterlagen/plan.pdf" shows as text in the books: it names no article of the sources`,
      `sources/a.md:1: link [${id}]: link "bilder/nichtda.png" shows as text in the books: it names no article of the sources`,
      `sources/a.md:1: picture [${id}]: picture "bilder/nichtda.png" shows as text in the books: sources/bilder/nichtda.png does not exist`,
      `sources/a.md:1: link [${id}]: link "b.md#gibt-es-nicht" goes to the start of its article in the books: no heading or HTML element there has the id "gibt-es-nicht"`,
    ],
  );
});

test('a one-sentence article with a footnote keeps its sentence and its note; its English title has no "[^a]"', () => {
  const a = translated('Ein Satz mit Note[^a].\n\n[^a]: Die Note.\n');
  const title = articleTitle(a);
  assert.deepEqual([title.de, title.en], ['Ein Satz mit Note.', 'EN Ein Satz mit Note.']);
  const { xhtml } = render(a, 'english');
  assert.match(xhtml, /<p id="s-[\w-]+">EN Ein Satz mit Note<a href="#fn-1"/);
  assert.match(xhtml, /<aside id="fn-1"[\s\S]*EN Die Note\./);
});

test('a loose list has a paragraph in every item, a tight one none', () => {
  const loose = render(translated('- locker eins\n\n- locker zwei\n\n  Zweiter Absatz.\n'), 'english').xhtml;
  assert.equal((loose.match(/<li>\n?<p /g) ?? []).length, 2, loose);
  assert.doesNotMatch(loose, /<span id=/);
  const tight = render(translated('- eng eins\n- eng zwei\n'), 'english').xhtml;
  assert.equal((tight.match(/<span id=/g) ?? []).length, 2, tight);
  assert.doesNotMatch(tight, /<p /);
});

test('raw HTML containers with Markdown inside (blank lines in a <details>, a <td>, a <div>): their content in order, no empty box before it', () => {
  const a = translated(
    [
      '# Titel',
      '',
      '<details>',
      '<summary>Mehr erfahren</summary>',
      '',
      'Versteckter Inhalt.',
      '',
      '</details>',
      '',
      '<table><tr><td>',
      '',
      'Zelle mit *Markdown*.',
      '',
      '</td></tr></table>',
      '',
      '<details><summary>Zu</summary>Ganz.</details>',
      '',
      '<table><tr><td>Eine Zelle</td></tr></table>',
      '',
      '<table>',
      '<tr><th>Kopf</th></tr>',
      '<tr><td>',
      '',
      'Zweite Zelle.',
      '',
      '</td></tr>',
      '</table>',
      '',
      '<div align="center">',
      '<p>Zentriert</p>',
      '</div>',
      '',
    ].join('\n'),
  );
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(a, book);
    const order = ['Mehr erfahren', 'Versteckter Inhalt', 'Zelle mit', 'Zu'].map((text) => xhtml.indexOf(`EN ${text}`));
    assert.deepEqual(
      order.map((at) => at >= 0),
      [true, true, true, true],
      xhtml,
    );
    assert.deepEqual(
      [...order].sort((x, y) => x - y),
      order,
      'in the order of the source',
    );
    // The summary left open is a paragraph; the closed <details> and the closed table are kept whole.
    assert.match(xhtml, /<p>EN Mehr erfahren<\/p>/);
    assert.match(xhtml, /<details><summary>EN Zu<\/summary>(EN )?Ganz\.<\/details>/);
    assert.match(xhtml, /<table><tbody><tr><td>EN Eine Zelle<\/td><\/tr><\/tbody><\/table>/);
    assert.doesNotMatch(xhtml, /<details>(?!<summary>(EN )?Zu)|<tbody><\/tbody>|<td><\/td>/, book);
    // A header row of a table left open: its cell is a paragraph, no cell stands outside a table.
    assert.match(xhtml, /<p>EN Kopf<\/p>/);
    assert.doesNotMatch(xhtml.replace(/<table>[\s\S]*?<\/table>/g, ''), /<t[hdr][\s>]/);
    // HTML 4's presentational attributes would make the book invalid.
    assert.doesNotMatch(xhtml, /align=/);
  }
});

test('a one-sentence lead is the chapter title; it leaves the text only when plain: with markup or a note it stays, note and all', () => {
  const plain = translated('Der Titel als erster Satz.\n\nZweiter Absatz.\n');
  const plainXhtml = render(plain, 'english').xhtml;
  assert.doesNotMatch(plainXhtml, /EN Der Titel/, 'a plain lead is shown once, as the title');

  const marked = translated('Der erste Absatz mit **Fett** und einer Fußnote.[^1]\n\nZweiter Absatz.\n\n[^1]: Die Fußnote.\n');
  assert.equal(articleTitle(marked).en, 'EN Der erste Absatz mit Fett und einer Fußnote.');
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(marked, book);
    assert.match(xhtml, /<p[^>]*>EN Der erste Absatz mit <strong>Fett<\/strong> und einer Fußnote\.<a [^>]*class="noteref"/, book);
    assert.match(xhtml, /EN Die Fußnote\./, `${book}: the note is there`);
  }
});

test('every id of a chapter is its own: headings whose ids clash, an HTML block with an id in both languages; no link holds a note reference', () => {
  const ids = (xhtml: string): string[] => [...xhtml.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] as string);
  const clashing = translated(
    '# Titel\n\n## Fazit\n\nEins, siehe [hier](#fazit).\n\n## Schluss {#fazit}\n\nZwei.\n\n## Noch {#gleich}\n\nDrei.\n\n## Und {#gleich}\n\nVier.\n',
  );
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(clashing, book);
    assert.equal(new Set(ids(xhtml)).size, ids(xhtml).length, `${book}: ${ids(xhtml).join(' ')}`);
    // A link to the id lands on the first heading that has it, as in a browser.
    assert.match(xhtml, /<h2[^>]*id="fazit"[^>]*>EN Fazit<\/h2>/, book);
    assert.match(xhtml, /<a href="#fazit">EN hier<\/a>|<a href="#fazit">hier<\/a>/, book);
  }

  const figure = translated('# Titel\n\n<figure id="abb1"><figcaption>Abbildung eins</figcaption></figure>\n\nText.\n');
  const bilingual = render(figure, 'bilingual').xhtml;
  assert.equal(new Set(ids(bilingual)).size, ids(bilingual).length, ids(bilingual).join(' '));
  assert.match(bilingual, /<div class="en"[^>]*>\n<div class="html"><figure id="user-content-abb1">/);

  const noted = translated('# Titel\n\nSiehe [Bericht[^1]](https://example.org).\n\n[^1]: Quelle.\n');
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(noted, book);
    assert.doesNotMatch(xhtml, /<a [^>]*>[^<]*(?:<(?!\/a>)[^>]*>[^<]*)*<a /, `${book}: a link inside a link`);
    assert.match(xhtml, /<a href="https:\/\/example\.org">Bericht<\/a><a href="#fn-1"[^>]*class="noteref"/, book);
  }
});

test('a heading attribute block without an id ({.unnumbered}, {-}, as Pandoc writes them) is no text, in the books or sent', () => {
  const a = translated('# Titel\n\n## Abschnitt {.unnumbered}\n\nText.\n\n## Anhang {-}\n\nMehr.\n');
  assert.deepEqual(
    a.segments.map((t) => t.segment.source),
    ['Titel', 'Abschnitt', 'Text.', 'Anhang', 'Mehr.'],
  );
  for (const book of ['english', 'bilingual'] as const) assert.doesNotMatch(render(a, book).xhtml, /\{|\}/, book);
  assert.match(renderEnglishMarkdown(a), /^## EN Abschnitt \{\.unnumbered\}$/m);
});

test('an embedded video (<iframe>, <video src>) is a link to it in the books, named by its title: nothing vanishes', () => {
  const a = translated(
    '# Titel\n\n<iframe src="https://www.youtube.com/embed/xyz" title="Video über die Lage"></iframe>\n\n<figure><video src="https://example.org/a.mp4"></video><figcaption>Ein Video</figcaption></figure>\n\nText.\n',
  );
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(a, book);
    assert.match(xhtml, /<a href="https:\/\/www\.youtube\.com\/embed\/xyz">[^<]*Video über die Lage<\/a>/, book);
    assert.match(xhtml, /<a href="https:\/\/example\.org\/a\.mp4">https:\/\/example\.org\/a\.mp4<\/a>/, book);
    assert.doesNotMatch(xhtml, /<iframe|<video/, book);
  }
  // In a sentence (a video on a line with its end tag is one too), where no link may stand: its title, else its address.
  const inline = translated(
    '# Titel\n\nSiehe das Video <iframe src="https://x.org/v" title="Die Lage"></iframe> im Satz.\n\n<video src="https://x.org/b.mp4"></video>\n',
  );
  const { xhtml } = render(inline, 'english');
  assert.match(xhtml, /das Video Die Lage im Satz\./);
  assert.match(xhtml, /https:\/\/x\.org\/b\.mp4/);
  // Named by its aria-label where it has no title.
  const labelled = translated('# Titel\n\n<iframe src="https://x.org/d" aria-label="Die Karte"></iframe>\n');
  assert.match(render(labelled, 'english').xhtml, /<a href="https:\/\/x\.org\/d">[^<]*Die Karte<\/a>/);
  // A video alone on its line with its title: a pair in the bilingual book, its German title beside the English.
  const alone = translated('# Titel\n\n<video src="https://x.org/c.mp4" title="Ein entfernter Film" controls></video>\n');
  assert.match(
    render(alone, 'bilingual').xhtml,
    /<p class="de" lang="de" xml:lang="de">Ein entfernter Film<\/p><p class="en" lang="en-US" xml:lang="en-US">[^<]*Ein entfernter Film<\/p>/,
  );
});

test('an English that starts like a heading ("# Not a heading") shows as the text it is, as the English Markdown writes it', () => {
  const a = handMadeArticle('# Titel\n\nEin Absatz.\n', ['Title', '# Not a heading, but **text**.']);
  for (const book of ['english', 'bilingual'] as const)
    assert.match(render(a, book).xhtml, /<p[^>]*># Not a heading, but <strong>text<\/strong>\.<\/p>/, book);
  assert.match(renderEnglishMarkdown(a), /^\\# Not a heading, but \*\*text\*\*\.$/m);
});

test("a callout's title and its body, a term and each of its definitions are texts of their own: sent apart, on their own lines in the English Markdown, pairs of their own in the books", () => {
  const a = translated(
    '# Titel\n\n> [!tip] Ein Titel\n> Der Körper\n> des Hinweises.\n\nBegriff\n: Die *erste* Definition.\n: Die zweite.\n\nText.\n',
  );
  assert.deepEqual(
    a.segments.map((t) => t.segment.source),
    ['Titel', 'Ein Titel', 'Der Körper\ndes Hinweises.', 'Begriff', 'Die *erste* Definition.', 'Die zweite.', 'Text.'],
  );
  assert.equal(
    renderEnglishMarkdown(a, { output: 'output', targets: linkTargets([a.article], () => 'missing'), englishFile: (id) => `${id}.en.md` }),
    '# EN Titel\n\n> [!tip] EN Ein Titel\n> EN Der Körper\n> des Hinweises.\n\nEN Begriff\n: EN Die *erste* Definition.\n: EN Die zweite.\n\nEN Text.\n',
  );
  const bilingual = render(a, 'bilingual').xhtml;
  for (const [de, en] of [
    ['Ein Titel', 'EN Ein Titel'],
    ['Der Körper\\sdes Hinweises\\.', 'EN Der Körper\\sdes Hinweises\\.'],
    ['Die <em>erste</em> Definition.', 'EN Die <em>erste</em> Definition.'],
  ])
    assert.match(
      bilingual,
      new RegExp(`<p class="de" lang="de" xml:lang="de">${de}</p><p class="en" lang="en-US" xml:lang="en-US">${en}</p>`),
    );
  const english = render(a, 'english').xhtml;
  assert.match(
    english,
    /<blockquote>\n<p id="s-[0-9a-f]+">EN Ein Titel<\/p>\n<p id="s-[0-9a-f]+">EN Der Körper\sdes Hinweises\.<\/p>\n<\/blockquote>/,
  );
  assert.doesNotMatch(english + bilingual, /\[!tip\]|^: /m);
});

test('a paragraph that starts with `: ` after a heading, in a list item or a quote is text that starts with a colon, kept in the books; after a paragraph it is a definition', () => {
  const a = translated(
    '# Titel\n\n: Absatz mit Doppelpunkt.\n\n- : Punkt mit Doppelpunkt\n\n> : Zitat\n\nBegriff\n\n: Erklärung mit Abstand.\n',
  );
  assert.deepEqual(
    a.segments.map((t) => t.segment.source),
    ['Titel', ': Absatz mit Doppelpunkt.', ': Punkt mit Doppelpunkt', ': Zitat', 'Begriff', 'Erklärung mit Abstand.'],
  );
  const english = render(a, 'english').xhtml;
  for (const kept of ['EN : Absatz mit Doppelpunkt.', 'EN : Punkt mit Doppelpunkt', 'EN : Zitat']) assert.ok(english.includes(kept), kept);
  assert.match(english, />EN Erklärung mit Abstand\.</);
  assert.match(render(a, 'bilingual').xhtml, /lang="de">: Absatz mit Doppelpunkt\.</);
});

test("a reference link's title (the first definition of its label, as CommonMark takes it) is the link's title in the books, as an inline link's is", () => {
  const a = translated(
    '# Titel\n\nSiehe [Handbuch][h] und ![Bild][b] hier.\n\n[h]: https://example.org/h "Der Titel"\n[h]: https://example.org/zweite\n[b]: https://example.org/b.png "Bildtitel"\n',
  );
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(a, book);
    assert.match(xhtml, /<a href="https:\/\/example\.org\/h" title="Der Titel">Handbuch<\/a>/, book);
    assert.doesNotMatch(xhtml, /zweite/, book);
  }
});

test('display math that starts within a paragraph is not sent: the text before and after it are texts of their own, the math stays as written in the English Markdown and the books', () => {
  const a = translated(
    '# Titel\n\nDie Formel lautet\n$$\nE = mc^2 \\cdot \\frac{a_1}{b_2}\n$$\nund gilt immer.\n\nAm Ende steht\n$$\nx^2\n$$\n\nText.\n',
  );
  assert.deepEqual(
    a.segments.map((t) => t.segment.source),
    ['Titel', 'Die Formel lautet', 'und gilt immer.', 'Am Ende steht', 'Text.'],
  );
  assert.equal(
    renderEnglishMarkdown(a, { output: 'output', targets: linkTargets([a.article], () => 'missing'), englishFile: (id) => `${id}.en.md` }),
    '# EN Titel\n\nEN Die Formel lautet\n$$\nE = mc^2 \\cdot \\frac{a_1}{b_2}\n$$\nEN und gilt immer.\n\nEN Am Ende steht\n$$\nx^2\n$$\n\nEN Text.\n',
  );
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(a, book);
    assert.match(xhtml, /<p>\$\$\nE = mc\^2 \\cdot \\frac\{a_1\}\{b_2\}\n\$\$<\/p>/, book);
    assert.match(xhtml, /<p>\$\$\nx\^2\n\$\$<\/p>/, book);
    assert.match(xhtml, /EN und gilt immer\./, book);
  }
});

test("dialects' syntax on lines of its own (an alert marker, a Pandoc div's fences, kramdown attributes) is no text in either book, nor sent", () => {
  const a = translated(
    '# Titel\n\n> [!NOTE]\n> Ein Hinweis.\n\n::: {.hinweis}\nIm Div.\n:::\n\nMit Klasse.\n{: .lead}\n\n## Teil\n{: .besonders}\n\n::: warnung\n\nAbsatz.\n\n:::\n' +
      '\n> [!TIP]  \n> Nach hartem Umbruch.\n\n{: .intro}\nMit Klasse davor.\n',
  );
  assert.deepEqual(
    a.segments.map((t) => t.segment.source),
    ['Titel', 'Ein Hinweis.', 'Im Div.', 'Mit Klasse.', 'Teil', 'Absatz.', 'Nach hartem Umbruch.', 'Mit Klasse davor.'],
  );
  for (const book of ['bilingual', 'english'] as const) {
    const { xhtml } = render(a, book);
    assert.doesNotMatch(xhtml, /\[!NOTE\]|\[!TIP\]|:::|\{:|warnung/, `${book}: ${xhtml}`);
    assert.match(xhtml, /EN Nach hartem Umbruch\./);
    assert.match(xhtml, /EN Im Div\./);
    if (book === 'bilingual') assert.match(xhtml, /<p class="de" lang="de" xml:lang="de">Im Div\.<\/p>/);
  }
  assert.equal(
    renderEnglishMarkdown(a, { output: 'output', targets: linkTargets([a.article], () => 'missing'), englishFile: (id) => `${id}.en.md` }),
    '# EN Titel\n\n> [!NOTE]\n> EN Ein Hinweis.\n\n::: {.hinweis}\nEN Im Div.\n:::\n\nEN Mit Klasse.\n{: .lead}\n\n## EN Teil\n{: .besonders}\n\n::: warnung\n\nEN Absatz.\n\n:::\n' +
      '\n> [!TIP]  \n> EN Nach hartem Umbruch.\n\n{: .intro}\nEN Mit Klasse davor.\n',
  );
});

test('raw HTML that repeats an id (pasted boxes) gives each element its own id in both books: numbered after the first', () => {
  const a = translated(
    [
      '# Titel',
      '',
      '<div id="anker">Ein Block mit <b>id</b>.</div>',
      '',
      '<div id="anker">Noch ein Block.</div>',
      '',
      '<div id="anker-2">Einer, der die Nummer schon trägt.</div>',
    ].join('\n'),
  );
  for (const book of ['english', 'bilingual'] as const) {
    const ids = [...render(a, book).xhtml.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length, `${book}: ${ids.join(' ')}`);
    assert.deepEqual(
      ids.filter((id) => id?.startsWith('user-content-')),
      ['user-content-anker', 'user-content-anker-3', 'user-content-anker-2'],
      book,
    );
  }
});

test('a link to an id of a raw HTML element lands on it, in the article and from another, as on GitHub (user-content-)', () => {
  const a = translated(
    [
      '# A',
      '',
      'Zum [Kasten](#kasten), zur [Liste](#liste) und zum [Satz](#innen).',
      '',
      '<div id="kasten">',
      'Ein Kasten.',
      '</div>',
      '',
      '- Punkt',
      '',
      '  <p id="liste">In der Liste.</p>',
      '',
      'Ein <span id="innen">Satz</span>.',
      '',
      // Ids a fragment cannot name as written, and one with a space, which XHTML does not allow.
      'Zu [Q](#a%22b), [P](#50%25) und [L](#mit%20leerzeichen).',
      '',
      '<div id="a&quot;b">Q</div>',
      '',
      '<div id="50%">P</div>',
      '',
      '<div id="mit leerzeichen">L</div>',
      '',
    ].join('\n'),
    { id: 'a' },
  );
  const b = translated('# B\n\nZurück zum [Kasten](a.md#kasten).\n', { id: 'b' });
  const targets = linkTargets([a.article, b.article], () => 'missing');
  for (const book of ['english', 'bilingual'] as const) {
    const { xhtml } = render(a, book, { targets });
    for (const id of ['kasten', 'liste']) {
      assert.match(xhtml, new RegExp(`<a href="#user-content-${id}">`), `${book}: ${xhtml}`);
      // The element is there, once, under that id.
      assert.equal(xhtml.split(`id="user-content-${id}"`).length, 2, `${book}: ${xhtml}`);
    }
    // Inline HTML keeps no id: that link is its text.
    assert.doesNotMatch(xhtml, /href="#(?:user-content-)?innen"/, book);
    // Nor do links to ids no fragment names as written lead anywhere; the id with a space is gone.
    assert.doesNotMatch(xhtml, /href="#user-content-(?:a|50|mit)/, book);
    assert.doesNotMatch(xhtml, /id="user-content-mit leerzeichen"/, book);
    // Linked into from another article: its chapter, at the element (the book makes the chapter's file name of `diglot:article/a`).
    assert.match(render(b, book, { targets }).xhtml, /<a href="diglot:article\/a#user-content-kasten">Kasten<\/a>/, book);
  }
  const text = (url: string, line: number, i: number): string =>
    `sources/a.md:${line}: link [${a.segments[i]!.segment.id}]: link "${url}" shows as text in the books: no heading or HTML element of this article has that id`;
  const odd = a.segments.findIndex((t) => t.segment.source.startsWith('Zu [Q]'));
  assert.deepEqual(checkLinks([a.article, b.article], targets).map(formatMessage), [
    text('#innen', 3, 1),
    text('#a%22b', 15, odd),
    text('#50%25', 15, odd),
    text('#mit%20leerzeichen', 15, odd),
  ]);
});
