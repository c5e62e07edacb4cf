// Unit tests of segment places (render/segment-places) and the review page's structure: each pair
// shows where it sits (list item and its number, table cell, quote, note), and code between pairs shows once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTermMatcher } from '../src/glossary/match-terms.js';
import { articleTree } from '../src/render/article-tree.js';
import { ReviewPage } from '../src/render/review-html.js';
import { segmentPlaces } from '../src/render/segment-places.js';
import { handMadeArticle } from './helpers.js';

const TEXT = [
  'Vorweg.',
  '',
  '3. Drei',
  '4. Vier',
  '   - innen',
  '',
  '- [x] erledigt',
  '',
  '> Zitat',
  '',
  '```js',
  'const a = "<b>";',
  '```',
  '',
  '| Kopf | Preis |',
  '| --- | --- |',
  '| Zelle | 3 |',
  '',
  'Satz[^n].',
  '',
  '[^n]: Die Notiz.',
  '',
].join('\n');

test('each segment knows its containers, its depth and its list marker; code is a context block after its segment', () => {
  const a = handMadeArticle(TEXT, []);
  const { places, context } = segmentPlaces(articleTree(a.article), a);
  const of = (source: string) => {
    const s = a.segments.find((t) => t.segment.source === source)!.segment;
    return places.get(s.id);
  };
  assert.deepEqual(of('Vorweg.'), { path: '', depth: 0 });
  assert.deepEqual(of('Drei'), { path: 'numbered list › item 1', depth: 1, marker: '3.' });
  assert.deepEqual(of('Vier'), { path: 'numbered list › item 2', depth: 1, marker: '4.' });
  assert.deepEqual(of('innen'), { path: 'numbered list › item 2 › list › item 1', depth: 2, marker: '•' });
  assert.deepEqual(of('erledigt'), { path: 'list › item 1', depth: 1, marker: '☒' });
  assert.deepEqual(of('Zitat'), { path: 'quote', depth: 1 });
  assert.deepEqual(of('Preis'), { path: 'table › header row › column 2', depth: 0 });
  assert.deepEqual(of('Zelle'), { path: 'table › row 1 › column 1', depth: 0 });
  assert.deepEqual(of('Die Notiz.'), { path: 'note n', depth: 0 });
  const zitat = a.segments.findIndex((t) => t.segment.source === 'Zitat');
  assert.deepEqual(context, [{ after: zitat, kind: 'code', lang: 'js', text: 'const a = "<b>";' }]);
});

test('the review page shows each pair in its place, and the code between pairs once', () => {
  const sources = handMadeArticle(TEXT, []).segments.map((t) => `EN ${t.segment.source}`);
  const a = handMadeArticle(TEXT, sources);
  const page = new ReviewPage({
    title: 'T',
    targetLang: 'en-US',
    matchTerms: compileTermMatcher({ file: 'glossary/terms.csv', terms: [] }),
  });
  const html = page.section(a, [], new Map(), new Map(), segmentPlaces(articleTree(a.article), a));
  assert.match(html, /<td class="de d1" lang="de"><p class="text"><span class="marker">3\.<\/span> Drei<\/p><\/td>/);
  assert.match(html, /<td class="en d1" lang="en-US"><p class="text"><span class="marker">3\.<\/span> EN Drei<\/p>/);
  assert.match(html, /<td class="de d2" lang="de"><p class="text"><span class="marker">•<\/span> innen/);
  assert.match(html, /<span class="place">numbered list › item 2 › list › item 1<\/span>/);
  assert.match(
    html,
    /<tr class="context"><td class="meta"><span class="kind">code js, not translated<\/span><\/td><td colspan="2"><pre>const a = &quot;&lt;b&gt;&quot;;<\/pre><\/td><\/tr>/,
  );
  // The code row follows the quote's row.
  assert.ok(html.indexOf('code js') > html.indexOf('EN Zitat') && html.indexOf('code js') < html.indexOf('EN Kopf'));
});
