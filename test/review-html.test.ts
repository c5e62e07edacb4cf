// Unit tests of the review pages (an article's page, the index, the search data) on tiny hand-made
// articles: one row per segment with its German and English, everything escaped, missing rows, findings
// and terms marked, the index's lines and totals, the search data's words and terms.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseGlossary } from '../src/glossary/parse-glossary.js';
import { compileTermMatcher, segmentTerms, termSet } from '../src/glossary/match-terms.js';
import { ReviewPage } from '../src/render/review-html.js';
import { ReviewIndex, reviewSummary } from '../src/render/review-index.js';
import { SearchIndex } from '../src/render/review-search.js';
import { findingOn, handMadeArticle } from './helpers.js';

const matchTerms = compileTermMatcher(parseGlossary('german,english,forms,note\nOstflanke,eastern flank,,\n', 'terms.csv').glossary);

function page(): ReviewPage {
  return new ReviewPage({ title: 'Edition <Test> & Co', targetLang: 'en-GB', matchTerms });
}

/** The page's rows: segment id, status, and the German and English cells. */
function rows(html: string): Array<{ segment: string; status: string; findings: number; de: string; en: string }> {
  return [
    ...html.matchAll(
      /<tr class="row [^"]*" id="[^"]+" tabindex="-1" data-status="([^"]+)" data-findings="(\d+)" data-segment="([^"]+)">\n<td class="meta">.*<\/td>\n<td class="de[^"]*" lang="de">(.*)<\/td>\n<td class="en[^"]*" lang="en-GB">(.*)<\/td>\n<\/tr>/g,
    ),
  ].map((m) => ({
    status: m[1]!,
    findings: Number(m[2]),
    segment: m[3]!,
    de: m[4]!,
    en: m[5]!,
  }));
}

const text = (cell: string): string => cell.replace(/<[^>]*>/g, '');

test('one row per segment, in order, German beside its own English', () => {
  const a = handMadeArticle('# Die Lage\n\nErster Absatz.\n\nZweiter Absatz.\n', [
    'The situation',
    'First paragraph.',
    'Second paragraph.',
  ]);
  const p = page();
  const html = p.page(a, [], segmentTerms(a.segments, matchTerms));
  const found = rows(html);
  assert.deepEqual(
    found.map((r) => r.segment),
    a.segments.map((t) => t.segment.id),
  );
  assert.deepEqual(
    found.map((r) => [text(r.de), text(r.en)]),
    [
      ['Die Lage', 'The situation'],
      ['Erster Absatz.', 'First paragraph.'],
      ['Zweiter Absatz.', 'Second paragraph.'],
    ],
  );
  assert.ok(found.every((r) => r.status === 'reviewed'));
});

