import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Nodes, Root } from 'mdast';
import { build } from '../src/pipeline.js';
import { parseInline, parseMarkdown } from '../src/segment/parse-markdown.js';
import { inlineXhtml } from '../src/render/inline-xhtml.js';
import { inlineCodec } from '../src/text/inline-xml.js';
import { checkMarkup } from '../src/qa/check-markup.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, ROOT, sampleProject, writtenFindings } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

/** The block structure of a document: node types and nesting, without text. */
function shape(tree: Root): string {
  const walk = (node: Nodes, depth: number): string[] => {
    if (
      ['text', 'emphasis', 'strong', 'delete', 'inlineCode', 'link', 'break', 'footnoteReference', 'image', 'html'].includes(node.type) &&
      depth > 0
    ) {
      return [];
    }
    const extra = node.type === 'heading' ? node.depth : node.type === 'list' ? `${node.ordered}/${node.spread}` : '';
    const own = `${'  '.repeat(depth)}${node.type}${extra === '' ? '' : ` ${extra}`}`;
    const children = 'children' in node ? (node.children as Nodes[]).flatMap((c) => walk(c, depth + 1)) : [];
    return [own, ...children];
  };
  return walk(tree, 0).join('\n');
}

function collect(tree: Root, type: 'link' | 'inlineCode' | 'code' | 'html'): string[] {
  const out: string[] = [];
  const visit = (node: Nodes): void => {
    if (node.type === type) out.push(type === 'link' ? (node as { url: string }).url : (node as { value: string }).value);
    if ('children' in node) (node.children as Nodes[]).forEach(visit);
  };
  visit(tree);
  return out;
}

/** A Markdown segment's text as segmentation leaves it: parsed once, on its own. */
function markdownSegment(source: string, references = '') {
  return { source, markdown: true, phrasing: parseInline(source, references) };
}

test('inline markup travels as XML tags and comes back as the same Markdown', () => {
  const source =
    'Mit *Betonung*, **fett**, ~~weg~~, `code()`, [Link](https://example.org/a?b=1 "Titel"), Fußnote[^1] und ![Ein Bild](a.png "T") ![](b.png)';
  const codec = inlineCodec(markdownSegment(source, '[^1]: -'));
  assert.equal(
    codec.xml,
    'Mit <em>Betonung</em>, <strong>fett</strong>, <del>weg</del>, <code i="0">code()</code>, <a i="1">Link</a>, Fußnote<x i="2"/> und <img i="3">Ein Bild</img> <x i="4"/> <title i="1">Titel</title> <title i="3">T</title>',
  );
  const answer =
    'With <em>emphasis</em>, <strong>bold</strong>, <del>gone</del>, <code i="0">code()</code>, <a i="1">link</a>, footnote<x i="2"/> and <img i="3">A picture</img> <x i="4"/> <title i="1">Title</title> <title i="3">Tee</title>';
  assert.equal(
    codec.restore(answer),
    'With *emphasis*, **bold**, ~~gone~~, `code()`, [link](https://example.org/a?b=1 "Title"), footnote[^1] and ![A picture](a.png "Tee") ![](b.png)',
  );
  // Titles travel apart, each once.
  assert.equal(codec.restore(answer.replace(' <title i="3">Tee</title>', '')), undefined);
  assert.equal(codec.restore(`${answer} <title i="1">Again</title>`), undefined);
  // Broken answers are detected: a lost closing tag, a lost placeholder, a duplicated link.
  assert.equal(codec.restore(answer.replace('</em>', '')), undefined);
  assert.equal(codec.restore(answer.replace('<x i="4"/>', '')), undefined);
  // A picture's alt text is translated; its tag must come back, once, around text.
  assert.equal(codec.restore(answer.replace('<img i="3">A picture</img>', 'A picture')), undefined);
  assert.equal(codec.restore(answer.replace('<img i="3">A picture</img>', '<img i="3">A</img><img i="3">B</img>')), undefined);
  assert.equal(codec.restore(answer.replace('<a i="1">link</a>', '<a i="1">link</a><a i="1">x</a>')), undefined);
  // Special characters in translated text are escaped for Markdown, and entities decoded.
  assert.equal(inlineCodec(markdownSegment('a')).restore('3 * 4 &amp; [x] &lt;b&gt;'), '3 \\* 4 & \\[x] \\<b>');
  // Plain answers come back as they are (trimmed), the others escaped; URLs and `~` in text are not escaped.
  const plain = inlineCodec(markdownSegment('Ein Satz.'));
  assert.equal(plain.restore('EN: A sentence.'), 'EN: A sentence.');
  assert.equal(plain.restore('  EN: A sentence. '), 'EN: A sentence.');
  assert.equal(plain.restore('1. A list?'), '1\\. A list?');
  assert.equal(
    plain.restore('See www.nato.int, https://nato.int or press@nato.int ~ 5 %'),
    'See www.nato.int, https://nato.int or press@nato.int ~ 5 %',
  );
});

