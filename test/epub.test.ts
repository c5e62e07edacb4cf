import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { strFromU8, unzipSync } from 'fflate';
import { EpubCheck } from '@likecoin/epubcheck-ts';
import type { Edition } from '../src/model.js';
import { EpubBook, editionIdentifier, escapeXml, renderEpub, type EpubOptions } from '../src/write/epub.js';
import { joinPieces } from '../src/write/zip.js';
import { ROOT } from './helpers.js';

/** The picture the first chapter shows: a 4×4 PNG. */
const PICTURE = new Uint8Array(readFileSync(join(ROOT, 'test', 'fixtures', 'constructs', 'sources', 'bilder', 'karte.png')));

/**
 * The first chapter's content as the renderer gives it (see chapter.test.ts for how it is made):
 * pairs, a list, a heading, a picture, a link to the next article and one to an article not in the book.
 */
function chapter1(book: 'bilingual' | 'english'): string {
  const pair = (kind: string, id: string, de: string, en: string, heading = false): string =>
    book === 'english'
      ? heading
        ? `<h2 id="${id}">${en}</h2>\n`
        : `<p id="s-${id}">${en}</p>\n`
      : `<div class="pair ${kind}" id="s-${id}"><p class="de${heading ? ' h' : ''}" lang="de" xml:lang="de">${de}</p>` +
        (heading
          ? `<h2 class="en" lang="en-US" xml:lang="en-US" id="${id}">${en}</h2></div>\n`
          : `<p class="en" lang="en-US" xml:lang="en-US">${en}</p></div>\n`);
  return (
    pair(
      'paragraph',
      'a1b2',
      'Es war zu erwarten, dass die <em>NATO</em> ihre Ostflanke verstärkt.',
      'It was to be expected that <em>NATO</em> would reinforce its eastern flank.',
    ) +
    pair('heading', 'nicht-in-die-schlacht', 'Nicht in die Schlacht', 'Not into battle', true) +
    `<ol>\n<li>${pair('list-item', 'li1', 'Erstens', 'First')}</li>\n</ol>\n` +
    pair('paragraph', 'p_3', 'Kein Land ist bereit &amp; willens.', 'No country is ready &amp; willing.') +
    `<p><img src="images/karte.png" alt="Map"/></p>\n` +
    pair(
      'paragraph',
      'l1',
      'Siehe <a href="diglot:article/001_4a3d075f46cdf68a#ueberschrift">den nächsten</a> und <a href="diglot:article/gone">einen fehlenden</a>.',
      'See <a href="diglot:article/001_4a3d075f46cdf68a#ueberschrift">the next</a> and <a href="diglot:article/gone">a missing one</a>.',
    )
  );
}

const edition: Edition = {
  title: 'Ukraine & NATO <script>alert(1)</script>',
  subtitle: 'German–English edition',
  sourceLang: 'de',
  targetLang: 'en-US',
  identifier: 'urn:uuid:0f8d2c1e-5b7a-4c3d-9e2f-1a2b3c4d5e6f',
  modified: '2024-05-01T00:00:00Z',
  translationNote: 'Translated with DeepL, glossary "NATO" & memory; reviewed by a human.',
  articles: [
    {
      id: '000_20a6b0fe2192dee9',
      titleDe: 'Größere Übungen & „rote Linien“ <script>',
      titleEn: 'Larger exercises & "red lines" <script>alert("x")</script>',
      date: '2022-01',
      author: 'Pjotr Akopow',
      source: 'Zeitung & Co',
      descriptionDe: 'Was Moskau <will> & was nicht',
      descriptionEn: 'What Moscow <wants> & what not',
      bilingual: chapter1('bilingual'),
      english: chapter1('english'),
      images: [{ file: 'sources/bilder/karte.png', href: 'images/karte.png', mediaType: 'image/png' }],
    },
    {
      id: '001_4a3d075f46cdf68a',
      titleDe: 'Stoltenberg: Unterstützung für die Ukraine',
      titleEn: 'Stoltenberg: support for Ukraine',
      date: '2021-12',
      bilingual:
        '<div class="pair heading" id="s-9abc"><p class="de h" lang="de" xml:lang="de">Überschrift</p><h2 class="en" lang="en-US" xml:lang="en-US" id="ueberschrift">Heading</h2></div>\n' +
        '<div class="pair paragraph" id="s-9abd"><p class="de" lang="de" xml:lang="de">Die Nato selbst ist indes bemüht.</p><p class="en" lang="en-US" xml:lang="en-US">NATO itself is meanwhile at pains.</p></div>\n',
      english: '<h2 id="ueberschrift">Heading</h2>\n<p id="s-9abd">NATO itself is meanwhile at pains.</p>\n',
      images: [],
    },
  ],
  glossary: [
    { de: 'Bündnis', en: 'alliance' },
    { de: 'Ostflanke', en: 'eastern flank' },
  ],
};