test('every text is escaped: a script in a source or a translation never becomes markup', () => {
  const a = handMadeArticle(
    'Ein Text mit <script>alert(1)</script> & <img src=x onerror=alert(2)> darin.\n',
    ['A text with <script>alert(1)</script> & <img src=x onerror=alert(2)> in it.'],
    { format: 'txt' },
  );
  const p = page();
  const html = p.page(a, [findingOn(a, 0, 'markup', '<b>unbalanced</b> & more')], segmentTerms(a.segments, matchTerms));
  assert.equal(html.match(/<script/g)?.length, 1, "only the page's own script");
  assert.doesNotMatch(html, /<img/);
  const [row] = rows(html);
  assert.match(row!.de, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &lt;img src=x onerror=alert\(2\)&gt;/);
  assert.match(row!.en, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(row!.en, /<span class="rule">markup<\/span> &lt;b&gt;unbalanced&lt;\/b&gt; &amp; more/);
  assert.match(
    html,
    /<title>Ein Text mit &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &lt;img src=x onerror=alert\(2\)&gt; darin\. · Edition &lt;Test&gt; &amp; Co · review<\/title>/,
  );
});

test('a missing translation is a missing row; findings sit on their row; glossary terms are marked', () => {
  const a = handMadeArticle('Die Ostflanke wird verstärkt.\n\nDie Ostflanke hält.\n\nOhne Übersetzung.\n', [
    'The eastern flank is reinforced.',
    { target: 'The east wing holds.', origin: 'deepl', status: 'draft' },
  ]);
  const finding = findingOn(a, 1, 'term', '"Ostflanke" should be "eastern flank"');
  const p = page();
  const html = p.page(a, [finding], segmentTerms(a.segments, matchTerms));
  const [first, second, third] = rows(html);
  assert.equal(third!.status, 'missing');
  assert.match(third!.en, /^<p class="text missing">no translation yet<\/p>$/);
  assert.equal(second!.status, 'machine');
  assert.deepEqual([first!.findings, second!.findings, third!.findings], [0, 1, 0]);
  assert.match(
    second!.en,
    /<ul class="findings"><li class="warning"><span class="rule">term<\/span> &quot;Ostflanke&quot; should be &quot;eastern flank&quot;<\/li><\/ul>/,
  );
  assert.match(first!.de, /<mark class="term" title="Ostflanke → eastern flank">Ostflanke<\/mark>/);
  assert.match(first!.en, /<mark class="term" title="eastern flank ← Ostflanke">eastern flank<\/mark>/);
  assert.doesNotMatch(second!.en, /<mark/, 'a wrong English term is not marked');
  // The head counts what the article holds.
  assert.match(html, /Review · 3 segments · 1 finding</);
  assert.match(html, /value="missing" checked> missing <b>1<\/b>/);
  assert.match(html, /value="with"> with findings <b>1<\/b>/);
});

test('a row with a marked term keeps its quotes and apostrophes escaped once', () => {
  const a = handMadeArticle('Moskaus „rote“ Ostflanke & mehr.\n', [`Moscow's "red" eastern flank & more.`]);
  const p = page();
  const [row] = rows(p.page(a, [], segmentTerms(a.segments, matchTerms)));
  assert.match(row!.en, /<mark class="term"[^>]*>eastern flank<\/mark>/);
  assert.equal(text(row!.en), 'Moscow&#39;s &quot;red&quot; eastern flank &amp; more.');
  assert.equal(text(row!.de), 'Moskaus „rote“ Ostflanke &amp; mehr.');
});

test('a term written decomposed (NFD) or across a soft hyphen is marked where it stands, as the checks find it', () => {
  const german = ['Die Ost\u00ADflanke hält.', 'Das Bündnis hält die Ostflanke.'.normalize('NFD')];
  const a = handMadeArticle(`${german.join('\n\n')}\n`, ['The eastern flank holds.', 'The alliance holds the eastern flank.']);
  const [first, second] = rows(page().page(a, [], segmentTerms(a.segments, matchTerms)));
  assert.match(first!.de, /<mark class="term" title="Ostflanke → eastern flank">Ost\u00ADflanke<\/mark> hält\./);
  assert.match(second!.de, /die <mark class="term" title="Ostflanke → eastern flank">Ostflanke<\/mark>\./);
  assert.match(second!.de, /Bu\u0308ndnis/, 'the German as written');
  for (const row of [first, second]) assert.match(row!.en, /<mark class="term"[^>]*>eastern flank<\/mark>/);
});

test("an article's page links the index and the articles around it; the index lists each article with its counts, escaped", () => {
  const a = handMadeArticle('# Die Lage < heute\n\nDie Ostflanke hält.\n\nOhne Übersetzung.\n', [
    'The situation < today',
    { target: 'The east wing holds.', origin: 'deepl', status: 'draft' },
  ]);
  const findings = [findingOn(a, 1, 'term', 'x'), findingOn(a, 1, 'number', 'y')];
  const html = page().page(a, findings, segmentTerms(a.segments, matchTerms), undefined, undefined, {
    prev: { id: 'a-0', title: 'Vorher & so' },
    next: { id: 'a 2', title: 'Nachher' },
    position: 1,
  });
  assert.match(html, /<a rel="index" href="..\/review.html" data-href="..\/review.html">/);
  assert.match(html, /<a rel="prev" href="a-0.html" data-href="a-0.html" title="Vorher &amp; so">/);
  assert.match(html, /<a rel="next" href="a%202.html" data-href="a%202.html" title="Nachher">/);
  assert.match(html, /Review · article 2 · 3 segments · 2 findings</);
  assert.match(html, /value="with"> with findings <b>1<\/b>/, 'rows with findings');

  const index = new ReviewIndex({ title: 'Edition <Test>' });
  const entries = [index.entry(reviewSummary(a, findings)), index.entry(reviewSummary(a, []))].join('');
  const full = index.head() + entries + index.tail();
  const data = JSON.parse(/<script type="application\/json" id="articles">([\s\S]*?)<\/script>/.exec(full)?.[1] ?? '') as unknown[][];
  const id = a.article.doc.id;
  assert.deepEqual(data[0], [id, 'Die Lage < heute', 'The situation < today', a.article.doc.path, 1, 1, 0, 1, 0, 2, 1, 3, 0b1]);
  assert.deepEqual(data[1]?.slice(-4), [0, 0, 3, 0]);
  assert.doesNotMatch(full.slice(full.indexOf('id="articles"')), /< heute/, 'the data cannot end its element');
  assert.match(full, /Review · 2 articles · 6 segments · 2 findings</);
  assert.match(full, /value="with"> with findings <b>1<\/b>/, 'articles with findings');
  assert.match(full, /<script async src="review\/search.js" id="search-data"><\/script>/);
  assert.match(full, /script-src 'sha256-[^']+' 'self'/);
});

test('the search data lists each word and glossary term with the articles holding it', () => {
  const one = handMadeArticle('Die Ostflanke hält.\n', ['The eastern flank holds.']);
  const two = handMadeArticle('Die Ostflanken halten stand.\n', ['The eastern flanks hold.']);
  const three = handMadeArticle('Ein Wetterbericht.\n', ['A weather report.']);
  const search = new SearchIndex();
  for (const a of [one, two, three]) search.add(a, termSet(segmentTerms(a.segments, matchTerms)));
  const data = search.data();
  const words = data.words.split(' ');
  const postings = data.postings.split(' ');
  const of = (w: string): string => postings[words.indexOf(w)] ?? 'none';
  assert.deepEqual(
    [of('die'), of('ostflanke'), of('ostflanken'), of('holds'), of('wetterbericht'), of('a')],
    ['0,1', '0', '1', '0', '2', 'none'],
  );
  assert.deepEqual(words, [...words].sort(), 'sorted, for the page to search by prefix');
  assert.deepEqual(data.terms, [['Ostflanke', 'eastern flank', '0,1', '']]);
  assert.match(search.script(), /^\/\/ .*\nwindow\.diglotSearch = \{.*\};\n$/);

  // From 20 articles on, a word in more than half of them lists the articles without it instead.
  const many = new SearchIndex();
  for (let i = 0; i < 24; i++) {
    const a = handMadeArticle(`Bericht ${i}${i % 4 === 0 ? '' : ' vom Tag'}.\n`, [`Report ${i}.`]);
    many.add(a, new Set());
  }
  const data24 = many.data();
  const common = data24.common.split(' ');
  assert.deepEqual(common, ['bericht', 'report', 'tag', 'vom']);
  assert.deepEqual(data24.without.split(' '), ['', '', '0,4,4,4,4,4', '0,4,4,4,4,4']);
  assert.ok(!data24.words.split(' ').includes('tag'));
});