test("the English is written in the German's own Markdown, strikethrough too, escapes kept; text GFM would read as strikethrough is escaped", () => {
  // A paragraph with ~~ keeps its markers and spacing, as any other does.
  const mixed = inlineCodec(markdownSegment('Text und ~~weg~~ und _betont_ und __stark__ und a\\_b und 5 \\* 3 hier.'));
  assert.equal(
    mixed.restore('Text and <del>gone</del> and <em>stressed</em> and <strong>strong</strong> and a_b and 5 * 3 here.'),
    'Text and ~~gone~~ and _stressed_ and __strong__ and a\\_b and 5 \\* 3 here.',
  );
  // What the German escaped stays escaped in its English: `\\~\\~` not struck through, `\\$` no math to Pandoc.
  const escaped = inlineCodec(markdownSegment('Ein \\~\\~nicht durchgestrichen\\~\\~ Satz für \\$5.'));
  assert.equal(escaped.restore('EN: A ~~not struck~~ sentence for $5.'), 'EN: A \\~\\~not struck\\~\\~ sentence for \\$5.');
  // An English that would read as strikethrough where the German has none is escaped.
  assert.equal(inlineCodec(markdownSegment('Etwa 5 km.')).restore('About ~5 km~ off.'), 'About \\~5 km\\~ off.');
  assert.equal(inlineCodec(markdownSegment('Etwa 5 km.')).restore('About ~5 km to ~10 km.'), 'About ~5 km to ~10 km.');
});

test('reference-style links and pictures: their text and alt text travel, their labels stay; a shortcut comes back with its label written out', () => {
  const references = '[bericht]: #\n[archiv]: #\n[grafik]: #';
  const source = 'Mehr im [ausführlichen Bericht][bericht], im [Archiv] sowie im ![Schaubild der Wahl][grafik].';
  const codec = inlineCodec(markdownSegment(source, references));
  assert.equal(
    codec.xml,
    'Mehr im <a i="0">ausführlichen Bericht</a>, im <a i="1">Archiv</a> sowie im <img i="2">Schaubild der Wahl</img>.',
  );
  const english = codec.restore(
    'More in the <a i="0">detailed report</a>, in the <a i="1">archive</a> and in the <img i="2">election chart</img>.',
  );
  assert.equal(english, 'More in the [detailed report][bericht], in the [archive][Archiv] and in the ![election chart][grafik].');
  // The English reads back as references to the same definitions.
  const reread = parseInline(english as string, references) ?? [];
  assert.deepEqual(
    reread.filter((n) => n.type === 'linkReference' || n.type === 'imageReference').map((n) => [n.type, n.identifier]),
    [
      ['linkReference', 'bericht'],
      ['linkReference', 'archiv'],
      ['imageReference', 'grafik'],
    ],
  );
  // The review page shows a reference's text and a referenced picture's alt text.
  assert.equal(
    inlineXhtml(english as string, { markdown: true, references }),
    'More in the detailed report, in the archive and in the election chart.',
  );
  // A full reference keeps the German's own Markdown around the English.
  const full = inlineCodec({ ...markdownSegment('Siehe _genau_ [den Bericht][bericht] hier.', references), references });
  assert.equal(full.xml, 'Siehe <em>genau</em> <a i="0">den Bericht</a> hier.');
  assert.equal(full.restore('See <em>exactly</em> <a i="0">the report</a> here.'), 'See _exactly_ [the report][bericht] here.');
});

test('a web address written as itself is kept whole, never sent: DeepL (or its glossary) cannot change the text of a link to it', () => {
  const codec = inlineCodec(
    markdownSegment('Siehe https://example.org/Sanktion und <https://example.org/Ostflanke> oder [die Seite](https://example.org/x).'),
  );
  assert.equal(codec.xml, 'Siehe <x i="0"/> und <x i="1"/> oder <a i="2">die Seite</a>.');
  assert.equal(
    codec.restore('See <x i="0"/> and <x i="1"/> or <a i="2">the page</a>.'),
    'See https://example.org/Sanktion and <https://example.org/Ostflanke> or [the page](https://example.org/x).',
  );
});