/** {@link renderEpub} with the fixture's picture. */
function render(ed: Edition, options: EpubOptions): Uint8Array {
  return renderEpub(ed, options, new Map([['images/karte.png', PICTURE]]));
}

const variants: Array<{ name: string; options: EpubOptions }> = [
  { name: 'bilingual interleaved', options: { mode: 'bilingual', layout: 'interleaved' } },
  { name: 'bilingual facing', options: { mode: 'bilingual', layout: 'facing' } },
  { name: 'english', options: { mode: 'english' } },
];

function files(epub: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, data] of Object.entries(unzipSync(epub))) out[name] = strFromU8(data);
  return out;
}

/** Entry names in the order of the local headers. */
function entryNames(epub: Uint8Array): string[] {
  const view = new DataView(epub.buffer, epub.byteOffset, epub.byteLength);
  const names: string[] = [];
  let o = 0;
  while (view.getUint32(o, true) === 0x04034b50) {
    const n = view.getUint16(o + 26, true);
    const e = view.getUint16(o + 28, true);
    names.push(strFromU8(epub.subarray(o + 30, o + 30 + n)));
    o += 30 + n + e + view.getUint32(o + 18, true);
  }
  return names;
}

/**
 * A small well-formedness check: tags balance, attributes are quoted and unique, entities are
 * the five predefined ones or character references, one root element.
 */
function assertWellFormed(xml: string, name: string): void {
  const fail = (msg: string, at: number): never =>
    assert.fail(`${name}: ${msg} at ${JSON.stringify(xml.slice(Math.max(0, at - 40), at + 40))}`);
  const nameRe = /^[A-Za-z_][\w.:-]*/;
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  const checkText = (text: string, at: number): void => {
    for (const m of text.matchAll(/&([^;\s]*);?/g)) {
      const ok = /^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);$/.test(m[0]);
      if (!ok) fail(`bad entity ${m[0]}`, at + (m.index ?? 0));
    }
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (stack.length === 0 && text.trim() !== '') fail('text outside root', i);
    checkText(text, i);
    if (lt === -1) break;
    if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt);
      if (end === -1) fail('unclosed PI', lt);
      i = end + 2;
    } else if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt);
      if (end === -1) fail('unclosed comment', lt);
      i = end + 3;
    } else if (xml.startsWith('<!DOCTYPE', lt)) {
      if (roots > 0 || stack.length > 0) fail('late DOCTYPE', lt);
      i = xml.indexOf('>', lt) + 1;
    } else if (xml.startsWith('</', lt)) {
      const m = /^<\/([^\s>]+)\s*>/.exec(xml.slice(lt));
      if (!m) fail('bad end tag', lt);
      const open = stack.pop();
      if (open !== m![1]) fail(`</${m![1]}> closes <${open}>`, lt);
      i = lt + m![0].length;
    } else {
      const rest = xml.slice(lt + 1);
      const tag = nameRe.exec(rest);
      if (!tag) fail('bad tag name', lt);
      let j = lt + 1 + tag![0].length;
      const seen = new Set<string>();
      for (;;) {
        const ws = /^\s*/.exec(xml.slice(j))![0].length;
        j += ws;
        if (xml.startsWith('/>', j)) {
          j += 2;
          if (stack.length === 0) roots++;
          break;
        }
        if (xml[j] === '>') {
          j += 1;
          if (stack.length === 0) roots++;
          stack.push(tag![0]);
          break;
        }
        if (ws === 0) fail('missing space before attribute', j);
        const attr = /^([A-Za-z_][\w.:-]*)\s*=\s*("[^"<]*"|'[^'<]*')/.exec(xml.slice(j));
        if (!attr) fail('bad attribute', j);
        if (seen.has(attr![1]!)) fail(`duplicate attribute ${attr![1]}`, j);
        seen.add(attr![1]!);
        checkText(attr![2]!.slice(1, -1), j);
        j += attr![0].length;
      }
      i = j;
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack.join('><')}>`, xml.length);
  assert.equal(roots, 1, `${name}: expected one root element`);
}

test('helpers escape text and make valid ids', () => {
  assert.equal(escapeXml(`a & b < c > d " e ' f`), 'a &amp; b &lt; c &gt; d &quot; e &#39; f');
  assert.equal(escapeXml('bell\u0007'), 'bell');
});

