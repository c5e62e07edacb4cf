// One English per German and per format: a translation stored by a .md article renders as plain
// text in a .txt article, and one stored by a .txt article as escaped Markdown in a .md article.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { formatEntry, parseEntry } from '../src/memory/entry.js';
import { TranslationMemory } from '../src/memory/translation-memory.js';
import { build } from '../src/pipeline.js';
import { parseMarkdown, plainText } from '../src/segment/parse-markdown.js';
import { targetForSegment } from '../src/segment/target-format.js';
import { MemoryLogger } from '../src/util/logger.js';
import { startDeepLServer, type DeepLServer } from './deepl-server.js';
import { configOf, deeplEngine, read, ROOT } from './helpers.js';

let server: DeepLServer;
before(async () => {
  server = await startDeepLServer();
});
after(async () => {
  await server.close();
});

/** A project in a temp folder: the sample config, the given sources and glossary rows, an empty memory. */
function project(sources: Record<string, string>, glossary = ''): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'diglot-formats-'));
  writeFileSync(path.join(dir, 'diglot.config.json'), readFileSync(path.join(ROOT, 'diglot.config.json')));
  for (const sub of ['sources', 'glossary', 'memory']) mkdirSync(path.join(dir, sub));
  writeFileSync(path.join(dir, 'glossary', 'terms.csv'), `german,english,forms,note\n${glossary}`);
  writeFileSync(path.join(dir, 'memory', 'memory.jsonl'), '');
  addSources(dir, sources);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function addSources(dir: string, sources: Record<string, string>): void {
  for (const [name, text] of Object.entries(sources)) writeFileSync(path.join(dir, 'sources', name), text);
}

async function buildWithServer(dir: string): Promise<void> {
  const config = await configOf(dir);
  const engine = deeplEngine(server.url, { targetLang: config.targetLang });
  const result = await build(config, { engine, log: new MemoryLogger() });
  assert.equal(result.exitCode, 0, result.error?.message);
}

/** The chapter of the article with the given German title, from the English-only or the bilingual book. */
function chapter(dir: string, book: string, title: string): string {
  const files = Object.entries(unzipSync(readFileSync(path.join(dir, 'output', book))))
    .filter(([name]) => /chapter-\d+\.xhtml$/.test(name))
    .map(([, data]) => strFromU8(data));
  const found = files.filter((f) => f.includes(title));
  assert.equal(found.length, 1, `one chapter titled ${title} in ${book}`);
  return found[0] as string;
}

/** What a reader of a Markdown file sees of it. */
function rendered(markdown: string): string {
  return plainText(parseMarkdown(markdown));
}

const SHARED = 'Die Q&A-Runde [Teil 1] mit 5 * 3 Gästen beginnt.';

test('a translation stored by a .md article shows without Markdown escapes in a .txt article', async () => {
  server.reset();
  // The .md article comes first (a < b), so DeepL's answer is stored as inline Markdown.
  const p = project({
    'a.md': `# Markdown-Artikel\n\n${SHARED}\n`,
    'b.txt': `Der Textartikel beginnt hier.\n\n${SHARED}\n`,
  });
  try {
    await buildWithServer(p.dir);
    assert.equal(server.textsSent().filter((t) => t.includes('Runde')).length, 1, 'the shared paragraph is sent once');
    const { memory } = await TranslationMemory.open(path.join(p.dir, 'memory', 'memory.jsonl'));
    const entry = memory.lookup(SHARED, 'en-US');
    assert.equal(entry?.markdown, true);
    // Stored as inline Markdown spelled as the German spells it: its * and [ read as text there too.
    assert.equal(entry?.target, `EN: ${SHARED}`);

    const english = `EN: ${SHARED}`;
    // The .txt article's English Markdown reads as the plain English, and its chapters show it as it is.
    assert.ok(rendered(read(path.join(p.dir, 'output', 'b.en.md'))).includes(english));
    // The chapters are written by xast-util-to-xml, which escapes `&` as a character reference.
    const escaped = english.replace(/&/g, '&#x26;');
    for (const book of ['edition.epub', 'edition.en.epub']) {
      const xhtml = chapter(p.dir, book, 'Der Textartikel');
      assert.ok(xhtml.includes(escaped), `${book}: ${xhtml}`);
      assert.doesNotMatch(xhtml, /\\/, book);
    }
    // The .md article itself is unchanged: its English reads the same.
    assert.ok(rendered(read(path.join(p.dir, 'output', 'a.en.md'))).includes(english));
    assert.ok(chapter(p.dir, 'edition.en.epub', 'Markdown-Artikel').includes(escaped));
  } finally {
    p.cleanup();
  }
});