test("inline HTML's alt and title values travel as titles of their own and come back into their attributes; the markup check takes them for the same tag", () => {
  const source = 'Die Karte <img src="k.png" alt="Karte der Ostflanke"> zeigt die <abbr title="Nordatlantikpakt">NATO</abbr>.';
  const codec = inlineCodec(markdownSegment(source));
  assert.equal(
    codec.xml,
    'Die Karte <x i="0"/> zeigt die <x i="1"/>NATO<x i="2"/>. <title i="0.0">Karte der Ostflanke</title> <title i="1.0">Nordatlantikpakt</title>',
  );
  const english = codec.restore(
    'The map <x i="0"/> shows the <x i="1"/>NATO<x i="2"/>. <title i="0.0">Map of the eastern flank</title> <title i="1.0">North Atlantic Treaty</title>',
  );
  assert.equal(
    english,
    'The map <img src="k.png" alt="Map of the eastern flank"> shows the <abbr title="North Atlantic Treaty">NATO</abbr>.',
  );
  assert.equal(codec.restore(codec.xml), source);
  assert.equal(codec.restore(codec.xml.replace(/ <title i="1\.0">[^<]*<\/title>/, '')), undefined, 'a value missing: no English');
  const segment = { ...markdownSegment(source), id: 's', docId: 'd', index: 0, kind: 'paragraph' as const, key: source, start: 0, end: 0 };
  const input = {
    segment: { ...segment, linePrefixes: [], encoding: 'inline' as const, line: 1, column: 1, plain: '', body: true },
    target: english as string,
    file: 'x.md',
  };
  assert.deepEqual(checkMarkup(input), []);
});

test('a segment that is not one run of inline content alone travels as escaped text', () => {
  const heading = markdownSegment('1. Einleitung');
  assert.equal(heading.phrasing, undefined);
  const codec = inlineCodec(heading);
  assert.equal(codec.xml, '1. Einleitung');
  assert.equal(codec.restore(' 1. Introduction '), '1. Introduction');
});