test('the well-formedness check rejects broken XML', () => {
  assertWellFormed('<a x="1"><b/>&amp;&#233;</a>', 'good');
  for (const bad of ['<a><b></a></b>', '<a>&nbsp;</a>', '<a x="1" x="2"/>', '<a>', '<a/><b/>', '<a x=1/>', '<a>x & y</a>']) {
    assert.throws(() => assertWellFormed(bad, 'bad'), assert.AssertionError, bad);
  }
});

test('mimetype is the first entry, stored, without extra field', () => {
  for (const { options } of variants) {
    const epub = render(edition, options);
    const view = new DataView(epub.buffer, epub.byteOffset, epub.byteLength);
    assert.equal(view.getUint32(0, true), 0x04034b50, 'local file header at offset 0');
    assert.equal(view.getUint16(8, true), 0, 'compression method 0 (stored)');
    assert.equal(view.getUint16(26, true), 8, 'name length');
    assert.equal(view.getUint16(28, true), 0, 'no extra field');
    assert.equal(strFromU8(epub.subarray(30, 38)), 'mimetype');
    assert.equal(strFromU8(epub.subarray(38, 58)), 'application/epub+zip');
    assert.equal(view.getUint32(18, true), 20, 'compressed size');
    assert.equal(view.getUint32(22, true), 20, 'uncompressed size');
  }
});

test('entries come in a fixed order', () => {
  const epub = render(edition, { mode: 'bilingual' });
  assert.deepEqual(entryNames(epub), [
    'mimetype',
    'META-INF/container.xml',
    'OEBPS/content.opf',
    'OEBPS/nav.xhtml',
    'OEBPS/style.css',
    'OEBPS/title.xhtml',
    'OEBPS/chapter-001.xhtml',
    'OEBPS/chapter-002.xhtml',
    'OEBPS/images/karte.png',
    'OEBPS/colophon.xhtml',
  ]);
});

test('two renders are byte-identical, in any time zone', () => {
  const savedTz = process.env.TZ;
  try {
    for (const { options } of variants) {
      process.env.TZ = 'UTC';
      const a = render(edition, options);
      process.env.TZ = 'Europe/Berlin';
      const b = render(structuredClone(edition), options);
      process.env.TZ = 'America/Los_Angeles';
      const c = render(edition, options);
      assert.deepEqual(b, a);
      assert.deepEqual(c, a);
    }
    // A time that falls into Berlin's spring-forward gap is still written as given.
    const gap = { ...edition, modified: '2024-03-31T02:30:00Z' };
    process.env.TZ = 'UTC';
    const a = render(gap, { mode: 'english' });
    process.env.TZ = 'Europe/Berlin';
    const b = render(gap, { mode: 'english' });
    assert.deepEqual(b, a);
    const view = new DataView(a.buffer, a.byteOffset, a.byteLength);
    assert.equal(view.getUint16(10, true), (2 << 11) | (30 << 5), 'DOS time 02:30:00');
    assert.equal(view.getUint16(12, true), ((2024 - 1980) << 9) | (3 << 5) | 31, 'DOS date 2024-03-31');
  } finally {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  }
});

