// Unit tests of the report writer (report.json) on a tiny hand-made article: the pieces join into
// the JSON of the whole report, each segment's state and findings on the right segment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, TranslatedArticle } from '../src/model.js';
import {
  type BuildTotals,
  reportArticle,
  reportArticlesEnd,
  reportFinding,
  reportFindingsEnd,
  reportHead,
  reportSeparator,
  reportTotals,
} from '../src/render/report.js';
import { findingOn, handMadeArticle } from './helpers.js';

/** The report as a build writes it, piece by piece. */
function report(articles: Array<{ a: TranslatedArticle; findings: Finding[] }>, totals: BuildTotals): string {
  let text = reportHead();
  for (const [i, { a, findings }] of articles.entries()) text += reportSeparator(i) + reportArticle(a, findings);
  text += reportArticlesEnd(articles.length);
  const all = articles.flatMap(({ findings }) => findings);
  for (const [i, f] of all.entries()) text += reportFinding(f, i);
  return text + reportFindingsEnd(all.length) + reportTotals(totals);
}

const TOTALS: BuildTotals = {
  articles: 1,
  segments: 3,
  fromMemory: 1,
  translated: 1,
  missing: 1,
  requests: 1,
  billedCharacters: 34,
  failedRequests: 0,
  findings: 1,
};

test('the pieces make the JSON of the whole report, two spaces indented, in a fixed order', () => {
  const a = handMadeArticle('# Die Ostflanke\n\nEin Absatz über die Ostflanke.\n\nOhne Übersetzung.\n', [
    'The eastern flank',
    { target: 'A paragraph about the east wing.', origin: 'deepl', status: 'draft', billedCharacters: 34 },
  ]);
  const finding = findingOn(a, 1, 'term', '"Ostflanke" should be "eastern flank"');
  const text = report([{ a, findings: [finding] }], TOTALS);
  const parsed = JSON.parse(text) as { articles: Array<Record<string, unknown>>; findings: Finding[]; totals: BuildTotals };
  assert.equal(text, `${JSON.stringify(parsed, null, 2)}\n`);
  assert.deepEqual(Object.keys(parsed), ['articles', 'findings', 'totals']);
  assert.deepEqual(parsed.totals, TOTALS);
  assert.deepEqual(parsed.findings, [finding]);

  const [article] = parsed.articles;
  assert.equal(article?.['id'], 'hand');
  assert.equal(article?.['source'], 'sources/hand.md');
  assert.deepEqual(article?.['title'], { de: 'Die Ostflanke', en: 'The eastern flank', segmentId: a.segments[0]!.segment.id, whole: true });
  assert.deepEqual(article?.['segments'], [
    { id: a.segments[0]!.segment.id, kind: 'heading', line: 1, origin: 'human', status: 'reviewed', billedCharacters: 0, findings: [] },
    {
      id: a.segments[1]!.segment.id,
      kind: 'paragraph',
      line: 3,
      origin: 'deepl',
      status: 'draft',
      billedCharacters: 34,
      findings: ['term'],
    },
    { id: a.segments[2]!.segment.id, kind: 'paragraph', line: 5, origin: null, status: 'missing', billedCharacters: 0, findings: [] },
  ]);
});

test('no articles and no findings still make a valid report', () => {
  const empty: BuildTotals = {
    articles: 0,
    segments: 0,
    fromMemory: 0,
    translated: 0,
    missing: 0,
    requests: 0,
    billedCharacters: 0,
    failedRequests: 0,
    findings: 0,
  };
  const text = report([], empty);
  assert.deepEqual(JSON.parse(text), { articles: [], findings: [], totals: empty });
  assert.equal(text, `${JSON.stringify({ articles: [], findings: [], totals: empty }, null, 2)}\n`);
});

test('two articles: entries separated, and what a source holds is escaped as JSON', () => {
  const a = handMadeArticle('Ein "Zitat" mit \\ und Tab\there.\n', ['A "quote".'], { id: 'one', format: 'txt' });
  const b = handMadeArticle('Noch ein Absatz.\n', [], { id: 'two', format: 'txt' });
  const text = report(
    [
      { a, findings: [] },
      { a: b, findings: [] },
    ],
    { ...TOTALS, articles: 2 },
  );
  const parsed = JSON.parse(text) as { articles: Array<{ id: string; title: { de: string }; segments: Array<{ status: string }> }> };
  assert.deepEqual(
    parsed.articles.map((x) => x.id),
    ['one', 'two'],
  );
  assert.equal(parsed.articles[0]?.title.de, 'Ein "Zitat" mit \\ und Tab\there.');
  assert.deepEqual(
    parsed.articles[1]?.segments.map((s) => s.status),
    ['missing'],
  );
  assert.equal(text, `${JSON.stringify(parsed, null, 2)}\n`);
});
