// The editions hold the whole document: a fixture with every Markdown construct is built through
// the test server, and pandoc's reading of each chapter has the block structure of the English Markdown.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import GithubSlugger from 'github-slugger';
import type { Nodes } from 'mdast';
import { build } from '../src/pipeline.js';
import { parseMarkdown, plainText } from '../src/segment/parse-markdown.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, ROOT } from './helpers.js';

const havePandoc = spawnSync('pandoc', ['--version'], { stdio: 'ignore' }).status === 0;
const required = process.env['DIGLOT_REQUIRE_PANDOC'] === '1';
const JAR = '/usr/share/java/epubcheck.jar';
const haveEpubcheck = spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0 && existsSync(JAR);

let server: DeepLServer;
let dir: string;
let books: { bilingual: Record<string, string>; english: Record<string, string>; bilingualFile: string; englishFile: string };

before(async () => {
  server = await startDeepLServer();
  dir = mkdtempSync(path.join(tmpdir(), 'diglot-constructs-'));
  // The fixture project's sources and config; not its memory: every text goes through the test server.
  const fixture = path.join(ROOT, 'test', 'fixtures', 'constructs');
  cpSync(path.join(fixture, 'sources'), path.join(dir, 'sources'), { recursive: true });
  cpSync(path.join(fixture, 'diglot.config.json'), path.join(dir, 'diglot.config.json'));
  const result = await build(await configOf(dir), { engine: deeplEngine(server.url), log: new MemoryLogger() });
  assert.equal(result.exitCode, 0, JSON.stringify(result.error ?? result.missing));
  const read = (name: string): Record<string, string> => {
    const files = unzipSync(new Uint8Array(readFileSync(path.join(dir, 'output', name))));
    return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, k.endsWith('.png') ? `${v.length} bytes` : strFromU8(v)]));
  };
  books = {
    bilingual: read('edition.epub'),
    english: read('edition.en.epub'),
    bilingualFile: path.join(dir, 'output', 'edition.epub'),
    englishFile: path.join(dir, 'output', 'edition.en.epub'),
  };
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** pandoc's JSON AST, as far as this test reads it. */
interface Node {
  t: string;
  c?: unknown;
}

/**
 * The block structure pandoc sees: block types and nesting, heading levels, list kinds, table
 * shape, code text; no inline text (the languages differ). Divs are transparent (the pair is
 * a layout, not a block of the document), and a paragraph and a plain block are one kind of text.
 */
function structure(blocks: readonly Node[], depth = 0): string[] {
  const pad = '  '.repeat(depth);
  const out: string[] = [];
  for (const b of blocks) {
    const c = b.c as never;
    switch (b.t) {
      case 'Div':
        out.push(...structure((c as [unknown, Node[]])[1], depth));
        break;
      case 'Para':
      case 'Plain':
        out.push(`${pad}text`);
        break;
      case 'Header':
        out.push(`${pad}heading ${(c as [number])[0]}`);
        break;
      case 'CodeBlock':
        out.push(`${pad}code ${JSON.stringify((c as [unknown, string])[1].trimEnd())}`);
        break;
      case 'BlockQuote':
        out.push(`${pad}quote`, ...structure(c as Node[], depth + 1));
        break;
      case 'BulletList':
      case 'OrderedList': {
        const items = (b.t === 'OrderedList' ? (c as [unknown, Node[][]])[1] : (c as Node[][])) as Node[][];
        out.push(`${pad}${b.t === 'OrderedList' ? 'ordered' : 'bullets'} of ${items.length}`);
        for (const item of items) out.push(`${pad}  item`, ...structure(item, depth + 2));
        break;
      }
      case 'Table': {
        const [, , columns, head, bodies] = c as [
          unknown,
          unknown,
          unknown[],
          [unknown, unknown[]],
          Array<[unknown, unknown, unknown, unknown[]]>,
        ];
        const rows = head[1].length + bodies.reduce((n, body) => n + body[3].length, 0);
        out.push(`${pad}table ${rows}×${columns.length}`);
        break;
      }
      case 'HorizontalRule':
        out.push(`${pad}rule`);
        break;
      default:
        out.push(`${pad}${b.t}`);
    }
  }
  return out;
}