test('package metadata per mode', () => {
  const bi = files(render(edition, { mode: 'bilingual' }))['OEBPS/content.opf']!;
  const en = files(render(edition, { mode: 'english' }))['OEBPS/content.opf']!;
  const langs = (opf: string) => [...opf.matchAll(/<dc:language>([^<]*)<\/dc:language>/g)].map((m) => m[1]);
  assert.deepEqual(langs(bi), ['en-US', 'de']);
  assert.deepEqual(langs(en), ['en-US']);
  const facing = files(render(edition, { mode: 'bilingual', layout: 'facing' }))['OEBPS/content.opf']!;
  // Each book has its own identifier, derived from the edition's: a library never confuses them.
  const ids = [bi, facing, en].map((opf) => /<dc:identifier id="pub-id">([^<]*)<\/dc:identifier>/.exec(opf)?.[1]);
  assert.equal(ids[0], 'urn:uuid:0f8d2c1e-5b7a-4c3d-9e2f-1a2b3c4d5e6f');
  assert.equal(new Set(ids).size, 3);
  for (const id of ids) assert.match(id!, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(editionIdentifier(edition.identifier, 'english'), ids[2]);
  for (const opf of [bi, en]) {
    assert.match(opf, /<package [^>]*version="3.0"/);
    assert.match(opf, /unique-identifier="pub-id"/);
    assert.match(opf, /<dc:title id="title">Ukraine &amp; NATO &lt;script&gt;alert\(1\)&lt;\/script&gt;<\/dc:title>/);
    assert.match(opf, /<meta property="dcterms:modified">2024-05-01T00:00:00Z<\/meta>/);
    assert.match(opf, /schema:accessMode">textual/);
    assert.match(opf, /schema:accessModeSufficient">textual/);
    for (const f of ['structuralNavigation', 'tableOfContents', 'readingOrder', 'displayTransformability']) {
      assert.match(opf, new RegExp(`schema:accessibilityFeature">${f}<`));
    }
    assert.match(opf, /schema:accessibilityHazard">none</);
    assert.match(opf, /schema:accessibilitySummary">[^<]+</);
    assert.match(opf, /<item id="nav" href="nav.xhtml" media-type="application\/xhtml\+xml" properties="nav"\/>/);
    const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(spine, ['titlepage', 'nav', 'chapter-001', 'chapter-002', 'colophon']);
  }
});

test('every XML file is well-formed and escapes plain text', () => {
  for (const { name, options } of variants) {
    const all = files(render(edition, options));
    for (const [path, content] of Object.entries(all)) {
      if (path.endsWith('.xhtml') || path.endsWith('.opf') || path.endsWith('.xml')) assertWellFormed(content, `${name} ${path}`);
      if (path.endsWith('.xhtml')) {
        assert.ok(content.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'), path);
        assert.match(
          content,
          /<html xmlns="http:\/\/www.w3.org\/1999\/xhtml" xmlns:epub="http:\/\/www.idpf.org\/2007\/ops" lang="en-US" xml:lang="en-US">/,
        );
        assert.match(content, /<title>[^<]+<\/title>/);
        assert.doesNotMatch(content, /<script/);
      }
    }
  }
});

test('chapters: titles, headings, pairs and layouts', () => {
  const bi = files(render(edition, { mode: 'bilingual', layout: 'interleaved' }));
  const ch1 = bi['OEBPS/chapter-001.xhtml']!;
  assert.match(ch1, /<section id="x-chapter" class="chapter interleaved" epub:type="chapter" role="doc-chapter"/);
  assert.match(
    ch1,
    /<h1 id="x-title">Larger exercises &amp; &quot;red lines&quot; &lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;<\/h1>/,
  );
  assert.match(ch1, /<p class="title-de" lang="de" xml:lang="de">Größere Übungen &amp; „rote Linien“ &lt;script&gt;<\/p>/);
  // The teaser (the front matter's description) under the title: English, then in the bilingual book its German.
  assert.match(
    ch1,
    /<p class="teaser">What Moscow &lt;wants&gt; &amp; what not<\/p>\n<p class="teaser teaser-de" lang="de" xml:lang="de">Was Moskau &lt;will&gt; &amp; was nicht<\/p>/,
  );
  const en1 = files(render(edition, { mode: 'english' }))['OEBPS/chapter-001.xhtml']!;
  assert.match(en1, /<p class="teaser">What Moscow &lt;wants&gt; &amp; what not<\/p>\n<p class="byline">/);
  assert.match(
    ch1,
    /<p class="byline"><span class="date"><time datetime="2022-01">January 2022<\/time><\/span> · <span class="author">Pjotr Akopow<\/span> · <span class="source">Source: Zeitung &amp; Co<\/span><\/p>/,
  );
  // The chapter's content is the renderer's, as given (chapter.test.ts tests how it is made).
  assert.ok(ch1.includes(edition.articles[0]!.bilingual.split('<p><img')[0]!));
  // Links to another article point at its chapter; one to an article not in the book is its text.
  assert.match(ch1, /<a href="chapter-002.xhtml#ueberschrift">den nächsten<\/a> und einen fehlenden\./);
  assert.match(ch1, /<a href="chapter-002.xhtml#ueberschrift">the next<\/a> and a missing one\./);
  assert.doesNotMatch(ch1, /diglot:article/);
  // The picture is packed once, stored, and listed in the manifest.
  assert.match(bi['OEBPS/content.opf']!, /<item id="image-1" href="images\/karte.png" media-type="image\/png"\/>/);
  assert.ok(bi['OEBPS/images/karte.png'] !== undefined);
  const facing = files(render(edition, { mode: 'bilingual', layout: 'facing' }));
  assert.match(facing['OEBPS/chapter-001.xhtml']!, /class="chapter facing"/);
  const css = facing['OEBPS/style.css']!;
  assert.match(css, /\.facing \.pair \{ display: grid; grid-template-columns: 1fr 1fr;/);
  assert.match(css, /@media \(max-width: 40em\) \{\n {2}\.facing \.pair \{ display: block; \}/);
  assert.match(css, /\.pair \.de \{[^}]*font-style: italic;[^}]*border-left/);
});

test('English mode has no German blocks and no German package language', () => {
  const en = files(render(edition, { mode: 'english', layout: 'facing' }));
  for (const [path, content] of Object.entries(en)) {
    if (!path.endsWith('.xhtml')) continue;
    assert.doesNotMatch(content, /class="de|title-de|toc-de/, path);
    for (const text of ['Ostflanke verstärkt', 'Größere Übungen', 'Erstens', 'Stiefel', 'Überschrift', 'Unterstützung']) {
      assert.ok(!content.includes(text), `${path} contains German text ${text}`);
    }
    const langDe = [...content.matchAll(/<(\w+)[^>]*lang="de"[^>]*>/g)].map((m) => m[1]);
    if (path === 'OEBPS/colophon.xhtml') assert.deepEqual(langDe, ['dt', 'dt']);
    else assert.deepEqual(langDe, [], path);
  }
  const ch1 = en['OEBPS/chapter-001.xhtml']!;
  assert.match(ch1, /class="chapter english"/);
  assert.ok(ch1.includes('<ol>\n<li><p id="s-li1">First</p>\n</li>\n</ol>'));
  assert.match(en['OEBPS/content.opf']!, /<dc:language>en-US<\/dc:language>/);
  assert.doesNotMatch(en['OEBPS/content.opf']!, /<dc:language>de</);
});

test('navigation, title page and colophon', () => {
  const bi = files(render(edition, { mode: 'bilingual' }));
  const nav = bi['OEBPS/nav.xhtml']!;
  assert.match(nav, /<nav id="toc" epub:type="toc" role="doc-toc"/);
  assert.match(
    nav,
    /<li><a href="chapter-001.xhtml"><span class="toc-en">Larger exercises &amp; [^<]*<\/span><span class="toc-sep"> — <\/span><span class="toc-de" lang="de" xml:lang="de">Größere Übungen/,
  );
  assert.match(
    nav,
    /<li><a href="chapter-002.xhtml"><span class="toc-en">Stoltenberg: support for Ukraine<\/span><span class="toc-sep"> — <\/span><span class="toc-de"/,
  );
  assert.match(nav, /<nav id="landmarks" epub:type="landmarks" hidden="">/);
  for (const t of ['titlepage', 'toc', 'bodymatter', 'colophon']) assert.match(nav, new RegExp(`<a epub:type="${t}" href=`));
  const title = bi['OEBPS/title.xhtml']!;
  assert.match(title, /epub:type="titlepage"/);
  assert.match(title, /<h1 id="book-title">Ukraine &amp; NATO &lt;script&gt;/);
  assert.match(title, /German–English edition/);
  assert.match(title, /<p class="languages">German and English \(US\), paragraph by paragraph<\/p>/);
  assert.match(title, /2 articles, <time datetime="2021-12">December 2021<\/time> – <time datetime="2022-01">January 2022<\/time>/);
  assert.match(title, /Translated with DeepL, glossary &quot;NATO&quot; &amp; memory/);
  const colophon = bi['OEBPS/colophon.xhtml']!;
  assert.match(colophon, /epub:type="colophon" role="doc-colophon"/);
  assert.match(colophon, /<dt lang="de" xml:lang="de">Bündnis<\/dt>\n<dd lang="en-US" xml:lang="en-US">alliance<\/dd>/);
  assert.match(colophon, /urn:uuid:0f8d2c1e/);
});

test('title page, colophon and dates per layout; long titles set smaller', () => {
  const ed: Edition = {
    ...edition,
    englishSubtitle: 'English edition',
    articles: [
      { ...edition.articles[0]!, date: '2022-01-05', titleEn: `${'A very long first sentence standing in for a title, '.repeat(2)}end.` },
      { ...edition.articles[1]!, date: 'Winter 2021' },
    ],
  };
  const facing = files(render(ed, { mode: 'bilingual', layout: 'facing' }));
  const interleaved = files(render(ed, { mode: 'bilingual', layout: 'interleaved' }));
  const english = files(render(ed, { mode: 'english' }));
  assert.match(facing['OEBPS/title.xhtml']!, /<p class="languages">German and English \(US\) side by side<\/p>/);
  assert.match(facing['OEBPS/title.xhtml']!, /<p class="subtitle">German–English edition<\/p>/);
  assert.match(english['OEBPS/title.xhtml']!, /<p class="subtitle">English edition<\/p>/);
  assert.match(english['OEBPS/title.xhtml']!, /<p class="languages">Translated from German into English \(US\)<\/p>/);
  // Non-ISO dates are kept in article order, as written.
  // A day as American English writes it, in an en-US book; as British English, in an en-GB one.
  assert.match(interleaved['OEBPS/title.xhtml']!, /2 articles, <time datetime="2022-01-05">January 5, 2022<\/time> – Winter 2021/);
  const british = files(render({ ...ed, targetLang: 'en-GB' }, { mode: 'english' }));
  assert.match(british['OEBPS/title.xhtml']!, /2 articles, <time datetime="2022-01-05">5 January 2022<\/time> – Winter 2021/);
  assert.match(interleaved['OEBPS/chapter-001.xhtml']!, /<h1 id="x-title" class="long">A very long/);
  assert.match(interleaved['OEBPS/chapter-002.xhtml']!, /<h1 id="x-title">Stoltenberg/);
  assert.match(interleaved['OEBPS/chapter-002.xhtml']!, /<span class="date">Winter 2021<\/span>/);
  const colophon = english['OEBPS/colophon.xhtml']!;
  assert.match(colophon, /<span class="label">Edition:<\/span> Translated from German into English \(US\); 2 articles/);
  assert.match(colophon, /<span class="label">Translation:<\/span> Translated with DeepL/);
  assert.match(colophon, /<span class="label">Last modified:<\/span> <time datetime="2024-05-01T00:00:00Z">May 1, 2024<\/time>/);
  assert.match(colophon, new RegExp(`<code>${editionIdentifier(ed.identifier, 'english')}</code>`));
  for (const book of [facing, interleaved, english]) {
    assert.match(book['OEBPS/style.css']!, /\.toc-sep \{ display: none; \}/);
  }
});

test('rejects a malformed modified date or language tag', () => {
  assert.throws(() => render({ ...edition, modified: 'yesterday' }, { mode: 'english' }), RangeError);
  assert.throws(() => render({ ...edition, targetLang: 'en US"' }, { mode: 'english' }), RangeError);
});

test('an edition without articles or glossary still validates', async () => {
  const empty: Edition = { ...edition, articles: [], glossary: [], subtitle: undefined };
  const result = await EpubCheck.validate(render(empty, { mode: 'bilingual' }));
  const problems = result.messages.filter((m) => ['fatal', 'error', 'warning'].includes(m.severity));
  assert.deepEqual(problems, []);
});

for (const { name, options } of variants) {
  test(`epubcheck-ts: ${name} has no errors or warnings`, async () => {
    const result = await EpubCheck.validate(render(edition, options));
    const problems = result.messages
      .filter((m) => ['fatal', 'error', 'warning'].includes(m.severity))
      .map((m) => `${m.severity} ${m.id} ${m.location?.path ?? ''}:${m.location?.line ?? ''} ${m.message}`);
    assert.deepEqual(problems, []);
    assert.equal(result.fatalCount + result.errorCount + result.warningCount, 0);
    assert.equal(result.valid, true);
  });
}

/** A larger edition: chapters of very different sizes, and a German title that is blank for some chapters. */
function bigEdition(count: number): Edition {
  const [a, b] = edition.articles as [Edition['articles'][number], Edition['articles'][number]];
  return {
    ...edition,
    articles: Array.from({ length: count }, (_, i) => {
      const base = i % 2 === 0 ? a : b;
      const repeat = i % 5 === 0 ? 40 : 1;
      return {
        ...base,
        id: `${String(i).padStart(3, '0')}_${base.id.slice(4)}`,
        titleDe: i % 3 === 0 ? '' : `${base.titleDe} ${i}`,
        titleEn: i % 7 === 0 ? '  ' : `${base.titleEn} ${i}`,
        date: i % 4 === 0 ? undefined : `2022-${String((i % 12) + 1).padStart(2, '0')}`,
        bilingual: Array.from({ length: repeat }, (_, r) => base.bilingual.replaceAll(' id="', ` id="r${r}-`)).join(''),
        english: Array.from({ length: repeat }, (_, r) => base.english.replaceAll(' id="', ` id="r${r}-`)).join(''),
      };
    }),
  };
}

/** Builds `ed` chapter by chapter, yielding to the event loop now and then as a build would. */
async function buildIncrementally(ed: Edition, options: EpubOptions): Promise<Uint8Array> {
  const book = new EpubBook({ ...options, sourceLang: ed.sourceLang, targetLang: ed.targetLang });
  for (const [i, article] of ed.articles.entries()) {
    assert.equal(book.chapterCount, i);
    book.addChapter(
      article,
      article.images.length > 0 && i === 0 ? [{ href: 'images/karte.png', mediaType: 'image/png', bytes: PICTURE }] : [],
    );
    if (i % 3 === 1) await nextTurn();
  }
  return joinPieces(book.finish(ed));
}

/** DOS time and date of every local and central directory header, walking from the end record. */
function dosStamps(epub: Uint8Array): Array<{ name: string; where: string; time: number; date: number }> {
  const view = new DataView(epub.buffer, epub.byteOffset, epub.byteLength);
  const eocd = epub.byteLength - 22;
  assert.equal(view.getUint32(eocd, true), 0x06054b50, 'end of central directory record');
  const out = [];
  let cd = view.getUint32(eocd + 16, true);
  for (let i = 0; i < view.getUint16(eocd + 10, true); i++) {
    assert.equal(view.getUint32(cd, true), 0x02014b50, 'central directory header');
    const name = strFromU8(epub.subarray(cd + 46, cd + 46 + view.getUint16(cd + 28, true)));
    out.push({ name, where: 'central', time: view.getUint16(cd + 12, true), date: view.getUint16(cd + 14, true) });
    const local = view.getUint32(cd + 42, true);
    assert.equal(view.getUint32(local, true), 0x04034b50, 'local file header');
    out.push({ name, where: 'local', time: view.getUint16(local + 10, true), date: view.getUint16(local + 12, true) });
    cd += 46 + view.getUint16(cd + 28, true) + view.getUint16(cd + 30, true) + view.getUint16(cd + 32, true);
  }
  return out;
}

test('a book built chapter by chapter, with turns of the event loop between, is byte-identical to one built at once', async () => {
  for (const ed of [edition, bigEdition(60), { ...edition, articles: [] }]) {
    for (const { name, options } of variants) {
      assert.deepEqual(await buildIncrementally(ed, options), render(ed, options), `${name}, ${ed.articles.length} articles`);
    }
  }
  // The chapters are rendered when added: changing an article afterwards changes nothing.
  const ed = structuredClone(edition);
  const book = new EpubBook({ mode: 'bilingual', sourceLang: 'de', targetLang: 'en-US' });
  for (const article of ed.articles)
    book.addChapter(article, article.images.length > 0 ? [{ href: 'images/karte.png', mediaType: 'image/png', bytes: PICTURE }] : []);
  ed.articles[0]!.bilingual = '<p>Changed after the chapter was added.</p>';
  ed.articles[1]!.titleEn = 'Changed title';
  assert.deepEqual(joinPieces(book.finish(ed)), render(edition, { mode: 'bilingual' }));
});

test('fflate reads back every document of a book built chapter by chapter', async () => {
  const ed = bigEdition(12);
  const epub = await buildIncrementally(ed, { mode: 'bilingual', layout: 'facing' });
  const all = files(epub);
  assert.deepEqual(entryNames(epub), Object.keys(all));
  // Six documents of the book, twelve chapters, the colophon and the picture.
  assert.equal(Object.keys(all).length, 6 + 12 + 1 + 1);
  // Every chapter carries its own article's text, in order.
  ed.articles.forEach((_article, i) => {
    const chapter = all[`OEBPS/chapter-${String(i + 1).padStart(3, '0')}.xhtml`]!;
    const repeat = i % 5 === 0 ? 40 : 1;
    assert.match(chapter, new RegExp(`id="r${repeat - 1}-s-${i % 2 === 0 ? 'l1' : '9abd'}"`));
    assert.equal(chapter.split('<div class="pair ').length - 1, repeat * (i % 2 === 0 ? 5 : 2));
    assertWellFormed(chapter, `chapter ${i + 1}`);
  });
  assert.match(
    all['OEBPS/title.xhtml']!,
    /12 articles, <time datetime="2022-02">February 2022<\/time> – <time datetime="2022-12">December 2022<\/time>/,
  );
  assert.equal(
    [...all['OEBPS/nav.xhtml']!.matchAll(/<span class="toc-de"/g)].length,
    8,
    'German titles in the contents, none for blank ones',
  );
  assert.match(all['OEBPS/nav.xhtml']!, /<a href="chapter-008.xhtml"><span class="toc-en">Article 8<\/span>/);
});

test('the book starts with PK\\x03\\x04, then the stored mimetype entry, as OCF requires', async () => {
  for (const { options } of variants) {
    const epub = await buildIncrementally(edition, options);
    assert.deepEqual([...epub.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04]);
    const view = new DataView(epub.buffer, epub.byteOffset, epub.byteLength);
    assert.equal(view.getUint16(6, true), 0, 'no flags: no data descriptor, ASCII name');
    assert.equal(view.getUint16(8, true), 0, 'stored');
    assert.deepEqual([...epub.subarray(28, 30)], [0, 0], 'no extra field');
    assert.equal(strFromU8(epub.subarray(30, 38)), 'mimetype');
    assert.equal(strFromU8(epub.subarray(38, 58)), 'application/epub+zip');
    assert.equal(view.getUint32(58, true), 0x04034b50, 'next local header right after the content');
    assert.equal(entryNames(epub)[0], 'mimetype');
  }
});

test("DOS date and time are the edition's modified in UTC, also when built under TZ=America/New_York", () => {
  // 05:30:44Z is 01:30:44 in New York, in the hour that occurs twice when clocks fall back.
  const ed: Edition = { ...edition, modified: '2024-11-03T05:30:44Z' };
  const expected = { time: (5 << 11) | (30 << 5) | (44 >> 1), date: ((2024 - 1980) << 9) | (11 << 5) | 3 };
  const script = `
    const { EpubBook } = await import(${JSON.stringify(new URL('../src/write/epub.ts', import.meta.url).href)});
    const edition = JSON.parse(process.env.DIGLOT_TEST_EDITION);
    const book = new EpubBook({ mode: 'english', sourceLang: edition.sourceLang, targetLang: edition.targetLang });
    for (const article of edition.articles) book.addChapter(article);
    const epub = Buffer.concat([...book.finish(edition)]);
    const offset = new Date(2024, 10, 3, 12).getTimezoneOffset();
    process.stdout.write(JSON.stringify({ offset, epub: Buffer.from(epub).toString('base64') }));
  `;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, TZ: 'America/New_York', DIGLOT_TEST_EDITION: JSON.stringify(ed) },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const { offset, epub } = JSON.parse(run.stdout) as { offset: number; epub: string };
  assert.equal(offset, 300, 'the child ran in New York time (UTC−5 after the change)');
  const fromChild = new Uint8Array(Buffer.from(epub, 'base64'));
  const stamps = dosStamps(fromChild);
  assert.equal(stamps.length, 2 * 9);
  for (const s of stamps) assert.deepEqual({ time: s.time, date: s.date }, expected, `${s.where} header of ${s.name}`);
  assert.deepEqual(fromChild, renderEpub(ed, { mode: 'english' }), 'same bytes as here');
});

test('EpubBook checks languages at once, modified when finished, and is finished once', () => {
  assert.throws(() => new EpubBook({ mode: 'english', sourceLang: 'de', targetLang: 'en US"' }), RangeError);
  assert.throws(() => new EpubBook({ mode: 'bilingual', sourceLang: '', targetLang: 'en' }), RangeError);
  const book = (): EpubBook => new EpubBook({ mode: 'bilingual', sourceLang: 'de', targetLang: 'en-US' });
  assert.throws(() => book().finish({ ...edition, modified: 'yesterday' }), RangeError);
  assert.throws(() => book().finish({ ...edition, targetLang: 'en-GB' }), /languages \(de → en-GB\) are not the book's \(de → en-US\)/);
  const b = book();
  b.addChapter(edition.articles[0]!);
  b.finish(edition);
  assert.throws(() => b.addChapter(edition.articles[1]!), /after finish/);
  assert.throws(() => b.finish(edition), /finish called twice/);
});

const JAR = '/usr/share/java/epubcheck.jar';
const haveJava = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0 && existsSync(JAR);

test('W3C epubcheck (Java) reports nothing', { skip: haveJava ? false : 'java or epubcheck.jar not available', timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'diglot-epub-'));
  try {
    for (const { name, options } of variants) {
      const file = join(dir, `${name.replace(/\s+/g, '-')}.epub`);
      writeFileSync(file, render(edition, options));
      const run = spawnSync('java', ['-jar', JAR, file], { encoding: 'utf8' });
      const output = `${run.stdout}\n${run.stderr}`;
      assert.equal(run.status, 0, `${name}:\n${output}`);
      assert.doesNotMatch(output, /^(?:FATAL|ERROR|WARNING)/m, `${name}:\n${output}`);
      assert.match(output, /No errors or warnings detected/, `${name}:\n${output}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
