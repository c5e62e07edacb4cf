/**
 * Reads the sample's bilingual EPUB back with pandoc (`pandoc edition.epub -t json`), a reader
 * that shares no code with ours: one chapter per article, titled with the article's English
 * title, holding every German paragraph followed by its English, in the order of the source.
 * Skipped when pandoc is not installed, unless DIGLOT_REQUIRE_PANDOC=1 (`.ci/run` installs pandoc
 * and sets it, so CI always runs this).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { loadProject } from '../src/load-project.js';
import { build } from '../src/pipeline.js';
import { parseMarkdown, plainText } from '../src/segment/parse-markdown.js';
import { MemoryLogger } from '../src/util/logger.js';
import { configOf, sampleProject } from './helpers.js';

const havePandoc = spawnSync('pandoc', ['--version'], { stdio: 'ignore' }).status === 0;
/** `.ci/run` sets this, so a missing pandoc fails there instead of skipping. */
const required = process.env['DIGLOT_REQUIRE_PANDOC'] === '1';

/** The parts of pandoc's JSON AST this test reads. */
interface Node {
  t: string;
  c?: unknown;
}

/** Plain text of pandoc inlines (or blocks), whitespace collapsed. */
function text(nodes: readonly Node[]): string {
  const out: string[] = [];
  const walk = (node: Node): void => {
    const c = node.c as never;
    switch (node.t) {
      case 'Str':
        out.push(c);
        return;
      case 'Space':
      case 'SoftBreak':
      case 'LineBreak':
        out.push(' ');
        return;
      case 'Code':
        out.push((c as [unknown, string])[1]);
        return;
      case 'Quoted': {
        const [kind, inner] = c as [Node, Node[]];
        const q = kind.t === 'DoubleQuote' ? '"' : "'";
        out.push(q);
        (inner as Node[]).forEach(walk);
        out.push(q);
        return;
      }
      case 'Emph':
      case 'Strong':
      case 'Strikeout':
      case 'Superscript':
      case 'Subscript':
      case 'SmallCaps':
      case 'Underline':
      case 'Para':
      case 'Plain':
        (c as Node[]).forEach(walk);
        return;
      case 'Span':
      case 'Link':
        ((c as [unknown, Node[]])[1] as Node[]).forEach(walk);
        return;
      case 'Header':
        ((c as [number, unknown, Node[]])[2] as Node[]).forEach(walk);
        return;
      default:
        return;
    }
  };
  nodes.forEach(walk);
  return normalise(out.join(''));
}

/** Whitespace collapsed; typographic apostrophes and quotes as their ASCII forms. */
function normalise(s: string): string {
  return s.replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();
}

/** The text blocks (paragraphs, headings) of a block list in reading order, descending into containers. */
function paragraphs(blocks: readonly Node[]): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    if (b.t === 'Para' || b.t === 'Plain' || b.t === 'Header') {
      const t = text([b]);
      if (t !== '') out.push(t);
    } else if (b.t === 'Div') out.push(...paragraphs((b.c as [unknown, Node[]])[1]));
    else if (b.t === 'BlockQuote') out.push(...paragraphs(b.c as Node[]));
    else if (b.t === 'BulletList' || b.t === 'OrderedList') {
      const items = (b.t === 'OrderedList' ? (b.c as [unknown, Node[][]])[1] : (b.c as Node[][])) as Node[][];
      for (const item of items) out.push(...paragraphs(item));
    }
  }
  return out;
}

/** pandoc's EPUB reader opens each spine document with an empty `Para [Span (file, …) []]`. */
function fileMarker(block: Node): string | undefined {
  if (block.t !== 'Para') return undefined;
  const inlines = block.c as Node[];
  if (inlines.length !== 1 || inlines[0]!.t !== 'Span') return undefined;
  const [[id], content] = inlines[0]!.c as [[string], Node[]];
  return content.length === 0 && id.endsWith('.xhtml') ? id : undefined;
}