test('a translation stored by a .txt article is escaped in a .md article, so its * and [ stay text', async () => {
  server.reset();
  // The glossary puts Markdown-like characters into the English that the German does not have.
  const p = project({ 'b.txt': `Der Textartikel beginnt hier.\n\nDie Fragerunde beginnt.\n` }, 'Fragerunde,Q&A [live] *session*,,\n');
  try {
    await buildWithServer(p.dir);
    const { memory } = await TranslationMemory.open(path.join(p.dir, 'memory', 'memory.jsonl'));
    const entry = memory.lookup('Die Fragerunde beginnt.', 'en-US');
    assert.equal(entry?.target, 'EN: Die Q&A [live] *session* beginnt.');
    assert.equal(entry?.markdown, false);

    // A .md article with the same paragraph, built later: served from the memory.
    addSources(p.dir, { 'a.md': '# Markdown-Artikel\n\nDie Fragerunde beginnt.\n' });
    const sent = server.textsSent().length;
    await buildWithServer(p.dir);
    assert.equal(server.textsSent().length, sent + 1, 'only the new heading is sent');

    const english = read(path.join(p.dir, 'output', 'a.en.md'));
    assert.ok(rendered(english).includes('EN: Die Q&A [live] *session* beginnt.'), english);
    for (const book of ['edition.epub', 'edition.en.epub']) {
      const xhtml = chapter(p.dir, book, 'Markdown-Artikel');
      assert.ok(xhtml.includes('EN: Die Q&#x26;A [live] *session* beginnt.'), `${book}: ${xhtml}`);
      assert.doesNotMatch(xhtml, /<em>session/, book);
    }
    // And the .txt article still shows it as stored.
    assert.ok(chapter(p.dir, 'edition.en.epub', 'Der Textartikel').includes('EN: Die Q&#x26;A [live] *session* beginnt.'));
  } finally {
    p.cleanup();
  }
});

test("the format is an optional entry field in a fixed place; entries without it are read in the reader's format", () => {
  const base = { source: 'Q&A', target: 'Q\\&A', lang: 'en-US', origin: 'deepl', status: 'draft', created: 't', updated: 't' } as const;
  assert.equal(
    formatEntry({ ...base, markdown: true }),
    '{"source":"Q&A","target":"Q\\\\&A","markdown":true,"lang":"en-US","origin":"deepl","status":"draft","created":"t","updated":"t"}',
  );
  assert.equal(
    formatEntry(base),
    '{"source":"Q&A","target":"Q\\\\&A","lang":"en-US","origin":"deepl","status":"draft","created":"t","updated":"t"}',
  );
  assert.equal(
    typeof parseEntry(
      '{"source":"a","target":"b","markdown":"yes","lang":"en-US","origin":"deepl","status":"draft","created":"t","updated":"t"}',
    ),
    'string',
  );
  assert.equal(targetForSegment(base, { markdown: false }), 'Q\\&A', 'no format recorded: as written');
  assert.equal(targetForSegment({ ...base, markdown: true }, { markdown: false }), 'Q&A');
  assert.equal(targetForSegment({ target: '5 * 3 [x] *y*', markdown: false }, { markdown: true }), '5 \\* 3 \\[x] \\*y\\*');
});
