import assert from 'node:assert/strict';
import { test } from 'node:test';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { segment } from '../src/segment/segment.js';
import { plainMarkdown } from '../src/segment/plain-markdown.js';
import { readSources } from '../src/sources/read-sources.js';
import { configOf, sampleProject } from './helpers.js';

/** The parser `parseMarkdown` uses, without the short cut. */
const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm);

/** Whether the short cut took the text; if it did, its tree must be exactly the parser's. */
function assertSameAsParser(text: string): boolean {
  const fast = plainMarkdown(text);
  if (fast === undefined) return false;
  assert.deepEqual(fast, parser.parse(text), `short cut differs from the parser for ${JSON.stringify(text)}`);
  return true;
}

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

test("plain prose takes the short cut, and the tree is exactly the parser's", async () => {
  const project = sampleProject();
  const config = await configOf(project.dir);
  const { documents } = await readSources(project.dir, config.sources);
  project.cleanup();
  let fast = 0;
  let all = 0;
  const paragraphs: string[] = [];
  for (const doc of documents) {
    assertSameAsParser(doc.text);
    for (const s of segment(doc, config.cleanup).segments) {
      all++;
      if (assertSameAsParser(s.source)) fast++;
      assertSameAsParser(s.plain);
      paragraphs.push(s.source);
    }
  }
  assert.ok(fast > all * 0.8, `most sample paragraphs are plain (${fast} of ${all})`);
  // A whole article of headings and one-line paragraphs.
  const article = `# ${paragraphs[0]}\n\n${paragraphs.slice(1, 8).join('\n\n')}\n\n## Zwischentitel\n\n${paragraphs.slice(8, 20).join('\n\n')}\n`;
  assert.ok(assertSameAsParser(article), 'an article of plain paragraphs and headings takes the short cut');
  assert.ok(assertSameAsParser(`\n\n${article}\n\n\n`));
  assert.ok(assertSameAsParser(article.trimEnd()));
  for (const text of [
    'Grüße 😀 aus Köln!',
    'a  b',
    'Der 5. Dezember (ein Montag): „Ja“ – oder nein?',
    'x',
    'Preis: 5 $ / 3 € = 100 %',
    '###### Tief',
    '# C++ und C',
  ]) {
    assert.ok(assertSameAsParser(text), text);
  }
});

test('anything that might be Markdown syntax goes to the parser', () => {
  const syntax = [
    '*betont*',
    '_betont_',
    '**stark**',
    '~~weg~~',
    '`code`',
    '[Link](https://example.org)',
    '![Bild](x.png)',
    'siehe [^1]',
    '<b>html</b>',
    'a &amp; b',
    'a \\* b',
    'www.example.org',
    'https://example.org',
    'mail@example.org',
    'a | b',
    '# Titel #',
    '#Titel',
    '#  Titel',
    '# Titel ',
    '####### sieben',
    '> Zitat',
    '- Punkt',
    '+ Punkt',
    '1. Punkt',
    '1) Punkt',
    '---',
    '===',
    ' eingerückt',
    'Ende ',
    'zwei\nZeilen',
    'Titel\n===',
    'Tab\there',
    'CR\r\nLF',
    '',
    '\n\n',
    '---\ntitle: x\n---\n\nText',
  ];
  for (const text of syntax) assert.equal(plainMarkdown(text), undefined, JSON.stringify(text));
});

test('random lines and documents: whenever the short cut answers, it agrees with the parser', () => {
  const random = lcg(42);
  const prose = [...'abcXYZäöüßÄ 0123456789.,;:!?()"\'„“‚‘–—-+=#/%$€§°…😀\u00a0'];
  const syntax = [...prose, ...'*_[]<>&|@`~\\\t'];
  const line = (): string => {
    const length = 1 + Math.floor(random() * 25);
    const alphabet = random() < 0.8 ? prose : syntax;
    let text = '';
    for (let j = 0; j < length; j++) text += alphabet[Math.floor(random() * alphabet.length)];
    return random() < 0.2 ? `${'#'.repeat(1 + Math.floor(random() * 7))} ${text}` : text;
  };
  let fastLines = 0;
  let fastDocs = 0;
  for (let i = 0; i < 5000; i++) if (assertSameAsParser(line())) fastLines++;
  for (let i = 0; i < 2000; i++) {
    const parts: string[] = [];
    const count = 1 + Math.floor(random() * 6);
    for (let j = 0; j < count; j++) parts.push(line(), random() < 0.85 ? '\n\n' : random() < 0.5 ? '\n' : '\n\n\n');
    if (assertSameAsParser(parts.join(''))) fastDocs++;
  }
  assert.ok(fastLines > 500 && fastDocs > 50, `the short cut was exercised (${fastLines} lines, ${fastDocs} documents)`);
});