test('pandoc reads back one chapter per article with every German and English paragraph in order', {
  skip: havePandoc || required ? false : 'pandoc is not installed',
}, async () => {
  const project = sampleProject();
  try {
    const config = await configOf(project.dir);
    assert.equal((await build(config, { engine: undefined, log: new MemoryLogger() })).exitCode, 0);
    const run = spawnSync('pandoc', [path.join(project.dir, 'output', 'edition.epub'), '-t', 'json'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(run.status, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as { blocks: Node[]; meta: Record<string, Node> };

    // Split the document at pandoc's file markers.
    const files: Array<{ file: string; blocks: Node[] }> = [];
    for (const block of doc.blocks) {
      const file = fileMarker(block);
      if (file !== undefined) files.push({ file, blocks: [] });
      else files.at(-1)?.blocks.push(block);
    }
    const chapters = files.filter((f) => /^chapter-\d{3}\.xhtml$/.test(f.file));

    // The expectation comes from the sources and the memory, not from the EPUB writer.
    const project_ = await loadProject(config, new MemoryLogger());
    const articles = [...project_.articles].sort((a, b) => (a.doc.id < b.doc.id ? -1 : 1));
    assert.ok(articles.length > 0);
    assert.equal(chapters.length, articles.length, `chapters: ${files.map((f) => f.file).join(', ')}`);

    for (const [i, article] of articles.entries()) {
      const chapter = chapters[i]!;
      const headers = chapter.blocks.flatMap(function find(b: Node): Node[] {
        if (b.t === 'Header' && (b.c as [number])[0] === 1) return [b];
        return b.t === 'Div' ? (b.c as [unknown, Node[]])[1].flatMap(find) : [];
      });
      assert.equal(headers.length, 1, `${chapter.file}: one level-1 heading`);
      const title = text(headers);

      const english = (source: string, markdown: boolean): string => {
        const entry = project_.memory.lookup(source, config.targetLang);
        assert.ok(entry, `no translation for ${source}`);
        return normalise(markdown ? plainText(parseMarkdown(entry.target)) : entry.target);
      };
      const body = article.segments.filter((s) => s.body);
      const header = chapter.blocks.find((b) => b.t === 'Div' && paragraphs([b])[0] === title)!;
      const headerTexts = paragraphs([header]);
      // A heading (or a one-sentence lead) that opens the article is its title: shown once, in the chapter's header.
      const opening = body[0]!;
      const titleIsOpening = english(opening.source, opening.markdown) === title;
      if (titleIsOpening)
        assert.deepEqual(headerTexts.slice(0, 2), [title, normalise(opening.plain)], `${chapter.file}: title in both languages`);
      const expected = (titleIsOpening ? body.slice(1) : body).flatMap((s) => [normalise(s.plain), english(s.source, s.markdown)]);

      // Every pair holds exactly one German paragraph and then its English, in source order.
      const pairs = chapter.blocks.filter((b) => b.t === 'Div' && ((b.c as [[string, string[]]])[0][1] ?? []).includes('pair'));
      for (const p of pairs)
        assert.equal(paragraphs((p.c as [unknown, Node[]])[1]).length, 2, `${chapter.file}: ${JSON.stringify(paragraphs([p]))}`);
      assert.deepEqual(paragraphs(pairs), expected, `${chapter.file}: German and English paragraphs in order`);
      // Nothing else in the chapter but its header.
      assert.equal(
        chapter.blocks.filter((b) => b !== header && !pairs.includes(b) && paragraphs([b]).length > 0).length,
        0,
        `${chapter.file}: stray blocks`,
      );
    }

    // The package metadata survives too.
    assert.match(JSON.stringify(doc.meta['language']), /"de"[\s\S]*"en-US"|"en-US"[\s\S]*"de"/);
  } finally {
    project.cleanup();
  }
});