function pandoc(file: string, from?: string): Node[] {
  const run = spawnSync('pandoc', [...(from ? ['-f', from] : []), file, '-t', 'json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(run.stdout) as { blocks: Node[] }).blocks;
}

/** The blocks of each chapter of a book as pandoc reads it, after the chapter's header. */
function chapters(book: string): Node[][] {
  const files: Array<{ file: string; blocks: Node[] }> = [];
  for (const block of pandoc(book)) {
    const marker = block.t === 'Para' && (block.c as Node[]).length === 1 ? (block.c as Node[])[0] : undefined;
    const id = marker?.t === 'Span' && ((marker.c as [[string], Node[]])[1].length === 0 ? (marker.c as [[string]])[0][0] : '');
    if (typeof id === 'string' && id.endsWith('.xhtml')) files.push({ file: id, blocks: [] });
    else files.at(-1)?.blocks.push(block);
  }
  return files.filter((f) => /^chapter-\d{3}\.xhtml$/.test(f.file)).map((f) => dropHeader(f.blocks));
}

/** The chapter's header (title, German title, byline: a Div holding the level-1 heading) is the book's, not the article's. */
function dropHeader(blocks: Node[]): Node[] {
  const at = blocks.findIndex(
    (b) => b.t === 'Div' && (b.c as [unknown, Node[]])[1].some((h) => h.t === 'Header' && (h.c as [number])[0] === 1),
  );
  assert.ok(at >= 0, 'a chapter header');
  return blocks.slice(at + 1);
}

/** A bilingual pair without its German: the pair's last block is its English. */
function withoutGerman(blocks: readonly Node[]): Node[] {
  return blocks.map((b): Node => {
    const c = b.c as never;
    switch (b.t) {
      case 'Div': {
        const [attr, inner] = c as [[string, string[]], Node[]];
        return attr[1].includes('pair') ? { t: 'Div', c: [attr, inner.slice(-1)] } : { t: 'Div', c: [attr, withoutGerman(inner)] };
      }
      case 'BlockQuote':
        return { t: b.t, c: withoutGerman(c) };
      case 'BulletList':
        return { t: b.t, c: (c as Node[][]).map((item) => withoutGerman(item)) };
      case 'OrderedList':
        return { t: b.t, c: [(c as [unknown])[0], (c as [unknown, Node[][]])[1].map((item) => withoutGerman(item))] };
      default:
        return b;
    }
  });
}

/** The English Markdown's blocks as pandoc reads them, without the title heading the chapter shows in its header. */
function englishMarkdown(id: string): Node[] {
  // Raw HTML read as the text it is: the books carry its markup, and pandoc reads that as blocks.
  const blocks = pandoc(path.join(dir, 'output', `${id}.en.md`), 'markdown-raw_html-native_divs');
  return blocks[0]?.t === 'Header' && (blocks[0].c as [number])[0] === 1 ? blocks.slice(1) : blocks;
}

test('each chapter of the English book has the block structure of its English Markdown (pandoc reads both)', {
  skip: havePandoc || required ? false : 'pandoc is not installed',
}, () => {
  const read = chapters(books.englishFile);
  assert.equal(read.length, 2);
  for (const [i, id] of ['anleitung', 'zweiter'].entries()) {
    assert.deepEqual(structure(read[i]!), structure(englishMarkdown(id)), id);
  }
});

test('each chapter of the bilingual book has that structure once its German passages are removed', {
  skip: havePandoc || required ? false : 'pandoc is not installed',
}, () => {
  const read = chapters(books.bilingualFile);
  assert.equal(read.length, 2);
  for (const [i, id] of ['anleitung', 'zweiter'].entries()) {
    assert.deepEqual(structure(withoutGerman(read[i]!)), structure(englishMarkdown(id)), id);
  }
});

test('W3C epubcheck reports nothing on either book of the fixture', {
  skip: haveEpubcheck ? false : 'java or epubcheck.jar not available',
  timeout: 300_000,
}, () => {
  for (const file of [books.bilingualFile, books.englishFile]) {
    const run = spawnSync('java', ['-jar', JAR, '--failonwarnings', file], { encoding: 'utf8' });
    const problems = `${run.stdout}\n${run.stderr}`.split('\n').filter((l) => /^(?:FATAL|ERROR|WARNING)/.test(l));
    assert.deepEqual(
      problems.map((l) => l.slice(0, 300)),
      [],
      path.basename(file),
    );
    assert.equal(run.status, 0, path.basename(file));
  }
});

test("the fixture's pictures, links, notes and raw HTML in both books", () => {
  for (const [name, files] of Object.entries({ bilingual: books.bilingual, english: books.english })) {
    const chapter = files['OEBPS/chapter-001.xhtml']!;
    // The local picture is packed, with its alt text translated; the remote one is a link.
    const picture = /<img src="(images\/[0-9a-f]{16}\.png)" alt="EN: Eine Karte der Ostflanke" title="Karte">/.exec(chapter);
    assert.ok(picture, `${name}: ${chapter}`);
    assert.ok(files[`OEBPS/${picture[1]}`], `${name}: the picture is in the book`);
    assert.match(files['OEBPS/content.opf']!, new RegExp(`href="${picture[1]}" media-type="image/png"`));
    // A book with a picture is read visually too, and says so.
    assert.match(files['OEBPS/content.opf']!, /schema:accessMode">visual<.*schema:accessModeSufficient">textual,visual</s);
    assert.match(files['OEBPS/content.opf']!, /schema:accessibilitySummary">Text with pictures/);
    assert.match(chapter, /<a href="https:\/\/example.org\/foto.jpg">EN: Ein entferntes Foto der Redaktion<\/a>/);
    // Links: to the other article's heading, to the site (baseUrl), in the page; one to nothing is text.
    assert.match(chapter, /<a href="chapter-002.xhtml#abschnitt">zweiten Artikel<\/a>/);
    assert.match(chapter, /<a href="https:\/\/developer.mozilla.org\/de\/docs\/Glossar">Glossar<\/a>/);
    assert.match(chapter, /<a href="#bilder-und-verweise-über-alles">oben<\/a>/);
    assert.match(chapter, /id="bilder-und-verweise-über-alles"/);
    assert.match(chapter, /zur Lösung ausblenden gibt/);
    assert.match(files['OEBPS/chapter-002.xhtml']!, /<a href="chapter-001.xhtml">Anleitung<\/a>/);
    // Two notes, each referred to from the text and linking back.
    assert.equal(chapter.split('epub:type="footnote"').length - 1, 2, name);
    // Raw HTML: the block that parses is carried over, its text translated (in the bilingual book
    // the German block, then the English); the stray cell shows as text, translated too.
    assert.match(chapter, /<div class="html"><div><p>EN: Ein Hinweis in HTML\.<\/p><\/div><\/div>/);
    if (name === 'bilingual')
      assert.match(
        chapter,
        /<div class="pair html" id="s-[\w-]+">\n<div class="de" lang="de" xml:lang="de">\n<div class="html"><div><p>Ein Hinweis in HTML\.<\/p><\/div><\/div>\n<\/div>\n<div class="en" lang="en-US" xml:lang="en-US">/,
      );
    assert.match(chapter, /EN: Voraussetzungen:/);
  }
});

test("the English Markdown's links and pictures work from the output folder where it is written", () => {
  const out = path.join(dir, 'output');
  let checked = 0;
  for (const name of ['anleitung.en.md', 'zweiter.en.md']) {
    const slugger = new GithubSlugger();
    const ids = new Set<string>();
    const urls: string[] = [];
    const walk = (node: Nodes): void => {
      if (node.type === 'heading') ids.add(slugger.slug(plainText(node)));
      if ('url' in node) urls.push(node.url);
      if ('children' in node) for (const child of node.children) walk(child);
    };
    walk(parseMarkdown(readFileSync(path.join(out, name), 'utf8')));
    const local = urls.filter((u) => !/^(?:[a-z]+:|\/)/i.test(u));
    checked += local.length;
    for (const url of local) {
      const [file = '', fragment] = url.split('#');
      if (file === '') assert.ok(fragment === 'challenge' || ids.has(fragment ?? ''), `${name}: ${url} names a heading of its English`);
      else assert.ok(existsSync(path.join(out, decodeURIComponent(file))), `${name}: ${url} is there`);
    }
  }
  assert.ok(checked >= 5, `${checked} links and pictures checked`);
});