test('a Markdown document builds through DeepL with the same block structure', async () => {
  server.reset();
  const project = sampleProject();
  try {
    const fixture = readFileSync(path.join(ROOT, 'test/fixtures/structures.md'), 'utf8');
    writeFileSync(path.join(project.dir, 'sources', 'structures.md'), fixture);
    const config = await configOf(project.dir);
    const engine = deeplEngine(server.url, { glossaryPrefix: 'diglot/md', retries: 2, retryBaseMs: 10 });
    const result = await build(config, { engine, log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, result.error?.message);
    assert.equal(server.translateRequests().length, 1, 'one request for the new article');
    const english = readFileSync(path.join(project.dir, 'output', 'structures.en.md'), 'utf8');
    const source = parseMarkdown(fixture);
    const target = parseMarkdown(english);
    assert.equal(shape(target), shape(source));
    assert.deepEqual(collect(target, 'link'), collect(source, 'link'));
    assert.deepEqual(collect(target, 'inlineCode'), collect(source, 'inlineCode'));
    assert.deepEqual(collect(target, 'code'), collect(source, 'code'));
    // A raw HTML block's text is translated, its markup kept as written.
    assert.deepEqual(
      collect(target, 'html'),
      collect(source, 'html').map((html) => html.replace('>HTML bleibt', '>EN: HTML bleibt')),
    );
    // Every translatable block was translated (the test server marks its English with "EN: ").
    for (const line of [
      'title: "EN: Die eastern flank der NATO"',
      '- EN: Erster Punkt',
      '> > EN: Ein verschachteltes Zitat.',
      '| EN: Begriff | EN: Übersetzung |',
      '[^1]: EN: Die Fußnote selbst.',
    ]) {
      assert.ok(english.includes(line), `missing: ${line}\n${english}`);
    }
    assert.match(
      english,
      /EN: Einleitung mit \*Betonung\*, \*\*Fettdruck\*\*, `code\(\)` und einem \[Link\]\(https:\/\/example\.org\/a\?b=1 "Titel"\)\.\s+Zweite Zeile desselben Absatzes mit Fußnote\[\^1\]\./,
    );
    assert.match(english, /^EN: Die eastern flank im Überblick\n=+$/m, 'setext heading kept');
    assert.match(english, /^tags: \[nato, russland\]$/m, 'other front matter keys untouched');
    assert.match(english, /^const nichtÜbersetzen = 'Ostflanke';$/m, 'code untouched');
    assert.equal(writtenFindings(project.dir).filter((f) => f.rule === 'markup' && f.docId === 'structures').length, 0, 'no markup lost');
    // A memory hit restores the markup too: a second build sends nothing and writes the same file.
    const again = await build(config, { engine, log: new MemoryLogger() });
    assert.equal(again.totals.requests, 0);
    assert.equal(readFileSync(path.join(project.dir, 'output', 'structures.en.md'), 'utf8'), english);
  } finally {
    project.cleanup();
  }
});

test('a 200 KB paragraph goes out in several requests and comes back as one paragraph, counted once in the progress', async () => {
  server.reset();
  const project = sampleProject();
  try {
    const sentence = 'Am 5. Dezember sprach Dr. Müller z. B. über die *Ostflanke* der NATO und ihre Bedeutung. ';
    const paragraph = sentence.repeat(Math.ceil(200_000 / sentence.length)).trim();
    writeFileSync(path.join(project.dir, 'sources', 'lang.md'), `# Lang\n\n${paragraph}\n\nEin kurzer Absatz danach.\n`);
    const config = await configOf(project.dir);
    const engine = deeplEngine(server.url, { glossaryPrefix: 'diglot/md', retries: 2, retryBaseMs: 10 });
    // The progress counts texts, each once when whole: the title, the long paragraph and the short one.
    const progress: Array<[number, number]> = [];
    const log = Object.assign(new MemoryLogger(), { progress: (done: number, total: number) => void progress.push([done, total]) });
    const result = await build(config, { engine, log });
    assert.equal(result.exitCode, 0, result.error?.message);
    assert.deepEqual(progress.at(-1), [3, 3]);
    assert.ok(
      progress.every(([done, total]) => done <= total && total === 3),
      JSON.stringify(progress),
    );
    const requests = server.translateRequests();
    assert.ok(requests.length >= 3, `${requests.length} requests`);
    assert.ok(requests.every((r) => r.bodyBytes < 128 * 1024));
    const english = readFileSync(path.join(project.dir, 'output', 'lang.en.md'), 'utf8');
    const tree = parseMarkdown(english);
    assert.deepEqual(
      tree.children.map((n) => n.type),
      ['heading', 'paragraph', 'paragraph'],
    );
    const long = english.split('\n\n')[1] ?? '';
    assert.equal(
      (long.match(/\*eastern flank\*/g) ?? []).length,
      Math.ceil(200_000 / sentence.length),
      'every sentence back, markup intact',
    );
  } finally {
    project.cleanup();
  }
});

test('a byte order mark inside an article, before text that would read as a heading on its own, leaves the text as it is', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    // As `cat a.md b.md` leaves it when b.md starts with a byte order mark.
    writeFileSync(
      path.join(project.dir, 'sources', 'bom.md'),
      '# Titel\n\n- \uFEFF# Punkt eins hier\n\n\uFEFF## Noch eine *betonte* Zeile ##\n',
    );
    const engine = deeplEngine(server.url, { glossaryPrefix: 'diglot/bom', retries: 2, retryBaseMs: 10 });
    const result = await build(await configOf(project.dir), { engine, log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, result.error?.message);
    const sent = server.textsSent();
    assert.ok(sent.includes('# Punkt eins hier'), JSON.stringify(sent.slice(-3)));
    const english = readFileSync(path.join(project.dir, 'output', 'bom.en.md'), 'utf8');
    assert.match(english, /^- \uFEFF?EN: # Punkt eins hier$/m);
    assert.match(english, /^\uFEFF?EN: ## Noch eine \*betonte\* Zeile ##$/m);
  } finally {
    project.cleanup();
  }
});

test('a paragraph of 3,000 links, one sentence over the request limit, goes out in parts whose tags DeepL can parse and comes back whole', async () => {
  server.reset();
  const project = sampleProject({ emptyMemory: true });
  try {
    const links = Array.from({ length: 3000 }, (_, i) => `[Bericht über Übergriffe Nr ${i}](https://example.org/${i})`).join(', ');
    writeFileSync(path.join(project.dir, 'sources', 'quellen.md'), `# Quellen\n\nQuellen: ${links}\n`);
    const engine = deeplEngine(server.url, { glossaryPrefix: 'diglot/links', retries: 0 });
    const result = await build(await configOf(project.dir), { engine, log: new MemoryLogger() });
    assert.equal(result.exitCode, 0, result.error?.message);
    const english = readFileSync(path.join(project.dir, 'output', 'quellen.en.md'), 'utf8');
    for (const i of [0, 1499, 2999]) assert.ok(english.includes(`(https://example.org/${i})`), `link ${i}`);
    assert.equal((english.match(/\]\(https:\/\/example\.org\/\d+\)/g) ?? []).length, 3000);
  } finally {
    project.cleanup();
  }
});
